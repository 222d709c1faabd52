package dev.skiff.testing.internal.apps;

import java.util.Objects;

/**
 * An event a workload controller records on its object, with the type, reason and message the real
 * controller uses (for example {@code Normal SuccessfulCreate "Created pod: web-5d8f7-x7k2p"}).
 *
 * @param type {@code Normal} or {@code Warning}
 * @param reason the machine-readable reason, such as {@code ScalingReplicaSet}
 * @param message the human-readable message
 */
public record AppsEvent(String type, String reason, String message) {

    /** The {@code Normal} event type. */
    public static final String NORMAL = "Normal";

    /** Checks that no component is null. */
    public AppsEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static AppsEvent normal(String reason, String message) {
        return new AppsEvent(NORMAL, reason, message);
    }
}
