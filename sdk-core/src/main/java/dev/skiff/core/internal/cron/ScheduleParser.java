package dev.skiff.core.internal.cron;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses schedules the way Kubernetes' API server does: {@code cron.ParseStandard} of
 * github.com/robfig/cron/v3 (v3.0.1), with the same accepted syntax and the same error texts.
 *
 * <p>Each field becomes a 64-bit set with bit {@code v} set when value {@code v} matches, plus
 * {@link #STAR} when the field was written as {@code *} or {@code ?} (alone, or with step 1). The
 * star bit is what decides between "day-of-month AND day-of-week" and "either".
 *
 * <p>Stateless and thread-safe.
 */
final class ScheduleParser {
    /** Set in a field's bits when it was written with {@code *} or {@code ?} and no step above 1. */
    static final long STAR = 1L << 63;

    static final Bounds MINUTES = new Bounds(0, 59, Map.of());
    static final Bounds HOURS = new Bounds(0, 23, Map.of());
    static final Bounds DAYS_OF_MONTH = new Bounds(1, 31, Map.of());
    static final Bounds MONTHS = new Bounds(
            1,
            12,
            Map.ofEntries(
                    Map.entry("jan", 1),
                    Map.entry("feb", 2),
                    Map.entry("mar", 3),
                    Map.entry("apr", 4),
                    Map.entry("may", 5),
                    Map.entry("jun", 6),
                    Map.entry("jul", 7),
                    Map.entry("aug", 8),
                    Map.entry("sep", 9),
                    Map.entry("oct", 10),
                    Map.entry("nov", 11),
                    Map.entry("dec", 12)));
    static final Bounds DAYS_OF_WEEK =
            new Bounds(0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6));

    /** The inclusive range of a field and its names (lower case). */
    record Bounds(int min, int max, Map<String, Integer> names) {
        long all() {
            return bits(min, max, 1) | STAR;
        }

        long only(int value) {
            return 1L << value;
        }
    }

    private ScheduleParser() {}

    /**
     * Parses {@code spec} like robfig's {@code ParseStandard}.
     *
     * @return the schedule, or {@code null} where robfig would panic instead of answering (a
     *     {@code TZ=} prefix with no space after it; Kubernetes rejects such schedules for
     *     containing {@code TZ} anyway)
     * @throws IllegalArgumentException with robfig's error text
     */
    static @Nullable CronSchedule parseStandard(String spec) {
        String expression = spec;
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("empty spec string");
        }
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            int space = spec.indexOf(' ');
            if (space < 0) {
                return null;
            }
            String name = spec.substring(spec.indexOf('=') + 1, space);
            String error = GoZones.loadLocationError(name);
            if (error != null) {
                throw new IllegalArgumentException("provided bad location " + name + ": " + error);
            }
            spec = GoText.trimSpace(spec.substring(space));
        }
        if (spec.startsWith("@")) {
            return parseDescriptor(expression, spec);
        }
        List<String> fields = GoText.fields(spec);
        if (fields.size() != 5) {
            throw new IllegalArgumentException(
                    "expected exactly 5 fields, found " + fields.size() + ": [" + String.join(" ", fields) + "]");
        }
        return CronSchedule.ofFields(
                expression,
                field(fields.get(0), MINUTES),
                field(fields.get(1), HOURS),
                field(fields.get(2), DAYS_OF_MONTH),
                field(fields.get(3), MONTHS),
                field(fields.get(4), DAYS_OF_WEEK));
    }

    private static CronSchedule parseDescriptor(String expression, String descriptor) {
        switch (descriptor) {
            case "@yearly":
            case "@annually":
                return CronSchedule.ofFields(
                        expression,
                        MINUTES.only(0),
                        HOURS.only(0),
                        DAYS_OF_MONTH.only(1),
                        MONTHS.only(1),
                        DAYS_OF_WEEK.all());
            case "@monthly":
                return CronSchedule.ofFields(
                        expression,
                        MINUTES.only(0),
                        HOURS.only(0),
                        DAYS_OF_MONTH.only(1),
                        MONTHS.all(),
                        DAYS_OF_WEEK.all());
            case "@weekly":
                return CronSchedule.ofFields(
                        expression,
                        MINUTES.only(0),
                        HOURS.only(0),
                        DAYS_OF_MONTH.all(),
                        MONTHS.all(),
                        DAYS_OF_WEEK.only(0));
            case "@daily":
            case "@midnight":
                return CronSchedule.ofFields(
                        expression,
                        MINUTES.only(0),
                        HOURS.only(0),
                        DAYS_OF_MONTH.all(),
                        MONTHS.all(),
                        DAYS_OF_WEEK.all());
            case "@hourly":
                return CronSchedule.ofFields(
                        expression,
                        MINUTES.only(0),
                        HOURS.all(),
                        DAYS_OF_MONTH.all(),
                        MONTHS.all(),
                        DAYS_OF_WEEK.all());
            default:
                break;
        }
        String every = "@every ";
        if (descriptor.startsWith(every)) {
            long nanos;
            try {
                nanos = GoText.parseDurationNanos(descriptor.substring(every.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("failed to parse duration " + descriptor + ": " + e.getMessage(), e);
            }
            return CronSchedule.ofEvery(expression, GoText.everySeconds(nanos));
        }
        throw new IllegalArgumentException("unrecognized descriptor: " + descriptor);
    }

    /** A comma-separated list of ranges; empty list items are skipped, so {@code ","} matches nothing. */
    static long field(String field, Bounds bounds) {
        long bits = 0;
        for (String range : GoText.splitDroppingEmpty(field, ',')) {
            bits |= range(range, bounds);
        }
        return bits;
    }

    /** {@code number | number "-" number ["/" number]}, or {@code *}/{@code ?} with an optional step. */
    private static long range(String expr, Bounds bounds) {
        List<String> rangeAndStep = GoText.split(expr, '/');
        List<String> lowAndHigh = GoText.split(rangeAndStep.get(0), '-');
        boolean single = lowAndHigh.size() == 1;
        long start;
        long end;
        long extra = 0;
        String low = lowAndHigh.get(0);
        if (low.equals("*") || low.equals("?")) {
            // Like robfig, anything after "*-" is ignored: "*-5" means "*".
            start = bounds.min();
            end = bounds.max();
            extra = STAR;
        } else {
            start = intOrName(low, bounds.names());
            if (lowAndHigh.size() == 1) {
                end = start;
            } else if (lowAndHigh.size() == 2) {
                end = intOrName(lowAndHigh.get(1), bounds.names());
            } else {
                throw new IllegalArgumentException("too many hyphens: " + expr);
            }
        }
        long step;
        if (rangeAndStep.size() == 1) {
            step = 1;
        } else if (rangeAndStep.size() == 2) {
            step = nonNegativeInt(rangeAndStep.get(1));
            if (single) {
                end = bounds.max(); // "N/step" means "N-max/step"
            }
            if (step > 1) {
                extra = 0; // "*/2" restricts the field: no star bit
            }
        } else {
            throw new IllegalArgumentException("too many slashes: " + expr);
        }
        if (start < bounds.min()) {
            throw new IllegalArgumentException(
                    "beginning of range (" + start + ") below minimum (" + bounds.min() + "): " + expr);
        }
        if (end > bounds.max()) {
            throw new IllegalArgumentException(
                    "end of range (" + end + ") above maximum (" + bounds.max() + "): " + expr);
        }
        if (start > end) {
            throw new IllegalArgumentException(
                    "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
        }
        if (step == 0) {
            throw new IllegalArgumentException("step of range should be a positive number: " + expr);
        }
        return bits((int) start, (int) end, step) | extra;
    }

    private static long intOrName(String expr, Map<String, Integer> names) {
        Integer named = names.get(expr.toLowerCase(Locale.ROOT));
        return named != null ? named : nonNegativeInt(expr);
    }

    private static long nonNegativeInt(String expr) {
        long value;
        try {
            value = GoText.atoi(expr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failed to parse int from " + expr + ": " + e.getMessage(), e);
        }
        if (value < 0) {
            throw new IllegalArgumentException("negative number (" + value + ") not allowed: " + expr);
        }
        return value;
    }

    /** Bits {@code min, min+step, ...} up to {@code max}. */
    static long bits(int min, int max, long step) {
        long bits = 0;
        for (long i = min; i <= max; i += step) {
            bits |= 1L << i;
            if (step > max) {
                break; // also keeps i + step from overflowing
            }
        }
        return bits;
    }
}
