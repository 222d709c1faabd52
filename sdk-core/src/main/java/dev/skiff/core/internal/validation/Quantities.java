package dev.skiff.core.internal.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes quantity grammar, parsed strictly (fabric8's parser is lenient):
 *
 * <pre>
 * quantity     ::= signedNumber suffix
 * signedNumber ::= [+-]? (digits | digits '.' digits? | '.' digits)
 * suffix       ::= '' | Ki | Mi | Gi | Ti | Pi | Ei | n | u | m | k | M | G | T | P | E | (e|E) [+-]? digits
 * </pre>
 */
public final class Quantities {
    private Quantities() {}

    /** The server's message when a quantity does not parse. */
    static final String SYNTAX_MSG =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static final BigDecimal KI = BigDecimal.valueOf(1024L);

    /** Returns the text of a fabric8 quantity as the user wrote it. */
    public static String text(Quantity q) {
        String amount = q.getAmount() == null ? "" : q.getAmount();
        String format = q.getFormat() == null ? "" : q.getFormat();
        return amount + format;
    }

    /** The server's message when a quantity's suffix is not one it knows, such as {@code 1mm}. */
    static final String SUFFIX_MSG = "unable to parse quantity's suffix";

    /**
     * Returns the error a kube-apiserver's decoder gives for the quantity {@code text} (Go's {@code
     * resource.ParseQuantity} after trimming spaces), or {@code null} when it decodes. The server
     * answers such a body with {@code 400 BadRequest} before any validation. (Its third error,
     * "unable to parse numeric part of quantity", needs more than 18 digits and is not modelled.)
     */
    public static @Nullable String decodingError(String text) {
        String s = text.strip();
        int end = s.length();
        if (end == 0) {
            return SYNTAX_MSG;
        }
        int pos = 0;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            pos++;
        }
        while (pos < end && s.charAt(pos) == '0') {
            pos++;
        }
        if (pos >= end) {
            return null;
        }
        pos = digits(s, pos);
        if (pos < end && s.charAt(pos) == '.') {
            pos = digits(s, pos + 1);
        }
        int suffixStart = pos;
        while (pos < end && "eEinumkKMGTP".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos < end && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
            pos++;
        }
        if (digits(s, pos) < end) {
            return SYNTAX_MSG;
        }
        return knownSuffix(s.substring(suffixStart)) ? null : SUFFIX_MSG;
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** Go's {@code suffixHandler.interpret}: a decimal or binary SI suffix, or an exponent. */
    private static boolean knownSuffix(String suffix) {
        switch (suffix) {
            case "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei":
                return true;
            default:
                break;
        }
        if (suffix.length() < 2 || (suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E')) {
            return false;
        }
        try {
            Long.parseLong(suffix.substring(1));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Returns the value of {@code s}, or {@code null} when it is not a valid quantity. */
    public static @Nullable BigDecimal parse(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int numStart = i;
        int digits = 0;
        boolean dot = false;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
            i++;
        }
        if (digits == 0) {
            return null;
        }
        BigDecimal number;
        try {
            String num = s.substring(0, i);
            if (num.endsWith(".")) {
                num = num.substring(0, num.length() - 1);
            }
            if (s.charAt(numStart) == '.') {
                num = num.substring(0, numStart) + "0" + num.substring(numStart);
            }
            number = new BigDecimal(num);
        } catch (NumberFormatException e) {
            return null;
        }
        String suffix = s.substring(i);
        switch (suffix) {
            case "":
                return number;
            case "Ki":
                return number.multiply(KI);
            case "Mi":
                return number.multiply(KI.pow(2));
            case "Gi":
                return number.multiply(KI.pow(3));
            case "Ti":
                return number.multiply(KI.pow(4));
            case "Pi":
                return number.multiply(KI.pow(5));
            case "Ei":
                return number.multiply(KI.pow(6));
            case "n":
                return number.scaleByPowerOfTen(-9);
            case "u":
                return number.scaleByPowerOfTen(-6);
            case "m":
                return number.scaleByPowerOfTen(-3);
            case "k":
                return number.scaleByPowerOfTen(3);
            case "M":
                return number.scaleByPowerOfTen(6);
            case "G":
                return number.scaleByPowerOfTen(9);
            case "T":
                return number.scaleByPowerOfTen(12);
            case "P":
                return number.scaleByPowerOfTen(15);
            case "E":
                return number.scaleByPowerOfTen(18);
            default:
                return exponent(number, suffix);
        }
    }

    private static @Nullable BigDecimal exponent(BigDecimal number, String suffix) {
        char e = suffix.charAt(0);
        if (e != 'e' && e != 'E') {
            return null;
        }
        int j = 1;
        if (j < suffix.length() && (suffix.charAt(j) == '+' || suffix.charAt(j) == '-')) {
            j++;
        }
        if (j == suffix.length() || suffix.length() - j > 9) {
            return null;
        }
        for (int k = j; k < suffix.length(); k++) {
            if (suffix.charAt(k) < '0' || suffix.charAt(k) > '9') {
                return null;
            }
        }
        int exp = Integer.parseInt(suffix.substring(1));
        if (Math.abs(exp) > 1000) {
            return null;
        }
        return number.scaleByPowerOfTen(exp);
    }

    /** Whether {@code value} is a whole number. */
    static boolean isInteger(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }
}
