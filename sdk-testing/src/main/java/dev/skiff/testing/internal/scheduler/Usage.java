package dev.skiff.testing.internal.scheduler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running totals of the pods bound to one node: requested resources, non-zero requests for
 * scoring, pod count and host ports in use. Updated in O(resources) per bind or unbind.
 */
final class Usage {
    /** Bound pods by key, in bind order. */
    final Map<String, PodDemand> pods = new LinkedHashMap<>();

    final Map<String, Long> requested = new HashMap<>();
    long nonZeroMilliCpu;
    long nonZeroMemory;
    /** host IP → "protocol/port" → how many bound pods use it. */
    final Map<String, Map<String, Integer>> ports = new HashMap<>();
    /** Bound pods with pod (anti-)affinity terms, and those with required anti-affinity terms. */
    int withAffinity;

    int withRequiredAnti;

    Usage copy() {
        Usage u = new Usage();
        u.pods.putAll(pods);
        u.requested.putAll(requested);
        u.nonZeroMilliCpu = nonZeroMilliCpu;
        u.nonZeroMemory = nonZeroMemory;
        u.withAffinity = withAffinity;
        u.withRequiredAnti = withRequiredAnti;
        ports.forEach((ip, m) -> u.ports.put(ip, new HashMap<>(m)));
        return u;
    }

    void add(PodDemand d) {
        PodDemand old = pods.put(d.key, d);
        if (old != null) {
            apply(old, -1);
        }
        apply(d, 1);
    }

    boolean remove(String key) {
        PodDemand old = pods.remove(key);
        if (old == null) {
            return false;
        }
        apply(old, -1);
        return true;
    }

    private void apply(PodDemand d, int sign) {
        d.requests.forEach((name, amount) -> requested.merge(name, sign * amount, Long::sum));
        nonZeroMilliCpu += sign * d.nonZeroMilliCpu;
        nonZeroMemory += sign * d.nonZeroMemory;
        if (d.terms != null) {
            withAffinity += sign;
            if (!d.terms.requiredAnti().isEmpty()) {
                withRequiredAnti += sign;
            }
        }
        for (PodDemand.HostPort p : d.hostPorts) {
            Map<String, Integer> m = ports.computeIfAbsent(p.ip(), k -> new HashMap<>());
            int n = m.getOrDefault(p.protocolPort(), 0) + sign;
            if (n <= 0) {
                m.remove(p.protocolPort());
            } else {
                m.put(p.protocolPort(), n);
            }
        }
    }

    long requested(String resource) {
        return requested.getOrDefault(resource, 0L);
    }

    int podCount() {
        return pods.size();
    }

    /** kube-scheduler's {@code HostPortInfo.CheckConflict}: 0.0.0.0 clashes with every address. */
    boolean portConflict(PodDemand.HostPort p) {
        String pp = p.protocolPort();
        if (PodDemand.HostPort.ALL.equals(p.ip())) {
            return ports.values().stream().anyMatch(m -> m.containsKey(pp));
        }
        Map<String, Integer> any = ports.get(PodDemand.HostPort.ALL);
        Map<String, Integer> same = ports.get(p.ip());
        return (any != null && any.containsKey(pp)) || (same != null && same.containsKey(pp));
    }
}
