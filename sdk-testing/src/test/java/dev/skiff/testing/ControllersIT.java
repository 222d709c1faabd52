package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Outcome;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs, CronJobs, scheduling and the kubelet, end to end through the HTTP API. */
class ControllersIT {

    static Job job(String name, int completions, Map<String, String> podAnnotations) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCompletions(completions)
                .withParallelism(completions)
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata()
                .withAnnotations(podAnnotations)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static Job get(KubernetesClient client, String name) {
        return client.batch().v1().jobs().inNamespace("default").withName(name).get();
    }

    static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null
                && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Test
    void aJobRunsToCompletionOnTheDefaultNode() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("four", 4, Map.of()))
                    .create();
            Job done = get(client, "four");
            assertThat(hasCondition(done, "Complete")).isTrue();
            assertThat(done.getStatus().getSucceeded()).isEqualTo(4);
            List<Pod> pods = client.pods()
                    .inNamespace("default")
                    .withLabel("batch.kubernetes.io/job-name", "four")
                    .list()
                    .getItems();
            assertThat(pods).hasSize(4).allSatisfy(p -> {
                assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
                assertThat(p.getSpec().getNodeName()).isEqualTo("node-1");
            });
        }
    }

    @Test
    void aPodWhoseLabelsStopMatchingIsReleasedAndReplaced() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("long", 1, Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "10m")))
                    .create();
            var pods = client.pods().inNamespace("default").withLabel("batch.kubernetes.io/job-name", "long");
            String first = pods.list().getItems().get(0).getMetadata().getName();

            client.pods().inNamespace("default").withName(first).edit(p -> {
                p.getMetadata().getLabels().remove("batch.kubernetes.io/controller-uid");
                return p;
            });

            Pod released = client.pods().inNamespace("default").withName(first).get();
            assertThat(released.getMetadata().getOwnerReferences()).isNullOrEmpty();
            assertThat(released.getMetadata().getFinalizers()).isNullOrEmpty();
            assertThat(pods.list().getItems())
                    .extracting(p -> p.getMetadata().getName())
                    .hasSize(2)
                    .contains(first);
            assertThat(get(client, "long").getStatus().getActive()).isEqualTo(1);
        }
    }

    @Test
    void skiffSubmitsAndAwaitsAnOutcome() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            BatchJob job = BatchJob.builder()
                    .name("train")
                    .container(Container.of("ghcr.io/acme/trainer:1.4"))
                    .parallelism(2)
                    .completions(2)
                    .indexed(true)
                    .build();
            Outcome outcome = cluster.skiff().submit(job).await(Duration.ofSeconds(20));
            assertThat(outcome).isEqualTo(new Outcome.Succeeded("default/train", 2));
        }
    }

    @Test
    void aPodThatNeedsAGpuWaitsWithTheSchedulersWordsUntilAGpuNodeArrives() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            Job gpu = job("gpu", 1, Map.of());
            gpu.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                            .addToLimits("nvidia.com/gpu", new Quantity("1"))
                            .build());
            client.batch().v1().jobs().inNamespace("default").resource(gpu).create();
            assertThat(hasCondition(get(client, "gpu"), "Complete")).isFalse();
            List<Event> events =
                    client.v1().events().inNamespace("default").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedScheduling");
                assertThat(e.getMessage()).startsWith("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.");
            });

            cluster.addNode(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"));

            assertThat(hasCondition(get(client, "gpu"), "Complete")).isTrue();
            Pod pod = client.pods()
                    .inNamespace("default")
                    .withLabel("batch.kubernetes.io/job-name", "gpu")
                    .list()
                    .getItems()
                    .get(0);
            assertThat(pod.getSpec().getNodeName()).isEqualTo("gpu-1");
        }
    }

    @Test
    void kwokAnnotationsFailAContainerAndTheJobFailsWithTheRealReason() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job(
                            "crash",
                            1,
                            Map.of(
                                    "pod-container-running-failed.stage.kwok.x-k8s.io", "true",
                                    "pod-container-running-failed.stage.kwok.x-k8s.io/exit-code", "42")))
                    .create();
            Job failed = get(client, "crash");
            assertThat(hasCondition(failed, "Failed")).isTrue();
            assertThat(failed.getStatus().getConditions())
                    .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded"));
            Pod pod = client.pods()
                    .inNamespace("default")
                    .withLabel("batch.kubernetes.io/job-name", "crash")
                    .list()
                    .getItems()
                    .get(0);
            assertThat(pod.getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getState()
                            .getTerminated()
                            .getExitCode())
                    .isEqualTo(42);
        }
    }

    @Test
    void aFailureHintNamingOneContainerFailsOrRestartsOnlyThatContainer() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            for (String policy : List.of("Never", "Always")) {
                client.pods()
                        .inNamespace("default")
                        .resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                                .withNewMetadata()
                                .withName(policy.toLowerCase(java.util.Locale.ROOT))
                                .withAnnotations(Map.of(
                                        "pod-container-running-failed.stage.kwok.x-k8s.io", "true",
                                        "pod-container-running-failed.stage.kwok.x-k8s.io/container-name", "main",
                                        "pod-container-running-failed.stage.kwok.x-k8s.io/exit-code", "3"))
                                .endMetadata()
                                .withNewSpec()
                                .withRestartPolicy(policy)
                                .addNewContainer()
                                .withName("main")
                                .withImage("busybox:1.36")
                                .endContainer()
                                .addNewContainer()
                                .withName("sidecar")
                                .withImage("busybox:1.36")
                                .endContainer()
                                .endSpec()
                                .build())
                        .create();
            }
            cluster.advanceClock(Duration.ofSeconds(15));
            var never = client.pods().inNamespace("default").withName("never").get();
            assertThat(never.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(never.getStatus().getContainerStatuses())
                    .satisfiesExactlyInAnyOrder(
                            c -> {
                                assertThat(c.getName()).isEqualTo("main");
                                assertThat(c.getState().getTerminated().getExitCode())
                                        .isEqualTo(3);
                            },
                            c -> {
                                assertThat(c.getName()).isEqualTo("sidecar");
                                assertThat(c.getState().getRunning()).isNotNull();
                                assertThat(c.getReady()).isFalse();
                            });
            var always = client.pods().inNamespace("default").withName("always").get();
            assertThat(always.getStatus().getPhase()).isEqualTo("Running");
            assertThat(always.getStatus().getContainerStatuses())
                    .satisfiesExactlyInAnyOrder(
                            c -> {
                                assertThat(c.getName()).isEqualTo("main");
                                assertThat(c.getRestartCount()).isGreaterThanOrEqualTo(1);
                                assertThat(c.getLastState().getTerminated().getExitCode())
                                        .isEqualTo(3);
                            },
                            c -> {
                                assertThat(c.getName()).isEqualTo("sidecar");
                                assertThat(c.getRestartCount()).isZero();
                                assertThat(c.getState().getRunning()).isNotNull();
                            });
        }
    }

    @Test
    void podsRunOnTheVirtualClock() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("slow", 1, Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "30m")))
                    .create();
            assertThat(get(client, "slow").getStatus().getActive()).isEqualTo(1);
            cluster.advanceClock(Duration.ofMinutes(29));
            assertThat(hasCondition(get(client, "slow"), "Complete")).isFalse();
            cluster.advanceClock(Duration.ofMinutes(1));
            assertThat(hasCondition(get(client, "slow"), "Complete")).isTrue();
        }
    }

    @Test
    void aCronJobCreatesItsJobsOnTheVirtualClock() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (InMemoryCluster cluster =
                InMemoryCluster.builder().startTime(start).start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .cronjobs()
                    .inNamespace("default")
                    .resource(new CronJobBuilder()
                            .withNewMetadata()
                            .withName("every5")
                            .endMetadata()
                            .withNewSpec()
                            .withSchedule("*/5 * * * *")
                            .withNewJobTemplate()
                            .withSpec(job("x", 1, Map.of()).getSpec())
                            .endJobTemplate()
                            .endSpec()
                            .build())
                    .create();
            // each run starts 100 ms after its schedule time, as the CronJob controller requeues
            cluster.advanceClock(Duration.ofMinutes(15).plusSeconds(1));
            List<String> names = client.batch().v1().jobs().inNamespace("default").list().getItems().stream()
                    .map(j -> j.getMetadata().getName())
                    .sorted()
                    .toList();
            long minutes = start.getEpochSecond() / 60;
            assertThat(names)
                    .containsExactly("every5-" + (minutes + 5), "every5-" + (minutes + 10), "every5-" + (minutes + 15));
        }
    }

    @Test
    void deletingANamespaceRemovesEverythingInIt() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("tmp")
                            .endMetadata()
                            .build())
                    .create();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("tmp")
                    .resource(job("j", 2, Map.of()))
                    .create();
            client.namespaces().withName("tmp").delete();
            assertThat(client.namespaces().withName("tmp").get()).isNull();
            assertThat(client.pods().inNamespace("tmp").list().getItems()).isEmpty();
        }
    }

    @Test
    void backgroundDeletionOfAJobRemovesItsPods() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("gc", 2, Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "1h")))
                    .create();
            assertThat(client.pods().inNamespace("default").list().getItems()).hasSize(2);
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .withName("gc")
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                    .delete();
            assertThat(client.pods().inNamespace("default").list().getItems()).isEmpty();
        }
    }

    @Test
    void foregroundDeletionOfAJobRemovesItsPodsThenTheJob() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .resource(job("fg", 2, Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "1h")))
                    .create();
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace("default")
                    .withName("fg")
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND)
                    .delete();
            assertThat(client.pods().inNamespace("default").list().getItems()).isEmpty();
            assertThat(get(client, "fg")).isNull();
        }
    }
}
