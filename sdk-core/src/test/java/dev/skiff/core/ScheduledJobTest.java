package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ScheduledJobTest {

    private static ScheduledJob nightly(String schedule, String zone) {
        ScheduledJob.Builder b = ScheduledJob.builder()
                .job(BatchJob.builder()
                        .name("retrain")
                        .container(Container.of("ghcr.io/acme/trainer:1.4"))
                        .build())
                .schedule(schedule);
        if (zone != null) {
            b.timeZone(zone);
        }
        return b.build();
    }

    @Test
    void nextRunsAreInTheScheduleTimeZone() {
        ScheduledJob job = nightly("30 2 * * *", "Europe/Berlin");
        assertThat(job.nextRuns(Instant.parse("2024-06-01T00:00:00Z"), 2))
                .extracting(ZonedDateTime::toInstant)
                .containsExactly(Instant.parse("2024-06-01T00:30:00Z"), Instant.parse("2024-06-02T00:30:00Z"));
    }

    @Test
    void aRunInTheSpringForwardGapIsSkippedThatDay() {
        // 02:30 does not exist in Berlin on 2024-03-31 (clocks jump from 02:00 to 03:00)
        ScheduledJob job = nightly("30 2 * * *", "Europe/Berlin");
        assertThat(job.nextRuns(Instant.parse("2024-03-30T12:00:00Z"), 2))
                .extracting(ZonedDateTime::toInstant)
                .containsExactly(Instant.parse("2024-04-01T00:30:00Z"), Instant.parse("2024-04-02T00:30:00Z"))
                .doesNotContain(Instant.parse("2024-03-31T01:30:00Z"));
    }

    @Test
    void aRunInTheRepeatedHourRunsTwiceAsKubernetesDoes() {
        // 02:30 happens twice in Berlin on 2024-10-27: at +02:00 and again at +01:00
        ScheduledJob job = nightly("30 2 * * *", "Europe/Berlin");
        assertThat(job.nextRuns(Instant.parse("2024-10-26T12:00:00Z"), 3))
                .extracting(ZonedDateTime::toInstant)
                .containsExactly(
                        Instant.parse("2024-10-27T00:30:00Z"),
                        Instant.parse("2024-10-27T01:30:00Z"),
                        Instant.parse("2024-10-28T01:30:00Z"));
    }

    @Test
    void withoutATimeZoneTheScheduleIsReadInUtc() {
        ScheduledJob job = nightly("@daily", null);
        assertThat(job.nextRuns(Instant.parse("2024-06-01T10:00:00Z"), 1))
                .extracting(ZonedDateTime::toInstant)
                .containsExactly(Instant.parse("2024-06-02T00:00:00Z"));
    }

    @Test
    void aScheduleThatNeverFiresListsNothing() {
        assertThat(nightly("0 0 30 2 *", null).nextRuns(Instant.parse("2024-01-01T00:00:00Z"), 3))
                .isEmpty();
    }

    @Test
    void aNegativeCountIsRejected() {
        assertThatThrownBy(() -> nightly("@daily", null).nextRuns(Instant.EPOCH, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n must be >= 0, but was -1");
    }
}
