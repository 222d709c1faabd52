package dev.skiff.benchmarks;

import static dev.skiff.benchmarks.Stats.fmt;
import static dev.skiff.benchmarks.Stats.fmt2;
import static dev.skiff.benchmarks.Stats.fmt3;
import static dev.skiff.benchmarks.Stats.mean;
import static dev.skiff.benchmarks.Stats.median;
import static dev.skiff.benchmarks.Stats.percentile;
import static dev.skiff.benchmarks.Stats.ratios;
import static dev.skiff.benchmarks.Stats.spread;
import static dev.skiff.benchmarks.Stats.spread2;
import static dev.skiff.benchmarks.Stats.verdict;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.RateLimit;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffConfig;
import dev.skiff.core.Submission;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import dev.skiff.testing.RecordedRequest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's goals, measured side by side with raw fabric8 on the in-memory cluster ({@code
 * sdk-testing}'s {@link InMemoryCluster}), in one JVM. Prints one table.
 *
 * <ol>
 *   <li>{@code submit} one by one against a raw {@code client.batch().v1().jobs().resource(job).create()}
 *       of the same rendered Job, per operation, with the default configuration and without the
 *       rate limit; the sides take turns in blocks of 25; goal at most 1.15×.
 *   <li>{@code submitAll} of 1,000 jobs against a raw sequential loop of creates; goal at least 3×
 *       faster. Raw creates on 16 threads are timed too, to show what the cluster and machine give at
 *       Skiff's concurrency.
 *   <li>Following 1,000 running jobs to completion with {@code awaitAsync}: watch connections (goal
 *       at most 2) and requests per job beyond its create (goal at most 1.05); a polling loop that
 *       GETs every job every 2 s, as the Kubeflow SDK's wait does, for contrast.
 *   <li>Heap retained by following 10,000 jobs; goal at most 64 MiB.
 * </ol>
 *
 * <h2>Usage</h2>
 *
 * <pre>{@code
 * ./mvnw -o -q -pl sdk-core,sdk-gpu,sdk-testing,benchmarks compile exec:exec \
 *     -Dexec.executable=java -Dbenchmark.main=dev.skiff.benchmarks.ClientBenchmarkMain
 * }</pre>
 *
 * <p>Through the reactor, so that the sources next to it are measured, not what was installed last.
 *
 * <p>Arguments (in {@code -Dbenchmark.args="..."}): {@code --rounds N} (rounds of part 1, 6),
 * {@code --ops N} (timed submits per side and round, 500), {@code --warmup N} (untimed submits
 * per side before each round, 200), {@code --block N} (timed submits per side before the next
 * side's turn, 25), {@code --all-rounds N} (rounds of part 2, 3), {@code --all-jobs
 * N} (1000), {@code --follow-jobs N} (1000), {@code --hold S} (wall seconds from the start of
 * following to the jobs' end, 10), {@code --poll-ms N} (2000), {@code --heap-jobs N} (10000),
 * {@code --only submit|submitall|follow|heap}.
 */
public final class ClientBenchmarkMain {
    static final double SUBMIT_GOAL = 1.15;
    static final double SUBMIT_ALL_GOAL = 3;
    static final int WATCH_GOAL = 2;
    static final double EXTRA_REQUESTS_GOAL = 1.05;
    static final double HEAP_GOAL_MIB = 64;
    static final String NAMESPACE = "default";
    /** Selects the pods of every job Skiff renders. */
    static final String SKIFF_PODS = "app.kubernetes.io/managed-by=skiff";

    private ClientBenchmarkMain() {}

    /** The Skiff configuration with every default: 1,000 requests/s, 16 submissions at once. */
    static SkiffConfig defaultConfig() {
        return SkiffConfig.defaults();
    }

    /** The defaults without the client-side rate limit. */
    static SkiffConfig unlimitedConfig() {
        return SkiffConfig.builder().rateLimit(RateLimit.none()).build();
    }

    /**
     * The job measured: one container with args, an env var and a CPU and memory request; one pod,
     * restart policy Never (Skiff's default); suspended or not.
     */
    static BatchJob job(String name, boolean suspend) {
        return BatchJob.builder()
                .name(name)
                .namespace(NAMESPACE)
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withArgs("--epochs", "10")
                        .withEnv("WANDB_PROJECT", "resnet")
                        .withResources(Resources.cpu("1").memory("2Gi")))
                .suspend(suspend)
                .build();
    }

    static List<BatchJob> jobs(String prefix, int n, boolean suspend) {
        List<BatchJob> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(job(prefix + "-" + i, suspend));
        }
        return out;
    }

    /**
     * What raw fabric8 sends for {@code job}: {@code Skiff.render(job).get(0)} with the namespace
     * and the spec-hash annotation {@code submit} adds, so that both sides send the same Job and the
     * server does the same work for each.
     */
    static Job rawJob(BatchJob job) {
        Job j = (Job) Skiff.render(job).get(0);
        j.getMetadata().setNamespace(NAMESPACE);
        if (j.getMetadata().getAnnotations() == null) {
            j.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
        }
        j.getMetadata().getAnnotations().put(Skiff.SPEC_HASH_ANNOTATION, Skiff.specHash(job));
        return j;
    }

    static List<Job> rawJobs(String prefix, int n, boolean suspend) {
        List<Job> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(rawJob(job(prefix + "-" + i, suspend)));
        }
        return out;
    }

    static void rawCreate(KubernetesClient client, Job job) {
        client.batch().v1().jobs().resource(job).create();
    }

    // ---------------------------------------------------------------- 1. submit one by one

    /** The sides of part 1, in the order of the first round. */
    enum Side {
        RAW("raw fabric8 create"),
        SKIFF("Skiff submit, default config"),
        SKIFF_UNLIMITED("Skiff submit, RateLimit.none()");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    /** Per-operation wall times in microseconds of one side in one round. */
    record Times(Side side, double[] micros) {}

    /** Submits (or creates) every job one after the other; returns the time of each in µs. */
    static double[] timeSubmits(
            Side side, InMemoryCluster cluster, Skiff skiff, Skiff unlimited, String prefix, int n) {
        KubernetesClient client = cluster.kubernetesClient();
        double[] micros = new double[n];
        if (side == Side.RAW) {
            List<Job> jobs = rawJobs(prefix, n, true);
            for (int i = 0; i < n; i++) {
                Job j = jobs.get(i);
                long t0 = System.nanoTime();
                rawCreate(client, j);
                micros[i] = (System.nanoTime() - t0) / 1e3;
            }
        } else {
            Skiff s = side == Side.SKIFF ? skiff : unlimited;
            List<BatchJob> jobs = jobs(prefix, n, true);
            for (int i = 0; i < n; i++) {
                BatchJob j = jobs.get(i);
                long t0 = System.nanoTime();
                s.submit(j);
                micros[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        return micros;
    }

    /**
     * One round of part 1 on a fresh cluster: {@code warmUps} untimed operations per side, then
     * {@code ops} timed ones per side in blocks of {@code block}, the sides taking turns block by
     * block (so that a change in the machine's load falls on all of them), the first side changing
     * from round to round.
     */
    static List<Times> submitRound(int round, int ops, int warmUps, int block) {
        Side[] sides = Side.values();
        try (InMemoryCluster cluster = InMemoryCluster.start();
                Skiff skiff = Skiff.using(cluster.kubernetesClient(), defaultConfig());
                Skiff unlimited = Skiff.using(cluster.kubernetesClient(), unlimitedConfig())) {
            for (Side side : sides) {
                timeSubmits(side, cluster, skiff, unlimited, "w" + round + "-" + side.ordinal(), warmUps);
            }
            double[][] micros = new double[sides.length][ops];
            int blocks = (ops + block - 1) / block;
            for (int b = 0; b < blocks; b++) {
                int from = b * block;
                int n = Math.min(block, ops - from);
                for (int k = 0; k < sides.length; k++) {
                    Side side = sides[(round + b + k) % sides.length];
                    double[] t = timeSubmits(
                            side, cluster, skiff, unlimited, "r" + round + "-" + side.ordinal() + "-" + b, n);
                    System.arraycopy(t, 0, micros[side.ordinal()], from, n);
                }
            }
            List<Times> out = new ArrayList<>();
            for (Side side : sides) {
                out.add(new Times(side, micros[side.ordinal()]));
            }
            return out;
        }
    }

    /** Microseconds per call of {@code op}, the median of {@code n} calls after {@code n} untimed ones. */
    static double microsPerCall(int n, Runnable op) {
        for (int i = 0; i < n; i++) {
            op.run();
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            op.run();
            t[i] = (System.nanoTime() - t0) / 1e3;
        }
        return median(t);
    }

    private static void submitPart(int rounds, int ops, int warmUps, int block, Table table) {
        int n = Side.values().length;
        double[][] medians = new double[n][rounds];
        double[][] means = new double[n][rounds];
        List<List<double[]>> pooled = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            pooled.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            List<Times> round = submitRound(r, ops, warmUps, block);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "submit round %d/%d:", r + 1, rounds));
            for (Times t : round) {
                int s = t.side().ordinal();
                medians[s][r] = median(t.micros());
                means[s][r] = mean(t.micros());
                pooled.get(s).add(t.micros());
                line.append(String.format(
                        Locale.ROOT, " %s median %.0f us (mean %.0f);", t.side().label, medians[s][r], means[s][r]));
            }
            System.out.println(line);
        }
        for (Side side : Side.values()) {
            int s = side.ordinal();
            double[] all =
                    pooled.get(s).stream().flatMapToDouble(Arrays::stream).toArray();
            table.row(
                    side.label + " (us/op)",
                    fmt(median(all)),
                    spread(medians[s]),
                    String.format(
                            Locale.ROOT,
                            "mean %s; p90 %s; p99 %s",
                            fmt(mean(all)),
                            fmt(percentile(all, 0.9)),
                            fmt(percentile(all, 0.99))),
                    side == Side.RAW ? "peer" : "");
        }
        double[] ratio = ratios(medians[Side.SKIFF.ordinal()], medians[Side.RAW.ordinal()]);
        double[] ratioMean = ratios(means[Side.SKIFF.ordinal()], means[Side.RAW.ordinal()]);
        double[] ratioNone = ratios(medians[Side.SKIFF_UNLIMITED.ordinal()], medians[Side.RAW.ordinal()]);
        double[] ratioNoneMean = ratios(means[Side.SKIFF_UNLIMITED.ordinal()], means[Side.RAW.ordinal()]);
        table.row(
                "submit/raw, default config",
                fmt2(median(ratio)),
                spread2(ratio),
                "of means " + fmt2(median(ratioMean)) + " (" + spread2(ratioMean) + ")",
                verdict(median(ratio) <= SUBMIT_GOAL, "<= " + SUBMIT_GOAL));
        table.row(
                "submit/raw, RateLimit.none()",
                fmt2(median(ratioNone)),
                spread2(ratioNone),
                "of means " + fmt2(median(ratioNoneMean)) + " (" + spread2(ratioNoneMean) + ")",
                verdict(median(ratioNone) <= SUBMIT_GOAL, "<= " + SUBMIT_GOAL));
        // parts of submit that send nothing, to show where the difference goes
        BatchJob one = job("parts", true);
        table.row(
                "(a) Skiff.render (us/call)",
                fmt(microsPerCall(2000, () -> Skiff.render(one))),
                "-",
                "in submit before the request",
                "");
        table.row(
                "(b) Skiff.specHash (us/call)",
                fmt(microsPerCall(2000, () -> Skiff.specHash(one))),
                "-",
                "render + serialise + SHA-256; in submit before the request",
                "");
    }

    // ---------------------------------------------------------------- 2. submitAll

    /**
     * Wall seconds of each side in one round of part 2; {@code rawParallelSeconds} is a diagnostic:
     * raw fabric8 creates on 16 threads, the most the cluster and machine give at that concurrency.
     */
    record AllRound(double rawSeconds, double skiffSeconds, double unlimitedSeconds, double rawParallelSeconds) {}

    /** Creates every job one after the other with raw fabric8; returns the wall seconds. */
    static double rawLoop(KubernetesClient client, List<Job> jobs) {
        long t0 = System.nanoTime();
        for (Job j : jobs) {
            rawCreate(client, j);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Creates every job with raw fabric8 on {@code threads} threads; returns the wall seconds. */
    static double rawParallel(KubernetesClient client, List<Job> jobs, int threads) throws Exception {
        var pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>(jobs.size());
            for (Job j : jobs) {
                fs.add(pool.submit(() -> rawCreate(client, j)));
            }
            for (var f : fs) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code skiff.submitAll(jobs)}; returns the wall seconds, or throws if a job was refused. */
    static double submitAll(Skiff skiff, List<BatchJob> jobs) {
        long t0 = System.nanoTime();
        List<Submission> results = skiff.submitAll(jobs);
        double s = (System.nanoTime() - t0) / 1e9;
        for (Submission r : results) {
            if (r instanceof Submission.Refused refused) {
                throw new IllegalStateException(
                        "job " + refused.job().name() + " was refused: " + refused.error(), refused.error());
            }
        }
        return s;
    }

    /** One round of part 2 on a fresh cluster; the sides in turn, starting with a different one each round. */
    static AllRound submitAllRound(int round, int jobs, int warmUps) throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start();
                Skiff skiff = Skiff.using(cluster.kubernetesClient(), defaultConfig());
                Skiff unlimited = Skiff.using(cluster.kubernetesClient(), unlimitedConfig())) {
            KubernetesClient client = cluster.kubernetesClient();
            rawLoop(client, rawJobs("w-raw", warmUps, true));
            submitAll(skiff, jobs("w-skiff", warmUps, true));
            submitAll(unlimited, jobs("w-none", warmUps, true));
            int concurrency = defaultConfig().submitConcurrency();
            rawParallel(client, rawJobs("w-par", warmUps, true), concurrency);
            double[] secs = new double[4];
            for (int k = 0; k < 4; k++) {
                int side = (round + k) % 4;
                switch (side) {
                    case 0 -> secs[0] = rawLoop(client, rawJobs("raw", jobs, true));
                    case 1 -> secs[1] = submitAll(skiff, jobs("skiff", jobs, true));
                    case 2 -> secs[2] = submitAll(unlimited, jobs("none", jobs, true));
                    default -> secs[3] = rawParallel(client, rawJobs("par", jobs, true), concurrency);
                }
            }
            return new AllRound(secs[0], secs[1], secs[2], secs[3]);
        }
    }

    private static void submitAllPart(int rounds, int jobs, Table table) throws Exception {
        double[] raw = new double[rounds];
        double[] par = new double[rounds];
        double[] skiff = new double[rounds];
        double[] none = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            AllRound a = submitAllRound(r, jobs, Math.min(200, jobs));
            raw[r] = a.rawSeconds();
            skiff[r] = a.skiffSeconds();
            none[r] = a.unlimitedSeconds();
            par[r] = a.rawParallelSeconds();
            System.out.printf(
                    Locale.ROOT,
                    "submitAll round %d/%d, %,d jobs: raw loop %.2f s, submitAll default %.2f s, RateLimit.none() %.2f s;"
                            + " raw on 16 threads %.2f s%n",
                    r + 1,
                    rounds,
                    jobs,
                    raw[r],
                    skiff[r],
                    none[r],
                    par[r]);
        }
        String n = String.format(Locale.ROOT, "%,d", jobs);
        table.row(
                "raw sequential loop, " + n + " (s)",
                fmt2(median(raw)),
                spread2(raw),
                String.format(Locale.ROOT, "%.0f jobs/s", jobs / median(raw)),
                "peer");
        table.row(
                "submitAll " + n + ", default (s)",
                fmt2(median(skiff)),
                spread2(skiff),
                String.format(Locale.ROOT, "%.0f jobs/s; concurrency 16, 1,000 req/s", jobs / median(skiff)),
                "");
        table.row(
                "submitAll " + n + ", RateLimit.none() (s)",
                fmt2(median(none)),
                spread2(none),
                String.format(Locale.ROOT, "%.0f jobs/s; concurrency 16", jobs / median(none)),
                "");
        table.row(
                "raw on 16 threads, " + n + " (s)",
                fmt2(median(par)),
                spread2(par),
                String.format(Locale.ROOT, "%.0f jobs/s; loop/this %.2f", jobs / median(par), median(ratios(raw, par))),
                "diagnostic");
        double[] speedup = ratios(raw, skiff);
        double[] speedupNone = ratios(raw, none);
        table.row(
                "raw loop/submitAll, default",
                fmt2(median(speedup)),
                spread2(speedup),
                "per-round ratios",
                verdict(median(speedup) >= SUBMIT_ALL_GOAL, ">= " + SUBMIT_ALL_GOAL));
        table.row(
                "raw loop/submitAll, RateLimit.none()",
                fmt2(median(speedupNone)),
                spread2(speedupNone),
                "per-round ratios",
                verdict(median(speedupNone) >= SUBMIT_ALL_GOAL, ">= " + SUBMIT_ALL_GOAL));
    }

    // ---------------------------------------------------------------- 3. following

    /**
     * What following {@code jobs} jobs to their end cost in requests.
     *
     * @param jobs the jobs followed
     * @param finished how many ended Succeeded (Skiff) or Complete (polling)
     * @param creates create requests
     * @param others every other request, from the first create to the last job seen finished
     * @param watches watch connections (part of {@code others})
     * @param byVerb {@code others} by verb
     * @param seconds wall seconds from the start of following to the last job seen finished
     */
    record FollowResult(
            int jobs, int finished, int creates, int others, int watches, Map<String, Integer> byVerb, double seconds) {
        double othersPerJob() {
            return others / (double) jobs;
        }
    }

    /** A cluster with room for {@code jobs} one-CPU pods, whose Skiff pods succeed after 10 minutes. */
    static InMemoryCluster followCluster(int jobs) {
        InMemoryCluster cluster = ClusterBenchmarkMain.clusterWithNodes(Math.max(1, (jobs + 49) / 50));
        cluster.onPods(SKIFF_PODS, PodScript.succeedAfter(Duration.ofMinutes(10)));
        return cluster;
    }

    /** Starts the pods of the submitted jobs and checks that every one runs (requests made here are not counted). */
    private static void startPods(InMemoryCluster cluster, int jobs) {
        cluster.advanceClock(Duration.ofSeconds(30));
        List<Pod> pods = cluster.kubernetesClient()
                .pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/managed-by", "skiff")
                .list()
                .getItems();
        long running = pods.stream()
                .filter(p ->
                        p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .count();
        if (running != jobs) {
            throw new IllegalStateException(running + " of " + jobs + " pods run after 30 s of virtual time");
        }
    }

    /** Advances the clock past the jobs' end {@code hold} of wall time from now, on a thread of its own. */
    private static ScheduledFuture<?> endJobsAfter(
            ScheduledExecutorService clock, InMemoryCluster cluster, Duration hold) {
        return clock.schedule(
                () -> cluster.advanceClock(Duration.ofMinutes(11)), hold.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Submits {@code jobs} running jobs with {@code submitAll}, then follows them all with {@code
     * awaitAsync}; the clock moves past their end {@code hold} of wall time later. Counts the
     * requests from the first create on, leaving out the check that the pods run.
     */
    static FollowResult followWithSkiff(int jobs, Duration hold) throws Exception {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try (InMemoryCluster cluster = followCluster(jobs)) {
            Skiff skiff = Skiff.using(cluster.kubernetesClient(), defaultConfig());
            List<RecordedRequest> submitted;
            List<RecordedRequest> followed;
            int finished = 0;
            double seconds;
            try {
                int mark0 = cluster.requests().size();
                List<JobHandle> handles = new ArrayList<>();
                for (Submission s : skiff.submitAll(jobs("follow", jobs, false))) {
                    if (!(s instanceof Submission.Submitted ok)) {
                        throw new IllegalStateException("refused: " + s);
                    }
                    handles.add(ok.handle());
                }
                submitted = loggedSince(cluster, mark0);
                startPods(cluster, jobs);
                int mark1 = cluster.requests().size();
                long t0 = System.nanoTime();
                List<CompletableFuture<Outcome>> futures = new ArrayList<>();
                for (JobHandle h : handles) {
                    futures.add(h.awaitAsync());
                }
                ScheduledFuture<?> end = endJobsAfter(clock, cluster, hold);
                CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                        .get(hold.toSeconds() + 120, TimeUnit.SECONDS);
                seconds = (System.nanoTime() - t0) / 1e9;
                end.get();
                for (CompletableFuture<Outcome> f : futures) {
                    if (f.join() instanceof Outcome.Succeeded) {
                        finished++;
                    } else {
                        System.out.println("not succeeded: " + f.join().explanation());
                    }
                }
                skiff.close();
                followed = settledSince(cluster, mark1);
            } finally {
                skiff.close();
            }
            return result(jobs, finished, submitted, followed, seconds);
        } finally {
            clock.shutdownNow();
        }
    }

    /**
     * The contrast: the same jobs created with raw fabric8, then a GET of every unfinished job every
     * {@code interval} of wall time until all are Complete, as the Kubeflow SDK's wait loop does.
     */
    static FollowResult followByPolling(int jobs, Duration hold, Duration interval) throws Exception {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try (InMemoryCluster cluster = followCluster(jobs)) {
            KubernetesClient client = cluster.kubernetesClient();
            int mark0 = cluster.requests().size();
            List<Job> raw = rawJobs("follow", jobs, false);
            for (Job j : raw) {
                rawCreate(client, j);
            }
            List<RecordedRequest> submitted = loggedSince(cluster, mark0);
            startPods(cluster, jobs);
            int mark1 = cluster.requests().size();
            long t0 = System.nanoTime();
            ScheduledFuture<?> end = endJobsAfter(clock, cluster, hold);
            Set<String> pending = new LinkedHashSet<>();
            raw.forEach(j -> pending.add(j.getMetadata().getName()));
            long deadline = t0 + hold.toNanos() + TimeUnit.SECONDS.toNanos(120);
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                long roundStart = System.nanoTime();
                for (String name : List.copyOf(pending)) {
                    Job j = client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(name)
                            .get();
                    if (j != null && hasCondition(j, "Complete")) {
                        pending.remove(name);
                    }
                }
                long sleep = roundStart + interval.toNanos() - System.nanoTime();
                if (!pending.isEmpty() && sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            end.get();
            List<RecordedRequest> followed = settledSince(cluster, mark1);
            return result(jobs, jobs - pending.size(), submitted, followed, seconds);
        } finally {
            clock.shutdownNow();
        }
    }

    static boolean hasCondition(Job j, String type) {
        return j.getStatus() != null
                && j.getStatus().getConditions() != null
                && j.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * The requests since {@code mark} once the log has stopped growing: the cluster logs a request
     * after it has answered, so the client can see the answer before the log has the request.
     */
    private static List<RecordedRequest> loggedSince(InMemoryCluster cluster, int mark) throws InterruptedException {
        int last = -1;
        for (int i = 0; i < 100 && cluster.requests().size() != last; i++) {
            last = cluster.requests().size();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return since(cluster, mark);
    }

    private static List<RecordedRequest> since(InMemoryCluster cluster, int mark) {
        List<RecordedRequest> all = cluster.requests();
        return all.subList(mark, all.size());
    }

    /**
     * The requests since {@code mark}, once every watch has ended: the cluster logs a watch when it
     * ends, so its open watches are closed first and the log is read once it stops growing.
     */
    private static List<RecordedRequest> settledSince(InMemoryCluster cluster, int mark) throws InterruptedException {
        cluster.closeWatches();
        int last = -1;
        for (int i = 0; i < 50; i++) {
            int size = cluster.requests().size();
            if (size == last) {
                break;
            }
            last = size;
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return since(cluster, mark);
    }

    private static FollowResult result(
            int jobs, int finished, List<RecordedRequest> submitted, List<RecordedRequest> followed, double seconds) {
        Map<String, Integer> byVerb = new TreeMap<>();
        int creates = 0;
        int others = 0;
        int watches = 0;
        List<RecordedRequest> all = new ArrayList<>(submitted);
        all.addAll(followed);
        for (RecordedRequest r : all) {
            if (r.verb().equals("create")) {
                creates++;
                continue;
            }
            others++;
            byVerb.merge(r.verb(), 1, Integer::sum);
            if (r.verb().equals("watch")) {
                watches++;
            }
        }
        return new FollowResult(jobs, finished, creates, others, watches, byVerb, seconds);
    }

    private static void followPart(int jobs, Duration hold, Duration interval, Table table) throws Exception {
        FollowResult skiff = followWithSkiff(jobs, hold);
        print("Skiff awaitAsync", skiff);
        FollowResult poll = followByPolling(jobs, hold, interval);
        print("polling every " + interval.toMillis() + " ms", poll);
        String n = String.format(Locale.ROOT, "%,d", jobs);
        table.row(
                "follow " + n + ", Skiff: watch connections",
                Integer.toString(skiff.watches()),
                "-",
                skiff.finished() + " Succeeded in " + fmt(skiff.seconds()) + " s",
                verdict(skiff.watches() <= WATCH_GOAL, "<= " + WATCH_GOAL));
        table.row(
                "follow " + n + ", Skiff: requests/job",
                fmt3(skiff.othersPerJob()),
                "-",
                "beyond the create: " + skiff.byVerb(),
                verdict(skiff.othersPerJob() <= EXTRA_REQUESTS_GOAL, "<= " + EXTRA_REQUESTS_GOAL));
        table.row(
                "follow " + n + ", polling: watch connections",
                Integer.toString(poll.watches()),
                "-",
                poll.finished() + " Complete in " + fmt(poll.seconds()) + " s",
                "contrast");
        table.row(
                "follow " + n + ", polling: requests/job",
                fmt3(poll.othersPerJob()),
                "-",
                "beyond the create: " + poll.byVerb(),
                "contrast");
    }

    private static void print(String what, FollowResult r) {
        System.out.printf(
                Locale.ROOT,
                "follow %,d jobs, %s: %,d finished in %.1f s; %,d creates, %,d other requests (%s), %d watches%n",
                r.jobs(),
                what,
                r.finished(),
                r.seconds(),
                r.creates(),
                r.others(),
                r.byVerb(),
                r.watches());
    }

    // ---------------------------------------------------------------- 4. heap

    /**
     * Heap used after full collections, before and after following {@code jobs} suspended jobs, and
     * after letting go of them again; bytes.
     *
     * @param jobs jobs followed
     * @param before with the jobs created and their handles held, nothing followed
     * @param following with an {@code awaitAsync} future held for each job, once the heap has settled
     *     (the informer listed, every follower looked at its cache)
     * @param released after cancelling the futures and the informer's idle stop, once settled
     * @param pending futures still pending when {@code following} was measured
     * @param gets GET requests made while following (a follower whose Job is not in the informer's
     *     cache reads it)
     * @param threadsBefore live threads before following
     * @param peakThreads the most live threads at once while following
     */
    record HeapResult(
            int jobs,
            long before,
            long following,
            long released,
            int pending,
            int gets,
            int threadsBefore,
            int peakThreads) {
        /** Heap that goes away when the followers do: the followers' own. */
        double followersMib() {
            return (following - released) / MIB;
        }

        /** Heap still there after the followers are gone (see docs/benchmarks.md: the cluster's). */
        double residueMib() {
            return (released - before) / MIB;
        }

        double grossMib() {
            return (following - before) / MIB;
        }
    }

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * Part 4 on a fresh cluster: submits {@code jobs} suspended jobs, then measures the heap before
     * following them, while following them and after cancelling the futures (the informer stops
     * 500 ms after its last follower). Each reading waits until the heap after GC changes by less
     * than 1 MiB from one second to the next, at most {@code settle}.
     */
    static HeapResult heap(int jobs, Duration settle) throws Exception {
        SkiffConfig config = unlimitedConfig().toBuilder()
                .followIdleTimeout(Duration.ofMillis(500))
                .build();
        var threads = ManagementFactory.getThreadMXBean();
        try (InMemoryCluster cluster = InMemoryCluster.start();
                Skiff skiff = Skiff.using(cluster.kubernetesClient(), config)) {
            List<JobHandle> handles = new ArrayList<>(jobs);
            List<BatchJob> all = jobs("heap", jobs, true);
            for (int from = 0; from < jobs; from += 1000) {
                for (Submission s : skiff.submitAll(all.subList(from, Math.min(jobs, from + 1000)))) {
                    if (!(s instanceof Submission.Submitted ok)) {
                        throw new IllegalStateException("refused: " + s);
                    }
                    handles.add(ok.handle());
                }
            }
            all = null;
            long before = settledHeap(settle);
            int threadsBefore = threads.getThreadCount();
            threads.resetPeakThreadCount();
            int mark = cluster.requests().size();
            List<CompletableFuture<Outcome>> futures = new ArrayList<>(jobs);
            for (JobHandle h : handles) {
                futures.add(h.awaitAsync());
            }
            waitForList(cluster, mark);
            long following = settledHeap(settle);
            int peakThreads = threads.getPeakThreadCount();
            int pending = (int) futures.stream().filter(f -> !f.isDone()).count();
            int gets = (int) since(cluster, mark).stream()
                    .filter(r -> r.verb().equals("get"))
                    .count();
            futures.forEach(f -> f.cancel(false));
            futures = null;
            TimeUnit.MILLISECONDS.sleep(1000); // past the informer's idle stop
            long released = settledHeap(settle);
            return new HeapResult(jobs, before, following, released, pending, gets, threadsBefore, peakThreads);
        }
    }

    private static void waitForList(InMemoryCluster cluster, int mark) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (since(cluster, mark).stream().noneMatch(r -> r.verb().equals("list"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the informer did not list within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Heap used after GC, read once a second until two readings differ by less than 1 MiB, at most {@code limit}. */
    static long settledHeap(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = usedAfterGc();
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(Math.min(1000, Math.max(100, limit.toMillis() / 10)));
            long now = usedAfterGc();
            if (Math.abs(now - last) < (1L << 20)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Heap used after three full collections. */
    static long usedAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void heapPart(int jobs, Table table) throws Exception {
        HeapResult h = heap(jobs, Duration.ofSeconds(60));
        System.out.printf(
                Locale.ROOT,
                "heap, %,d jobs: before %.1f MiB, following %.1f MiB, released %.1f MiB; %,d pending, %d GETs;"
                        + " threads %d before, peak %d while following%n",
                jobs,
                h.before() / MIB,
                h.following() / MIB,
                h.released() / MIB,
                h.pending(),
                h.gets(),
                h.threadsBefore(),
                h.peakThreads());
        table.row(
                String.format(Locale.ROOT, "heap of following %,d jobs (MiB)", jobs),
                fmt(h.followersMib()),
                "-",
                String.format(
                        Locale.ROOT,
                        "%.0f B/job; following-before %.1f, of which %.1f stays",
                        h.followersMib() * MIB / jobs,
                        h.grossMib(),
                        h.residueMib()),
                verdict(h.followersMib() <= HEAP_GOAL_MIB, "<= " + fmt(HEAP_GOAL_MIB) + " MiB"));
        table.row(
                String.format(Locale.ROOT, "threads following %,d jobs", jobs),
                Integer.toString(h.peakThreads()),
                "-",
                h.threadsBefore() + " before; peak while following",
                "");
    }

    // ---------------------------------------------------------------- main and helpers

    public static void main(String[] argv) throws Exception {
        // exec:exec hands -Dbenchmark.args over as one (possibly empty) argument
        String joined = String.join(" ", argv).trim();
        String[] args = joined.isEmpty() ? new String[0] : joined.split("\\s+");
        int rounds = 6;
        int ops = 500;
        int warmUps = 200;
        int block = 25;
        int allRounds = 3;
        int allJobs = 1000;
        int followJobs = 1000;
        int hold = 10;
        int pollMs = 2000;
        int heapJobs = 10_000;
        String only = "all";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--ops" -> ops = Integer.parseInt(args[++i]);
                case "--warmup" -> warmUps = Integer.parseInt(args[++i]);
                case "--block" -> block = Integer.parseInt(args[++i]);
                case "--all-rounds" -> allRounds = Integer.parseInt(args[++i]);
                case "--all-jobs" -> allJobs = Integer.parseInt(args[++i]);
                case "--follow-jobs" -> followJobs = Integer.parseInt(args[++i]);
                case "--hold" -> hold = Integer.parseInt(args[++i]);
                case "--poll-ms" -> pollMs = Integer.parseInt(args[++i]);
                case "--heap-jobs" -> heapJobs = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        SkiffConfig d = defaultConfig();
        System.out.printf(
                Locale.ROOT,
                "Java %s, %d processors, max heap %d MiB; Skiff defaults: submitConcurrency %d, rate limit %d req/s,"
                        + " retry %s%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                d.submitConcurrency(),
                d.rateLimit().requestsPerSecond(),
                d.retry());
        // the reactor run measures the sources next to it; an installed jar would show here
        System.out.println(
                "skiff-core from " + location(Skiff.class) + ", skiff-testing from " + location(InMemoryCluster.class));
        Table table = new Table();
        if (only.equals("all") || only.equals("submit")) {
            submitPart(rounds, ops, warmUps, block, table);
        }
        if (only.equals("all") || only.equals("submitall")) {
            submitAllPart(allRounds, allJobs, table);
        }
        if (only.equals("all") || only.equals("follow")) {
            followPart(followJobs, Duration.ofSeconds(hold), Duration.ofMillis(pollMs), table);
        }
        if (only.equals("all") || only.equals("heap")) {
            heapPart(heapJobs, table);
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
            System.out.printf("%-40s %9s %14s  %-58s %s%n", "measure", "median", "spread", "detail", "goal");
            for (String[] r : rows) {
                System.out.printf("%-40s %9s %14s  %-58s %s%n", (Object[]) r);
            }
        }
    }

    private static String location(Class<?> c) {
        var source = c.getProtectionDomain().getCodeSource();
        return source == null ? "?" : String.valueOf(source.getLocation());
    }
}
