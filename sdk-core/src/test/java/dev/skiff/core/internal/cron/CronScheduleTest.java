package dev.skiff.core.internal.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fire times as the CronJob controller computes them: robfig/cron v3 {@code Next}, iterated. Every
 * expectation was derived by hand from robfig's algorithm and cross-checked against robfig v3.0.1.
 */
class CronScheduleTest {

    /** The next {@code n} runs after {@code from} (an offset date-time), as offset date-times. */
    private static List<String> runs(String schedule, String zone, String from, int n) {
        List<ZonedDateTime> runs = CronSchedule.parse(schedule)
                .nextRuns(ZoneId.of(zone), OffsetDateTime.parse(from).toInstant(), n);
        assertThat(runs).allSatisfy(t -> assertThat(t.getZone()).isEqualTo(ZoneId.of(zone)));
        return runs.stream().map(t -> t.toOffsetDateTime().toString()).collect(Collectors.toList());
    }

    @Test
    void hourlyFiresAtTheTopOfEachHour() {
        assertThat(runs("0 * * * *", "UTC", "2024-01-01T10:15:00Z", 3))
                .containsExactly("2024-01-01T11:00Z", "2024-01-01T12:00Z", "2024-01-01T13:00Z");
    }

    @Test
    void aRunAtExactlyFromIsNotIncluded() {
        assertThat(runs("0 * * * *", "UTC", "2024-01-01T11:00:00Z", 1)).containsExactly("2024-01-01T12:00Z");
    }

    @Test
    void aRunLessThanASecondAfterFromIsIncluded() {
        // robfig starts at the next whole second: 10:59:59.5 -> 11:00:00.
        assertThat(runs("0 * * * *", "UTC", "2024-01-01T10:59:59.5Z", 1)).containsExactly("2024-01-01T11:00Z");
    }

    @Test
    void dailyFiresAtLocalMidnight() {
        assertThat(runs("@daily", "Europe/Berlin", "2024-01-01T00:00:00+01:00", 3))
                .containsExactly("2024-01-02T00:00+01:00", "2024-01-03T00:00+01:00", "2024-01-04T00:00+01:00");
    }

    @Test
    void weeklyFiresOnSundays() {
        // 2024-09-04 is a Wednesday.
        assertThat(runs("@weekly", "UTC", "2024-09-04T12:00:00Z", 3))
                .containsExactly("2024-09-08T00:00Z", "2024-09-15T00:00Z", "2024-09-22T00:00Z");
    }

    @Test
    void monthlyFiresOnTheFirst() {
        assertThat(runs("@monthly", "UTC", "2024-01-15T00:00:00Z", 3))
                .containsExactly("2024-02-01T00:00Z", "2024-03-01T00:00Z", "2024-04-01T00:00Z");
    }

