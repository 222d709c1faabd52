package dev.skiff.core;

import java.util.List;
import org.immutables.value.Value;

/**
 * A condition on a node label, for required node affinity.
 *
 * <pre>{@code
 * NodeRequirement.in("topology.kubernetes.io/zone", "eu-west-1a", "eu-west-1b");
 * NodeRequirement.gt("nvidia.com/gpu.memory", 40_000);
 * NodeRequirement.exists("nvidia.com/gpu.product");
 * }</pre>
 */
@Value.Immutable
public abstract class NodeRequirement {
    NodeRequirement() {}

    /** The operators of a node selector requirement. */
    public enum Operator {
        /** The label's value is one of the values. */
        IN("In"),
        /** The label's value is none of the values, or the label is absent. */
        NOT_IN("NotIn"),
        /** The label exists. */
        EXISTS("Exists"),
        /** The label does not exist. */
        DOES_NOT_EXIST("DoesNotExist"),
        /** The label's value, an integer, is greater than the single value. */
        GT("Gt"),
        /** The label's value, an integer, is less than the single value. */
        LT("Lt");

        private final String wire;

        Operator(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** Returns the node label key. */
    public abstract String key();

    /** Returns the operator. */
    public abstract Operator operator();

    /** Returns the values; their number depends on the operator. */
    public abstract List<String> values();

    /**
     * The label's value is one of {@code values}.
     *
     * @param key the label key
     * @param values the accepted values
     * @return the requirement
     */
    public static NodeRequirement in(String key, String... values) {
        return of(key, Operator.IN, values);
    }

    /**
     * The label's value is none of {@code values}.
     *
     * @param key the label key
     * @param values the rejected values
     * @return the requirement
     */
    public static NodeRequirement notIn(String key, String... values) {
        return of(key, Operator.NOT_IN, values);
    }

    /**
     * The label exists.
     *
     * @param key the label key
     * @return the requirement
     */
    public static NodeRequirement exists(String key) {
        return of(key, Operator.EXISTS);
    }

    /**
     * The label does not exist.
     *
     * @param key the label key
     * @return the requirement
     */
    public static NodeRequirement doesNotExist(String key) {
        return of(key, Operator.DOES_NOT_EXIST);
    }

    /**
     * The label's integer value is greater than {@code value}.
     *
     * @param key the label key
     * @param value the bound
     * @return the requirement
     */
    public static NodeRequirement gt(String key, long value) {
        return of(key, Operator.GT, Long.toString(value));
    }

    /**
     * The label's integer value is less than {@code value}.
     *
     * @param key the label key
     * @param value the bound
     * @return the requirement
     */
    public static NodeRequirement lt(String key, long value) {
        return of(key, Operator.LT, Long.toString(value));
    }

    /**
     * Any requirement.
     *
     * @param key the label key
     * @param operator the operator
     * @param values the values
     * @return the requirement
     */
    public static NodeRequirement of(String key, Operator operator, String... values) {
        return ImmutableNodeRequirement.builder()
                .key(key)
                .operator(operator)
                .addValues(values)
                .build();
    }
}
