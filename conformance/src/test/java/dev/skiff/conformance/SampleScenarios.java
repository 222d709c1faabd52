package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.samples.DistributedTrainingSample;
import dev.skiff.samples.FirstProgram;
import dev.skiff.samples.GpuPlanSample;
import dev.skiff.samples.MigNotebookSample;
import dev.skiff.samples.NightlyRetraining;
import dev.skiff.samples.NotebookSession;
import dev.skiff.samples.Quickstart;
import dev.skiff.testing.FakeNode;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Skiff end to end: every sample, run as a user runs it. On the in-memory target a sample runs as
 * it does without arguments, on its own embedded cluster; on the real target it runs with {@code
 * --kubeconfig} of the real control plane and {@code --namespace} of the scenario's namespace,
 * after the nodes of its embedded cluster were added there (as kwok nodes). Each run must exit
 * with 0 and print the same key lines on both.
 *
 * <p>Lines that legitimately differ are asserted per target: on the embedded cluster a
 * container's outcome is what the sample's pod script says, on kwok every Job pod succeeds at
 * once; the real target prints the cluster it uses and its GPUs, and cleans up what it made.
 */
class SampleScenarios {
    private static final Duration CLEANUP = Duration.ofSeconds(30);

    static Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    /** A sample's {@code run(String[] args, PrintStream out)}. */
    @FunctionalInterface
    interface Sample {
        int run(String[] args, PrintStream out);
    }

    /** A sample's exit status and what it printed. */
    record Run(int status, String out) {}

    /**
     * Runs {@code sample}: its embedded run on the in-memory target; on the real one with the
     * control plane's kubeconfig and the target's namespace, once {@code nodes} are there.
     */
    private static Run run(Target t, String name, List<FakeNode> nodes, Sample sample) {
        if (t.kind() == Target.Kind.IN_MEMORY) {
            return run(t, name, new String[0], sample);
        }
        nodes.forEach(t::addNode);
        return run(t, name, realArgs(t), sample);
    }

    private static String[] realArgs(Target t) {
        return new String[] {
            "--kubeconfig", RealControlPlane.get().kubeconfig().toString(), "--namespace", t.namespace()
        };
    }

