package dev.skiff.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How Skiff retries a request the API server could not answer: {@code 429}, {@code 500}, {@code
 * 502}, {@code 503}, {@code 504} and I/O errors, with exponential backoff and full jitter, waiting
 * at least what a {@code Retry-After} asks. Validation errors and other {@code 4xx} answers are
 * never retried.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.exponential(8, Duration.ofMillis(100), Duration.ofSeconds(5));
 * SkiffConfig config = SkiffConfig.builder().retry(retry).build();
 * }</pre>
 *
 * @param maxAttempts how many times a request is sent at most, the first included (1 = no retry)
 * @param initialBackoff the longest wait before the first retry; later waits double
 * @param maxBackoff the longest wait between two attempts (a {@code Retry-After} may ask more, up
 *     to {@link #maxRetryAfter})
 * @param maxRetryAfter the longest {@code Retry-After} honoured; longer ones fail the call
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    /** Checks the arguments. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + ": must be at least 1");
        }
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("maxRetryAfter", maxRetryAfter);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff: " + maxBackoff + ": must not be shorter than initialBackoff (" + initialBackoff + ")");
        }
    }

    /** The default: 6 attempts, 200 ms doubling to 10 s, {@code Retry-After} honoured up to 1 minute. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(1));
    }

    /**
     * Retries up to {@code maxAttempts} attempts in all, waiting up to {@code initialBackoff}
     * doubling to {@code maxBackoff}.
     *
     * @param maxAttempts attempts in all, the first included
     * @param initialBackoff the longest first wait
     * @param maxBackoff the longest wait
     * @return the policy
     */
    public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, Duration.ofMinutes(1));
    }

    /** Sends every request once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));
    }

    /**
     * The longest wait before attempt {@code attempt + 1}: {@code initialBackoff * 2^(attempt-1)},
     * capped at {@link #maxBackoff}. The actual wait is drawn uniformly below it (full jitter).
     *
     * @param attempt the attempt that just failed, from 1
     * @return the cap of the wait
     */
    public Duration backoffCap(int attempt) {
        long initial = initialBackoff.toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long cap = initial << shift;
        if (cap < initial || cap > maxBackoff.toMillis()) {
            cap = maxBackoff.toMillis();
        }
        return Duration.ofMillis(Math.max(cap, 1));
    }

    private static void requirePositive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": " + d + ": must be positive");
        }
    }
}
