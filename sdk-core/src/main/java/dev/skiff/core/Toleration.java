package dev.skiff.core;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * Lets a pod run on nodes with a matching taint.
 *
 * <pre>{@code
 * Toleration.exists("nvidia.com/gpu");                               // any value, any effect
 * Toleration.equal("dedicated", "ml", Toleration.Effect.NO_SCHEDULE);
 * }</pre>
 */
@Value.Immutable
public abstract class Toleration {
    Toleration() {}

    /** How the key and value are matched. */
    public enum Operator {
        /** The taint's key exists, with any value. */
        EXISTS("Exists"),
        /** The taint's key and value are equal to the toleration's. */
        EQUAL("Equal");

        private final String wire;

        Operator(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** Taint effects. */
    public enum Effect {
        /** New pods are not scheduled. */
        NO_SCHEDULE("NoSchedule"),
        /** New pods are scheduled elsewhere if possible. */
        PREFER_NO_SCHEDULE("PreferNoSchedule"),
        /** Running pods are evicted. */
        NO_EXECUTE("NoExecute");

        private final String wire;

        Effect(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** Returns the taint key; empty with {@link Operator#EXISTS} tolerates every taint. */
    public abstract Optional<String> key();

    /** Returns the operator. */
    public abstract Operator operator();

    /** Returns the value, for {@link Operator#EQUAL}. */
    public abstract Optional<String> value();

    /** Returns the effect tolerated; empty tolerates all effects. */
    public abstract Optional<Effect> effect();

    /** Returns how long a pod stays on a node tainted {@code NoExecute}; empty is forever. */
    public abstract Optional<Long> tolerationSeconds();

    /**
     * Tolerates any taint with {@code key}, whatever its value and effect.
     *
     * @param key the taint key
     * @return the toleration
     */
    public static Toleration exists(String key) {
        return ImmutableToleration.builder().key(key).operator(Operator.EXISTS).build();
    }

    /**
     * Tolerates the taint {@code key=value:effect}.
     *
     * @param key the taint key
     * @param value the taint value
     * @param effect the taint effect
     * @return the toleration
     */
    public static Toleration equal(String key, String value, Effect effect) {
        return ImmutableToleration.builder()
                .key(key)
                .operator(Operator.EQUAL)
                .value(value)
                .effect(effect)
                .build();
    }

    /**
     * Returns a copy that only tolerates {@code effect}.
     *
     * @param effect the effect
     * @return the copy
     */
    public Toleration withEffect(Effect effect) {
        return ImmutableToleration.builder().from(this).effect(effect).build();
    }

    /**
     * Returns a copy that stays {@code seconds} on a node tainted {@code NoExecute}.
     *
     * @param seconds the time to stay
     * @return the copy
     */
    public Toleration withTolerationSeconds(long seconds) {
        return ImmutableToleration.builder()
                .from(this)
                .tolerationSeconds(seconds)
                .build();
    }
}
