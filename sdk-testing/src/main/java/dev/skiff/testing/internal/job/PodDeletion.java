package dev.skiff.testing.internal.job;

import java.util.Objects;

/**
 * A pod the Job controller deletes, and why.
 *
 * @param name the pod's name, in the Job's namespace
 * @param reason why the controller deletes it
 */
public record PodDeletion(String name, Reason reason) {

    /** Checks that no component is null. */
    public PodDeletion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }

    /** Why the Job controller deletes a pod. */
    public enum Reason {
        /** More pods are active than the Job wants (parallelism lowered, completions near). */
        EXCESS,
        /** An indexed Job has another active pod for the same index, or the index is out of range. */
        DUPLICATE_INDEX,
        /** The Job is suspended: all its active pods go. */
        SUSPENDED,
        /** The Job met a failure criterion ({@code FailureTarget}): its active pods go. */
        JOB_FAILED,
        /** The Job met its success policy ({@code SuccessCriteriaMet}): the lingering pods go. */
        JOB_SUCCEEDED
    }
}
