package dev.skiff.testing;

import dev.skiff.core.Outcome;
import java.lang.reflect.InvocationTargetException;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * The AssertJ entry point for Skiff: assertions on an {@link InMemoryCluster}'s Jobs, pods, events
 * and nodes, and on a job's {@link Outcome}. Import it statically next to AssertJ's own {@code
 * Assertions}; for soft assertions, use {@link SkiffSoftAssertions}.
 *
 * <pre>{@code
 * import static dev.skiff.testing.SkiffAssertions.assertThat;
 *
 * assertThat(cluster).job("default", "train").isComplete().hasSucceededPods(2);
 * assertThat(outcome).succeeded();
 * }</pre>
 */
public class SkiffAssertions {

    /**
     * For subclasses that add entry points of their own.
     *
     * <pre>{@code
     * class MyAssertions extends SkiffAssertions { }
     * }</pre>
     */
    protected SkiffAssertions() {}

    /**
     * Returns assertions on {@code cluster}.
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "train").isComplete();
     * }</pre>
     *
     * @param cluster the cluster
     * @return the assertions
     */
    public static ClusterAssert assertThat(@Nullable InMemoryCluster cluster) {
        return new ClusterAssert(cluster);
    }

    /**
     * Returns assertions on {@code outcome}.
     *
     * <pre>{@code
     * assertThat(outcome).failedWithReason("BackoffLimitExceeded");
     * }</pre>
     *
     * @param outcome the outcome
     * @return the assertions
     */
    public static OutcomeAssert assertThat(@Nullable Outcome outcome) {
        return new OutcomeAssert(outcome);
    }

    /** Creates the assertions {@link ClusterAssert}'s navigation returns: plain, or soft proxies. */
    interface Factory {
        Factory PLAIN = new Factory() {
            @Override
            public <A extends AbstractAssert<A, T>, T> A create(
                    Class<A> type, Class<T> actualType, @Nullable T actual) {
                try {
                    return type.getConstructor(actualType).newInstance(actual);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("cannot create " + type.getName(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create " + type.getName(), e);
                }
            }
        };

        <A extends AbstractAssert<A, T>, T> A create(Class<A> type, Class<T> actualType, @Nullable T actual);
    }
}
