package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry and circuit breaker of {@link ApiCalls}, without a server. */
class ApiCallsTest {
    private static final SkiffConfig CONFIG = SkiffConfig.builder()
            .retry(RetryPolicy.exponential(4, Duration.ofMillis(1), Duration.ofMillis(2)))
            .circuitBreaker(new CircuitBreakerPolicy(50, 10, 5, Duration.ofMinutes(1)))
            .build();

    private static KubernetesClientException unavailable() {
        return new KubernetesClientException("down", 503, null);
    }

    @Test
    void callsThatSucceedOnRetryDoNotOpenTheCircuit() {
        ApiCalls calls = new ApiCalls(CONFIG, "https://k8s.example");
        for (int i = 0; i < 20; i++) {
            AtomicInteger attempts = new AtomicInteger();
            String result = calls.call("get Job ml/train", () -> {
                if (attempts.incrementAndGet() < 4) {
                    throw unavailable();
                }
                return "ok";
            });
            assertThat(result).isEqualTo("ok");
        }
        assertThat(calls.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(calls.requests()).isEqualTo(80);
        assertThat(calls.retries()).isEqualTo(60);
    }

    @Test
    void callsThatFailAfterTheirRetriesOpenTheCircuitAndThenFailWithoutARequest() {
        ApiCalls calls = new ApiCalls(CONFIG, "https://k8s.example");
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> calls.call("get Job ml/train", () -> {
                        attempts.incrementAndGet();
                        throw unavailable();
                    }))
                    .isInstanceOf(KubernetesClientException.class);
        }
        assertThat(attempts).hasValue(20); // every call made its 4 attempts
        assertThat(calls.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> calls.call("create Job ml/train", attempts::incrementAndGet))
                .isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining(
                        "the API server at https://k8s.example is unavailable: 5 of the last 5 calls failed")
                .hasMessageContaining("create Job ml/train was not sent");
        assertThat(attempts).hasValue(20);
    }

    @Test
    void aRetryWaitsWhatRetryAfterAsksEvenWithAShortBackoff() {
        ApiCalls calls = new ApiCalls(CONFIG, "https://k8s.example");
        Status status = new StatusBuilder()
                .withCode(429)
                .withNewDetails()
                .withRetryAfterSeconds(1)
                .endDetails()
                .build();
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        String result = calls.call("create Job ml/train", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new KubernetesClientException(status);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterLongerThanThePolicyAllowsIsNotWaitedFor() {
        ApiCalls calls = new ApiCalls(CONFIG, "https://k8s.example"); // honours up to a minute
        Status status = new StatusBuilder()
                .withCode(429)
                .withNewDetails()
                .withRetryAfterSeconds(120)
                .endDetails()
                .build();
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> calls.call("create Job ml/train", () -> {
                    attempts.incrementAndGet();
                    throw new KubernetesClientException(status);
                }))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(429));
        assertThat(attempts).hasValue(1);
    }
}
