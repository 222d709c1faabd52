package dev.skiff.testing.internal.controllers;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Parses Go's duration syntax ({@code 1h30m}, {@code 10s}, {@code 500ms}), as kwok's annotations use it. */
final class GoDuration {
    private GoDuration() {}

    static Duration parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        String s = text.trim();
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            double value = Double.parseDouble(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            long nanos = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default ->
                    throw new IllegalArgumentException(
                            "time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            };
            total = total.plusNanos((long) (value * nanos));
        }
        return total;
    }
}