    private static Run run(Target t, String name, String[] args, Sample sample) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int status = sample.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        long millis = (System.nanoTime() - start) / 1_000_000;
        String out = bytes.toString(StandardCharsets.UTF_8);
        // in the surefire report: what the sample printed, and how long it took
        System.out.printf("[%s] %s: exit %d after %d ms%n%s%n", t.kind(), name, status, millis, out);
        assertThat(status).as("exit status; the output:%n%s", out).isZero();
        return new Run(status, out);
    }

    /** The namespace the sample used: its own default on the embedded cluster, the target's on the real one. */
    private static String namespace(Target t, String embeddedDefault) {
        return t.kind() == Target.Kind.IN_MEMORY ? embeddedDefault : t.namespace();
    }

    private static String gpuLine(String node, String product, String resource, int free, int all) {
        return node + ": " + product + ", " + resource + " " + free + "/" + all + " free";
    }

    @ParameterizedTest(name = "[{0}] skiff/quickstart")
    @MethodSource("kinds")
    void quickstart(Target.Kind kind) {
        try (Target t = kind.open()) {
            String out =
                    run(t, "Quickstart", Quickstart.nodes(), Quickstart::run).out();
            String ns = namespace(t, "ml");
            assertThat(out)
                    .contains("kind: \"Job\"")
                    .contains("namespace: \"" + ns + "\"")
                    .contains("metadata.name: Invalid value: \"Bad_Name\"")
                    .contains("resnet-train [####################] 4/4 succeeded")
                    .contains("# resnet-train: Succeeded - Job " + ns + "/resnet-train succeeded (4 pods succeeded).");
            if (kind == Target.Kind.IN_MEMORY) {
                // the evaluation's container fails as the embedded cluster's pod script says
                assertThat(out)
                        .contains("# resnet-eval: Failed - Job ml/resnet-eval failed: BackoffLimitExceeded")
                        .contains("| FileNotFoundError: [Errno 2] No such file or directory: '/data/val.parquet'")
                        .contains("# timeline: ");
            } else {
                // kwok runs no container: the evaluation's pod succeeds at once
                assertThat(out)
                        .contains("# Submitting to the cluster of "
                                + RealControlPlane.get().kubeconfig()
                                + ", namespace " + ns + "; its GPUs:\n"
                                + gpuLine("gpu-1", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu", 8, 8) + "\n"
                                + gpuLine("gpu-2", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu", 8, 8) + "\n")
                        .contains("# resnet-eval: Succeeded - Job " + ns + "/resnet-eval succeeded (1 pods succeeded).")
                        .doesNotContain("# timeline: ");
            }
        }
    }

    @ParameterizedTest(name = "[{0}] skiff/first program")
    @MethodSource("kinds")
    void firstProgram(Target.Kind kind) throws IOException {
        // the program of the API outline, run as written: Skiff.connect() finds the cluster through
        // a kubeconfig (here fabric8's `kubeconfig` system property) and submits to namespace ml
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named("gpu-1")
                    .withCpu("64")
                    .withMemory("512Gi")
                    .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                    .withTaint("nvidia.com/gpu", "present", "NoSchedule"));
            Path kubeconfig = t instanceof Target.InMemory memory
                    ? memory.cluster().writeKubeconfig(Files.createTempFile("skiff-in-memory", ".kubeconfig"))
                    : RealControlPlane.get().kubeconfig();
            var namespaces = t.client().namespaces();
            // a namespace ml left by an earlier run on the real control plane is gone first
            t.await(
                    "namespace ml gone",
                    Duration.ofSeconds(60),
                    () -> namespaces.withName("ml").get() == null);
            namespaces
                    .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                            .withNewMetadata()
                            .withName("ml")
                            .endMetadata()
                            .build())
                    .create();
            String before = System.getProperty("kubeconfig");
            try {
                t.await(
                        "default ServiceAccount in ml",
                        Duration.ofSeconds(30),
                        () -> t.client()
                                        .serviceAccounts()
                                        .inNamespace("ml")
                                        .withName("default")
                                        .get()
                                != null);
                System.setProperty("kubeconfig", kubeconfig.toString());
                long start = System.nanoTime();
                FirstProgram.main(new String[0]);
                System.out.printf(
                        "[%s] FirstProgram: returned after %d ms%n", t.kind(), (System.nanoTime() - start) / 1_000_000);
                var job = t.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace("ml")
                        .withName("resnet-train")
                        .get();
                assertThat(job.getSpec().getCompletions()).isEqualTo(4);
                assertThat(job.getStatus().getSucceeded()).isEqualTo(4);
                assertThat(job.getStatus().getConditions())
                        .anyMatch(c ->
                                c.getType().equals("Complete") && c.getStatus().equals("True"));
            } finally {
                if (before == null) {
                    System.clearProperty("kubeconfig");
                } else {
                    System.setProperty("kubeconfig", before);
                }
                namespaces.withName("ml").delete();
                if (t instanceof Target.InMemory) {
                    Files.deleteIfExists(kubeconfig);
                }
            }
        }
    }

    @ParameterizedTest(name = "[{0}] skiff/distributed training")
    @MethodSource("kinds")
    void distributedTraining(Target.Kind kind) {
        try (Target t = kind.open()) {
            String out = run(
                            t,
                            "DistributedTrainingSample",
                            DistributedTrainingSample.nodes(),
                            DistributedTrainingSample::run)
                    .out();
            String ns = namespace(t, "default");
            assertThat(out)
                    .contains("MASTER_ADDR=llama-finetune-0.llama-finetune MASTER_PORT=29500 WORLD_SIZE=16")
                    .contains("Succeeded: Job " + ns + "/llama-finetune succeeded (2 pods succeeded).");
            Matcher ranks = Pattern.compile(
                            "rank ([01]): pod llama-finetune-\\1-[a-z0-9]{5} on (gpu-[12]) as llama-finetune-\\1.llama-finetune")
                    .matcher(out);
            List<MatchResult> placed = ranks.results().toList();
            assertThat(placed).as(out).extracting(r -> r.group(1)).containsExactly("0", "1");
            if (kind == Target.Kind.IN_MEMORY) {
                // eight GPUs a rank, both ranks training at once: one rank a node
                assertThat(placed).as(out).extracting(r -> r.group(2)).doesNotHaveDuplicates();
            } else {
                // on kwok a rank succeeds as soon as it runs, so the second may take the first's
                // GPUs; the sample prints the GPUs it found before submitting
                assertThat(out)
                        .contains(gpuLine("gpu-1", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu", 8, 8))
                        .contains(gpuLine("gpu-2", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu", 8, 8));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] skiff/gpu plan")
    @MethodSource("kinds")
    void gpuPlan(Target.Kind kind) {
        try (Target t = kind.open()) {
            String out = run(t, "GpuPlanSample", GpuPlanSample.nodes(), GpuPlanSample::run)
                    .out();
            String ns = namespace(t, "default");
            // the same inventory, so the same plans; nothing is submitted
            assertThat(out)
                    .contains(gpuLine("h100-1", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu", 8, 8))
                    .contains(gpuLine("h100-2", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu", 8, 8))
                    .contains("# One pod with 16 GPUs:\nJob " + ns + "/llm-pretrain: can never fit as asked")
                    .contains("Insufficient nvidia.com/gpu: needs 16, the largest node has 8 (h100-1, h100-2)")
                    .contains("# Two pods with 8 GPUs each:\nJob " + ns + "/llm-pretrain: fits now")
                    .contains("fits now on: h100-1, h100-2");
            assertThat(t.client().batch().v1().jobs().inNamespace(ns).list().getItems())
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}] skiff/mig notebook")
    @MethodSource("kinds")
    void migNotebook(Target.Kind kind) {
        try (Target t = kind.open()) {
            String out = run(t, "MigNotebookSample", MigNotebookSample.nodes(), MigNotebookSample::run)
                    .out();
            String ns = namespace(t, "default");
            String product = "NVIDIA-A100-SXM4-80GB";
            assertThat(out)
                    .containsSubsequence(
                            gpuLine("a100-mig", product, "nvidia.com/mig-1g.10gb", 7, 7),
                            "# Deployment " + ns + "/notebook-ana Ready: 1/1 ready",
                            "# endpoint: http://notebook-ana." + ns + ".svc.cluster.local:8888",
                            "# runs on a100-mig",
                            "# After:\n" + gpuLine("a100-mig", product, "nvidia.com/mig-1g.10gb", 6, 7));
            if (kind == Target.Kind.REAL) {
                // on a real cluster the sample deletes what it made
                assertThat(out).endsWith("# deleted the notebook\n");
                t.await(
                        "the notebook's Deployment and Service deleted",
                        CLEANUP,
                        () -> t.client()
                                                .apps()
                                                .deployments()
                                                .inNamespace(ns)
                                                .withName("notebook-ana")
                                                .get()
                                        == null
                                && t.client()
                                                .services()
                                                .inNamespace(ns)
                                                .withName("notebook-ana")
                                                .get()
                                        == null);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] skiff/notebook session")
    @MethodSource("kinds")
    void notebookSession(Target.Kind kind) {
        try (Target t = kind.open()) {
            // the home volume: the in-memory cluster binds claims itself; the real control plane
            // has no provisioner, so a volume of the size asked waits for the claim
            String volume = "home-" + t.namespace();
            if (kind == Target.Kind.REAL) {
                t.client().persistentVolumes().resource(homeVolume(volume)).create();
            }
            try {
                String out = run(t, "NotebookSession", NotebookSession.nodes(), NotebookSession::run)
                        .out();
                String ns = namespace(t, "ml");
                assertThat(out)
                        .containsSubsequence(
                                "# StatefulSet " + ns + "/alice-notebook Ready: 1/1 ready, 1/1 updated",
                                "# endpoint: http://alice-notebook." + ns + ".svc.cluster.local:8888",
                                "#   replica: alice-notebook-0.alice-notebook." + ns + ".svc.cluster.local",
                                "# gpu-1: 1/1 GPUs in use",
                                "# suspended: StatefulSet " + ns + "/alice-notebook Suspended: 0/0 ready",
                                "# gpu-1: 0/1 GPUs in use",
                                "# volume kept: home-alice-notebook-0",
                                "# resumed: StatefulSet " + ns + "/alice-notebook Ready: 1/1 ready, 1/1 updated",
                                "# gpu-1: 1/1 GPUs in use");
                if (kind == Target.Kind.REAL) {
                    assertThat(out)
                            .startsWith("# On the cluster of "
                                    + RealControlPlane.get().kubeconfig() + "; its GPUs:\n"
                                    + gpuLine("gpu-1", "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu", 1, 1) + "\n")
                            .endsWith("# deleted the notebook and its volume claim\n");
                    t.await(
                            "the notebook's StatefulSet and claim deleted",
                            CLEANUP,
                            () -> t.client()
                                                    .apps()
                                                    .statefulSets()
                                                    .inNamespace(ns)
                                                    .withName("alice-notebook")
                                                    .get()
                                            == null
                                    && t.client()
                                                    .persistentVolumeClaims()
                                                    .inNamespace(ns)
                                                    .withName("home-alice-notebook-0")
                                                    .get()
                                            == null);
                }
            } finally {
                if (kind == Target.Kind.REAL) {
                    t.client().persistentVolumes().withName(volume).delete();
                }
            }
        }
    }

    private static PersistentVolume homeVolume(String name) {
        return new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("50Gi")))
                .withAccessModes("ReadWriteOnce")
                .withNewHostPath()
                .withPath("/tmp/" + name)
                .endHostPath()
                .endSpec()
                .build();
    }

    @ParameterizedTest(name = "[{0}] skiff/nightly retraining")
    @MethodSource("kinds")
    void nightlyRetraining(Target.Kind kind) {
        try (Target t = kind.open()) {
            String out = run(t, "NightlyRetraining", NightlyRetraining.nodes(), NightlyRetraining::run)
                    .out();
            String ns = namespace(t, "ml");
            // the next three nights, whenever it runs
            assertThat(out)
                    .containsPattern(
                            "# retrain runs at 02:30 in Europe/Berlin; it is now [A-Z][a-z]{2} \\d{1,2} [A-Z][a-z]{2}"
                                    + " \\d\\d:\\d\\d CES?T\\. Next runs:\n"
                                    + "(#   [A-Z][a-z]{2} \\d{1,2} [A-Z][a-z]{2} 02:30 CES?T\n){3}");
            if (kind == Target.Kind.IN_MEMORY) {
                // three nights on the virtual clock; the second night's container fails by script
                assertThat(out)
                        .contains("# Three days later (Thu 4 Jun 14:00 CEST), newest first:\n")
                        .contains("#   retrain-29675550 scheduled Thu 4 Jun 02:30 CEST: Succeeded")
                        .contains(
                                "#   retrain-29674110 scheduled Wed 3 Jun 02:30 CEST: Failed - Job ml/retrain-29674110"
                                        + " failed: BackoffLimitExceeded")
                        .contains("(1 pods failed).\n#     exit 1, last log line: KeyError: 'clicks_7d'\n")
                        .contains("#   retrain-29672670 scheduled Tue 2 Jun 02:30 CEST: Succeeded");
            } else {
                // real time cannot be moved: one run now, then the schedule goes with its runs
                assertThat(out)
                        .containsPattern("#   retrain-manual-[a-z0-9]{5} scheduled by hand: Succeeded - Job " + ns
                                + "/retrain-manual-[a-z0-9]{5} succeeded \\(1 pods succeeded\\)\\.\n"
                                + "# deleted the schedule retrain and its runs\n$");
                t.await(
                        "the CronJob and its Jobs deleted",
                        CLEANUP,
                        () -> t.client()
                                                .batch()
                                                .v1()
                                                .cronjobs()
                                                .inNamespace(ns)
                                                .withName("retrain")
                                                .get()
                                        == null
                                && t.client()
                                        .batch()
                                        .v1()
                                        .jobs()
                                        .inNamespace(ns)
                                        .list()
                                        .getItems()
                                        .isEmpty());
            }
        }
    }
}
