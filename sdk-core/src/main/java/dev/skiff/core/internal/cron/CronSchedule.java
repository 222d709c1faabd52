package dev.skiff.core.internal.cron;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed CronJob schedule that computes fire times exactly as the Kubernetes CronJob controller
 * does.
 *
 * <p>The controller parses {@code spec.schedule} with github.com/robfig/cron/v3 {@code
 * ParseStandard} (prefixed with {@code TZ=<spec.timeZone>} when a time zone is set) and asks
 * {@code Schedule.Next(t)} for each fire time. This class reproduces both, including the details
 * where robfig differs from other cron implementations:
 *
 * <h2>Syntax</h2>
 *
 * Five fields (minute, hour, day of month, month, day of week) of comma-separated items {@code
 * *}, {@code ?}, {@code n}, {@code a-b}, each with an optional {@code /step}; {@code n/step} means
 * {@code n-max/step}. Months and weekdays take case-insensitive names ({@code JAN}, {@code mon}).
 * Weekdays are {@code 0-6}, Sunday is 0 ({@code 7} is rejected). Descriptors {@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code
 * @hourly}, and {@code @every <Go duration>} (accepted by the API server, though undocumented).
 *
 * <h2>Day of month and day of week</h2>
 *
 * If either day field was written with a star ({@code *} or {@code ?}, with no step above 1), a
 * day must match both; otherwise a day matches if it matches either. So {@code 0 0 13 * 5} runs
 * on every 13th and every Friday, and {@code 0 0 *}{@code /2 * 1} on odd days and on Mondays,
 * because {@code *}{@code /2} does not count as a star.
 *
 * <h2>Daylight saving time</h2>
 *
 * Fire times are found by walking wall-clock fields in the zone the way robfig does, so a
 * wall-clock time skipped by a spring-forward transition does not fire that day (02:30 daily in
 * Europe/Berlin skips the last Sunday of March), and one repeated by a fall-back transition fires
 * twice (01:30 daily in America/New_York runs at 01:30 EDT and again at 01:30 EST on the first
 * Sunday of November). {@code @every} ignores the zone.
 *
 * <h2>Impossible schedules</h2>
 *
 * Like robfig, the search gives up after five years: {@link #next} returns empty for {@code 0 0
 * 30 2 *}, and for {@code 0 0 29 2 *} when the next 29 February is more than five years ahead.
 *
 * <p>Instances are immutable and thread-safe; {@link #next} takes microseconds.
 */
public final class CronSchedule {
    private static final long NONE = Long.MIN_VALUE;
    private static final long VALUES = ~ScheduleParser.STAR;

    private final String expression;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    /** Seconds between runs for {@code @every}, else 0. */
    private final long everySeconds;

    private CronSchedule(
            String expression,
            long minutes,
            long hours,
            long daysOfMonth,
            long months,
            long daysOfWeek,
            long everySeconds) {
        this.expression = expression;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.everySeconds = everySeconds;
    }

    static CronSchedule ofFields(
            String expression, long minutes, long hours, long daysOfMonth, long months, long daysOfWeek) {
        return new CronSchedule(expression, minutes, hours, daysOfMonth, months, daysOfWeek, 0);
    }

    static CronSchedule ofEvery(String expression, long everySeconds) {
        return new CronSchedule(expression, 0, 0, 0, 0, 0, everySeconds);
    }

    /**
     * Parses a CronJob {@code spec.schedule}, accepting exactly what the Kubernetes API server
     * accepts.
     *
     * <pre>{@code
     * CronSchedule nightly = CronSchedule.parse("30 2 * * *");
     * }</pre>
     *
     * @throws IllegalArgumentException if the API server would reject {@code schedule}; the message
     *     is the server's detail, e.g. {@code end of range (61) above maximum (59): 61}
     */
    public static CronSchedule parse(String schedule) {
        Objects.requireNonNull(schedule, "schedule");
        List<String> errors = new ArrayList<>(2);
        CronSchedule parsed = CronSchedules.validate(schedule, errors);
        if (parsed == null || !errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return parsed;
    }

    /** Returns the schedule as written. */
    public String expression() {
        return expression;
    }

    /**
     * Returns the first fire time strictly after {@code after}, in {@code after}'s zone, or empty
     * if there is none within the five years the controller searches.
     */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        Objects.requireNonNull(after, "after");
        long next = nextEpochSecond(after.toInstant(), after.getZone().getRules());
        return next == NONE
                ? Optional.empty()
                : Optional.of(ZonedDateTime.ofInstant(Instant.ofEpochSecond(next), after.getZone()));
    }

    /**
     * Returns up to {@code n} consecutive fire times strictly after {@code from}, in {@code zone};
     * fewer if the schedule stops firing (see "Impossible schedules" above).
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public List<ZonedDateTime> nextRuns(ZoneId zone, Instant from, int n) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(from, "from");
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, but was " + n);
        }
        ZoneRules rules = zone.getRules();
        List<ZonedDateTime> runs = new ArrayList<>(Math.min(n, 1024));
        Instant t = from;
        while (runs.size() < n) {
            long next = nextEpochSecond(t, rules);
            if (next == NONE) {
                break;
            }
            t = Instant.ofEpochSecond(next);
            runs.add(ZonedDateTime.ofInstant(t, zone));
        }
        return runs;
    }

    /** robfig's {@code SpecSchedule.Next} (or {@code ConstantDelaySchedule.Next}), step by step. */
    private long nextEpochSecond(Instant from, ZoneRules rules) {
        // Start at the next whole second: t.Add(1s - t.Nanosecond()).
        long t = from.getEpochSecond() + 1;
        if (everySeconds > 0) {
            return from.getEpochSecond() + everySeconds;
        }
        if (neverFires()) {
            return NONE; // robfig would search five years and give up; the answer is the same
        }
        boolean added = false;
        Wall w = Wall.of(t, rules);
        int yearLimit = w.year + 5;

        wrap:
        while (true) {
            w = Wall.of(t, rules);
            if (w.year > yearLimit) {
                return NONE;
            }
            while ((months & (1L << w.month)) == 0) {
                if (!added) {
                    added = true;
                    t = goDate(w.year, w.month, 1, 0, 0, 0, rules);
                    w = Wall.of(t, rules);
                }
                t = goDate(w.year, w.month + 1, w.day, w.hour, w.minute, w.second, rules); // AddDate(0, 1, 0)
                w = Wall.of(t, rules);
                if (w.month == 1) {
                    continue wrap;
                }
            }
            while (!dayMatches(w)) {
                if (!added) {
                    added = true;
                    t = goDate(w.year, w.month, w.day, 0, 0, 0, rules);
                    w = Wall.of(t, rules);
                }
                t = goDate(w.year, w.month, w.day + 1, w.hour, w.minute, w.second, rules); // AddDate(0, 0, 1)
                w = Wall.of(t, rules);
                // Midnight may not exist (DST at 00:00): robfig nudges back to the hour boundary.
                if (w.hour != 0) {
                    t += w.hour > 12 ? (24 - w.hour) * 3600L : -w.hour * 3600L;
                    w = Wall.of(t, rules);
                }
                if (w.day == 1) {
                    continue wrap;
                }
            }
            while ((hours & (1L << w.hour)) == 0) {
                if (!added) {
                    added = true;
                    t = goDate(w.year, w.month, w.day, w.hour, 0, 0, rules);
                }
                t += 3600; // elapsed time, not wall clock: an hour skipped by DST never shows up
                w = Wall.of(t, rules);
                if (w.hour == 0) {
                    continue wrap;
                }
            }
            while ((minutes & (1L << w.minute)) == 0) {
                if (!added) {
                    added = true;
                    t = Math.floorDiv(t, 60) * 60; // Truncate(time.Minute) works on absolute time
                }
                t += 60;
                w = Wall.of(t, rules);
                if (w.minute == 0) {
                    continue wrap;
                }
            }
            // The standard parser fixes the seconds field to 0.
            if (w.second != 0) {
                added = true;
                do {
                    t += 1;
                    w = Wall.of(t, rules);
                } while (w.second != 0);
                continue wrap;
            }
            return t;
        }
    }

    /** True if a field matches no value at all (possible with an empty list such as {@code ","}). */
    private boolean neverFires() {
        boolean anyDay = (daysOfMonth & ScheduleParser.STAR) != 0 || (daysOfWeek & ScheduleParser.STAR) != 0
                ? (daysOfMonth & VALUES) != 0 && (daysOfWeek & VALUES) != 0
                : (daysOfMonth & VALUES) != 0 || (daysOfWeek & VALUES) != 0;
        return (minutes & VALUES) == 0 || (hours & VALUES) == 0 || (months & VALUES) == 0 || !anyDay;
    }

    private boolean dayMatches(Wall w) {
        boolean domMatch = (daysOfMonth & (1L << w.day)) != 0;
        boolean dowMatch = (daysOfWeek & (1L << w.weekday)) != 0;
        if ((daysOfMonth & ScheduleParser.STAR) != 0 || (daysOfWeek & ScheduleParser.STAR) != 0) {
            return domMatch && dowMatch;
        }
        return domMatch || dowMatch;
    }

    /**
     * Go's {@code time.Date(year, month, day, hour, minute, second, 0, loc)}: fields may overflow
     * (month 13, day 32), and a wall time that is skipped or repeated by a transition resolves the
     * way Go resolves it, which is not always what {@link ZonedDateTime#of} picks. Go takes the
     * offset in force at the wall time read as UTC, and if the resulting instant lies outside that
     * offset's period, the offset in force at that instant instead.
     */
    static long goDate(int year, int month, int day, int hour, int minute, int second, ZoneRules rules) {
        int monthIndex = month - 1;
        int normalizedYear = year + Math.floorDiv(monthIndex, 12);
        int normalizedMonth = Math.floorMod(monthIndex, 12) + 1;
        long epochDay = LocalDate.of(normalizedYear, normalizedMonth, 1).toEpochDay() + day - 1;
        long wallAsUtc = epochDay * 86_400 + hour * 3600L + minute * 60L + second;
        int guess = offsetSeconds(wallAsUtc, rules);
        return wallAsUtc - offsetSeconds(wallAsUtc - guess, rules);
    }

    private static int offsetSeconds(long epochSecond, ZoneRules rules) {
        return rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    }

    /** Wall-clock fields of an instant in a zone; weekday 0 is Sunday. */
    private static final class Wall {
        final int year;
        final int month;
        final int day;
        final int hour;
        final int minute;
        final int second;
        final int weekday;

        private Wall(long epochSecond, int offset) {
            long local = epochSecond + offset;
            long epochDay = Math.floorDiv(local, 86_400);
            int secondOfDay = (int) Math.floorMod(local, 86_400);
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            this.year = date.getYear();
            this.month = date.getMonthValue();
            this.day = date.getDayOfMonth();
            this.hour = secondOfDay / 3600;
            this.minute = secondOfDay / 60 % 60;
            this.second = secondOfDay % 60;
            this.weekday = date.getDayOfWeek().getValue() % 7;
        }

        static Wall of(long epochSecond, ZoneRules rules) {
            return new Wall(epochSecond, offsetSeconds(epochSecond, rules));
        }
    }

    /** Equal if the expressions are equal. */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof CronSchedule && ((CronSchedule) other).expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    /** Returns the expression. */
    @Override
    public String toString() {
        return expression;
    }
}
