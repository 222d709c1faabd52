package dev.skiff.testing.internal.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobErrorsTest {
    private static final Instant LATER = Instant.parse("2024-01-03T00:00:00Z");

    @Test
    void unknownTimeZoneRecordsAWarningAndCreatesNothing() {
        CronJob cronJob = Fixtures.cronJob("0 * * * *")
                .editSpec()
                .withTimeZone("Mars/Olympus")
                .endSpec()
                .build();

        CronJobSync sync = CronJobReconciler.reconcile(cronJob, List.of(), LATER);

        assertThat(sync.events())
                .containsExactly(new CronJobEvent(
                        "Warning",
                        "UnknownTimeZone",
                        "invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus"));
        assertThat(sync.jobToCreate()).isEmpty();
        assertThat(sync.requeueAt()).isEmpty();
    }

    @Test
    void timeZonesGoLoadsButTheJdkNamesDifferentlyWork() {
        CronJob cronJob = Fixtures.cronJob("0 * * * *")
                .editSpec()
                .withTimeZone("EST")
                .endSpec()
                .build();

        CronJobSync sync = CronJobReconciler.reconcile(cronJob, List.of(), Instant.parse("2024-01-01T01:00:00.100Z"));

        assertThat(sync.jobToCreate().orElseThrow().getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2023-12-31T20:00:00-05:00");
    }

    @Test
    void unparseableScheduleRecordsAWarningAndCreatesNothing() {
        CronJobSync sync = CronJobReconciler.reconcile(Fixtures.build("61 * * * *"), List.of(), LATER);

        assertThat(sync.events())
                .containsExactly(new CronJobEvent(
                        "Warning",
                        "UnparseableSchedule",
                        "unparseable schedule: \"61 * * * *\" : end of range (61) above maximum (59): 61"));
        assertThat(sync.jobToCreate()).isEmpty();
        assertThat(sync.requeueAt()).isEmpty();
    }

    @Test
    void scheduleThatNeverFiresRecordsInvalidSchedule() {
        CronJobSync sync = CronJobReconciler.reconcile(Fixtures.build("0 0 30 2 *"), List.of(), LATER);

        assertThat(sync.events())
                .containsExactly(new CronJobEvent(
                        "Warning",
                        "InvalidSchedule",
                        "invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second"));
        assertThat(sync.jobToCreate()).isEmpty();
        assertThat(sync.requeueAt()).isEmpty();
    }

    @Test
    void badLocationInsideTheScheduleIsUnparseable() {
        CronJobSync sync = CronJobReconciler.reconcile(Fixtures.build("TZ=Nowhere/Town 0 * * * *"), List.of(), LATER);

        assertThat(sync.events())
                .extracting(CronJobEvent::reason)
                .containsExactly("UnsupportedSchedule", "UnparseableSchedule");
        assertThat(sync.events().get(1).message())
                .isEqualTo("unparseable schedule: \"TZ=Nowhere/Town 0 * * * *\" : provided bad location Nowhere/Town:"
                        + " unknown time zone Nowhere/Town");
    }
}
