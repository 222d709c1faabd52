package dev.skiff.core.internal.defaults;

/**
 * The image pull policy the API server gives a container (or an image volume) that has none: {@code
 * Always} when the image reference parses with the tag {@code latest}, or with neither tag nor
 * digest (the tag then defaults to {@code latest}); {@code IfNotPresent} otherwise, including for a
 * reference that does not parse.
 *
 * <p>The reference grammar is the one of {@code github.com/distribution/reference} as used by
 * {@code ParseNormalizedNamed}, checked by hand in one pass (no regular expressions):
 *
 * <pre>
 * reference      ::= name [ ":" tag ] [ "@" digest ]
 * name           ::= [ domain "/" ] path-component ( "/" path-component )*
 * path-component ::= [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 * domain         ::= ( domain-label ( "." domain-label )* | "[" ipv6 "]" ) [ ":" [0-9]+ ]
 * tag            ::= [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 * digest         ::= algorithm ":" hex   (sha256: 64, sha384: 96, sha512: 128 lowercase hex digits)
 * </pre>
 */
public final class ImageReferences {
    private ImageReferences() {}

    /** Pull the image on every start. */
    public static final String ALWAYS = "Always";
    /** Pull the image only when the node does not have it. */
    public static final String IF_NOT_PRESENT = "IfNotPresent";

    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_TAG_LENGTH = 128;
    private static final String DEFAULT_DOMAIN = "docker.io";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";

    /** Returns {@code Always} or {@code IfNotPresent}, as {@code SetDefaults_Container} would. */
    public static String defaultPullPolicy(String image) {
        return pullsLatest(image) ? ALWAYS : IF_NOT_PRESENT;
    }

    /** Whether {@code ParseImageName} would succeed and report the tag {@code latest}. */
    static boolean pullsLatest(String image) {
        if (image.isEmpty() || isHexIdentifier(image)) {
            return false;
        }
        int slash = image.indexOf('/');
        String domain;
        String remainder;
        if (slash < 0 || !looksLikeDomain(image, slash)) {
            domain = DEFAULT_DOMAIN;
            remainder = image;
        } else {
            domain = image.substring(0, slash);
            remainder = image.substring(slash + 1);
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        boolean official = domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0;
        int tagSep = remainder.indexOf(':');
        int remoteEnd = tagSep < 0 ? remainder.length() : tagSep;
        for (int i = 0; i < remoteEnd; i++) {
            char c = remainder.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return false; // repository name must be lowercase
            }
        }
        if (!isDomain(domain) && pathComponentEnd(domain, 0) != domain.length()) {
            return false;
        }
        int pathEnd = pathEnd(remainder);
        if (pathEnd <= 0) {
            return false;
        }
        int nameLength = domain.length() + 1 + (official ? OFFICIAL_PREFIX.length() : 0) + pathEnd;
        if (nameLength > MAX_NAME_LENGTH) {
            return false;
        }
        int i = pathEnd;
        String tag = null;
        if (i < remainder.length() && remainder.charAt(i) == ':') {
            int start = i + 1;
            int end = start;
            while (end < remainder.length() && remainder.charAt(end) != '@') {
                end++;
            }
            if (!isTag(remainder, start, end)) {
                return false;
            }
            tag = remainder.substring(start, end);
            i = end;
        }
        boolean digest = false;
        if (i < remainder.length()) {
            if (remainder.charAt(i) != '@' || !isDigest(remainder, i + 1)) {
                return false;
            }
            digest = true;
        }
        return tag == null ? !digest : tag.equals("latest");
    }

    /** {@code splitDockerDomain}: the first component is a domain when it has a dot or colon, is localhost, or has upper case. */
    private static boolean looksLikeDomain(String image, int slash) {
        boolean upper = false;
        for (int i = 0; i < slash; i++) {
            char c = image.charAt(i);
            if (c == '.' || c == ':') {
                return true;
            }
            upper |= c >= 'A' && c <= 'Z';
        }
        return upper || image.startsWith("localhost/");
    }

    /** The index just after the last path component of {@code s}, or -1 when the path is malformed. */
    private static int pathEnd(String s) {
        int i = 0;
        while (true) {
            int end = pathComponentEnd(s, i);
            if (end < 0) {
                return -1;
            }
            if (end < s.length() && s.charAt(end) == '/') {
                i = end + 1;
            } else {
                return end;
            }
        }
    }

    /** Scans one path component from {@code start}; returns its end, or -1 when none starts there. */
    private static int pathComponentEnd(String s, int start) {
        int i = alnumEnd(s, start);
        if (i == start) {
            return -1;
        }
        while (i < s.length()) {
            int sep = separatorEnd(s, i);
            if (sep == i) {
                return i;
            }
            int next = alnumEnd(s, sep);
            if (next == sep) {
                return i; // a separator must be followed by an alphanumeric run
            }
            i = next;
        }
        return i;
    }

    private static int alnumEnd(String s, int i) {
        while (i < s.length() && isLowerAlnum(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int separatorEnd(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        if (c == '.') {
            return i + 1;
        }
        if (c == '_') {
            return i + 1 < s.length() && s.charAt(i + 1) == '_' ? i + 2 : i + 1;
        }
        int j = i;
        while (j < s.length() && s.charAt(j) == '-') {
            j++;
        }
        return j;
    }

    /** {@code domain-label ("." domain-label)* | "[" ipv6 "]"}, then an optional {@code :port}. */
    static boolean isDomain(String d) {
        int i;
        if (d.startsWith("[")) {
            int close = d.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int k = 1; k < close; k++) {
                char c = d.charAt(k);
                if (!(isHex(c) || c == ':')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            i = 0;
            while (true) {
                int start = i;
                while (i < d.length() && (isAsciiAlnum(d.charAt(i)) || d.charAt(i) == '-')) {
                    i++;
                }
                if (i == start || d.charAt(start) == '-' || d.charAt(i - 1) == '-') {
                    return false;
                }
                if (i < d.length() && d.charAt(i) == '.') {
                    i++;
                } else {
                    break;
                }
            }
        }
        if (i == d.length()) {
            return true;
        }
        if (d.charAt(i) != ':' || i + 1 == d.length()) {
            return false;
        }
        for (int k = i + 1; k < d.length(); k++) {
            if (d.charAt(k) < '0' || d.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isTag(String s, int start, int end) {
        if (end <= start || end - start > MAX_TAG_LENGTH) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            boolean word = isAsciiAlnum(c) || c == '_';
            if (!(word || (i > start && (c == '.' || c == '-')))) {
                return false;
            }
        }
        return true;
    }

    /** A digest the server accepts: a registered algorithm and its exact number of lowercase hex digits. */
    private static boolean isDigest(String s, int start) {
        int colon = s.indexOf(':', start);
        if (colon < 0) {
            return false;
        }
        String algorithm = s.substring(start, colon);
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> -1;
        };
        if (expected < 0 || s.length() - colon - 1 != expected) {
            return false;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** A bare 64-character lowercase hex string, which the parser refuses as a repository name. */
    private static boolean isHexIdentifier(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isAsciiAlnum(char c) {
        return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
