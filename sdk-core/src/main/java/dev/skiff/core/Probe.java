package dev.skiff.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A health check of a container: an HTTP GET, a TCP connect or a command.
 *
 * <pre>{@code
 * Probe.http("/api", 8888).withPeriod(Duration.ofSeconds(5));
 * Probe.tcp(6006);
 * Probe.exec("cat", "/tmp/ready");
 * }</pre>
 */
@Value.Immutable
public abstract class Probe {
    Probe() {}

    /** How the probe checks. */
    public enum Type {
        /** An HTTP GET; 2xx and 3xx succeed. */
        HTTP,
        /** A TCP connect. */
        TCP,
        /** A command in the container; exit code 0 succeeds. */
        EXEC
    }

    /** Returns how the probe checks. */
    public abstract Type type();

    /** Returns the HTTP path, for {@link Type#HTTP}. */
    public abstract Optional<String> path();

    /** Returns the port, for {@link Type#HTTP} and {@link Type#TCP}. */
    public abstract OptionalInt port();

    /** Returns the command, for {@link Type#EXEC}. */
    public abstract List<String> command();

    /** Returns the delay before the first check. */
    public abstract Optional<Duration> initialDelay();

    /** Returns the time between checks. */
    public abstract Optional<Duration> period();

    /** Returns the time after which one check counts as failed. */
    public abstract Optional<Duration> timeout();

    /** Returns how many consecutive failures make the probe fail. */
    public abstract OptionalInt failureThreshold();

    /**
     * An HTTP GET probe.
     *
     * @param path the request path, such as {@code /healthz}
     * @param port the container port
     * @return the probe
     */
    public static Probe http(String path, int port) {
        return ImmutableProbe.builder().type(Type.HTTP).path(path).port(port).build();
    }

    /**
     * A TCP connect probe.
     *
     * @param port the container port
     * @return the probe
     */
    public static Probe tcp(int port) {
        return ImmutableProbe.builder().type(Type.TCP).port(port).build();
    }

    /**
     * A command probe.
     *
     * @param command the command and its arguments
     * @return the probe
     */
    public static Probe exec(String... command) {
        return ImmutableProbe.builder().type(Type.EXEC).addCommand(command).build();
    }

    /**
     * Returns a copy that waits {@code delay} before the first check.
     *
     * @param delay the delay, in whole seconds
     * @return the copy
     */
    public Probe withInitialDelay(Duration delay) {
        return ImmutableProbe.builder().from(this).initialDelay(delay).build();
    }

    /**
     * Returns a copy that checks every {@code period}.
     *
     * @param period the period, in whole seconds
     * @return the copy
     */
    public Probe withPeriod(Duration period) {
        return ImmutableProbe.builder().from(this).period(period).build();
    }

    /**
     * Returns a copy whose single check times out after {@code timeout}.
     *
     * @param timeout the timeout, in whole seconds
     * @return the copy
     */
    public Probe withTimeout(Duration timeout) {
        return ImmutableProbe.builder().from(this).timeout(timeout).build();
    }

    /**
     * Returns a copy that fails after {@code threshold} consecutive failed checks.
     *
     * @param threshold at least 1
     * @return the copy
     */
    public Probe withFailureThreshold(int threshold) {
        return ImmutableProbe.builder().from(this).failureThreshold(threshold).build();
    }
}
