package dev.skiff.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a scheduled job's CronJob, as {@link ScheduleHandle#status()} reports it.
 *
 * @param schedule the cron schedule
 * @param timeZone the IANA time zone, if set (else the controller's, usually UTC)
 * @param suspended whether runs are suspended
 * @param lastScheduleTime when a run was last scheduled
 * @param lastSuccessfulTime when a run last succeeded
 * @param active the names of the runs going on now
 */
public record ScheduleStatus(
        String schedule,
        Optional<String> timeZone,
        boolean suspended,
        Optional<Instant> lastScheduleTime,
        Optional<Instant> lastSuccessfulTime,
        List<String> active) {
    /** Checks and copies the arguments. */
    public ScheduleStatus {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(lastScheduleTime, "lastScheduleTime");
        Objects.requireNonNull(lastSuccessfulTime, "lastSuccessfulTime");
        active = List.copyOf(active);
    }
}
