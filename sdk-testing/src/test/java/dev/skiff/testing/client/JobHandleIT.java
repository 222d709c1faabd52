package dev.skiff.testing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.AwaitTimeoutException;
import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Diagnosis;
import dev.skiff.core.EnvVar;
import dev.skiff.core.JobHandle;
import dev.skiff.core.JobStatus;
import dev.skiff.core.LogLine;
import dev.skiff.core.NotFoundException;
import dev.skiff.core.Outcome;
import dev.skiff.core.PodFailure;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffConfig;
import dev.skiff.core.StuckJobPolicy;
import dev.skiff.core.Subscription;
import dev.skiff.core.WorkloadEvent;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JobHandle} end to end on the in-memory cluster: status, outcomes, diagnosis, logs, control. */
class JobHandleIT {
    private InMemoryCluster cluster;
    private Skiff skiff;

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1"))
                .node(FakeNode.named("gpu-1").withGpus(2, "NVIDIA-H100-80GB-HBM3"))
                .seed(3)
                .start();
        skiff = cluster.skiff();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static BatchJob job(String name) {
        return BatchJob.builder()
                .name(name)
                .namespace("default")
                .container(Container.of("busybox:1.36"))
                .build();
    }

    private void script(String job, PodScript script) {
        cluster.onPods("batch.kubernetes.io/job-name=" + job, script);
    }

    @Test
    void aJobThatSucceedsEndsSucceededWithItsPodCount() {
        BatchJob job = job("ok").toBuilder().parallelism(3).completions(3).build();
        Outcome outcome = skiff.submit(job).await(Duration.ofSeconds(30));
        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        assertThat(((Outcome.Succeeded) outcome).succeededPods()).isEqualTo(3);
        JobStatus status = skiff.job("default", "ok").status();
        assertThat(status.phase()).isEqualTo(JobStatus.Phase.SUCCEEDED);
        assertThat(status.succeeded()).isEqualTo(3);
        assertThat(status.completions()).isEqualTo(3);
        assertThat(status.condition("Complete"))
                .hasValueSatisfying(c -> assertThat(c.isTrue()).isTrue());
    }

