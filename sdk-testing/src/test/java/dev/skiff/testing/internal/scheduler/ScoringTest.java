package dev.skiff.testing.internal.scheduler;

import static dev.skiff.testing.internal.scheduler.Fixtures.boundNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.boundTo;
import static dev.skiff.testing.internal.scheduler.Fixtures.expr;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuPod;
import static dev.skiff.testing.internal.scheduler.Fixtures.node;
import static dev.skiff.testing.internal.scheduler.Fixtures.pod;
import static dev.skiff.testing.internal.scheduler.Fixtures.schedule;
import static dev.skiff.testing.internal.scheduler.Fixtures.taint;
import static dev.skiff.testing.internal.scheduler.Fixtures.withLabels;
import static dev.skiff.testing.internal.scheduler.Fixtures.withTaints;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoringTest {

    @Test
    void emptierNodeWins() {
        List<Node> nodes = List.of(node("a", "cpu", "8", "memory", "32Gi"), node("b", "cpu", "8", "memory", "32Gi"));

        Decision d = schedule(
                pod("p", "cpu", "1", "memory", "1Gi"), nodes, boundTo(pod("busy", "cpu", "4", "memory", "16Gi"), "a"));

        assertThat(boundNode(d)).isEqualTo("b");
    }

    @Test
    void biggerNodeWinsWhenBothAreEmpty() {
        List<Node> nodes = List.of(node("a", "cpu", "4", "memory", "16Gi"), node("b", "cpu", "16", "memory", "64Gi"));

        assertThat(boundNode(schedule(pod("p", "cpu", "2", "memory", "8Gi"), nodes)))
                .isEqualTo("b");
    }

    @Test
    void podsWithoutRequestsStillSpreadBecauseTheyCountAsDefaultRequests() {
        ClusterState state = ClusterState.of(
                List.of(node("a", "cpu", "1", "memory", "1Gi"), node("b", "cpu", "1", "memory", "1Gi")), List.of());
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Pod pod = pod("p" + i);
            String node = boundNode(state.schedule(pod));
            placed.add(node);
            state.bind(boundTo(pod, node));
        }

        assertThat(placed).containsExactly("a", "b", "a", "b");
    }

    @Test
    void gpuPodsSpreadAcrossGpuNodesByCpuAndMemory() {
        ClusterState state = ClusterState.of(List.of(gpuNode("gpu-0"), gpuNode("gpu-1")), List.of());
        Pod first = new PodBuilder(gpuPod("first", 2))
                .editSpec()
                .editFirstContainer()
                .editResources()
                .addToRequests(Fixtures.res("cpu", "8", "memory", "64Gi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        state.bind(boundTo(first, boundNode(state.schedule(first))));

        assertThat(boundNode(state.schedule(gpuPod("second", 2)))).isEqualTo("gpu-1");
    }

    @Test
    void tiesGoToTheFirstNodeName() {
        List<Node> nodes = List.of(node("zeta", "cpu", "4"), node("alpha", "cpu", "4"), node("mu", "cpu", "4"));

        assertThat(boundNode(schedule(pod("p", "cpu", "1"), nodes))).isEqualTo("alpha");
    }

    @Test
    void shuffledNodeListsGiveTheSameChoice() {
        List<Node> nodes = new ArrayList<>();
        List<Pod> bound = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nodes.add(node(String.format("node-%02d", i), "cpu", "16", "memory", "64Gi", "nvidia.com/gpu", "8"));
            for (int j = 0; j < i % 4; j++) {
                bound.add(boundTo(pod("p-" + i + "-" + j, "cpu", "2", "memory", "8Gi"), String.format("node-%02d", i)));
            }
        }
        Pod pod = pod("new", "cpu", "1", "memory", "2Gi");
        String expected = boundNode(Scheduler.schedule(pod, nodes, bound));

        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<Node> shuffledNodes = new ArrayList<>(nodes);
            List<Pod> shuffledPods = new ArrayList<>(bound);
            Collections.shuffle(shuffledNodes, random);
            Collections.shuffle(shuffledPods, random);

            assertThat(boundNode(Scheduler.schedule(pod, shuffledNodes, shuffledPods)))
                    .isEqualTo(expected);
        }
        assertThat(expected)
                .as("an empty node among the ties, the first by name")
                .isEqualTo("node-00");
    }

    @Test
    void preferNoScheduleTaintIsAvoidedWhenAnotherNodeFits() {
        List<Node> nodes = List.of(
                withTaints(node("a", "cpu", "8"), taint("spot", "true", "PreferNoSchedule")), node("b", "cpu", "8"));

        assertThat(boundNode(schedule(pod("p", "cpu", "1"), nodes, boundTo(pod("busy", "cpu", "4"), "b"))))
                .isEqualTo("b");
    }

    @Test
    void preferredNodeAffinityOutweighsASlightlyFullerNode() {
        List<Node> nodes = List.of(
                withLabels(node("a", "cpu", "8", "memory", "32Gi"), "zone", "west"),
                node("b", "cpu", "8", "memory", "32Gi"));
        Pod pod = new PodBuilder(pod("p", "cpu", "1", "memory", "1Gi"))
                .editSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(new PreferredSchedulingTermBuilder()
                        .withWeight(10)
                        .withNewPreference()
                        .withMatchExpressions(expr("zone", "In", "west"))
                        .endPreference()
                        .build())
                .endNodeAffinity()
                .endAffinity()
                .endSpec()
                .build();

        assertThat(boundNode(schedule(pod, nodes, boundTo(pod("busy", "cpu", "2", "memory", "8Gi"), "a"))))
                .isEqualTo("a");
    }
}
