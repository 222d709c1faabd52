package dev.skiff.testing.client;

import static dev.skiff.testing.client.JobHandleIT.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.AwaitTimeoutException;
import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.JobStatus;
import dev.skiff.core.NotFoundException;
import dev.skiff.core.Outcome;
import dev.skiff.core.ScheduleHandle;
import dev.skiff.core.ScheduleStatus;
import dev.skiff.core.ScheduledJob;
import dev.skiff.core.Skiff;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ScheduleHandle} end to end on the in-memory cluster's CronJob controller and virtual clock. */
class ScheduleHandleIT {
    private static final String NS = "default";
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Monday in June, noon UTC: no daylight-saving change for months. */
    private static final Instant JUNE = Instant.parse("2026-06-01T12:00:00Z");

    private InMemoryCluster cluster;
    private Skiff skiff;
    private KubernetesClient kube;

    private void start(Instant at) {
        cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1"))
                .startTime(at)
                .seed(7)
                .start();
        skiff = cluster.skiff();
        kube = cluster.kubernetesClient();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Retraining at 02:30 every night, Berlin time. */
    static ScheduledJob.Builder nightly(String name) {
        return ScheduledJob.builder()
                .job(BatchJob.builder()
                        .name(name)
                        .namespace(NS)
                        .container(Container.of("ghcr.io/acme/trainer:1.4"))
                        .backoffLimit(0)
                        .build())
                .schedule("30 2 * * *")
                .timeZone("Europe/Berlin");
    }

    /** The name the CronJob controller gives the run scheduled at {@code time}. */
    static String runName(String cronJob, ZonedDateTime time) {
        return cronJob + "-" + time.toEpochSecond() / 60;
    }

    static ZonedDateTime berlin(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(BERLIN);
    }

    private void script(String job, PodScript script) {
        cluster.onPods("batch.kubernetes.io/job-name=" + job, script);
    }

    private List<Job> jobs() {
        return kube.batch().v1().jobs().inNamespace(NS).list().getItems();
    }

    @Test
    void nextRunsFollowBerlinAcrossBothDaylightSavingChanges() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("dst").build());
        // spring forward, Sunday 29 March 2026: 02:00 becomes 03:00, so 02:30 does not happen that night
        assertThat(handle.nextRuns(Instant.parse("2026-03-27T12:00:00Z"), 3))
                .containsExactly(berlin("2026-03-28T02:30"), berlin("2026-03-30T02:30"), berlin("2026-03-31T02:30"))
                .extracting(t -> t.getOffset().getTotalSeconds() / 3600)
                .containsExactly(1, 2, 2);
        // fall back, Sunday 25 October 2026: 03:00 becomes 02:00, so 02:30 happens twice
        List<ZonedDateTime> autumn = handle.nextRuns(Instant.parse("2026-10-23T12:00:00Z"), 4);
        assertThat(autumn)
                .extracting(ZonedDateTime::toInstant)
                .containsExactly(
                        Instant.parse("2026-10-24T00:30:00Z"),
                        Instant.parse("2026-10-25T00:30:00Z"),
                        Instant.parse("2026-10-25T01:30:00Z"),
                        Instant.parse("2026-10-26T01:30:00Z"));
        assertThat(autumn).allSatisfy(t -> {
            assertThat(t.getZone()).isEqualTo(BERLIN);
            assertThat(t.toLocalTime()).isEqualTo(java.time.LocalTime.of(2, 30));
        });
        // from this machine's clock: the next three, a day apart in local time, in the future
        List<ZonedDateTime> next = handle.nextRuns(3);
        assertThat(next).hasSize(3).allSatisfy(t -> {
            assertThat(t.toInstant()).isAfter(Instant.now());
            assertThat(t.toLocalTime()).isEqualTo(java.time.LocalTime.of(2, 30));
        });
        assertThat(handle.nextRuns(0)).isEmpty();
        assertThatThrownBy(() -> handle.nextRuns(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n: -1: must be 0 or more");
        // the schedule's own computation agrees with the handle's
        assertThat(nightly("dst").build().nextRuns(Instant.parse("2026-10-23T12:00:00Z"), 4))
                .isEqualTo(autumn);
    }

    @Test
    void theClusterSkipsTheRunTheSpringForwardRemoves() {
        start(Instant.parse("2026-03-27T12:00:00Z"));
        ScheduleHandle handle = skiff.submit(nightly("spring").build());
        cluster.advanceClock(Duration.ofDays(4));
        assertThat(handle.runs())
                .extracting(JobHandle::name)
                .containsExactly(
                        runName("spring", berlin("2026-03-31T02:30")),
                        runName("spring", berlin("2026-03-30T02:30")),
                        runName("spring", berlin("2026-03-28T02:30")));
    }

    @Test
    void threeDaysOfANightlyScheduleEachRunWithItsOutcome() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("retrain").build());
        assertThat(handle.name()).isEqualTo("retrain");
        assertThat(handle.namespace()).isEqualTo(NS);
        assertThat(handle.toString()).isEqualTo("ScheduleHandle[default/retrain]");
        assertThat(handle.runs()).isEmpty();
        assertThat(handle.lastRun()).isEmpty();
        ScheduleStatus fresh = handle.status();
        assertThat(fresh.schedule()).isEqualTo("30 2 * * *");
        assertThat(fresh.timeZone()).hasValue("Europe/Berlin");
        assertThat(fresh.suspended()).isFalse();
        assertThat(fresh.lastScheduleTime()).isEmpty();
        assertThat(fresh.active()).isEmpty();

