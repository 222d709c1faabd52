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

    private static final BigDecimal[] POWERS_OF_1024 = {
        BigDecimal.ONE,
        BigDecimal.valueOf(1L << 10),
        BigDecimal.valueOf(1L << 20),
        BigDecimal.valueOf(1L << 30),
        BigDecimal.valueOf(1L << 40),
        BigDecimal.valueOf(1L << 50),
        BigDecimal.valueOf(1L << 60),
    };

    /** Returns the exact value of {@code q}; {@code where} names the field for the error. */
    static BigDecimal exact(Quantity q, String where) {
        BigDecimal fast = fast(q.getAmount(), q.getFormat());
        if (fast != null) {
            return fast;
        }
        try {
            return q.getNumericalAmount();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " must be a Kubernetes quantity, but was '" + text(q) + "'", e);
        }
    }

    /**
     * The common case without fabric8's general parser: a plain integer amount (as fabric8 splits
     * "500m" into "500" and "m") with a decimal or binary suffix. Returns null for anything else.
     */
    private static @Nullable BigDecimal fast(@Nullable String amount, @Nullable String format) {
        if (amount == null || amount.isEmpty() || amount.length() > 15) {
            return null;
        }
        for (int i = 0; i < amount.length(); i++) {
            char c = amount.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        long value = Long.parseLong(amount);
        switch (format == null ? "" : format) {
            case "":
                return BigDecimal.valueOf(value);
            case "n":
                return BigDecimal.valueOf(value, 9);
            case "u":
                return BigDecimal.valueOf(value, 6);
            case "m":
                return BigDecimal.valueOf(value, 3);
            case "k":
                return BigDecimal.valueOf(value, -3);
            case "M":
                return BigDecimal.valueOf(value, -6);
            case "G":
                return BigDecimal.valueOf(value, -9);
            case "T":
                return BigDecimal.valueOf(value, -12);
            case "P":
                return BigDecimal.valueOf(value, -15);
            case "E":
                return BigDecimal.valueOf(value, -18);
            case "Ki":
                return BigDecimal.valueOf(value).multiply(POWERS_OF_1024[1]);
            case "Mi":
                return BigDecimal.valueOf(value).multiply(POWERS_OF_1024[2]);
            case "Gi":
                return BigDecimal.valueOf(value).multiply(POWERS_OF_1024[3]);
            case "Ti":
                return BigDecimal.valueOf(value).multiply(POWERS_OF_1024[4]);
            case "Pi":
                return BigDecimal.valueOf(value).multiply(POWERS_OF_1024[5]);
            case "Ei":
                return BigDecimal.valueOf(value).multiply(POWERS_OF_1024[6]);
            default:
                return null;
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
