package dev.skiff.core;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A rule of a Job's pod failure policy: what to do when a pod fails with certain exit codes or
 * conditions. Rules are checked in order; the first that matches decides.
 *
 * <pre>{@code
 * // a bug: fail the whole job at once instead of retrying
 * PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB, 1, 2);
 * // a preempted or evicted pod does not count toward the backoff limit
 * PodFailureRule.onDisruption(PodFailureRule.Action.IGNORE);
 * }</pre>
 *
 * <p>Kubernetes requires {@code restartPolicy: Never} for a pod failure policy (Skiff's default).
 */
@Value.Immutable
public abstract class PodFailureRule {
    PodFailureRule() {}

    /** What to do when the rule matches. */
    public enum Action {
        /** Fail the whole Job (reason {@code PodFailurePolicy}). */
        FAIL_JOB("FailJob"),
        /** Do not count the failure; the pod is replaced. */
        IGNORE("Ignore"),
        /** Count the failure toward the backoff limit, as without a policy. */
        COUNT("Count"),
        /** Fail the pod's index (needs a per-index backoff limit). */
        FAIL_INDEX("FailIndex");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** How exit codes are matched. */
    public enum ExitCodeOperator {
        /** The exit code is one of the values. */
        IN("In"),
        /** The exit code is none of the values. */
        NOT_IN("NotIn");

        private final String wire;

        ExitCodeOperator(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** Returns the action taken when the rule matches. */
    public abstract Action action();

    /** Returns the container whose exit code is checked; every container if empty. */
    public abstract Optional<String> containerName();

    /** Returns how exit codes are matched, when the rule matches exit codes. */
    public abstract Optional<ExitCodeOperator> exitCodeOperator();

    /** Returns the exit codes, when the rule matches exit codes. */
    public abstract List<Integer> exitCodes();

    /** Returns the pod condition types (status {@code True}) the rule matches, such as {@code DisruptionTarget}. */
    public abstract List<String> podConditions();

    /**
     * Matches a container exiting with one of {@code codes} (0 is not allowed).
     *
     * @param action what to do
     * @param codes the exit codes
     * @return the rule
     */
    public static PodFailureRule onExitCodes(Action action, int... codes) {
        return exitCodes(action, ExitCodeOperator.IN, codes);
    }

    /**
     * Matches a container exiting with a code not in {@code codes} (0 never matches).
     *
     * @param action what to do
     * @param codes the exit codes that do not match
     * @return the rule
     */
    public static PodFailureRule onExitCodesNotIn(Action action, int... codes) {
        return exitCodes(action, ExitCodeOperator.NOT_IN, codes);
    }

    /**
     * Matches a pod disrupted by preemption, eviction or node loss (condition {@code DisruptionTarget}).
     *
     * @param action what to do
     * @return the rule
     */
    public static PodFailureRule onDisruption(Action action) {
        return onPodCondition(action, "DisruptionTarget");
    }

    /**
     * Matches a pod with condition {@code conditionType} set to {@code True}.
     *
     * @param action what to do
     * @param conditionType the pod condition type
     * @return the rule
     */
    public static PodFailureRule onPodCondition(Action action, String conditionType) {
        return ImmutablePodFailureRule.builder()
                .action(action)
                .addPodConditions(conditionType)
                .build();
    }

    /**
     * Returns a copy that only checks the exit code of container {@code name}.
     *
     * @param name the container's name
     * @return the copy
     */
    public PodFailureRule forContainer(String name) {
        return ImmutablePodFailureRule.builder().from(this).containerName(name).build();
    }

    private static PodFailureRule exitCodes(Action action, ExitCodeOperator operator, int... codes) {
        ImmutablePodFailureRule.Builder b =
                ImmutablePodFailureRule.builder().action(action).exitCodeOperator(operator);
        for (int code : codes) {
            b.addExitCodes(code);
        }
        return b.build();
    }
}
