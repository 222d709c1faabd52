package dev.skiff.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How a {@link Skiff} client connects and behaves. Every setting has a sane default, so {@code
 * SkiffConfig.defaults()} is what {@link Skiff#connect()} uses.
 *
 * <pre>{@code
 * SkiffConfig config = SkiffConfig.builder()
 *     .namespace("ml")
 *     .putDefaultLabel("team", "vision")
 *     .retry(RetryPolicy.exponential(8, Duration.ofMillis(100), Duration.ofSeconds(5)))
 *     .rateLimit(RateLimit.perSecond(200))
 *     .stuckJobPolicy(StuckJobPolicy.failAfter(Duration.ofMinutes(10)))
 *     .build();
 * try (Skiff skiff = Skiff.connect(config)) {
 *     // ...
 * }
 * }</pre>
 */
@Value.Immutable
@SkiffStyle
public abstract class SkiffConfig {
    SkiffConfig() {}

    /** Returns the namespace of workloads that name none; empty uses the kubeconfig's, else {@code default}. */
    public abstract Optional<String> namespace();

    /** Returns the kubeconfig file to read; empty finds it as {@code kubectl} does. */
    public abstract Optional<Path> kubeconfig();

    /** Returns the kubeconfig context to use; empty uses the current one. */
    public abstract Optional<String> context();

    /** Returns how failed requests are retried. */
    @Value.Default
    public RetryPolicy retry() {
        return RetryPolicy.defaults();
    }

    /** Returns the client-side request rate limit. */
    @Value.Default
    public RateLimit rateLimit() {
        return RateLimit.defaults();
    }

    /** Returns when calls stop being sent to a failing API server. */
    @Value.Default
    public CircuitBreakerPolicy circuitBreaker() {
        return CircuitBreakerPolicy.defaults();
    }

    /** Returns what an await does about a job that cannot make progress. */
    @Value.Default
    public StuckJobPolicy stuckJobPolicy() {
        return StuckJobPolicy.defaults();
    }

    /** Returns labels added to every workload submitted, unless the workload sets the same key. */
    public abstract Map<String, String> defaultLabels();

    /** Returns the timeout of one request to the API server. */
    @Value.Default
    public Duration requestTimeout() {
        return Duration.ofSeconds(30);
    }

    /** Returns how many submissions {@link Skiff#submitAll} and {@link Skiff#submitAsync} run at once. */
    @Value.Default
    public int submitConcurrency() {
        return 16;
    }

    /** Returns how many last log lines of each failed container an {@link Outcome.Failed} carries. */
    @Value.Default
    public int logTailLines() {
        return 20;
    }

    /** Returns how long a namespace's watch stays open after the last workload in it stopped being followed. */
    @Value.Default
    public Duration followIdleTimeout() {
        return Duration.ofSeconds(5);
    }

    /** Returns whether the server version is read once and fields it is too old for are refused before sending. */
    @Value.Default
    public boolean checkServerVersion() {
        return true;
    }

    /**
     * Returns the listeners that receive the client's {@link SkiffEvent}s: submissions, refusals,
     * retries, circuit changes and the life of submitted batch jobs. Without any, the client does no
     * work to produce events.
     *
     * <p>Skiff's Micrometer metrics are one such listener. Micrometer is an optional dependency:
     * Skiff loads none of its classes unless you call {@link MicrometerMetrics#bind}.
     *
     * <pre>{@code
     * MeterRegistry registry = new SimpleMeterRegistry();
     * SkiffConfig config = SkiffConfig.builder()
     *     .addListener(MicrometerMetrics.bind(registry))
     *     .addListener(event -> log.info("skiff: {}", event))
     *     .build();
     * }</pre>
     */
    public abstract List<SkiffListener> listeners();

    @Value.Check
    void check() {
        if (submitConcurrency() < 1) {
            throw new IllegalArgumentException("submitConcurrency: " + submitConcurrency() + ": must be at least 1");
        }
        if (logTailLines() < 0) {
            throw new IllegalArgumentException("logTailLines: " + logTailLines() + ": must be zero or more");
        }
        if (requestTimeout().isNegative() || requestTimeout().isZero()) {
            throw new IllegalArgumentException("requestTimeout: " + requestTimeout() + ": must be positive");
        }
        if (followIdleTimeout().isNegative()) {
            throw new IllegalArgumentException(
                    "followIdleTimeout: " + followIdleTimeout() + ": must be zero or positive");
        }
        namespace().ifPresent(ns -> {
            if (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || ns.length() > 63) {
                throw new IllegalArgumentException("namespace: \"" + ns
                        + "\": must be a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters)");
            }
        });
    }

    /** Returns the configuration with every default. */
    public static SkiffConfig defaults() {
        return builder().build();
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised from this configuration. */
    public Builder toBuilder() {
        return builder().from(this);
    }

    /** Builds a {@link SkiffConfig}. */
    public static final class Builder extends ImmutableSkiffConfig.Builder {
        Builder() {}
    }
}
