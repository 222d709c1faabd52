package dev.skiff.samples;

import dev.skiff.core.Container;
import dev.skiff.core.Endpoint;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.PersistentStorage;
import dev.skiff.core.Port;
import dev.skiff.core.Resources;
import dev.skiff.core.SessionHandle;
import dev.skiff.core.SessionStatus;
import dev.skiff.gpu.Gpu;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * A GPU notebook: an {@link InteractiveSession} with one GPU, a port and a home volume of its own.
 * Waits for it to be ready, prints where it answers, suspends it (the GPU is freed, the volume
 * kept) and resumes it.
 *
 * <p>By default it runs on an embedded in-memory cluster with a CPU node and a node with one H100,
 * so it shows what happens to the GPU; the in-memory cluster runs no containers, so nothing
 * answers on the port. With {@code --kubeconfig <file>} (or {@code KUBECONFIG}) it runs on that
 * cluster, in namespace {@code ml} or the one {@code --namespace} names, which must exist and
 * provide the 50 GiB volume (a default StorageClass or a free PersistentVolume); there it deletes
 * the notebook and its volume claim at the end.
 */
public final class NotebookSession {
    static final String NAMESPACE = "ml";

    private NotebookSession() {}

    /**
     * Runs the sample.
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     */
    public static void main(String[] args) {
        SampleCluster.main(args, NotebookSession::run);
    }

    /** The notebook: one GPU, Jupyter's port, a 50 GiB home that survives suspension. */
    static InteractiveSession notebook(String namespace) {
        return InteractiveSession.builder()
                .name("alice-notebook")
                .namespace(namespace)
                .container(Container.of("quay.io/jupyter/pytorch-notebook:cuda12-2024-12-02")
                        .withResources(Resources.cpu("8").memory("64Gi")))
                .addPorts(Port.of("http", 8888))
                .addPerReplicaStorage(PersistentStorage.of("home", "50Gi", "/home/jovyan"))
                .addTraits(Gpu.nvidia(1))
                .build();
    }

    /**
     * Runs the sample on the cluster {@code args} name (the embedded one without {@code
     * --kubeconfig}).
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     * @param out where to print
     * @return the exit status: 0 once the notebook was ready, suspended and ready again
     */
    public static int run(String[] args, PrintStream out) {
        try (SampleCluster cluster = SampleCluster.open(args, NAMESPACE, NotebookSession::embeddedCluster)) {
            if (!cluster.embedded()) {
                out.print("# On " + cluster + "; its GPUs:\n" + cluster.gpus());
            }
            KubernetesClient kube = cluster.kube();
            String namespace = cluster.namespace();
            SessionHandle notebook = cluster.skiff().submit(notebook(namespace));
            try {
                SessionStatus ready = notebook.awaitReady(Duration.ofMinutes(10));
                out.println("# " + ready.summary());
                Endpoint endpoint = notebook.endpoint();
                out.println("# endpoint: http://" + endpoint.host() + ":"
                        + endpoint.ports().get(0));
                for (String replica : endpoint.replicaHosts()) {
                    out.println("#   replica: " + replica);
                }
                String node = kube.pods()
                        .inNamespace(namespace)
                        .withName("alice-notebook-0")
                        .get()
                        .getSpec()
                        .getNodeName();
                out.println("# " + gpuUse(kube, node));

                notebook.suspend();
                waitUntilSuspended(kube, node, notebook);
                out.println("# suspended: " + notebook.status().summary());
                out.println("# " + gpuUse(kube, node));
                out.println("# volume kept: "
                        + kube.persistentVolumeClaims()
                                .inNamespace(namespace)
                                .withName("home-alice-notebook-0")
                                .get()
                                .getMetadata()
                                .getName());

                notebook.resume();
                out.println("# resumed: "
                        + notebook.awaitReady(Duration.ofMinutes(10)).summary());
                out.println("# " + gpuUse(kube, node));
                return 0;
            } finally {
                if (!cluster.embedded()) {
                    notebook.delete();
                    kube.persistentVolumeClaims()
                            .inNamespace(namespace)
                            .withName("home-alice-notebook-0")
                            .delete();
                    out.println("# deleted the notebook and its volume claim");
                }
            }
        }
    }

    /**
     * Returns the nodes of the embedded cluster, for giving another cluster the same ones.
     *
     * @return a CPU node and a node with one H100
     */
    public static List<FakeNode> nodes() {
        return List.of(
                FakeNode.named("cpu-1").withCpu("16").withMemory("64Gi"),
                FakeNode.named("gpu-1")
                        .withCpu("32")
                        .withMemory("256Gi")
                        .withGpus(1, "NVIDIA-H100-80GB-HBM3")
                        .withTaint("nvidia.com/gpu", "present", "NoSchedule"));
    }

    private static InMemoryCluster embeddedCluster() {
        InMemoryCluster.Builder cluster = InMemoryCluster.builder();
        nodes().forEach(cluster::node);
        return cluster.seed(11).start();
    }

    /** How many of {@code node}'s GPUs its running pods request. */
    static int gpusInUse(KubernetesClient kube, String node) {
        int used = 0;
        for (Pod pod : kube.pods().inAnyNamespace().list().getItems()) {
            if (!node.equals(pod.getSpec().getNodeName())
                    || pod.getMetadata().getDeletionTimestamp() != null
                    || "Succeeded".equals(pod.getStatus().getPhase())
                    || "Failed".equals(pod.getStatus().getPhase())) {
                continue;
            }
            for (var c : pod.getSpec().getContainers()) {
                if (c.getResources() != null && c.getResources().getRequests() != null) {
                    Quantity q = c.getResources().getRequests().get("nvidia.com/gpu");
                    if (q != null) {
                        used += Quantity.getAmountInBytes(q).intValue();
                    }
                }
            }
        }
        return used;
    }

    private static String gpuUse(KubernetesClient kube, String node) {
        Quantity gpus =
                kube.nodes().withName(node).get().getStatus().getAllocatable().get("nvidia.com/gpu");
        return node + ": " + gpusInUse(kube, node) + "/" + (gpus == null ? "0" : gpus.getAmount()) + " GPUs in use";
    }

    /** The pod goes shortly after the StatefulSet is scaled to zero, and the status follows. */
    private static void waitUntilSuspended(KubernetesClient kube, String node, SessionHandle notebook) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((gpusInUse(kube, node) != 0 || notebook.status().readyReplicas() != 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
