package dev.skiff.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a sample's arguments pick its cluster and namespace. */
class SampleClusterTest {
    @Test
    void withoutArgumentsTheEmbeddedClusterGetsTheDefaultNamespace() {
        try (SampleCluster cluster = SampleCluster.open(new String[0], "ml", InMemoryCluster::start)) {
            assertThat(cluster.embedded()).isTrue();
            assertThat(cluster.namespace()).isEqualTo("ml");
            assertThat(cluster.kube().namespaces().withName("ml").get()).isNotNull();
            assertThat(cluster).hasToString("an embedded in-memory cluster");
        }
    }

    @Test
    void theEmbeddedClusterCreatesTheNamespaceNamed() {
        try (SampleCluster cluster =
                SampleCluster.open(new String[] {"--namespace", "team-a"}, "ml", InMemoryCluster::start)) {
            assertThat(cluster.namespace()).isEqualTo("team-a");
            assertThat(cluster.kube().namespaces().withName("team-a").get()).isNotNull();
            assertThat(cluster.kube().namespaces().withName("ml").get()).isNull();
        }
    }

    @Test
    void onlyTheEmbeddedClusterMovesItsClock() {
        try (SampleCluster cluster = SampleCluster.open(new String[0], "default", InMemoryCluster::start)) {
            Instant before = cluster.now();
            cluster.advanceClock(Duration.ofHours(1));
            assertThat(cluster.now()).isEqualTo(before.plus(Duration.ofHours(1)));
        }
    }

    @Test
    void aKubeconfigSelectsThatClusterAndItsNamespaceMustExist(@TempDir Path dir) {
        try (InMemoryCluster other = InMemoryCluster.start()) {
            Path kubeconfig = other.writeKubeconfig(dir.resolve("kubeconfig"));
            String[] args = {"--kubeconfig", kubeconfig.toString(), "--namespace", "ml"};

            assertThatThrownBy(() -> SampleCluster.open(args, "default", () -> {
                        throw new AssertionError("the embedded cluster must not start");
                    }))
                    .isInstanceOf(SampleCluster.UnusableException.class)
                    .hasMessage("namespace ml does not exist on the cluster of " + kubeconfig
                            + ": create it (kubectl create namespace ml) or name another with --namespace");

            other.kubernetesClient()
                    .namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("ml")
                            .endMetadata()
                            .build())
                    .create();
            try (SampleCluster cluster = SampleCluster.open(args, "default", () -> {
                throw new AssertionError("the embedded cluster must not start");
            })) {
                assertThat(cluster.embedded()).isFalse();
                assertThat(cluster.namespace()).isEqualTo("ml");
                assertThat(cluster).hasToString("the cluster of " + kubeconfig);
                assertThat(cluster.skiff().config().namespace()).contains("ml");
                // a real cluster's clock is not the sample's to move
                Instant before = other.now();
                cluster.advanceClock(Duration.ofHours(1));
                assertThat(other.now()).isEqualTo(before);
                assertThatThrownBy(cluster::inMemory).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void aMissingKubeconfigIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> SampleCluster.connect(new String[] {"--kubeconfig", missing.toString()}, "ml"))
                .isInstanceOf(SampleCluster.UnusableException.class)
                .hasMessage("kubeconfig " + missing + " cannot be read");
    }

    @Test
    void unknownArgumentsAndMissingValuesAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> SampleCluster.open(new String[] {"--context", "x"}, "ml", InMemoryCluster::start))
                .isInstanceOf(SampleCluster.UnusableException.class)
                .hasMessage("unknown argument --context; usage: [--kubeconfig <file>] [--namespace <namespace>]");
        assertThatThrownBy(() -> SampleCluster.open(new String[] {"--namespace"}, "ml", InMemoryCluster::start))
                .isInstanceOf(SampleCluster.UnusableException.class)
                .hasMessage("--namespace needs a value; usage: [--kubeconfig <file>] [--namespace <namespace>]");
    }
}
