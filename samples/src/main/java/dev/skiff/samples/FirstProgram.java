package dev.skiff.samples;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.gpu.Gpu;
import java.time.Duration;

/**
 * The first program of Skiff's API outline, as written there: submit a 4-way indexed training job
 * on H100s to namespace {@code ml} and wait for its outcome. It connects as {@code kubectl} does:
 * the kubeconfig named by {@code KUBECONFIG} (or the {@code kubeconfig} system property), else
 * {@code ~/.kube/config}, else the in-cluster service account.
 */
public final class FirstProgram {
    private FirstProgram() {}

    /**
     * Runs the program against the cluster of the current kubeconfig.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        try (Skiff skiff = Skiff.connect()) { // kubeconfig or in-cluster account
            BatchJob job = BatchJob.builder()
                    .name("resnet-train")
                    .namespace("ml")
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
            if (outcome instanceof Outcome.Failed failed) {
                System.err.println(failed.explanation()); // reason, exit codes, last log lines
            }
        }
    }
}
