package dev.skiff.gpu;

import static dev.skiff.testing.SkiffAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.gpu.GpuSharing.Target;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request shape of {@link Gpu}, submitted to an in-memory cluster of real GPU node shapes:
 * the pods land on the node that has what they ask for, or pend with the scheduler's reason.
 */
class GpuSchedulingIT {
    private static final String NS = "default";

    /** 8× H100 80GB SXM, labelled by GPU Feature Discovery, tainted as the GPU operator does. */
    static final FakeNode H100 = FakeNode.named("h100-1")
            .withCpu("192")
            .withMemory("2Ti")
            .withGpus(8, "NVIDIA-H100-80GB-HBM3")
            .withGpuMemoryMiB(81_559)
            .withTaint("nvidia.com/gpu", "present", "NoSchedule");

    /**
     * 8× A100 40GB, MIG mixed strategy: four whole GPUs, two cut into 7× 1g.5gb, two into 2×
     * 3g.20gb.
     */
    static final FakeNode A100_MIG = FakeNode.named("a100-mig")
            .withCpu("128")
            .withMemory("1Ti")
            .withGpus(4, "NVIDIA-A100-SXM4-40GB")
            .withGpuMemoryMiB(40_960)
            .withMig("1g.5gb", 14)
            .withMig("3g.20gb", 4)
            .withTaint("nvidia.com/gpu", "present", "NoSchedule");

    /** 4× MI300X, labelled by AMD's node labeller. */
    static final FakeNode MI300X = FakeNode.named("mi300x-1")
            .withCpu("128")
            .withMemory("1536Gi")
            .withGpus(4, "AMD Instinct MI300X")
            .withGpuResource("amd.com/gpu")
            .withLabel("amd.com/gpu.device-id", "74a1")
            .withTaint("amd.com/gpu", "present", "NoSchedule");

    /** One T4 time-sliced into 4 replicas without renaming: the product label gets -SHARED. */
    static final FakeNode T4 = FakeNode.named("t4-1")
            .withCpu("16")
            .withMemory("64Gi")
            .withGpus(4, "Tesla-T4-SHARED")
            .withGpuMemoryMiB(15_360)
            .withLabel("nvidia.com/gpu.replicas", "4")
            .withTaint("nvidia.com/gpu", "present", "NoSchedule");

    private InMemoryCluster cluster;

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.builder()
                .node(H100)
                .node(A100_MIG)
                .node(MI300X)
                .node(T4)
                .start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void submit(String name, Gpu gpu) {
        cluster.skiff()
                .submit(BatchJob.builder()
                        .name(name)
                        .namespace(NS)
                        .container(Container.of("ghcr.io/acme/trainer:1.4"))
                        .addTraits(gpu)
                        .build());
        cluster.advanceClock(Duration.ofSeconds(1));
    }

    @Test
    void eightH100sLandOnTheH100Node() {
        submit("train", Gpu.nvidia(8).model("H100").withSharedMemory("64Gi"));
        assertThat(cluster).podsOf(NS, "train").singleElement().isScheduledOn("h100-1");
    }

    @Test
    void anyOfTwoModelsLandsOnEither() {
        submit("h100-or-a100", Gpu.nvidia(8).model("H100", "A100-40GB"));
        assertThat(cluster).podsOf(NS, "h100-or-a100").singleElement().isScheduledOn("h100-1");
        submit("a100-or-h100", Gpu.nvidia(4).model("A100-40GB", "B200"));
        assertThat(cluster).podsOf(NS, "a100-or-h100").singleElement().isScheduledOn("a100-mig");
    }

    @Test
    void sixteenGpusOnOneNodePendAsInsufficient() {
        submit("huge", Gpu.nvidia(16).model("H100"));
        assertThat(cluster)
                .podsOf(NS, "huge")
                .singleElement()
                .isPendingWith("0/4 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) had untolerated"
                        + " taint(s), 2 node(s) didn't match Pod's node affinity/selector.");
    }

    // NVIDIA pods do not tolerate the MI300X node's amd.com/gpu taint, and kube-scheduler's
    // TaintToleration filter runs before NodeAffinity, so that node is counted as untolerated.

