package dev.skiff.samples;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.gpu.Gpu;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The first program of Skiff's API outline: submit a 4-way indexed training job on H100s and wait
 * for its outcome. It connects as {@code kubectl} does (the current kubeconfig, or the in-cluster
 * service account), or to the cluster of {@code --kubeconfig <file>}; it submits to namespace
 * {@code ml}, or the one {@code --namespace} names, which must exist.
 */
public final class FirstProgram {
    private FirstProgram() {}

    /**
     * Runs the program.
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     */
    public static void main(String[] args) {
        SampleCluster.main(args, FirstProgram::run);
    }

    /**
     * Runs the program on the cluster {@code args} name.
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     * @param out where to print the outcome
     * @return the exit status: 0 if the job succeeded
     */
    public static int run(String[] args, PrintStream out) {
        try (SampleCluster cluster = SampleCluster.connect(args, "ml")) { // kubeconfig or in-cluster account
            Skiff skiff = cluster.skiff();
            BatchJob job = BatchJob.builder()
                    .name("resnet-train")
                    .namespace(cluster.namespace())
                    .container(Container.of("ghcr.io/acme/trainer:1.4")
                            .withArgs("--epochs", "10")
                            .withResources(Resources.cpu("8").memory("64Gi")))
                    .parallelism(4)
                    .completions(4)
                    .indexed(true)
                    .addTraits(Gpu.nvidia(1).model("H100")) // from skiff-gpu
                    .build();

            JobHandle handle = skiff.submit(job);
            Outcome outcome = handle.await(Duration.ofHours(2));
            out.println(outcome.explanation()); // when it failed: reason, exit codes, last log lines
            return outcome instanceof Outcome.Succeeded ? 0 : 1;
        }
    }
}
