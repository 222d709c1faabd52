package dev.skiff.samples;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.PodFailure;
import dev.skiff.core.Resources;
import dev.skiff.core.ScheduleHandle;
import dev.skiff.core.ScheduledJob;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Nightly retraining: a {@link ScheduledJob} at 02:30 Berlin time, when the cluster is idle. On an
 * embedded in-memory cluster it advances the virtual clock three days, in milliseconds, and
 * prints each night's run with its outcome (the second night's run fails).
 */
public final class NightlyRetraining {
    static final String NAMESPACE = "ml";
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** When the embedded cluster's clock starts: Monday 1 June 2026, 14:00 in Berlin. */
    static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm z", Locale.ENGLISH);

    private NightlyRetraining() {}

    /**
     * Runs the sample.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** Retrains incrementally at 02:30 every night in Berlin; a night's run never overlaps the previous. */
    static ScheduledJob retraining() {
        return ScheduledJob.builder()
                .job(BatchJob.builder()
                        .name("retrain")
                        .namespace(NAMESPACE)
                        .container(Container.of("ghcr.io/acme/trainer:1.4")
                                .withArgs("--incremental")
                                .withResources(Resources.cpu("8").memory("32Gi")))
                        .backoffLimit(0)
                        .build())
                .schedule("30 2 * * *")
                .timeZone("Europe/Berlin")
                .concurrencyPolicy(ScheduledJob.ConcurrencyPolicy.FORBID)
                .startingDeadline(Duration.ofHours(1))
                .build();
    }

    static int run(PrintStream out) {
        try (InMemoryCluster cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1").withCpu("32").withMemory("128Gi"))
                .startTime(START)
                .seed(3)
                .start()) {
            cluster.kubernetesClient()
                    .namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();
            // what the runs do on the embedded cluster: train for 40 minutes; the second night fails
            cluster.onPods(
                    "app.kubernetes.io/instance=retrain",
                    PodScript.succeedAfter(Duration.ofMinutes(40)).withLogs("epoch 3/3 loss=0.298", "model saved"));
            ZonedDateTime secondNight = retraining().nextRuns(START, 2).get(1);
            cluster.onPods(
                    "batch.kubernetes.io/job-name=retrain-" + secondNight.toEpochSecond() / 60,
                    PodScript.failAfter(Duration.ofMinutes(12), 1)
                            .withLogs("loading features for " + secondNight.toLocalDate(), "KeyError: 'clicks_7d'"));

            ScheduleHandle nightly = cluster.skiff().submit(retraining());
            out.println("# " + nightly.name() + " runs at 02:30 in Europe/Berlin; it is now "
                    + TIME.format(cluster.now().atZone(BERLIN)) + ". Next runs:");
            for (ZonedDateTime next : nightly.nextRuns(cluster.now(), 3)) {
                out.println("#   " + TIME.format(next));
            }

            cluster.advanceClock(Duration.ofDays(3));
            out.println("# Three days later (" + TIME.format(cluster.now().atZone(BERLIN)) + "), newest first:");
            List<JobHandle> runs = nightly.runs();
            for (JobHandle run : runs) {
                Outcome outcome = run.await(Duration.ofMinutes(1));
                out.println("#   " + run.name() + " scheduled " + scheduled(cluster, run) + ": "
                        + outcome.getClass().getSimpleName() + " - "
                        + outcome.explanation().lines().findFirst().orElse(""));
                if (outcome instanceof Outcome.Failed failed
                        && !failed.podFailures().isEmpty()) {
                    PodFailure f = failed.podFailures().get(0);
                    out.println("#     exit " + f.exitCode() + ", last log line: "
                            + (f.logTail().isEmpty()
                                    ? ""
                                    : f.logTail().get(f.logTail().size() - 1)));
                }
            }
            out.println("# the last successful run finished "
                    + nightly.status()
                            .lastSuccessfulTime()
                            .map(t -> TIME.format(t.atZone(BERLIN)))
                            .orElse("none"));
            return runs.size() == 3 ? 0 : 1;
        }
    }

    /** The run's nominal time, which the CronJob controller writes on each Job it creates. */
    private static String scheduled(InMemoryCluster cluster, JobHandle run) {
        Job job = cluster.kubernetesClient()
                .batch()
                .v1()
                .jobs()
                .inNamespace(run.namespace())
                .withName(run.name())
                .get();
        String at = job.getMetadata().getAnnotations().get("batch.kubernetes.io/cronjob-scheduled-timestamp");
        return at == null ? "by hand" : TIME.format(ZonedDateTime.parse(at).withZoneSameInstant(BERLIN));
    }
}
