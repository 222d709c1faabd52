package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Javadoc examples of InMemoryCluster, FakeNode, PodScript and FaultRule, compiled and run. */
class ClusterDocExamplesIT {

    @Test
    void inMemoryClusterExample() {
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"))
                .start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("ml")
                            .endMetadata()
                            .build())
                    .create();
            cluster.advanceClock(Duration.ofMinutes(5));
            assertThat(client.namespaces().withName("ml").get()).isNotNull();
        }
    }

    @Test
    void fakeNodeExample() {
        FakeNode cpu = FakeNode.named("cpu-1").withCpu("64").withMemory("256Gi");
        FakeNode h100 = FakeNode.named("gpu-1")
                .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                .withGpuMemoryMiB(81_559)
                .withTaint("nvidia.com/gpu", "present", "NoSchedule");
        assertThat(cpu.toNode().getStatus().getCapacity()).containsKey("cpu").doesNotContainKey("nvidia.com/gpu");
        assertThat(h100.toNode().getMetadata().getLabels())
                .containsEntry("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3")
                .containsEntry("nvidia.com/gpu.memory", "81559");
        assertThat(h100.toNode().getSpec().getTaints()).hasSize(1);
    }

    @Test
    void podScriptAndFaultRuleExamples() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            cluster.onPods(
                    "app=trainer",
                    PodScript.succeedAfter(Duration.ofMinutes(30)).withLogs("epoch 1", "epoch 2"));
            cluster.onPods("batch.kubernetes.io/job-name=flaky", PodScript.failAfter(Duration.ofSeconds(5), 1));
            cluster.onPods("app=broken", PodScript.imagePullFailure());
            cluster.injectFault(FaultRule.on("create", "jobs")
                    .respond(429)
                    .retryAfter(Duration.ofSeconds(1))
                    .times(3));
            cluster.injectFault(
                    FaultRule.on("create", "jobs").respond(504).afterCommit().times(1));
            cluster.injectFault(FaultRule.on("*", "*").delay(Duration.ofMillis(200)));
            cluster.injectFault(FaultRule.on("get", "jobs").respond(503).probability(0.3));
            cluster.injectFault(FaultRule.on("create", "jobs").respond(503).probability(0.1));
            cluster.injectFault(FaultRule.on("create", "jobs").dropConnection().probability(0.1));
            cluster.clearFaults();
            assertThat(cluster.kubernetesClient()
                            .namespaces()
                            .withName("default")
                            .get())
                    .isNotNull();
        }
    }
}
