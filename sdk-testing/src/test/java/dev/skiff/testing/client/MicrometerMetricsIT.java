package dev.skiff.testing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.skiff.core.BatchJob;
import dev.skiff.core.CircuitBreakerPolicy;
import dev.skiff.core.ClusterUnavailableException;
import dev.skiff.core.ConflictException;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.MicrometerMetrics;
import dev.skiff.core.Outcome;
import dev.skiff.core.RetryPolicy;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffConfig;
import dev.skiff.core.SubmissionException;
import dev.skiff.core.Trait;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.FaultRule;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Skiff's Micrometer metrics against the in-memory cluster: one run that submits, refuses,
 * retries, opens and closes the circuit, and takes jobs to every outcome, then checks every meter
 * {@link MicrometerMetrics} documents.
 */
class MicrometerMetricsIT {
    private static final String NS = "default";
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final Duration OPEN_FOR = Duration.ofMillis(300);

    /** Asks for one GPU per pod, as the GPU traits do. */
    private static final Trait ONE_GPU = context -> context.containers().forEach(c -> {
        if (c.getResources() == null) {
            c.setResources(new ResourceRequirements());
        }
        if (c.getResources().getLimits() == null) {
            c.getResources().setLimits(new LinkedHashMap<>());
        }
        c.getResources().getLimits().put("nvidia.com/gpu", new Quantity("1"));
    });

