package dev.skiff.testing.internal.cronjob;

import dev.skiff.core.internal.cron.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.jspecify.annotations.Nullable;

/**
 * A parsed schedule in the zone it fires in, with the controller's arithmetic on missed runs
 * ({@code mostRecentScheduleTime} in {@code pkg/controller/cronjob/utils.go}).
 */
final class Schedule {
    /** The controller counts more than this many missed runs as "many" and warns. */
    static final long MANY_MISSED = 100;

    static final String TOO_CLOSE = "time difference between two schedules is less than 1 second";

    /** Go's {@code time.Duration} holds about 292 years; the controller's deadline arithmetic cannot exceed it. */
    private static final long MAX_GO_DURATION_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    private final CronSchedule cron;
    private final ZoneId zone;

    Schedule(CronSchedule cron, ZoneId zone) {
        this.cron = cron;
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** robfig's {@code Schedule.Next}: the first fire time strictly after {@code t}; null if none within five years. */
    @Nullable
    Instant next(Instant t) {
        return cron.next(ZonedDateTime.ofInstant(t, zone))
                .map(ZonedDateTime::toInstant)
                .orElse(null);
    }

    enum Missed {
        NONE,
        FEW,
        MANY
    }

    /**
     * The result of {@code mostRecentScheduleTime}.
     *
     * @param earliest the last schedule time, the creation time, or the starting deadline, whichever
     *     counts
     * @param mostRecent the latest fire time not after now and after {@code earliest}, or null
     * @param missed how many fire times the controller estimates were missed
     * @param error the controller's error for a schedule whose fire times it cannot space, or null
     */
    record Recent(
            Instant earliest,
            @Nullable Instant mostRecent,
            Missed missed,
            @Nullable String error) {}

    /**
     * Finds the most recent fire time the controller would act on, with the controller's own
     * estimate of how many were missed: it spaces the first two fire times after {@code earliest},
     * divides the time since by that spacing, jumps ahead by that many spacings less two, and walks
     * forward from there. The estimate, not an exact count, decides {@link Missed#MANY}.
     */
    Recent mostRecent(
            @Nullable Instant creation,
            @Nullable Instant lastSchedule,
            @Nullable Long startingDeadlineSeconds,
            Instant now,
            boolean includeStartingDeadline) {
        Instant earliest = creation != null ? creation : Times.GO_ZERO;
        if (lastSchedule != null) {
            earliest = lastSchedule;
        }
        if (includeStartingDeadline && startingDeadlineSeconds != null) {
            long seconds =
                    Math.max(-MAX_GO_DURATION_SECONDS, Math.min(MAX_GO_DURATION_SECONDS, startingDeadlineSeconds));
            Instant schedulingDeadline = now.minusSeconds(seconds);
            if (schedulingDeadline.isAfter(earliest)) {
                earliest = schedulingDeadline;
            }
        }
        Instant t1 = next(earliest);
        Instant t2 = t1 == null ? null : next(t1);
        if (t1 != null && now.isBefore(t1)) {
            return new Recent(earliest, null, Missed.NONE, null);
        }
        if (t2 != null && now.isBefore(t2)) {
            return new Recent(earliest, t1, Missed.NONE, null);
        }
        if (t1 == null || t2 == null) {
            // Go compares against the zero time here, and the spacing comes out below one second.
            return new Recent(earliest, null, Missed.NONE, TOO_CLOSE);
        }
        long between = roundToSeconds(Duration.between(t1, t2));
        if (between < 1) {
            return new Recent(earliest, null, Missed.NONE, TOO_CLOSE);
        }
        long elapsed = Duration.between(t1, now).getSeconds();
        long missedCount = elapsed / between + 1;
        Instant potentialEarliest = t1.plusSeconds((missedCount - 2) * between);
        Instant mostRecent = null;
        for (Instant t = next(potentialEarliest); t != null && !t.isAfter(now); t = next(t)) {
            mostRecent = t;
        }
        Missed missed = missedCount > MANY_MISSED ? Missed.MANY : missedCount > 0 ? Missed.FEW : Missed.NONE;
        return new Recent(earliest, mostRecent, missed, null);
    }

    /** Go's {@code Duration.Round(time.Second)} in whole seconds: halves away from zero. */
    private static long roundToSeconds(Duration d) {
        long seconds = d.getSeconds();
        int nanos = d.getNano();
        return nanos >= 500_000_000 ? seconds + 1 : seconds;
    }
}
