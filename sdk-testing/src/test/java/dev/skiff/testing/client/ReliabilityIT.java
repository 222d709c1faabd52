package dev.skiff.testing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.BatchJob;
import dev.skiff.core.CircuitBreakerPolicy;
import dev.skiff.core.ClusterUnavailableException;
import dev.skiff.core.Container;
import dev.skiff.core.EnvVar;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.RetryPolicy;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffConfig;
import dev.skiff.core.SkiffException;
import dev.skiff.core.Submission;
import dev.skiff.core.SubmissionException;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.FaultRule;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skiff's client against an API server that fails: retried and idempotent submissions under a
 * third of requests failing, watches that drop and expire, an outage that opens the circuit, and
 * no secret in logs or {@code toString()}.
 */
class ReliabilityIT {
    private static final String NS = "default";
    private static final Duration AWAIT = Duration.ofSeconds(30);

    /** Many quick attempts: a call fails only if every one of 15 attempts does (0.3^15 at 30%). */
    private static final RetryPolicy PATIENT =
            new RetryPolicy(15, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(2));

    private InMemoryCluster cluster;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1"))
                .node(FakeNode.named("cpu-2"))
                .seed(17)
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        cluster.close();
    }

    /**
     * A Skiff on a client of its own whose watches reconnect after 100 ms instead of fabric8's
     * default second, so that the many reconnects of these tests stay quick.
     */
    private Skiff skiff(SkiffConfig config) {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(cluster.config())
                        .withWatchReconnectInterval(100)
                        .build())
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        toClose.add(client);
        Skiff skiff = Skiff.using(client, config);
        toClose.add(skiff);
        return skiff;
    }

    /** A job labelled with the outcome it is scripted for: {@code expect=ok} or {@code expect=fail}. */
    static BatchJob job(String name, boolean fails) {
        return BatchJob.builder()
                .name(name)
                .namespace(NS)
                .putLabel("expect", fails ? "fail" : "ok")
                .backoffLimit(0)
                .container(Container.of("busybox:1.36"))
                .build();
    }

    private static boolean fails(BatchJob job) {
        return "fail".equals(job.labels().get("expect"));
    }

    private static void assertRightOutcome(BatchJob job, Outcome outcome) {
        if (fails(job)) {
            assertThat(outcome).as("outcome of %s", job.name()).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
                assertThat(f.job()).isEqualTo(NS + "/" + job.name());
                assertThat(f.reason()).isEqualTo("BackoffLimitExceeded");
                assertThat(f.exitCodes())
                        .as("exit codes of %s", job.name())
                        .singleElement()
                        .isNotEqualTo(0);
            });
        } else {
            assertThat(outcome)
                    .as("outcome of %s", job.name())
                    .isEqualTo(new Outcome.Succeeded(NS + "/" + job.name(), 1));
        }
    }

    private List<Job> managedJobs() {
        return cluster.kubernetesClient()
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel("app.kubernetes.io/managed-by", "skiff")
                .list()
                .getItems();
    }

    // ------------------------------------------------------------------ 1. a third of requests fail

    @Test
    void aThousandSubmissionsThroughAThirdOfRequestsFailingCreateEveryJobExactlyOnce() throws Exception {
        cluster.onPods("expect=fail", PodScript.failAfter(Duration.ofSeconds(1), 3));
        Skiff skiff = skiff(SkiffConfig.builder().retry(PATIENT).build());
        List<BatchJob> jobs = IntStream.range(0, 1000)
                .mapToObj(i -> job(String.format("bulk-%04d", i), i % 10 == 3))
                .toList();
        List<BatchJob> viaSubmitAll = jobs.subList(0, 700);
        List<BatchJob> viaSubmit = jobs.subList(700, 1000);

        FlakyApi.inject(cluster, "*", "jobs");
        FlakyApi.inject(cluster, "*", "pods");

        // submitAll on this thread while four threads submit one by one
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<JobHandle>>> plain = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                plain.add(threads.submit(() -> {
                    List<JobHandle> handles = new ArrayList<>();
                    for (int i = first; i < viaSubmit.size(); i += 4) {
                        handles.add(skiff.submit(viaSubmit.get(i)));
                    }
                    return handles;
                }));
            }
            List<Submission> results = skiff.submitAll(viaSubmitAll);
            Map<String, JobHandle> handles = new LinkedHashMap<>();
            for (Future<List<JobHandle>> f : plain) {
                for (JobHandle h : f.get(60, TimeUnit.SECONDS)) {
                    handles.put(h.name(), h);
                }
            }
            for (Submission s : results) {
                assertThat(s)
                        .as("submission of %s", s.job().name())
                        .isInstanceOfSatisfying(
                                Submission.Submitted.class,
                                ok -> assertThat(ok.handle().name())
                                        .isEqualTo(s.job().name()));
                handles.put(s.job().name(), ((Submission.Submitted) s).handle());
            }
            assertThat(handles).hasSize(1000);
            // submitting again finds the jobs already there, faults or not
            assertThat(skiff.submitAll(jobs.subList(0, 100))).allMatch(Submission::isSubmitted);

            // the pods run, a tenth of them fail, while the faults go on
            Map<String, CompletableFuture<Outcome>> async = new LinkedHashMap<>();
            for (BatchJob job : viaSubmitAll) {
                async.put(job.name(), handles.get(job.name()).awaitAsync());
            }
            cluster.advanceUntilIdle(Duration.ofMinutes(5));
            List<Future<?>> awaits = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                awaits.add(threads.submit(() -> {
                    for (int i = first; i < viaSubmit.size(); i += 4) {
                        BatchJob job = viaSubmit.get(i);
                        assertRightOutcome(job, handles.get(job.name()).await(AWAIT));
                    }
                    return null;
                }));
            }
            for (Future<?> f : awaits) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (BatchJob job : viaSubmitAll) {
                assertRightOutcome(job, async.get(job.name()).get(AWAIT.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }

        // what the client went through: about 30% of its Job requests failed, in every way
        Map<Integer, Long> creates = FlakyApi.statuses(cluster, FlakyApi.requests("create", "/jobs"));
        assertThat(creates).containsKeys(201, 409, 429, 500, 503, 0);
        Map<Integer, Long> jobRequests =
                FlakyApi.statuses(cluster, r -> r.path().contains("/jobs"));
        long failed = jobRequests.entrySet().stream()
                .filter(e -> e.getKey() == 0 || e.getKey() >= 429)
                .mapToLong(Map.Entry::getValue)
                .sum();
        long total = jobRequests.values().stream().mapToLong(Long::longValue).sum();
        assertThat((double) failed / total)
                .as("share of failed Job requests: %s", jobRequests)
                .isBetween(0.2, 0.4);

        cluster.clearFaults();
        List<Job> stored = managedJobs();
        assertThat(stored).hasSize(1000);
        assertThat(stored.stream().map(j -> j.getMetadata().getName()).collect(Collectors.toSet()))
                .isEqualTo(jobs.stream().map(BatchJob::name).collect(Collectors.toSet()));
        assertThat(stored.stream().map(j -> j.getMetadata().getUid()).distinct())
                .hasSize(1000);
    }

    // ------------------------------------------------------------------ 2. watches that drop and expire

    @Test
    void everyTerminalStateReachesItsHandleThroughClosedWatchesAndA410() throws Exception {
        Skiff skiff = skiff(SkiffConfig.builder().retry(PATIENT).build());
        // 120 jobs ending over two virtual minutes, one second apart; every fifth fails
        List<BatchJob> jobs = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            BatchJob job = job(String.format("w-%03d", i), i % 5 == 2);
            Duration runs = Duration.ofSeconds(1 + i);
            cluster.onPods(
                    "batch.kubernetes.io/job-name=" + job.name(),
                    fails(job) ? PodScript.failAfter(runs, 2) : PodScript.succeedAfter(runs));
            jobs.add(job);
        }
        // deleted six seconds before they would end, in a second that starts with the watch closed
        List<String> deletedWhileDown = List.of("w-012", "w-030", "w-054", "w-078", "w-099");
        // deleted just after the history expired and the watch was closed: seen only by relisting
        List<String> deletedBeforeRelist = List.of("w-062", "w-063", "w-064", "w-068", "w-069");
        assertThat(skiff.submitAll(jobs)).allMatch(Submission::isSubmitted);
        Map<String, CompletableFuture<Outcome>> outcomes = new LinkedHashMap<>();
        for (BatchJob job : jobs) {
            outcomes.put(job.name(), skiff.job(NS, job.name()).awaitAsync());
        }
        waitForTheWatch();

        int closed = 0;
        long listsBefore410 = 0;
        for (int second = 0; second < 125; second++) {
            if (second == 60) {
                listsBefore410 = jobLists();
                cluster.expireWatchHistory();
                closed += cluster.closeWatches();
            }
            for (String name : jobs.stream().map(BatchJob::name).toList()) {
                int endsAt = Integer.parseInt(name.substring(2)) + 1;
                if ((deletedWhileDown.contains(name) && second == endsAt - 6)
                        || (deletedBeforeRelist.contains(name) && second == 60)) {
                    cluster.kubernetesClient()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NS)
                            .withName(name)
                            .delete();
                }
            }
            cluster.advanceClock(Duration.ofSeconds(1));
            if (second % 3 == 0) {
                // every third second, the watch is closed as soon as it is back: what happens
                // next happens while it reconnects, and reaches it as a resumed watch's history
                closed += closeTheWatchOnceOpen();
            }
        }
        assertThat(closed).isGreaterThanOrEqualTo(40);

        for (BatchJob job : jobs) {
            Outcome outcome = outcomes.get(job.name()).get(AWAIT.toSeconds(), TimeUnit.SECONDS);
            if (deletedWhileDown.contains(job.name()) || deletedBeforeRelist.contains(job.name())) {
                assertThat(outcome).as(job.name()).isEqualTo(new Outcome.Cancelled(NS + "/" + job.name()));
            } else {
                assertRightOutcome(job, outcome);
            }
        }
        // the expired history made the informer list again
        assertThat(jobLists()).isGreaterThan(listsBefore410);
    }

    /** How many lists of Jobs the API server answered. */
    private long jobLists() {
        return cluster.requests().stream()
                .filter(r -> r.verb().equals("list") && r.path().endsWith("/jobs") && r.status() == 200)
                .count();
    }

    /**
     * Closes the watches as soon as one is open (the request log shows a watch only once it has
     * ended, so closing is how to see it); returns how many were closed.
     */
    private int closeTheWatchOnceOpen() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int closed;
        while ((closed = cluster.closeWatches()) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no watch was opened within 10 s");
            }
            Thread.sleep(5);
        }
        return closed;
    }

    /** Waits until the Job informer has its watch open, closes it once and lets it reconnect. */
    private void waitForTheWatch() throws InterruptedException {
        closeTheWatchOnceOpen();
        Thread.sleep(300);
    }

    // ------------------------------------------------------------------ 3. the API server is down

    @Test
    void whileTheApiServerIsDownTheCircuitOpensAndCallsFailFastThenEverythingResumes() throws Exception {
        Duration openFor = Duration.ofSeconds(2);
        Skiff skiff = skiff(SkiffConfig.builder()
                .retry(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2)))
                .circuitBreaker(new CircuitBreakerPolicy(50, 10, 5, openFor))
                .build());
        cluster.onPods("expect=ok", PodScript.succeedAfter(Duration.ofMinutes(1)));
        cluster.onPods("expect=fail", PodScript.failAfter(Duration.ofMinutes(1), 4));
        List<CompletableFuture<Outcome>> before = new ArrayList<>();
        List<BatchJob> beforeJobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            BatchJob job = job("before-" + i, i % 3 == 0);
            beforeJobs.add(job);
            before.add(skiff.submit(job).awaitAsync());
        }
        waitForTheWatch();

        // the outage: every request answers 503 or is dropped, slowly; open watches break
        cluster.injectFault(FaultRule.on("*", "*")
                .respond(503)
                .delay(Duration.ofMillis(100))
                .probability(0.5));
        cluster.injectFault(FaultRule.on("*", "*").dropConnection().delay(Duration.ofMillis(100)));
        cluster.closeWatches();
        cluster.advanceClock(Duration.ofMinutes(2)); // the jobs end meanwhile

        List<Long> failingMillis = new ArrayList<>();
        ClusterUnavailableException refused = null;
        int attempt = 0;
        while (refused == null) {
            assertThat(attempt).as("calls before the circuit opened").isLessThan(10);
            long start = System.nanoTime();
            try {
                skiff.submit(job("during-" + attempt++, false));
                throw new AssertionError("a submission went through during the outage");
            } catch (SubmissionException e) {
                failingMillis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(e.statusCode()).isIn(0, 503);
            } catch (ClusterUnavailableException e) {
                refused = e;
            }
        }
        // the circuit opens once half of its window of 10 calls failed: with the six successful
        // submissions before the outage in the window, at the fifth failure
        assertThat(failingMillis).hasSizeBetween(5, 9);
        assertThat(failingMillis)
                .as("each failing call made its 4 slow attempts")
                .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(400));
        assertThat(refused)
                .hasMessageContaining("the API server at " + cluster.url())
                .hasMessageMatching("(?s).* is unavailable: \\d+ of the last \\d+ calls failed; .*")
                .hasMessageContaining("create Job default/during-" + failingMillis.size() + " was not sent");

        // while open, calls fail at once and send nothing
        long fastestFailure =
                failingMillis.stream().mapToLong(Long::longValue).min().orElseThrow();
        int requestsBefore = cluster.requests().size();
        List<Long> refusedMillis = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            long start = System.nanoTime();
            int n = i;
            assertThatThrownBy(() -> skiff.submit(job("fast-" + n, false)))
                    .isInstanceOf(ClusterUnavailableException.class)
                    .hasMessageContaining("is unavailable");
            assertThatThrownBy(() -> skiff.job(NS, "not-followed").status())
                    .isInstanceOf(ClusterUnavailableException.class);
            refusedMillis.add((System.nanoTime() - start) / 1_000_000);
        }
        // timed on a shared machine: the median, and none as slow as one failing call
        assertThat(refusedMillis.stream().sorted().toList().get(4))
                .as("median of two refused calls, in ms: %s", refusedMillis)
                .isLessThan(fastestFailure / 4);
        assertThat(refusedMillis).allSatisfy(ms -> assertThat(ms).isLessThan(fastestFailure));
        assertThat(cluster.requests().stream()
                        .skip(requestsBefore)
                        .filter(r -> r.path().contains("/jobs")
                                && !r.verb().equals("watch")
                                && !r.verb().equals("list")))
                .as("Job requests sent while the circuit was open (informers aside)")
                .isEmpty();
        assertThat(before).noneMatch(CompletableFuture::isDone);

        // the server answers again; after the open period the calls go through
        cluster.clearFaults();
        Thread.sleep(openFor.toMillis() + 100);
        // the trial calls of the half-open circuit, one at a time, close it again
        List<JobHandle> trials = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            trials.add(skiff.submit(job("after-" + i, false)));
        }
        List<BatchJob> after = new ArrayList<>();
        for (int i = 3; i < 10; i++) {
            after.add(job("after-" + i, i % 3 == 0));
        }
        after.add(job("during-0", false)); // failed during the outage, submitted now
        List<Submission> results = skiff.submitAll(after);
        assertThat(results).allMatch(Submission::isSubmitted);
        for (int i = 0; i < before.size(); i++) {
            assertRightOutcome(beforeJobs.get(i), before.get(i).get(AWAIT.toSeconds(), TimeUnit.SECONDS));
        }
        cluster.advanceClock(Duration.ofMinutes(2));
        for (JobHandle trial : trials) {
            assertRightOutcome(job(trial.name(), false), trial.await(AWAIT));
        }
        for (Submission s : results) {
            assertRightOutcome(s.job(), ((Submission.Submitted) s).handle().await(AWAIT));
        }
        assertThat(managedJobs()).hasSize(6 + 10 + 1);
    }

    // ------------------------------------------------------------------ 4. no secret leaks

    @Test
    void noSecretValueOrTokenAppearsInLogsOrToString(@TempDir Path dir) throws Exception {
        String secret = "hunter2-4f9c1e7a";
        String token = "eyJhbGciOiJSUzI1NiJ9.skiff-test-token-83b0d2";
        Path kubeconfig = Files.writeString(
                dir.resolve("kubeconfig"),
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + cluster.url()
                        + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: default\n"
                        + "current-context: c\nusers:\n- name: u\n  user:\n    token: " + token + "\n");
        cluster.onPods(
                "expect=fail", PodScript.failAfter(Duration.ofSeconds(1), 3).withLogs("starting", "boom"));
        cluster.kubernetesClient()
                .secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("hf")
                        .endMetadata()
                        .addToStringData("token", secret)
                        .build())
                .create();
        cluster.onPods("app.kubernetes.io/name=forever", PodScript.runForever());
        SkiffConfig config = SkiffConfig.builder()
                .kubeconfig(kubeconfig)
                .retry(new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(2)))
                .circuitBreaker(new CircuitBreakerPolicy(50, 4, 2, Duration.ofSeconds(30)))
                .build();
        BatchJob secretive = job("secretive", true).toBuilder()
                .containers(List.of(Container.of("busybox:1.36")
                        .withEnv(EnvVar.of("API_KEY", secret), EnvVar.fromSecret("HF_TOKEN", "hf", "token"))))
                .build();

        List<String> texts = new ArrayList<>();
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            Skiff skiff = Skiff.connect(config);
            toClose.add(skiff);
            texts.add(skiff.toString());
            texts.add(skiff.config().toString());

            // submitted through a 500, a dropped connection and a 429, then followed to its failure
            cluster.injectFault(FaultRule.on("create", "jobs").respond(500).times(1));
            cluster.injectFault(FaultRule.on("create", "jobs").dropConnection().times(1));
            cluster.injectFault(FaultRule.on("create", "jobs")
                    .respond(429)
                    .retryAfter(Duration.ofSeconds(1))
                    .times(1));
            JobHandle handle = skiff.submit(secretive);
            texts.add(handle.toString());
            cluster.advanceUntilIdle(Duration.ofMinutes(1));
            Outcome outcome = handle.await(AWAIT);
            assertThat(outcome).isInstanceOf(Outcome.Failed.class);
            texts.add(outcome.toString());
            texts.add(outcome.explanation());
            texts.add(handle.status().toString());
            texts.add(handle.diagnose().toString());

            // a different secret under the same name, an invalid job, a wait that times out
            BatchJob changed = secretive.toBuilder()
                    .containers(List.of(Container.of("busybox:1.36").withEnv("API_KEY", secret + "-rotated")))
                    .build();
            texts.add(describe(catchSkiffException(() -> skiff.submit(changed))));
            texts.add(describe(catchSkiffException(() -> secretive.toBuilder()
                    .name("invalid")
                    .containers(List.of(Container.of("busybox:1.36")
                            .withEnv(EnvVar.of("API_KEY", secret), EnvVar.of("API=KEY", secret))))
                    .build())));
            BatchJob forever = secretive.toBuilder().name("forever").build();
            JobHandle waiting = skiff.submit(forever);
            texts.add(describe(catchSkiffException(() -> waiting.await(Duration.ofMillis(200)))));

            // the server goes down: failed submissions, then the circuit opens
            cluster.injectFault(FaultRule.on("*", "*").respond(503));
            SkiffException e;
            int n = 0;
            do {
                BatchJob down = secretive.toBuilder().name("down-" + n++).build();
                e = catchSkiffException(() -> skiff.submit(down));
                texts.add(describe(e));
            } while (!(e instanceof ClusterUnavailableException) && n < 10);
            assertThat(e).isInstanceOf(ClusterUnavailableException.class);
            cluster.clearFaults();
            logs = captured.text();
        }

        texts.add(EnvVar.of("API_KEY", secret).toString());
        texts.add(secretive.containers().get(0).toString());
        texts.add(secretive.toString());
        texts.add(config.toString());
        // the checks below can fail: the secret is in the job, the token in the kubeconfig
        assertThat(secretive.containers().get(0).env().get(0).value()).contains(secret);
        assertThat(Files.readString(kubeconfig)).contains(token);
        assertThat(managedJobs())
                .filteredOn(j -> j.getMetadata().getName().equals("secretive"))
                .singleElement()
                .satisfies(j -> assertThat(j.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getEnv()
                                .get(0)
                                .getValue())
                        .isEqualTo(secret));
        // the logs were captured at DEBUG, retries and failures included
        assertThat(logs)
                .contains("created Job default/secretive")
                .contains("retrying in")
                .contains("circuit OPEN");
        assertThat(texts).hasSizeGreaterThan(15);
        for (String text : texts) {
            assertThat(text).doesNotContain(secret).doesNotContain(token);
        }
        assertThat(logs).doesNotContain(secret).doesNotContain(token);
    }

    private static SkiffException catchSkiffException(Runnable call) {
        try {
            call.run();
        } catch (SkiffException e) {
            return e;
        }
        throw new AssertionError("no SkiffException was thrown");
    }

    /** The exception's {@code toString()} and its stack trace with every cause, as printed. */
    private static String describe(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return t + "\n" + out;
    }
}
