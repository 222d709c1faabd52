package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The ResourceQuota admission plugin: pods and object counts against each quota of the namespace. */
final class Admission {
    private Admission() {}

    static void checkQuota(ApiServer api, ResourceType type, HasMetadata object, @Nullable HasMetadata old) {
        String ns = object.getMetadata().getNamespace();
        if (ns == null || type == ResourceTypes.RESOURCE_QUOTAS || type == ResourceTypes.EVENTS) {
            return;
        }
        List<ResourceQuota> quotas = api.list(ResourceQuota.class, ns);
        if (quotas.isEmpty()) {
            return;
        }
        Map<String, BigDecimal> delta = usage(type, object);
        if (old != null) {
            Map<String, BigDecimal> before = usage(type, old);
            before.forEach((k, v) -> delta.merge(k, v.negate(), BigDecimal::add));
        }
        for (ResourceQuota q : quotas) {
            if (q.getSpec() == null || q.getSpec().getHard() == null) {
                continue;
            }
            Map<String, BigDecimal> used = used(api, ns, q);
            List<String> requested = new ArrayList<>();
            List<String> usedText = new ArrayList<>();
            List<String> limited = new ArrayList<>();
            for (Map.Entry<String, Quantity> hard : new TreeMap<>(q.getSpec().getHard()).entrySet()) {
                BigDecimal d = delta.get(hard.getKey());
                if (d == null || d.signum() <= 0) {
                    continue;
                }
                BigDecimal u = used.getOrDefault(hard.getKey(), BigDecimal.ZERO);
                BigDecimal limit = hard.getValue().getNumericalAmount();
                if (u.add(d).compareTo(limit) > 0) {
                    requested.add(hard.getKey() + "=" + format(d));
                    usedText.add(hard.getKey() + "=" + format(u));
                    limited.add(hard.getKey() + "=" + hard.getValue().toString());
                }
            }
            if (!requested.isEmpty()) {
                String name = object.getMetadata().getName();
                throw ApiException.forbidden(
                        type,
                        name,
                        type + " \"" + name + "\" is forbidden: exceeded quota: "
                                + q.getMetadata().getName() + ", requested: " + String.join(",", requested) + ", used: "
                                + String.join(",", usedText) + ", limited: " + String.join(",", limited));
            }
        }
    }

    private static String format(BigDecimal d) {
        return new Quantity(d.stripTrailingZeros().toPlainString()).toString();
    }

    /** What the quota system charges for one object. */
    static Map<String, BigDecimal> usage(ResourceType type, HasMetadata object) {
        Map<String, BigDecimal> u = new LinkedHashMap<>();
        String countKey = "count/" + type.plural() + (type.group().isEmpty() ? "" : "." + type.group());
        u.put(countKey, BigDecimal.ONE);
        if (type == ResourceTypes.SERVICES) {
            u.put("services", BigDecimal.ONE);
        } else if (type == ResourceTypes.CONFIG_MAPS) {
            u.put("configmaps", BigDecimal.ONE);
        } else if (type == ResourceTypes.SECRETS) {
            u.put("secrets", BigDecimal.ONE);
        } else if (type == ResourceTypes.PVCS) {
            u.put("persistentvolumeclaims", BigDecimal.ONE);
        }
        if (object instanceof Pod pod) {
            if (ApiServer.isTerminal(pod)) {
                return Map.of();
            }
            u.put("pods", BigDecimal.ONE);
            Map<String, BigDecimal> requests = new TreeMap<>();
            Map<String, BigDecimal> limits = new TreeMap<>();
            if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
                for (Container c : pod.getSpec().getContainers()) {
                    add(
                            requests,
                            c.getResources() == null ? null : c.getResources().getRequests());
                    add(
                            limits,
                            c.getResources() == null ? null : c.getResources().getLimits());
                }
            }
            requests.forEach((r, v) -> {
                u.put("requests." + r, v);
                if (r.equals("cpu") || r.equals("memory") || r.equals("ephemeral-storage")) {
                    u.put(r, v);
                }
            });
            limits.forEach((r, v) -> u.put("limits." + r, v));
        }
        return u;
    }

    private static void add(Map<String, BigDecimal> sum, @Nullable Map<String, Quantity> values) {
        if (values != null) {
            values.forEach((k, v) -> sum.merge(k, v.getNumericalAmount(), BigDecimal::add));
        }
    }

    private static Map<String, BigDecimal> used(ApiServer api, String ns, ResourceQuota q) {
        Map<String, BigDecimal> used = new LinkedHashMap<>();
        for (ResourceType t : ResourceTypes.all()) {
            if (!t.namespaced()) {
                continue;
            }
            boolean charged = false;
            for (String k : q.getSpec().getHard().keySet()) {
                if (k.startsWith("count/") || t == ResourceTypes.PODS || k.equals(t.plural())) {
                    charged = true;
                    break;
                }
            }
            if (!charged) {
                continue;
            }
            for (HasMetadata o : api.store().list(t, ns, null)) {
                usage(t, o).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
            }
        }
        return used;
    }
}
