package dev.skiff.samples;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Resources;
import dev.skiff.gpu.Gpu;
import dev.skiff.gpu.GpuInventory;
import dev.skiff.gpu.Plan;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import java.io.PrintStream;
import java.util.List;

/**
 * Asks, before submitting, whether a job can ever fit: a single pod wanting 16 H100s on a cluster
 * whose largest node has 8. {@link GpuInventory#plan} says no, and why; the same job split over
 * two pods of 8 fits.
 *
 * <p>By default it plans against an embedded cluster with two 8 x H100 nodes; with {@code
 * --kubeconfig <file>} (or {@code KUBECONFIG}) against that cluster's inventory, in namespace
 * {@code default} or the one {@code --namespace} names (whose quotas count). Nothing is submitted.
 */
public final class GpuPlanSample {
    static final String NAMESPACE = "default";

    private GpuPlanSample() {}

    /**
     * Runs the sample.
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     */
    public static void main(String[] args) {
        SampleCluster.main(args, GpuPlanSample::run);
    }

    static BatchJob job(String namespace, int pods, int gpusPerPod) {
        return BatchJob.builder()
                .name("llm-pretrain")
                .namespace(namespace)
                .container(Container.of("ghcr.io/acme/pretrain:2.0")
                        .withResources(Resources.cpu("32").memory("512Gi")))
                .parallelism(pods)
                .completions(pods)
                .indexed(true)
                .addTraits(Gpu.nvidia(gpusPerPod).model("H100"))
                .build();
    }

    /**
     * Runs the sample on the cluster {@code args} name (the embedded one without {@code
     * --kubeconfig}).
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     * @param out where to print
     * @return the exit status: 0 once both plans are printed; on the embedded cluster, 1 if they are
     *     not the ones its two 8-GPU nodes give
     */
    public static int run(String[] args, PrintStream out) {
        try (SampleCluster cluster = SampleCluster.open(args, NAMESPACE, GpuPlanSample::embeddedCluster)) {
            GpuInventory inventory = GpuInventory.read(cluster.skiff());
            out.print("# The GPUs of " + cluster + ":\n" + inventory.summary());

            Plan oneBigPod = inventory.plan(job(cluster.namespace(), 1, 16));
            out.println("# One pod with 16 GPUs:");
            out.println(oneBigPod.explanation());

            Plan twoPods = inventory.plan(job(cluster.namespace(), 2, 8));
            out.println("# Two pods with 8 GPUs each:");
            out.println(twoPods.explanation());
            return cluster.embedded() && (oneBigPod.fitsEver() || !twoPods.fitsNow()) ? 1 : 0;
        }
    }

    /**
     * Returns the nodes of the embedded cluster, for giving another cluster the same ones.
     *
     * @return two 8 x H100 nodes
     */
    public static List<FakeNode> nodes() {
        return List.of(h100Node("h100-1"), h100Node("h100-2"));
    }

    private static FakeNode h100Node(String name) {
        return FakeNode.named(name)
                .withCpu("192")
                .withMemory("2Ti")
                .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                .withTaint("nvidia.com/gpu", "present", "NoSchedule");
    }

    private static InMemoryCluster embeddedCluster() {
        InMemoryCluster.Builder cluster = InMemoryCluster.builder();
        nodes().forEach(cluster::node);
        return cluster.start();
    }
}
