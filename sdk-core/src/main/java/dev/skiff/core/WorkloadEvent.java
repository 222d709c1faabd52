package dev.skiff.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes event about a workload or one of its pods, as {@link JobHandle#events()} lists them.
 *
 * @param time when it last happened, if known
 * @param type {@code Normal} or {@code Warning}
 * @param reason the machine-readable reason, such as {@code FailedScheduling} or {@code Completed}
 * @param message the message
 * @param objectKind the kind of the object it is about, such as {@code Pod}
 * @param objectName the name of the object it is about
 * @param count how many times it happened
 */
public record WorkloadEvent(
        Optional<Instant> time,
        String type,
        String reason,
        String message,
        String objectKind,
        String objectName,
        int count) {
    /** Checks the arguments. */
    public WorkloadEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(objectKind, "objectKind");
        Objects.requireNonNull(objectName, "objectName");
    }

    /** Returns whether it is a {@code Warning}. */
    public boolean isWarning() {
        return "Warning".equals(type);
    }

    /** Returns one line such as {@code Warning FailedScheduling pod/train-0-x: 0/3 nodes are available: ...}. */
    public String summary() {
        return type + " " + reason + " " + objectKind.toLowerCase(java.util.Locale.ROOT) + "/" + objectName + ": "
                + message + (count > 1 ? " (x" + count + ")" : "");
    }
}
