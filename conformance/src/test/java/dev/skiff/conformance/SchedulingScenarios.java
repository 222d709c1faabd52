package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.FakeNode;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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

    private static final String HOSTNAME = "kubernetes.io/hostname";

    private static LabelSelector app(String value) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of("app", value)).build();
    }

    /** Labels the pod {@code app=<value>}. */
    private static UnaryOperator<PodBuilder> labelled(String value) {
        return b -> b.editMetadata().withLabels(Map.of("app", value)).endMetadata();
    }

    /** Pins the pod to a node by its hostname label (node affinity, not spec.nodeName: it goes through the scheduler). */
    private static UnaryOperator<PodBuilder> pinnedTo(String nodeName) {
        return b -> b.editSpec().withNodeSelector(Map.of(HOSTNAME, nodeName)).endSpec();
    }

    private static UnaryOperator<PodBuilder> requests(String cpu, String memory) {
        return b -> b.editSpec()
                .editFirstContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity(memory))
                .endResources()
                .endContainer()
                .endSpec();
    }

    private static Pod pod(String name, List<UnaryOperator<PodBuilder>> changes) {
        return pod(name, b -> {
            PodBuilder out = b;
            for (UnaryOperator<PodBuilder> c : changes) {
                out = c.apply(out);
            }
            return out;
        });
    }

    private static TopologySpreadConstraint spread(
            String key, String whenUnsatisfiable, @org.jspecify.annotations.Nullable Integer minDomains) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey(key)
                .withWhenUnsatisfiable(whenUnsatisfiable)
                .withMinDomains(minDomains)
                .withLabelSelector(app("probe"))
                .build();
    }

    @ParameterizedTest(name = "[{0}] scheduling/pod affinity no pod satisfies: FailedScheduling text")
    @MethodSource("kinds")
    void podAffinityUnsatisfiable(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    pod(
                            "follower",
                            b -> b.editSpec()
                                    .withNewAffinity()
                                    .withNewPodAffinity()
                                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                                    .withLabelSelector(app("leader"))
                                    .withTopologyKey(HOSTNAME)
                                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                                    .endPodAffinity()
                                    .endAffinity()
                                    .endSpec()));
            assertThat(unschedulable(t, "follower"))
                    .isEqualTo("0/2 nodes are available: 2 node(s) didn't match pod affinity rules."
                            + " no new claims to deallocate, preemption: 0/2 nodes are available:"
                            + " 2 Preemption is not helpful for scheduling.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/the first pods of a self-affine group land together")
    @MethodSource("kinds")
    void selfAffineGroup(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            UnaryOperator<PodBuilder> together = b -> b.editSpec()
                    .withNewAffinity()
                    .withNewPodAffinity()
                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withLabelSelector(app("probe"))
                    .withTopologyKey(HOSTNAME)
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endPodAffinity()
                    .endAffinity()
                    .endSpec();
            create(t, pod("rank-0", together));
            String first = boundNode(t, "rank-0");
            for (String name : List.of("rank-1", "rank-2")) {
                create(t, pod(name, together));
                assertThat(boundNode(t, name)).isEqualTo(first);
            }
        }
    }

    @ParameterizedTest(
            name = "[{0}] scheduling/an existing pod's anti-affinity keeps matching pods away: FailedScheduling text")
    @MethodSource("kinds")
    void existingPodsAntiAffinity(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "solo")));
            create(
                    t,
                    pod(
                            "loner",
                            b -> labelled("loner")
                                    .apply(b)
                                    .editSpec()
                                    .withAffinity(antiAffinityToProbes())
                                    .endSpec()));
            assertThat(boundNode(t, "loner")).isEqualTo(node(t, "solo"));
            create(t, pod("probe", b -> b));
            assertThat(unschedulable(t, "probe"))
                    .isEqualTo("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules."
                            + " no new claims to deallocate, preemption: 0/1 nodes are available:"
                            + " 1 No preemption victims found for incoming pod.");
            // a pod the anti-affinity does not select is welcome
            create(t, pod("other", labelled("other")));
            assertThat(boundNode(t, "other")).isEqualTo(node(t, "solo"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/topology spread minDomains above the node count: FailedScheduling text")
    @MethodSource("kinds")
    void topologySpreadMinDomains(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            UnaryOperator<PodBuilder> spread = b -> b.editSpec()
                    .withTopologySpreadConstraints(spread(HOSTNAME, "DoNotSchedule", 3))
                    .endSpec();
            List<String> nodes = new ArrayList<>();
            for (String name : List.of("worker-0", "worker-1")) {
                create(t, pod(name, spread));
                nodes.add(boundNode(t, name));
            }
            assertThat(nodes).containsExactlyInAnyOrder(node(t, "h100"), node(t, "a100"));
            // two domains < minDomains 3: the global minimum counts as 0, so a second pod per node is a skew of 2
            create(t, pod("worker-2", spread));
            assertThat(unschedulable(t, "worker-2"))
                    .isEqualTo("0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints."
                            + " no new claims to deallocate, preemption: 0/2 nodes are available:"
                            + " 2 No preemption victims found for incoming pod.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/topology spread over a key no node has: FailedScheduling text")
    @MethodSource("kinds")
    void topologySpreadMissingLabel(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    pod(
                            "worker",
                            b -> b.editSpec()
                                    .withTopologySpreadConstraints(
                                            spread("topology.kubernetes.io/zone", "DoNotSchedule", null))
                                    .endSpec()));
            assertThat(unschedulable(t, "worker"))
                    .isEqualTo("0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints"
                            + " (missing required label). no new claims to deallocate, preemption: 0/2 nodes are"
                            + " available: 2 Preemption is not helpful for scheduling.");
        }
    }

    /**
     * Nodes {@code busy} and {@code light} of 4 cpu and 8Gi: {@code busy} holds a pod requesting half
     * of it, {@code light} two small {@code app=probe} pods. Resource scoring alone prefers {@code
     * light}; spreading {@code app=probe} pods prefers {@code busy}.
     */
    private static void busyAndLight(Target t) {
        t.addNode(FakeNode.named(node(t, "busy")).withCpu("4").withMemory("8Gi"));
        t.addNode(FakeNode.named(node(t, "light")).withCpu("4").withMemory("8Gi"));
        create(t, pod("big", List.of(labelled("big"), pinnedTo(node(t, "busy")), requests("2", "4Gi"))));
        for (String name : List.of("small-0", "small-1")) {
            create(t, pod(name, pinnedTo(node(t, "light"))));
        }
        for (String name : List.of("big", "small-0", "small-1")) {
            boundNode(t, name);
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/ScheduleAnyway spread outweighs resource scoring")
    @MethodSource("kinds")
    void scheduleAnyway(Target.Kind kind) {
        try (Target t = kind.open()) {
            busyAndLight(t);
            create(
                    t,
                    pod(
                            "spread",
                            b -> b.editSpec()
                                    .withTopologySpreadConstraints(spread(HOSTNAME, "ScheduleAnyway", null))
                                    .endSpec()));
            assertThat(boundNode(t, "spread")).isEqualTo(node(t, "busy"));
            // the same pod without the constraint goes where resources are free
            create(t, pod("plain", b -> b));
            assertThat(boundNode(t, "plain")).isEqualTo(node(t, "light"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/preferred pod anti-affinity outweighs resource scoring")
    @MethodSource("kinds")
    void preferredAntiAffinity(Target.Kind kind) {
        try (Target t = kind.open()) {
            busyAndLight(t);
            create(
                    t,
                    pod(
                            "apart",
                            b -> b.editSpec()
                                    .withNewAffinity()
                                    .withNewPodAntiAffinity()
                                    .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                                    .withWeight(100)
                                    .withNewPodAffinityTerm()
                                    .withLabelSelector(app("probe"))
                                    .withTopologyKey(HOSTNAME)
                                    .endPodAffinityTerm()
                                    .endPreferredDuringSchedulingIgnoredDuringExecution()
                                    .endPodAntiAffinity()
                                    .endAffinity()
                                    .endSpec()));
            assertThat(boundNode(t, "apart")).isEqualTo(node(t, "busy"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/a Deployment's replicas spread by the default constraints")
    @MethodSource("kinds")
    void deploymentDefaultSpreading(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named(node(t, "busy")).withCpu("4").withMemory("8Gi"));
            t.addNode(FakeNode.named(node(t, "light")).withCpu("4").withMemory("8Gi"));
            create(t, pod("big", List.of(labelled("big"), pinnedTo(node(t, "busy")), requests("2", "4Gi"))));
            boundNode(t, "big");
            Deployment d = new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("serve")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(2)
                    .withSelector(app("serve"))
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "serve")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox:1.36")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build();
            t.client()
                    .apps()
                    .deployments()
                    .inNamespace(t.namespace())
                    .resource(d)
                    .create();
            t.await("two replicas bound", WAIT, () -> replicaNodes(t).size() == 2);
            // resource scoring alone would put both on light; the system default spreading
            // (hostname, maxSkew 3, ScheduleAnyway, over the ReplicaSet's selector) sends one to busy
            assertThat(replicaNodes(t)).containsExactlyInAnyOrder(node(t, "busy"), node(t, "light"));
        }
    }

    private static List<String> replicaNodes(Target t) {
        return t.client().pods().inNamespace(t.namespace()).withLabel("app", "serve").list().getItems().stream()
                .map(p -> p.getSpec().getNodeName())
                .filter(n -> n != null)
                .collect(Collectors.toList());
    }

    @ParameterizedTest(name = "[{0}] scheduling/a pod waiting for pod affinity lands once its peer is bound")
    @MethodSource("kinds")
    void podAffinityWaitsForItsPeer(Target.Kind kind) {
        try (Target t = kind.open()) {
            gpuNodes(t);
            create(
                    t,
                    pod(
                            "sidecar",
                            b -> labelled("sidecar")
                                    .apply(b)
                                    .editSpec()
                                    .withNewAffinity()
                                    .withNewPodAffinity()
                                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                                    .withLabelSelector(app("leader"))
                                    .withTopologyKey(HOSTNAME)
                                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                                    .endPodAffinity()
                                    .endAffinity()
                                    .endSpec()));
            assertThat(unschedulable(t, "sidecar")).contains("2 node(s) didn't match pod affinity rules.");
            create(t, pod("leader", List.of(labelled("leader"), pinnedTo(node(t, "a100")))));
            assertThat(boundNode(t, "leader")).isEqualTo(node(t, "a100"));
            assertThat(boundNode(t, "sidecar")).isEqualTo(node(t, "a100"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/topology spread over zones of unequal size")
    @MethodSource("kinds")
    void topologySpreadOverZones(Target.Kind kind) {
        try (Target t = kind.open()) {
            String zone = "topology.kubernetes.io/zone";
            t.addNode(FakeNode.named(node(t, "a1")).withLabel(zone, "zone-a"));
            t.addNode(FakeNode.named(node(t, "a2")).withLabel(zone, "zone-a"));
            t.addNode(FakeNode.named(node(t, "b1")).withLabel(zone, "zone-b"));
            Map<String, String> zoneOf = Map.of(
                    node(t, "a1"), "zone-a",
                    node(t, "a2"), "zone-a",
                    node(t, "b1"), "zone-b");
            List<String> zones = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "worker-" + i;
                create(
                        t,
                        pod(
                                name,
                                b -> b.editSpec()
                                        .withTopologySpreadConstraints(spread(zone, "DoNotSchedule", null))
                                        .endSpec()));
                zones.add(zoneOf.get(boundNode(t, name)));
            }
            // whichever zone the first pod of each pair picks, the second must take the other one
            assertThat(zones.subList(0, 2)).containsExactlyInAnyOrder("zone-a", "zone-b");
            assertThat(zones.subList(2, 4)).containsExactlyInAnyOrder("zone-a", "zone-b");
        }
    }
}
