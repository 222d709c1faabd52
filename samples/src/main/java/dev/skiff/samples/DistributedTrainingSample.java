package dev.skiff.samples;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.gpu.DistributedTraining;
import dev.skiff.gpu.Gpu;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Distributed PyTorch training on two nodes of eight H100s each, on a plain indexed Job: Skiff adds
 * the headless Service through which the ranks find each other and the {@code torchrun}
 * environment ({@code MASTER_ADDR}, {@code WORLD_SIZE}, the node rank, Kubeflow Trainer's {@code
 * PET_*} names), so the container command is just {@code torchrun train.py}.
 *
 * <p>It runs on an embedded in-memory cluster with two 8 × H100 nodes and a virtual clock: it
 * prints where rank 0 listens, which node each rank landed on with its rank, and how the job
 * ended.
 */
public final class DistributedTrainingSample {
    private DistributedTrainingSample() {}

    /**
     * Runs the sample.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** Two nodes × eight H100s, one process per GPU, wired for torchrun. */
    static BatchJob trainingJob() {
        return BatchJob.builder()
                .name("llama-finetune")
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withCommand("torchrun", "train.py", "--config", "llama-8b.yaml")
                        .withResources(Resources.cpu("32").memory("256Gi")))
                .backoffLimit(0)
                .addTraits(DistributedTraining.nodes(2)
                        .gpusPerNode(Gpu.nvidia(8).model("H100").withSharedMemory("64Gi")))
                .build();
    }

    static int run(PrintStream out) {
        BatchJob job = trainingJob();
        Job rendered = (Job) Skiff.render(job).get(0);
        out.println("MASTER_ADDR="
                + env(rendered.getSpec().getTemplate().getSpec().getContainers().get(0), "MASTER_ADDR")
                + " MASTER_PORT="
                + env(rendered.getSpec().getTemplate().getSpec().getContainers().get(0), "MASTER_PORT")
                + " WORLD_SIZE="
                + env(rendered.getSpec().getTemplate().getSpec().getContainers().get(0), "WORLD_SIZE"));
        // the Skiff client is closed before the cluster, so none of its watches outlives the server
        try (InMemoryCluster cluster = embeddedCluster();
                Skiff skiff = cluster.skiff()) {
            JobHandle handle = skiff.submit(job);
            cluster.advanceClock(Duration.ofMinutes(1));
            List<Pod> pods = cluster
                    .kubernetesClient()
                    .pods()
                    .inNamespace(handle.namespace())
                    .withLabel(DistributedTraining.JOB_NAME_LABEL, handle.name())
                    .list()
                    .getItems()
                    .stream()
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList();
            for (Pod pod : pods) {
                out.println("rank "
                        + pod.getMetadata().getAnnotations().get(DistributedTraining.COMPLETION_INDEX_ANNOTATION)
                        + ": pod " + pod.getMetadata().getName() + " on "
                        + pod.getSpec().getNodeName() + " as "
                        + pod.getSpec().getHostname() + "." + pod.getSpec().getSubdomain());
            }
            cluster.advanceClock(Duration.ofHours(3));
            Outcome outcome = handle.await(Duration.ofMinutes(1));
            out.println(outcome.getClass().getSimpleName() + ": " + outcome.explanation());
            return outcome instanceof Outcome.Succeeded ? 0 : 1;
        }
    }

    private static String env(io.fabric8.kubernetes.api.model.Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse("");
    }

    private static InMemoryCluster embeddedCluster() {
        return InMemoryCluster.builder()
                .node(h100Node("gpu-1"))
                .node(h100Node("gpu-2"))
                // what the containers do on the embedded cluster: train for two hours
                .podScript(
                        "batch.kubernetes.io/job-name=llama-finetune",
                        PodScript.succeedAfter(Duration.ofHours(2)).withLogs("step 5000/5000 loss=1.73", "saved"))
                .seed(42)
                .start();
    }

    private static FakeNode h100Node(String name) {
        return FakeNode.named(name)
                .withCpu("96")
                .withMemory("1Ti")
                .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                .withTaint("nvidia.com/gpu", "present", "NoSchedule");
    }
}
