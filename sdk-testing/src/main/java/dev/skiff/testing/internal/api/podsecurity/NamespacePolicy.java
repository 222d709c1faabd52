package dev.skiff.testing.internal.api.podsecurity;

import dev.skiff.core.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The policy a namespace's {@code pod-security.kubernetes.io/*} labels choose for each mode, and
 * what is wrong with those labels. Unlabelled modes keep the server's default, {@code
 * privileged:latest}.
 *
 * <p>As on the API server: a bad enforce level reads as {@code restricted}, a bad audit or warn
 * level as {@code privileged}, a bad version as {@code latest}; and without a warn label, warn
 * follows an enforce level that is stricter than it.
 */
record NamespacePolicy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {
    static final String PREFIX = "pod-security.kubernetes.io/";
    static final String ENFORCE = PREFIX + "enforce";
    static final String AUDIT = PREFIX + "audit";
    static final String WARN = PREFIX + "warn";
    private static final String VERSION = "-version";
    private static final Pattern VERSION_PATTERN = Pattern.compile("^v1\\.([0-9]|[1-9][0-9]*)$");

    static final NamespacePolicy DEFAULT = new NamespacePolicy(
            LevelVersion.PRIVILEGED_LATEST, LevelVersion.PRIVILEGED_LATEST, LevelVersion.PRIVILEGED_LATEST);

    /** A policy and the label errors found reading it. */
    record Parsed(NamespacePolicy policy, List<Violation> errors) {}

    /** Whether every mode is privileged: nothing to check. */
    boolean fullyPrivileged() {
        return enforce.level() == Level.PRIVILEGED
                && audit.level() == Level.PRIVILEGED
                && warn.level() == Level.PRIVILEGED;
    }

    /** Reads the labels of a namespace. */
    static Parsed parse(@Nullable Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return new Parsed(DEFAULT, List.of());
        }
        List<Violation> errors = new ArrayList<>();
        Level enforceLevel = Level.PRIVILEGED;
        int enforceVersion = LevelVersion.LATEST;
        Level auditLevel = Level.PRIVILEGED;
        int auditVersion = LevelVersion.LATEST;
        Level warnLevel = Level.PRIVILEGED;
        int warnVersion = LevelVersion.LATEST;
        boolean hasEnforceLevel = false;
        String value = labels.get(ENFORCE);
        if (value != null) {
            Level l = level(value);
            hasEnforceLevel = l != null;
            enforceLevel = l == null ? Level.RESTRICTED : l;
            levelError(errors, ENFORCE, value, l);
        }
        value = labels.get(ENFORCE + VERSION);
        if (value != null) {
            enforceVersion = version(errors, ENFORCE + VERSION, value);
        }
        value = labels.get(AUDIT);
        if (value != null) {
            Level l = level(value);
            auditLevel = l == null ? Level.PRIVILEGED : l;
            levelError(errors, AUDIT, value, l);
        }
        value = labels.get(AUDIT + VERSION);
        if (value != null) {
            auditVersion = version(errors, AUDIT + VERSION, value);
        }
        boolean hasWarnLevel = false;
        value = labels.get(WARN);
        if (value != null) {
            hasWarnLevel = true;
            Level l = level(value);
            warnLevel = l == null ? Level.PRIVILEGED : l;
            levelError(errors, WARN, value, l);
        }
        boolean hasWarnVersion = false;
        value = labels.get(WARN + VERSION);
        if (value != null) {
            hasWarnVersion = true;
            warnVersion = version(errors, WARN + VERSION, value);
        }
        if (!hasWarnLevel && hasEnforceLevel && enforceLevel.compareTo(warnLevel) > 0) {
            warnLevel = enforceLevel;
            if (!hasWarnVersion) {
                warnVersion = enforceVersion;
            }
        }
        return new Parsed(
                new NamespacePolicy(
                        new LevelVersion(enforceLevel, enforceVersion),
                        new LevelVersion(auditLevel, auditVersion),
                        new LevelVersion(warnLevel, warnVersion)),
                List.copyOf(errors));
    }

    private static @Nullable Level level(String value) {
        for (Level l : Level.values()) {
            if (l.label().equals(value)) {
                return l;
            }
        }
        return null;
    }

    private static void levelError(List<Violation> errors, String label, String value, @Nullable Level parsed) {
        if (parsed == null) {
            errors.add(Violation.invalid(field(label), value, "must be one of privileged, baseline, restricted"));
        }
    }

    private static int version(List<Violation> errors, String label, String value) {
        if (value.equals("latest")) {
            return LevelVersion.LATEST;
        }
        var m = VERSION_PATTERN.matcher(value);
        if (m.matches()) {
            try {
                return Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                // more digits than an int: as the server's Atoi, an error
            }
        }
        errors.add(Violation.invalid(field(label), value, "must be \"latest\" or \"v1.x\""));
        return LevelVersion.LATEST;
    }

    private static String field(String label) {
        return "metadata.labels[" + label + "]";
    }
}
