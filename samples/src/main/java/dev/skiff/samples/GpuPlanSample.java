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

/**
 * Asks, before submitting, whether a job can ever fit: a single pod wanting 16 H100s on a cluster
 * whose largest node has 8. {@link GpuInventory#plan} says no, and why; the same job split over
 * two pods of 8 fits.
 */
public final class GpuPlanSample {
    private GpuPlanSample() {}

    /**
     * Runs the sample on an embedded cluster with two 8 x H100 nodes.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    static BatchJob job(int pods, int gpusPerPod) {
        return BatchJob.builder()
                .name("llm-pretrain")
                .namespace("default")
                .container(Container.of("ghcr.io/acme/pretrain:2.0")
                        .withResources(Resources.cpu("32").memory("512Gi")))
                .parallelism(pods)
                .completions(pods)
                .indexed(true)
                .addTraits(Gpu.nvidia(gpusPerPod).model("H100"))
                .build();
    }

    static int run(PrintStream out) {
        FakeNode h100 = FakeNode.named("h100-1")
                .withCpu("192")
                .withMemory("2Ti")
                .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                .withTaint("nvidia.com/gpu", "present", "NoSchedule");
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .node(h100)
                .node(FakeNode.named("h100-2")
                        .withCpu("192")
                        .withMemory("2Ti")
                        .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                        .withTaint("nvidia.com/gpu", "present", "NoSchedule"))
                .start()) {
            GpuInventory inventory = GpuInventory.read(cluster.skiff());
            out.print("# The cluster's GPUs:\n" + inventory.summary());

            Plan oneBigPod = inventory.plan(job(1, 16));
            out.println("# One pod with 16 GPUs:");
            out.println(oneBigPod.explanation());

            Plan twoPods = inventory.plan(job(2, 8));
            out.println("# Two pods with 8 GPUs each:");
            out.println(twoPods.explanation());
            return oneBigPod.fitsEver() || !twoPods.fitsNow() ? 1 : 0;
        }
    }
}
