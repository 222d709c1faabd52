package dev.skiff.core.internal.cron;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Time zone names as Kubernetes judges them: the {@code spec.timeZone} rules of {@code
 * validateTimeZone} and the names Go's {@code time.LoadLocation} can load.
 *
 * <p>Go and the JDK read the same IANA database, with three differences handled here: the JDK
 * also lists {@code SystemV/*} names, which Go's copy no longer has; Go has {@code EST},
 * {@code MST}, {@code HST}, {@code GMT+0}, {@code GMT-0}, {@code ROC} and {@code Factory}, which
 * {@link ZoneId#of(String)} does not resolve; and each side knows only the zones of its own
 * database version.
 *
 * <p>Stateless and thread-safe.
 */
final class GoZones {
    /** Go-loadable names the JDK lacks, with the JDK zone that has the same rules. */
    private static final Map<String, String> GO_ONLY = Map.of(
            "EST", "America/Panama",
            "MST", "America/Phoenix",
            "HST", "Pacific/Honolulu",
            "GMT+0", "Etc/GMT",
            "GMT-0", "Etc/GMT",
            "ROC", "Asia/Taipei",
            "Factory", "Etc/UTC");

    private static final Set<String> JDK_NAMES = ZoneId.getAvailableZoneIds().stream()
            .filter(name -> !name.startsWith("SystemV/"))
            .collect(Collectors.toUnmodifiableSet());

    /** One path component of a time zone name, per Kubernetes' {@code validTimeZoneCharacters}. */
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z.\\-_0-9+]{1,14}");

    static final String EMPTY = "timeZone must be nil or non-empty string";
    static final String NOT_EXPLICIT =
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones";

    private GoZones() {}

    /**
     * Go's {@code time.LoadLocation(name)} error text, or {@code null} if it loads. {@code ""},
     * {@code "UTC"} and {@code "Local"} always load.
     */
    static @Nullable String loadLocationError(String name) {
        if (name.isEmpty() || name.equals("UTC") || name.equals("Local")) {
            return null;
        }
        if (name.contains("..") || name.startsWith("/") || name.startsWith("\\")) {
            return "time: invalid location name";
        }
        if (JDK_NAMES.contains(name) || GO_ONLY.containsKey(name)) {
            return null;
        }
        return "unknown time zone " + name;
    }

    /** The details Kubernetes' {@code validateTimeZone} reports for {@code timeZone}, in order. */
    static List<String> timeZoneErrors(String timeZone) {
        if (timeZone.isEmpty()) {
            return List.of(EMPTY);
        }
        for (String part : GoText.split(timeZone, '/')) {
            if (part.equals(".")
                    || part.equals("..")
                    || part.startsWith("-")
                    || !COMPONENT.matcher(part).matches()) {
                return List.of("unknown time zone " + timeZone);
            }
        }
        List<String> errors = new ArrayList<>(2);
        if (timeZone.equalsIgnoreCase("Local")) {
            errors.add(NOT_EXPLICIT);
        }
        String loadError = loadLocationError(timeZone);
        if (loadError != null) {
            errors.add(loadError);
        }
        return errors;
    }

    /** The JDK zone with the rules Go loads for {@code name}; {@code name} must be valid. */
    static ZoneId zoneId(String name) {
        if (name.equals("UTC")) {
            return ZoneId.of("UTC");
        }
        return ZoneId.of(GO_ONLY.getOrDefault(name, name));
    }
}
