package dev.skiff.testing.internal.scheduler;

import static dev.skiff.testing.internal.scheduler.Fixtures.boundTo;
import static dev.skiff.testing.internal.scheduler.Fixtures.cordoned;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuPod;
import static dev.skiff.testing.internal.scheduler.Fixtures.message;
import static dev.skiff.testing.internal.scheduler.Fixtures.node;
import static dev.skiff.testing.internal.scheduler.Fixtures.pod;
import static dev.skiff.testing.internal.scheduler.Fixtures.podBuilder;
import static dev.skiff.testing.internal.scheduler.Fixtures.schedule;
import static dev.skiff.testing.internal.scheduler.Fixtures.taint;
import static dev.skiff.testing.internal.scheduler.Fixtures.unschedulable;
import static dev.skiff.testing.internal.scheduler.Fixtures.withHostPort;
import static dev.skiff.testing.internal.scheduler.Fixtures.withPriority;
import static dev.skiff.testing.internal.scheduler.Fixtures.withTaints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailedSchedulingMessageTest {

    @Test
    void zeroNodesSayNoNodesAvailable() {
        Decision.Unschedulable d = unschedulable(schedule(pod("p"), List.of()));

        assertThat(d.message()).isEqualTo("no nodes available to schedule pods");
        assertThat(d.reasonCounts()).isEmpty();
    }

    @Test
    void reasonsFromSeveralNodesAreCountedAndSorted() {
        List<Node> nodes = List.of(
                node("cpu-0", "cpu", "2", "memory", "8Gi"),
                gpuNode("gpu-0"),
                gpuNode("gpu-1"),
                withTaints(gpuNode("gpu-2"), taint("nvidia.com/gpu", "present", "NoSchedule")),
                cordoned(gpuNode("gpu-3")));
        Pod pod = new PodBuilder(gpuPod("train", 4))
                .editSpec()
                .editFirstContainer()
                .editResources()
                .addToRequests(Fixtures.res("cpu", "4", "memory", "16Gi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();

        Decision d = schedule(pod, nodes, boundTo(gpuPod("a", 6), "gpu-0"), boundTo(gpuPod("b", 6), "gpu-1"));

        assertThat(message(d))
                .isEqualTo("0/5 nodes are available: 1 Insufficient cpu, 1 Insufficient memory,"
                        + " 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable,"
                        + " 3 Insufficient nvidia.com/gpu."
                        + " no new claims to deallocate, preemption: 0/5 nodes are available:"
                        + " 2 No preemption victims found for incoming pod,"
                        + " 3 Preemption is not helpful for scheduling.");
        assertThat(unschedulable(d).reasonCounts())
                .containsExactly(
                        Map.entry("Insufficient cpu", 1),
                        Map.entry("Insufficient memory", 1),
                        Map.entry("node(s) had untolerated taint(s)", 1),
                        Map.entry("node(s) were unschedulable", 1),
                        Map.entry("Insufficient nvidia.com/gpu", 3));
    }

    @Test
    void histogramSortsTheFormattedStringsSoTenComesBeforeTwo() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(cordoned(node("cordoned-" + i, "cpu", "8")));
        }
        nodes.add(node("small-0", "cpu", "1"));
        nodes.add(node("small-1", "cpu", "1"));

        Decision d = schedule(pod("p", "cpu", "2"), nodes);

        assertThat(message(d))
                .isEqualTo("0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu."
                        + " no new claims to deallocate, preemption: 0/12 nodes are available:"
                        + " 12 Preemption is not helpful for scheduling.");
        assertThat(unschedulable(d).reasonCounts())
                .containsExactly(Map.entry("node(s) were unschedulable", 10), Map.entry("Insufficient cpu", 2));
    }

    @Test
    void preemptionPolicyNeverSaysSo() {
        Pod pod = new PodBuilder(gpuPod("train", 8))
                .editSpec()
                .withPreemptionPolicy("Never")
                .withPriority(1000)
                .endSpec()
                .build();

        Decision d = schedule(pod, List.of(gpuNode("gpu-0")), boundTo(gpuPod("low", 4), "gpu-0"));

        assertThat(message(d))
                .isEqualTo("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. no new claims to deallocate,"
                        + " preemption: not eligible due to preemptionPolicy=Never.");
    }

    @Test
    void lowerPriorityPodsThatWouldMakeRoomLeaveOutThePreemptionPart() {
        Pod urgent = withPriority(gpuPod("urgent", 8), 1000);

        Decision.Unschedulable d = unschedulable(schedule(
                urgent,
                List.of(gpuNode("gpu-0"), gpuNode("gpu-1")),
                boundTo(withPriority(gpuPod("batch", 4), 0), "gpu-0"),
                boundTo(withPriority(gpuPod("serving", 4), 2000), "gpu-1")));

        assertThat(d.message()).isEqualTo("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.");
        assertThat(d.preemptionNodes()).containsExactly("gpu-0");
    }

    @Test
    void lowerPriorityPodsThatWouldNotMakeRoomAreReportedWithTheReasonThatRemains() {
        Pod urgent = withPriority(gpuPod("urgent", 8), 1000);

        Decision d = schedule(
                urgent,
                List.of(gpuNode("gpu-0")),
                boundTo(withPriority(gpuPod("batch", 2), 0), "gpu-0"),
                boundTo(withPriority(gpuPod("serving", 2), 2000), "gpu-0"));

        assertThat(message(d))
                .isEqualTo("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. no new claims to deallocate,"
                        + " preemption: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.");
        assertThat(unschedulable(d).preemptionNodes()).isEmpty();
    }

    @Test
    void takenHostPortKeepsASecondPodAway() {
        Pod first = withHostPort(pod("first"), 8080);
        Pod second = withHostPort(pod("second"), 8080);

        assertThat(message(schedule(second, List.of(node("n")), boundTo(first, "n"))))
                .isEqualTo("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod"
                        + " ports. no new claims to deallocate, preemption: 0/1 nodes are available:"
                        + " 1 No preemption victims found for incoming pod.");
        assertThat(Fixtures.boundNode(
                        schedule(withHostPort(pod("other"), 9090), List.of(node("n")), boundTo(first, "n"))))
                .isEqualTo("n");
    }

    @Test
    void podWithPresetNodeNameIsRejected() {
        Pod pod = boundTo(pod("p"), "n");

        assertThatThrownBy(() -> schedule(pod, List.of(node("n"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default/p already has spec.nodeName n");
    }

    @Test
    void duplicateNodeNamesAreRejected() {
        assertThatThrownBy(() -> schedule(pod("p"), List.of(node("n"), node("n"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node names must be unique, but n appears twice");
    }

    @Test
    void unschedulableResultIsImmutable() {
        Decision.Unschedulable d =
                unschedulable(schedule(podBuilder("p", "cpu", "2").build(), List.of(node("n", "cpu", "1"))));

        assertThatThrownBy(() -> d.reasonCounts().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> d.preemptionNodes().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
