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
 * <p>By default it runs on an embedded in-memory cluster with two 8 × H100 nodes and a virtual
 * clock; with {@code --kubeconfig <file>} (or {@code KUBECONFIG}) on that cluster, in namespace
 * {@code default} or the one {@code --namespace} names, where it first prints the cluster's GPUs.
 * It prints where rank 0 listens, which node each rank landed on with its rank, and how the job
 * ended.
 */
public final class DistributedTrainingSample {
    static final String NAMESPACE = "default";

    private DistributedTrainingSample() {}

    /**
     * Runs the sample.
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     */
    public static void main(String[] args) {
        SampleCluster.main(args, DistributedTrainingSample::run);
    }

    /**
     * Runs the sample on the cluster {@code args} name (the embedded one without {@code
     * --kubeconfig}).
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     * @param out where to print
     * @return the exit status: 0 if the training succeeded
     */
    public static int run(String[] args, PrintStream out) {
        try (SampleCluster cluster = SampleCluster.open(args, NAMESPACE, DistributedTrainingSample::embeddedCluster)) {
            return run(cluster, out);
        }
    }

    /** Two nodes × eight H100s, one process per GPU, wired for torchrun. */
    static BatchJob trainingJob(String namespace) {
        return BatchJob.builder()
                .name("llama-finetune")
                .namespace(namespace)
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withCommand("torchrun", "train.py", "--config", "llama-8b.yaml")
                        .withResources(Resources.cpu("32").memory("256Gi")))
                .backoffLimit(0)
                .addTraits(DistributedTraining.nodes(2)
                        .gpusPerNode(Gpu.nvidia(8).model("H100").withSharedMemory("64Gi")))
                .build();
    }

    private static int run(SampleCluster cluster, PrintStream out) {
        BatchJob job = trainingJob(cluster.namespace());
        var container = ((Job) Skiff.render(job).get(0))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        out.println("MASTER_ADDR=" + env(container, "MASTER_ADDR") + " MASTER_PORT=" + env(container, "MASTER_PORT")
                + " WORLD_SIZE=" + env(container, "WORLD_SIZE"));
        if (!cluster.embedded()) {
            out.print("# On " + cluster + "; its GPUs:\n" + cluster.gpus());
        }
        JobHandle handle = cluster.skiff().submit(job);
        cluster.advanceClock(Duration.ofMinutes(1));
        cluster.await(
                "both ranks placed on a node",
                Duration.ofMinutes(10),
                () -> ranks(cluster, handle).size() == 2);
        for (Pod pod : ranks(cluster, handle)) {
            out.println("rank "
                    + pod.getMetadata().getAnnotations().get(DistributedTraining.COMPLETION_INDEX_ANNOTATION)
                    + ": pod " + pod.getMetadata().getName() + " on "
                    + pod.getSpec().getNodeName() + " as "
                    + pod.getSpec().getHostname() + "." + pod.getSpec().getSubdomain());
        }
        cluster.advanceClock(Duration.ofHours(3));
        Outcome outcome = handle.await(Duration.ofHours(3));
        out.println(outcome.getClass().getSimpleName() + ": " + outcome.explanation());
        return outcome instanceof Outcome.Succeeded ? 0 : 1;
    }

    /** The job's pods that are on a node, by name. */
    private static List<Pod> ranks(SampleCluster cluster, JobHandle handle) {
        return cluster
                .kube()
                .pods()
                .inNamespace(handle.namespace())
                .withLabel(DistributedTraining.JOB_NAME_LABEL, handle.name())
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getSpec().getNodeName() != null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    private static String env(io.fabric8.kubernetes.api.model.Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse("");
    }

    /**
     * Returns the nodes of the embedded cluster, for giving another cluster the same ones.
     *
     * @return two 8 x H100 nodes
     */
    public static List<FakeNode> nodes() {
        return List.of(h100Node("gpu-1"), h100Node("gpu-2"));
    }

    private static InMemoryCluster embeddedCluster() {
        InMemoryCluster.Builder cluster = InMemoryCluster.builder();
        nodes().forEach(cluster::node);
        return cluster
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
