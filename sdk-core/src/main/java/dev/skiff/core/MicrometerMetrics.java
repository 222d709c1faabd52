package dev.skiff.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * Skiff's own metrics, recorded in a Micrometer {@link MeterRegistry}.
 *
 * <p>Micrometer is an optional dependency of Skiff: add {@code io.micrometer:micrometer-core} to
 * use this class. Nothing else in Skiff refers to it, so without it on the class path, and
 * whenever {@link #bind} is not called, no Micrometer class is loaded.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry(); // or your Prometheus registry
 * try (Skiff skiff = Skiff.connect(SkiffConfig.builder()
 *         .addListener(MicrometerMetrics.bind(registry))
 *         .build())) {
 *     skiff.submit(job).await(Duration.ofHours(1));
 * }
 * double gpuHours = registry.get("skiff.jobs.gpu.hours").counter().count();
 * }</pre>
 *
 * <h2>Meters</h2>
 * Tags {@code namespace} and {@code kind} (the workload kind: {@code batch-job}, {@code session},
 * {@code scheduled-job}) are on every meter but the two about requests.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>More tags</th><th>Counts</th></tr>
 *   <tr><td>{@code skiff.submissions}</td><td>counter</td><td>{@code result}: {@code created},
 *       {@code existing}, {@code refused}</td><td>submissions</td></tr>
 *   <tr><td>{@code skiff.submissions.refused}</td><td>counter</td><td>{@code reason}: {@code
 *       Conflict}, {@code Invalid}, {@code ServerVersion}, {@code ClusterUnavailable}, or the HTTP
 *       status code</td><td>refused submissions</td></tr>
 *   <tr><td>{@code skiff.requests.retries}</td><td>counter</td><td>only {@code reason}: the HTTP
 *       status code, or {@code io}</td><td>requests sent again</td></tr>
 *   <tr><td>{@code skiff.requests.circuit.transitions}</td><td>counter</td><td>only {@code
 *       state}: {@code open}, {@code closed}</td><td>circuit breaker changes</td></tr>
 *   <tr><td>{@code skiff.jobs.outcomes}</td><td>counter</td><td>{@code outcome}: {@code
 *       Succeeded}, {@code Failed}, {@code DeadlineExceeded}, {@code Cancelled}; {@code reason}:
 *       the failure's reason ({@code BackoffLimitExceeded}, ...), else the outcome</td><td>finished
 *       batch jobs</td></tr>
 *   <tr><td>{@code skiff.jobs.time.to.admission}</td><td>timer</td><td></td><td>submit to admission
 *       of a job submitted suspended (Kueue)</td></tr>
 *   <tr><td>{@code skiff.jobs.time.to.running}</td><td>timer</td><td></td><td>submit to the first
 *       pod running and ready</td></tr>
 *   <tr><td>{@code skiff.jobs.run.time}</td><td>timer</td><td></td><td>the Job's start to its
 *       completion</td></tr>
 *   <tr><td>{@code skiff.jobs.gpu.hours}</td><td>counter</td><td></td><td>GPU-hours requested: GPUs
 *       per pod &times; pods &times; run time</td></tr>
 * </table>
 *
 * <p>Batch job meters are recorded for the jobs a {@code Skiff} client submitted, while it is
 * open. The listener is thread-safe.
 */
public final class MicrometerMetrics {
    private MicrometerMetrics() {}

    /**
     * Returns a listener that records Skiff's metrics in {@code registry}; pass it to {@link
     * SkiffConfig.Builder#addListener(SkiffListener)}.
     *
     * @param registry the registry to record in
     * @return the listener
     */
    public static SkiffListener bind(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new Recorder(registry);
    }

    private static final class Recorder implements SkiffListener {
        private final MeterRegistry registry;

        Recorder(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void onEvent(SkiffEvent event) {
            if (event instanceof SkiffEvent.Submitted s) {
                submission(s.kind(), s.namespace(), s.created() ? "created" : "existing");
            } else if (event instanceof SkiffEvent.Refused r) {
                submission(r.kind(), r.namespace(), "refused");
                Counter.builder("skiff.submissions.refused")
                        .description("Submissions refused, by reason")
                        .tags(workload(r.kind(), r.namespace()).and("reason", r.reason()))
                        .register(registry)
                        .increment();
            } else if (event instanceof SkiffEvent.Retried r) {
                Counter.builder("skiff.requests.retries")
                        .description("Requests to the API server sent again after a retryable failure")
                        .tag("reason", r.reason())
                        .register(registry)
                        .increment();
            } else if (event instanceof SkiffEvent.CircuitOpened) {
                circuit("open");
            } else if (event instanceof SkiffEvent.CircuitClosed) {
                circuit("closed");
            } else if (event instanceof SkiffEvent.JobAdmitted a) {
                timer(
                                "skiff.jobs.time.to.admission",
                                "Time from submission to admission of a suspended job",
                                a.kind(),
                                a.namespace())
                        .record(a.waited());
            } else if (event instanceof SkiffEvent.JobRunning r) {
                timer(
                                "skiff.jobs.time.to.running",
                                "Time from submission to the first pod running",
                                r.kind(),
                                r.namespace())
                        .record(r.sinceSubmit());
            } else if (event instanceof SkiffEvent.JobFinished f) {
                finished(f);
            }
        }

        private void finished(SkiffEvent.JobFinished f) {
            String outcome = f.outcome().getClass().getSimpleName();
            String reason = f.outcome() instanceof Outcome.Failed failed ? failed.reason() : outcome;
            Counter.builder("skiff.jobs.outcomes")
                    .description("Finished batch jobs, by outcome")
                    .tags(workload(f.kind(), f.namespace()).and("outcome", outcome, "reason", reason))
                    .register(registry)
                    .increment();
            Duration runTime = f.runTime().orElse(null);
            if (runTime != null) {
                timer("skiff.jobs.run.time", "Time from a job's start to its completion", f.kind(), f.namespace())
                        .record(runTime);
            }
            Counter.builder("skiff.jobs.gpu.hours")
                    .description("GPU-hours requested: GPUs per pod times pods times run time")
                    .baseUnit("hours")
                    .tags(workload(f.kind(), f.namespace()))
                    .register(registry)
                    .increment(f.gpuHours());
        }

        private void submission(WorkloadKind kind, String namespace, String result) {
            Counter.builder("skiff.submissions")
                    .description("Workloads submitted, by result")
                    .tags(workload(kind, namespace).and("result", result))
                    .register(registry)
                    .increment();
        }

        private void circuit(String state) {
            Counter.builder("skiff.requests.circuit.transitions")
                    .description("Times the circuit breaker in front of the API server opened or closed")
                    .tag("state", state)
                    .register(registry)
                    .increment();
        }

        private Timer timer(String name, String description, WorkloadKind kind, String namespace) {
            return Timer.builder(name)
                    .description(description)
                    .tags(workload(kind, namespace))
                    .register(registry);
        }

        private static Tags workload(WorkloadKind kind, String namespace) {
            return Tags.of("namespace", namespace, "kind", kind.component());
        }
    }
}
