package dev.skiff.testing.internal.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A label selector in the query-string syntax of {@code ?labelSelector=}: equality ({@code a=b},
 * {@code a==b}, {@code a!=b}), set-based ({@code a in (x,y)}, {@code a notin (x)}), existence
 * ({@code a}, {@code !a}), comma-separated and ANDed.
 */
public final class LabelSelector {
    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    enum Op {
        EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN,
        EXISTS,
        DOES_NOT_EXIST
    }

    record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /** Returns a selector that matches everything. */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** Returns whether the selector matches everything. */
    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /**
     * Parses the query-string form.
     *
     * @throws ApiException 400 when the selector is malformed
     */
    public static LabelSelector parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            i = skipSpaces(text, i);
            boolean not = false;
            if (i < n && text.charAt(i) == '!') {
                not = true;
                i = skipSpaces(text, i + 1);
            }
            int keyStart = i;
            while (i < n && !isDelimiter(text.charAt(i))) {
                i++;
            }
            String key = text.substring(keyStart, i).trim();
            if (key.isEmpty()) {
                throw ApiException.badRequest(
                        "unable to parse requirement: found '" + text + "', expected: identifier");
            }
            i = skipSpaces(text, i);
            if (not) {
                out.add(new Requirement(key, Op.DOES_NOT_EXIST, Set.of()));
            } else if (i >= n || text.charAt(i) == ',') {
                out.add(new Requirement(key, Op.EXISTS, Set.of()));
            } else if (text.startsWith("!=", i)) {
                int end = valueEnd(text, i + 2);
                out.add(new Requirement(
                        key, Op.NOT_EQUALS, Set.of(text.substring(i + 2, end).trim())));
                i = end;
            } else if (text.startsWith("==", i)) {
                int end = valueEnd(text, i + 2);
                out.add(new Requirement(
                        key, Op.EQUALS, Set.of(text.substring(i + 2, end).trim())));
                i = end;
            } else if (text.charAt(i) == '=') {
                int end = valueEnd(text, i + 1);
                out.add(new Requirement(
                        key, Op.EQUALS, Set.of(text.substring(i + 1, end).trim())));
                i = end;
            } else if (text.startsWith("in", i) || text.startsWith("notin", i)) {
                boolean in = text.startsWith("in", i);
                i = skipSpaces(text, i + (in ? 2 : 5));
                if (i >= n || text.charAt(i) != '(') {
                    throw ApiException.badRequest("unable to parse requirement: found '" + text + "', expected: '('");
                }
                int close = text.indexOf(')', i);
                if (close < 0) {
                    throw ApiException.badRequest("unable to parse requirement: found '" + text + "', expected: ')'");
                }
                Set<String> values = new TreeSet<>();
                for (String v : text.substring(i + 1, close).split(",")) {
                    if (!v.isBlank()) {
                        values.add(v.trim());
                    }
                }
                out.add(new Requirement(key, in ? Op.IN : Op.NOT_IN, Collections.unmodifiableSet(values)));
                i = close + 1;
            } else {
                throw ApiException.badRequest("unable to parse requirement: found '" + text.substring(i) + "'");
            }
            i = skipSpaces(text, i);
            if (i < n) {
                if (text.charAt(i) != ',') {
                    throw ApiException.badRequest(
                            "unable to parse requirement: found '" + text.substring(i) + "', expected: ','");
                }
                i++;
            }
        }
        return new LabelSelector(List.copyOf(out));
    }

    /** Builds a selector from a fabric8 {@code LabelSelector} (matchLabels and matchExpressions). */
    public static LabelSelector of(io.fabric8.kubernetes.api.model.@Nullable LabelSelector selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> out.add(new Requirement(k, Op.EQUALS, Set.of(v))));
        }
        if (selector.getMatchExpressions() != null) {
            for (var e : selector.getMatchExpressions()) {
                Set<String> values = e.getValues() == null ? Set.of() : Set.copyOf(e.getValues());
                Op op = switch (e.getOperator()) {
                    case "In" -> Op.IN;
                    case "NotIn" -> Op.NOT_IN;
                    case "Exists" -> Op.EXISTS;
                    default -> Op.DOES_NOT_EXIST;
                };
                out.add(new Requirement(e.getKey(), op, values));
            }
        }
        return new LabelSelector(List.copyOf(out));
    }

    /** Returns whether {@code labels} (possibly null) satisfy every requirement. */
    public boolean matches(@Nullable Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDelimiter(char c) {
        return c == '=' || c == '!' || c == ',' || c == ' ' || c == '(';
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int valueEnd(String s, int i) {
        int comma = s.indexOf(',', i);
        return comma < 0 ? s.length() : comma;
    }
}
