package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pod affinity, anti-affinity and spreading through the whole in-memory cluster (scheduler actor included). */
class PodAffinitySchedulingIT {
    private static final String HOST = "kubernetes.io/hostname";

    private static InMemoryCluster twoNodes() {
        return InMemoryCluster.builder()
                .withoutNodes()
                .node(FakeNode.named("busy").withCpu("4").withMemory("8Gi"))
                .node(FakeNode.named("light").withCpu("4").withMemory("8Gi"))
                .start();
    }

    private static LabelSelector app(String value) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of("app", value)).build();
    }

    private static PodBuilder pod(String namespace, String name, String app) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(Map.of("app", app))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .endContainer()
                .endSpec();
    }

    private static void create(KubernetesClient client, Pod pod) {
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(pod)
                .create();
    }

    private static Pod get(KubernetesClient client, String namespace, String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    private static Optional<String> unschedulable(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason()))
                .map(PodCondition::getMessage)
                .findFirst();
    }

    /** A pod pinned to {@code busy} that takes half of it, so resource scoring alone prefers {@code light}. */
    private static void fillBusy(InMemoryCluster cluster) {
        create(
                cluster.kubernetesClient(),
                pod("default", "big", "big")
                        .editSpec()
                        .withNodeSelector(Map.of(HOST, "busy"))
                        .editFirstContainer()
                        .withNewResources()
                        .addToRequests("cpu", new Quantity("2"))
                        .addToRequests("memory", new Quantity("4Gi"))
                        .endResources()
                        .endContainer()
                        .endSpec()
                        .build());
        cluster.advanceUntilIdle(Duration.ofSeconds(10));
    }

    @Test
    void aPodWaitingForItsAffinityPeerIsScheduledWhenThePeerIsBound() {
        try (InMemoryCluster cluster = twoNodes()) {
            KubernetesClient client = cluster.kubernetesClient();
            create(
                    client,
                    pod("default", "sidecar", "sidecar")
                            .editSpec()
                            .withNewAffinity()
                            .withNewPodAffinity()
                            .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                            .withLabelSelector(app("leader"))
                            .withTopologyKey(HOST)
                            .endRequiredDuringSchedulingIgnoredDuringExecution()
                            .endPodAffinity()
                            .endAffinity()
                            .endSpec()
                            .build());
            cluster.advanceUntilIdle(Duration.ofSeconds(10));
            assertThat(unschedulable(get(client, "default", "sidecar")))
                    .hasValueSatisfying(m -> assertThat(m)
                            .startsWith("0/2 nodes are available: 2 node(s) didn't match pod affinity rules."));

            create(
                    client,
                    pod("default", "leader", "leader")
                            .editSpec()
                            .withNodeSelector(Map.of(HOST, "light"))
                            .endSpec()
                            .build());
            cluster.advanceUntilIdle(Duration.ofSeconds(10));
            assertThat(get(client, "default", "sidecar").getSpec().getNodeName())
                    .isEqualTo("light");
        }
    }

    @Test
    void aNamespaceSelectorSeesTheNamespacesLabels() {
        try (InMemoryCluster cluster = twoNodes()) {
            KubernetesClient client = cluster.kubernetesClient();
            for (String team : List.of("team-a", "team-b")) {
                client.namespaces()
                        .resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(team)
                                .withLabels(Map.of("team", team))
                                .endMetadata()
                                .build())
                        .create();
            }
            create(
                    client,
                    pod("team-a", "a", "rank")
                            .editSpec()
                            .withNodeSelector(Map.of(HOST, "light"))
                            .endSpec()
                            .build());
            create(
                    client,
                    pod("team-b", "b", "rank")
                            .editSpec()
                            .withNodeSelector(Map.of(HOST, "busy"))
                            .endSpec()
                            .build());
            cluster.advanceUntilIdle(Duration.ofSeconds(10));
            create(
                    client,
                    pod("default", "apart", "other")
                            .editSpec()
                            .withNewAffinity()
                            .withNewPodAntiAffinity()
                            .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                            .withLabelSelector(app("rank"))
                            .withNamespaceSelector(new LabelSelectorBuilder()
                                    .withMatchLabels(Map.of("team", "team-a"))
                                    .build())
                            .withTopologyKey(HOST)
                            .endRequiredDuringSchedulingIgnoredDuringExecution()
                            .endPodAntiAffinity()
                            .endAffinity()
                            .endSpec()
                            .build());
            cluster.advanceUntilIdle(Duration.ofSeconds(10));
            assertThat(get(client, "default", "apart").getSpec().getNodeName()).isEqualTo("busy");
        }
    }

    @Test
    void podsSelectedByAServiceSpreadByDefault() {
        try (InMemoryCluster cluster = twoNodes()) {
            KubernetesClient client = cluster.kubernetesClient();
            fillBusy(cluster);
            create(client, pod("default", "web-0", "web").build());
            cluster.advanceUntilIdle(Duration.ofSeconds(10));
            assertThat(get(client, "default", "web-0").getSpec().getNodeName()).isEqualTo("light");
            // without a Service, resource scoring keeps the second pod on light
            create(client, pod("default", "solo", "solo").build());
            cluster.advanceUntilIdle(Duration.ofSeconds(10));
            assertThat(get(client, "default", "solo").getSpec().getNodeName()).isEqualTo("light");

            client.services()
                    .inNamespace("default")
                    .resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("web")
                            .endMetadata()
                            .withNewSpec()
                            .withSelector(Map.of("app", "web"))
                            .addNewPort()
                            .withPort(80)
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
            create(client, pod("default", "web-1", "web").build());
            cluster.advanceUntilIdle(Duration.ofSeconds(10));
            assertThat(get(client, "default", "web-1").getSpec().getNodeName()).isEqualTo("busy");
        }
    }

    @Test
    void statefulSetReplicasSpreadByDefault() {
        try (InMemoryCluster cluster = twoNodes()) {
            KubernetesClient client = cluster.kubernetesClient();
            fillBusy(cluster);
            client.apps()
                    .statefulSets()
                    .inNamespace("default")
                    .resource(new StatefulSetBuilder()
                            .withNewMetadata()
                            .withName("db")
                            .endMetadata()
                            .withNewSpec()
                            .withReplicas(2)
                            .withServiceName("db")
                            .withSelector(app("db"))
                            .withNewTemplate()
                            .withNewMetadata()
                            .addToLabels("app", "db")
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("main")
                            .withImage("busybox")
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()
                            .build())
                    .create();
            cluster.advanceUntilIdle(Duration.ofMinutes(1));
            // resource scoring alone would put both on light (see podsSelectedByAServiceSpreadByDefault)
            assertThat(List.of("db-0", "db-1"))
                    .extracting(n -> get(client, "default", n).getSpec().getNodeName())
                    .containsExactly("light", "busy");
        }
    }
}
