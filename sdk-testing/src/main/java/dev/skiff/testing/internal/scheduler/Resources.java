package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Resource names and the conversion of quantities to the integers kube-scheduler compares.
 *
 * <p>kube-scheduler keeps cpu as {@code Quantity.MilliValue()} and everything else as {@code
 * Quantity.Value()}; both round up. Conversion here is exact: quantities become {@link BigDecimal}s,
 * are summed exactly, and become longs once (no doubles anywhere).
 */
final class Resources {
    static final String CPU = "cpu";
    static final String MEMORY = "memory";
    static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    static final String PODS = "pods";

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Resources() {}

    /** Returns the exact value of {@code q}; {@code where} names the field for the error. */
    static BigDecimal exact(Quantity q, String where) {
        try {
            return q.getNumericalAmount();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " must be a Kubernetes quantity, but was '" + text(q) + "'", e);
        }
    }

    private static String text(Quantity q) {
        return (q.getAmount() == null ? "" : q.getAmount()) + (q.getFormat() == null ? "" : q.getFormat());
    }

    /** Converts an exact amount of {@code resource} to scheduler units (millicores for cpu), rounding up. */
    static long units(String resource, BigDecimal amount) {
        BigDecimal scaled = CPU.equals(resource) ? amount.multiply(THOUSAND) : amount;
        BigDecimal up = scaled.setScale(0, RoundingMode.CEILING);
        if (up.compareTo(LONG_MAX) > 0) {
            return Long.MAX_VALUE;
        }
        return up.signum() < 0 ? 0 : up.longValueExact();
    }

    /** Converts a whole resource list, such as a node's allocatable. */
    static Map<String, Long> units(@Nullable Map<String, Quantity> list, String where) {
        Map<String, Long> out = new TreeMap<>();
        if (list != null) {
            list.forEach((name, q) -> {
                if (q != null) {
                    out.put(name, units(name, exact(q, where + "[" + name + "]")));
                }
            });
        }
        return out;
    }

    /**
     * Whether kube-scheduler checks {@code name} as a scalar resource: an extended resource such as
     * {@code nvidia.com/gpu}, a prefixed native resource, huge pages or attachable volumes. Plain
     * unknown names without a domain are ignored, as kube-scheduler ignores them.
     */
    static boolean isScalar(String name) {
        if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) {
            return true;
        }
        return name.indexOf('/') >= 0 && !name.startsWith("requests.");
    }

    /** Whether the NodeResourcesFit filter compares {@code name} at all. */
    static boolean isChecked(String name) {
        return CPU.equals(name) || MEMORY.equals(name) || EPHEMERAL_STORAGE.equals(name) || isScalar(name);
    }
}