        ZonedDateTime first = berlin("2026-06-02T02:30");
        ZonedDateTime second = berlin("2026-06-03T02:30");
        ZonedDateTime third = berlin("2026-06-04T02:30");
        assertThat(handle.nextRuns(cluster.now(), 3)).containsExactly(first, second, third);
        // each run trains for 20 minutes; the second night's fails
        cluster.onPods("app.kubernetes.io/instance=retrain", PodScript.succeedAfter(Duration.ofMinutes(20)));
        script(runName("retrain", second), PodScript.failAfter(Duration.ofMinutes(5), 1));

        cluster.advanceClock(Duration.ofDays(3));

        List<JobHandle> runs = handle.runs();
        assertThat(runs)
                .extracting(JobHandle::name)
                .containsExactly(runName("retrain", third), runName("retrain", second), runName("retrain", first));
        assertThat(runs)
                .extracting(r -> r.status().phase())
                .containsExactly(JobStatus.Phase.SUCCEEDED, JobStatus.Phase.FAILED, JobStatus.Phase.SUCCEEDED);
        assertThat(runs.get(1).await(Duration.ofSeconds(10))).isInstanceOf(Outcome.Failed.class);
        assertThat(runs.get(0).await(Duration.ofSeconds(10))).isInstanceOf(Outcome.Succeeded.class);
        assertThat(handle.lastRun())
                .hasValueSatisfying(
                        r -> assertThat(r.name()).isEqualTo(runs.get(0).name()));

