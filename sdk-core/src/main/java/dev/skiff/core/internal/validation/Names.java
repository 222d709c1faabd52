package dev.skiff.core.internal.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * The string formats of Kubernetes: DNS labels and subdomains, qualified names, label values, port
 * names, config keys and environment variable names, with the API server's messages. Matching is
 * hand-written (no regular expressions) because it runs on every field of every object.
 */
public final class Names {
    private Names() {}

    static final int LABEL_MAX = 63;
    static final int SUBDOMAIN_MAX = 253;

    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_LABEL_MSG = regexError(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start"
                    + " and end with an alphanumeric character",
            DNS1123_LABEL_FMT,
            "my-name",
            "123-abc");
    static final String DNS1123_SUBDOMAIN_MSG = regexError(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and"
                    + " must start and end with an alphanumeric character",
            DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*",
            "example.com");
    static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    static final String QUALIFIED_NAME_ERR =
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric"
                    + " character";
    static final String NAME_PART_MSG =
            "name part " + regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc");
    static final String QUALIFIED_MSG = "a qualified name "
            + regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
    static final String LABEL_VALUE_MSG = regexError(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and"
                    + " must start and end with an alphanumeric character",
            "(" + QUALIFIED_NAME_FMT + ")?",
            "MyValue",
            "my_value",
            "12345");
    static final String CONFIG_KEY_MSG = regexError(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            "key.name",
            "KEY_NAME",
            "key-name");
    static final String ENV_NAME_MSG =
            "a valid environment variable name must consist only of printable ASCII characters other than '='";
    static final String PERCENT_MSG = regexError(
            "a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%", "93%");

    /** Go's {@code validation.RegexError}, with its double space before each {@code or}. */
    static String regexError(String msg, String fmt, String... examples) {
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '")
                .append(fmt)
                .append("')")
                .toString();
    }

    static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    static String inclusiveRange(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    private static boolean lowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean alnum(char c) {
        return lowerAlnum(c) || (c >= 'A' && c <= 'Z');
    }

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?} on {@code s[from, to)}. */
    private static boolean labelChars(String s, int from, int to) {
        if (to <= from || !lowerAlnum(s.charAt(from)) || !lowerAlnum(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (c != '-' && !lowerAlnum(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean isDns1123Label(String s) {
        return s.length() <= LABEL_MAX && labelChars(s, 0, s.length());
    }

    private static boolean subdomainChars(String s) {
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                if (!labelChars(s, start, i)) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /** Go's {@code IsDNS1123Label}. */
    public static List<String> dns1123Label(String s) {
        if (isDns1123Label(s)) {
            return List.of();
        }
        List<String> errs = new ArrayList<>(2);
        if (s.length() > LABEL_MAX) {
            errs.add(maxLen(LABEL_MAX));
        }
        if (!labelChars(s, 0, s.length())) {
            errs.add(subdomainChars(s) ? "must not contain dots" : DNS1123_LABEL_MSG);
        }
        return errs;
    }

    /** Go's {@code IsDNS1123Subdomain}. */
    public static List<String> dns1123Subdomain(String s) {
        boolean chars = subdomainChars(s);
        if (chars && s.length() <= SUBDOMAIN_MAX) {
            return List.of();
        }
        List<String> errs = new ArrayList<>(2);
        if (s.length() > SUBDOMAIN_MAX) {
            errs.add(maxLen(SUBDOMAIN_MAX));
        }
        if (!chars) {
            errs.add(DNS1123_SUBDOMAIN_MSG);
        }
        return errs;
    }

    /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]} on {@code s[from, to)}. */
    private static boolean namePart(String s, int from, int to) {
        if (to <= from || !alnum(s.charAt(from)) || !alnum(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code IsQualifiedName}: label keys, annotation keys, resource names. */
    public static List<String> qualifiedName(String s) {
        int slash = s.indexOf('/');
        if (slash < 0 && s.length() <= LABEL_MAX && namePart(s, 0, s.length())) {
            return List.of();
        }
        List<String> errs = new ArrayList<>(2);
        int nameStart = 0;
        if (slash >= 0) {
            if (s.indexOf('/', slash + 1) >= 0) {
                errs.add(QUALIFIED_MSG);
                return errs;
            }
            String prefix = s.substring(0, slash);
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String m : dns1123Subdomain(prefix)) {
                    errs.add("prefix part " + m);
                }
            }
            nameStart = slash + 1;
        }
        int nameLen = s.length() - nameStart;
        if (nameLen == 0) {
            errs.add("name part must be non-empty");
        } else if (nameLen > LABEL_MAX) {
            errs.add("name part " + maxLen(LABEL_MAX));
        }
        if (!namePart(s, nameStart, s.length())) {
            errs.add(NAME_PART_MSG);
        }
        return errs;
    }

    static boolean isLabelValue(String s) {
        return s.isEmpty() || (s.length() <= LABEL_MAX && namePart(s, 0, s.length()));
    }

    /** Go's {@code IsValidLabelValue}. */
    public static List<String> labelValue(String s) {
        if (isLabelValue(s)) {
            return List.of();
        }
        List<String> errs = new ArrayList<>(2);
        if (s.length() > LABEL_MAX) {
            errs.add(maxLen(LABEL_MAX));
        }
        if (!namePart(s, 0, s.length())) {
            errs.add(LABEL_VALUE_MSG);
        }
        return errs;
    }

    /** Go's {@code IsValidPortName} (an IANA_SVC_NAME). */
    public static List<String> portName(String s) {
        List<String> errs = new ArrayList<>(0);
        if (s.length() > 15) {
            errs.add(maxLen(15));
        }
        boolean charset = !s.isEmpty();
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                letter = true;
            } else if (c != '-' && !(c >= '0' && c <= '9')) {
                charset = false;
            }
        }
        if (!charset) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!letter) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (s.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(s.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    /** Go's {@code IsConfigMapKey}: ConfigMap and Secret data keys, key selectors. */
    public static List<String> configMapKey(String s) {
        List<String> errs = new ArrayList<>(0);
        if (s.length() > SUBDOMAIN_MAX) {
            errs.add(maxLen(SUBDOMAIN_MAX));
        }
        boolean ok = !s.isEmpty();
        for (int i = 0; i < s.length() && ok; i++) {
            char c = s.charAt(i);
            ok = alnum(c) || c == '-' || c == '_' || c == '.';
        }
        if (!ok) {
            errs.add(CONFIG_KEY_MSG);
        }
        if (s.equals(".")) {
            errs.add("must not be '.'");
        } else if (s.equals("..")) {
            errs.add("must not be '..'");
        } else if (s.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    /**
     * Go's {@code IsRelaxedEnvVarName}: the rule since {@code RelaxedEnvironmentVariableValidation}
     * is on by default (1.32) and GA (1.34).
     */
    public static List<String> envVarName(String s) {
        if (s.isEmpty()) {
            return List.of("environment variable name must be non-empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 32 || c > 126 || c == '=') {
                return List.of(ENV_NAME_MSG);
            }
        }
        return List.of();
    }

    /** Go's {@code IsValidPercent}: {@code [0-9]+%}. */
    static boolean isPercent(String s) {
        if (s.length() < 2 || s.charAt(s.length() - 1) != '%') {
            return false;
        }
        for (int i = 0; i < s.length() - 1; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** What a name function says about a generated-name prefix: a trailing dash is allowed there. */
    static String maskTrailingDash(String s) {
        if (s.length() > 1 && s.endsWith("-")) {
            return s.substring(0, s.length() - 2) + "a";
        }
        return s;
    }
}
