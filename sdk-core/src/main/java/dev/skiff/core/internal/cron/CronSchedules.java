package dev.skiff.core.internal.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Kubernetes-compatible CronJob schedules and time zones: what the API server accepts in {@code
 * spec.schedule} and {@code spec.timeZone}, and when the CronJob controller fires.
 *
 * <h2>Error messages</h2>
 *
 * The server reports {@code spec.schedule: Invalid value: "<schedule>": <detail>}; the methods here
 * return the {@code <detail>}. Where the server reports several errors for one field, their details
 * are joined with {@code "; "}.
 *
 * <p>Stateless and thread-safe. See {@link CronSchedule} for the exact semantics.
 */
public final class CronSchedules {
    /** The detail the API server reports for a schedule containing {@code TZ}. */
    public static final String TZ_IN_SCHEDULE = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";

    private CronSchedules() {}

    /**
     * Returns why the API server would reject {@code schedule} as a CronJob's {@code spec.schedule},
     * or empty if it would accept it.
     *
     * <pre>{@code
     * CronSchedules.scheduleError("61 * * * *");
     * // Optional[end of range (61) above maximum (59): 61]
     * }</pre>
     *
     * <p>Besides robfig's {@code ParseStandard} errors, any schedule containing {@code TZ} (such as
     * {@code TZ=UTC 0 * * * *} or {@code CRON_TZ=...}) is rejected with {@link #TZ_IN_SCHEDULE}.
     * An empty schedule gives {@code Required value}.
     */
    public static Optional<String> scheduleError(String schedule) {
        Objects.requireNonNull(schedule, "schedule");
        List<String> errors = new ArrayList<>(2);
        validate(schedule, errors);
        return errors.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", errors));
    }

    /**
     * Collects the server's details for {@code schedule} into {@code errors} and returns the parsed
     * schedule, or {@code null} if it does not parse.
     */
    static @Nullable CronSchedule validate(String schedule, List<String> errors) {
        if (schedule.isEmpty()) {
            errors.add("Required value");
            return null;
        }
        CronSchedule parsed = null;
        try {
            parsed = ScheduleParser.parseStandard(schedule);
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
        }
        if (schedule.contains("TZ")) {
            errors.add(TZ_IN_SCHEDULE);
        }
        return parsed;
    }

    /**
     * Returns why the API server would reject {@code timeZone} as a CronJob's {@code
     * spec.timeZone}, or empty if it would accept it.
     *
     * <p>Accepted are IANA names Go's {@code time.LoadLocation} loads, such as {@code
     * Europe/Berlin}, {@code UTC} or {@code Etc/GMT+1}. Rejected are the empty string ({@code
     * timeZone must be nil or non-empty string}), {@code Local} in any case ({@code timeZone must be
     * an explicit time zone as defined in https://www.iana.org/time-zones}), and names with a path
     * component outside {@code [A-Za-z.-_0-9+]{1,14}}, starting with {@code -}, or equal to {@code .}
     * or {@code ..}, and unknown names (both {@code unknown time zone <name>}); so offsets like
     * {@code +01:00} are rejected too. Whether a name exists is judged against the JDK's copy of the
     * IANA database, which may be a release older or newer than the server's.
     */
    public static Optional<String> timeZoneError(String timeZone) {
        Objects.requireNonNull(timeZone, "timeZone");
        List<String> errors = GoZones.timeZoneErrors(timeZone);
        return errors.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", errors));
    }

    /**
     * Returns the JDK zone with the rules the controller uses for a valid {@code spec.timeZone}; some
     * names Go loads, such as {@code EST}, are not {@link ZoneId#of(String)} names.
     *
     * @throws IllegalArgumentException if {@link #timeZoneError} reports an error, with its message
     */
    public static ZoneId zoneId(String timeZone) {
        Optional<String> error = timeZoneError(timeZone);
        if (error.isPresent()) {
            throw new IllegalArgumentException(error.get());
        }
        return GoZones.zoneId(timeZone);
    }

    /**
     * Returns the next {@code n} times {@code schedule} fires strictly after {@code from}, in {@code
     * zone}, as the CronJob controller computes them; fewer if the schedule stops firing.
     *
     * <pre>{@code
     * CronSchedules.nextRuns("0 3 * * *", ZoneId.of("Europe/Berlin"), Instant.parse("2024-01-01T00:00:00Z"), 2);
     * // [2024-01-01T03:00+01:00[Europe/Berlin], 2024-01-02T03:00+01:00[Europe/Berlin]]
     * }</pre>
     *
     * @throws IllegalArgumentException if the API server would reject {@code schedule}, or {@code n}
     *     is negative
     */
    public static List<ZonedDateTime> nextRuns(String schedule, ZoneId zone, Instant from, int n) {
        return CronSchedule.parse(schedule).nextRuns(zone, from, n);
    }
}
