package dev.skiff.core.internal.cron;

import java.util.ArrayList;
import java.util.List;

/**
 * The few pieces of Go's standard library whose exact behaviour shows in Kubernetes' schedule
 * validation: whitespace splitting, integer and duration parsing, and the quoting used in their
 * error messages.
 *
 * <p>Stateless and thread-safe.
 */
final class GoText {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private GoText() {}

    /** Whether {@code c} is a space for Go's {@code unicode.IsSpace}. */
    static boolean isSpace(char c) {
        switch (c) {
            case '\t',
                    '\n',
                    '\u000B',
                    '\f',
                    '\r',
                    ' ',
                    '\u0085',
                    '\u00A0',
                    '\u1680',
                    '\u2028',
                    '\u2029',
                    '\u202F',
                    '\u205F',
                    '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200A';
        }
    }

    /** Go's {@code strings.Fields}: the non-empty runs between spaces. */
    static List<String> fields(String s) {
        List<String> fields = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            if (isSpace(s.charAt(i))) {
                if (start >= 0) {
                    fields.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            fields.add(s.substring(start));
        }
        return fields;
    }

    /** Go's {@code strings.TrimSpace}. */
    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Go's {@code strings.Split}: keeps empty pieces, including trailing ones. */
    static List<String> split(String s, char separator) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == separator) {
                pieces.add(s.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(s.substring(start));
        return pieces;
    }

    /** Go's {@code strings.FieldsFunc(s, isSeparator)} for one separator: drops empty pieces. */
    static List<String> splitDroppingEmpty(String s, char separator) {
        List<String> pieces = new ArrayList<>();
        for (String piece : split(s, separator)) {
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
        }
        return pieces;
    }

    /**
     * Go's {@code strconv.Atoi} on a 64-bit platform.
     *
     * @throws IllegalArgumentException with Go's error text, e.g. {@code strconv.Atoi: parsing "x":
     *     invalid syntax}
     */
    static long atoi(String s) {
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (i == s.length()) {
            throw atoiError(s, "invalid syntax");
        }
        // Accumulate as an unsigned 64-bit value, like strconv.ParseUint, then range-check as int64.
        long n = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw atoiError(s, "invalid syntax");
            }
            if (Long.compareUnsigned(n, Long.divideUnsigned(-1L, 10) + 1) >= 0) {
                throw atoiError(s, "value out of range");
            }
            long next = n * 10 + (c - '0');
            if (Long.compareUnsigned(next, n * 10) < 0) {
                throw atoiError(s, "value out of range");
            }
            n = next;
        }
        if (!negative && Long.compareUnsigned(n, Long.MAX_VALUE) > 0) {
            throw atoiError(s, "value out of range");
        }
        if (negative && Long.compareUnsigned(n, Long.MIN_VALUE) > 0) {
            throw atoiError(s, "value out of range");
        }
        return negative ? -n : n;
    }

    private static IllegalArgumentException atoiError(String s, String reason) {
        return new IllegalArgumentException("strconv.Atoi: parsing " + strconvQuote(s) + ": " + reason);
    }

    /**
     * Go's {@code time.ParseDuration}, in nanoseconds.
     *
     * @throws IllegalArgumentException with Go's error text, e.g. {@code time: unknown unit "d" in
     *     duration "1d"}
     */
    static long parseDurationNanos(String original) {
        String s = original;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalidDuration(original);
        }
        final long limit = Long.MIN_VALUE; // 1 << 63, read as unsigned
        long total = 0;
        int pos = 0;
        while (pos < s.length()) {
            char first = s.charAt(pos);
            if (!(first == '.' || (first >= '0' && first <= '9'))) {
                throw invalidDuration(original);
            }
            // Integer part: [0-9]*
            int digitsStart = pos;
            long whole = 0;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                if (Long.compareUnsigned(whole, Long.divideUnsigned(limit, 10)) > 0) {
                    throw invalidDuration(original);
                }
                whole = whole * 10 + (s.charAt(pos) - '0');
                if (Long.compareUnsigned(whole, limit) > 0) {
                    throw invalidDuration(original);
                }
                pos++;
            }
            boolean hasWhole = pos != digitsStart;
            // Fraction: (\.[0-9]*)?
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                int fractionStart = pos;
                boolean overflow = false;
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                    if (!overflow) {
                        if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
                            overflow = true;
                        } else {
                            long next = fraction * 10 + (s.charAt(pos) - '0');
                            if (Long.compareUnsigned(next, limit) > 0) {
                                overflow = true;
                            } else {
                                fraction = next;
                                scale *= 10;
                            }
                        }
                    }
                    pos++;
                }
                hasFraction = pos != fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalidDuration(original);
            }
            // Unit: everything up to the next digit or dot.
            int unitStart = pos;
            while (pos < s.length() && !(s.charAt(pos) == '.' || (s.charAt(pos) >= '0' && s.charAt(pos) <= '9'))) {
                pos++;
            }
            if (pos == unitStart) {
                throw new IllegalArgumentException("time: missing unit in duration " + timeQuote(original));
            }
            String unitName = s.substring(unitStart, pos);
            long unit = unitNanos(unitName);
            if (unit == 0) {
                throw new IllegalArgumentException(
                        "time: unknown unit " + timeQuote(unitName) + " in duration " + timeQuote(original));
            }
            if (Long.compareUnsigned(whole, Long.divideUnsigned(limit, unit)) > 0) {
                throw invalidDuration(original);
            }
            long value = whole * unit;
            if (fraction != 0) {
                value += (long) (unsignedToDouble(fraction) * ((double) unit / scale));
                if (Long.compareUnsigned(value, limit) > 0) {
                    throw invalidDuration(original);
                }
            }
            total += value;
            if (Long.compareUnsigned(total, limit) > 0) {
                throw invalidDuration(original);
            }
        }
        if (negative) {
            return -total;
        }
        if (total < 0) {
            throw invalidDuration(original);
        }
        return total;
    }

    /** Whole seconds robfig's {@code Every(d)} waits: at least one second, truncated to seconds. */
    static long everySeconds(long durationNanos) {
        return Math.max(durationNanos, NANOS_PER_SECOND) / NANOS_PER_SECOND;
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "\u00B5s": // micro sign
            case "\u03BCs": // Greek small letter mu
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return NANOS_PER_SECOND;
            case "m":
                return 60 * NANOS_PER_SECOND;
            case "h":
                return 3600 * NANOS_PER_SECOND;
            default:
                return 0;
        }
    }

    private static double unsignedToDouble(long value) {
        return value >= 0 ? value : ((double) (value >>> 1)) * 2 + (value & 1);
    }

    private static IllegalArgumentException invalidDuration(String original) {
        return new IllegalArgumentException("time: invalid duration " + timeQuote(original));
    }

    /** The quoting of Go's {@code time} package: control and non-ASCII bytes as {@code \xNN}. */
    static String timeQuote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c >= 0x80 || c < ' ') {
                for (byte b : new String(Character.toChars(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append("\\x")
                            .append(Character.forDigit((b >> 4) & 0xF, 16))
                            .append(Character.forDigit(b & 0xF, 16));
                }
            } else {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append((char) c);
            }
        }
        return out.append('"').toString();
    }

    /** Go's {@code strconv.Quote}, close enough for error messages. */
    static String strconvQuote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                    if (isPrintable(c)) {
                        out.appendCodePoint(c);
                    } else if (c < 0x80) {
                        out.append(String.format("\\x%02x", c));
                    } else if (c < 0x10000) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append(String.format("\\U%08x", c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean isPrintable(int c) {
        if (c == ' ') {
            return true;
        }
        switch (Character.getType(c)) {
            case Character.UNASSIGNED,
                    Character.CONTROL,
                    Character.FORMAT,
                    Character.PRIVATE_USE,
                    Character.SURROGATE,
                    Character.SPACE_SEPARATOR,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
