package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the quota system charges, as the API server's evaluators count it: {@code count/<resource>}
 * for every object; the legacy names ({@code pods}, {@code services}, {@code configmaps}, {@code
 * secrets}, {@code persistentvolumeclaims}, {@code resourcequotas}); a pod's {@code cpu}/{@code
 * memory}/{@code ephemeral-storage} requests (also as {@code requests.*}) and limits ({@code
 * limits.*}), hugepages and {@code requests.<extended resource>}, none of them (but {@code
 * count/pods}) once the pod has finished; a service's load balancers and node ports; a claim's
 * {@code requests.storage}.
 */
public final class QuotaUsage {
    private static final Set<String> POD_RESOURCES = Set.of(
            "pods",
            "count/pods",
            "cpu",
            "memory",
            "ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage",
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage");

    private QuotaUsage() {}

    /** The object-count name of a kind: {@code count/pods}, {@code count/jobs.batch}. */
    static String countName(ResourceType type) {
        return "count/" + type.plural() + (type.group().isEmpty() ? "" : "." + type.group());
    }

    /** Whether the evaluator of {@code type} counts the quota resource {@code name}. */
    static boolean matches(ResourceType type, String name) {
        if (name.equals(countName(type))) {
            return true;
        }
        if (type == ResourceTypes.PODS) {
            return POD_RESOURCES.contains(name)
                    || name.startsWith("hugepages-")
                    || name.startsWith("requests.hugepages-")
                    || (name.startsWith("requests.") && isExtended(name.substring("requests.".length())));
        }
        if (type == ResourceTypes.SERVICES) {
            return name.equals("services")
                    || name.equals("services.loadbalancers")
                    || name.equals("services.nodeports");
        }
        if (type == ResourceTypes.PVCS) {
            return name.equals("persistentvolumeclaims") || name.equals("requests.storage");
        }
        return (type == ResourceTypes.CONFIG_MAPS
                        || type == ResourceTypes.SECRETS
                        || type == ResourceTypes.RESOURCE_QUOTAS)
                && name.equals(type.plural());
    }

    /** The names of {@code names} the evaluator of {@code type} counts, sorted. */
    static List<String> matching(ResourceType type, Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (matches(type, n)) {
                out.add(n);
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean isExtended(String resource) {
        return resource.contains("/") && !resource.startsWith("kubernetes.io/") && !resource.contains("requests.");
    }

    /** What {@code object} is charged at {@code now}. */
    public static Map<String, QuotaQuantity> usage(ResourceType type, HasMetadata object, Instant now) {
        Map<String, QuotaQuantity> u = new LinkedHashMap<>();
        u.put(countName(type), QuotaQuantity.ONE);
        if (type == ResourceTypes.CONFIG_MAPS
                || type == ResourceTypes.SECRETS
                || type == ResourceTypes.RESOURCE_QUOTAS
                || type == ResourceTypes.PVCS) {
            u.put(type.plural(), QuotaQuantity.ONE);
        }
        if (object instanceof Pod pod && charged(pod, now)) {
            podUsage(pod, u);
        } else if (object instanceof Service svc) {
            u.put("services", QuotaQuantity.ONE);
            String t = svc.getSpec() == null ? null : svc.getSpec().getType();
            int ports = svc.getSpec() == null || svc.getSpec().getPorts() == null
                    ? 0
                    : svc.getSpec().getPorts().size();
            boolean lb = "LoadBalancer".equals(t);
            u.put("services.loadbalancers", lb ? QuotaQuantity.ONE : QuotaQuantity.ZERO);
            u.put(
                    "services.nodeports",
                    lb || "NodePort".equals(t)
                            ? new QuotaQuantity(java.math.BigDecimal.valueOf(ports), false)
                            : QuotaQuantity.ZERO);
        } else if (object instanceof PersistentVolumeClaim pvc
                && pvc.getSpec() != null
                && pvc.getSpec().getResources() != null
                && pvc.getSpec().getResources().getRequests() != null
                && pvc.getSpec().getResources().getRequests().get("storage") != null) {
            u.put(
                    "requests.storage",
                    QuotaQuantity.of(pvc.getSpec().getResources().getRequests().get("storage")));
        }
        return u;
    }

    /** Whether a pod's compute resources count: not once it has finished or its grace period ran out. */
    private static boolean charged(Pod pod, Instant now) {
        if (ApiServer.isTerminal(pod)) {
            return false;
        }
        String deleted = pod.getMetadata().getDeletionTimestamp();
        if (deleted != null && pod.getMetadata().getDeletionGracePeriodSeconds() != null) {
            Instant end = Instant.parse(deleted).plusSeconds(pod.getMetadata().getDeletionGracePeriodSeconds());
            return !now.isAfter(end);
        }
        return true;
    }

    private static void podUsage(Pod pod, Map<String, QuotaQuantity> u) {
        Map<String, QuotaQuantity> requests = podAmounts(
                pod, c -> c.getResources() == null ? null : c.getResources().getRequests());
        Map<String, QuotaQuantity> limits = podAmounts(
                pod, c -> c.getResources() == null ? null : c.getResources().getLimits());
        u.put("pods", QuotaQuantity.ONE);
        for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
            if (requests.containsKey(r)) {
                u.put(r, requests.get(r));
                u.put("requests." + r, requests.get(r));
            }
            if (limits.containsKey(r)) {
                u.put("limits." + r, limits.get(r));
            }
        }
        requests.forEach((r, v) -> {
            if (r.startsWith("hugepages-")) {
                u.put(r, v);
                u.put("requests." + r, v);
            } else if (isExtended(r)) {
                u.put("requests." + r, v);
            }
        });
    }

    /**
     * A pod's requests or limits as the scheduler and quota see them: the containers and sidecars
     * added up, at least each ordinary init container with the sidecars started before it, plus
     * the overhead.
     */
    private static Map<String, QuotaQuantity> podAmounts(
            Pod pod, Function<Container, @Nullable Map<String, Quantity>> amounts) {
        Map<String, QuotaQuantity> total = new TreeMap<>();
        if (pod.getSpec() == null) {
            return total;
        }
        if (pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                add(total, of(amounts.apply(c)));
            }
        }
        Map<String, QuotaQuantity> sidecars = new TreeMap<>();
        Map<String, QuotaQuantity> init = new TreeMap<>();
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                Map<String, QuotaQuantity> own = of(amounts.apply(c));
                Map<String, QuotaQuantity> step;
                if ("Always".equals(c.getRestartPolicy())) {
                    add(total, own);
                    add(sidecars, own);
                    step = new TreeMap<>(sidecars);
                } else {
                    step = new TreeMap<>(own);
                    add(step, sidecars);
                }
                step.forEach((k, v) -> init.merge(k, v, QuotaQuantity::max));
            }
        }
        init.forEach((k, v) -> total.merge(k, v, QuotaQuantity::max));
        if (pod.getSpec().getOverhead() != null) {
            add(total, of(pod.getSpec().getOverhead()));
        }
        return total;
    }

    private static Map<String, QuotaQuantity> of(@Nullable Map<String, Quantity> values) {
        Map<String, QuotaQuantity> out = new TreeMap<>();
        if (values != null) {
            values.forEach((k, v) -> out.put(k, QuotaQuantity.of(v)));
        }
        return out;
    }

    private static void add(Map<String, QuotaQuantity> sum, Map<String, QuotaQuantity> values) {
        values.forEach((k, v) -> sum.merge(k, v, QuotaQuantity::plus));
    }

    /**
     * The status the quota controller writes: {@code hard} as the spec says, {@code used} counted
     * from the namespace's objects for every hard resource an evaluator knows (zero when none is
     * charged), earlier observations kept for the others.
     */
    public static ResourceQuotaStatus status(ApiServer api, ResourceQuota quota) {
        Map<String, Quantity> hard = quota.getSpec() == null || quota.getSpec().getHard() == null
                ? Map.of()
                : quota.getSpec().getHard();
        String ns = quota.getMetadata().getNamespace();
        Map<String, QuotaQuantity> used = new TreeMap<>();
        Instant now = api.now();
        for (ResourceType t : api.servedTypes()) {
            if (!t.namespaced() || t == ResourceTypes.EVENTS_V1) {
                continue;
            }
            List<String> names = matching(t, hard.keySet());
            if (names.isEmpty()) {
                continue;
            }
            for (String n : names) {
                used.putIfAbsent(n, QuotaQuantity.ZERO);
            }
            for (HasMetadata o : api.store().list(t, ns, null)) {
                usage(t, o, now).forEach((k, v) -> {
                    if (names.contains(k)) {
                        used.merge(k, v, QuotaQuantity::plus);
                    }
                });
            }
        }
        Map<String, Quantity> usedOut = new TreeMap<>();
        if (quota.getStatus() != null && quota.getStatus().getUsed() != null) {
            quota.getStatus().getUsed().forEach((k, v) -> {
                if (hard.containsKey(k)) {
                    usedOut.put(k, v);
                }
            });
        }
        used.forEach((k, v) -> usedOut.put(k, new Quantity(v.toString())));
        Map<String, Quantity> hardOut = new TreeMap<>();
        hard.forEach((k, v) -> hardOut.put(k, new Quantity(QuotaQuantity.of(v).toString())));
        ResourceQuotaStatus status = new ResourceQuotaStatus();
        status.setHard(hardOut);
        status.setUsed(usedOut);
        return status;
    }
}
