package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The events a {@link SkiffListener} receives, against fabric8's CRUD mock server (no controllers:
 * the test writes the Job's status itself) and against calls that fail.
 */
@EnableKubernetesMockClient(crud = true)
class SkiffEventsTest {
    KubernetesClient client;

    private final List<SkiffEvent> events = new CopyOnWriteArrayList<>();

    /** Asks for two GPUs per container, as the GPU traits do. */
    static final Trait TWO_GPUS = context -> context.containers().forEach(c -> {
        if (c.getResources() == null) {
            c.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirements());
        }
        if (c.getResources().getLimits() == null) {
            c.getResources().setLimits(new java.util.LinkedHashMap<>());
        }
        c.getResources().getLimits().put("nvidia.com/gpu", new Quantity("2"));
    });

    static BatchJob job(String name) {
        return BatchJob.builder()
                .name(name)
                .namespace("ml")
                .container(Container.of("ghcr.io/acme/trainer:1.4"))
                .build();
    }

    /** A scheduled job: submitting it opens no watch, so a test can close the client at once. */
    static ScheduledJob nightly(String name, String schedule) {
        return ScheduledJob.builder().job(job(name)).schedule(schedule).build();
    }

    private Skiff skiff() {
        return Skiff.using(
                client, SkiffConfig.builder().addListener(events::add).build());
    }

    @Test
    void aJobsLifeIsReportedOnceFromSubmissionToItsOutcome() throws Exception {
        try (Skiff skiff = skiff()) {
            BatchJob job = job("train").toBuilder()
                    .suspend(true)
                    .parallelism(3)
                    .completions(3)
                    .addTrait(TWO_GPUS)
                    .build();
            skiff.submit(job);
            skiff.submit(job);
            assertThat(events)
                    .containsExactly(
                            new SkiffEvent.Submitted(WorkloadKind.BATCH_JOB, "ml", "train", true),
                            new SkiffEvent.Submitted(WorkloadKind.BATCH_JOB, "ml", "train", false));

            skiff.job("ml", "train").resume();
            SkiffEvent.JobAdmitted admitted = awaitEvent(SkiffEvent.JobAdmitted.class);
            assertThat(admitted.name()).isEqualTo("train");
            assertThat(admitted.waited()).isPositive();

            writeStatus("train", 2, 0, null);
            SkiffEvent.JobRunning running = awaitEvent(SkiffEvent.JobRunning.class);
            assertThat(running.sinceSubmit()).isGreaterThanOrEqualTo(admitted.waited());

            writeStatus("train", 0, 3, "Complete");
            SkiffEvent.JobFinished finished = awaitEvent(SkiffEvent.JobFinished.class);
            assertThat(finished.outcome()).isEqualTo(new Outcome.Succeeded("ml/train", 3));
            assertThat(finished.runTime()).contains(Duration.ofMinutes(30));
            assertThat(finished.gpusPerPod()).isEqualTo(2);
            assertThat(finished.pods()).isEqualTo(3);
            assertThat(finished.gpuHours()).isEqualTo(3.0); // 2 GPUs x 3 pods x half an hour

            Thread.sleep(200); // a late duplicate would show here
            assertThat(events)
                    .filteredOn(e -> !(e instanceof SkiffEvent.Submitted))
                    .hasSize(3);
        }
    }

    @Test
    void aRefusalNamesItsReasonBeforeSubmitThrows() {
        try (Skiff skiff = skiff()) {
            skiff.submit(nightly("clash", "0 2 * * *"));
            assertThatThrownBy(() -> skiff.submit(nightly("clash", "0 3 * * *")))
                    .isInstanceOf(ConflictException.class);
            SkiffEvent last = events.get(events.size() - 1);
            assertThat(last).isInstanceOfSatisfying(SkiffEvent.Refused.class, r -> {
                assertThat(r.reason()).isEqualTo("Conflict");
                assertThat(r.name()).isEqualTo("clash");
                assertThat(r.kind()).isEqualTo(WorkloadKind.SCHEDULED_JOB);
                assertThat(r.error()).isInstanceOf(ConflictException.class);
            });
        }
    }

    @Test
    void refusalReasonsAreShortStableWords() {
        assertThat(SkiffEvent.Refused.reasonOf(new SubmissionException("no", 422, null)))
                .isEqualTo("Invalid");
        assertThat(SkiffEvent.Refused.reasonOf(new SubmissionException("no", 403, null)))
                .isEqualTo("403");
        assertThat(SkiffEvent.Refused.reasonOf(new ClusterUnavailableException("down", null)))
                .isEqualTo("ClusterUnavailable");
        assertThat(SkiffEvent.Refused.reasonOf(
                        new ServerVersionException("Job ml/x", "spec.podFailurePolicy", "1.31", "1.29")))
                .isEqualTo("ServerVersion");
    }

    @Test
    void retriesAndTheCircuitAreReported() throws Exception {
        SkiffConfig config = SkiffConfig.builder()
                .retry(RetryPolicy.exponential(3, Duration.ofMillis(1), Duration.ofMillis(2)))
                .circuitBreaker(new CircuitBreakerPolicy(50, 4, 4, Duration.ofMillis(100)))
                .addListener(events::add)
                .build();
        ApiCalls calls = new ApiCalls(config, "https://api.example:6443", new Events(config.listeners()));
        AtomicInteger attempts = new AtomicInteger();
        calls.call("op", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw ClientPoliciesTest.status(503, null);
            }
            return "ok";
        });
        assertThat(events).singleElement().isInstanceOfSatisfying(SkiffEvent.Retried.class, r -> {
            assertThat(r.reason()).isEqualTo("503");
            assertThat(r.attempt()).isEqualTo(1);
        });

        events.clear();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> calls.call("op", () -> {
                        throw new KubernetesClientException("reset", new java.io.IOException("reset"));
                    }))
                    .isInstanceOf(KubernetesClientException.class);
        }
        assertThat(events)
                .filteredOn(SkiffEvent.Retried.class::isInstance)
                .extracting(e -> ((SkiffEvent.Retried) e).reason())
                .containsOnly("io")
                .hasSize(6);
        assertThat(events).contains(new SkiffEvent.CircuitOpened("https://api.example:6443"));

        Thread.sleep(150);
        for (int i = 0; i < 3; i++) {
            calls.call("op", () -> "back");
        }
        assertThat(events.get(events.size() - 1)).isEqualTo(new SkiffEvent.CircuitClosed("https://api.example:6443"));
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheClient() {
        try (Skiff skiff = Skiff.using(
                client,
                SkiffConfig.builder()
                        .addListener(e -> {
                            throw new IllegalStateException("broken listener");
                        })
                        .addListener(events::add)
                        .build())) {
            skiff.submit(nightly("sturdy", "0 2 * * *"));
            assertThat(events).hasSize(1);
        }
    }

    private <T extends SkiffEvent> T awaitEvent(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (SkiffEvent e : events) {
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 10 s; got " + events);
    }

    /** Writes the Job's status: ready pods, succeeded pods, and a terminal condition if given. */
    private void writeStatus(String name, int ready, int succeeded, String terminal) {
        Job job = client.batch().v1().jobs().inNamespace("ml").withName(name).get();
        JobStatus status = new JobStatus();
        status.setReady(ready);
        status.setSucceeded(succeeded);
        status.setStartTime("2026-01-01T10:00:00Z");
        if (terminal != null) {
            JobCondition condition = new JobCondition();
            condition.setType(terminal);
            condition.setStatus("True");
            condition.setLastTransitionTime("2026-01-01T10:30:00Z");
            status.setConditions(List.of(condition));
            status.setCompletionTime("2026-01-01T10:30:00Z");
        }
        job.setStatus(status);
        client.batch().v1().jobs().inNamespace("ml").resource(job).updateStatus();
    }
}
