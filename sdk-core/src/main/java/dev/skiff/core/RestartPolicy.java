package dev.skiff.core;

/** What the kubelet does when a container of a batch pod exits with an error. */
public enum RestartPolicy {
    /**
     * Never restart in place: the Job controller creates a new pod, which keeps the failed pod's
     * logs and exit code for diagnosis. Skiff's default, and required by pod failure policies,
     * per-index backoff and success policies.
     */
    NEVER("Never"),
    /** Restart the container in the same pod. */
    ON_FAILURE("OnFailure");

    private final String wire;

    RestartPolicy(String wire) {
        this.wire = wire;
    }

    /** Returns the name Kubernetes uses. */
    public String wireName() {
        return wire;
    }
}
