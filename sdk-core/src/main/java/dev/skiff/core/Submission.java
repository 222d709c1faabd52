package dev.skiff.core;

import java.util.Objects;

/**
 * The result of submitting one job of {@link Skiff#submitAll}: either {@link Submitted} with its
 * handle or {@link Refused} with the reason. Every job given gets one, in the order given.
 *
 * <pre>{@code
 * for (Submission s : skiff.submitAll(jobs)) {
 *     if (s instanceof Submission.Refused refused) {
 *         System.err.println(refused.job().name() + ": " + refused.error().getMessage());
 *     }
 * }
 * }</pre>
 */
public sealed interface Submission permits Submission.Submitted, Submission.Refused {
    /** Returns the job submitted. */
    BatchJob job();

    /** Returns whether the job was submitted (or already existed with the same spec). */
    default boolean isSubmitted() {
        return this instanceof Submitted;
    }

    /**
     * The job exists on the cluster.
     *
     * @param job the job
     * @param handle its handle
     */
    record Submitted(BatchJob job, JobHandle handle) implements Submission {
        /** Checks the arguments. */
        public Submitted {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(handle, "handle");
        }
    }

    /**
     * The job was not submitted.
     *
     * @param job the job
     * @param error why: a {@link ConflictException}, {@link SubmissionException}, {@link
     *     ClusterUnavailableException}, ...
     */
    record Refused(BatchJob job, SkiffException error) implements Submission {
        /** Checks the arguments. */
        public Refused {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(error, "error");
        }
    }
}
