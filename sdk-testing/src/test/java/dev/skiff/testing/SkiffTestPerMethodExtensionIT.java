package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** {@code @SkiffTest(lifecycle = PER_METHOD)}: each test gets a new cluster, and the previous one is closed. */
@SkiffTest(lifecycle = SkiffTest.Lifecycle.PER_METHOD)
class SkiffTestPerMethodExtensionIT {
    @SkiffTest.Cluster
    static final InMemoryCluster.Builder CLUSTER =
            InMemoryCluster.builder().node(FakeNode.named("cpu-a")).node(FakeNode.named("cpu-b"));

    static final List<InMemoryCluster> seen = new ArrayList<>();

    private final InMemoryCluster fromConstructor;
    private InMemoryCluster fromBeforeEach;

    SkiffTestPerMethodExtensionIT(InMemoryCluster cluster) {
        this.fromConstructor = cluster;
    }

    @BeforeEach
    void beforeEach(InMemoryCluster cluster) {
        fromBeforeEach = cluster;
    }

    @AfterEach
    void afterEach(InMemoryCluster cluster) {
        assertThat(cluster).isSameAs(fromBeforeEach);
    }

    @RepeatedTest(3)
    void eachTestGetsANewClusterAndThePreviousOneIsClosed(
            InMemoryCluster cluster, KubernetesClient client, Skiff skiff) {
        assertThat(cluster).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
        assertThat(client).isSameAs(cluster.kubernetesClient());
        assertThat(skiff).isSameAs(cluster.skiff());
        assertThat(seen).doesNotContain(cluster);
        assertThat(client.nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("cpu-a", "cpu-b");
        if (!seen.isEmpty()) {
            InMemoryCluster previous = seen.get(seen.size() - 1);
            assertThatThrownBy(() -> previous.kubernetesClient().nodes().list()).isInstanceOf(RuntimeException.class);
        }
        seen.add(cluster);
    }
}
