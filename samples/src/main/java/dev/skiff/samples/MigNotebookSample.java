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
import io.fabric8.kubernetes.api.model.Node;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * A notebook on one MIG slice of an A100 80GB: seven people can share one GPU with isolated
 * memory. The session lands on the node that offers {@code nvidia.com/mig-1g.10gb}, and the
 * inventory shows one slice fewer free.
 *
 * <p>By default it runs on an embedded cluster with a CPU node and an A100 node partitioned into
 * seven slices; with {@code --kubeconfig <file>} (or {@code KUBECONFIG}) on that cluster, in
 * namespace {@code default} or the one {@code --namespace} names, and there it deletes the
 * notebook at the end.
 */
public final class MigNotebookSample {
    static final String NAMESPACE = "default";
    static final String MIG_SLICE = "nvidia.com/mig-1g.10gb";

    private MigNotebookSample() {}

    /**
     * Runs the sample.
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     */
    public static void main(String[] args) {
        SampleCluster.main(args, MigNotebookSample::run);
    }

    static InteractiveSession notebook(String namespace) {
        return InteractiveSession.builder()
                .name("notebook-ana")
                .namespace(namespace)
                .container(Container.of("quay.io/jupyter/pytorch-notebook:2024-12-02")
                        .withResources(Resources.cpu("4").memory("16Gi")))
                .addPort(Port.of("http", 8888))
                .addTraits(Gpu.nvidia(1).mig("1g.10gb", 1))
                .build();
    }

    /**
     * Runs the sample on the cluster {@code args} name (the embedded one without {@code
     * --kubeconfig}).
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     * @param out where to print
     * @return the exit status: 0 if the notebook became ready on a node with MIG slices
     */
    public static int run(String[] args, PrintStream out) {
        try (SampleCluster cluster = SampleCluster.open(args, NAMESPACE, MigNotebookSample::embeddedCluster)) {
            out.print("# Before, on " + cluster + ":\n"
                    + GpuInventory.read(cluster.skiff()).summary());
            SessionHandle session = cluster.skiff().submit(notebook(cluster.namespace()));
            try {
                SessionStatus ready = session.awaitReady(Duration.ofMinutes(10));
                out.println("# " + ready.summary());
                out.println("# endpoint: http://" + session.endpoint().host() + ":"
                        + session.endpoint().ports().get(0));
                String node = cluster.kube()
                        .pods()
                        .inNamespace(cluster.namespace())
                        .withLabel("app.kubernetes.io/instance", "notebook-ana")
                        .list()
                        .getItems()
                        .get(0)
                        .getSpec()
                        .getNodeName();
                out.println("# runs on " + node);
                out.print("# After:\n" + GpuInventory.read(cluster.skiff()).summary());
                Node placed = cluster.kube().nodes().withName(node).get();
                return placed.getStatus().getAllocatable().containsKey(MIG_SLICE) ? 0 : 1;
            } finally {
                if (!cluster.embedded()) {
                    session.delete();
                    out.println("# deleted the notebook");
                }
            }
        }
    }

    /**
     * Returns the nodes of the embedded cluster, for giving another cluster the same ones.
     *
     * @return a CPU node and an A100 node with seven 1g.10gb slices
     */
    public static List<FakeNode> nodes() {
        return List.of(
                FakeNode.named("cpu-1"),
                FakeNode.named("a100-mig")
                        .withCpu("96")
                        .withMemory("1Ti")
                        .withMig("1g.10gb", 7)
                        .withLabel("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB")
                        .withTaint("nvidia.com/gpu", "present", "NoSchedule"));
    }

    private static InMemoryCluster embeddedCluster() {
        InMemoryCluster.Builder cluster = InMemoryCluster.builder();
        nodes().forEach(cluster::node);
        return cluster.start();
    }
}
