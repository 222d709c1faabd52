package dev.skiff.testing.internal.job;

import java.util.Objects;

/**
 * An event the Job controller records on the Job, with the type, reason and message the real
 * controller uses (for example {@code Normal SuccessfulCreate "Created pod: train-x7k2p"}).
 *
 * @param type {@code Normal} or {@code Warning}
 * @param reason the machine-readable reason, such as {@code BackoffLimitExceeded}
 * @param message the human-readable message
 */
public record JobEvent(String type, String reason, String message) {

    /** The {@code Normal} event type. */
    public static final String NORMAL = "Normal";

    /** The {@code Warning} event type. */
    public static final String WARNING = "Warning";

    /** Checks that no component is null. */
    public JobEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static JobEvent normal(String reason, String message) {
        return new JobEvent(NORMAL, reason, message);
    }

    static JobEvent warning(String reason, String message) {
        return new JobEvent(WARNING, reason, message);
    }
}
