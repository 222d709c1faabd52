package dev.skiff.testing.internal.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronJobSchedulingTest {
    private static Instant at(String time) {
        return Instant.parse(time);
    }

    @Test
    void firstSyncCreatesNothingAndRequeuesAtTheFirstRunPlus100Millis() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("0 * * * *"), Fixtures.CREATED);

        CronJobSync sync = cluster.sync();

        assertThat(sync.jobToCreate()).isEmpty();
        assertThat(sync.events()).isEmpty();
        assertThat(sync.status()).isEmpty();
        assertThat(sync.requeueAt()).contains(at("2024-01-01T01:00:00.100Z"));
    }

    @Test
    void hourlyScheduleCreatesJobsNamedByScheduledMinuteAtEachHour() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("0 * * * *"), Fixtures.CREATED);
        cluster.sync();

        cluster.advanceTo(at("2024-01-01T03:30:00Z"));

        assertThat(cluster.created()).containsExactly("report-28401180", "report-28401240", "report-28401300");
        assertThat(cluster.createdAt())
                .containsExactly(
                        at("2024-01-01T01:00:00.100Z"), at("2024-01-01T02:00:00.100Z"), at("2024-01-01T03:00:00.100Z"));
        assertThat(cluster.events())
                .extracting(CronJobEvent::message)
                .containsExactly(
                        "Created job report-28401180", "Created job report-28401240", "Created job report-28401300");
        assertThat(cluster.events()).extracting(CronJobEvent::type).containsOnly("Normal");
        assertThat(cluster.lastSync().requeueAt()).contains(at("2024-01-01T04:00:00.100Z"));
        assertThat(cluster.activeNames()).containsExactly("report-28401180", "report-28401240", "report-28401300");
        assertThat(cluster.cronJob().getStatus().getLastScheduleTime()).isEqualTo("2024-01-01T03:00:00Z");
    }

    @Test
    void jobNameUsesTheScheduledTimeNotTheTimeOfTheSync() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("0 * * * *"), Fixtures.CREATED);
        cluster.controllerDownUntil(at("2024-01-01T01:59:59Z"));

        cluster.sync();

        assertThat(cluster.created()).containsExactly("report-28401180");
        assertThat(cluster.job("report-28401180").getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2024-01-01T01:00:00Z");
    }

    @Test
    void berlinDailyRunSkipsTheDayTwoThirtyDoesNotExist() {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("30 2 * * *", at("2024-03-29T12:00:00Z"))
                        .editSpec()
                        .withTimeZone("Europe/Berlin")
                        .endSpec()
                        .build(),
                at("2024-03-29T12:00:00Z"));
        cluster.sync();

        cluster.advanceTo(at("2024-04-01T12:00:00Z"));

        // 30 March 02:30 CET, no 02:30 on 31 March (02:00 jumps to 03:00), 1 April 02:30 CEST.
        assertThat(cluster.createdAt()).containsExactly(at("2024-03-30T01:30:00.100Z"), at("2024-04-01T00:30:00.100Z"));
        assertThat(cluster.created()).containsExactly("report-28529370", "report-28532190");
        assertThat(cluster.job("report-28529370").getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2024-03-30T02:30:00+01:00");
        assertThat(cluster.job("report-28532190").getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2024-04-01T02:30:00+02:00");
        assertThat(cluster.lastSync().requeueAt()).contains(at("2024-04-02T00:30:00.100Z"));
    }

    @Test
    void berlinDailyRunFiresTwiceWhenTwoThirtyHappensTwice() {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("30 2 * * *", at("2024-10-25T12:00:00Z"))
                        .editSpec()
                        .withTimeZone("Europe/Berlin")
                        .endSpec()
                        .build(),
                at("2024-10-25T12:00:00Z"));
        cluster.sync();

        cluster.advanceTo(at("2024-10-28T12:00:00Z"));

        assertThat(cluster.createdAt())
                .containsExactly(
                        at("2024-10-26T00:30:00.100Z"),
                        at("2024-10-27T00:30:00.100Z"),
                        at("2024-10-27T01:30:00.100Z"),
                        at("2024-10-28T01:30:00.100Z"));
        assertThat(cluster.created())
                .containsExactly("report-28831710", "report-28833150", "report-28833210", "report-28834650");
        assertThat(cluster.job("report-28833150").getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2024-10-27T02:30:00+02:00");
        assertThat(cluster.job("report-28833210").getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2024-10-27T02:30:00+01:00");
    }

    @Test
    void withoutTimeZoneTheScheduleFiresInTheControllerZoneButTheAnnotationIsUtc() {
        CronJobHarness cluster =
                new CronJobHarness(Fixtures.build("30 2 * * *"), Fixtures.CREATED, ZoneId.of("Europe/Berlin"));
        cluster.sync();

        cluster.advanceTo(at("2024-01-01T12:00:00Z"));

        assertThat(cluster.createdAt()).containsExactly(at("2024-01-01T01:30:00.100Z"));
        assertThat(cluster.job(cluster.created().get(0)).getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2024-01-01T01:30:00Z");
    }

    @Test
    void controllerDownForADayStartsOnlyTheMostRecentRun() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("0 * * * *"), Fixtures.CREATED);
        cluster.sync();
        cluster.advanceTo(at("2024-01-01T01:30:00Z"));

        cluster.controllerDownUntil(at("2024-01-02T01:30:00Z"));
        CronJobSync sync = cluster.sync();

        assertThat(cluster.created()).containsExactly("report-28401180", "report-28402620");
        assertThat(sync.events()).extracting(CronJobEvent::reason).containsExactly("SuccessfulCreate");
        assertThat(sync.requeueAt()).contains(at("2024-01-02T02:00:00.100Z"));
    }

    @Test
    void moreThanOneHundredMissedRunsWarnsAndStillStartsTheMostRecent() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("* * * * *"), Fixtures.CREATED);

        cluster.controllerDownUntil(at("2024-01-01T01:41:00Z"));
        CronJobSync sync = cluster.sync();

        assertThat(sync.events())
                .containsExactly(
                        new CronJobEvent(
                                "Warning",
                                "TooManyMissedTimes",
                                "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check"
                                        + " clock skew"),
                        new CronJobEvent("Normal", "SuccessfulCreate", "Created job report-28401221"));
    }

    @Test
    void exactlyOneHundredMissedRunsDoNotWarn() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("* * * * *"), Fixtures.CREATED);

        cluster.controllerDownUntil(at("2024-01-01T01:40:30Z"));
        CronJobSync sync = cluster.sync();

        assertThat(sync.events()).extracting(CronJobEvent::reason).containsExactly("SuccessfulCreate");
        assertThat(cluster.created()).containsExactly("report-28401220");
    }

    @Test
    void startingDeadlineKeepsManyMissedRunsFromWarning() {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("* * * * *")
                        .editSpec()
                        .withStartingDeadlineSeconds(300L)
                        .endSpec()
                        .build(),
                Fixtures.CREATED);

        cluster.controllerDownUntil(at("2024-01-02T00:00:30Z"));
        CronJobSync sync = cluster.sync();

        assertThat(sync.events()).extracting(CronJobEvent::reason).containsExactly("SuccessfulCreate");
    }

    @Test
    void startingDeadlineSilentlySkipsARunThatIsTooLate() {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("0 * * * *")
                        .editSpec()
                        .withStartingDeadlineSeconds(60L)
                        .endSpec()
                        .build(),
                Fixtures.CREATED);
        cluster.sync();
        cluster.advanceTo(at("2024-01-01T01:30:00Z"));

        cluster.controllerDownUntil(at("2024-01-01T02:01:01Z"));
        CronJobSync late = cluster.sync();

        // The deadline also bounds the search, so the controller never sees the 02:00 run: no MissSchedule.
        assertThat(late.jobToCreate()).isEmpty();
        assertThat(late.events()).isEmpty();
        assertThat(late.requeueAt()).contains(at("2024-01-01T03:00:00.100Z"));
        cluster.advanceTo(at("2024-01-01T03:30:00Z"));
        assertThat(cluster.created()).containsExactly("report-28401180", "report-28401300");
    }

    @Test
    void startingDeadlineStillAllowsARunThatIsLateButWithinIt() {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("0 * * * *")
                        .editSpec()
                        .withStartingDeadlineSeconds(60L)
                        .endSpec()
                        .build(),
                Fixtures.CREATED);

        cluster.controllerDownUntil(at("2024-01-01T01:00:59Z"));
        cluster.sync();

        assertThat(cluster.created()).containsExactly("report-28401180");
    }

    @Test
    void suspendStopsNewRunsAndResumeDoesNotBackfillBeyondTheDeadline() {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("0 * * * *")
                        .editSpec()
                        .withStartingDeadlineSeconds(600L)
                        .endSpec()
                        .build(),
                Fixtures.CREATED);
        cluster.sync();
        cluster.advanceTo(at("2024-01-01T01:30:00Z"));

        CronJobSync suspended =
                cluster.update(cj -> cj.editSpec().withSuspend(true).endSpec());
        cluster.advanceTo(at("2024-01-01T05:30:00Z"));
        CronJobSync resumed =
                cluster.update(cj -> cj.editSpec().withSuspend(false).endSpec());
        cluster.advanceTo(at("2024-01-01T06:30:00Z"));

        assertThat(suspended.requeueAt()).isEmpty();
        assertThat(resumed.jobToCreate()).isEmpty();
        assertThat(resumed.requeueAt()).contains(at("2024-01-01T06:00:00.100Z"));
        assertThat(cluster.created()).containsExactly("report-28401180", "report-28401480");
    }

    @Test
    void resumeWithoutDeadlineStartsOnlyTheMostRecentMissedRun() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("0 * * * *"), Fixtures.CREATED);
        cluster.sync();
        cluster.advanceTo(at("2024-01-01T01:30:00Z"));
        cluster.update(cj -> cj.editSpec().withSuspend(true).endSpec());
        cluster.advanceTo(at("2024-01-01T05:30:00Z"));

        CronJobSync resumed =
                cluster.update(cj -> cj.editSpec().withSuspend(false).endSpec());

        assertThat(resumed.jobToCreate().map(j -> j.getMetadata().getName())).contains("report-28401420");
        assertThat(cluster.created()).containsExactly("report-28401180", "report-28401420");
    }

    @Test
    void suspendedCronJobStillNoticesFinishedJobs() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("0 * * * *"), Fixtures.CREATED);
        cluster.sync();
        cluster.advanceTo(at("2024-01-01T01:30:00Z"));
        cluster.update(cj -> cj.editSpec().withSuspend(true).endSpec());

        CronJobSync sync = cluster.complete("report-28401180");

        assertThat(sync.events()).extracting(CronJobEvent::reason).containsExactly("SawCompletedJob");
        assertThat(sync.status()).isPresent();
        assertThat(cluster.activeNames()).isEmpty();
    }

    @Test
    void timeZoneInTheScheduleWarnsButIsHonoured() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("TZ=Europe/Berlin 30 2 * * *"), Fixtures.CREATED);
        cluster.sync();

        cluster.advanceTo(at("2024-01-01T12:00:00Z"));

        assertThat(cluster.createdAt()).containsExactly(at("2024-01-01T01:30:00.100Z"));
        assertThat(cluster.events())
                .first()
                .isEqualTo(new CronJobEvent(
                        "Warning",
                        "UnsupportedSchedule",
                        "CRON_TZ or TZ used in schedule \"TZ=Europe/Berlin 30 2 * * *\" is not officially supported,"
                                + " see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more"
                                + " details"));
    }
}
