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
     * The job failed (condition {@code Failed}) for a reason other than its deadline, or a {@link
     * StuckJobPolicy} ended the wait (reason {@code Stuck}).
     *
     * @param job the job's namespace and name, as {@code namespace/name}
     * @param reason the condition's reason, such as {@code BackoffLimitExceeded}, {@code
     *     PodFailurePolicy} or {@code MaxFailedIndexesExceeded}, or {@code Stuck}
     * @param message the condition's message
     * @param failedPods how many pods failed
     * @param failedIndexes the failed indexes of an indexed job with per-index backoff
     * @param podFailures how the failed pods' containers ended, with their last log lines (the pods
     *     still present when the job failed)
     */
    record Failed(
            String job,
            String reason,
            String message,
            int failedPods,
            List<Integer> failedIndexes,
            List<PodFailure> podFailures)
            implements Outcome {
        /** Checks and copies the arguments. */
        public Failed {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            failedIndexes = List.copyOf(failedIndexes);
            podFailures = List.copyOf(podFailures);
        }

        /**
         * A failure without pod details.
         *
         * @param job the job's namespace and name
         * @param reason the condition's reason
         * @param message the condition's message
         * @param failedPods how many pods failed
         * @param failedIndexes the failed indexes
         */
        public Failed(String job, String reason, String message, int failedPods, List<Integer> failedIndexes) {
            this(job, reason, message, failedPods, failedIndexes, List.of());
        }

        /** Returns the exit codes of the failed containers, in the order of {@link #podFailures()}. */
        public List<Integer> exitCodes() {
            return podFailures.stream().map(PodFailure::exitCode).toList();
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
            sb.append(").");
            for (PodFailure f : podFailures) {
                sb.append("\n  ").append(f.summary());
                if (!f.logTail().isEmpty()) {
                    sb.append("\n    last ").append(f.logTail().size()).append(" log lines:");
                    for (String line : f.logTail()) {
                        sb.append("\n    | ").append(line);
                    }
                }
            }
            return sb.toString();
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
