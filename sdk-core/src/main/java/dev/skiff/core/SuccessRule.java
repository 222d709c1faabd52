package dev.skiff.core;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A rule of an indexed Job's success policy: the Job succeeds as soon as the rule holds, and its
 * remaining pods are stopped. Useful when only the leader's result matters.
 *
 * <pre>{@code
 * SuccessRule.indexes("0");          // the leader (index 0) succeeded
 * SuccessRule.count(3);              // any 3 indexes succeeded
 * SuccessRule.of("0-4", 2);          // 2 of the indexes 0 to 4 succeeded
 * }</pre>
 */
@Value.Immutable
public abstract class SuccessRule {
    SuccessRule() {}

    /** Returns the indexes that must succeed, in the compressed form {@code 0,2-4}. */
    public abstract Optional<String> succeededIndexes();

    /** Returns how many indexes (of {@link #succeededIndexes()}, if set) must succeed. */
    public abstract OptionalInt succeededCount();

    /**
     * The given indexes all succeeded.
     *
     * @param indexes indexes in the form {@code 0,2-4}
     * @return the rule
     */
    public static SuccessRule indexes(String indexes) {
        return ImmutableSuccessRule.builder().succeededIndexes(indexes).build();
    }

    /**
     * Any {@code count} indexes succeeded.
     *
     * @param count how many
     * @return the rule
     */
    public static SuccessRule count(int count) {
        return ImmutableSuccessRule.builder().succeededCount(count).build();
    }

    /**
     * {@code count} of the given indexes succeeded.
     *
     * @param indexes indexes in the form {@code 0,2-4}
     * @param count how many of them
     * @return the rule
     */
    public static SuccessRule of(String indexes, int count) {
        return ImmutableSuccessRule.builder()
                .succeededIndexes(indexes)
                .succeededCount(count)
                .build();
    }
}