    @Test
    void aFailedJobCarriesExitCodesReasonsAndLogTails() {
        script("crash", PodScript.failAfter(Duration.ofSeconds(5), 3).withLogs("loading data", "boom: disk full"));
        JobHandle handle = skiff.submit(job("crash").toBuilder().backoffLimit(0).build());
        cluster.advanceUntilIdle(Duration.ofMinutes(5));
        Outcome outcome = handle.await(Duration.ofSeconds(30));
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.reason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.podFailures()).hasSize(1);
        PodFailure f = failed.podFailures().get(0);
        assertThat(f.exitCode()).isEqualTo(3);
        assertThat(f.container()).isEqualTo("busybox");
        assertThat(f.logTail()).containsExactly("loading data", "boom: disk full");
        assertThat(failed.exitCodes()).containsExactly(3);
        assertThat(failed.explanation())
                .contains("BackoffLimitExceeded")
                .contains("exit 3")
                .contains("| boom: disk full");
    }

    @Test
    void anOomKilledPodIsReportedAsSuch() {
        script("oom", PodScript.oomKilledAfter(Duration.ofSeconds(2)));
        JobHandle handle = skiff.submit(job("oom").toBuilder().backoffLimit(0).build());
        cluster.advanceUntilIdle(Duration.ofMinutes(5));
        Outcome.Failed failed = (Outcome.Failed) handle.await(Duration.ofSeconds(30));
        assertThat(failed.podFailures()).singleElement().satisfies(f -> {
            assertThat(f.exitCode()).isEqualTo(137);
            assertThat(f.reason()).isEqualTo("OOMKilled");
        });
    }

    @Test
    void aDeadlineEndsAsDeadlineExceeded() {
        script("slow", PodScript.runForever());
        JobHandle handle = skiff.submit(
                job("slow").toBuilder().activeDeadline(Duration.ofMinutes(1)).build());
        cluster.advanceClock(Duration.ofMinutes(2));
        assertThat(handle.await(Duration.ofSeconds(30))).isInstanceOf(Outcome.DeadlineExceeded.class);
    }

    @Test
    void awaitAsyncAndWatchFollowAJobToItsEnd() throws Exception {
        script("watched", PodScript.succeedAfter(Duration.ofMinutes(1)));
        JobHandle handle = skiff.submit(
                job("watched").toBuilder().parallelism(2).completions(2).build());
        List<JobStatus> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = handle.watch(seen::add);
        CompletableFuture<Outcome> future = handle.awaitAsync();
        waitUntil(() -> seen.stream().anyMatch(s -> s.phase() == JobStatus.Phase.RUNNING));
        assertThat(future).isNotDone();
        assertThat(handle.status().phase()).isEqualTo(JobStatus.Phase.RUNNING);
        cluster.advanceClock(Duration.ofMinutes(2));
        assertThat(future.get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
        waitUntil(() -> !seen.isEmpty() && seen.get(seen.size() - 1).phase() == JobStatus.Phase.SUCCEEDED);
        assertThat(seen).extracting(JobStatus::phase).startsWith(seen.get(0).phase());
        assertThat(seen).extracting(JobStatus::phase).contains(JobStatus.Phase.RUNNING);
        subscription.close();
        subscription.close(); // twice is fine
    }

    @Test
    void awaitThatTimesOutCarriesTheLastStatus() {
        script("forever", PodScript.runForever());
        JobHandle handle = skiff.submit(job("forever"));
        assertThatThrownBy(() -> handle.await(Duration.ofMillis(300)))
                .isInstanceOf(AwaitTimeoutException.class)
                .hasMessageContaining("default/forever did not finish within PT0.3S")
                .satisfies(e -> assertThat(((AwaitTimeoutException) e).lastStatus())
                        .hasValueSatisfying(s -> assertThat(s.phase()).isEqualTo(JobStatus.Phase.RUNNING)));
    }

    @Test
    void awaitingAJobThatDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> skiff.job("default", "ghost").await(Duration.ofSeconds(5)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("default/ghost");
    }

    @Test
    void cancelEndsTheWaitAsCancelledAndRemovesThePods() throws Exception {
        script("doomed", PodScript.runForever());
        JobHandle handle = skiff.submit(job("doomed"));
        CompletableFuture<Outcome> outcome = handle.awaitAsync();
        waitUntil(() -> handle.status().phase() == JobStatus.Phase.RUNNING);
        handle.cancel();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
        cluster.advanceUntilIdle(Duration.ofMinutes(1));
        waitUntil(() -> cluster.kubernetesClient()
                .pods()
                .inNamespace("default")
                .withLabel("batch.kubernetes.io/job-name", "doomed")
                .list()
                .getItems()
                .isEmpty());
        handle.cancel(); // cancelling a deleted job does nothing
    }

    @Test
    void cancelAndWaitReturnsOnceTheJobIsGone() {
        script("fg", PodScript.runForever());
        JobHandle handle = skiff.submit(job("fg"));
        waitUntil(() -> handle.status().phase() == JobStatus.Phase.RUNNING);
        Thread clock = new Thread(() -> cluster.advanceUntilIdle(Duration.ofMinutes(1)));
        handle.cancelAndWait(Duration.ofSeconds(30));
        assertThat(cluster.kubernetesClient()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .withName("fg")
                        .get())
                .isNull();
        clock.start();
    }

    @Test
    void suspendAndResume() {
        script("paused", PodScript.succeedAfter(Duration.ofMinutes(1)));
        JobHandle handle = skiff.submit(job("paused"));
        waitUntil(() -> handle.status().phase() == JobStatus.Phase.RUNNING);
        handle.suspend();
        waitUntil(() -> handle.status().phase() == JobStatus.Phase.SUSPENDED);
        assertThat(handle.diagnose().primary().kind()).isEqualTo(Diagnosis.Kind.SUSPENDED);
        handle.resume();
        waitUntil(() -> handle.status().phase() != JobStatus.Phase.SUSPENDED);
        cluster.advanceClock(Duration.ofMinutes(2));
        assertThat(handle.await(Duration.ofSeconds(30))).isInstanceOf(Outcome.Succeeded.class);
    }

    @Test
    void aQueuedJobWaitsForItsQueue() {
        JobHandle handle = skiff.submit(job("queued").toBuilder()
                .suspend(true)
                .putLabel("kueue.x-k8s.io/queue-name", "team-a")
                .build());
        assertThat(handle.status().phase()).isEqualTo(JobStatus.Phase.QUEUED);
        Diagnosis d = handle.diagnose();
        assertThat(d.primary().kind()).isEqualTo(Diagnosis.Kind.WAITING_FOR_QUEUE);
        assertThat(d.primary().message()).contains("team-a");
        assertThat(d.isStuck()).isFalse();
    }

    @Test
    void diagnoseSaysWhyAJobCannotBeScheduled() {
        JobHandle handle = skiff.submit(job("greedy").toBuilder()
                .container(Container.of("trainer:1").withResources(Resources.cpu("100")))
                .build());
        waitUntil(() -> handle.diagnose().has(Diagnosis.Kind.UNSCHEDULABLE));
        Diagnosis d = handle.diagnose();
        assertThat(d.phase()).isEqualTo(JobStatus.Phase.PENDING);
        assertThat(d.isStuck()).isTrue();
        Diagnosis.Finding f = d.primary();
        assertThat(f.kind()).isEqualTo(Diagnosis.Kind.UNSCHEDULABLE);
        assertThat(f.message()).startsWith("0/2 nodes are available");
        assertThat(f.nodeReasons()).containsEntry("Insufficient cpu", 2);
        assertThat(f.subject()).startsWith("pod greedy-");
        assertThat(handle.events()).extracting(WorkloadEvent::reason).contains("FailedScheduling");
    }

    @Test
    void diagnoseFindsAnImageThatDoesNotPullAndTheStuckPolicyFailsTheWait() {
        script("badimage", PodScript.imagePullFailure());
        try (Skiff strict = Skiff.using(
                cluster.kubernetesClient(),
                SkiffConfig.builder()
                        .stuckJobPolicy(StuckJobPolicy.failAfter(Duration.ZERO))
                        .build())) {
            JobHandle handle = strict.submit(job("badimage"));
            Outcome outcome = handle.await(Duration.ofSeconds(30));
            assertThat(outcome).isInstanceOf(Outcome.Failed.class);
            assertThat(((Outcome.Failed) outcome).reason()).isEqualTo("Stuck");
            assertThat(outcome.explanation()).contains("cannot pull image busybox:1.36");
            assertThat(handle.diagnose().primary().kind()).isEqualTo(Diagnosis.Kind.IMAGE_PULL_FAILED);
            // FAIL leaves the job in place
            assertThat(handle.status().phase()).isEqualTo(JobStatus.Phase.PENDING);
        }
    }

    @Test
    void theCancelPolicyDeletesAStuckJob() {
        script("badimage2", PodScript.imagePullFailure());
        try (Skiff strict = Skiff.using(
                cluster.kubernetesClient(),
                SkiffConfig.builder()
                        .stuckJobPolicy(StuckJobPolicy.cancelAfter(Duration.ZERO))
                        .build())) {
            JobHandle handle = strict.submit(job("badimage2"));
            Outcome outcome = handle.await(Duration.ofSeconds(30));
            assertThat(((Outcome.Failed) outcome).reason()).isEqualTo("Stuck");
            assertThat(outcome.explanation()).contains("the job was deleted");
            waitUntil(() -> cluster.kubernetesClient()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace("default")
                            .withName("badimage2")
                            .get()
                    == null);
        }
    }

    @Test
    void diagnoseNamesAMissingSecret() {
        JobHandle handle = skiff.submit(job("nosecret").toBuilder()
                .container(Container.of("trainer:1").withEnv(EnvVar.fromSecret("HF_TOKEN", "hf-token", "token")))
                .build());
        waitUntil(() -> handle.diagnose().has(Diagnosis.Kind.MISSING_SECRET));
        Diagnosis.Finding f =
                handle.diagnose().first(Diagnosis.Kind.MISSING_SECRET).orElseThrow();
        assertThat(f.missingObject()).hasValue("hf-token");
        assertThat(f.message()).contains("CreateContainerConfigError");
    }

    @Test
    void logsPerIndexAndPrefixedWhenMultiplexed() {
        script("indexed", PodScript.succeedAfter(Duration.ofSeconds(1)).withLogs("epoch 1", "epoch 2"));
        JobHandle handle = skiff.submit(job("indexed").toBuilder()
                .completions(3)
                .parallelism(3)
                .indexed(true)
                .build());
        cluster.advanceUntilIdle(Duration.ofMinutes(1));
        handle.await(Duration.ofSeconds(30));
        List<LogLine> lines = handle.logs().lines();
        assertThat(lines).hasSize(6);
        assertThat(lines).extracting(l -> l.index().getAsInt()).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(handle.logs().index(1).lines()).extracting(LogLine::text).containsExactly("epoch 1", "epoch 2");
        assertThat(handle.logs().index(2).tail(1).lines())
                .extracting(LogLine::text)
                .containsExactly("epoch 2");
        assertThat(handle.logs().text()).startsWith("[0] epoch 1\n[0] epoch 2\n[1] epoch 1\n");
        assertThat(handle.logs().index(0).text()).isEqualTo("epoch 1\nepoch 2\n");
        assertThat(handle.logs().container("sidecar").lines()).isEmpty();
    }

    @Test
    void followingLogsDeliversEveryLineAndEndsWithTheJob() throws Exception {
        script("chatty", PodScript.succeedAfter(Duration.ofSeconds(30)).withLogs("a", "b", "c"));
        JobHandle handle = skiff.submit(job("chatty").toBuilder()
                .completions(2)
                .parallelism(2)
                .indexed(true)
                .build());
        List<LogLine> got = new CopyOnWriteArrayList<>();
        try (Subscription s = handle.logs().follow(got::add)) {
            cluster.advanceClock(Duration.ofMinutes(1));
            handle.await(Duration.ofSeconds(30));
            waitUntil(() -> got.size() == 6);
        }
        assertThat(got).extracting(LogLine::prefixed).contains("[0] a", "[0] c", "[1] b");
    }

    @Test
    void followingLogsGoesOnWithReplacementPods() throws Exception {
        script("retried", PodScript.failAfter(Duration.ofSeconds(5), 1).withLogs("attempt"));
        JobHandle handle = skiff.submit(job("retried").toBuilder()
                .backoffLimitPerIndex(2)
                .completions(1)
                .indexed(true)
                .build());
        List<LogLine> got = new CopyOnWriteArrayList<>();
        try (Subscription s = handle.logs().index(0).follow(got::add)) {
            cluster.advanceUntilIdle(Duration.ofMinutes(10));
            assertThat(handle.await(Duration.ofSeconds(30))).isInstanceOf(Outcome.Failed.class);
            waitUntil(() -> got.size() == 3);
        }
        assertThat(got).extracting(LogLine::text).containsOnly("attempt");
        assertThat(got).extracting(LogLine::pod).doesNotHaveDuplicates();
        assertThat(got).allSatisfy(l -> assertThat(l.index()).hasValue(0));
        Outcome.Failed failed = (Outcome.Failed) handle.await(Duration.ofSeconds(5));
        assertThat(failed.failedIndexes()).containsExactly(0);
        assertThat(failed.podFailures())
                .hasSize(3)
                .allSatisfy(f -> assertThat(f.exitCode()).isEqualTo(1));
    }

    @Test
    void reattachingToAJobSkiffDidNotCreate() {
        Job raw = new JobBuilder()
                .withNewMetadata()
                .withName("foreign")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        cluster.kubernetesClient().batch().v1().jobs().resource(raw).create();
        assertThat(skiff.job("default", "foreign").await(Duration.ofSeconds(30)))
                .isInstanceOf(Outcome.Succeeded.class);
    }

    @Test
    void listingByLabels() {
        skiff.submit(job("a").toBuilder().putLabel("team", "vision").build());
        skiff.submit(job("b").toBuilder().putLabel("team", "nlp").build());
        skiff.submit(job("c").toBuilder().putLabel("team", "vision").build());
        assertThat(skiff.jobs("default", Map.of("team", "vision")))
                .extracting(JobHandle::name)
                .containsExactly("a", "c");
        assertThat(skiff.jobs("default", Map.of())).hasSize(3);
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
