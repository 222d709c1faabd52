package dev.skiff.testing.internal.scheduler;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a node offers and what the pods bound to it have requested, as the scheduler counts it.
 *
 * <p>Amounts are longs in the units kube-scheduler compares: {@code cpu} in millicores, every other
 * resource ({@code memory}, {@code ephemeral-storage}, {@code nvidia.com/gpu}, ...) in whole units
 * (bytes for memory), rounded up as Kubernetes' {@code Quantity.Value()} does. {@code pods} is the
 * pod count: allocatable {@code pods} against the number of bound pods.
 *
 * @param nodeName the node's name
 * @param allocatable the node's {@code status.allocatable}, converted; absent resources are absent
 * @param requested the summed effective requests of the pods bound to the node, plus {@code pods}
 */
public record NodeUsage(String nodeName, Map<String, Long> allocatable, Map<String, Long> requested) {

    /** Checks and copies the arguments into sorted, unmodifiable maps. */
    public NodeUsage {
        Objects.requireNonNull(nodeName, "nodeName");
        allocatable = Collections.unmodifiableMap(new TreeMap<>(allocatable));
        requested = Collections.unmodifiableMap(new TreeMap<>(requested));
    }

    /**
     * Returns what is left of {@code resource}: allocatable minus requested. It is negative when pods
     * were bound past the scheduler (a preset {@code spec.nodeName}), and zero for a resource the
     * node does not offer.
     */
    public long free(String resource) {
        return allocatable.getOrDefault(resource, 0L) - requested.getOrDefault(resource, 0L);
    }

    /** Returns {@link #free(String)} for every resource the node offers or its pods request. */
    public Map<String, Long> free() {
        Map<String, Long> free = new TreeMap<>();
        allocatable.keySet().forEach(r -> free.put(r, free(r)));
        requested.keySet().forEach(r -> free.put(r, free(r)));
        return Collections.unmodifiableMap(free);
    }

    /** Returns the number of pods bound to the node. */
    public long podCount() {
        return requested.getOrDefault(Resources.PODS, 0L);
    }
}
