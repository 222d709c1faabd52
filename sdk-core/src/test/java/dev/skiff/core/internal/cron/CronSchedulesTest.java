package dev.skiff.core.internal.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the API server accepts in {@code spec.schedule} and {@code spec.timeZone}, with its detail
 * messages. The robfig messages were checked against github.com/robfig/cron/v3 v3.0.1.
 */
class CronSchedulesTest {
    private static final String TZ = CronSchedules.TZ_IN_SCHEDULE;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "* * * * *",
                "0 * * * *",
                "*/15 * * * *",
                "30 2 * * 1-5",
                "0 9-17/2 * * MON-FRI",
                "0 0 1,15 * *",
                "0 0 * JAN,jul *",
                "0 0 * * sun",
                "? ? ? ? ?",
                "5/15 * * * *",
                "0 0 1-31/1 1-12 0-6",
                "+5 05 * * *",
                // robfig reads "*-5" as "*": nothing after "*-" is looked at.
                "*-5 * * * *",
                // empty list items are skipped; "," alone matches nothing but is accepted
                ", * * * *",
                "1,,2 * * * *",
                // accepted although it never fires
                "0 0 30 2 *",
                // a step beyond the range keeps only the first value
                "*/61 * * * *",
                " 0  0\t* * * ",
                "@yearly",
                "@annually",
                "@monthly",
                "@weekly",
                "@daily",
                "@midnight",
                "@hourly",
                "@every 1h30m",
                "@every 1.5h",
                "@every 500ms",
            })
    void acceptsWhatTheApiServerAccepts(String schedule) {
        assertThat(CronSchedules.scheduleError(schedule)).isEmpty();
        assertThat(CronSchedule.parse(schedule).expression()).isEqualTo(schedule);
    }

    static Stream<Arguments> rejectedSchedules() {
        return Stream.of(
                Arguments.of("", "Required value"),
                Arguments.of("   ", "expected exactly 5 fields, found 0: []"),
                Arguments.of("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
                Arguments.of("0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"),
                Arguments.of("60 * * * *", "end of range (60) above maximum (59): 60"),
                Arguments.of("* 24 * * *", "end of range (24) above maximum (23): 24"),
                Arguments.of("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
                Arguments.of("* * 32 * *", "end of range (32) above maximum (31): 32"),
                Arguments.of("* * * 0 *", "beginning of range (0) below minimum (1): 0"),
                Arguments.of("* * * 13 *", "end of range (13) above maximum (12): 13"),
                // Sunday is 0 only; 7 is not accepted.
                Arguments.of("* * * * 7", "end of range (7) above maximum (6): 7"),
                Arguments.of("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
                Arguments.of("* * * * 1-9", "end of range (9) above maximum (6): 1-9"),
                Arguments.of("*/0 * * * *", "step of range should be a positive number: */0"),
                Arguments.of("*/-1 * * * *", "negative number (-1) not allowed: -1"),
                Arguments.of("*/a * * * *", "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax"),
                Arguments.of("1/2/3 * * * *", "too many slashes: 1/2/3"),
                Arguments.of("1-2-3 * * * *", "too many hyphens: 1-2-3"),
                Arguments.of("-1 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"),
                Arguments.of("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
                // names exist only for months and weekdays, and only as three letters
                Arguments.of(
                        "MON * * * *", "failed to parse int from MON: strconv.Atoi: parsing \"MON\": invalid syntax"),
                Arguments.of(
                        "* * * JANUARY *",
                        "failed to parse int from JANUARY: strconv.Atoi: parsing \"JANUARY\": invalid syntax"),
                Arguments.of(
                        "99999999999999999999 * * * *",
                        "failed to parse int from 99999999999999999999: strconv.Atoi: parsing"
                                + " \"99999999999999999999\": value out of range"),
                Arguments.of("@reboot", "unrecognized descriptor: @reboot"),
                Arguments.of("@Daily", "unrecognized descriptor: @Daily"),
                Arguments.of("@daily ", "unrecognized descriptor: @daily "),
                Arguments.of("@every", "unrecognized descriptor: @every"),
                Arguments.of(
                        "@every 1d", "failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\""),
                Arguments.of("@every 5", "failed to parse duration @every 5: time: missing unit in duration \"5\""),
                Arguments.of("TZ=UTC 0 * * * *", TZ),
                Arguments.of("CRON_TZ=Europe/Berlin 0 * * * *", TZ),
                Arguments.of("TZ=UTC @daily", TZ),
                // robfig panics here (no space after the zone); the TZ rule still rejects it
                Arguments.of("TZ=UTC", TZ),
                Arguments.of(
                        "TZ=Nowhere/Land 0 * * * *",
                        "provided bad location Nowhere/Land: unknown time zone Nowhere/Land; " + TZ),
                // any "TZ" counts, not only a prefix; both errors are reported
                Arguments.of("0 0 * * * TZ", "expected exactly 5 fields, found 6: [0 0 * * * TZ]; " + TZ));
    }

    @ParameterizedTest
    @MethodSource("rejectedSchedules")
    void rejectsWhatTheApiServerRejectsWithItsDetail(String schedule, String detail) {
        assertThat(CronSchedules.scheduleError(schedule)).contains(detail);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CronSchedule.parse(schedule))
                .withMessage(detail);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "UTC",
                "Etc/UTC",
                "Europe/Berlin",
                "America/New_York",
                "America/Argentina/Buenos_Aires",
                "America/Port-au-Prince",
                "Asia/Kolkata",
                "Etc/GMT+1",
                "US/Eastern",
                "EST5EDT",
                // loadable by Go although ZoneId.of rejects them
                "EST",
                "GMT+0",
            })
    void acceptsTimeZonesGoCanLoad(String timeZone) {
        assertThat(CronSchedules.timeZoneError(timeZone)).isEmpty();
    }

    static Stream<Arguments> rejectedTimeZones() {
        return Stream.of(
                Arguments.of("", "timeZone must be nil or non-empty string"),
                Arguments.of(
                        "Local",
                        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"),
                // EqualFold catches "local", and Go cannot load it either
                Arguments.of(
                        "local",
                        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones;"
                                + " unknown time zone local"),
                Arguments.of("+01:00", "unknown time zone +01:00"),
                Arguments.of("UTC+01:00", "unknown time zone UTC+01:00"),
                // passes the character rule but is not a tz database name (ZoneId.of would accept it)
                Arguments.of("GMT+1", "unknown time zone GMT+1"),
                Arguments.of("Europe/Berlinn", "unknown time zone Europe/Berlinn"),
                Arguments.of("europe/berlin", "unknown time zone europe/berlin"),
                Arguments.of("Europe//Berlin", "unknown time zone Europe//Berlin"),
                Arguments.of("/Europe/Berlin", "unknown time zone /Europe/Berlin"),
                Arguments.of("Europe/Berlin/", "unknown time zone Europe/Berlin/"),
                Arguments.of("Europe/Berlin ", "unknown time zone Europe/Berlin "),
                Arguments.of("../etc/passwd", "unknown time zone ../etc/passwd"),
                Arguments.of("-Europe/Berlin", "unknown time zone -Europe/Berlin"),
                Arguments.of("America/FifteenCharacters", "unknown time zone America/FifteenCharacters"),
                // allowed characters, but Go refuses any ".." in a location name
                Arguments.of("Europe/Ber..lin", "time: invalid location name"),
                // in the JDK's list but not in Go's copy of the database
                Arguments.of("SystemV/EST5", "unknown time zone SystemV/EST5"));
    }

    @ParameterizedTest
    @MethodSource("rejectedTimeZones")
    void rejectsTimeZonesWithTheServersDetail(String timeZone, String detail) {
        assertThat(CronSchedules.timeZoneError(timeZone)).contains(detail);
    }

    @Test
    void zoneIdMapsGoOnlyNamesToZonesWithTheSameRules() {
        assertThat(CronSchedules.zoneId("EST").getRules().getOffset(Instant.parse("2024-07-01T00:00:00Z")))
                .isEqualTo(ZoneOffset.ofHours(-5));
        assertThat(CronSchedules.zoneId("Europe/Berlin")).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void zoneIdRejectsWhatTheServerRejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CronSchedules.zoneId("+01:00"))
                .withMessage("unknown time zone +01:00");
    }

    @Test
    void nextRunsParsesAndEvaluatesInTheGivenZone() {
        assertThat(
                        CronSchedules.nextRuns(
                                        "0 3 * * *",
                                        ZoneId.of("Europe/Berlin"),
                                        Instant.parse("2024-01-01T00:00:00Z"),
                                        2)
                                .stream()
                                .map(t -> t.toOffsetDateTime().toString()))
                .containsExactly("2024-01-01T03:00+01:00", "2024-01-02T03:00+01:00");
    }

    @Test
    void nextRunsRejectsAnInvalidSchedule() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CronSchedules.nextRuns("61 * * * *", ZoneOffset.UTC, Instant.EPOCH, 1))
                .withMessage("end of range (61) above maximum (59): 61");
    }
}