        ScheduleStatus status = handle.status();
        assertThat(status.lastScheduleTime()).hasValue(third.toInstant());
        assertThat(status.lastSuccessfulTime()).hasValue(third.toInstant().plus(Duration.ofMinutes(20)));
        assertThat(status.active()).isEmpty();
    }

    @Test
    void historyLimitsKeepOnlyTheNewestRuns() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("pruned")
                .successfulJobsHistoryLimit(1)
                .failedJobsHistoryLimit(1)
                .build());
        // the first two nights fail, the last three succeed
        script(runName("pruned", berlin("2026-06-02T02:30")), PodScript.failAfter(Duration.ofMinutes(1), 2));
        script(runName("pruned", berlin("2026-06-03T02:30")), PodScript.failAfter(Duration.ofMinutes(1), 2));
        cluster.advanceClock(Duration.ofDays(5));
        assertThat(handle.runs())
                .extracting(JobHandle::name)
                .containsExactly(
                        runName("pruned", berlin("2026-06-06T02:30")), runName("pruned", berlin("2026-06-03T02:30")));
        assertThat(handle.runs())
                .extracting(r -> r.status().phase())
                .containsExactly(JobStatus.Phase.SUCCEEDED, JobStatus.Phase.FAILED);
    }

    @Test
    void awaitNextRunReturnsTheRunTheClockBrings() throws Exception {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("waited").build());
        assertThatThrownBy(() -> handle.awaitNextRun(Duration.ofMillis(200)))
                .isInstanceOf(AwaitTimeoutException.class)
                .hasMessage("no new run of CronJob default/waited within PT0.2S");
        // another thread moves the clock a day at a time until the wait ends
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> clock = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                pause(500);
                cluster.advanceClock(Duration.ofDays(1));
            }
        });
        JobHandle run;
        try {
            run = handle.awaitNextRun(Duration.ofSeconds(30));
        } finally {
            done.set(true);
        }
        clock.get(30, TimeUnit.SECONDS);
        assertThat(run.name()).isEqualTo(runName("waited", berlin("2026-06-02T02:30")));
        assertThat(run.await(Duration.ofSeconds(10))).isInstanceOf(Outcome.Succeeded.class);

        // a run triggered by hand is a next run too
        CompletableFuture<JobHandle> next =
                CompletableFuture.supplyAsync(() -> handle.awaitNextRun(Duration.ofSeconds(30)));
        List<String> triggered = new CopyOnWriteArrayList<>();
        while (!next.isDone()) {
            pause(500);
            triggered.add(handle.triggerNow().name());
        }
        assertThat(triggered).contains(next.get(30, TimeUnit.SECONDS).name());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void triggerNowMakesARunAsKubectlCreateJobFromCronJobDoes() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("manual").build());
        JobHandle run = handle.triggerNow();
        assertThat(run.name()).startsWith("manual-manual-").hasSize("manual-manual-".length() + 5);
        Job job = kube.batch().v1().jobs().inNamespace(NS).withName(run.name()).get();
        CronJob cron =
                kube.batch().v1().cronjobs().inNamespace(NS).withName("manual").get();
        assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("CronJob");
            assertThat(o.getName()).isEqualTo("manual");
            assertThat(o.getUid()).isEqualTo(cron.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
        assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "manual");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/acme/trainer:1.4");
        assertThat(run.await(Duration.ofSeconds(10))).isInstanceOf(Outcome.Succeeded.class);
        assertThat(handle.runs()).extracting(JobHandle::name).containsExactly(run.name());
        assertThat(handle.lastRun())
                .hasValueSatisfying(r -> assertThat(r.name()).isEqualTo(run.name()));
    }

    @Test
    void forbidSkipsAScheduledRunWhileThePreviousGoesOnButTriggerNowStillRuns() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("forbid")
                .concurrencyPolicy(ScheduledJob.ConcurrencyPolicy.FORBID)
                .startingDeadline(Duration.ofHours(2))
                .build());
        // the first night's run takes 30 hours
        String first = runName("forbid", berlin("2026-06-02T02:30"));
        script(first, PodScript.succeedAfter(Duration.ofHours(30)));
        cluster.advanceClock(Duration.ofDays(1));
        assertThat(handle.runs()).extracting(JobHandle::name).containsExactly(first);
        waitUntil(() -> handle.status().active().equals(List.of(first)));
        assertThat(handle.runs().get(0).status().phase()).isEqualTo(JobStatus.Phase.RUNNING);

        // a run triggered by hand starts although the scheduled one is active: policy does not apply
        JobHandle manual = handle.triggerNow();
        assertThat(manual.await(Duration.ofSeconds(10))).isInstanceOf(Outcome.Succeeded.class);
        assertThat(handle.runs()).extracting(JobHandle::name).containsExactly(manual.name(), first);
        assertThat(skiff.job(NS, first).status().phase()).isEqualTo(JobStatus.Phase.RUNNING);

        // the second night's run is skipped: the first is still going, and it ends (at 08:30) after
        // the starting deadline (04:30) has passed
        cluster.advanceClock(Duration.ofDays(1));
        assertThat(handle.runs()).extracting(JobHandle::name).containsExactlyInAnyOrder(first, manual.name());
        assertThat(kube.v1().events().inNamespace(NS).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("JobAlreadyActive");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("forbid");
        });

        // once it ends, the third night runs
        cluster.advanceClock(Duration.ofDays(1));
        assertThat(skiff.job(NS, first).status().phase()).isEqualTo(JobStatus.Phase.SUCCEEDED);
        assertThat(handle.runs())
                .extracting(JobHandle::name)
                .contains(first, runName("forbid", berlin("2026-06-04T02:30")))
                .doesNotContain(runName("forbid", berlin("2026-06-03T02:30")));
    }

    @Test
    void withoutAStartingDeadlineAForbiddenRunStartsLateOnceThePreviousEnds() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("late")
                .concurrencyPolicy(ScheduledJob.ConcurrencyPolicy.FORBID)
                .build());
        String first = runName("late", berlin("2026-06-02T02:30"));
        String second = runName("late", berlin("2026-06-03T02:30"));
        script(first, PodScript.succeedAfter(Duration.ofHours(30)));
        // 03:00 on the second night: the second run is due but the first still goes
        cluster.advanceClock(Duration.ofHours(37));
        assertThat(handle.runs()).extracting(JobHandle::name).containsExactly(first);
        // the first ends at 08:30; the controller then starts the missed run, as Kubernetes does
        cluster.advanceClock(Duration.ofHours(6));
        assertThat(handle.runs()).extracting(JobHandle::name).containsExactly(second, first);
        assertThat(kube.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withName(second)
                        .get()
                        .getMetadata()
                        .getCreationTimestamp())
                .isEqualTo("2026-06-03T06:30:00Z");
    }

    @Test
    void replaceCancelsTheRunStillGoingForTheNewOne() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("replaced")
                .concurrencyPolicy(ScheduledJob.ConcurrencyPolicy.REPLACE)
                .build());
        cluster.onPods("app.kubernetes.io/instance=replaced", PodScript.runForever());
        cluster.advanceClock(Duration.ofDays(1));
        String first = runName("replaced", berlin("2026-06-02T02:30"));
        assertThat(handle.runs()).extracting(JobHandle::name).containsExactly(first);
        cluster.advanceClock(Duration.ofDays(1));
        String second = runName("replaced", berlin("2026-06-03T02:30"));
        waitUntil(() -> handle.runs().stream().map(JobHandle::name).toList().equals(List.of(second)));
        waitUntil(() -> handle.status().active().equals(List.of(second)));
    }

    @Test
    void allowLetsRunsOverlap() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("overlap").build());
        cluster.onPods("app.kubernetes.io/instance=overlap", PodScript.runForever());
        cluster.advanceClock(Duration.ofDays(2));
        assertThat(handle.runs()).hasSize(2);
        waitUntil(() -> handle.status().active().size() == 2);
    }

    @Test
    void suspendStopsRunsAndResumeRunsTheMostRecentMissedOne() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("paused").build());
        handle.suspend();
        assertThat(handle.status().suspended()).isTrue();
        cluster.advanceClock(Duration.ofDays(2));
        assertThat(handle.runs()).isEmpty();

        handle.resume();
        assertThat(handle.status().suspended()).isFalse();
        // without a starting deadline the controller runs the most recent missed time at once
        waitUntil(() -> handle.runs().size() == 1);
        assertThat(handle.lastRun().orElseThrow().name()).isEqualTo(runName("paused", berlin("2026-06-03T02:30")));
        cluster.advanceClock(Duration.ofDays(1));
        assertThat(handle.runs()).hasSize(2);
    }

    @Test
    void aStartingDeadlineSkipsMissedRunsAfterResume() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("deadline")
                .startingDeadline(Duration.ofHours(1))
                .suspend(true)
                .build());
        cluster.advanceClock(Duration.ofDays(2));
        handle.resume();
        cluster.advanceClock(Duration.ofHours(1));
        assertThat(handle.runs()).isEmpty();
        cluster.advanceClock(Duration.ofDays(1));
        assertThat(handle.runs())
                .extracting(JobHandle::name)
                .containsExactly(runName("deadline", berlin("2026-06-04T02:30")));
    }

    @Test
    void rescheduleChangesWhenRunsHappenAndRefusesABadSchedule() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("moved").build());
        handle.reschedule("0 */6 * * *");
        assertThat(handle.status().schedule()).isEqualTo("0 */6 * * *");
        assertThat(handle.nextRuns(cluster.now(), 2))
                .containsExactly(berlin("2026-06-01T18:00"), berlin("2026-06-02T00:00"));
        cluster.advanceClock(Duration.ofHours(13));
        assertThat(handle.runs())
                .extracting(JobHandle::name)
                .containsExactly(
                        runName("moved", berlin("2026-06-02T00:00")), runName("moved", berlin("2026-06-01T18:00")));

        assertThatThrownBy(() -> handle.reschedule("61 * * * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schedule: \"61 * * * *\": end of range (61) above maximum (59): 61");
        assertThatThrownBy(() -> handle.reschedule("TZ=UTC 0 * * * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("schedule: \"TZ=UTC 0 * * * *\": ");
        assertThat(handle.status().schedule()).isEqualTo("0 */6 * * *");
    }

    @Test
    void deleteWithRunsRemovesTheJobsAndTheirPods() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("purged").build());
        cluster.onPods("app.kubernetes.io/instance=purged", PodScript.runForever());
        cluster.advanceClock(Duration.ofDays(1));
        assertThat(handle.runs()).hasSize(1);
        handle.delete(true);
        cluster.advanceUntilIdle(Duration.ofMinutes(5));
        waitUntil(() -> jobs().isEmpty()
                && kube.pods().inNamespace(NS).list().getItems().isEmpty());
        assertThat(kube.batch()
                        .v1()
                        .cronjobs()
                        .inNamespace(NS)
                        .withName("purged")
                        .get())
                .isNull();
        assertThatThrownBy(handle::status)
                .isInstanceOf(NotFoundException.class)
                .hasMessage("CronJob default/purged does not exist");
        handle.delete(true); // deleting a deleted schedule does nothing
    }

    @Test
    void deleteWithoutRunsKeepsTheJobs() {
        start(JUNE);
        ScheduleHandle handle = skiff.submit(nightly("kept").build());
        cluster.advanceClock(Duration.ofDays(2));
        assertThat(handle.runs()).hasSize(2);
        handle.delete(false);
        cluster.advanceUntilIdle(Duration.ofMinutes(5));
        waitUntil(() ->
                kube.batch().v1().cronjobs().inNamespace(NS).withName("kept").get() == null);
        // orphaned: the Jobs stay, no longer owned
        waitUntil(() -> jobs().stream()
                .allMatch(j -> j.getMetadata().getOwnerReferences().isEmpty()));
        assertThat(jobs()).hasSize(2);
        assertThat(skiff.job(NS, jobs().get(0).getMetadata().getName()).status().phase())
                .isEqualTo(JobStatus.Phase.SUCCEEDED);
    }

    @Test
    void aHandleFoundByNameSeesTheSameSchedule() {
        start(JUNE);
        skiff.submit(nightly("found").build());
        ScheduleHandle found = skiff.schedule(NS, "found");
        assertThat(found.status().schedule()).isEqualTo("30 2 * * *");
        assertThat(found.nextRuns(cluster.now(), 1)).containsExactly(berlin("2026-06-02T02:30"));
        assertThatThrownBy(() -> skiff.schedule(NS, "ghost").runs())
                .isInstanceOf(NotFoundException.class)
                .hasMessage("CronJob default/ghost does not exist");
        assertThat(Optional.of(found.name())).hasValue("found");
    }
}
