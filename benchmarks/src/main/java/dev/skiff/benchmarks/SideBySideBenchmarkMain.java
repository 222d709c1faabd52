package dev.skiff.benchmarks;

import static dev.skiff.benchmarks.Stats.fmt;
import static dev.skiff.benchmarks.Stats.fmt2;
import static dev.skiff.benchmarks.Stats.median;
import static dev.skiff.benchmarks.Stats.percentile;
import static dev.skiff.benchmarks.Stats.spread;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffConfig;
import dev.skiff.core.Submission;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Submitting and completing 1,000 jobs through Skiff on a real control plane and on the in-memory
 * cluster, side by side, with the same code: {@code submitAll} of one-pod jobs, then {@code
 * awaitAsync} on each until every one has succeeded. The in-memory cluster runs on the wall clock
 * ({@code realTime(1)}), so both sides do the same work in real time; on the real control plane
 * kwok plays the node and completes each Job pod as soon as it runs, as the in-memory cluster does.
 *
 * <p>Run the real control plane first ({@code conformance/controlplane/up}, whose last line names
 * the kubeconfig), then
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks compile exec:exec \
 *     -Dbenchmark.main=dev.skiff.benchmarks.SideBySideBenchmarkMain \
 *     -Dbenchmark.args="--kubeconfig $HOME/.cache/skiff/controlplane/run/kubeconfig"
 * }</pre>
 *
 * <p>Options: {@code --jobs N} (1000), {@code --rounds N} (3, alternating the targets). Without
 * {@code --kubeconfig} only the in-memory side runs. Each round uses a fresh namespace (deleted
 * afterwards) and, on the real side, a kwok node with room for every pod.
 */
public final class SideBySideBenchmarkMain {
    private SideBySideBenchmarkMain() {}

    /** One round's figures, in seconds. */
    record Round(double submitted, double completed, double[] latencies) {}

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args {@code [--kubeconfig <file>] [--jobs N] [--rounds N]}
     */
    public static void main(String[] argv) throws Exception {
        // exec:exec hands -Dbenchmark.args over as one (possibly empty) argument
        String joined = String.join(" ", argv).strip();
        String[] args = joined.isEmpty() ? new String[0] : joined.split("\\s+");
        String kubeconfig = null;
        int jobs = 1000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kubeconfig" -> kubeconfig = args[++i];
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--help" -> {
                    System.out.println("options: [--kubeconfig <file>] [--jobs N] [--rounds N]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // one warm-up round on the in-memory cluster: class loading and JIT belong to neither side
        inMemoryRound(Math.min(jobs, 200), "warm-up");
        List<Round> inMemory = new ArrayList<>();
        List<Round> real = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            inMemory.add(inMemoryRound(jobs, "in-memory round " + (r + 1)));
            if (kubeconfig != null) {
                real.add(realRound(Path.of(kubeconfig), jobs, "real round " + (r + 1)));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "# %d one-pod jobs through Skiff's submitAll, then awaitAsync on each%n", jobs);
        System.out.println("| target | submitAll (s) | all succeeded (s) | each job's outcome after, p50 / p95 (s) |");
        System.out.println("| --- | --- | --- | --- |");
        print("in-memory (realTime 1)", inMemory);
        if (!real.isEmpty()) {
            print("real v1.36.3 + kwok", real);
            double ratio = median(real.stream().mapToDouble(Round::completed).toArray())
                    / median(inMemory.stream().mapToDouble(Round::completed).toArray());
            System.out.printf(Locale.ROOT, "%nreal / in-memory, all succeeded (medians): %sx%n", fmt2(ratio));
        }
    }

    private static void print(String target, List<Round> rounds) {
        double[] submitted = rounds.stream().mapToDouble(Round::submitted).toArray();
        double[] completed = rounds.stream().mapToDouble(Round::completed).toArray();
        double[] p50 = rounds.stream().mapToDouble(r -> median(r.latencies())).toArray();
        double[] p95 = rounds.stream()
                .mapToDouble(r -> percentile(r.latencies(), 0.95))
                .toArray();
        System.out.printf(
                Locale.ROOT,
                "| %s | %s (%s) | %s (%s) | %s / %s |%n",
                target,
                fmt2(median(submitted)),
                spread(submitted),
                fmt2(median(completed)),
                spread(completed),
                fmt2(median(p50)),
                fmt2(median(p95)));
    }

    private static Round inMemoryRound(int jobs, String what) {
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .node(FakeNode.named("bench").withCpu("4000").withMemory("16Ti").withPods(jobs + 10))
                .realTime(1)
                .start()) {
            createNamespace(cluster.kubernetesClient(), "bench");
            try (Skiff skiff = Skiff.using(cluster.kubernetesClient())) {
                return round(skiff, "bench", jobs, what);
            }
        }
    }

