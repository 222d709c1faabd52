package dev.skiff.core;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request Skiff sends goes through here: a client-side rate limiter, a circuit breaker that
 * fails fast while the API server is down, and retries with exponential backoff and full jitter
 * that honour {@code Retry-After}. Only answers that say "try again" are retried ({@code 429},
 * {@code 500}, {@code 502}, {@code 503}, {@code 504}) and I/O errors; every other answer goes
 * straight to the caller.
 */
final class ApiCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ApiCalls.class);
    private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    private final RetryPolicy policy;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final @Nullable RateLimiter limiter;
    private final String server;
    private final Duration openFor;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    ApiCalls(SkiffConfig config, String server) {
        this(config, server, new Events(config.listeners()));
    }

    ApiCalls(SkiffConfig config, String server, Events events) {
        this.policy = config.retry();
        this.server = server;
        this.retry = Retry.of(
                "skiff",
                RetryConfig.custom()
                        .maxAttempts(policy.maxAttempts())
                        .retryOnException(this::shouldRetry)
                        .intervalBiFunction((attempt, either) -> {
                            Throwable failure = either.isLeft() ? either.getLeft() : null;
                            return waitMillis(attempt, failure);
                        })
                        .failAfterMaxAttempts(false)
                        .build());
        CircuitBreakerPolicy cb = config.circuitBreaker();
        this.openFor = cb.openFor();
        this.breaker = CircuitBreaker.of(
                "skiff",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(cb.window())
                        .minimumNumberOfCalls(cb.minimumCalls())
                        .failureRateThreshold(cb.failureRatePercent())
                        .waitDurationInOpenState(cb.openFor())
                        .permittedNumberOfCallsInHalfOpenState(Math.min(3, cb.window()))
                        .recordException(ApiCalls::isServerFailure)
                        .build());
        RateLimit rl = config.rateLimit();
        if (rl.isLimited()) {
            // permits are handed out every 10 ms so that a burst cannot exceed a hundredth of a second's worth
            int perPeriod = Math.max(1, rl.requestsPerSecond() / 100);
            Duration period = Duration.ofNanos(1_000_000_000L * perPeriod / rl.requestsPerSecond());
            this.limiter = RateLimiter.of(
                    "skiff",
                    RateLimiterConfig.custom()
                            .limitForPeriod(perPeriod)
                            .limitRefreshPeriod(period)
                            .timeoutDuration(rl.maxWait())
                            .build());
        } else {
            this.limiter = null;
        }
        breaker.getEventPublisher()
                .onStateTransition(e -> LOG.warn(
                        "API server {}: circuit {} ({})",
                        server,
                        e.getStateTransition().getToState(),
                        describe(e.getStateTransition().getToState())));
        if (events.enabled()) {
            retry.getEventPublisher()
                    .onRetry(e -> events.emit(new SkiffEvent.Retried(
                            retryReason(e.getLastThrowable()), e.getNumberOfRetryAttempts(), e.getWaitInterval())));
            breaker.getEventPublisher().onStateTransition(e -> {
                switch (e.getStateTransition().getToState()) {
                    case OPEN -> events.emit(new SkiffEvent.CircuitOpened(server));
                    case CLOSED -> events.emit(new SkiffEvent.CircuitClosed(server));
                    default -> {}
                }
            });
        }
    }

    /** The reason of a retry: the HTTP status code answered, or {@code io} when none was. */
    static String retryReason(@Nullable Throwable t) {
        if (t instanceof KubernetesClientException k && k.getCode() > 0) {
            return String.valueOf(k.getCode());
        }
        return "io";
    }

    private static String describe(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN -> "calls fail fast until it answers again";
            case HALF_OPEN -> "trying a few calls";
            case CLOSED -> "calls go through";
            default -> state.name();
        };
    }

    /**
     * Runs {@code op} under the rate limit, circuit breaker and retry policy.
     *
     * @param what what the call does, for messages ("create Job ml/train")
     * @param op the call
     * @return its result
     * @throws KubernetesClientException the last failure, if the call did not succeed
     * @throws ClusterUnavailableException if the circuit is open or the rate limit's wait ran out
     */
    <T> T call(String what, Supplier<T> op) {
        Supplier<T> limited = () -> {
            if (limiter != null) {
                RateLimiter.waitForPermission(limiter);
            }
            requests.incrementAndGet();
            return op.get();
        };
        // the breaker sees each call once, after its retries: a request that failed and then
        // succeeded on retry is a success, and an open circuit refuses the call before any attempt
        Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, Retry.decorateSupplier(retry, limited));
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new ClusterUnavailableException(
                    "the API server at " + server + " is unavailable: " + unavailableReason() + "; " + what
                            + " was not sent. Calls go through again by themselves once it answers (next trial in at most "
                            + openFor + ").",
                    e);
        } catch (RequestNotPermitted e) {
            throw new ClusterUnavailableException(
                    what + " waited longer than the rate limit allows for a permit (" + e.getMessage() + ")", e);
        }
    }

    /** Like {@link #call} for calls without a result. */
    void run(String what, Runnable op) {
        call(what, () -> {
            op.run();
            return null;
        });
    }

    private String unavailableReason() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        return m.getNumberOfFailedCalls() + " of the last " + m.getNumberOfBufferedCalls() + " calls failed";
    }

    private boolean shouldRetry(Throwable t) {
        if (!isServerFailure(t)) {
            return false;
        }
        long after = retryAfterMillis(t);
        if (after > policy.maxRetryAfter().toMillis()) {
            LOG.debug("not retrying: Retry-After of {} ms exceeds the policy's {}", after, policy.maxRetryAfter());
            return false;
        }
        retries.incrementAndGet();
        return true;
    }

    private long waitMillis(int attempt, @Nullable Throwable failure) {
        long cap = policy.backoffCap(attempt).toMillis();
        long wait = ThreadLocalRandom.current().nextLong(cap + 1);
        long after = failure == null ? 0 : retryAfterMillis(failure);
        long chosen = Math.max(wait, after);
        if (LOG.isDebugEnabled()) {
            LOG.debug("attempt {} failed ({}); retrying in {} ms", attempt, brief(failure), chosen);
        }
        return Math.max(chosen, 1);
    }

    /** Whether {@code t} says the server is (temporarily) not answering: a retryable status or an I/O error. */
    static boolean isServerFailure(Throwable t) {
        if (t instanceof KubernetesClientException k) {
            if (RETRYABLE.contains(k.getCode())) {
                return true;
            }
            if (k.getCode() > 0) {
                return false;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException && !(c instanceof InterruptedIOException && isInterrupted())) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static boolean isInterrupted() {
        return Thread.currentThread().isInterrupted();
    }

    /** The wait a {@code 429} or {@code 503} asks for, from its Status details (the API server mirrors {@code Retry-After} there). */
    static long retryAfterMillis(Throwable t) {
        if (t instanceof KubernetesClientException k) {
            Status s = k.getStatus();
            if (s != null && s.getDetails() != null && s.getDetails().getRetryAfterSeconds() != null) {
                return Math.max(0, s.getDetails().getRetryAfterSeconds()) * 1000L;
            }
        }
        return 0;
    }

    private static String brief(@Nullable Throwable t) {
        if (t == null) {
            return "no result";
        }
        if (t instanceof KubernetesClientException k && k.getCode() > 0) {
            return "HTTP " + k.getCode();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Returns the circuit breaker's state, for tests and diagnostics. */
    CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    /** Returns how many retries were made. */
    long retries() {
        return retries.get();
    }

    /** Returns how many requests were sent. */
    long requests() {
        return requests.get();
    }
}
