package dev.skiff.samples;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.PodFailureRule;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.core.validation.Violation;
import dev.skiff.gpu.Gpu;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The quick start: describes a distributed GPU training job, shows the Kubernetes objects Skiff
 * renders for it and what Skiff says about a job a cluster would reject, then runs the job to its
 * outcome on an embedded in-memory cluster with one 8-GPU H100 node.
 *
 * <p>With {@code --kubeconfig <file>} it submits the job to that cluster instead.
 */
public final class Quickstart {
    private Quickstart() {}

    /**
     * Runs the quick start.
     *
     * @param args {@code [--kubeconfig <file>]}
     */
    public static void main(String[] args) throws Exception {
        BatchJob job = BatchJob.builder()
                .name("resnet-train")
                .namespace("ml")
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

        System.out.println("# The Job Skiff renders for a 4-way indexed training run on H100s:");
        System.out.print(Skiff.toYaml(job));

        System.out.println();
        System.out.println("# A job a Kubernetes API server would reject is rejected before anything is sent:");
        try {
            BatchJob.builder()
                    .name("Bad_Name")
                    .container(Container.of("ghcr.io/acme/trainer:1.4"))
                    .completions(2)
                    .parallelism(-1)
                    .build();
        } catch (InvalidWorkloadException e) {
            for (Violation v : e.violations()) {
                System.out.println("#   " + v);
            }
        }

        String kubeconfig = kubeconfig(args);
        if (kubeconfig == null) {
            System.out.println();
            System.out.println("# Running it on an embedded in-memory cluster with one 8 x H100 node:");
            try (InMemoryCluster cluster = InMemoryCluster.builder()
                    .node(FakeNode.named("gpu-1")
                            .withCpu("64")
                            .withMemory("512Gi")
                            .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                            .withTaint("nvidia.com/gpu", "present", "NoSchedule"))
                    .start()) {
                cluster.kubernetesClient()
                        .namespaces()
                        .resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("ml")
                                .endMetadata()
                                .build())
                        .create();
                JobHandle handle = cluster.skiff().submit(job);
                Outcome outcome = handle.await(Duration.ofHours(2));
                System.out.println("# " + handle.name() + ": " + outcome.explanation());
            }
            System.out.println("# Run with --kubeconfig <file> to submit the job to a real cluster.");
            return;
        }
        Config config = Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)));
        try (KubernetesClient client =
                        new KubernetesClientBuilder().withConfig(config).build();
                Skiff skiff = Skiff.using(client)) {
            JobHandle handle = skiff.submit(job);
            System.out.println("# Submitted " + handle.namespace() + "/" + handle.name() + "; waiting for it...");
            Outcome outcome = handle.await(Duration.ofHours(2));
            System.out.println("# " + outcome.explanation());
        }
    }

    private static String kubeconfig(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--kubeconfig")) {
                return args[i + 1];
            }
        }
        return null;
    }
}
