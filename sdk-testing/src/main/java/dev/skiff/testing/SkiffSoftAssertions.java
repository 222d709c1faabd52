package dev.skiff.testing;

import dev.skiff.core.Outcome;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ soft assertions with Skiff's entry points: every failed assertion is collected, and
 * {@link #assertAll()} reports them together. The assertions reached by navigation ({@code
 * job(...)}, {@code pods(...)}, {@code events(...)}, {@code node(...)}) are soft too. It has all of
 * AssertJ's {@link SoftAssertions} as well, and works with AssertJ's {@code
 * SoftAssertionsExtension}.
 *
 * <pre>{@code
 * SoftAssertionsProvider.assertSoftly(SkiffSoftAssertions.class, softly -> {
 *     softly.assertThat(cluster).job("default", "train").isComplete();
 *     softly.assertThat(outcome).succeeded();
 * });
 * }</pre>
 *
 * <p>Not thread-safe, like AssertJ's soft assertions.
 */
public class SkiffSoftAssertions extends SoftAssertions {
    private final SkiffAssertions.Factory factory = new SkiffAssertions.Factory() {
        @Override
        public <A extends AbstractAssert<A, T>, T> A create(Class<A> type, Class<T> actualType, @Nullable T actual) {
            return proxy(type, actualType, actual);
        }
    };

    /**
     * Creates an empty collection of soft assertions.
     *
     * <pre>{@code
     * SkiffSoftAssertions softly = new SkiffSoftAssertions();
     * softly.assertThat(cluster).node("node-1").isReady();
     * softly.assertAll();
     * }</pre>
     */
    public SkiffSoftAssertions() {}

    /**
     * Returns soft assertions on {@code cluster}.
     *
     * <pre>{@code
     * softly.assertThat(cluster).job("default", "train").isComplete();
     * }</pre>
     *
     * @param cluster the cluster
     * @return the assertions
     */
    public ClusterAssert assertThat(@Nullable InMemoryCluster cluster) {
        ClusterAssert a = proxy(ClusterAssert.class, InMemoryCluster.class, cluster);
        a.factory = factory;
        return a;
    }

    /**
     * Returns soft assertions on {@code outcome}.
     *
     * <pre>{@code
     * softly.assertThat(outcome).succeeded();
     * }</pre>
     *
     * @param outcome the outcome
     * @return the assertions
     */
    public OutcomeAssert assertThat(@Nullable Outcome outcome) {
        return proxy(OutcomeAssert.class, Outcome.class, outcome);
    }
}
