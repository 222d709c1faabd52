package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.FakeNode;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scheduler on both targets: where pods land (node affinity on GPU Feature Discovery labels,
 * preferred affinity, pod affinity and anti-affinity, tolerations, topology spread, MIG resources)
 * and the exact {@code FailedScheduling} text of pods that cannot land. Node names carry the
 * scenario's namespace, since nodes are cluster-wide on the real control plane.
 */
class SchedulingScenarios {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String H100 = "NVIDIA-H100-80GB-HBM3";
    private static final String A100 = "NVIDIA-A100-SXM4-40GB";
    private static final String PRODUCT = "nvidia.com/gpu.product";

    static java.util.stream.Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    private static String node(Target t, String name) {
        return name + "-" + t.namespace();
    }

    /** An 8-GPU H100 node and an 8-GPU A100 node, as GPU Feature Discovery labels them. */
    private static void gpuNodes(Target t) {
        t.addNode(FakeNode.named(node(t, "h100")).withGpus(8, H100).withGpuMemoryMiB(81559));
        t.addNode(FakeNode.named(node(t, "a100")).withGpus(8, A100).withGpuMemoryMiB(40960));
    }

    private static Pod pod(String name, UnaryOperator<PodBuilder> more) {
        PodBuilder b = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("app", "probe"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .endSpec();
        return more.apply(b).build();
    }

    private static Pod gpuPod(String name, int gpus, UnaryOperator<PodBuilder> more) {
        return pod(
                name,
                b -> more.apply(b.editSpec()
                        .editFirstContainer()
                        .withNewResources()
                        .addToLimits("nvidia.com/gpu", new Quantity(String.valueOf(gpus)))
                        .endResources()
                        .endContainer()
                        .endSpec()));
    }

    private static void create(Target t, Pod pod) {
        t.client().pods().inNamespace(t.namespace()).resource(pod).create();
    }

    private static Pod get(Target t, String name) {
        return t.client().pods().inNamespace(t.namespace()).withName(name).get();
    }

    /** Waits until the pod is bound and returns its node. */
    private static String boundNode(Target t, String name) {
        t.await(name + " bound", WAIT, () -> {
            Pod p = get(t, name);
            return p != null && p.getSpec().getNodeName() != null;
        });
        return get(t, name).getSpec().getNodeName();
    }

    private static Optional<PodCondition> scheduled(Target t, String name) {
        Pod p = get(t, name);
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("PodScheduled"))
                .findFirst();
    }

    /** Waits until the scheduler has given up on the pod and returns its message. */
    private static String unschedulable(Target t, String name) {
        t.await(
                name + " Unschedulable",
                WAIT,
                () -> scheduled(t, name)
                        .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
                        .isPresent());
        return scheduled(t, name).orElseThrow().getMessage();
    }

