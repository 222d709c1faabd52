package dev.skiff.testing.internal.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronJobConcurrencyTest {
    private static Instant at(String time) {
        return Instant.parse(time);
    }

    private static CronJobHarness hourly(String policy) {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("0 * * * *")
                        .editSpec()
                        .withConcurrencyPolicy(policy)
                        .endSpec()
                        .build(),
                Fixtures.CREATED);
        cluster.sync();
        cluster.advanceTo(at("2024-01-01T01:30:00Z"));
        return cluster;
    }

    @Test
    void allowRunsConcurrently() {
        CronJobHarness cluster = hourly("Allow");

        cluster.advanceTo(at("2024-01-01T02:30:00Z"));

        assertThat(cluster.activeNames()).containsExactly("report-28401180", "report-28401240");
        assertThat(cluster.deleted()).isEmpty();
    }

    @Test
    void forbidSkipsTheRunWhilePriorRunIsActive() {
        CronJobHarness cluster = hourly("Forbid");

        cluster.advanceTo(at("2024-01-01T02:00:00.100Z"));
        CronJobSync skipped = cluster.lastSync();

        assertThat(skipped.jobToCreate()).isEmpty();
        assertThat(skipped.events())
                .containsExactly(new CronJobEvent(
                        "Normal",
                        "JobAlreadyActive",
                        "Not starting job because prior execution is running and concurrency policy is Forbid"));
        assertThat(skipped.status()).isEmpty();
        assertThat(skipped.requeueAt()).contains(at("2024-01-01T03:00:00.100Z"));
        assertThat(cluster.activeNames()).containsExactly("report-28401180");
    }

    @Test
    void forbidStartsTheSkippedRunLateOnceThePriorRunFinishes() {
        CronJobHarness cluster = hourly("Forbid");
        cluster.advanceTo(at("2024-01-01T02:30:00Z"));

        CronJobSync sync = cluster.complete("report-28401180");

        assertThat(sync.events())
                .extracting(CronJobEvent::message)
                .containsExactly(
                        "Saw completed job: report-28401180, condition: Complete", "Created job report-28401240");
        assertThat(cluster.activeNames()).containsExactly("report-28401240");
    }

    @Test
    void forbidWithStartingDeadlineDropsTheSkippedRun() {
        CronJobHarness cluster = new CronJobHarness(
                Fixtures.cronJob("0 * * * *")
                        .editSpec()
                        .withConcurrencyPolicy("Forbid")
                        .withStartingDeadlineSeconds(120L)
                        .endSpec()
                        .build(),
                Fixtures.CREATED);
        cluster.sync();
        cluster.advanceTo(at("2024-01-01T02:30:00Z"));

        CronJobSync sync = cluster.complete("report-28401180");

        assertThat(sync.jobToCreate()).isEmpty();
        cluster.advanceTo(at("2024-01-01T03:30:00Z"));
        assertThat(cluster.created()).containsExactly("report-28401180", "report-28401300");
    }

    @Test
    void replaceDeletesTheRunningJobAndStartsTheNewOne() {
        CronJobHarness cluster = hourly("Replace");

        cluster.advanceTo(at("2024-01-01T02:00:00.100Z"));
        CronJobSync sync = cluster.lastSync();

        assertThat(sync.jobsToDelete())
                .extracting(j -> j.getMetadata().getName())
                .containsExactly("report-28401180");
        assertThat(sync.events())
                .containsExactly(
                        new CronJobEvent("Normal", "SuccessfulDelete", "Deleted job report-28401180"),
                        new CronJobEvent("Normal", "SuccessfulCreate", "Created job report-28401240"));
        assertThat(sync.status().orElseThrow().getActive()).isEmpty();
        assertThat(cluster.activeNames()).containsExactly("report-28401240");
        assertThat(cluster.jobNames()).containsExactly("report-28401240");
        assertThat(CronJobSync.DELETE_PROPAGATION).isEqualTo("Background");
    }

    @Test
    void replaceLeavesFinishedJobsAlone() {
        CronJobHarness cluster = hourly("Replace");
        cluster.complete("report-28401180");

        cluster.advanceTo(at("2024-01-01T02:30:00Z"));

        assertThat(cluster.deleted()).isEmpty();
        assertThat(cluster.jobNames()).containsExactly("report-28401180", "report-28401240");
    }
}
