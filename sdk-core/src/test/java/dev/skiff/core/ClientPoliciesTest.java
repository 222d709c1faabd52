package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's policies without a server: retry, circuit breaker, configuration, names. */
class ClientPoliciesTest {
    private static final SkiffConfig FAST = SkiffConfig.builder()
            .retry(RetryPolicy.exponential(4, Duration.ofMillis(5), Duration.ofMillis(20)))
            .build();

    static KubernetesClientException status(int code, Integer retryAfterSeconds) {
        StatusBuilder b = new StatusBuilder().withCode(code).withMessage("HTTP " + code);
        if (retryAfterSeconds != null) {
            b.withNewDetails().withRetryAfterSeconds(retryAfterSeconds).endDetails();
        }
        Status s = b.build();
        return new KubernetesClientException(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void retriesAnswersThatSayTryAgain(int code) {
        ApiCalls calls = new ApiCalls(FAST, "https://test");
        AtomicInteger attempts = new AtomicInteger();
        String result = calls.call("op", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw status(code, null);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
        assertThat(calls.retries()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 410, 422})
    void neverRetriesRefusals(int code) {
        ApiCalls calls = new ApiCalls(FAST, "https://test");
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> calls.call("op", () -> {
                    attempts.incrementAndGet();
                    throw status(code, null);
                }))
                .isInstanceOf(KubernetesClientException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void retriesIoErrorsAndGivesUpAfterMaxAttempts() {
        ApiCalls calls = new ApiCalls(FAST, "https://test");
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> calls.call("op", () -> {
                    attempts.incrementAndGet();
                    throw new KubernetesClientException("connection reset", new IOException("reset"));
                }))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("connection reset");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void honoursRetryAfterAndRefusesOneLongerThanThePolicyAllows() {
        ApiCalls calls = new ApiCalls(FAST, "https://test");
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        calls.call("op", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw status(429, 1);
            }
            return "ok";
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(990));

        AtomicInteger again = new AtomicInteger();
        assertThatThrownBy(() -> calls.call("op", () -> {
                    again.incrementAndGet();
                    throw status(429, 3600);
                }))
                .isInstanceOf(KubernetesClientException.class);
        assertThat(again).hasValue(1);
    }

    @Test
    void theCircuitOpensFailsFastAndClosesAgain() throws Exception {
        SkiffConfig config = SkiffConfig.builder()
                .retry(RetryPolicy.none())
                .circuitBreaker(new CircuitBreakerPolicy(50, 10, 5, Duration.ofMillis(300)))
                .build();
        ApiCalls calls = new ApiCalls(config, "https://api.example:6443");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> calls.call("op", () -> {
                        throw status(503, null);
                    }))
                    .isInstanceOf(KubernetesClientException.class);
        }
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        assertThatThrownBy(() -> calls.call("create Job ml/train", () -> sent.incrementAndGet()))
                .isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("the API server at https://api.example:6443 is unavailable")
                .hasMessageContaining("5 of the last 5 calls failed")
                .hasMessageContaining("create Job ml/train was not sent");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
        assertThat(sent).hasValue(0);
        Thread.sleep(350);
        assertThat(calls.call("op", () -> "back")).isEqualTo("back");
    }

    @Test
    void refusalsDoNotOpenTheCircuit() {
        SkiffConfig config = SkiffConfig.builder()
                .circuitBreaker(new CircuitBreakerPolicy(50, 10, 5, Duration.ofSeconds(30)))
                .build();
        ApiCalls calls = new ApiCalls(config, "https://test");
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> calls.call("op", () -> {
                        throw status(422, null);
                    }))
                    .isInstanceOf(KubernetesClientException.class);
        }
        assertThat(calls.call("op", () -> "fine")).isEqualTo("fine");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        RetryPolicy p = RetryPolicy.exponential(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(p.backoffCap(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoffCap(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoffCap(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.backoffCap(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoffCap(60)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void badPoliciesNameTheFieldAndTheRule() {
        assertThatThrownBy(() -> RetryPolicy.exponential(0, Duration.ofMillis(1), Duration.ofMillis(1)))
                .hasMessage("maxAttempts: 0: must be at least 1");
        assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("maxBackoff: PT1S: must not be shorter than initialBackoff (PT2S)");
        assertThatThrownBy(() -> RateLimit.perSecond(0))
                .hasMessage("requestsPerSecond: 0: must be at least 1; use RateLimit.none()");
        assertThatThrownBy(() -> new CircuitBreakerPolicy(0, 10, 5, Duration.ofSeconds(1)))
                .hasMessage("failureRatePercent: 0: must be between 1 and 100");
        assertThatThrownBy(() -> new CircuitBreakerPolicy(50, 10, 11, Duration.ofSeconds(1)))
                .hasMessage("minimumCalls: 11: must be between 1 and window (10)");
        assertThatThrownBy(() -> SkiffConfig.builder().submitConcurrency(0).build())
                .hasMessage("submitConcurrency: 0: must be at least 1");
        assertThatThrownBy(() -> SkiffConfig.builder().namespace("ML_Team").build())
                .hasMessageStartingWith("namespace: \"ML_Team\": must be a DNS-1123 label");
        assertThatThrownBy(() -> StuckJobPolicy.failAfter(Duration.ofSeconds(-1)))
                .hasMessage("after: PT-1S: must be zero or positive");
    }

    @Test
    void defaultsAreSane() {
        SkiffConfig d = SkiffConfig.defaults();
        assertThat(d.retry().maxAttempts()).isEqualTo(6);
        assertThat(d.rateLimit().isLimited()).isTrue();
        assertThat(d.stuckJobPolicy().action()).isEqualTo(StuckJobPolicy.Action.REPORT);
        assertThat(d.submitConcurrency()).isEqualTo(16);
        assertThat(d.defaultLabels()).isEmpty();
        assertThat(SkiffConfig.builder()
                        .putDefaultLabel("team", "vision")
                        .build()
                        .defaultLabels())
                .isEqualTo(Map.of("team", "vision"));
    }

    @Test
    void aNamePrefixGivesANameChosenOnce() {
        BatchJob job = BatchJob.builder()
                .namePrefix("sweep-")
                .container(Container.of("trainer:1"))
                .build();
        assertThat(job.name()).matches("sweep-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(job.toBuilder().build().name()).isEqualTo(job.name());
        assertThat(Skiff.specHash(job)).isEqualTo(Skiff.specHash(job.toBuilder().build()));
        BatchJob other = BatchJob.builder()
                .namePrefix("sweep-")
                .container(Container.of("trainer:1"))
                .build();
        assertThat(other.name()).startsWith("sweep-");
        assertThatThrownBy(() -> BatchJob.builder()
                        .name("train")
                        .namePrefix("sweep-")
                        .container(Container.of("trainer:1"))
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("metadata.generateName");
        assertThatThrownBy(() -> BatchJob.builder()
                        .namePrefix("Sweep_")
                        .container(Container.of("trainer:1"))
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("metadata.name");
    }

    @Test
    void theSpecHashIgnoresTheOrderOfLabelsButNotOfArguments() {
        BatchJob ab = BatchJob.builder()
                .name("h")
                .putLabel("a", "1")
                .putLabel("b", "2")
                .container(Container.of("trainer:1").withArgs("x", "y"))
                .build();
        BatchJob ba = BatchJob.builder()
                .name("h")
                .putLabel("b", "2")
                .putLabel("a", "1")
                .container(Container.of("trainer:1").withArgs("x", "y"))
                .build();
        BatchJob yx = ab.toBuilder()
                .containers(java.util.List.of(Container.of("trainer:1").withArgs("y", "x")))
                .build();
        assertThat(Skiff.specHash(ab)).isEqualTo(Skiff.specHash(ba)).hasSize(64);
        assertThat(Skiff.specHash(yx)).isNotEqualTo(Skiff.specHash(ab));
    }

    @Test
    void serverVersionsParse() {
        VersionInfo v =
                new VersionInfo.Builder().withMajor("1").withMinor("30+").build();
        assertThat(ServerFeatures.parseMinor(v)).isEqualTo(30);
        assertThat(ServerFeatures.parseMinor(null)).isEqualTo(Integer.MAX_VALUE);
    }
}
