package dev.skiff.testing.internal.cronjob;

import java.util.Objects;

/**
 * An event the CronJob controller records on the CronJob it reconciles.
 *
 * @param type {@link #NORMAL} or {@link #WARNING}
 * @param reason the controller's reason, such as {@code SuccessfulCreate}
 * @param message the controller's message, such as {@code Created job nightly-28512345}
 */
public record CronJobEvent(String type, String reason, String message) {
    /** The {@code Normal} event type. */
    public static final String NORMAL = "Normal";

    /** The {@code Warning} event type. */
    public static final String WARNING = "Warning";

    /** Checks that no component is null. */
    public CronJobEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static CronJobEvent normal(String reason, String message) {
        return new CronJobEvent(NORMAL, reason, message);
    }

    static CronJobEvent warning(String reason, String message) {
        return new CronJobEvent(WARNING, reason, message);
    }
}
