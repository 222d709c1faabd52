package dev.skiff.conformance;

import dev.skiff.core.Skiff;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A cluster a scenario runs against: a client, a fresh namespace deleted afterwards, GPU nodes
 * declared as {@link FakeNode}s, and waiting for a condition. Open one per scenario and close it.
 */
abstract class Target implements AutoCloseable {
    /** The two targets. */
    enum Kind {
        IN_MEMORY("in-memory"),
        REAL("real");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        Target open() {
            return this == IN_MEMORY ? new InMemory() : new Real();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Both kinds, for {@code @MethodSource}. */
    static Stream<Kind> kinds() {
        return Stream.of(Kind.values());
    }

    private final String namespace =
            "s-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

    abstract Kind kind();

    /** Returns an administrator's client whose default namespace is not {@link #namespace()}. */
    abstract KubernetesClient client();

    /** Returns the scenario's own namespace, created by {@link #createNamespace()}. */
    String namespace() {
        return namespace;
    }

    /** Returns a {@link Skiff} on this target's cluster, shared; do not close it. */
    abstract Skiff skiff();

    /** Adds a node that behaves as {@code node} declares: Ready, with its capacity and labels. */
    abstract void addNode(FakeNode node);

    /**
     * Waits until {@code condition} holds: on the real cluster by polling in real time, on the
     * in-memory one by moving its virtual clock a second at a time.
     *
     * @throws AssertionError if it does not hold within {@code timeout}
     */
    abstract void await(String what, Duration timeout, BooleanSupplier condition);

    /** Deletes what the scenario made: its namespace and nodes, or the whole in-memory cluster. */
    @Override
    public abstract void close();

    /** Sleeps in real time; an interruption fails the scenario, naming what it waited for. */
    static void sleep(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    void createNamespace() {
        client().namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
    }

    /** The in-memory cluster, a fresh one per scenario, with no node until one is added. */
    static final class InMemory extends Target {
        private final InMemoryCluster cluster =
                InMemoryCluster.builder().withoutNodes().start();

        InMemory() {
            createNamespace();
        }

        @Override
        Kind kind() {
            return Kind.IN_MEMORY;
        }

        @Override
        KubernetesClient client() {
            return cluster.kubernetesClient();
        }

        InMemoryCluster cluster() {
            return cluster;
        }

        @Override
        Skiff skiff() {
            return cluster.skiff();
        }

        @Override
        void addNode(FakeNode node) {
            cluster.addNode(node);
        }

        @Override
        void await(String what, Duration timeout, BooleanSupplier condition) {
            Duration moved = Duration.ZERO;
            while (!condition.getAsBoolean()) {
                if (moved.compareTo(timeout) >= 0) {
                    // what a client sees through a watch arrives a moment later in wall-clock time,
                    // however far the virtual clock has moved: give it a few seconds before failing
                    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (System.nanoTime() < deadline) {
                        sleep(20, what);
                        if (condition.getAsBoolean()) {
                            return;
                        }
                    }
                    throw new AssertionError("in-memory: not within " + timeout + " (virtual): " + what);
                }
                cluster.advanceClock(Duration.ofSeconds(1));
                moved = moved.plusSeconds(1);
            }
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    /** The shared real control plane; each scenario gets its own namespace and nodes. */
    static final class Real extends Target {
        private final RealControlPlane plane = RealControlPlane.get();
        private final List<String> nodes = new ArrayList<>();

        Real() {
            createNamespace();
            // pods are rejected until the namespace's default ServiceAccount exists
            await(
                    "default ServiceAccount",
                    Duration.ofSeconds(30),
                    () -> client().serviceAccounts()
                                    .inNamespace(namespace())
                                    .withName("default")
                                    .get()
                            != null);
        }

        @Override
        Kind kind() {
            return Kind.REAL;
        }

        @Override
        KubernetesClient client() {
            return plane.client();
        }

        @Override
        Skiff skiff() {
            return plane.skiff();
        }

        @Override
        void addNode(FakeNode node) {
            client().nodes().resource(node.toNode()).create();
            nodes.add(node.name());
            await("node " + node.name() + " Ready", Duration.ofSeconds(30), () -> {
                var n = client().nodes().withName(node.name()).get();
                return n != null
                        && n.getStatus() != null
                        && n.getStatus().getConditions() != null
                        && n.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Ready")
                                        && c.getStatus().equals("True"))
                        // the node lifecycle controller lifts the not-ready taint a moment later
                        && (n.getSpec().getTaints() == null
                                || n.getSpec().getTaints().stream()
                                        .noneMatch(x -> x.getKey().startsWith("node.kubernetes.io/")));
            });
        }

        @Override
        void await(String what, Duration timeout, BooleanSupplier condition) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("real: not within " + timeout + ": " + what);
                }
                sleep(100, what);
            }
        }

        @Override
        public void close() {
            client().namespaces().withName(namespace()).delete();
            for (String node : nodes) {
                client().nodes().withName(node).withGracePeriod(0).delete();
            }
            // the next scenario counts nodes in scheduler messages: wait until these are gone
            await(
                    "nodes deleted",
                    Duration.ofSeconds(30),
                    () -> nodes.stream()
                            .allMatch(n -> client().nodes().withName(n).get() == null));
        }
    }
}
