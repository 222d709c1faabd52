package dev.skiff.testing.internal.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/** Kubernetes' {@code metav1.Time}: RFC 3339 in UTC with whole seconds. */
public final class KubeTime {
    private KubeTime() {}

    /** Parses a timestamp; null for null, empty or malformed text. */
    public static @Nullable Instant parse(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Formats an instant as Kubernetes stores it. */
    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The rank of a pod phase in the controllers' deletion order ({@code controller.ActivePods}):
     * Pending before Unknown before Running before the rest.
     */
    public static int phaseRank(@Nullable String phase) {
        if (phase == null) {
            return 3;
        }
        return switch (phase) {
            case "Pending" -> 0;
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 3;
        };
    }
}
