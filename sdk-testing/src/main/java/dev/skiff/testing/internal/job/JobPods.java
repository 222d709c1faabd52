package dev.skiff.testing.internal.job;

import dev.skiff.testing.internal.common.KubeTime;
import dev.skiff.testing.internal.common.PodPhases;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Facts about pods as the Job controller reads them. */
final class JobPods {

    static final int UNKNOWN_INDEX = -1;

    private JobPods() {}

    static String phase(Pod pod) {
        PodStatus status = pod.getStatus();
        String phase = status == null ? null : status.getPhase();
        return phase == null ? "Pending" : phase;
    }

    static boolean isSucceeded(Pod pod) {
        return "Succeeded".equals(phase(pod));
    }

    static boolean isTerminal(Pod pod) {
        return PodPhases.isTerminal(pod);
    }

    static boolean isDeleted(Pod pod) {
        return pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Not terminal and not being deleted: {@code controller.FilterActivePods}. */
    static boolean isActive(Pod pod) {
        return !isTerminal(pod) && !isDeleted(pod);
    }

    /** Being deleted but not terminal yet: {@code controller.CountTerminatingPods}. */
    static boolean isTerminating(Pod pod) {
        return isDeleted(pod) && !isTerminal(pod);
    }

    static boolean isReady(Pod pod) {
        PodCondition ready = condition(pod, "Ready");
        return ready != null && "True".equals(ready.getStatus());
    }

    static @Nullable PodCondition condition(Pod pod, String type) {
        PodStatus status = pod.getStatus();
        if (status == null || status.getConditions() == null) {
            return null;
        }
        for (PodCondition condition : status.getConditions()) {
            if (type.equals(condition.getType())) {
                return condition;
            }
        }
        return null;
    }

    static boolean hasTrackingFinalizer(Pod pod) {
        List<String> finalizers = pod.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(JobReconciler.TRACKING_FINALIZER);
    }

    static String name(Pod pod) {
        return Objects.requireNonNullElse(pod.getMetadata().getName(), "");
    }

    /** The completion index annotation, or {@link #UNKNOWN_INDEX} if absent or malformed. */
    static int completionIndex(Pod pod) {
        String value = annotation(pod, JobReconciler.COMPLETION_INDEX);
        if (value == null) {
            return UNKNOWN_INDEX;
        }
        try {
            int index = Integer.parseInt(value);
            return index < 0 ? UNKNOWN_INDEX : index;
        } catch (NumberFormatException e) {
            return UNKNOWN_INDEX;
        }
    }

    static @Nullable String annotation(Pod pod, String key) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** An int32 annotation, 0 when absent, malformed or out of range. */
    static int intAnnotation(Pod pod, String key) {
        String value = annotation(pod, key);
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Sum of container and init container restarts. */
    static int restarts(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return 0;
        }
        return sumRestarts(status.getInitContainerStatuses()) + sumRestarts(status.getContainerStatuses());
    }

    private static int sumRestarts(@Nullable List<ContainerStatus> statuses) {
        int total = 0;
        if (statuses != null) {
            for (ContainerStatus container : statuses) {
                total += container.getRestartCount() == null ? 0 : container.getRestartCount();
            }
        }
        return total;
    }

    /**
     * When the pod finished, as the controller estimates it: the last container finish, else the
     * time Ready turned False, else the deletion timestamp minus the grace period, else creation.
     */
    static Instant finishedTime(Pod pod, Instant fallback) {
        PodStatus status = pod.getStatus();
        if (status != null
                && status.getContainerStatuses() != null
                && !status.getContainerStatuses().isEmpty()) {
            Instant latest = null;
            for (ContainerStatus container : status.getContainerStatuses()) {
                Instant finished =
                        container.getState() == null || container.getState().getTerminated() == null
                                ? null
                                : parseTime(container.getState().getTerminated().getFinishedAt());
                if (finished == null) {
                    latest = null;
                    break;
                }
                if (latest == null || latest.isBefore(finished)) {
                    latest = finished;
                }
            }
            if (latest != null) {
                return latest;
            }
        }
        PodCondition ready = condition(pod, "Ready");
        if (ready != null && "False".equals(ready.getStatus())) {
            Instant transition = parseTime(ready.getLastTransitionTime());
            if (transition != null) {
                return transition;
            }
        }
        Instant deleted = parseTime(pod.getMetadata().getDeletionTimestamp());
        if (deleted != null) {
            Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
            return deleted.minusSeconds(grace == null ? 0 : grace);
        }
        Instant created = parseTime(pod.getMetadata().getCreationTimestamp());
        return created == null ? fallback : created;
    }

    static @Nullable Instant parseTime(@Nullable String text) {
        return KubeTime.parse(text);
    }

    /** A Kubernetes {@code metav1.Time}: RFC 3339 in UTC, whole seconds. */
    static String formatTime(Instant instant) {
        return KubeTime.format(instant);
    }

    /**
     * The order in which the controller deletes active pods ({@code controller.ActivePods}):
     * unscheduled before scheduled, Pending before Unknown before Running, not ready before ready,
     * more restarts before fewer, newer before older; the name breaks ties so runs repeat.
     */
    static final Comparator<Pod> DELETION_ORDER = Comparator.<Pod, Boolean>comparing(p -> p.getSpec() != null
                    && p.getSpec().getNodeName() != null
                    && !p.getSpec().getNodeName().isEmpty())
            .thenComparingInt(p -> phaseRank(phase(p)))
            .thenComparing(JobPods::isReady)
            .thenComparing(Comparator.comparingInt(JobPods::restarts).reversed())
            .thenComparing(
                    p -> Objects.requireNonNullElse(parseTime(p.getMetadata().getCreationTimestamp()), Instant.MAX),
                    Comparator.reverseOrder())
            .thenComparing(JobPods::name);

    private static int phaseRank(String phase) {
        return KubeTime.phaseRank(phase);
    }
}
