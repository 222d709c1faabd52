package dev.skiff.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A fault the {@link InMemoryCluster}'s API server injects into matching requests: an error
 * status (with {@code Retry-After}), a delay, a dropped connection, or an error after the write was
 * committed — the failures a resilient client must survive.
 *
 * <pre>{@code
 * cluster.injectFault(FaultRule.on("create", "jobs").respond(429).retryAfter(Duration.ofSeconds(1)).times(3));
 * cluster.injectFault(FaultRule.on("create", "jobs").respond(504).afterCommit().times(1));
 * cluster.injectFault(FaultRule.on("*", "*").delay(Duration.ofMillis(200)));
 * cluster.injectFault(FaultRule.on("get", "jobs").respond(503).probability(0.3));
 * }</pre>
 */
@Value.Immutable
public abstract class FaultRule {
    FaultRule() {}

    /** Returns the verb matched: {@code create}, {@code get}, {@code list}, {@code watch}, {@code update}, {@code patch}, {@code delete}, {@code deletecollection}, or {@code *}. */
    public abstract String verb();

    /** Returns the resource (plural, such as {@code jobs}) matched, or {@code *}. */
    public abstract String resource();

    /** Returns the namespace matched; any when empty. */
    public abstract Optional<String> namespace();

    /** Returns the object name matched; any when empty. */
    public abstract Optional<String> name();

    /** Returns the HTTP status to answer with; none (only a delay or drop) when empty. */
    public abstract OptionalInt status();

    /** Returns the {@code Retry-After} to send with the status. */
    public abstract Optional<Duration> retryAfter();

    /** Returns the wall-clock delay before answering. */
    @Value.Default
    public Duration delay() {
        return Duration.ZERO;
    }

    /** Returns whether the connection is dropped without an answer. */
    @Value.Default
    public boolean dropsConnection() {
        return false;
    }

    /** Returns whether the request is carried out before the fault is answered (the client sees an error for a write that happened). */
    @Value.Default
    public boolean commitsFirst() {
        return false;
    }

    /** Returns how many requests the rule affects; unlimited when empty. */
    public abstract OptionalInt times();

    /**
     * Returns the share of matching requests the rule affects, above 0 and at most 1; 1 (every
     * matching request) by default.
     */
    @Value.Default
    public double probability() {
        return 1.0;
    }

    @Value.Check
    void check() {
        if (!(probability() > 0 && probability() <= 1)) {
            throw new IllegalArgumentException("probability must be above 0 and at most 1, but was " + probability());
        }
    }

    /**
     * A rule for requests with {@code verb} on {@code resource}; {@code "*"} matches any.
     *
     * @param verb the verb, such as {@code create}
     * @param resource the plural resource, such as {@code jobs}
     * @return the rule, which does nothing until given a status, delay or drop
     */
    public static FaultRule on(String verb, String resource) {
        return ImmutableFaultRule.builder().verb(verb).resource(resource).build();
    }

    /** Returns a copy that only matches requests in {@code namespace}. */
    public FaultRule inNamespace(String namespace) {
        return ImmutableFaultRule.builder().from(this).namespace(namespace).build();
    }

    /** Returns a copy that only matches requests for the object {@code name}. */
    public FaultRule named(String name) {
        return ImmutableFaultRule.builder().from(this).name(name).build();
    }

    /** Returns a copy answering with HTTP {@code status}, such as 429, 500, 503 or 409. */
    public FaultRule respond(int status) {
        return ImmutableFaultRule.builder().from(this).status(status).build();
    }

    /** Returns a copy that sends {@code Retry-After} with its status. */
    public FaultRule retryAfter(Duration after) {
        return ImmutableFaultRule.builder().from(this).retryAfter(after).build();
    }

    /** Returns a copy that waits {@code delay} (wall clock) before answering. */
    public FaultRule delay(Duration delay) {
        return ImmutableFaultRule.builder().from(this).delay(delay).build();
    }

    /** Returns a copy that drops the connection instead of answering. */
    public FaultRule dropConnection() {
        return ImmutableFaultRule.builder().from(this).dropsConnection(true).build();
    }

    /** Returns a copy that carries the request out and then answers with the fault. */
    public FaultRule afterCommit() {
        return ImmutableFaultRule.builder().from(this).commitsFirst(true).build();
    }

    /**
     * Returns a copy affecting each matching request with probability {@code p}, such as {@code
     * 0.1} for about one request in ten. A request the rule lets pass is matched against the
     * rules injected after it, so rules with probabilities mix:
     *
     * <pre>{@code
     * cluster.injectFault(FaultRule.on("create", "jobs").respond(503).probability(0.1));
     * cluster.injectFault(FaultRule.on("create", "jobs").dropConnection().probability(0.1));
     * }</pre>
     *
     * <p>The draws come from a generator seeded with the cluster's {@linkplain
     * InMemoryCluster.Builder#seed(long) seed} and the rule's position, so a run sending its
     * requests in the same order faults the same ones. With {@link #times(int)}, only the requests
     * the rule affected count.
     *
     * @param p the probability, above 0 and at most 1
     * @return the copy
     */
    public FaultRule probability(double p) {
        return ImmutableFaultRule.builder().from(this).probability(p).build();
    }

    /** Returns a copy affecting only the next {@code n} matching requests. */
    public FaultRule times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1, but was " + n);
        }
        return ImmutableFaultRule.builder().from(this).times(n).build();
    }
}