    @Test
    void yearlyFiresOnNewYear() {
        assertThat(runs("@yearly", "UTC", "2024-01-15T00:00:00Z", 2))
                .containsExactly("2025-01-01T00:00Z", "2026-01-01T00:00Z");
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEither() {
        // Neither day field is a star, so a day matches if it is the 13th OR a Friday.
        assertThat(runs("0 0 13 * 5", "UTC", "2024-09-01T00:00:00Z", 8))
                .containsExactly(
                        "2024-09-06T00:00Z",
                        "2024-09-13T00:00Z", // Friday the 13th, once
                        "2024-09-20T00:00Z",
                        "2024-09-27T00:00Z",
                        "2024-10-04T00:00Z",
                        "2024-10-11T00:00Z",
                        "2024-10-13T00:00Z", // a Sunday, but the 13th
                        "2024-10-18T00:00Z");
    }

    @Test
    void aStarInDayOfMonthLeavesOnlyDayOfWeek() {
        assertThat(runs("0 0 * * 5", "UTC", "2024-09-01T00:00:00Z", 3))
                .containsExactly("2024-09-06T00:00Z", "2024-09-13T00:00Z", "2024-09-20T00:00Z");
    }

    @Test
    void aQuestionMarkInDayOfWeekCountsAsAStar() {
        assertThat(runs("0 0 13 * ?", "UTC", "2024-09-01T00:00:00Z", 3))
                .containsExactly("2024-09-13T00:00Z", "2024-10-13T00:00Z", "2024-11-13T00:00Z");
    }

    @Test
    void aStarWithAStepAboveOneIsARestriction() {
        // "*/2" drops robfig's star bit, so the OR rule applies: odd days (1, 3, 5, ...) or Mondays.
        // 2024-09-02 is a Monday; 09-01 00:00 itself is excluded (not strictly after from).
        assertThat(runs("0 0 */2 * 1", "UTC", "2024-09-01T00:00:00Z", 6))
                .containsExactly(
                        "2024-09-02T00:00Z",
                        "2024-09-03T00:00Z",
                        "2024-09-05T00:00Z",
                        "2024-09-07T00:00Z",
                        "2024-09-09T00:00Z",
                        "2024-09-11T00:00Z");
    }

    @Test
    void aStarWithStepOneStaysAStar() {
        // "*/1" keeps the star bit, so both must match: Mondays only.
        assertThat(runs("0 0 */1 * 1", "UTC", "2024-09-01T00:00:00Z", 3))
                .containsExactly("2024-09-02T00:00Z", "2024-09-09T00:00Z", "2024-09-16T00:00Z");
    }

    @Test
    void leapDayFiresOnlyInLeapYears() {
        assertThat(runs("0 0 29 2 *", "UTC", "2023-03-01T00:00:00Z", 2))
                .containsExactly("2024-02-29T00:00Z", "2028-02-29T00:00Z");
    }

    @Test
    void leapDayMoreThanFiveYearsAwayIsNotFound() {
        // 2100 is not a leap year; the next 29 February after 2097-03-01 is in 2104, past robfig's
        // limit (start year + 5 = 2102), so robfig returns the zero time and the list stops.
        assertThat(runs("0 0 29 2 *", "UTC", "2097-03-01T00:00:00Z", 1)).isEmpty();
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void anImpossibleScheduleYieldsNoRunsWithoutSpinning() {
        assertThat(runs("0 0 30 2 *", "UTC", "2024-01-01T00:00:00Z", 5)).isEmpty();
        assertThat(CronSchedule.parse("0 0 31 4,6,9,11 *").next(ZonedDateTime.parse("2024-01-01T00:00Z")))
                .isEmpty();
        // "," is an empty list: no minute ever matches.
        assertThat(runs(", * * * *", "UTC", "2024-01-01T00:00:00Z", 5)).isEmpty();
    }

    @Test
    void rangeWithStepCountsFromTheRangeStart() {
        assertThat(runs("10-40/15 * * * *", "UTC", "2024-01-01T00:00:00Z", 4))
                .containsExactly("2024-01-01T00:10Z", "2024-01-01T00:25Z", "2024-01-01T00:40Z", "2024-01-01T01:10Z");
        assertThat(runs("0 9-17/4 * * *", "UTC", "2024-01-01T00:00:00Z", 4))
                .containsExactly("2024-01-01T09:00Z", "2024-01-01T13:00Z", "2024-01-01T17:00Z", "2024-01-02T09:00Z");
    }

    @Test
    void singleValueWithStepRunsToTheFieldMaximum() {
        // "5/20" means "5-59/20".
        assertThat(runs("5/20 * * * *", "UTC", "2024-01-01T00:00:00Z", 4))
                .containsExactly("2024-01-01T00:05Z", "2024-01-01T00:25Z", "2024-01-01T00:45Z", "2024-01-01T01:05Z");
    }

    @Test
    void stepLargerThanTheRangeKeepsOnlyTheFirstValue() {
        // "*/61" is minute 0 only: hourly, not "every 61 minutes".
        assertThat(runs("*/61 * * * *", "UTC", "2024-01-01T00:30:00Z", 2))
                .containsExactly("2024-01-01T01:00Z", "2024-01-01T02:00Z");
    }

    @Test
    void monthAndWeekdayNamesAreCaseInsensitive() {
        // 2024-01-01 is a Monday; 00:00 is before noon, so that day counts.
        assertThat(runs("0 12 * JAN,jul mon-FRI", "UTC", "2024-01-01T00:00:00Z", 4))
                .containsExactly("2024-01-01T12:00Z", "2024-01-02T12:00Z", "2024-01-03T12:00Z", "2024-01-04T12:00Z");
    }

    @Test
    void everyAddsTheIntervalToFromTruncatedToTheSecond() {
        // ConstantDelaySchedule.Next(t) = t + delay - t's nanoseconds, whatever the zone.
        assertThat(runs("@every 90m", "UTC", "2024-01-01T10:00:00.7Z", 2))
                .containsExactly("2024-01-01T11:30Z", "2024-01-01T13:00Z");
    }

    @Test
    void springForwardSkipsTheMissingRunInBerlin() {
        // On 2024-03-31 Berlin jumps from 02:00 CET to 03:00 CEST. robfig's hour search adds real
        // hours from midnight (00:00, 01:00, then 03:00), never sees hour 2 that day, and moves to
        // the next day: the 02:30 run of 31 March does not happen.
        assertThat(runs("30 2 * * *", "Europe/Berlin", "2024-03-30T02:30:00+01:00", 2))
                .containsExactly("2024-04-01T02:30+02:00", "2024-04-02T02:30+02:00");
    }

    @Test
    void fallBackRepeatsTheRunInBerlin() {
        // On 2024-10-27 Berlin goes from 03:00 CEST back to 02:00 CET, so 02:30 happens twice.
        // After 02:30 CEST robfig steps minutes to 02:59 CEST; one more minute is 02:00 CET, whose
        // hour (2) still matches, so it finds 02:30 CET too: two runs an hour apart.
        assertThat(runs("30 2 * * *", "Europe/Berlin", "2024-10-26T12:00:00Z", 3))
                .containsExactly("2024-10-27T02:30+02:00", "2024-10-27T02:30+01:00", "2024-10-28T02:30+01:00");
    }

    @Test
    void springForwardSkipsTheMissingRunInNewYork() {
        // On 2024-03-10 New York jumps from 02:00 EST to 03:00 EDT; as in Berlin the hour search
        // goes 00:00, 01:00, 03:00, so neither 02:30 nor 02:00 runs that day.
        assertThat(runs("30 2 * * *", "America/New_York", "2024-03-09T12:00:00-05:00", 2))
                .containsExactly("2024-03-11T02:30-04:00", "2024-03-12T02:30-04:00");
        assertThat(runs("0 2 * * *", "America/New_York", "2024-03-09T12:00:00-05:00", 1))
                .containsExactly("2024-03-11T02:00-04:00");
    }

    @Test
    void fallBackRepeatsTheRunInNewYork() {
        // On 2024-11-03 New York goes from 02:00 EDT back to 01:00 EST: 01:30 EDT runs, the minute
        // search then passes 01:59 EDT into 01:00 EST (hour 1 again) and 01:30 EST runs as well.
        assertThat(runs("30 1 * * *", "America/New_York", "2024-11-02T12:00:00-04:00", 3))
                .containsExactly("2024-11-03T01:30-04:00", "2024-11-03T01:30-05:00", "2024-11-04T01:30-05:00");
    }

    @Test
    void hourlyFollowsElapsedHoursAcrossTransitions() {
        // Fall-back: the repeated 02:00 hour fires twice (02:00 CEST and 02:00 CET).
        assertThat(runs("0 * * * *", "Europe/Berlin", "2024-10-27T00:00:00+02:00", 4))
                .containsExactly(
                        "2024-10-27T01:00+02:00",
                        "2024-10-27T02:00+02:00",
                        "2024-10-27T02:00+01:00",
                        "2024-10-27T03:00+01:00");
        // Spring-forward: 01:00 CET is followed one real hour later by 03:00 CEST.
        assertThat(runs("0 * * * *", "Europe/Berlin", "2024-03-31T00:00:00+01:00", 3))
                .containsExactly("2024-03-31T01:00+01:00", "2024-03-31T03:00+02:00", "2024-03-31T04:00+02:00");
    }

    @Test
    void aDayWithoutMidnightIsSkippedByMidnightSchedules() {
        // In 2018 Sao Paulo's DST began at midnight on Sunday 4 November (00:00 -03 became 01:00 -02).
        // Go's time.Date resolves the missing 00:00 back to 23:00 on the 3rd, robfig's day search
        // lands at 01:00 on the 4th, the hour search cannot find hour 0 that day, and the next run
        // is the following Sunday.
        assertThat(runs("0 0 * * 0", "America/Sao_Paulo", "2018-11-01T12:00:00-03:00", 2))
                .containsExactly("2018-11-11T00:00-02:00", "2018-11-18T00:00-02:00");
    }

    @Test
    void goDateResolvesSkippedTimesAsGoDoes() {
        // Go reads the wall time as UTC to pick an offset. East of UTC a skipped time moves forward
        // (Berlin 02:30 -> 03:30 CEST); west of UTC it moves back (New York 02:30 -> 01:30 EST).
        assertThat(Instant.ofEpochSecond(CronSchedule.goDate(
                        2024, 3, 31, 2, 30, 0, ZoneId.of("Europe/Berlin").getRules())))
                .isEqualTo(Instant.parse("2024-03-31T01:30:00Z"));
        assertThat(Instant.ofEpochSecond(CronSchedule.goDate(
                        2024, 3, 10, 2, 30, 0, ZoneId.of("America/New_York").getRules())))
                .isEqualTo(Instant.parse("2024-03-10T06:30:00Z"));
    }

    @Test
    void goDateResolvesRepeatedTimesAsGoDoes() {
        // A repeated wall time resolves to the later offset in Berlin (CET) and the earlier one in
        // New York (EDT), again because Go starts from the wall time read as UTC.
        assertThat(Instant.ofEpochSecond(CronSchedule.goDate(
                        2024, 10, 27, 2, 30, 0, ZoneId.of("Europe/Berlin").getRules())))
                .isEqualTo(Instant.parse("2024-10-27T01:30:00Z"));
        assertThat(Instant.ofEpochSecond(CronSchedule.goDate(
                        2024, 11, 3, 1, 30, 0, ZoneId.of("America/New_York").getRules())))
                .isEqualTo(Instant.parse("2024-11-03T05:30:00Z"));
    }

    @Test
    void nextKeepsTheZoneOfItsArgument() {
        ZonedDateTime after = ZonedDateTime.parse("2024-01-01T10:15:00+09:00[Asia/Tokyo]");
        assertThat(CronSchedule.parse("0 12 * * *").next(after))
                .contains(ZonedDateTime.parse("2024-01-01T12:00:00+09:00[Asia/Tokyo]"));
    }

    @Test
    void nextRunsWithZeroCountIsEmptyAndNegativeCountIsRejected() {
        CronSchedule hourly = CronSchedule.parse("@hourly");
        assertThat(hourly.nextRuns(ZoneId.of("UTC"), Instant.EPOCH, 0)).isEmpty();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> hourly.nextRuns(ZoneId.of("UTC"), Instant.EPOCH, -1))
                .withMessage("n must be >= 0, but was -1");
    }

    @Test
    void schedulesWithTheSameExpressionAreEqual() {
        assertThat(CronSchedule.parse("0 * * * *"))
                .isEqualTo(CronSchedule.parse("0 * * * *"))
                .hasSameHashCodeAs(CronSchedule.parse("0 * * * *"))
                .isNotEqualTo(CronSchedule.parse("@hourly"))
                .hasToString("0 * * * *");
    }
}
