package dev.skiff.core;

/** The pod security defaults Skiff applies to a workload's pods. */
public enum PodSecurity {
    /**
     * The Kubernetes "restricted" Pod Security Standard: run as non-root, no privilege
     * escalation, all capabilities dropped, seccomp {@code RuntimeDefault}. Skiff's default.
     */
    RESTRICTED,
    /** Add nothing: the pods get whatever the cluster and image give them. */
    UNRESTRICTED
}
