package dev.skiff.testing.internal.scheduler;

import static dev.skiff.testing.internal.scheduler.Fixtures.GPU;
import static dev.skiff.testing.internal.scheduler.Fixtures.boundNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.boundTo;
import static dev.skiff.testing.internal.scheduler.Fixtures.container;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuPod;
import static dev.skiff.testing.internal.scheduler.Fixtures.message;
import static dev.skiff.testing.internal.scheduler.Fixtures.noVictims;
import static dev.skiff.testing.internal.scheduler.Fixtures.node;
import static dev.skiff.testing.internal.scheduler.Fixtures.notHelpful;
import static dev.skiff.testing.internal.scheduler.Fixtures.pod;
import static dev.skiff.testing.internal.scheduler.Fixtures.podBuilder;
import static dev.skiff.testing.internal.scheduler.Fixtures.res;
import static dev.skiff.testing.internal.scheduler.Fixtures.schedule;
import static dev.skiff.testing.internal.scheduler.Fixtures.unschedulable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceFitTest {

    @ParameterizedTest(name = "{0} GPUs requested, {1} in use on an 8-GPU node → fits: {2}")
    @CsvSource({"1,0,true", "4,0,true", "8,0,true", "4,4,true", "8,4,false", "5,4,false", "1,8,false"})
    void gpuPodFitsOnlyIntoFreeGpus(int requested, int used, boolean fits) {
        List<Pod> bound = new ArrayList<>();
        if (used > 0) {
            bound.add(boundTo(gpuPod("running", used), "gpu-0"));
        }
        Decision d = Scheduler.schedule(gpuPod("train", requested), List.of(gpuNode("gpu-0")), bound);

        if (fits) {
            assertThat(boundNode(d)).isEqualTo("gpu-0");
        } else {
            assertThat(message(d)).isEqualTo(noVictims(1, "1 Insufficient nvidia.com/gpu"));
        }
    }

    @Test
    void eightGpuPodWaitsWhenFourOfEightAreUsed() {
        Decision d = schedule(gpuPod("train", 8), List.of(gpuNode("gpu-0")), boundTo(gpuPod("a", 4), "gpu-0"));

        assertThat(message(d))
                .isEqualTo("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. no new claims to deallocate,"
                        + " preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
        assertThat(unschedulable(d).reasonCounts()).containsExactly(Map.entry("Insufficient nvidia.com/gpu", 1));
        assertThat(unschedulable(d).preemptionNodes()).isEmpty();
    }

    @Test
    void gpuPodOnNodesWithoutGpusIsNotHelpedByPreemption() {
        Decision d = schedule(gpuPod("train", 1), List.of(node("cpu-0", "cpu", "8"), node("cpu-1", "cpu", "8")));

        assertThat(message(d)).isEqualTo(notHelpful(2, "2 Insufficient nvidia.com/gpu"));
    }

    @Test
    void requestBeyondAllocatableIsNotHelpedByPreemption() {
        Decision d = schedule(gpuPod("train", 9), List.of(gpuNode("gpu-0")));

        assertThat(message(d)).isEqualTo(notHelpful(1, "1 Insufficient nvidia.com/gpu"));
    }

    @Test
    void gpuPodsPackUntilEveryGpuIsTaken() {
        ClusterState state = ClusterState.of(List.of(gpuNode("gpu-0"), gpuNode("gpu-1")), List.of());
        for (int i = 0; i < 4; i++) {
            Pod pod = gpuPod("p" + i, 4);
            state.bind(boundTo(pod, boundNode(state.schedule(pod))));
        }

        assertThat(message(state.schedule(gpuPod("p4", 1)))).isEqualTo(noVictims(2, "2 Insufficient nvidia.com/gpu"));
        assertThat(state.usage("gpu-0").orElseThrow().free(GPU)).isZero();
        assertThat(state.usage("gpu-1").orElseThrow().free(GPU)).isZero();
    }

    @Test
    void migProfilesAreCountedAsTheirOwnResource() {
        Node node = node("mig-0", "cpu", "8", "nvidia.com/mig-1g.10gb", "7", "nvidia.com/mig-3g.40gb", "2");
        Pod slice = podBuilder("slice", "nvidia.com/mig-3g.40gb", "1").build();

        assertThat(boundNode(schedule(
                        slice,
                        List.of(node),
                        boundTo(
                                podBuilder("other", "nvidia.com/mig-3g.40gb", "1")
                                        .build(),
                                "mig-0"))))
                .isEqualTo("mig-0");
        assertThat(message(schedule(
                        slice,
                        List.of(node),
                        boundTo(podBuilder("a", "nvidia.com/mig-3g.40gb", "1").build(), "mig-0"),
                        boundTo(podBuilder("b", "nvidia.com/mig-3g.40gb", "1").build(), "mig-0"))))
                .isEqualTo(noVictims(1, "1 Insufficient nvidia.com/mig-3g.40gb"));
    }

    @ParameterizedTest(name = "node {0} cpu, {1} in use, pod {2} → fits: {3}")
    @CsvSource({
        "2, 1500m, 500m, true",
        "2, 1500m, 501m, false",
        "2, 0, 2, true",
        "2, 0, 2001m, false",
        "500m, 0, 0.5, true",
        "500m, 100m, 0.4, true",
        "500m, 100m, 0.401, false",
        "1, 999m, 1m, true",
        "1, 999m, 0.0011, false",
    })
    void cpuIsComparedInMillicores(String allocatable, String used, String request, boolean fits) {
        List<Pod> bound = "0".equals(used) ? List.of() : List.of(boundTo(pod("used", "cpu", used), "n"));

        Decision d = Scheduler.schedule(pod("p", "cpu", request), List.of(node("n", "cpu", allocatable)), bound);

        if (fits) {
            assertThat(boundNode(d)).isEqualTo("n");
        } else {
            assertThat(message(d)).startsWith("0/1 nodes are available: 1 Insufficient cpu.");
        }
    }

    @ParameterizedTest(name = "node {0} memory, {1} in use, pod {2} → fits: {3}")
    @CsvSource({
        "1Gi, 0, 1G, true",
        "1G, 0, 1Gi, false",
        "1Gi, 0, 1073741824, true",
        "1Gi, 0, 1073741825, false",
        "4Gi, 3Gi, 1024Mi, true",
        "4Gi, 3Gi, 1025Mi, false",
        "4Gi, 3500M, 794967296, true",
        "4Gi, 3500M, 794967297, false",
    })
    void memoryUnitsAreExact(String allocatable, String used, String request, boolean fits) {
        List<Pod> bound = "0".equals(used) ? List.of() : List.of(boundTo(pod("used", "memory", used), "n"));

        Decision d = Scheduler.schedule(pod("p", "memory", request), List.of(node("n", "memory", allocatable)), bound);

        if (fits) {
            assertThat(boundNode(d)).isEqualTo("n");
        } else {
            assertThat(message(d)).startsWith("0/1 nodes are available: 1 Insufficient memory.");
        }
    }

    @Test
    void everyInsufficientResourceOfANodeIsAReason() {
        Decision d = schedule(
                podBuilder("p", "cpu", "4", "memory", "8Gi", "ephemeral-storage", "20Gi")
                        .build(),
                List.of(node("n", "cpu", "2", "memory", "4Gi", "ephemeral-storage", "10Gi")));

        assertThat(unschedulable(d).reasonCounts())
                .containsExactly(
                        Map.entry("Insufficient cpu", 1),
                        Map.entry("Insufficient ephemeral-storage", 1),
                        Map.entry("Insufficient memory", 1));
        assertThat(message(d))
                .isEqualTo(
                        notHelpful(1, "1 Insufficient cpu, 1 Insufficient ephemeral-storage, 1 Insufficient memory"));
    }

    @Test
    void largestInitContainerSetsTheRequestWhenItExceedsTheContainers() {
        Pod pod = new PodBuilder(pod("p", "cpu", "1"))
                .editSpec()
                .addToContainers(container("second", res("cpu", "1")))
                .addToInitContainers(container("init-a", res("cpu", "3")), container("init-b", res("cpu", "2")))
                .endSpec()
                .build();

        assertThat(message(schedule(pod, List.of(node("n", "cpu", "2900m")))))
                .startsWith("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(boundNode(schedule(pod, List.of(node("n", "cpu", "3"))))).isEqualTo("n");
    }

    @Test
    void containersSetTheRequestWhenTheyExceedEveryInitContainer() {
        Pod pod = new PodBuilder(pod("p", "cpu", "2"))
                .editSpec()
                .addToContainers(container("second", res("cpu", "2")))
                .addToInitContainers(container("init", res("cpu", "3")))
                .endSpec()
                .build();

        assertThat(message(schedule(pod, List.of(node("n", "cpu", "3900m")))))
                .startsWith("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(boundNode(schedule(pod, List.of(node("n", "cpu", "4"))))).isEqualTo("n");
    }

    @Test
    void sidecarInitContainersAddToTheContainers() {
        Pod pod = new PodBuilder(pod("p", "cpu", "1"))
                .editSpec()
                .addToInitContainers(new ContainerBuilder(container("sidecar", res("cpu", "500m")))
                        .withRestartPolicy("Always")
                        .build())
                .endSpec()
                .build();

        assertThat(message(schedule(pod, List.of(node("n", "cpu", "1499m")))))
                .startsWith("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(boundNode(schedule(pod, List.of(node("n", "cpu", "1500m"))))).isEqualTo("n");
    }

    @Test
    void podOverheadAddsToTheRequest() {
        Pod pod = new PodBuilder(pod("p", "cpu", "1"))
                .editSpec()
                .withOverhead(res("cpu", "250m"))
                .endSpec()
                .build();

        assertThat(message(schedule(pod, List.of(node("n", "cpu", "1249m")))))
                .startsWith("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(boundNode(schedule(pod, List.of(node("n", "cpu", "1250m"))))).isEqualTo("n");
    }

    @Test
    void requestsDefaultFromLimitsWhenAbsent() {
        Pod limitsOnly = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withNewResources()
                .withLimits(res("cpu", "2", "memory", "1Gi"))
                .withRequests(res("cpu", "1"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();

        assertThat(message(schedule(limitsOnly, List.of(node("n", "cpu", "1", "memory", "1023Mi")))))
                .as("memory defaults from its limit, cpu keeps its request")
                .startsWith("0/1 nodes are available: 1 Insufficient memory.");
        assertThat(boundNode(schedule(limitsOnly, List.of(node("n", "cpu", "1", "memory", "1Gi")))))
                .isEqualTo("n");
    }

    @Test
    void podCountIsLimitedByAllocatablePods() {
        Node node = node("n", "cpu", "8", "pods", "2");

        assertThat(boundNode(schedule(pod("p"), List.of(node), boundTo(pod("a"), "n"))))
                .isEqualTo("n");
        assertThat(message(schedule(pod("p"), List.of(node), boundTo(pod("a"), "n"), boundTo(pod("b"), "n"))))
                .isEqualTo(noVictims(1, "1 Too many pods"));
    }

    @Test
    void terminatedPodsHoldNothing() {
        Pod finished = Fixtures.withPhase(boundTo(gpuPod("done", 8), "gpu-0"), "Succeeded");
        Pod failed = Fixtures.withPhase(boundTo(gpuPod("failed", 8), "gpu-0"), "Failed");

        assertThat(boundNode(schedule(gpuPod("train", 8), List.of(gpuNode("gpu-0")), finished, failed)))
                .isEqualTo("gpu-0");
    }

    @Test
    void podWithoutRequestsFitsAnyNodeWithAFreeSlot() {
        assertThat(boundNode(schedule(pod("p"), List.of(node("n"))))).isEqualTo("n");
    }

    @Test
    void unparsableQuantityNamesThePodAndField() {
        Pod pod = podBuilder("p", "cpu", "lots").build();

        assertThatThrownBy(() -> schedule(pod, List.of(node("n", "cpu", "1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default/p spec.containers[0].resources.requests[cpu]")
                .hasMessageContaining("lots");
    }
}
