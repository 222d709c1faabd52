package dev.skiff.testing;

import static dev.skiff.testing.SkiffAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code @SkiffTest} with its default lifecycle: one cluster for the class, built by its {@code @SkiffTest.Cluster} method. */
@SkiffTest
class SkiffTestPerClassExtensionIT {
    static InMemoryCluster fromBeforeAll;
    static int builderCalls;

    @SkiffTest.Cluster
    static InMemoryCluster.Builder cluster() {
        builderCalls++;
        return InMemoryCluster.builder().node(FakeNode.named("gpu-1").withGpus(2, "NVIDIA-L4"));
    }

    private final InMemoryCluster fromConstructor;
    private InMemoryCluster fromBeforeEach;

    SkiffTestPerClassExtensionIT(InMemoryCluster cluster) {
        this.fromConstructor = cluster;
    }

    @BeforeAll
    static void beforeAll(InMemoryCluster cluster) {
        fromBeforeAll = cluster;
    }

    @BeforeEach
    void beforeEach(InMemoryCluster cluster) {
        fromBeforeEach = cluster;
    }

    @AfterAll
    static void onlyOneClusterWasStarted() {
        assertThat(builderCalls).isEqualTo(1);
    }

    @Test
    void constructorsLifecycleMethodsAndTestsShareTheClassCluster(InMemoryCluster cluster) {
        assertThat(cluster).isSameAs(fromBeforeAll).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
    }

    @Test
    void theClusterComesFromTheAnnotatedBuilderMethod(InMemoryCluster cluster) {
        assertThat(cluster).node("gpu-1").isReady();
        assertThat(cluster.kubernetesClient().nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("gpu-1");
    }

    @Test
    void theInjectedClientAndSkiffAreTheClusters(InMemoryCluster cluster, KubernetesClient client, Skiff skiff) {
        assertThat(cluster).isSameAs(fromBeforeAll);
        assertThat(client).isSameAs(cluster.kubernetesClient());
        assertThat(skiff).isSameAs(cluster.skiff());
    }

    @Test
    void aJobSubmittedThroughTheInjectedClientRunsOnTheCluster(InMemoryCluster cluster, KubernetesClient client) {
        client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .resource(ControllersIT.job("per-class", 1, Map.of()))
                .create();
        assertThat(cluster).job("default", "per-class").isComplete();
        assertThat(cluster).podsOf("default", "per-class").singleElement().isScheduledOn("gpu-1");
    }

    @Nested
    class InANestedClass {
        @Test
        void nestedClassesShareTheEnclosingClassesCluster(InMemoryCluster cluster) {
            assertThat(cluster).isSameAs(fromBeforeAll);
        }
    }
}
