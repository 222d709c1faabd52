package dev.skiff.testing.internal.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Matches a failed pod against a Job's {@code podFailurePolicy}, rules in order. */
final class PodFailurePolicies {

    static final String FAIL_JOB = "FailJob";
    static final String IGNORE = "Ignore";
    static final String COUNT = "Count";
    static final String FAIL_INDEX = "FailIndex";

    /**
     * The outcome of matching one failed pod.
     *
     * @param failJobMessage the Job failure message when a {@code FailJob} rule matched
     * @param countFailed whether the failure counts toward the backoff limits ({@code Ignore} does
     *     not)
     * @param action the matched rule's action, or null when no rule matched
     */
    record Match(
            @Nullable String failJobMessage,
            boolean countFailed,
            @Nullable String action) {}

    private static final Match NO_MATCH = new Match(null, true, null);

    private PodFailurePolicies() {}

    static Match match(@Nullable PodFailurePolicy policy, Pod pod) {
        if (policy == null || policy.getRules() == null) {
            return NO_MATCH;
        }
        List<PodFailurePolicyRule> rules = policy.getRules();
        for (int index = 0; index < rules.size(); index++) {
            PodFailurePolicyRule rule = rules.get(index);
            String action = rule.getAction();
            if (rule.getOnExitCodes() != null) {
                ContainerStatus container = matchExitCodes(pod, rule.getOnExitCodes());
                if (container != null) {
                    String message = String.format(
                            "Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d",
                            container.getName(),
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            container.getState().getTerminated().getExitCode(),
                            action,
                            index);
                    Match match = forAction(action, message);
                    if (match != null) {
                        return match;
                    }
                }
            } else if (rule.getOnPodConditions() != null
                    && !rule.getOnPodConditions().isEmpty()) {
                PodCondition condition = matchConditions(pod, rule.getOnPodConditions());
                if (condition != null) {
                    String message = String.format(
                            "Pod %s/%s has condition %s matching %s rule at index %d",
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            condition.getType(),
                            action,
                            index);
                    Match match = forAction(action, message);
                    if (match != null) {
                        return match;
                    }
                }
            }
        }
        return NO_MATCH;
    }

    private static @Nullable Match forAction(@Nullable String action, String failJobMessage) {
        if (action == null) {
            return null;
        }
        switch (action) {
            case IGNORE:
                return new Match(null, false, IGNORE);
            case FAIL_INDEX:
                return new Match(null, true, FAIL_INDEX);
            case COUNT:
                return new Match(null, true, COUNT);
            case FAIL_JOB:
                return new Match(failJobMessage, true, FAIL_JOB);
            default:
                return null;
        }
    }

    private static @Nullable ContainerStatus matchExitCodes(
            Pod pod, PodFailurePolicyOnExitCodesRequirement requirement) {
        if (pod.getStatus() == null) {
            return null;
        }
        ContainerStatus match = matchIn(pod.getStatus().getContainerStatuses(), requirement);
        return match != null ? match : matchIn(pod.getStatus().getInitContainerStatuses(), requirement);
    }

    private static @Nullable ContainerStatus matchIn(
            @Nullable List<ContainerStatus> statuses, PodFailurePolicyOnExitCodesRequirement requirement) {
        if (statuses == null) {
            return null;
        }
        for (ContainerStatus status : statuses) {
            if (status.getState() == null || status.getState().getTerminated() == null) {
                continue;
            }
            if (requirement.getContainerName() != null
                    && !requirement.getContainerName().equals(status.getName())) {
                continue;
            }
            Integer exitCode = status.getState().getTerminated().getExitCode();
            if (exitCode == null || exitCode == 0) {
                continue;
            }
            List<Integer> values = requirement.getValues() == null ? List.of() : requirement.getValues();
            boolean listed = values.contains(exitCode);
            if (("In".equals(requirement.getOperator()) && listed)
                    || ("NotIn".equals(requirement.getOperator()) && !listed)) {
                return status;
            }
        }
        return null;
    }

    private static @Nullable PodCondition matchConditions(
            Pod pod, List<PodFailurePolicyOnPodConditionsPattern> patterns) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            for (PodFailurePolicyOnPodConditionsPattern pattern : patterns) {
                String status = pattern.getStatus() == null ? "True" : pattern.getStatus();
                if (condition.getType() != null
                        && condition.getType().equals(pattern.getType())
                        && status.equals(condition.getStatus())) {
                    return condition;
                }
            }
        }
        return null;
    }
}