    private static Round realRound(Path kubeconfig, int jobs, String what) {
        String ns = "bench-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String node = "bench-" + ns;
        try (Skiff skiff =
                Skiff.connect(SkiffConfig.builder().kubeconfig(kubeconfig).build())) {
            KubernetesClient client = skiff.kubernetesClient();
            client.nodes()
                    .resource(FakeNode.named(node)
                            .withCpu("4000")
                            .withMemory("16Ti")
                            .withPods(jobs + 10)
                            .toNode())
                    .create();
            createNamespace(client, ns);
            awaitReady(client, node, ns);
            try {
                return round(skiff, ns, jobs, what);
            } finally {
                client.namespaces().withName(ns).delete();
                client.nodes().withName(node).withGracePeriod(0).delete();
            }
        }
    }

    private static Round round(Skiff skiff, String ns, int jobs, String what) {
        List<BatchJob> batch = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            batch.add(BatchJob.builder()
                    .name(String.format(Locale.ROOT, "job-%05d", i))
                    .namespace(ns)
                    .container(Container.of("busybox:1.36").withResources(Resources.cpu("100m")))
                    .backoffLimit(0)
                    .build());
        }
        long start = System.nanoTime();
        List<Submission> submitted = skiff.submitAll(batch);
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        double[] latencies = new double[jobs];
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            if (!(submitted.get(i) instanceof Submission.Submitted s)) {
                throw new IllegalStateException(what + ": " + batch.get(i).name() + " was refused: "
                        + ((Submission.Refused) submitted.get(i)).error().getMessage());
            }
            JobHandle handle = s.handle();
            int index = i;
            outcomes.add(
                    handle.awaitAsync().whenComplete((o, e) -> latencies[index] = (System.nanoTime() - start) / 1e9));
        }
        try {
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(what + ": not every job finished within 10 minutes", e);
        }
        double completedSeconds = (System.nanoTime() - start) / 1e9;
        long succeeded = outcomes.stream()
                .filter(f -> f.join() instanceof Outcome.Succeeded)
                .count();
        if (succeeded != jobs) {
            throw new IllegalStateException(what + ": " + succeeded + " of " + jobs + " jobs succeeded");
        }
        System.out.printf(
                Locale.ROOT,
                "%s: submitAll %s s, all %d succeeded after %s s%n",
                what,
                fmt(submitSeconds),
                jobs,
                fmt(completedSeconds));
        return new Round(submitSeconds, completedSeconds, latencies);
    }

    private static void createNamespace(KubernetesClient client, String ns) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
    }

    /** Waits for kwok to make the node Ready and for the namespace's default ServiceAccount. */
    private static void awaitReady(KubernetesClient client, String node, String ns) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var n = client.nodes().withName(node).get();
            boolean ready = n != null
                    && n.getStatus() != null
                    && n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream()
                            .anyMatch(c ->
                                    c.getType().equals("Ready") && c.getStatus().equals("True"))
                    && (n.getSpec().getTaints() == null
                            || n.getSpec().getTaints().isEmpty());
            boolean account =
                    client.serviceAccounts().inNamespace(ns).withName("default").get() != null;
            if (ready && account) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("node " + node + " not Ready within 60 s");
    }
}
