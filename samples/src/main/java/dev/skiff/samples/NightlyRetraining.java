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
 * Nightly retraining: a {@link ScheduledJob} at 02:30 Berlin time, when the cluster is idle.
 *
 * <p>By default it runs on an embedded in-memory cluster, advances its virtual clock three days,
 * in milliseconds, and prints each night's run with its outcome (the second night's run fails).
 * With {@code --kubeconfig <file>} (or {@code KUBECONFIG}) it runs on that cluster, in namespace
 * {@code ml} or the one {@code --namespace} names, which must exist. A real cluster's clock cannot
 * be moved, so there it submits the schedule, prints the next runs, starts one run now with
 * {@link ScheduleHandle#triggerNow()} and waits for its outcome, then deletes the schedule with
 * its runs.
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
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     */
    public static void main(String[] args) {
        SampleCluster.main(args, NightlyRetraining::run);
    }

    /** Retrains incrementally at 02:30 every night in Berlin; a night's run never overlaps the previous. */
    static ScheduledJob retraining(String namespace) {
        return ScheduledJob.builder()
                .job(BatchJob.builder()
                        .name("retrain")
                        .namespace(namespace)
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

    /**
     * Runs the sample on the cluster {@code args} name (the embedded one without {@code
     * --kubeconfig}).
     *
     * @param args {@code [--kubeconfig <file>] [--namespace <namespace>]}
     * @param out where to print
     * @return the exit status: 0 once the runs have ended (three nights on the embedded cluster)
     */
    public static int run(String[] args, PrintStream out) {
        try (SampleCluster cluster = SampleCluster.open(args, NAMESPACE, NightlyRetraining::embeddedCluster)) {
            ScheduleHandle nightly = cluster.skiff().submit(retraining(cluster.namespace()));
            out.println("# " + nightly.name() + " runs at 02:30 in Europe/Berlin; it is now "
                    + TIME.format(cluster.now().atZone(BERLIN)) + ". Next runs:");
            for (ZonedDateTime next : nightly.nextRuns(cluster.now(), 3)) {
                out.println("#   " + TIME.format(next));
            }

            if (cluster.embedded()) {
                cluster.advanceClock(Duration.ofDays(3));
                out.println("# Three days later (" + TIME.format(cluster.now().atZone(BERLIN)) + "), newest first:");
                List<JobHandle> runs = nightly.runs();
                for (JobHandle run : runs) {
                    print(cluster, run, out);
                }
                out.println("# the last successful run finished "
                        + nightly.status()
                                .lastSuccessfulTime()
                                .map(t -> TIME.format(t.atZone(BERLIN)))
                                .orElse("none"));
                return runs.size() == 3 ? 0 : 1;
            }

            out.println("# On " + cluster + " the clock cannot be moved to 02:30: one run now instead, as"
                    + " kubectl create job --from=cronjob/" + nightly.name() + " does:");
            try {
                print(cluster, nightly.triggerNow(), out);
            } finally {
                nightly.delete(true);
                out.println("# deleted the schedule " + nightly.name() + " and its runs");
            }
            return 0;
        }
    }

    /** Waits for the run's outcome and prints it, with the first failed pod's exit and last log line. */
    private static void print(SampleCluster cluster, JobHandle run, PrintStream out) {
        Outcome outcome = run.await(Duration.ofHours(2));
        out.println("#   " + run.name() + " scheduled " + scheduled(cluster, run) + ": "
                + outcome.getClass().getSimpleName() + " - "
                + outcome.explanation().lines().findFirst().orElse(""));
        if (outcome instanceof Outcome.Failed failed && !failed.podFailures().isEmpty()) {
            PodFailure f = failed.podFailures().get(0);
            out.println("#     exit " + f.exitCode() + ", last log line: "
                    + (f.logTail().isEmpty() ? "" : f.logTail().get(f.logTail().size() - 1)));
        }
    }

    /** The run's nominal time, which the CronJob controller writes on each Job it creates. */
    private static String scheduled(SampleCluster cluster, JobHandle run) {
        Job job = cluster.kube()
                .batch()
                .v1()
                .jobs()
                .inNamespace(run.namespace())
                .withName(run.name())
                .get();
        String at = job.getMetadata().getAnnotations().get("batch.kubernetes.io/cronjob-scheduled-timestamp");
        return at == null ? "by hand" : TIME.format(ZonedDateTime.parse(at).withZoneSameInstant(BERLIN));
    }

    /**
     * Returns the nodes of the embedded cluster, for giving another cluster the same ones.
     *
     * @return one CPU node
     */
    public static List<FakeNode> nodes() {
        return List.of(FakeNode.named("cpu-1").withCpu("32").withMemory("128Gi"));
    }

    /** The embedded cluster, its clock at {@link #START}, and what the runs' containers do there. */
    private static InMemoryCluster embeddedCluster() {
        InMemoryCluster.Builder builder =
                InMemoryCluster.builder().startTime(START).seed(3);
        nodes().forEach(builder::node);
        InMemoryCluster cluster = builder.start();
        // train for 40 minutes; the second night fails
        cluster.onPods(
                "app.kubernetes.io/instance=retrain",
                PodScript.succeedAfter(Duration.ofMinutes(40)).withLogs("epoch 3/3 loss=0.298", "model saved"));
        ZonedDateTime secondNight = retraining(NAMESPACE).nextRuns(START, 2).get(1);
        cluster.onPods(
                "batch.kubernetes.io/job-name=retrain-" + secondNight.toEpochSecond() / 60,
                PodScript.failAfter(Duration.ofMinutes(12), 1)
                        .withLogs("loading features for " + secondNight.toLocalDate(), "KeyError: 'clicks_7d'"));
        return cluster;
    }
}
