package dev.skiff.testing.internal.common;

import io.fabric8.kubernetes.api.model.Pod;
import org.jspecify.annotations.Nullable;

/** A pod's phase, as every controller of the in-memory cluster reads it. */
public final class PodPhases {
    private PodPhases() {}

    /** Returns the pod's phase, or null when it has no status yet. */
    public static @Nullable String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    /** Returns whether the pod has finished: phase {@code Succeeded} or {@code Failed}. */
    public static boolean isTerminal(Pod pod) {
        String phase = phase(pod);
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
