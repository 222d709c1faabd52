package dev.skiff.gpu;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An amount of memory, such as the least GPU memory a workload needs.
 *
 * <pre>{@code
 * DataSize.parse("40Gi").toMebibytes();   // 40960
 * DataSize.ofGibibytes(40);               // the same
 * DataSize.ofMebibytes(81_559);           // what an H100 reports
 * }</pre>
 *
 * <p>Immutable and thread-safe; equal sizes are equal whatever their spelling.
 */
public final class DataSize implements Comparable<DataSize> {
    private static final BigInteger MIB = BigInteger.valueOf(1024L * 1024);

    private final BigInteger bytes;

    private DataSize(BigInteger bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses a Kubernetes quantity: plain bytes, or with a suffix {@code Ki}, {@code Mi}, {@code
     * Gi}, {@code Ti}, {@code k}, {@code M}, {@code G}, {@code T}, ...
     *
     * @param quantity such as {@code "40Gi"}
     * @return the size
     * @throws IllegalArgumentException if {@code quantity} is not a quantity, or not positive
     */
    public static DataSize parse(String quantity) {
        Objects.requireNonNull(quantity, "quantity");
        BigDecimal amount;
        try {
            amount = new Quantity(quantity.trim()).getNumericalAmount();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "memory must be a quantity such as \"40Gi\", but was \"" + quantity + "\"", e);
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("memory must be > 0, but was \"" + quantity + "\"");
        }
        return new DataSize(amount.setScale(0, RoundingMode.CEILING).toBigIntegerExact());
    }

    /**
     * A size in mebibytes (MiB).
     *
     * @param mib at least 1
     * @return the size
     */
    public static DataSize ofMebibytes(long mib) {
        if (mib < 1) {
            throw new IllegalArgumentException("memory must be >= 1 MiB, but was " + mib);
        }
        return new DataSize(BigInteger.valueOf(mib).multiply(MIB));
    }

    /**
     * A size in gibibytes (GiB).
     *
     * @param gib at least 1
     * @return the size
     */
    public static DataSize ofGibibytes(long gib) {
        if (gib < 1) {
            throw new IllegalArgumentException("memory must be >= 1 GiB, but was " + gib);
        }
        return ofMebibytes(gib * 1024);
    }

    /** Returns the size in bytes. */
    public BigInteger bytes() {
        return bytes;
    }

    /** Returns the size in whole MiB, rounded up: the least MiB that hold it. */
    public long toMebibytes() {
        BigInteger[] qr = bytes.divideAndRemainder(MIB);
        return qr[0].add(qr[1].signum() > 0 ? BigInteger.ONE : BigInteger.ZERO).longValueExact();
    }

    /** Returns the size as a Kubernetes quantity in the largest binary unit that holds it exactly. */
    public String toQuantity() {
        String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
        BigInteger value = bytes;
        int unit = 0;
        BigInteger k = BigInteger.valueOf(1024);
        while (unit < units.length - 1 && value.mod(k).signum() == 0 && value.signum() > 0) {
            value = value.divide(k);
            unit++;
        }
        return value + units[unit];
    }

    @Override
    public int compareTo(DataSize other) {
        return bytes.compareTo(other.bytes);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof DataSize d && d.bytes.equals(bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    /** Returns the size as {@link #toQuantity()} writes it, such as {@code 40Gi}. */
    @Override
    public String toString() {
        return toQuantity();
    }
}
