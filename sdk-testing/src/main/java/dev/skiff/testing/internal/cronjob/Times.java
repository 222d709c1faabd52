package dev.skiff.testing.internal.cronjob;

import dev.skiff.testing.internal.common.KubeTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Kubernetes timestamps as the CronJob controller reads and writes them. */
final class Times {
    /** Go's zero {@code time.Time}, the value of an unset {@code metav1.Time}. */
    static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");

    /** Go's {@code time.RFC3339}: seconds, and {@code Z} for a zero offset. */
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

    /** Go's {@code time.RFC1123Z}. */
    private static final DateTimeFormatter RFC1123Z =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss Z", Locale.ROOT);

    private Times() {}

    /** Parses a {@code metav1.Time}; null if absent or not RFC 3339. */
    static @Nullable Instant parse(@Nullable String value) {
        return KubeTime.parse(value);
    }

    /** Formats a {@code metav1.Time} as the API server stores it: UTC, whole seconds. */
    static String format(Instant time) {
        return RFC3339.format(time.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /** Go's {@code t.In(zone).Format(time.RFC3339)}. */
    static String rfc3339(Instant time, ZoneId zone) {
        return RFC3339.format(time.atZone(zone));
    }

    /** Go's {@code t.UTC().Format(time.RFC1123Z)}. */
    static String rfc1123z(Instant time) {
        return RFC1123Z.format(time.atOffset(ZoneOffset.UTC));
    }
}
