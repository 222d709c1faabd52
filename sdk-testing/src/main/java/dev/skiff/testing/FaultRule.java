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

    /** Returns a copy affecting only the next {@code n} matching requests. */
    public FaultRule times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1, but was " + n);
        }
        return ImmutableFaultRule.builder().from(this).times(n).build();
    }
}
