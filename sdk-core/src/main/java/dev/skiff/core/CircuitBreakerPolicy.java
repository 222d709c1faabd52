package dev.skiff.core;

import java.time.Duration;

/**
 * When Skiff stops calling an API server that keeps failing. Over the last {@code window} calls,
 * once at least {@code minimumCalls} were made, if {@code failureRatePercent} of them failed
 * (after their retries) with {@code 5xx}, {@code 429} or I/O errors, the circuit opens: calls fail
 * at once with a {@link ClusterUnavailableException} for {@code openFor}, then a few trial calls
 * are let through and the circuit closes again if they succeed. Refusals such as validation
 * errors do not count as failures.
 *
 * <pre>{@code
 * SkiffConfig config = SkiffConfig.builder()
 *     .circuitBreaker(new CircuitBreakerPolicy(50, 20, 10, Duration.ofSeconds(10)))
 *     .build();
 * }</pre>
 *
 * @param failureRatePercent the failure rate, in percent (1 to 100), that opens the circuit
 * @param window how many recent calls the rate is computed over
 * @param minimumCalls how many calls are needed before the rate counts
 * @param openFor how long the circuit stays open before trial calls
 */
public record CircuitBreakerPolicy(int failureRatePercent, int window, int minimumCalls, Duration openFor) {
    /** Checks the arguments. */
    public CircuitBreakerPolicy {
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException(
                    "failureRatePercent: " + failureRatePercent + ": must be between 1 and 100");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window: " + window + ": must be at least 1");
        }
        if (minimumCalls < 1 || minimumCalls > window) {
            throw new IllegalArgumentException(
                    "minimumCalls: " + minimumCalls + ": must be between 1 and window (" + window + ")");
        }
        if (openFor == null || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("openFor: " + openFor + ": must be positive");
        }
    }

    /** The default: opens at 50% failures over the last 20 calls (10 at least), for 5 seconds. */
    public static CircuitBreakerPolicy defaults() {
        return new CircuitBreakerPolicy(50, 20, 10, Duration.ofSeconds(5));
    }
}
