package dev.skiff.testing;

import static dev.skiff.testing.SkiffAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SkiffExtension} built in code and registered with {@code @RegisterExtension}. */
class SkiffRegisterExtensionIT {
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    @RegisterExtension
    static final SkiffExtension SKIFF = SkiffExtension.builder()
            .node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"))
            .seed(42)
            .startTime(START)
            .build();

    @Test
    void clusterGivesTheRunningClusterWithTheDeclaredGpuNode(InMemoryCluster injected) {
        InMemoryCluster cluster = SKIFF.cluster();
        assertThat(cluster).isSameAs(injected);
        assertThat(cluster.now()).isEqualTo(START);
        assertThat(cluster).node("gpu-1").isReady();
        assertThat(cluster.kubernetesClient()
                        .nodes()
                        .withName("gpu-1")
                        .get()
                        .getStatus()
                        .getCapacity())
                .containsEntry("nvidia.com/gpu", new Quantity("8"));
    }

    @Test
    void aGpuJobRunsOnTheGpuNode(KubernetesClient client) {
        Job job = ControllersIT.job("gpu", 1, Map.of());
        job.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .setResources(new ResourceRequirementsBuilder()
                        .addToLimits("nvidia.com/gpu", new Quantity("1"))
                        .build());
        client.batch().v1().jobs().inNamespace("default").resource(job).create();
        assertThat(SKIFF.cluster()).job("default", "gpu").isComplete().hasSucceededPods(1);
        assertThat(SKIFF.cluster()).podsOf("default", "gpu").singleElement().isScheduledOn("gpu-1");
    }

    @Test
    void clusterFailsClearlyWhenNoClusterIsRunning() {
        SkiffExtension notRegistered = SkiffExtension.builder().build();
        assertThatThrownBy(notRegistered::cluster)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no in-memory cluster is running");
    }
}
