package dev.skiff.testing.internal.apps;

import dev.skiff.testing.internal.common.KubeTime;
import dev.skiff.testing.internal.common.PodPhases;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** Facts about pods and objects as the workload controllers read them. */
final class Pods {

    static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int MAX_GENERATED_NAME_PREFIX = 58;
    private static final int NAME_SUFFIX_LENGTH = 5;

    private Pods() {}

    static String phase(Pod pod) {
        PodStatus status = pod.getStatus();
        String phase = status == null ? null : status.getPhase();
        return phase == null ? "Pending" : phase;
    }

    /** Whether the pod has a phase at all: the StatefulSet controller's {@code isCreated}. */
    static boolean hasPhase(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getPhase() != null
                && !pod.getStatus().getPhase().isEmpty();
    }

    static boolean isTerminal(Pod pod) {
        return PodPhases.isTerminal(pod);
    }

    static boolean isDeleted(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Not terminal and not being deleted: {@code controller.FilterActivePods}. */
    static boolean isActive(Pod pod) {
        return !isTerminal(pod) && !isDeleted(pod);
    }

    static boolean isScheduled(Pod pod) {
        return pod.getSpec() != null
                && pod.getSpec().getNodeName() != null
                && !pod.getSpec().getNodeName().isEmpty();
    }

    static boolean isReady(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready != null && "True".equals(ready.getStatus());
    }

    /** When the pod last became ready, or null when it is not ready or the time is unknown. */
    static @Nullable Instant readySince(Pod pod) {
        PodCondition ready = readyCondition(pod);
        if (ready == null || !"True".equals(ready.getStatus())) {
            return null;
        }
        return parseTime(ready.getLastTransitionTime());
    }

    /**
     * Ready for at least {@code minReadySeconds} ({@code podutil.IsPodAvailable}); with 0 seconds a
     * ready pod is available at once, even without a transition time.
     */
    static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        Instant since = readySince(pod);
        return since != null && !since.plusSeconds(minReadySeconds).isAfter(now);
    }

    /** When a ready pod becomes available, or null when it is not ready or already available. */
    static @Nullable Instant availableAt(Pod pod, int minReadySeconds, Instant now) {
        Instant since = readySince(pod);
        if (minReadySeconds <= 0 || since == null) {
            return null;
        }
        Instant at = since.plusSeconds(minReadySeconds);
        return at.isAfter(now) ? at : null;
    }

    private static @Nullable PodCondition readyCondition(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null || status.getConditions() == null) {
            return null;
        }
        for (PodCondition condition : status.getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return condition;
            }
        }
        return null;
    }

    static int restarts(Pod pod) {
        PodStatus status = pod.getStatus();
        int total = 0;
        if (status != null && status.getContainerStatuses() != null) {
            for (ContainerStatus container : status.getContainerStatuses()) {
                total += container.getRestartCount() == null ? 0 : container.getRestartCount();
            }
        }
        return total;
    }

    static String name(Pod pod) {
        return Objects.requireNonNullElse(pod.getMetadata().getName(), "");
    }

    static @Nullable Instant parseTime(@Nullable String text) {
        return KubeTime.parse(text);
    }

    /** A Kubernetes {@code metav1.Time}: RFC 3339 in UTC, whole seconds. */
    static String formatTime(Instant instant) {
        return KubeTime.format(instant);
    }

    static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }

    static long orZero(@Nullable Long value) {
        return value == null ? 0 : value;
    }

    /** Whether {@code labels} contains every entry of {@code wanted}. */
    static boolean hasLabels(@Nullable Map<String, String> labels, @Nullable Map<String, String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            return true;
        }
        if (labels == null) {
            return false;
        }
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A controller owner reference with {@code blockOwnerDeletion}, as controllers set them. */
    static OwnerReference controllerRef(String kind, String name, @Nullable String uid) {
        return new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind(kind)
                .withName(name)
                .withUid(uid)
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Whether the pod's controller owner reference points at {@code uid}. */
    static boolean isControlledBy(Pod pod, @Nullable String uid) {
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        if (refs == null || uid == null) {
            return false;
        }
        for (OwnerReference ref : refs) {
            if (Boolean.TRUE.equals(ref.getController()) && uid.equals(ref.getUid())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A name as the API server's {@code generateName} makes it: the prefix cut to 58 characters,
     * then 5 random characters; a name in {@code used} is drawn again.
     */
    static String generateName(String prefix, Collection<String> used, RandomGenerator random) {
        String base =
                prefix.length() > MAX_GENERATED_NAME_PREFIX ? prefix.substring(0, MAX_GENERATED_NAME_PREFIX) : prefix;
        while (true) {
            StringBuilder name = new StringBuilder(base);
            for (int i = 0; i < NAME_SUFFIX_LENGTH; i++) {
                name.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
            }
            if (!used.contains(name.toString())) {
                return name.toString();
            }
        }
    }
}