    @Test
    void aModelTheClusterLacksPendsOnNodeAffinity() {
        submit("b200", Gpu.nvidia(1).model("B200"));
        assertThat(cluster)
                .podsOf(NS, "b200")
                .singleElement()
                .isPendingWith("0/4 nodes are available: 1 node(s) had untolerated taint(s),"
                        + " 3 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void minMemoryComparesTheMemoryGfdReports() {
        submit("big", Gpu.nvidia(1).minMemory("79Gi"));
        assertThat(cluster).podsOf(NS, "big").singleElement().isScheduledOn("h100-1");
        // an "80GB" H100 reports 81559 MiB, which is less than 80Gi
        submit("bigger", Gpu.nvidia(1).minMemory("80Gi"));
        assertThat(cluster)
                .podsOf(NS, "bigger")
                .singleElement()
                .isPendingWith("0/4 nodes are available: 1 node(s) had untolerated taint(s),"
                        + " 3 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void migSlicesLandOnTheMixedStrategyNode() {
        submit("notebook", Gpu.nvidia(1).mig("1g.5gb", 2).model("A100-40GB"));
        assertThat(cluster).podsOf(NS, "notebook").singleElement().isScheduledOn("a100-mig");
        submit("three-quarters", Gpu.nvidia(1).mig("3g.20gb", 5));
        assertThat(cluster)
                .podsOf(NS, "three-quarters")
                .singleElement()
                .isPendingWith("Insufficient nvidia.com/mig-3g.20gb");
        submit("other-profile", Gpu.nvidia(1).mig("1g.10gb", 1));
        assertThat(cluster)
                .podsOf(NS, "other-profile")
                .singleElement()
                .isPendingWith("0/4 nodes are available: 1 node(s) had untolerated taint(s),"
                        + " 3 Insufficient nvidia.com/mig-1g.10gb.");
    }

    @Test
    void migSingleStrategyMatchesTheSuffixedProductLabel() {
        // one A100 40GB cut into 7x 1g.5gb, single strategy: nvidia.com/gpu counts slices
        cluster.addNode(FakeNode.named("a100-single")
                .withGpus(7, "NVIDIA-A100-SXM4-40GB-MIG-1g.5gb")
                .withGpuMemoryMiB(4_864)
                .withTaint("nvidia.com/gpu", "present", "NoSchedule"));
        submit("slice", Gpu.nvidia(1).mig("1g.5gb", 3, MigStrategy.SINGLE).model("A100-40GB"));
        assertThat(cluster).podsOf(NS, "slice").singleElement().isScheduledOn("a100-single");
        submit("bigger-slice", Gpu.nvidia(1).mig("3g.20gb", 1, MigStrategy.SINGLE));
        assertThat(cluster)
                .podsOf(NS, "bigger-slice")
                .singleElement()
                .isPendingWith("0/5 nodes are available: 1 node(s) had untolerated taint(s),"
                        + " 4 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void aGkeNodeWithoutGfdLabelsMatchesOnItsAccelerator() {
        Node gke = FakeNode.named("gke-a3")
                .withGpus(8, "unused")
                .withLabel(Gpu.GKE_ACCELERATOR_LABEL, "nvidia-h100-80gb")
                .withTaint("nvidia.com/gpu", "present", "NoSchedule")
                .toNode();
        gke.getMetadata().getLabels().keySet().removeIf(k -> k.startsWith("nvidia.com/"));
        cluster.kubernetesClient().nodes().resource(gke).create();
        cluster.onPods("app.kubernetes.io/managed-by=skiff", PodScript.runForever());
        submit("first", Gpu.nvidia(8).model("H100"));
        submit("second", Gpu.nvidia(8).model("H100"));
        submit("third", Gpu.nvidia(8).model("H100"));
        // the GFD node and the GKE node each take one 8-GPU pod; the third finds both full
        List<String> nodes = cluster.kubernetesClient().pods().inNamespace(NS).list().getItems().stream()
                .map(p -> p.getSpec().getNodeName())
                .filter(n -> n != null)
                .toList();
        assertThat(nodes).containsExactlyInAnyOrder("gke-a3", "h100-1");
        assertThat(cluster)
                .podsOf(NS, "third")
                .singleElement()
                .isPendingWith("0/5 nodes are available: 1 node(s) had untolerated taint(s),"
                        + " 2 Insufficient nvidia.com/gpu, 2 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void amdGpusLandOnTheMi300xNode() {
        submit("rocm", Gpu.amd(4).model("MI300X"));
        assertThat(cluster).podsOf(NS, "rocm").singleElement().isScheduledOn("mi300x-1");
        submit("mi250x", Gpu.amd(1).model("MI250X"));
        assertThat(cluster)
                .podsOf(NS, "mi250x")
                .singleElement()
                .isPendingWith("0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector,"
                        + " 3 node(s) had untolerated taint(s).");
        submit("roomy", Gpu.amd(1).minMemory("192Gi"));
        assertThat(cluster).podsOf(NS, "roomy").singleElement().isScheduledOn("mi300x-1");
    }

    @Test
    void timeSlicedGpusLandOnTheSharedT4() {
        submit(
                "shared",
                Gpu.nvidia(1).model("T4").shared(GpuSharing.timeSliced().on(Target.TIME_SLICING_LABEL)));
        assertThat(cluster).podsOf(NS, "shared").singleElement().isScheduledOn("t4-1");
        submit("any-shared", Gpu.nvidia(1).shared(GpuSharing.timeSliced().on(Target.TIME_SLICING_LABEL)));
        assertThat(cluster).podsOf(NS, "any-shared").singleElement().isScheduledOn("t4-1");
        // a whole-GPU request for a T4 tolerates the -SHARED suffix
        submit("t4", Gpu.nvidia(1).model("T4"));
        assertThat(cluster).podsOf(NS, "t4").singleElement().isScheduledOn("t4-1");
        // this cluster does not rename shared GPUs, so nvidia.com/gpu.shared is nowhere
        submit("renamed", Gpu.nvidia(1).shared(GpuSharing.timeSliced()));
        assertThat(cluster)
                .podsOf(NS, "renamed")
                .singleElement()
                .isPendingWith("0/4 nodes are available: 1 node(s) had untolerated taint(s),"
                        + " 3 Insufficient nvidia.com/gpu.shared.");
    }

    @Test
    void kaiFractionsWaitForTheKaiSchedulerNotTheDefaultOne() {
        submit(
                "half",
                Gpu.nvidia(1).shared(GpuSharing.fraction(0.5).on(Target.KAI).inQueue("team-a")));
        List<Pod> pods = cluster.kubernetesClient()
                .pods()
                .inNamespace(NS)
                .withLabel("batch.kubernetes.io/job-name", "half")
                .list()
                .getItems();
        assertThat(pods).singleElement().satisfies(p -> {
            assertThat(p.getSpec().getSchedulerName()).isEqualTo("kai-scheduler");
            assertThat(p.getSpec().getNodeName()).isNull();
            assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(p.getMetadata().getAnnotations()).containsEntry("gpu-fraction", "0.5");
        });
    }

    @Test
    void hamiMemoryPendsWhereNoHamiAdvertisesIt() {
        submit("slice", Gpu.nvidia(1).shared(GpuSharing.memory("4Gi").on(Target.HAMI)));
        assertThat(cluster).podsOf(NS, "slice").singleElement().isPendingWith("Insufficient nvidia.com/gpumem");
    }

    @Test
    void draCreatesTheClaimTemplateOwnedByTheJob() {
        submit("claimed", Gpu.nvidia(2).model("H100").viaDra());
        ResourceClaimTemplate template = cluster.kubernetesClient()
                .resources(ResourceClaimTemplate.class)
                .inNamespace(NS)
                .withName("claimed-gpu")
                .get();
        assertThat(template).isNotNull();
        assertThat(template.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("claimed"));
        assertThat(template.getSpec()
                        .getSpec()
                        .getDevices()
                        .getRequests()
                        .get(0)
                        .getExactly()
                        .getCount())
                .isEqualTo(2L);
        List<Pod> pods = cluster.kubernetesClient()
                .pods()
                .inNamespace(NS)
                .withLabel("batch.kubernetes.io/job-name", "claimed")
                .list()
                .getItems();
        assertThat(pods)
                .singleElement()
                .satisfies(p -> assertThat(p.getSpec().getResourceClaims())
                        .singleElement()
                        .satisfies(c ->
                                assertThat(c.getResourceClaimTemplateName()).isEqualTo("claimed-gpu")));
    }
}
