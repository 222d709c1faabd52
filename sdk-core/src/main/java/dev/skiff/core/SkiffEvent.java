package dev.skiff.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Something the {@link Skiff} client did or saw, delivered to the {@link SkiffListener}s of its
 * {@link SkiffConfig}: a submission and its result, a retried request, the circuit breaker
 * opening and closing, and the life of a submitted batch job (admitted, running, finished).
 *
 * <pre>{@code
 * SkiffListener log = event -> {
 *     if (event instanceof SkiffEvent.JobFinished f) {
 *         System.out.println(f.namespace() + "/" + f.name() + ": " + f.outcome().explanation());
 *     }
 * };
 * SkiffConfig config = SkiffConfig.builder().addListener(log).build();
 * }</pre>
 *
 * <p>New event types may be added in later versions: a listener should ignore the ones it does not
 * know.
 */
public sealed interface SkiffEvent {

    /**
     * A workload was submitted: created, or found already created with the same spec.
     *
     * @param kind the workload's kind
     * @param namespace its namespace
     * @param name its name
     * @param created {@code true} if this submission created it, {@code false} if it already existed
     */
    record Submitted(WorkloadKind kind, String namespace, String name, boolean created) implements SkiffEvent {
        /** Checks that no argument is null. */
        public Submitted {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A submission was refused; {@code submit} throws {@code error} after this event.
     *
     * @param kind the workload's kind
     * @param namespace its namespace
     * @param name its name
     * @param reason why, as a short stable word: {@code Conflict}, {@code Invalid} (the API server
     *     answered 422, or the workload broke a rule), {@code ServerVersion}, {@code
     *     ClusterUnavailable}, or the HTTP status code the server answered ({@code "403"}); {@code
     *     "0"} when no answer came
     * @param error the exception {@code submit} throws
     */
    record Refused(WorkloadKind kind, String namespace, String name, String reason, SkiffException error)
            implements SkiffEvent {
        /** Checks that no argument is null. */
        public Refused {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(error, "error");
        }

        /** Returns the refusal reason of {@code e}, as {@link #reason()} describes it. */
        static String reasonOf(SkiffException e) {
            if (e instanceof ConflictException) {
                return "Conflict";
            }
            if (e instanceof ServerVersionException) {
                return "ServerVersion";
            }
            if (e instanceof ClusterUnavailableException) {
                return "ClusterUnavailable";
            }
            if (e instanceof InvalidWorkloadException) {
                return "Invalid";
            }
            if (e instanceof SubmissionException s) {
                return s.statusCode() == 422 ? "Invalid" : String.valueOf(s.statusCode());
            }
            return e.getClass().getSimpleName();
        }
    }

    /**
     * A request failed in a way worth trying again (a {@code 429}, a {@code 5xx} or an I/O error),
     * and is about to be sent again.
     *
     * @param reason the HTTP status code that was answered ({@code "503"}), or {@code "io"}
     * @param attempt the number of the attempt that failed, from 1
     * @param backoff how long the client waits before the next attempt
     */
    record Retried(String reason, int attempt, Duration backoff) implements SkiffEvent {
        /** Checks that no argument is null. */
        public Retried {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(backoff, "backoff");
        }
    }

    /**
     * Too many calls to the API server failed: calls now fail fast with {@link
     * ClusterUnavailableException} until it answers again.
     *
     * @param server the API server's URL
     */
    record CircuitOpened(String server) implements SkiffEvent {
        /** Checks that no argument is null. */
        public CircuitOpened {
            Objects.requireNonNull(server, "server");
        }
    }

    /**
     * The API server answered again after the circuit had opened: calls go through again.
     *
     * @param server the API server's URL
     */
    record CircuitClosed(String server) implements SkiffEvent {
        /** Checks that no argument is null. */
        public CircuitClosed {
            Objects.requireNonNull(server, "server");
        }
    }

    /**
     * A batch job that was submitted suspended (by a queue such as Kueue, which holds a job
     * suspended until it has quota) was admitted: it is no longer suspended.
     *
     * @param kind the workload's kind
     * @param namespace the job's namespace
     * @param name the job's name
     * @param waited how long after this client submitted it the job was seen admitted
     */
    record JobAdmitted(WorkloadKind kind, String namespace, String name, Duration waited) implements SkiffEvent {
        /** Checks that no argument is null. */
        public JobAdmitted {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(waited, "waited");
        }
    }

    /**
     * The first pod of a batch job is running and ready (the Job's {@code status.ready} went above
     * zero), or a pod of it succeeded before one was seen ready.
     *
     * @param kind the workload's kind
     * @param namespace the job's namespace
     * @param name the job's name
     * @param sinceSubmit how long after this client submitted it the job was seen running
     */
    record JobRunning(WorkloadKind kind, String namespace, String name, Duration sinceSubmit) implements SkiffEvent {
        /** Checks that no argument is null. */
        public JobRunning {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sinceSubmit, "sinceSubmit");
        }
    }

    /**
     * A batch job this client submitted (created, or found already created) finished. Delivered
     * once per job, whether or not anyone awaits it, as long as the client is open: the client
     * follows each job it submitted until it finishes.
     *
     * @param kind the workload's kind
     * @param namespace the job's namespace
     * @param name the job's name
     * @param outcome how it ended (a {@link Outcome.Failed} here carries no pod failures: those are
     *     read only for an await)
     * @param runTime from the Job's {@code status.startTime} to its {@code completionTime}, or to
     *     when it was seen ending if it has none; empty if it never started
     * @param gpusPerPod the GPUs each pod requested ({@code nvidia.com/gpu}, {@code amd.com/gpu}
     *     and every other {@code <vendor>/gpu} limit of its containers, added
     *     up)
     * @param pods how many pods ran at once ({@code parallelism}, at most {@code completions})
     */
    record JobFinished(
            WorkloadKind kind,
            String namespace,
            String name,
            Outcome outcome,
            Optional<Duration> runTime,
            long gpusPerPod,
            int pods)
            implements SkiffEvent {
        /** Checks that no argument is null. */
        public JobFinished {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(runTime, "runTime");
        }

        /**
         * Returns the GPU-hours the job requested: GPUs per pod times pods times run time; zero
         * for a job without GPUs or that never started.
         *
         * @return GPU-hours
         */
        public double gpuHours() {
            return runTime.map(d -> gpusPerPod * pods * (d.toNanos() / 3.6e12)).orElse(0.0);
        }
    }
}
