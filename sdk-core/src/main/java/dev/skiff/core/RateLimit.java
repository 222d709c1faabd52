package dev.skiff.core;

import java.time.Duration;

/**
 * The client-side limit on requests to the API server, shared by every thread using one {@link
 * Skiff}. Requests over the limit wait for a permit (at most {@link #maxWait}); the API server's
 * own priority and fairness still applies, and its {@code 429} answers are retried.
 *
 * <pre>{@code
 * SkiffConfig config = SkiffConfig.builder().rateLimit(RateLimit.perSecond(200)).build();
 * }</pre>
 *
 * @param requestsPerSecond requests per second; 0 turns the limit off
 * @param maxWait the longest a request waits for a permit before it fails
 */
public record RateLimit(int requestsPerSecond, Duration maxWait) {
    /** Checks the arguments. */
    public RateLimit {
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "requestsPerSecond: " + requestsPerSecond + ": must be 0 (no limit) or more");
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait: " + maxWait + ": must be zero or positive");
        }
    }

    /** The default: 1,000 requests per second, waiting up to 30 seconds for a permit. */
    public static RateLimit defaults() {
        return perSecond(1000);
    }

    /**
     * At most {@code requestsPerSecond} requests per second, waiting up to 30 seconds for a permit.
     *
     * @param requestsPerSecond the limit, at least 1
     * @return the limit
     */
    public static RateLimit perSecond(int requestsPerSecond) {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException(
                    "requestsPerSecond: " + requestsPerSecond + ": must be at least 1; use RateLimit.none()");
        }
        return new RateLimit(requestsPerSecond, Duration.ofSeconds(30));
    }

    /** No client-side limit. */
    public static RateLimit none() {
        return new RateLimit(0, Duration.ZERO);
    }

    /** Returns whether requests are limited. */
    public boolean isLimited() {
        return requestsPerSecond > 0;
    }
}
