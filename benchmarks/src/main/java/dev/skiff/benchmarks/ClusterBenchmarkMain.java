package dev.skiff.benchmarks;

import static dev.skiff.benchmarks.Stats.fmt;
import static dev.skiff.benchmarks.Stats.fmt2;
import static dev.skiff.benchmarks.Stats.median;
import static dev.skiff.benchmarks.Stats.percentile;
import static dev.skiff.benchmarks.Stats.ratios;
import static dev.skiff.benchmarks.Stats.spread;
import static dev.skiff.benchmarks.Stats.spread2;
import static dev.skiff.benchmarks.Stats.verdict;

import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The end-to-end run for the in-memory cluster's speed goals ({@code sdk-testing}'s
 * {@link InMemoryCluster}), side by side with fabric8's CRUD mock server ({@link
 * KubernetesMockServer} with a {@link KubernetesCrudDispatcher}), both driven by the same fabric8
 * client calls in one JVM. Prints one table.
 *
 * <ol>
 *   <li>Start to first answer: wall time from starting the server to the first successful
 *       {@code client.namespaces().list()}, for both servers, alternating which goes first.
 *   <li>Create and get at 1,000 and 10,000 stored Jobs: fill a fresh server with suspended Jobs,
 *       then time alternating creates and gets of fresh Jobs, per operation.
 *   <li>Throughput: N Jobs of 4 pods each created through the client on an in-memory cluster of
 *       100 nodes, run to completion on the virtual clock; wall time, Jobs/s and heap after a full
 *       GC.
 * </ol>
 *
 * <h2>Usage</h2>
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks compile exec:exec -Dbenchmark.main=dev.skiff.benchmarks.ClusterBenchmarkMain
 * }</pre>
 *
 * <p>Arguments (in {@code -Dbenchmark.args="..."}): {@code --starts N} (7), {@code --rounds N}
 * (create/get rounds per server, 2), {@code --ops N} (timed operations per size, 500), {@code
 * --jobs 1000,10000}, {@code --threads N} (clients creating Jobs in the throughput run, 4), {@code
 * --limit S} (seconds before a throughput run is abandoned, 120), {@code --fill-limit S} (seconds
 * before filling a server to 10,000 Jobs is abandoned, 60), {@code --only start|crud|run}, {@code
 * --nodelay} (a diagnostic: sets {@code sun.net.httpserver.nodelay=true}, so the JDK HTTP server
 * under the in-memory cluster turns Nagle's algorithm off; see docs/benchmarks.md).
 */
public final class ClusterBenchmarkMain {
    static final double START_GOAL_MS = 300;
    static final double SCALE_GOAL = 1.3;
    static final double PEER_GOAL = 5;
    static final double RUN_GOAL_S = 30;
    static final long HEAP_GOAL = 1L << 30;
    static final String NAMESPACE = "default";

    /**
     * MockWebServer logs every request at INFO through java.util.logging; silenced, so that the peer
     * is not measured writing to stderr. Kept in a field: the logger manager holds loggers weakly.
     */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private ClusterBenchmarkMain() {}

    /** A server under test: the in-memory cluster or the CRUD mock, with its client. */
    interface Server extends AutoCloseable {
        KubernetesClient client();

        @Override
        void close();
    }

    static Server inMemory() {
        InMemoryCluster cluster = InMemoryCluster.start();
        KubernetesClient client = cluster.kubernetesClient();
        return new Server() {
            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public void close() {
                cluster.close();
            }
        };
    }

    static Server crudMock() {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        KubernetesClient client = server.createClient();
        return new Server() {
            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public void close() {
                client.close();
                server.destroy();
            }
        };
    }

    /** A valid batch/v1 Job: one container, restart policy Never, requesting nothing. */
    static Job job(String name, int pods, boolean suspend) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withCompletions(pods)
                .withParallelism(pods)
                .withSuspend(suspend)
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .withCommand("true")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    // ---------------------------------------------------------------- 1. start to first answer

    /** Milliseconds from starting a server to its first answer to {@code namespaces().list()}. */
    static double startToFirstAnswer(boolean inMemory) {
        long t0 = System.nanoTime();
        Server s = inMemory ? inMemory() : crudMock();
        try {
            s.client().namespaces().list();
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            s.close();
        }
    }

    private static void startPart(int starts, Table table) {
        double[] mem = new double[starts];
        double[] mock = new double[starts];
        for (int i = 0; i < starts; i++) {
            // in-memory first in even rounds (round 0 is the cold one for the in-memory side)
            if (i % 2 == 0) {
                mem[i] = startToFirstAnswer(true);
                mock[i] = startToFirstAnswer(false);
            } else {
                mock[i] = startToFirstAnswer(false);
                mem[i] = startToFirstAnswer(true);
            }
            System.out.printf(
                    Locale.ROOT, "start %d/%d: in-memory %.1f ms, crud mock %.1f ms%n", i + 1, starts, mem[i], mock[i]);
        }
        double[] memWarm = Arrays.copyOfRange(mem, 1, starts);
        double[] mockWarm = Arrays.copyOfRange(mock, 1, starts);
        table.row(
                "start->first answer, in-memory (ms)",
                fmt(median(memWarm)),
                spread(memWarm),
                "first in JVM " + fmt(mem[0]),
                verdict(median(memWarm) <= START_GOAL_MS, "<= " + fmt(START_GOAL_MS) + " ms"));
        table.row(
                "start->first answer, crud mock (ms)",
                fmt(median(mockWarm)),
                spread(mockWarm),
                "first in JVM " + fmt(mock[0]),
                "peer");
    }

    // ---------------------------------------------------------------- 2. create and get

    /** Per-operation latencies of one measurement, in microseconds. */
    record OpTimes(double[] creates, double[] gets) {
        double[] all() {
            double[] a = Arrays.copyOf(creates, creates.length + gets.length);
            System.arraycopy(gets, 0, a, creates.length, gets.length);
            return a;
        }
    }

    /** Creates suspended filler Jobs {@code fill-from} .. {@code fill-(to-1)}; returns false past the deadline. */
    static boolean fill(KubernetesClient client, int from, int to, long deadlineNanos) {
        for (int i = from; i < to; i++) {
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(NAMESPACE)
                    .resource(job("fill-" + i, 1, true))
                    .create();
            if ((i & 255) == 0 && System.nanoTime() > deadlineNanos) {
                return false;
            }
        }
        return true;
    }

    /** {@code ops} operations alternating create of a fresh Job and get of it, after an untimed warm-up. */
    static OpTimes createAndGet(KubernetesClient client, String prefix, int ops) {
        return createAndGet(client, prefix, ops, 100);
    }

    /** As above with {@code warmUps} untimed create+get pairs first. */
    static OpTimes createAndGet(KubernetesClient client, String prefix, int ops, int warmUps) {
        var jobs = client.batch().v1().jobs().inNamespace(NAMESPACE);
        for (int i = 0; i < warmUps; i++) {
            String name = prefix + "-warm-" + i;
            jobs.resource(job(name, 1, true)).create();
            jobs.withName(name).get();
        }
        int pairs = ops / 2;
        double[] creates = new double[pairs];
        double[] gets = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            String name = prefix + "-" + i;
            Job j = job(name, 1, true);
            long t0 = System.nanoTime();
            jobs.resource(j).create();
            long t1 = System.nanoTime();
            Job got = jobs.withName(name).get();
            long t2 = System.nanoTime();
            if (got == null) {
                throw new IllegalStateException("get of " + name + " found nothing");
            }
            creates[i] = (t1 - t0) / 1e3;
            gets[i] = (t2 - t1) / 1e3;
        }
        return new OpTimes(creates, gets);
    }

    private static void crudPart(int rounds, int ops, int fillLimit, Table table) {
        int small = 1_000;
        int large = 10_000;
        // [server][size] -> per-round medians of all ops; and pooled latencies for p90
        List<List<double[]>> medians = List.of(
                List.of(new double[rounds], new double[rounds]), List.of(new double[rounds], new double[rounds]));
        List<List<List<OpTimes>>> pooled =
                List.of(List.of(new ArrayList<>(), new ArrayList<>()), List.of(new ArrayList<>(), new ArrayList<>()));
        boolean[] aborted = new boolean[2];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int server = (r % 2 == 0) ? k : 1 - k; // 0 = in-memory, 1 = crud mock
                String name = server == 0 ? "in-memory" : "crud mock";
                if (aborted[server]) {
                    continue;
                }
                try (Server s = server == 0 ? inMemory() : crudMock()) {
                    long f0 = System.nanoTime();
                    fill(s.client(), 0, small, Long.MAX_VALUE);
                    long f1 = System.nanoTime();
                    OpTimes at1k = createAndGet(s.client(), "probe-1k", ops);
                    long f2 = System.nanoTime();
                    long deadline = f2 + TimeUnit.SECONDS.toNanos(fillLimit);
                    boolean filled = fill(s.client(), small, large, deadline);
                    long f3 = System.nanoTime();
                    if (!filled) {
                        System.out.printf(
                                Locale.ROOT,
                                "round %d, %s: fill 1k %.1f s; per op at 1k %.0f us (create %.0f / get %.0f);"
                                        + " ABORTED filling to %,d Jobs after %d s (%.1f s)%n",
                                r + 1,
                                name,
                                (f1 - f0) / 1e9,
                                median(at1k.all()),
                                median(at1k.creates()),
                                median(at1k.gets()),
                                large,
                                fillLimit,
                                (f3 - f2) / 1e9);
                        aborted[server] = true;
                        continue;
                    }
                    OpTimes at10k = createAndGet(s.client(), "probe-10k", ops);
                    medians.get(server).get(0)[r] = median(at1k.all());
                    medians.get(server).get(1)[r] = median(at10k.all());
                    pooled.get(server).get(0).add(at1k);
                    pooled.get(server).get(1).add(at10k);
                    System.out.printf(
                            Locale.ROOT,
                            "round %d/%d, %s: fill 1k %.1f s, fill to 10k %.1f s; per op at 1k %.0f us, at 10k %.0f us%n",
                            r + 1,
                            rounds,
                            name,
                            (f1 - f0) / 1e9,
                            (f3 - f2) / 1e9,
                            medians.get(server).get(0)[r],
                            medians.get(server).get(1)[r]);
                }
            }
        }
        String[] names = {"in-memory", "crud mock"};
        for (int server = 0; server < 2; server++) {
            if (aborted[server]) {
                table.row(
                        "create+get, " + names[server],
                        "-",
                        "-",
                        "aborted (fill to 10k > " + fillLimit + " s)",
                        "MISSED");
                continue;
            }
            for (int size = 0; size < 2; size++) {
                double[] all = concat(pooled.get(server).get(size), true, true);
                double[] creates = concat(pooled.get(server).get(size), true, false);
                double[] gets = concat(pooled.get(server).get(size), false, true);
                table.row(
                        String.format(
                                Locale.ROOT, "create+get at %,d, %s (us/op)", size == 0 ? small : large, names[server]),
                        fmt(median(all)),
                        spread(medians.get(server).get(size)),
                        String.format(
                                Locale.ROOT,
                                "p90 %s; create %s / get %s",
                                fmt(percentile(all, 0.9)),
                                fmt(median(creates)),
                                fmt(median(gets))),
                        "");
            }
        }
        if (aborted[0] || aborted[1]) {
            return;
        }
        double[] memScale = ratios(medians.get(0).get(1), medians.get(0).get(0));
        double[] mockScale = ratios(medians.get(1).get(1), medians.get(1).get(0));
        double[] peer = ratios(medians.get(1).get(1), medians.get(0).get(1));
        table.row(
                "10k/1k, in-memory",
                fmt2(median(memScale)),
                spread2(memScale),
                "per-round ratios",
                verdict(median(memScale) <= SCALE_GOAL, "<= " + SCALE_GOAL));
        table.row("10k/1k, crud mock", fmt2(median(mockScale)), spread2(mockScale), "per-round ratios", "peer");
        table.row(
                "crud mock / in-memory at 10k",
                fmt2(median(peer)),
                spread2(peer),
                "per-round ratios",
                verdict(median(peer) >= PEER_GOAL, ">= " + PEER_GOAL));
    }

    // ---------------------------------------------------------------- 3. throughput

    /** The outcome of one throughput run. */
    record RunResult(
            int jobs, int complete, double createSeconds, double totalSeconds, long heapBytes, boolean aborted) {}

    /** An in-memory cluster of {@code nodes} nodes of 64 CPU, 256Gi and 110 pods. */
    static InMemoryCluster clusterWithNodes(int nodes) {
        InMemoryCluster.Builder b = InMemoryCluster.builder();
        for (int i = 0; i < nodes; i++) {
            b.node(FakeNode.named(String.format(Locale.ROOT, "node-%03d", i))
                    .withCpu("64")
                    .withMemory("256Gi")
                    .withPods(110));
        }
        return b.start();
    }

    /**
     * Creates {@code jobs} Jobs of 4 pods through the client on {@code threads} threads, then
     * advances the virtual clock a second at a time until every Job has a Complete condition (or the
     * limit passes).
     */
    static RunResult run(InMemoryCluster cluster, int jobs, int threads, Duration limit) throws Exception {
        KubernetesClient client = cluster.kubernetesClient();
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < jobs && System.nanoTime() < deadline) {
                        client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(NAMESPACE)
                                .resource(job("run-" + i, 4, false))
                                .create();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long t1 = System.nanoTime();
        int complete = 0;
        while (true) {
            complete = countComplete(client);
            if (complete >= jobs || System.nanoTime() > deadline) {
                break;
            }
            cluster.advanceClock(Duration.ofSeconds(1));
        }
        long t2 = System.nanoTime();
        return new RunResult(jobs, complete, (t1 - t0) / 1e9, (t2 - t0) / 1e9, heapAfterGc(), complete < jobs);
    }

    static int countComplete(KubernetesClient client) {
        int n = 0;
        for (Job j : client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()) {
            if (j.getStatus() != null
                    && j.getStatus().getConditions() != null
                    && j.getStatus().getConditions().stream()
                            .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()))) {
                n++;
            }
        }
        return n;
    }

    static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void runPart(int[] sizes, int threads, Duration limit, Table table) throws Exception {
        for (int jobs : sizes) {
            RunResult r;
            try (InMemoryCluster cluster = clusterWithNodes(100)) {
                r = run(cluster, jobs, threads, limit);
            }
            double mib = r.heapBytes() / (1024.0 * 1024.0);
            System.out.printf(
                    Locale.ROOT,
                    "run %,d Jobs x 4 pods: %s; created in %.1f s, %,d Complete after %.1f s, heap after GC %.0f MiB%n",
                    jobs,
                    r.aborted() ? "ABORTED at the " + limit.toSeconds() + " s limit" : "done",
                    r.createSeconds(),
                    r.complete(),
                    r.totalSeconds(),
                    mib);
            boolean goalSize = jobs >= 10_000;
            String verdict = r.aborted()
                    ? "MISSED (aborted at " + limit.toSeconds() + " s)"
                    : goalSize
                            ? verdict(
                                    r.totalSeconds() <= RUN_GOAL_S && r.heapBytes() <= HEAP_GOAL,
                                    "<= " + fmt(RUN_GOAL_S) + " s, <= 1 GiB")
                            : "(goal is at 10,000)";
            table.row(
                    String.format(Locale.ROOT, "run %,d Jobs x 4 pods (s)", jobs),
                    fmt(r.totalSeconds()),
                    "-",
                    String.format(
                            Locale.ROOT,
                            "%.0f Jobs/s; create %.1f s; %,d Complete; heap %.0f MiB",
                            r.complete() / r.totalSeconds(),
                            r.createSeconds(),
                            r.complete(),
                            mib),
                    verdict);
            if (r.aborted()) {
                System.out.println("larger runs skipped: this one did not finish within the limit");
                break;
            }
        }
    }

    // ---------------------------------------------------------------- main and helpers

    public static void main(String[] argv) throws Exception {
        // exec:exec hands -Dbenchmark.args over as one (possibly empty) argument
        String joined = String.join(" ", argv).trim();
        String[] args = joined.isEmpty() ? new String[0] : joined.split("\\s+");
        int starts = 7;
        int rounds = 2;
        int ops = 500;
        int threads = 4;
        int limit = 120;
        int[] sizes = {1_000, 10_000};
        String only = "all";
        int fillLimit = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--ops" -> ops = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--jobs" ->
                    sizes = Arrays.stream(args[++i].split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--only" -> only = args[++i];
                // diagnostic: TCP_NODELAY on the in-memory cluster's accepted sockets (read once,
                // when com.sun.net.httpserver first loads, so before any server starts)
                case "--nodelay" -> System.setProperty("sun.net.httpserver.nodelay", "true");
                case "--fill-limit" -> fillLimit = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        System.out.printf(
                "Java %s, %d processors, max heap %d MiB, sun.net.httpserver.nodelay=%s%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("sun.net.httpserver.nodelay", "unset (skiff-testing sets it to true)"));
        Table table = new Table();
        if (only.equals("all") || only.equals("start")) {
            startPart(starts, table);
        }
        if (only.equals("all") || only.equals("crud")) {
            crudPart(rounds, ops, fillLimit, table);
        }
        if (only.equals("all") || only.equals("run")) {
            runPart(sizes, threads, Duration.ofSeconds(limit), table);
        }
        System.out.println();
        table.print();
    }

    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        void row(String... cells) {
            rows.add(cells);
        }

        void print() {
            System.out.printf("%-42s %10s %16s  %-46s %s%n", "measure", "median", "spread (min-max)", "detail", "goal");
            for (String[] r : rows) {
                System.out.printf("%-42s %10s %16s  %-46s %s%n", (Object[]) r);
            }
        }
    }

    private static double[] concat(List<OpTimes> times, boolean creates, boolean gets) {
        List<double[]> parts = new ArrayList<>();
        for (OpTimes t : times) {
            if (creates) {
                parts.add(t.creates());
            }
            if (gets) {
                parts.add(t.gets());
            }
        }
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
    }
}
