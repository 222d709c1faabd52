package dev.skiff.testing.internal.http;

import io.fabric8.kubernetes.api.model.Pod;

/** Pod facts the adapter needs. */
final class ApiServerPods {
    private ApiServerPods() {}

    static boolean isTerminal(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
