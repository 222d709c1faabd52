package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The ResourceQuota admission plugin. It goes by each quota's {@code status} as the quota
 * controller last wrote it: a quota without {@code status.hard} does not restrict yet; one whose
 * {@code status.used} lacks a restricted resource refuses ("status unknown"); otherwise the new
 * usage may not exceed the hard limit, and an admitted write adds its charge to {@code status.used}
 * at once (not on a dry run).
 */
final class Admission {
    /** The resources whose quota makes every container state them. */
    private static final Set<String> REQUIRE_EXPLICIT =
            Set.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory");

    private Admission() {}

    /**
     * Checks a create ({@code old} null) or update of {@code object}; {@code name} is its name as
     * admission reports it.
     */
    static void checkQuota(
            ApiServer api,
            ResourceType type,
            HasMetadata object,
            @Nullable HasMetadata old,
            String name,
            boolean dryRun) {
        String ns = object.getMetadata().getNamespace();
        if (ns == null || type == ResourceTypes.EVENTS || type == ResourceTypes.EVENTS_V1) {
            return;
        }
        List<ResourceQuota> quotas = api.list(ResourceQuota.class, ns);
        if (quotas.isEmpty()) {
            return;
        }
        List<ResourceQuota> interesting = new ArrayList<>();
        for (ResourceQuota q : quotas) {
            Map<String, Quantity> hard = hard(q);
            List<String> restricted = QuotaUsage.matching(type, hard.keySet());
            if (restricted.isEmpty()) {
                continue;
            }
            if (object instanceof Pod pod) {
                String missing = missingRequests(pod, restricted);
                if (missing != null) {
                    throw forbidden(
                            type, name, "failed quota: " + q.getMetadata().getName() + ": must specify " + missing);
                }
            }
            Map<String, Quantity> used = used(q);
            for (String r : restricted) {
                if (!used.containsKey(r)) {
                    throw forbidden(
                            type,
                            name,
                            "status unknown for quota: " + q.getMetadata().getName() + ", resources: "
                                    + String.join(",", restricted));
                }
            }
            interesting.add(q);
        }
        if (interesting.isEmpty()) {
            return;
        }
        Map<String, QuotaQuantity> delta = QuotaUsage.usage(type, object, api.now());
        if (old != null) {
            Map<String, QuotaQuantity> before = QuotaUsage.usage(type, old, api.now());
            delta.replaceAll((k, v) -> before.containsKey(k) ? v.minusAtLeastZero(before.get(k)) : v);
        }
        delta.values().removeIf(QuotaQuantity::isZero);
        if (delta.isEmpty()) {
            return;
        }
        Map<ResourceQuota, Map<String, QuotaQuantity>> updates = new LinkedHashMap<>();
        for (ResourceQuota q : interesting) {
            Map<String, Quantity> hard = hard(q);
            Map<String, Quantity> used = used(q);
            Map<String, QuotaQuantity> requested = new TreeMap<>();
            delta.forEach((k, v) -> {
                if (hard.containsKey(k)) {
                    requested.put(k, v);
                }
            });
            Map<String, QuotaQuantity> next = new TreeMap<>();
            used.forEach((k, v) -> next.put(k, QuotaQuantity.of(v)));
            requested.forEach((k, v) -> next.merge(k, v, QuotaQuantity::plus));
            Set<String> exceeded = new TreeSet<>();
            for (String k : requested.keySet()) {
                if (next.get(k).amount().compareTo(QuotaQuantity.of(hard.get(k)).amount()) > 0) {
                    exceeded.add(k);
                }
            }
            if (!exceeded.isEmpty()) {
                List<String> req = new ArrayList<>();
                List<String> usedText = new ArrayList<>();
                List<String> limited = new ArrayList<>();
                for (String k : exceeded) {
                    req.add(k + "=" + requested.get(k));
                    if (used.containsKey(k)) {
                        usedText.add(k + "=" + QuotaQuantity.of(used.get(k)));
                    }
                    limited.add(k + "=" + QuotaQuantity.of(hard.get(k)));
                }
                throw forbidden(
                        type,
                        name,
                        "exceeded quota: " + q.getMetadata().getName() + ", requested: " + String.join(",", req)
                                + ", used: " + String.join(",", usedText) + ", limited: "
                                + String.join(",", limited));
            }
            if (!requested.isEmpty()) {
                updates.put(q, next);
            }
        }
        if (dryRun) {
            return;
        }
        updates.forEach((q, next) -> {
            ResourceQuota copy = (ResourceQuota) api.copy(q);
            ResourceQuotaStatus status = new ResourceQuotaStatus();
            status.setHard(q.getStatus().getHard());
            Map<String, Quantity> used = new TreeMap<>();
            next.forEach((k, v) -> used.put(k, new Quantity(v.toString())));
            status.setUsed(used);
            copy.setStatus(status);
            api.updateStatus(copy);
        });
    }

    private static Map<String, Quantity> hard(ResourceQuota q) {
        return q.getStatus() == null || q.getStatus().getHard() == null
                ? Map.of()
                : q.getStatus().getHard();
    }

    private static Map<String, Quantity> used(ResourceQuota q) {
        return q.getStatus() == null || q.getStatus().getUsed() == null
                ? Map.of()
                : q.getStatus().getUsed();
    }

    private static ApiException forbidden(ResourceType type, String name, String message) {
        return ApiException.forbidden(type, name, type + " \"" + name + "\" is forbidden: " + message);
    }

    /**
     * When a quota restricts cpu or memory, every container and init container must state what the
     * quota counts: {@code requests.cpu for: a,b; limits.memory for: a}, or null when all do.
     */
    private static @Nullable String missingRequests(Pod pod, List<String> restricted) {
        Set<String> required = new TreeSet<>(restricted);
        required.retainAll(REQUIRE_EXPLICIT);
        if (required.isEmpty() || pod.getSpec() == null) {
            return null;
        }
        Map<String, Set<String>> missing = new TreeMap<>();
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        for (Container c : all) {
            Set<String> has = new TreeSet<>();
            var res = c.getResources();
            for (String r : List.of("cpu", "memory")) {
                if (res != null
                        && res.getRequests() != null
                        && res.getRequests().containsKey(r)) {
                    has.add(r);
                    has.add("requests." + r);
                }
                if (res != null && res.getLimits() != null && res.getLimits().containsKey(r)) {
                    has.add("limits." + r);
                }
            }
            for (String r : required) {
                if (!has.contains(r)) {
                    missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.getName());
                }
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        missing.forEach((r, names) -> parts.add(r + " for: " + String.join(",", names)));
        return String.join("; ", parts);
    }
}
