package dev.skiff.core;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How one container of a failed job's pod ended, with the last lines it logged.
 *
 * <pre>{@code
 * if (outcome instanceof Outcome.Failed failed) {
 *     for (PodFailure f : failed.podFailures()) {
 *         System.err.println(f.pod() + " exited " + f.exitCode() + " (" + f.reason() + ")");
 *     }
 * }
 * }</pre>
 *
 * @param pod the pod's name
 * @param index the pod's completion index, for an indexed job
 * @param container the container's name
 * @param exitCode the exit code, such as {@code 137}
 * @param reason the termination reason, such as {@code OOMKilled} or {@code Error}, or the pod's
 *     reason (such as {@code Evicted} or {@code DeadlineExceeded}) when no container terminated
 * @param message the termination message, or empty
 * @param logTail the last lines the container logged (oldest first), or empty if unavailable
 */
public record PodFailure(
        String pod,
        OptionalInt index,
        String container,
        int exitCode,
        String reason,
        String message,
        List<String> logTail) {
    /** Checks and copies the arguments. */
    public PodFailure {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        logTail = List.copyOf(logTail);
    }

    /** Returns one line such as {@code pod train-2-x7k2p (index 2), container main: exit 137 (OOMKilled)}. */
    public String summary() {
        StringBuilder sb = new StringBuilder("pod ").append(pod);
        index.ifPresent(i -> sb.append(" (index ").append(i).append(')'));
        if (!container.isEmpty()) {
            sb.append(", container ").append(container);
        }
        sb.append(": exit ").append(exitCode);
        if (!reason.isEmpty()) {
            sb.append(" (").append(reason).append(')');
        }
        if (!message.isEmpty()) {
            sb.append(": ").append(message.strip());
        }
        return sb.toString();
    }
}
