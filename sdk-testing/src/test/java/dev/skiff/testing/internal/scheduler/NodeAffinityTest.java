package dev.skiff.testing.internal.scheduler;

import static dev.skiff.testing.internal.scheduler.Fixtures.boundNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.boundTo;
import static dev.skiff.testing.internal.scheduler.Fixtures.expr;
import static dev.skiff.testing.internal.scheduler.Fixtures.fieldTerm;
import static dev.skiff.testing.internal.scheduler.Fixtures.message;
import static dev.skiff.testing.internal.scheduler.Fixtures.node;
import static dev.skiff.testing.internal.scheduler.Fixtures.notHelpful;
import static dev.skiff.testing.internal.scheduler.Fixtures.pod;
import static dev.skiff.testing.internal.scheduler.Fixtures.schedule;
import static dev.skiff.testing.internal.scheduler.Fixtures.term;
import static dev.skiff.testing.internal.scheduler.Fixtures.withLabels;
import static dev.skiff.testing.internal.scheduler.Fixtures.withNodeSelector;
import static dev.skiff.testing.internal.scheduler.Fixtures.withRequiredAffinity;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityTest {
    private static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";

    /** h100 (gpu.count 8), a100 (gpu.count 4), cpu (no GPU labels). */
    private static List<Node> nodes() {
        return List.of(
                withLabels(
                        node("a100"), "nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB", "nvidia.com/gpu.count", "4"),
                withLabels(node("cpu"), "pool", "general"),
                withLabels(
                        node("h100"), "nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu.count", "8"));
    }

    @Test
    void nodeSelectorPicksTheLabelledNode() {
        Pod pod = withNodeSelector(pod("p"), "nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3");

        assertThat(boundNode(schedule(pod, nodes()))).isEqualTo("h100");
    }

    @Test
    void nodeSelectorMatchingNoNodeExplainsEveryNode() {
        Pod pod = withNodeSelector(pod("p"), "nvidia.com/gpu.product", "Tesla-T4");

        assertThat(message(schedule(pod, nodes()))).isEqualTo(notHelpful(3, "3 " + AFFINITY));
    }

    @Test
    void nodeSelectorEntriesAreAllRequired() {
        Pod pod = withNodeSelector(
                pod("p"), "nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu.count", "4");

        assertThat(message(schedule(pod, nodes()))).isEqualTo(notHelpful(3, "3 " + AFFINITY));
    }

    static Stream<Arguments> operators() {
        return Stream.of(
                Arguments.of(expr("nvidia.com/gpu.product", "In", "NVIDIA-H100-80GB-HBM3", "Tesla-T4"), "h100"),
                Arguments.of(expr("nvidia.com/gpu.product", "NotIn", "NVIDIA-H100-80GB-HBM3"), "a100,cpu"),
                Arguments.of(expr("nvidia.com/gpu.product", "Exists"), "a100,h100"),
                Arguments.of(expr("nvidia.com/gpu.product", "DoesNotExist"), "cpu"),
                Arguments.of(expr("nvidia.com/gpu.count", "Gt", "4"), "h100"),
                Arguments.of(expr("nvidia.com/gpu.count", "Gt", "3"), "a100,h100"),
                Arguments.of(expr("nvidia.com/gpu.count", "Lt", "8"), "a100"),
                Arguments.of(expr("nvidia.com/gpu.count", "Lt", "4"), ""),
                Arguments.of(expr("nvidia.com/gpu.product", "Gt", "4"), ""),
                Arguments.of(expr("nvidia.com/gpu.count", "Gt", "four"), ""),
                Arguments.of(expr("pool", "In", "general"), "cpu"));
    }

    @ParameterizedTest(name = "{0} matches [{1}]")
    @MethodSource("operators")
    void eachOperatorSelectsItsNodes(NodeSelectorRequirement requirement, String expected) {
        for (Node node : nodes()) {
            String name = node.getMetadata().getName();
            Pod pod = withRequiredAffinity(pod("p"), term(requirement));

            Decision d = schedule(pod, List.of(node));

            boolean shouldMatch = List.of(expected.split(",")).contains(name);
            if (shouldMatch) {
                assertThat(boundNode(d)).as(name).isEqualTo(name);
            } else {
                assertThat(message(d)).as(name).isEqualTo(notHelpful(1, "1 " + AFFINITY));
            }
        }
    }

    @Test
    void termsAreOred() {
        Pod pod = withRequiredAffinity(
                pod("p"), term(expr("nvidia.com/gpu.product", "In", "Tesla-T4")), term(expr("pool", "In", "general")));

        assertThat(boundNode(schedule(pod, nodes()))).isEqualTo("cpu");
    }

    @Test
    void expressionsWithinATermAreAnded() {
        Pod both = withRequiredAffinity(
                pod("p"), term(expr("nvidia.com/gpu.product", "Exists"), expr("nvidia.com/gpu.count", "Gt", "4")));
        Pod none = withRequiredAffinity(
                pod("p"), term(expr("nvidia.com/gpu.product", "Exists"), expr("pool", "In", "general")));

        assertThat(boundNode(schedule(both, nodes()))).isEqualTo("h100");
        assertThat(message(schedule(none, nodes()))).isEqualTo(notHelpful(3, "3 " + AFFINITY));
    }

    @Test
    void nodeSelectorAndAffinityMustBothMatch() {
        Pod pod = withNodeSelector(
                withRequiredAffinity(pod("p"), term(expr("nvidia.com/gpu.product", "Exists"))), "pool", "general");

        assertThat(message(schedule(pod, nodes()))).isEqualTo(notHelpful(3, "3 " + AFFINITY));
    }

    @Test
    void matchFieldsOnNodeNameLeavesOtherNodesToThePrefilter() {
        Pod daemon = withRequiredAffinity(pod("ds"), fieldTerm(expr("metadata.name", "In", "a100")));
        Pod hungry = withRequiredAffinity(pod("ds", "cpu", "1"), fieldTerm(expr("metadata.name", "In", "a100")));
        List<Node> busy = List.of(node("a100", "cpu", "2"), node("cpu", "cpu", "8"), node("h100", "cpu", "8"));

        assertThat(boundNode(schedule(daemon, nodes()))).isEqualTo("a100");
        assertThat(message(schedule(hungry, busy, boundTo(pod("web", "cpu", "1500m"), "a100"))))
                .isEqualTo("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s)"
                        + " [NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available:"
                        + " 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for"
                        + " scheduling.");
    }

    @Test
    void matchFieldsNotInExcludesTheNamedNode() {
        Pod pod = withRequiredAffinity(pod("p"), fieldTerm(expr("metadata.name", "NotIn", "a100", "cpu")));

        assertThat(boundNode(schedule(pod, nodes()))).isEqualTo("h100");
    }

    @Test
    void termsNamingDisjointNodesConflict() {
        Pod pod = withRequiredAffinity(
                pod("p"), fieldTerm(expr("metadata.name", "In", "a100"), expr("metadata.name", "In", "h100")));

        assertThat(message(schedule(pod, nodes())))
                .isEqualTo("0/3 nodes are available: pod affinity terms conflict. no new claims to deallocate,"
                        + " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    }
}