    private InMemoryCluster cluster;
    private Skiff skiff;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1"))
                .node(FakeNode.named("gpu-1").withGpus(2, "NVIDIA-H100-80GB-HBM3"))
                .seed(5)
                .start();
        skiff = Skiff.using(
                cluster.kubernetesClient(),
                SkiffConfig.builder()
                        .retry(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(5)))
                        .circuitBreaker(new CircuitBreakerPolicy(50, 4, 4, OPEN_FOR))
                        .addListener(MicrometerMetrics.bind(registry))
                        .build());
    }

    @AfterEach
    void stop() {
        skiff.close();
        cluster.close();
    }

    private static BatchJob job(String name) {
        return BatchJob.builder()
                .name(name)
                .namespace(NS)
                .backoffLimit(0)
                .container(Container.of("busybox:1.36"))
                .build();
    }

    private void script(String job, PodScript script) {
        cluster.onPods("batch.kubernetes.io/job-name=" + job, script);
    }

    @Test
    void everyMeterIsRecorded() throws Exception {
        // a GPU job, created after one retried 503; then the same spec again, and a conflicting one
        script("train", PodScript.succeedAfter(Duration.ofMinutes(30)));
        cluster.injectFault(FaultRule.on("create", "jobs").respond(503).times(1));
        BatchJob train = job("train").toBuilder()
                .parallelism(2)
                .completions(2)
                .addTrait(ONE_GPU)
                .build();
        JobHandle trainHandle = skiff.submit(train);
        skiff.submit(train);
        assertThatThrownBy(() -> skiff.submit(train.toBuilder().parallelism(1).build()))
                .isInstanceOf(ConflictException.class);
        cluster.advanceUntilIdle(Duration.ofHours(1));
        assertThat(trainHandle.await(AWAIT)).isInstanceOf(Outcome.Succeeded.class);

        // a job that fails, one that runs out of time, one cancelled, one held suspended until resumed
        script("crash", PodScript.failAfter(Duration.ofSeconds(5), 3));
        JobHandle crash = skiff.submit(job("crash"));
        cluster.advanceUntilIdle(Duration.ofMinutes(5));
        assertThat(crash.await(AWAIT)).isInstanceOf(Outcome.Failed.class);

        script("slow", PodScript.runForever());
        JobHandle slow = skiff.submit(
                job("slow").toBuilder().activeDeadline(Duration.ofMinutes(1)).build());
        cluster.advanceClock(Duration.ofMinutes(2));
        assertThat(slow.await(AWAIT)).isInstanceOf(Outcome.DeadlineExceeded.class);

        script("doomed", PodScript.runForever());
        JobHandle doomed = skiff.submit(job("doomed"));
        cluster.advanceClock(Duration.ofSeconds(10));
        doomed.cancel(); // nobody awaits it: its outcome is reported all the same

        script("queued", PodScript.succeedAfter(Duration.ofMinutes(1)));
        JobHandle queued = skiff.submit(job("queued").toBuilder().suspend(true).build());
        cluster.advanceClock(Duration.ofMinutes(1));
        queued.resume();
        cluster.advanceUntilIdle(Duration.ofMinutes(5));
        assertThat(queued.await(AWAIT)).isInstanceOf(Outcome.Succeeded.class);

        // refusals the server answers
        cluster.injectFault(FaultRule.on("create", "jobs").respond(403).times(1));
        assertThatThrownBy(() -> skiff.submit(job("forbidden"))).isInstanceOf(SubmissionException.class);
        cluster.injectFault(FaultRule.on("create", "jobs").respond(422).times(1));
        assertThatThrownBy(() -> skiff.submit(job("invalid"))).isInstanceOf(SubmissionException.class);

        // an outage: failed submissions (each retried once) open the circuit; the next is not sent
        cluster.injectFault(FaultRule.on("create", "jobs").respond(503));
        int failedInOutage = 0;
        while (true) {
            try {
                skiff.submit(job("outage"));
                throw new AssertionError("submitted during the outage");
            } catch (ClusterUnavailableException e) {
                break;
            } catch (SubmissionException e) {
                assertThat(e.statusCode()).isEqualTo(503);
                failedInOutage++;
                assertThat(failedInOutage)
                        .as("submissions before the circuit opened")
                        .isLessThanOrEqualTo(4);
            }
        }
        cluster.clearFaults();
        assertThat(failedInOutage).isPositive();
        Thread.sleep(OPEN_FOR.toMillis() + 100);
        for (int i = 0; i < 3; i++) {
            skiff.jobs(NS, Map.of()); // trial calls that succeed close it again
        }

        eventually(() -> assertThat(count("skiff.jobs.outcomes")).isEqualTo(5));

        assertThat(counters("skiff.submissions", "result"))
                .containsOnly(
                        Map.entry("created", 5.0),
                        Map.entry("existing", 1.0),
                        Map.entry("refused", 4.0 + failedInOutage));
        assertThat(counters("skiff.submissions.refused", "reason"))
                .containsOnly(
                        Map.entry("Conflict", 1.0),
                        Map.entry("403", 1.0),
                        Map.entry("Invalid", 1.0),
                        Map.entry("503", (double) failedInOutage),
                        Map.entry("ClusterUnavailable", 1.0));
        assertThat(counters("skiff.requests.retries", "reason")).containsOnly(Map.entry("503", 1.0 + failedInOutage));
        assertThat(counters("skiff.requests.circuit.transitions", "state"))
                .containsOnly(Map.entry("open", 1.0), Map.entry("closed", 1.0));
        assertThat(counters("skiff.jobs.outcomes", "reason"))
                .containsOnly(
                        Map.entry("Succeeded", 2.0),
                        Map.entry("BackoffLimitExceeded", 1.0),
                        Map.entry("DeadlineExceeded", 1.0),
                        Map.entry("Cancelled", 1.0));
        assertThat(counters("skiff.jobs.outcomes", "outcome"))
                .containsOnly(
                        Map.entry("Succeeded", 2.0),
                        Map.entry("Failed", 1.0),
                        Map.entry("DeadlineExceeded", 1.0),
                        Map.entry("Cancelled", 1.0));

        // every job meter carries the namespace and the workload kind
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            if (name.startsWith("skiff.jobs.") || name.startsWith("skiff.submissions")) {
                assertThat(meter.getId().getTag("namespace")).as(name).isEqualTo(NS);
                assertThat(meter.getId().getTag("kind")).as(name).isEqualTo("batch-job");
            }
        }

        assertThat(registry.get("skiff.jobs.time.to.admission").timer().count()).isEqualTo(1);
        assertThat(registry.get("skiff.jobs.time.to.admission").timer().totalTime(TimeUnit.NANOSECONDS))
                .isPositive();
        // every job had a pod running (train and queued surely: they succeeded); none twice
        assertThat(registry.get("skiff.jobs.time.to.running").timer().count()).isBetween(2L, 5L);

        // run time: by the cluster's clock, from each Job's start to its end
        Duration trainRun = runTime("train");
        assertThat(trainRun).isBetween(Duration.ofMinutes(30), Duration.ofMinutes(31));
        assertThat(registry.get("skiff.jobs.run.time").timer().max(TimeUnit.SECONDS))
                .isEqualTo(trainRun.toSeconds(), within(0.001));
        assertThat(registry.get("skiff.jobs.run.time").timer().count()).isGreaterThanOrEqualTo(3);

        // only train asked for GPUs: 1 GPU x 2 pods x its run time
        assertThat(registry.get("skiff.jobs.gpu.hours").counter().count())
                .isEqualTo(2 * trainRun.toSeconds() / 3600.0, within(1e-9));
        assertThat(registry.get("skiff.jobs.gpu.hours").counter().getId().getBaseUnit())
                .isEqualTo("hours");
    }

    private Duration runTime(String name) {
        Job job = cluster.kubernetesClient()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withName(name)
                .get();
        return Duration.between(
                Instant.parse(job.getStatus().getStartTime()),
                Instant.parse(job.getStatus().getCompletionTime()));
    }

    private double count(String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** The counters called {@code name}, by the value of their {@code tag}, added up. */
    private Map<String, Double> counters(String name, String tag) {
        return registry.find(name).counters().stream()
                .collect(Collectors.groupingBy(c -> c.getId().getTag(tag), Collectors.summingDouble(c -> c.count())));
    }

    private static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
