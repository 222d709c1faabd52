package dev.skiff.core.internal.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/** Kubernetes-compatible cron schedules. Placeholder: being written. */
public final class CronSchedules {
    private CronSchedules() {}

    /** Returns why {@code schedule} is not a valid CronJob schedule, or empty if it is valid. */
    public static Optional<String> scheduleError(String schedule) {
        return Optional.empty();
    }

    /** Returns why {@code timeZone} is not a valid CronJob time zone, or empty if it is valid. */
    public static Optional<String> timeZoneError(String timeZone) {
        return Optional.empty();
    }

    /** Returns the next {@code n} times {@code schedule} fires strictly after {@code from}, in {@code zone}. */
    public static List<ZonedDateTime> nextRuns(String schedule, ZoneId zone, Instant from, int n) {
        throw new UnsupportedOperationException("not yet");
    }
}
