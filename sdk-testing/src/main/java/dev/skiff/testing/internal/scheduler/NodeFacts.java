package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a node the scheduler reads, extracted once when the node is declared or updated.
 *
 * <h2>Readiness</h2>
 *
 * kube-scheduler never reads node conditions: the node lifecycle controller turns them into {@code
 * NoSchedule} taints ({@code doNoScheduleTaintingPass} in {@code pkg/controller/nodelifecycle}) and
 * the TaintToleration filter does the rest. The in-memory cluster has no such controller, so the
 * taints it would add are added here: {@code Ready=False} gives {@code node.kubernetes.io/not-ready},
 * {@code Ready=Unknown} gives {@code node.kubernetes.io/unreachable}, and {@code MemoryPressure},
 * {@code DiskPressure}, {@code PIDPressure} and {@code NetworkUnavailable} set to {@code True} give
 * {@code memory-pressure}, {@code disk-pressure}, {@code pid-pressure} and {@code
 * network-unavailable} under the same prefix. A node without a {@code Ready} condition gets no taint
 * (the controller only maps conditions it sees), so it counts as ready. A pod that tolerates the
 * taint (a DaemonSet pod, say) still schedules there, as on a real cluster.
 */
final class NodeFacts {
    static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    final String name;
    final Map<String, String> labels;
    final Map<String, Long> allocatable;
    final boolean unschedulable;
    /** Taints with effect NoSchedule or NoExecute, the ones that filter. */
    final List<Taint> hardTaints;
    /** Taints with effect PreferNoSchedule, the ones that score. */
    final List<Taint> softTaints;

    NodeFacts(Node node) {
        Objects.requireNonNull(node.getMetadata(), "node.metadata");
        this.name = Objects.requireNonNull(node.getMetadata().getName(), "node.metadata.name");
        this.labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : Collections.unmodifiableMap(node.getMetadata().getLabels());
        this.allocatable = Collections.unmodifiableMap(Resources.units(
                node.getStatus() == null ? null : node.getStatus().getAllocatable(),
                "node " + name + " status.allocatable"));
        this.unschedulable =
                node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        List<Taint> taints = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            taints.addAll(node.getSpec().getTaints());
        }
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition c : node.getStatus().getConditions()) {
                String key = conditionTaint(c.getType(), c.getStatus());
                if (key != null
                        && taints.stream()
                                .noneMatch(t -> key.equals(t.getKey()) && "NoSchedule".equals(t.getEffect()))) {
                    taints.add(new Taint("NoSchedule", key, null, null));
                }
            }
        }
        List<Taint> hard = new ArrayList<>();
        List<Taint> soft = new ArrayList<>();
        for (Taint t : taints) {
            if ("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())) {
                hard.add(t);
            } else if ("PreferNoSchedule".equals(t.getEffect())) {
                soft.add(t);
            }
        }
        this.hardTaints = List.copyOf(hard);
        this.softTaints = List.copyOf(soft);
    }

    private static @Nullable String conditionTaint(@Nullable String type, @Nullable String status) {
        if (type == null || status == null) {
            return null;
        }
        switch (type) {
            case "Ready":
                if ("False".equals(status)) {
                    return "node.kubernetes.io/not-ready";
                }
                return "Unknown".equals(status) ? "node.kubernetes.io/unreachable" : null;
            case "MemoryPressure":
                return "True".equals(status) ? "node.kubernetes.io/memory-pressure" : null;
            case "DiskPressure":
                return "True".equals(status) ? "node.kubernetes.io/disk-pressure" : null;
            case "PIDPressure":
                return "True".equals(status) ? "node.kubernetes.io/pid-pressure" : null;
            case "NetworkUnavailable":
                return "True".equals(status) ? "node.kubernetes.io/network-unavailable" : null;
            default:
                return null;
        }
    }

    long allocatable(String resource) {
        return allocatable.getOrDefault(resource, 0L);
    }
}
