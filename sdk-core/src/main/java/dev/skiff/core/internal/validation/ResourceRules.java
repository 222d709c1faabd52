package dev.skiff.core.internal.validation;

import static dev.skiff.core.internal.validation.MetaRules.str;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Container resource names, quantities, requests against limits, and resource claims. */
final class ResourceRules {
    private ResourceRules() {}

    static final String HUGEPAGES_PREFIX = "hugepages-";
    private static final Set<String> STANDARD_CONTAINER = Set.of("cpu", "memory", "ephemeral-storage");
    private static final Set<String> STANDARD = Set.of(
            "cpu",
            "memory",
            "ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage",
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "pods",
            "services",
            "replicationcontrollers",
            "resourcequotas",
            "secrets",
            "persistentvolumeclaims",
            "configmaps",
            "storage",
            "requests.storage",
            "services.nodeports",
            "services.loadbalancers");
    private static final Set<String> INTEGER = Set.of(
            "pods",
            "services",
            "replicationcontrollers",
            "resourcequotas",
            "secrets",
            "configmaps",
            "persistentvolumeclaims",
            "services.nodeports",
            "services.loadbalancers");

    static boolean isNative(String name) {
        return name.indexOf('/') < 0 || name.contains("kubernetes.io/");
    }

    /** Any name with a domain other than {@code kubernetes.io}, such as {@code nvidia.com/gpu}. */
    static boolean isExtended(String name) {
        return !isNative(name)
                && !name.startsWith("requests.")
                && Names.qualifiedName("requests." + name).isEmpty();
    }

    static boolean isHugePages(String name) {
        return name.startsWith(HUGEPAGES_PREFIX);
    }

    static boolean overcommitAllowed(String name) {
        return isNative(name) && !isHugePages(name);
    }

    static boolean isIntegerResource(String name) {
        return INTEGER.contains(name) || isExtended(name);
    }

