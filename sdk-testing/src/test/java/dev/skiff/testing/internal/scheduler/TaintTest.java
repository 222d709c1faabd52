package dev.skiff.testing.internal.scheduler;

import static dev.skiff.testing.internal.scheduler.Fixtures.boundNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.cordoned;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.gpuPod;
import static dev.skiff.testing.internal.scheduler.Fixtures.message;
import static dev.skiff.testing.internal.scheduler.Fixtures.node;
import static dev.skiff.testing.internal.scheduler.Fixtures.notHelpful;
import static dev.skiff.testing.internal.scheduler.Fixtures.pod;
import static dev.skiff.testing.internal.scheduler.Fixtures.schedule;
import static dev.skiff.testing.internal.scheduler.Fixtures.taint;
import static dev.skiff.testing.internal.scheduler.Fixtures.toleration;
import static dev.skiff.testing.internal.scheduler.Fixtures.withCondition;
import static dev.skiff.testing.internal.scheduler.Fixtures.withTaints;
import static dev.skiff.testing.internal.scheduler.Fixtures.withTolerations;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTest {
    private static final String TAINTED = "node(s) had untolerated taint(s)";
    private static final Taint GPU_TAINT = taint("nvidia.com/gpu", "present", "NoSchedule");

    private static Node taintedGpuNode() {
        return withTaints(gpuNode("gpu-0"), GPU_TAINT);
    }

    @Test
    void gpuTaintKeepsPodsWithoutTolerationAway() {
        assertThat(message(schedule(gpuPod("train", 1), List.of(taintedGpuNode()))))
                .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint(s). no new claims to"
                        + " deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for"
                        + " scheduling.");
    }

    @Test
    void existsTolerationOnTheGpuKeyAdmitsThePod() {
        var pod = withTolerations(gpuPod("train", 1), toleration("nvidia.com/gpu", "Exists", null, "NoSchedule"));

        assertThat(boundNode(schedule(pod, List.of(taintedGpuNode())))).isEqualTo("gpu-0");
    }

    static Stream<Arguments> tolerations() {
        return Stream.of(
                Arguments.of(toleration("nvidia.com/gpu", "Exists", null, null), true),
                Arguments.of(toleration("nvidia.com/gpu", "Equal", "present", "NoSchedule"), true),
                Arguments.of(toleration("nvidia.com/gpu", null, "present", "NoSchedule"), true),
                Arguments.of(toleration("nvidia.com/gpu", "Equal", "absent", "NoSchedule"), false),
                Arguments.of(toleration("nvidia.com/gpu", "Exists", null, "NoExecute"), false),
                Arguments.of(toleration("nvidia.com/gpu", "Exists", null, "PreferNoSchedule"), false),
                Arguments.of(toleration("amd.com/gpu", "Exists", null, "NoSchedule"), false),
                Arguments.of(toleration(null, "Exists", null, null), true),
                Arguments.of(toleration(null, "Exists", null, "NoSchedule"), true),
                Arguments.of(toleration("nvidia.com/gpu", "Gt", "1", "NoSchedule"), false));
    }

    @ParameterizedTest(name = "{0} tolerates nvidia.com/gpu=present:NoSchedule: {1}")
    @MethodSource("tolerations")
    void tolerationMatchesKeyValueAndEffect(Toleration toleration, boolean tolerated) {
        Decision d = schedule(withTolerations(gpuPod("train", 1), toleration), List.of(taintedGpuNode()));

        if (tolerated) {
            assertThat(boundNode(d)).isEqualTo("gpu-0");
        } else {
            assertThat(message(d)).isEqualTo(notHelpful(1, "1 " + TAINTED));
        }
    }

    @Test
    void noExecuteTaintsFilterToo() {
        Node node = withTaints(node("n"), taint("maintenance", "", "NoExecute"));

        assertThat(message(schedule(pod("p"), List.of(node)))).isEqualTo(notHelpful(1, "1 " + TAINTED));
    }

    @Test
    void preferNoScheduleTaintsDoNotFilter() {
        Node node = withTaints(node("n"), taint("spot", "true", "PreferNoSchedule"));

        assertThat(boundNode(schedule(pod("p"), List.of(node)))).isEqualTo("n");
    }

    @Test
    void everyTaintMustBeTolerated() {
        Node node = withTaints(taintedGpuNode(), taint("dedicated", "ml", "NoSchedule"));
        var pod = withTolerations(gpuPod("train", 1), toleration("nvidia.com/gpu", "Exists", null, "NoSchedule"));

        assertThat(message(schedule(pod, List.of(node)))).isEqualTo(notHelpful(1, "1 " + TAINTED));
    }

    @Test
    void cordonedNodeIsUnschedulable() {
        assertThat(message(schedule(pod("p"), List.of(cordoned(node("n"))))))
                .isEqualTo(notHelpful(1, "1 node(s) were unschedulable"));
    }

    @Test
    void podToleratingTheUnschedulableTaintIgnoresCordon() {
        var pod =
                withTolerations(pod("p"), toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule"));

        assertThat(boundNode(schedule(pod, List.of(cordoned(node("n")))))).isEqualTo("n");
    }

    @Test
    void cordonIsReportedBeforeTaints() {
        Node node = cordoned(withTaints(node("n"), taint("dedicated", "ml", "NoSchedule")));

        assertThat(message(schedule(pod("p"), List.of(node)))).isEqualTo(notHelpful(1, "1 node(s) were unschedulable"));
    }

    @Test
    void notReadyNodeIsTaintedAsTheNodeLifecycleControllerWould() {
        Node notReady = withCondition(node("n"), "Ready", "False");

        assertThat(message(schedule(pod("p"), List.of(notReady)))).isEqualTo(notHelpful(1, "1 " + TAINTED));
        assertThat(boundNode(schedule(
                        withTolerations(
                                pod("p"), toleration("node.kubernetes.io/not-ready", "Exists", null, "NoSchedule")),
                        List.of(notReady))))
                .isEqualTo("n");
    }

    @Test
    void unreachableNodeIsTaintedAsUnreachable() {
        Node unknown = withCondition(node("n"), "Ready", "Unknown");
        var toleratesNotReadyOnly =
                withTolerations(pod("p"), toleration("node.kubernetes.io/not-ready", "Exists", null, "NoSchedule"));
        var toleratesUnreachable =
                withTolerations(pod("p"), toleration("node.kubernetes.io/unreachable", "Exists", null, null));

        assertThat(message(schedule(toleratesNotReadyOnly, List.of(unknown)))).isEqualTo(notHelpful(1, "1 " + TAINTED));
        assertThat(boundNode(schedule(toleratesUnreachable, List.of(unknown)))).isEqualTo("n");
    }

    @Test
    void readyNodeAndNodeWithoutConditionsBothCountAsReady() {
        Node ready = withCondition(node("ready"), "Ready", "True");
        Node silent = node("silent");

        assertThat(boundNode(schedule(pod("p"), List.of(ready)))).isEqualTo("ready");
        assertThat(boundNode(schedule(pod("p"), List.of(silent)))).isEqualTo("silent");
    }

    @Test
    void pressureConditionsTaintTheNode() {
        Node pressured = withCondition(withCondition(node("n"), "Ready", "True"), "DiskPressure", "True");

        assertThat(message(schedule(pod("p"), List.of(pressured)))).isEqualTo(notHelpful(1, "1 " + TAINTED));
    }
}
