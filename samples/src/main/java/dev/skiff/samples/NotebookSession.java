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
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A GPU notebook: an {@link InteractiveSession} with one GPU, a port and a home volume of its own.
 * Waits for it to be ready, prints where it answers, suspends it (the GPU is freed, the volume
 * kept) and resumes it.
 *
 * <p>Runs on an embedded in-memory cluster with a CPU node and a node with one H100, so it shows
 * what happens to the GPU; the in-memory cluster runs no containers, so nothing answers on the
 * port.
 */
public final class NotebookSession {
    static final String NAMESPACE = "ml";
    static final String GPU_NODE = "gpu-1";

    private NotebookSession() {}

    /**
     * Runs the sample.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** The notebook: one GPU, Jupyter's port, a 50 GiB home that survives suspension. */
    static InteractiveSession notebook() {
        return InteractiveSession.builder()
                .name("alice-notebook")
                .namespace(NAMESPACE)
                .container(Container.of("quay.io/jupyter/pytorch-notebook:cuda12-2024-12-02")
                        .withResources(Resources.cpu("8").memory("64Gi")))
                .addPorts(Port.of("http", 8888))
                .addPerReplicaStorage(PersistentStorage.of("home", "50Gi", "/home/jovyan"))
                .addTraits(Gpu.nvidia(1))
                .build();
    }

    static int run(PrintStream out) {
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1").withCpu("16").withMemory("64Gi"))
                .node(FakeNode.named(GPU_NODE)
                        .withCpu("32")
                        .withMemory("256Gi")
                        .withGpus(1, "NVIDIA-H100-80GB-HBM3")
                        .withTaint("nvidia.com/gpu", "present", "NoSchedule"))
                .seed(11)
                .start()) {
            KubernetesClient kube = cluster.kubernetesClient();
            kube.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();

            SessionHandle notebook = cluster.skiff().submit(notebook());
            SessionStatus ready = notebook.awaitReady(Duration.ofMinutes(10));
            out.println("# " + ready.summary());
            Endpoint endpoint = notebook.endpoint();
            out.println("# endpoint: http://" + endpoint.host() + ":"
                    + endpoint.ports().get(0));
            for (String replica : endpoint.replicaHosts()) {
                out.println("#   replica: " + replica);
            }
            out.println("# " + gpuUse(kube));

            notebook.suspend();
            waitForGpus(kube, 0);
            out.println("# suspended: " + notebook.status().summary());
            out.println("# " + gpuUse(kube));
            out.println("# volume kept: "
                    + kube.persistentVolumeClaims()
                            .inNamespace(NAMESPACE)
                            .withName("home-alice-notebook-0")
                            .get()
                            .getMetadata()
                            .getName());

            notebook.resume();
            out.println(
                    "# resumed: " + notebook.awaitReady(Duration.ofMinutes(10)).summary());
            out.println("# " + gpuUse(kube));
            return 0;
        }
    }

    /** How many of the GPU node's GPUs running pods request. */
    static int gpusInUse(KubernetesClient kube) {
        int used = 0;
        for (Pod pod : kube.pods().inAnyNamespace().list().getItems()) {
            if (!GPU_NODE.equals(pod.getSpec().getNodeName())
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

    private static String gpuUse(KubernetesClient kube) {
        return GPU_NODE + ": " + gpusInUse(kube) + "/1 GPUs in use";
    }

    /** The pods go shortly after the StatefulSet is scaled to zero. */
    private static void waitForGpus(KubernetesClient kube, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (gpusInUse(kube) != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
