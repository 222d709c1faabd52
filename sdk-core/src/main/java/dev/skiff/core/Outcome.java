package dev.skiff.core;

import java.util.List;
import java.util.Objects;

/**
 * How a batch job ended: one of {@link Succeeded}, {@link Failed}, {@link DeadlineExceeded} or
 * {@link Cancelled}.
 *
 * <pre>{@code
 * Outcome outcome = handle.await(Duration.ofHours(2));
 * if (outcome instanceof Outcome.Failed failed) {
 *     System.err.println(failed.explanation());
 * }
 * }</pre>
 */
public sealed interface Outcome permits Outcome.Succeeded, Outcome.Failed, Outcome.DeadlineExceeded, Outcome.Cancelled {

    /** Returns whether the job succeeded. */
    default boolean isSuccess() {
        return this instanceof Succeeded;
    }

    /** Returns one or more sentences saying how the job ended and, if it failed, why. */
    String explanation();

    /**
     * The job reached its completions (condition {@code Complete}).
     *
     * @param job the job's namespace and name, as {@code namespace/name}
     * @param succeededPods how many pods succeeded
     */
    record Succeeded(String job, int succeededPods) implements Outcome {
        /** Checks the arguments. */
        public Succeeded {
            Objects.requireNonNull(job, "job");
        }

        @Override
        public String explanation() {
            return "Job " + job + " succeeded (" + succeededPods + " pods succeeded).";
        }
    }

    /**
     * The job failed (condition {@code Failed}) for a reason other than its deadline.
     *
     * @param job the job's namespace and name, as {@code namespace/name}
     * @param reason the condition's reason, such as {@code BackoffLimitExceeded}, {@code
     *     PodFailurePolicy} or {@code MaxFailedIndexesExceeded}
     * @param message the condition's message
     * @param failedPods how many pods failed
     * @param failedIndexes the failed indexes of an indexed job with per-index backoff
     */
    record Failed(String job, String reason, String message, int failedPods, List<Integer> failedIndexes)
            implements Outcome {
        /** Checks and copies the arguments. */
        public Failed {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            failedIndexes = List.copyOf(failedIndexes);
        }

        @Override
        public String explanation() {
            StringBuilder sb =
                    new StringBuilder("Job ").append(job).append(" failed: ").append(reason);
            if (!message.isEmpty()) {
                sb.append(": ").append(message);
            }
            sb.append(" (").append(failedPods).append(" pods failed");
            if (!failedIndexes.isEmpty()) {
                sb.append("; failed indexes ").append(failedIndexes);
            }
            return sb.append(").").toString();
        }
    }

    /**
     * The job ran longer than its active deadline (reason {@code DeadlineExceeded}).
     *
     * @param job the job's namespace and name, as {@code namespace/name}
     * @param message the condition's message
     */
    record DeadlineExceeded(String job, String message) implements Outcome {
        /** Checks the arguments. */
        public DeadlineExceeded {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String explanation() {
            return "Job " + job + " exceeded its active deadline" + (message.isEmpty() ? "." : ": " + message);
        }
    }

    /**
     * The job was deleted before it finished.
     *
     * @param job the job's namespace and name, as {@code namespace/name}
     */
    record Cancelled(String job) implements Outcome {
        /** Checks the arguments. */
        public Cancelled {
            Objects.requireNonNull(job, "job");
        }

        @Override
        public String explanation() {
            return "Job " + job + " was cancelled (deleted before it finished).";
        }
    }
}
