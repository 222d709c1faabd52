package dev.skiff.samples;

import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.Port;
import dev.skiff.core.Resources;
import dev.skiff.core.SessionHandle;
import dev.skiff.core.SessionStatus;
import dev.skiff.gpu.Gpu;
import dev.skiff.gpu.GpuInventory;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A notebook on one MIG slice of an A100 80GB: seven people can share one GPU with isolated
 * memory. The session lands on the node that offers {@code nvidia.com/mig-1g.10gb}, and the
 * inventory shows one slice fewer free.
 */
public final class MigNotebookSample {
    private MigNotebookSample() {}

    /**
     * Runs the sample on an embedded cluster with an A100 node partitioned into MIG slices.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    static InteractiveSession notebook() {
        return InteractiveSession.builder()
                .name("notebook-ana")
                .namespace("default")
                .container(Container.of("quay.io/jupyter/pytorch-notebook:2024-12-02")
                        .withResources(Resources.cpu("4").memory("16Gi")))
                .addPort(Port.of("http", 8888))
                .addTraits(Gpu.nvidia(1).mig("1g.10gb", 1))
                .build();
    }

    static int run(PrintStream out) {
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1"))
                .node(FakeNode.named("a100-mig")
                        .withCpu("96")
                        .withMemory("1Ti")
                        .withMig("1g.10gb", 7)
                        .withLabel("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB")
                        .withTaint("nvidia.com/gpu", "present", "NoSchedule"))
                .start()) {
            out.print("# Before:\n" + GpuInventory.read(cluster.skiff()).summary());
            SessionHandle session = cluster.skiff().submit(notebook());
            SessionStatus ready = session.awaitReady(Duration.ofSeconds(30));
            out.println("# " + ready.summary());
            out.println("# endpoint: http://" + session.endpoint().host() + ":"
                    + session.endpoint().ports().get(0));
            String node = cluster.kubernetesClient()
                    .pods()
                    .inNamespace("default")
                    .withLabel("app.kubernetes.io/instance", "notebook-ana")
                    .list()
                    .getItems()
                    .get(0)
                    .getSpec()
                    .getNodeName();
            out.println("# runs on " + node);
            out.print("# After:\n" + GpuInventory.read(cluster.skiff()).summary());
            return "a100-mig".equals(node) ? 0 : 1;
        }
    }
}
