package dev.skiff.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a batch job's state, as {@link JobHandle#status()} and {@link
 * JobHandle#watch} report it.
 *
 * <pre>{@code
 * JobStatus status = handle.status();
 * System.out.println(status.phase() + ": " + status.succeeded() + "/" + status.completions() + " done");
 * }</pre>
 *
 * @param job the job's namespace and name, as {@code namespace/name}
 * @param phase the phase, decided by the Job's conditions first
 * @param completions the pods that must succeed (the Job's {@code completions}, 1 if unset)
 * @param parallelism the pods that may run at once
 * @param active pods running or waiting to run
 * @param ready active pods that are ready
 * @param succeeded pods that succeeded
 * @param failed pods that failed
 * @param terminating pods being terminated
 * @param completedIndexes for an indexed job, the compressed list of completed indexes ({@code 0-3,7})
 * @param failedIndexes for an indexed job with per-index backoff, the failed indexes
 * @param conditions the Job's conditions, in the order the server lists them
 * @param startTime when the Job controller started the job, if it has
 * @param completionTime when the job completed, if it has
 * @param deleting whether the job is being deleted
 */
public record JobStatus(
        String job,
        Phase phase,
        int completions,
        int parallelism,
        int active,
        int ready,
        int succeeded,
        int failed,
        int terminating,
        String completedIndexes,
        String failedIndexes,
        List<Condition> conditions,
        Optional<Instant> startTime,
        Optional<Instant> completionTime,
        boolean deleting) {

    /** Where a job is in its life. */
    public enum Phase {
        /** Not started yet, or its pods wait to be scheduled or for their containers to start. */
        PENDING,
        /** Suspended, with a queue label: waiting for a queue (Kueue) to admit it. */
        QUEUED,
        /** Suspended ({@code spec.suspend: true}) and not waiting for a queue. */
        SUSPENDED,
        /** At least one pod is running and ready. */
        RUNNING,
        /** Finished with condition {@code Complete}. */
        SUCCEEDED,
        /** Finished with condition {@code Failed}. */
        FAILED;

        /** Returns whether the job has finished. */
        public boolean isTerminal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /**
     * One of the Job's conditions.
     *
     * @param type the type, such as {@code Complete}, {@code Failed}, {@code Suspended}, {@code
     *     FailureTarget}, {@code SuccessCriteriaMet}
     * @param status {@code True}, {@code False} or {@code Unknown}
     * @param reason the machine-readable reason, or empty
     * @param message the human-readable message, or empty
     * @param lastTransitionTime when the condition last changed, if known
     */
    public record Condition(
            String type, String status, String reason, String message, Optional<Instant> lastTransitionTime) {
        /** Checks the arguments. */
        public Condition {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
        }

        /** Returns whether the condition's status is {@code True}. */
        public boolean isTrue() {
            return "True".equals(status);
        }
    }

    /** Checks and copies the arguments. */
    public JobStatus {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(completedIndexes, "completedIndexes");
        Objects.requireNonNull(failedIndexes, "failedIndexes");
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(completionTime, "completionTime");
    }

    /**
     * Returns the condition of the given type, if the Job has it.
     *
     * @param type the condition type, such as {@code Complete}
     * @return the condition
     */
    public Optional<Condition> condition(String type) {
        for (Condition c : conditions) {
            if (c.type().equals(type)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Returns one line such as {@code ml/train Running: 2 active (2 ready), 1/4 succeeded, 0 failed}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(job).append(' ').append(label(phase));
        sb.append(": ").append(active).append(" active (").append(ready).append(" ready), ");
        sb.append(succeeded).append('/').append(completions).append(" succeeded, ");
        sb.append(failed).append(" failed");
        if (deleting) {
            sb.append(", being deleted");
        }
        return sb.toString();
    }

    private static String label(Phase phase) {
        String s = phase.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
