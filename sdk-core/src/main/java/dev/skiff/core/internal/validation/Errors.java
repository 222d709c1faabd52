package dev.skiff.core.internal.validation;

import dev.skiff.core.validation.Violation;
import dev.skiff.core.validation.Violation.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Collects violations in the order the API server reports them; not thread-safe. */
public final class Errors {
    private final ArrayList<Violation> list = new ArrayList<>(4);

    /** Returns the violations collected so far. */
    public List<Violation> list() {
        return list;
    }

    /** Returns how many violations were collected so far. */
    public int size() {
        return list.size();
    }

    void required(Path path, String detail) {
        list.add(new Violation(path.toString(), Type.REQUIRED, null, detail));
    }

    void invalid(Path path, @Nullable Object value, String detail) {
        list.add(new Violation(path.toString(), Type.INVALID, render(value), detail));
    }

    void invalidEach(Path path, @Nullable Object value, List<String> details) {
        for (int i = 0; i < details.size(); i++) {
            invalid(path, value, details.get(i));
        }
    }

    /** An {@code Invalid value} with a value already rendered as the server prints it. */
    void invalidRaw(Path path, String rendered, String detail) {
        list.add(new Violation(path.toString(), Type.INVALID, rendered, detail));
    }

    /** An {@code Invalid value} whose value the server omits. */
    void invalidNoValue(Path path, String detail) {
        list.add(new Violation(path.toString(), Type.INVALID, null, detail));
    }

    void notSupported(Path path, @Nullable Object value, Collection<String> supported) {
        StringBuilder detail = new StringBuilder("supported values: ");
        int i = 0;
        for (String s : supported) {
            if (i++ > 0) {
                detail.append(", ");
            }
            detail.append(quote(s));
        }
        list.add(new Violation(path.toString(), Type.NOT_SUPPORTED, render(value), detail.toString()));
    }

    void forbidden(Path path, String detail) {
        list.add(new Violation(path.toString(), Type.FORBIDDEN, null, detail));
    }

    void duplicate(Path path, @Nullable Object value) {
        list.add(new Violation(path.toString(), Type.DUPLICATE, render(value), ""));
    }

    void notFound(Path path, @Nullable Object value, String detail) {
        list.add(new Violation(path.toString(), Type.NOT_FOUND, render(value), detail));
    }

    void tooLong(Path path, int maxBytes) {
        list.add(new Violation(path.toString(), Type.TOO_LONG, null, "may not be more than " + maxBytes + " bytes"));
    }

    void tooMany(Path path, int actual, int max) {
        list.add(new Violation(
                path.toString(), Type.TOO_MANY, String.valueOf(actual), "must have at most " + max + " items"));
    }

    static @Nullable String render(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence) {
            return quote(value.toString());
        }
        if (value instanceof Map<?, ?> map) {
            return jsonMap(map);
        }
        return String.valueOf(value);
    }

    /** Quotes like Go's {@code %q} for the characters that matter in field values. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Renders a label map as the server prints a map value since Kubernetes 1.33: JSON with sorted
     * keys, such as {@code {"app":"serve"}}.
     */
    static String jsonMap(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder("{");
        int i = 0;
        for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
            if (i++ > 0) {
                sb.append(',');
            }
            jsonString(sb, String.valueOf(e.getKey()));
            sb.append(':');
            jsonString(sb, String.valueOf(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** Appends {@code s} as Go's {@code encoding/json} writes a string (HTML characters escaped). */
    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