    private static Affinity requiredNodeAffinity(String key, String operator, String... values) {
        return new AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirementBuilder()
                        .withKey(key)
                        .withOperator(operator)
                        .withValues(values)
                        .build())
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build();
    }

    @ParameterizedTest(name = "[{0}] scheduling/required node affinity on the GPU product picks that node")
    @MethodSource("kinds")
    void requiredAffinityPicksTheProduct(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    gpuPod(
                            "train",
                            1,
                            b -> b.editSpec()
                                    .withAffinity(requiredNodeAffinity(PRODUCT, "In", H100))
                                    .endSpec()));
            assertThat(boundNode(t, "train")).isEqualTo(node(t, "h100"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/node affinity NotIn keeps the pod off a product")
    @MethodSource("kinds")
    void notInKeepsThePodOff(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    gpuPod(
                            "train",
                            1,
                            b -> b.editSpec()
                                    .withAffinity(requiredNodeAffinity(PRODUCT, "NotIn", H100))
                                    .endSpec()));
            assertThat(boundNode(t, "train")).isEqualTo(node(t, "a100"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/node affinity Gt on GPU memory")
    @MethodSource("kinds")
    void gtOnGpuMemory(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    gpuPod(
                            "train",
                            1,
                            b -> b.editSpec()
                                    .withAffinity(requiredNodeAffinity("nvidia.com/gpu.memory", "Gt", "50000"))
                                    .endSpec()));
            assertThat(boundNode(t, "train")).isEqualTo(node(t, "h100"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/node affinity matching no node: FailedScheduling text")
    @MethodSource("kinds")
    void affinityMatchingNoNode(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    gpuPod(
                            "train",
                            1,
                            b -> b.editSpec()
                                    .withAffinity(requiredNodeAffinity(PRODUCT, "In", "NVIDIA-B200"))
                                    .endSpec()));
            assertThat(unschedulable(t, "train"))
                    .isEqualTo(
                            "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector."
                                    + " no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/preferred node affinity picks the preferred node")
    @MethodSource("kinds")
    void preferredAffinity(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    gpuPod(
                            "train",
                            1,
                            b -> b.editSpec()
                                    .withNewAffinity()
                                    .withNewNodeAffinity()
                                    .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                                    .withWeight(100)
                                    .withNewPreference()
                                    .withMatchExpressions(new NodeSelectorRequirementBuilder()
                                            .withKey(PRODUCT)
                                            .withOperator("In")
                                            .withValues(A100)
                                            .build())
                                    .endPreference()
                                    .endPreferredDuringSchedulingIgnoredDuringExecution()
                                    .endNodeAffinity()
                                    .endAffinity()
                                    .endSpec()));
            assertThat(boundNode(t, "train")).isEqualTo(node(t, "a100"));
        }
    }

    private static Affinity antiAffinityToProbes() {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withLabelSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("app", "probe"))
                        .build())
                .withTopologyKey("kubernetes.io/hostname")
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }

    @ParameterizedTest(
            name = "[{0}] scheduling/pod anti-affinity spreads two pods, a third waits: FailedScheduling text")
    @MethodSource("kinds")
    void antiAffinity(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            List<String> nodes = new ArrayList<>();
            for (String name : List.of("rank-0", "rank-1")) {
                create(
                        t,
                        pod(
                                name,
                                b -> b.editSpec()
                                        .withAffinity(antiAffinityToProbes())
                                        .endSpec()));
                nodes.add(boundNode(t, name));
            }
            assertThat(nodes).containsExactlyInAnyOrder(node(t, "h100"), node(t, "a100"));
            create(
                    t,
                    pod(
                            "rank-2",
                            b -> b.editSpec()
                                    .withAffinity(antiAffinityToProbes())
                                    .endSpec()));
            assertThat(unschedulable(t, "rank-2"))
                    .isEqualTo(
                            "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules."
                                    + " no new claims to deallocate, preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/pod affinity places a pod beside another")
    @MethodSource("kinds")
    void podAffinity(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    gpuPod(
                            "leader",
                            1,
                            b -> b.editSpec()
                                    .withAffinity(requiredNodeAffinity(PRODUCT, "In", A100))
                                    .endSpec()));
            String leaderNode = boundNode(t, "leader");
            create(
                    t,
                    pod(
                            "sidecar",
                            b -> b.editMetadata()
                                    .withLabels(Map.of("app", "sidecar"))
                                    .endMetadata()
                                    .editSpec()
                                    .withNewAffinity()
                                    .withNewPodAffinity()
                                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                                    .withLabelSelector(new LabelSelectorBuilder()
                                            .withMatchLabels(Map.of("app", "probe"))
                                            .build())
                                    .withTopologyKey("kubernetes.io/hostname")
                                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                                    .endPodAffinity()
                                    .endAffinity()
                                    .endSpec()));
            assertThat(boundNode(t, "sidecar")).isEqualTo(leaderNode).isEqualTo(node(t, "a100"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/a toleration with Exists lets a pod onto a tainted node")
    @MethodSource("kinds")
    void tolerationExists(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "gpu"))
                    .withGpus(8, H100)
                    .withTaint("nvidia.com/gpu", "present", "NoSchedule"));
            create(
                    t,
                    gpuPod(
                            "train",
                            1,
                            b -> b.editSpec()
                                    .withTolerations(new TolerationBuilder()
                                            .withKey("nvidia.com/gpu")
                                            .withOperator("Exists")
                                            .withEffect("NoSchedule")
                                            .build())
                                    .endSpec()));
            assertThat(boundNode(t, "train")).isEqualTo(node(t, "gpu"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/insufficient cpu and memory: FailedScheduling text")
    @MethodSource("kinds")
    void insufficientCpuAndMemory(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "small")).withCpu("4").withMemory("8Gi"));
            create(
                    t,
                    pod(
                            "huge",
                            b -> b.editSpec()
                                    .editFirstContainer()
                                    .withNewResources()
                                    .addToRequests("cpu", new Quantity("16"))
                                    .addToRequests("memory", new Quantity("64Gi"))
                                    .endResources()
                                    .endContainer()
                                    .endSpec()));
            assertThat(unschedulable(t, "huge"))
                    .isEqualTo("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory."
                            + " no new claims to deallocate, preemption: 0/1 nodes are available:"
                            + " 1 Preemption is not helpful for scheduling.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/a node's pod capacity: Too many pods")
    @MethodSource("kinds")
    void tooManyPods(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "tiny")).withPods(1));
            create(t, pod("first", b -> b));
            assertThat(boundNode(t, "first")).isEqualTo(node(t, "tiny"));
            create(t, pod("second", b -> b));
            assertThat(unschedulable(t, "second"))
                    .isEqualTo(
                            "0/1 nodes are available: 1 Too many pods."
                                    + " no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/a cordoned node: FailedScheduling text")
    @MethodSource("kinds")
    void cordonedNode(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "cordoned")));
            t.client().nodes().withName(node(t, "cordoned")).edit(n -> {
                n.getSpec().setUnschedulable(true);
                return n;
            });
            create(t, pod("waiting", b -> b));
            assertThat(unschedulable(t, "waiting"))
                    .isEqualTo(
                            "0/1 nodes are available: 1 node(s) were unschedulable."
                                    + " no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
            assertThat(get(t, "waiting").getSpec().getNodeName()).isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/a host port in use: FailedScheduling text")
    @MethodSource("kinds")
    void hostPortInUse(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "one")));
            UnaryOperator<PodBuilder> port = b -> b.editSpec()
                    .editFirstContainer()
                    .withPorts(new ContainerPortBuilder()
                            .withContainerPort(8888)
                            .withHostPort(8888)
                            .build())
                    .endContainer()
                    .endSpec();
            create(t, pod("first", port));
            assertThat(boundNode(t, "first")).isEqualTo(node(t, "one"));
            create(t, pod("second", port));
            assertThat(unschedulable(t, "second"))
                    .isEqualTo(
                            "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports."
                                    + " no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/spec.nodeName bypasses the scheduler")
    @MethodSource("kinds")
    void nodeNameBypassesTheScheduler(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "one")));
            t.addNode(FakeNode.named(node(t, "two")));
            create(
                    t,
                    pod("pinned", b -> b.editSpec().withNodeName(node(t, "two")).endSpec()));
            t.await(
                    "pinned Running",
                    WAIT,
                    () -> "Running".equals(get(t, "pinned").getStatus().getPhase()));
            Pod p = get(t, "pinned");
            assertThat(p.getSpec().getNodeName()).isEqualTo(node(t, "two"));
            // no PodScheduled written by a scheduler for a pod that never went through it
            assertThat(t.client()
                            .v1()
                            .events()
                            .inNamespace(t.namespace())
                            .list()
                            .getItems())
                    .noneMatch(e -> "Scheduled".equals(e.getReason()));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/a MIG slice request lands on the MIG node")
    @MethodSource("kinds")
    void migSlice(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "plain")).withGpus(8, H100));
            t.addNode(FakeNode.named(node(t, "mig")).withGpus(0, A100).withMig("1g.10gb", 7));
            create(
                    t,
                    pod(
                            "notebook",
                            b -> b.editSpec()
                                    .editFirstContainer()
                                    .withNewResources()
                                    .addToLimits("nvidia.com/mig-1g.10gb", new Quantity("1"))
                                    .endResources()
                                    .endContainer()
                                    .endSpec()));
            assertThat(boundNode(t, "notebook")).isEqualTo(node(t, "mig"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/topology spread over hostnames with maxSkew 1")
    @MethodSource("kinds")
    void topologySpread(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "worker-" + i;
                create(
                        t,
                        pod(
                                name,
                                b -> b.editSpec()
                                        .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
                                                .withMaxSkew(1)
                                                .withTopologyKey("kubernetes.io/hostname")
                                                .withWhenUnsatisfiable("DoNotSchedule")
                                                .withLabelSelector(new LabelSelectorBuilder()
                                                        .withMatchLabels(Map.of("app", "probe"))
                                                        .build())
                                                .build())
                                        .endSpec()));
                nodes.add(boundNode(t, name));
            }
            Map<String, Long> perNode = nodes.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
            assertThat(perNode).containsOnly(Map.entry(node(t, "h100"), 2L), Map.entry(node(t, "a100"), 2L));
        }
    }
}
