package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pod scripts, logs, missing references, fault injection and the request log. */
class ClusterFeaturesIT {

    static Job job(String name) {
        return ControllersIT.job(name, 1, Map.of());
    }

    static Pod onlyPod(KubernetesClient client, String job) {
        return client.pods()
                .inNamespace("default")
                .withLabel("batch.kubernetes.io/job-name", job)
                .list()
                .getItems()
                .get(0);
    }

    @Test
    void podScriptsDecideRuntimeExitCodeAndLogs() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            cluster.onPods(
                    "batch.kubernetes.io/job-name=oom",
                    PodScript.oomKilledAfter(Duration.ofMinutes(2)).withLogs("loading", "allocating"));
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("oom"))
                    .create();
            assertThat(onlyPod(client, "oom").getStatus().getPhase()).isEqualTo("Running");
            cluster.advanceClock(Duration.ofMinutes(2));
            Pod pod = onlyPod(client, "oom");
            var terminated =
                    pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
            assertThat(terminated.getExitCode()).isEqualTo(137);
            assertThat(terminated.getReason()).isEqualTo("OOMKilled");
            assertThat(client.pods()
                            .inNamespace("default")
                            .withName(pod.getMetadata().getName())
                            .getLog())
                    .isEqualTo("loading\nallocating\n");
            assertThat(client.pods()
                            .inNamespace("default")
                            .withName(pod.getMetadata().getName())
                            .tailingLines(1)
                            .getLog())
                    .isEqualTo("allocating\n");
        }
    }

    @Test
    void aMissingSecretKeepsThePodPendingWithCreateContainerConfigErrorUntilItExists() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            Job job = job("needs-secret");
            job.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .setEnv(java.util.List.of(new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                            .withName("TOKEN")
                            .withNewValueFrom()
                            .withNewSecretKeyRef()
                            .withName("creds")
                            .withKey("token")
                            .endSecretKeyRef()
                            .endValueFrom()
                            .build()));
            client.batch().v1().jobs().inNamespace("default").resource(job).create();
            Pod pending = onlyPod(client, "needs-secret");
            assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
            var waiting =
                    pending.getStatus().getContainerStatuses().get(0).getState().getWaiting();
            assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
            assertThat(waiting.getMessage()).isEqualTo("secret \"creds\" not found");

            client.secrets()
                    .inNamespace("default")
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("creds")
                            .endMetadata()
                            .addToStringData("token", "t")
                            .build())
                    .create();
            assertThat(onlyPod(client, "needs-secret").getStatus().getPhase()).isEqualTo("Succeeded");
        }
    }

    @Test
    void anImageThatCannotBePulledStaysInImagePullBackOff() {
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .podScript("batch.kubernetes.io/job-name=bad-image", PodScript.imagePullFailure())
                .start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("bad-image"))
                    .create();
            cluster.advanceClock(Duration.ofMinutes(10));
            Pod pod = onlyPod(client, "bad-image");
            assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(pod.getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getState()
                            .getWaiting()
                            .getReason())
                    .isEqualTo("ImagePullBackOff");
        }
    }

    @Test
    void injectedFaultsAnswerWithTheirStatusAndRetryAfterThenStop() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            cluster.injectFault(FaultRule.on("create", "configmaps")
                    .respond(429)
                    .retryAfter(Duration.ofSeconds(2))
                    .times(1));
            var cm = new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("limited")
                    .endMetadata()
                    .build();
            assertThatThrownBy(() -> client.configMaps()
                            .inNamespace("default")
                            .resource(cm)
                            .create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(429);
                        assertThat(e.getStatus().getDetails().getRetryAfterSeconds())
                                .isEqualTo(2);
                    });
            assertThat(client.configMaps()
                            .inNamespace("default")
                            .withName("limited")
                            .get())
                    .isNull();
            client.configMaps().inNamespace("default").resource(cm).create();
            assertThat(client.configMaps()
                            .inNamespace("default")
                            .withName("limited")
                            .get())
                    .isNotNull();
        }
    }

    @Test
    void aFaultAfterCommitReportsAnErrorForAWriteThatHappened() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            cluster.injectFault(
                    FaultRule.on("create", "jobs").respond(504).afterCommit().times(1));
            assertThatThrownBy(() -> client.batch()
                            .v1()
                            .jobs()
                            .inNamespace("default")
                            .resource(job("committed"))
                            .create())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(504));
            assertThat(client.batch()
                            .v1()
                            .jobs()
                            .inNamespace("default")
                            .withName("committed")
                            .get())
                    .isNotNull();
            assertThat(cluster.requests()).anySatisfy(r -> {
                assertThat(r.verb()).isEqualTo("create");
                assertThat(r.path()).isEqualTo("/apis/batch/v1/namespaces/default/jobs");
                assertThat(r.status()).isEqualTo(504);
            });
        }
    }

    @Test
    void aWatchResumingFromExpiredHistoryGetsGone() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            var first = client.configMaps()
                    .inNamespace("default")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("a")
                            .endMetadata()
                            .build())
                    .create();
            client.configMaps()
                    .inNamespace("default")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("b")
                            .endMetadata()
                            .build())
                    .create();
            cluster.expireWatchHistory();
            CompletableFuture<WatcherException> closed = new CompletableFuture<>();
            client.configMaps()
                    .inNamespace("default")
                    .withResourceVersion(first.getMetadata().getResourceVersion())
                    .watch(new Watcher<io.fabric8.kubernetes.api.model.ConfigMap>() {
                        @Override
                        public void eventReceived(Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {}

                        @Override
                        public void onClose(WatcherException cause) {
                            closed.complete(cause);
                        }
                    });
            WatcherException cause = closed.get(10, TimeUnit.SECONDS);
            assertThat(cause.isHttpGone()).isTrue();
        }
    }

    @Test
    void advanceUntilIdleJumpsToTheNextTimersAndStopsWhenNothingIsLeft() {
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        try (InMemoryCluster cluster =
                InMemoryCluster.builder().startTime(start).start()) {
            KubernetesClient client = cluster.kubernetesClient();
            cluster.onPods("batch.kubernetes.io/job-name=long", PodScript.succeedAfter(Duration.ofHours(3)));
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("long"))
                    .create();
            Duration moved = cluster.advanceUntilIdle(Duration.ofDays(1));
            assertThat(moved).isEqualTo(Duration.ofHours(3));
            assertThat(cluster.now()).isEqualTo(start.plus(Duration.ofHours(3)));
            assertThat(onlyPod(client, "long").getStatus().getPhase()).isEqualTo("Succeeded");
        }
    }

    @Test
    void realTimeModeMovesTheClockWithTheWallClock() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.builder().realTime(600).start()) {
            Instant before = cluster.now();
            Thread.sleep(500);
            assertThat(Duration.between(before, cluster.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        }
    }

    @Test
    void eventsAreServedByBothEventApis() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("evented"))
                    .create();
            var core = client.v1()
                    .events()
                    .inNamespace("default")
                    .withField("involvedObject.name", "evented")
                    .list()
                    .getItems();
            assertThat(core).extracting(e -> e.getReason()).contains("SuccessfulCreate", "Completed");
            var v1 = client.events()
                    .v1()
                    .events()
                    .inNamespace("default")
                    .withField("regarding.name", "evented")
                    .list()
                    .getItems();
            assertThat(v1)
                    .extracting(e -> e.getReason())
                    .containsExactlyElementsOf(
                            core.stream().map(e -> e.getReason()).toList());
            assertThat(v1).allSatisfy(e -> {
                assertThat(e.getRegarding().getKind()).isEqualTo("Job");
                assertThat(e.getNote()).isNotBlank();
                assertThat(e.getReportingController()).isEqualTo("job-controller");
            });
        }
    }

    @Test
    void aResourceQuotaOnGpusStopsPodsBeyondItWithTheRealMessage() {
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"))
                .start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resourceQuotas()
                    .inNamespace("default")
                    .resource(new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                            .withNewMetadata()
                            .withName("gpus")
                            .endMetadata()
                            .withNewSpec()
                            .addToHard("requests.nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("2"))
                            .endSpec()
                            .build())
                    .create();
            Job job = ControllersIT.job("greedy", 1, Map.of());
            job.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                            .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
                            .addToRequests("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
                            .build());
            client.batch().v1().jobs().inNamespace("default").resource(job).create();
            assertThat(client.pods().inNamespace("default").list().getItems()).isEmpty();
            assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("FailedCreate");
                        assertThat(e.getMessage())
                                .contains(
                                        "exceeded quota: gpus, requested: requests.nvidia.com/gpu=4, used: requests.nvidia.com/gpu=0, limited: requests.nvidia.com/gpu=2");
                    });
        }
    }

    @Test
    void theSameSeedAndStartTimeGiveTheSameHistory() {
        Instant start = Instant.parse("2026-05-01T12:00:00Z");
        java.util.List<String> first = history(start);
        java.util.List<String> second = history(start);
        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    private static java.util.List<String> history(Instant start) {
        try (InMemoryCluster cluster =
                InMemoryCluster.builder().seed(42).startTime(start).start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(ControllersIT.job("repeat", 3, Map.of()))
                    .create();
            return client.pods().inNamespace("default").list().getItems().stream()
                    .map(p -> p.getMetadata().getName() + " " + p.getMetadata().getUid() + " "
                            + p.getMetadata().getCreationTimestamp())
                    .toList();
        }
    }

    @Test
    void followingALogEndsWhenThePodStops() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            cluster.onPods(
                    "batch.kubernetes.io/job-name=followed",
                    PodScript.succeedAfter(Duration.ofMinutes(1)).withLogs("step 1", "step 2"));
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("followed"))
                    .create();
            String name = onlyPod(client, "followed").getMetadata().getName();
            java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
            try (var watch = client.pods().inNamespace("default").withName(name).watchLog(sink)) {
                Thread.sleep(300);
                cluster.advanceClock(Duration.ofMinutes(1));
                long deadline = System.currentTimeMillis() + 5_000;
                while (!sink.toString(java.nio.charset.StandardCharsets.UTF_8).contains("step 2")
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
            }
            assertThat(sink.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("step 1\nstep 2\n");
        }
    }

    @Test
    void aRestartedContainerKeepsThePreviousInstancesLog() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            cluster.onPods(
                    "batch.kubernetes.io/job-name=retry",
                    PodScript.failAfter(Duration.ofSeconds(5), 2).withLogs("attempt"));
            Job job = job("retry");
            job.getSpec().setBackoffLimit(3);
            job.getSpec().getTemplate().getSpec().setRestartPolicy("OnFailure");
            client.batch().v1().jobs().inNamespace("default").resource(job).create();
            cluster.advanceClock(Duration.ofSeconds(5));
            cluster.advanceClock(Duration.ofSeconds(10));
            Pod pod = onlyPod(client, "retry");
            assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount())
                    .isEqualTo(1);
            var logs = client.pods()
                    .inNamespace("default")
                    .withName(pod.getMetadata().getName());
            assertThat(logs.getLog()).isEqualTo("attempt\n");
            assertThat(logs.getLog(true)).isEqualTo("attempt\n");
        }
    }
    /** The status each of {@code n} gets of a ConfigMap that does not exist was answered with, in order. */
    private static java.util.List<Integer> probeConfigMaps(InMemoryCluster cluster, int n) {
        KubernetesClient client = cluster.kubernetesClient();
        java.util.List<Integer> codes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                var found = client.configMaps()
                        .inNamespace("default")
                        .withName("absent")
                        .get();
                codes.add(found == null ? 404 : 200);
            } catch (KubernetesClientException e) {
                codes.add(e.getCode());
            }
        }
        return codes;
    }

    private static InMemoryCluster withFlakyGets(long seed) {
        InMemoryCluster cluster = InMemoryCluster.builder().seed(seed).start();
        cluster.injectFault(FaultRule.on("get", "configmaps").respond(503).probability(0.3));
        return cluster;
    }

    @Test
    void aRuleWithAProbabilityFaultsAboutThatShareOfRequestsTheSameOnesForTheSameSeed() {
        java.util.List<Integer> first;
        java.util.List<Integer> again;
        java.util.List<Integer> otherSeed;
        try (InMemoryCluster cluster = withFlakyGets(7)) {
            first = probeConfigMaps(cluster, 300);
        }
        try (InMemoryCluster cluster = withFlakyGets(7)) {
            again = probeConfigMaps(cluster, 300);
        }
        try (InMemoryCluster cluster = withFlakyGets(8)) {
            otherSeed = probeConfigMaps(cluster, 300);
        }
        assertThat(first).containsOnly(404, 503);
        // 300 draws at 30%: 90 expected, standard deviation about 8
        assertThat(first.stream().filter(c -> c == 503).count()).isBetween(60L, 120L);
        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void requestsARuleLetsPassMeetTheNextRuleAndTimesCountsOnlyFaultedRequests() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            cluster.injectFault(FaultRule.on("get", "configmaps").respond(500).probability(0.5));
            cluster.injectFault(FaultRule.on("get", "configmaps")
                    .respond(429)
                    .probability(0.5)
                    .times(20));
            java.util.List<Integer> codes = probeConfigMaps(cluster, 200);
            assertThat(codes.stream().filter(c -> c == 500).count()).isBetween(70L, 130L);
            assertThat(codes.stream().filter(c -> c == 429).count()).isEqualTo(20);
            assertThat(codes.stream().filter(c -> c == 404).count()).isPositive();
        }
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> FaultRule.on("*", "*").respond(500).probability(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probability must be above 0 and at most 1, but was 0.0");
        assertThatThrownBy(() -> FaultRule.on("*", "*").respond(500).probability(1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDelayAloneSlowsTheRequestDownAndThenServesIt() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            cluster.injectFault(FaultRule.on("get", "namespaces").delay(Duration.ofMillis(300)));
            long start = System.nanoTime();
            assertThat(cluster.kubernetesClient()
                            .namespaces()
                            .withName("default")
                            .get())
                    .isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(cluster.requests()).anySatisfy(r -> {
                assertThat(r.verb()).isEqualTo("get");
                assertThat(r.path()).isEqualTo("/api/v1/namespaces/default");
                assertThat(r.status()).isEqualTo(200);
            });
        }
    }

    @Test
    void aDroppedConnectionGetsNoAnswerAndIsLoggedWithStatusZero() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            // every time: the JDK's HTTP client resends an idempotent request once on a dropped connection
            cluster.injectFault(FaultRule.on("get", "namespaces").dropConnection());
            assertThatThrownBy(() -> cluster.kubernetesClient()
                            .namespaces()
                            .withName("default")
                            .get())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e).hasRootCauseInstanceOf(java.io.IOException.class));
            assertThat(cluster.requests())
                    .filteredOn(r -> r.path().equals("/api/v1/namespaces/default"))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.status()).isZero());
        }
    }
}
