package dev.skiff.testing.internal.api.podsecurity;

import dev.skiff.testing.internal.api.podsecurity.Checks.Check;
import dev.skiff.testing.internal.api.podsecurity.Checks.Failure;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which checks a level runs at a policy version, and their combined answer. Each check has
 * versions, each from a minimum minor version on; a restricted check may replace baseline checks
 * (restricted volumes replace hostPath volumes, for one). Baseline checks run first, then the
 * restricted ones, each group in the order of the checks' ids, so that messages list the reasons in
 * the order the API server lists them. {@code latest}, and versions newer than the newest check
 * version, run the newest versions.
 */
final class Evaluator {
    private Evaluator() {}

    /** One version of a check. */
    private record Version(int minMinor, Check check, List<String> overrides) {}

    /** A check: its id, its level and its versions, oldest first. */
    private record Entry(String id, Level level, List<Version> versions) {
        @Nullable
        Version at(int minor) {
            Version found = null;
            for (Version v : versions) {
                if (v.minMinor() <= minor) {
                    found = v;
                }
            }
            return found;
        }
    }

    private static Version v(int minMinor, Check check, String... overrides) {
        return new Version(minMinor, check, List.of(overrides));
    }

    /** Sorted by id within each level, baseline first. */
    private static final List<Entry> CHECKS = List.of(
            new Entry("appArmorProfile", Level.BASELINE, List.of(v(0, Checks::appArmor))),
            new Entry("capabilities_baseline", Level.BASELINE, List.of(v(0, Checks::capabilitiesBaseline))),
            new Entry("hostNamespaces", Level.BASELINE, List.of(v(0, Checks::hostNamespaces))),
            new Entry("hostPathVolumes", Level.BASELINE, List.of(v(0, Checks::hostPathVolumes))),
            new Entry("hostPorts", Level.BASELINE, List.of(v(0, Checks::hostPorts))),
            new Entry("hostProbesAndHostLifecycle", Level.BASELINE, List.of(v(34, Checks::hostProbesAndLifecycle))),
            new Entry("privileged", Level.BASELINE, List.of(v(0, Checks::privileged))),
            new Entry("procMount", Level.BASELINE, List.of(v(0, Checks::procMount1_0), v(35, Checks::procMount1_35))),
            new Entry(
                    "seLinuxOptions",
                    Level.BASELINE,
                    List.of(v(0, Checks::seLinuxOptions1_0), v(31, Checks::seLinuxOptions1_31))),
            new Entry(
                    "seccompProfile_baseline",
                    Level.BASELINE,
                    List.of(v(0, Checks::seccompBaseline1_0), v(19, Checks::seccompBaseline1_19))),
            new Entry(
                    "sysctls",
                    Level.BASELINE,
                    List.of(
                            v(0, Checks::sysctls1_0),
                            v(27, Checks::sysctls1_27),
                            v(29, Checks::sysctls1_29),
                            v(32, Checks::sysctls1_32))),
            new Entry("windowsHostProcess", Level.BASELINE, List.of(v(0, Checks::windowsHostProcess))),
            new Entry(
                    "allowPrivilegeEscalation",
                    Level.RESTRICTED,
                    List.of(v(8, Checks::allowPrivilegeEscalation1_8), v(25, Checks::allowPrivilegeEscalation1_25))),
            new Entry(
                    "capabilities_restricted",
                    Level.RESTRICTED,
                    List.of(
                            v(22, Checks::capabilitiesRestricted1_22, "capabilities_baseline"),
                            v(25, Checks::capabilitiesRestricted1_25, "capabilities_baseline"))),
            new Entry("procMount_restricted", Level.RESTRICTED, List.of(v(35, Checks::procMount1_0, "procMount"))),
            new Entry(
                    "restrictedVolumes", Level.RESTRICTED, List.of(v(0, Checks::restrictedVolumes, "hostPathVolumes"))),
            new Entry(
                    "runAsNonRoot",
                    Level.RESTRICTED,
                    List.of(v(0, Checks::runAsNonRoot1_0), v(35, Checks::runAsNonRoot1_35))),
            new Entry(
                    "runAsUser", Level.RESTRICTED, List.of(v(23, Checks::runAsUser1_23), v(35, Checks::runAsUser1_35))),
            new Entry(
                    "seccompProfile_restricted",
                    Level.RESTRICTED,
                    List.of(
                            v(19, Checks::seccompRestricted1_19, "seccompProfile_baseline"),
                            v(25, Checks::seccompRestricted1_25, "seccompProfile_baseline"))));

    /** The newest minor version any check has: {@code latest} and newer versions run as this one. */
    static final int MAX_MINOR = CHECKS.stream()
            .mapToInt(e -> e.versions().get(e.versions().size() - 1).minMinor())
            .max()
            .orElseThrow();

    /** The checks {@code lv} runs, in order. */
    static List<Check> checks(LevelVersion lv) {
        if (lv.level() == Level.PRIVILEGED) {
            return List.of();
        }
        int minor = Math.min(lv.minor(), MAX_MINOR);
        Set<String> overridden = new HashSet<>();
        if (lv.level() == Level.RESTRICTED) {
            for (Entry e : CHECKS) {
                Version v = e.level() == Level.RESTRICTED ? e.at(minor) : null;
                if (v != null) {
                    overridden.addAll(v.overrides());
                }
            }
        }
        List<Check> out = new ArrayList<>();
        for (Entry e : CHECKS) {
            if (e.level() == Level.RESTRICTED && lv.level() != Level.RESTRICTED) {
                continue;
            }
            if (overridden.contains(e.id())) {
                continue;
            }
            Version v = e.at(minor);
            if (v != null) {
                out.add(v.check());
            }
        }
        return out;
    }

    /** The failures of a pod (or a pod template) at {@code lv}; empty when it is allowed. */
    static List<Failure> evaluate(LevelVersion lv, @Nullable ObjectMeta meta, @Nullable PodSpec spec) {
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        PodSpec s = spec == null ? new PodSpec() : spec;
        List<Failure> failures = new ArrayList<>();
        for (Check c : checks(lv)) {
            Failure f = c.check(m, s);
            if (f != null) {
                failures.add(f);
            }
        }
        return failures;
    }

    /** The reasons with their details: {@code host namespaces (hostNetwork=true), privileged (...)}. */
    static String detail(List<Failure> failures) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < failures.size(); i++) {
            Failure f = failures.get(i);
            b.append(f.reason().isEmpty() ? "unknown forbidden reason" : f.reason());
            if (!f.detail().isEmpty()) {
                b.append(" (").append(f.detail()).append(')');
            }
            if (i < failures.size() - 1) {
                b.append(", ");
            }
        }
        return b.toString();
    }

    /** The reasons alone: {@code host namespaces, privileged}. */
    static String reasons(List<Failure> failures) {
        List<String> r = new ArrayList<>();
        for (Failure f : failures) {
            r.add(f.reason().isEmpty() ? "unknown forbidden reason" : f.reason());
        }
        return String.join(", ", r);
    }
}