    static void containerResourceName(String name, Path path, Errors errs) {
        List<String> q = Names.qualifiedName(name);
        errs.invalidEach(path, name, q);
        boolean noSlash = name.indexOf('/') < 0;
        if (q.isEmpty() && noSlash && !STANDARD.contains(name) && !isHugePages(name)) {
            errs.invalid(path, name, "must be a standard resource type or fully qualified");
        }
        if (noSlash) {
            if (!STANDARD_CONTAINER.contains(name) && !isHugePages(name)) {
                errs.invalid(path, name, "must be a standard resource for containers");
            }
        } else if (!isNative(name) && !isExtended(name)) {
            errs.invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    /**
     * Validates one quantity: syntax, not negative, whole for integer resources. Returns its value,
     * or {@code null} if it does not parse.
     */
    static @Nullable BigDecimal quantity(String resource, @Nullable Quantity q, Path path, Errors errs) {
        String text = q == null ? "" : Quantities.text(q);
        BigDecimal v = Quantities.parse(text);
        if (v == null) {
            errs.invalid(path, text, Quantities.SYNTAX_MSG);
            return null;
        }
        if (v.signum() < 0) {
            errs.invalid(path, text, "must be greater than or equal to 0");
        }
        if (isIntegerResource(resource) && !Quantities.isInteger(v)) {
            errs.invalid(path, text, "must be an integer");
        }
        return v;
    }

    static @Nullable String hugePagesError(String name, String text, BigDecimal value) {
        BigDecimal page = Quantities.parse(name.substring(HUGEPAGES_PREFIX.length()));
        boolean ok = page != null
                && page.signum() > 0
                && Quantities.isInteger(page)
                && value.setScale(0, java.math.RoundingMode.CEILING)
                                .remainder(page)
                                .signum()
                        == 0;
        return ok ? null : text + " is not positive integer multiple of " + name;
    }

    /** Go's {@code ValidateContainerResourceRequirements}. */
    static void requirements(
            @Nullable ResourceRequirements r, boolean isPod, Set<String> podClaims, Path path, Errors errs) {
        if (r == null) {
            return;
        }
        Map<String, Quantity> limits = r.getLimits() == null ? Map.of() : r.getLimits();
        Map<String, Quantity> requests = r.getRequests() == null ? Map.of() : r.getRequests();
        if (isPod && !limits.isEmpty()) {
            // SetDefaults_Pod copies limits into missing requests (pods only, not templates).
            Map<String, Quantity> merged = new LinkedHashMap<>(requests);
            for (Map.Entry<String, Quantity> e : limits.entrySet()) {
                merged.putIfAbsent(e.getKey(), e.getValue());
            }
            requests = merged;
        }
        Path limPath = path.child("limits");
        Path reqPath = path.child("requests");
        boolean cpuOrMemory = false;
        boolean hugePages = false;
        Map<String, BigDecimal> limitValues = limits.isEmpty() ? Map.of() : new HashMap<>();
        for (Map.Entry<String, Quantity> e : limits.entrySet()) {
            String name = str(e.getKey());
            Path p = limPath.key(name);
            containerResourceName(name, p, errs);
            BigDecimal v = quantity(name, e.getValue(), p, errs);
            if (v != null) {
                limitValues.put(name, v);
                if (isHugePages(name)) {
                    String msg = hugePagesError(name, Quantities.text(e.getValue()), v);
                    if (msg != null) {
                        errs.invalid(p, Quantities.text(e.getValue()), msg);
                    }
                }
            }
            hugePages |= isHugePages(name);
            cpuOrMemory |= name.equals("cpu") || name.equals("memory");
        }
        for (Map.Entry<String, Quantity> e : requests.entrySet()) {
            String name = str(e.getKey());
            Path p = reqPath.key(name);
            containerResourceName(name, p, errs);
            BigDecimal v = quantity(name, e.getValue(), p, errs);
            String text = e.getValue() == null ? "" : Quantities.text(e.getValue());
            if (limits.containsKey(name)) {
                BigDecimal limit = limitValues.get(name);
                if (v != null && limit != null) {
                    String limText = Quantities.text(limits.get(name));
                    int cmp = v.compareTo(limit);
                    if (cmp != 0 && !overcommitAllowed(name)) {
                        errs.invalid(reqPath, text, "must be equal to " + name + " limit of " + limText);
                    } else if (cmp > 0) {
                        errs.invalid(reqPath, text, "must be less than or equal to " + name + " limit of " + limText);
                    }
                }
            } else if (!overcommitAllowed(name)) {
                errs.required(limPath, "Limit must be set for non overcommitable resources");
            }
            if (isHugePages(name) && v != null) {
                String msg = hugePagesError(name, text, v);
                if (msg != null) {
                    errs.invalid(p, text, msg);
                }
            }
            hugePages |= isHugePages(name);
            cpuOrMemory |= name.equals("cpu") || name.equals("memory");
        }
        if (hugePages && !cpuOrMemory) {
            errs.forbidden(path, "HugePages require cpu or memory");
        }
        claims(r.getClaims(), podClaims, path.child("claims"), errs);
    }

    /** Go's {@code validateResourceClaimNames}: each name must be one of {@code spec.resourceClaims}. */
    static void claims(@Nullable List<ResourceClaim> claims, Set<String> podClaims, Path path, Errors errs) {
        if (claims == null || claims.isEmpty()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            ResourceClaim c = claims.get(i);
            String name = str(c.getName());
            String request = str(c.getRequest());
            Path p = path.index(i);
            if (name.isEmpty()) {
                errs.required(p, "");
                continue;
            }
            if (seen.contains(name)) {
                errs.duplicate(p, name);
            } else {
                String key = name;
                if (!request.isEmpty()) {
                    errs.invalidEach(p.child("request"), request, Names.dns1123Label(request));
                    key = name + "/" + request;
                }
                if (seen.contains(key)) {
                    errs.duplicate(p, key);
                } else if (request.isEmpty()) {
                    for (String k : seen) {
                        int slash = k.indexOf('/');
                        if (slash >= 0 && k.substring(0, slash).equals(name)) {
                            errs.duplicate(p, name);
                        }
                    }
                }
                seen.add(key);
            }
            if (!podClaims.contains(name)) {
                String detail = "must be one of the names in pod.spec.resourceClaims";
                if (podClaims.isEmpty()) {
                    detail += " which is empty";
                } else {
                    List<String> sorted = new ArrayList<>(podClaims);
                    Collections.sort(sorted);
                    detail += ": " + String.join(", ", sorted);
                }
                errs.notFound(p, name, detail);
            }
        }
    }
}
