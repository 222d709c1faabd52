package dev.skiff.samples;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.JobHandle;
import dev.skiff.core.JobStatus;
import dev.skiff.core.Outcome;
import dev.skiff.core.PodFailureRule;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.core.Submission;
import dev.skiff.core.Subscription;
import dev.skiff.core.validation.Violation;
import dev.skiff.gpu.Gpu;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The quick start: describes a distributed GPU training job, shows the Kubernetes objects Skiff
 * renders for it and what Skiff says about a job a cluster would reject, then submits the
 * training job and an evaluation job that fails, shows the training's progress while it runs,
 * and prints how each ended, with the failing job's explanation. On the embedded cluster it then
 * writes a picture of the run (an HTML page in the system's temporary directory) and prints its
 * path.
 *
 * <p>By default it runs on an embedded in-memory cluster with a CPU node and two 8-GPU H100 nodes, whose clock
 * runs 300 times faster than the wall clock. With {@code --kubeconfig <file>}, or the {@code
 * KUBECONFIG} environment variable set, it submits to that cluster instead, into namespace {@code
 * ml} or the one {@code --namespace} names, which must exist there; it prints that cluster's GPUs
 * first. There the jobs do what their containers do: the evaluation fails only if its data is
 * missing.
 */
public final class Quickstart {
    static final String NAMESPACE = "ml";

    private Quickstart() {}

    /**
     * Runs the quick start.
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     */
    public static void main(String[] args) {
        SampleCluster.main(args, Quickstart::run);
    }

    /**
     * Runs the quick start on the cluster {@code args} name (the embedded one without {@code
     * --kubeconfig}; {@code KUBECONFIG} is read only by {@link #main}).
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     * @param out where to print
     * @return the exit status: 0 once both jobs have ended
     */
    public static int run(String[] args, PrintStream out) {
        try (SampleCluster cluster = SampleCluster.open(args, NAMESPACE, Quickstart::embeddedCluster)) {
            out.println("# The Job Skiff renders for a 4-way indexed training run on H100s:");
            out.print(Skiff.toYaml(trainingJob(cluster.namespace())));

            out.println();
            out.println("# A job a Kubernetes API server would reject is rejected before anything is sent:");
            try {
                BatchJob.builder()
                        .name("Bad_Name")
                        .container(Container.of("ghcr.io/acme/trainer:1.4"))
                        .completions(2)
                        .parallelism(-1)
                        .build();
            } catch (InvalidWorkloadException e) {
                for (Violation v : e.violations()) {
                    out.println("#   " + v);
                }
            }

            out.println();
            if (cluster.embedded()) {
                out.println("# Running on an embedded in-memory cluster with a CPU node and two 8 x H100 nodes"
                        + " (clock at 300x):");
            } else {
                out.println("# Submitting to " + cluster + ", namespace " + cluster.namespace() + "; its GPUs:");
                out.print(cluster.gpus());
            }
            int status = runJobs(cluster.skiff(), cluster.namespace(), out);
            if (cluster.embedded()) {
                Path timeline = cluster.inMemory()
                        .timeline(Path.of(System.getProperty("java.io.tmpdir"), "skiff-quickstart-timeline.html"));
                out.println("# timeline: " + timeline.toAbsolutePath());
                out.println("# Run with --kubeconfig <file> to submit the jobs to a real cluster.");
            }
            return status;
        }
    }

    /** A 4-way indexed training job, one H100 per pod. */
    static BatchJob trainingJob(String namespace) {
        return BatchJob.builder()
                .name("resnet-train")
                .namespace(namespace)
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withArgs("--epochs", "10")
                        .withResources(Resources.cpu("8").memory("64Gi")))
                .parallelism(4)
                .completions(4)
                .indexed(true)
                .backoffLimitPerIndex(2)
                .addPodFailurePolicy(PodFailureRule.onDisruption(PodFailureRule.Action.IGNORE))
                .activeDeadline(Duration.ofHours(6))
                .addTraits(Gpu.nvidia(1).model("H100").withSharedMemory("16Gi"))
                .build();
    }

    /** An evaluation job whose data is missing: it fails, and Skiff says why. */
    static BatchJob evaluationJob(String namespace) {
        return BatchJob.builder()
                .name("resnet-eval")
                .namespace(namespace)
                .container(Container.of("ghcr.io/acme/evaluator:1.4")
                        .withArgs("--data", "/data/val.parquet")
                        .withResources(Resources.cpu("4").memory("16Gi")))
                .backoffLimit(1)
                .build();
    }

    /**
     * Returns the nodes of the embedded cluster, for giving another cluster the same ones.
     *
     * @return a CPU node and two 8 x H100 nodes
     */
    public static List<FakeNode> nodes() {
        return List.of(FakeNode.named("cpu-1").withCpu("32").withMemory("128Gi"), h100Node("gpu-1"), h100Node("gpu-2"));
    }

    private static FakeNode h100Node(String name) {
        return FakeNode.named(name)
                .withCpu("64")
                .withMemory("512Gi")
                .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                .withTaint("nvidia.com/gpu", "present", "NoSchedule");
    }

    private static InMemoryCluster embeddedCluster() {
        InMemoryCluster.Builder cluster = InMemoryCluster.builder();
        nodes().forEach(cluster::node);
        return cluster
                // what the containers do on the embedded cluster: train for 15 to 30 minutes, or fail
                .podScript(
                        "batch.kubernetes.io/job-name=resnet-train",
                        PodScript.succeedAfter(Duration.ofMinutes(20))
                                .withLogs("epoch 10/10 loss=0.412", "saved model"))
                .podScript(
                        "batch.kubernetes.io/job-name=resnet-eval",
                        PodScript.failAfter(Duration.ofSeconds(40), 2)
                                .withLogs(
                                        "loading /data/val.parquet",
                                        "FileNotFoundError: [Errno 2] No such file or directory: '/data/val.parquet'"))
                .realTime(300)
                .seed(42)
                .start();
    }

    /** Submits both jobs, shows the training's progress, and prints how each ended. */
    static int runJobs(Skiff skiff, String namespace, PrintStream out) {
        List<Submission> submissions = skiff.submitAll(List.of(trainingJob(namespace), evaluationJob(namespace)));
        for (Submission s : submissions) {
            if (s instanceof Submission.Refused refused) {
                out.println("# " + refused.job().name() + " was not submitted: "
                        + refused.error().getMessage());
                return 1;
            }
        }
        JobHandle train = ((Submission.Submitted) submissions.get(0)).handle();
        JobHandle eval = ((Submission.Submitted) submissions.get(1)).handle();
        try (Subscription progress = train.watch(status -> out.println("#   " + progressLine(status)))) {
            for (JobHandle handle : List.of(train, eval)) {
                Outcome outcome = handle.await(Duration.ofHours(2));
                out.println("# " + handle.name() + ": " + kind(outcome) + " - " + outcome.explanation());
            }
        }
        return 0;
    }

    /** {@code resnet-train [#####-----] 2/4 succeeded, 2 running}. */
    static String progressLine(JobStatus status) {
        int width = 20;
        int done = status.completions() == 0 ? 0 : width * status.succeeded() / status.completions();
        return status.job().substring(status.job().indexOf('/') + 1) + " [" + "#".repeat(done)
                + "-".repeat(width - done) + "] " + status.succeeded() + "/" + status.completions()
                + " succeeded, " + status.ready() + " running, " + status.failed() + " failed ("
                + status.phase().name().toLowerCase(Locale.ROOT) + ")";
    }

    private static String kind(Outcome outcome) {
        return outcome.getClass().getSimpleName();
    }
}
