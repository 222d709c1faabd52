package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * An amount the quota system adds up, with the format the API server keeps for a sum (that of the
 * first non-zero term: binary {@code Ki}/{@code Mi}/... or decimal) and its canonical text.
 */
public record QuotaQuantity(BigDecimal amount, boolean binary) {
    public static final QuotaQuantity ZERO = new QuotaQuantity(BigDecimal.ZERO, false);
    public static final QuotaQuantity ONE = new QuotaQuantity(BigDecimal.ONE, false);

    private static final String[] DECIMAL = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger K1024 = BigInteger.valueOf(1024);

    /** The amount of a quantity as written. */
    public static QuotaQuantity of(Quantity q) {
        String format = q.getFormat() == null ? "" : q.getFormat();
        return new QuotaQuantity(q.getNumericalAmount(), format.endsWith("i"));
    }

    /** The sum; it keeps this format unless this is zero. */
    public QuotaQuantity plus(QuotaQuantity other) {
        return new QuotaQuantity(amount.add(other.amount), amount.signum() == 0 ? other.binary : binary);
    }

    /** The difference, never below zero. */
    public QuotaQuantity minusAtLeastZero(QuotaQuantity other) {
        BigDecimal d = amount.subtract(other.amount);
        return new QuotaQuantity(d.signum() < 0 ? BigDecimal.ZERO : d, binary);
    }

    /** The larger of the two. */
    public QuotaQuantity max(QuotaQuantity other) {
        return amount.compareTo(other.amount) >= 0 ? this : other;
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    /** The canonical text, as the API server writes it: {@code 1500m}, {@code 2k}, {@code 1Gi}. */
    @Override
    public String toString() {
        BigDecimal v = amount.stripTrailingZeros();
        if (binary && v.abs().compareTo(BigDecimal.valueOf(1024)) >= 0 && v.scale() <= 0) {
            BigInteger i = v.toBigIntegerExact();
            int power = 0;
            while (power < BINARY.length - 1 && i.mod(K1024).signum() == 0) {
                i = i.divide(K1024);
                power++;
            }
            return i + BINARY[power];
        }
        if (v.signum() == 0) {
            return "0";
        }
        // the smallest unit is the nano; finer amounts round up to it
        if (v.scale() > 9) {
            v = v.setScale(9, RoundingMode.UP).stripTrailingZeros();
        }
        int exponent = -v.scale(); // v = unscaled * 10^exponent
        int e3 = Math.floorDiv(exponent, 3) * 3;
        e3 = Math.max(-9, Math.min(18, e3));
        BigInteger mantissa = v.movePointLeft(e3).toBigIntegerExact();
        return mantissa + DECIMAL[e3 / 3 + 3];
    }
}
