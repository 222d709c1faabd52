package dev.skiff.gpu;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Whether a workload can fit the cluster, before it is submitted: for each pod shape, the nodes
 * that can take it now, the nodes that could once their GPUs are free, and otherwise why no node
 * ever can — in types and in words. Made by {@link GpuInventory#plan}.
 *
 * <pre>{@code
 * Plan plan = GpuInventory.read(skiff).plan(job);
 * if (!plan.fitsEver()) {
 *     System.err.println(plan.explanation());  // "no node has 16 nvidia.com/gpu: the largest has 8"
 * }
 * }</pre>
 *
 * @param workload the workload's kind and name, such as {@code Job ml/train}
 * @param shapes one entry per distinct pod shape
 */
public record Plan(String workload, List<Shape> shapes) {
    /** Why a node cannot take a pod. */
    public enum ReasonKind {
        /** The node is not Ready, or is cordoned. */
        NODE_UNSCHEDULABLE,
        /** The node's labels do not match the pod's node selector or required affinity (for example the GPU model). */
        SELECTOR_MISMATCH,
        /** The node has a taint the pod does not tolerate. */
        TAINT_NOT_TOLERATED,
        /** The node does not have that many of a resource at all. */
        NOT_ENOUGH_ALLOCATABLE,
        /** The node has enough, but not enough free now. */
        NOT_ENOUGH_FREE,
        /** The namespace's ResourceQuota does not leave enough. */
        QUOTA_EXCEEDED
    }

    /**
     * A reason some nodes cannot take a pod shape.
     *
     * @param kind the kind of reason
     * @param message the reason in words, such as {@code Insufficient nvidia.com/gpu (needs 8, the
     *     largest free block is 4)}
     * @param nodes the nodes it applies to (empty for a quota)
     */
    public record Reason(ReasonKind kind, String message, List<String> nodes) {
        /** Checks and copies the arguments. */
        public Reason {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * One pod shape of the workload.
     *
     * @param description what the pods are, such as {@code 4 pods of Job ml/train}
     * @param pods how many such pods run at once
     * @param requests what one pod requests (cpu in cores, memory in bytes, accelerators in units)
     * @param nodesNow the nodes that can take such a pod now
     * @param nodesOnceFree the nodes that could take one once their resources are free
     * @param reasons why the other nodes cannot, grouped; a quota reason applies to all
     */
    public record Shape(
            String description,
            int pods,
            Map<String, String> requests,
            List<String> nodesNow,
            List<String> nodesOnceFree,
            List<Reason> reasons) {
        /** Checks and copies the arguments. */
        public Shape {
            Objects.requireNonNull(description, "description");
            requests = Map.copyOf(requests);
            nodesNow = List.copyOf(nodesNow);
            nodesOnceFree = List.copyOf(nodesOnceFree);
            reasons = List.copyOf(reasons);
        }

        /** Returns whether some node could ever take such a pod, and no quota forbids it. */
        public boolean fitsEver() {
            return (!nodesNow.isEmpty() || !nodesOnceFree.isEmpty())
                    && reasons.stream().noneMatch(r -> r.kind() == ReasonKind.QUOTA_EXCEEDED);
        }

        /** Returns whether a node can take such a pod now. */
        public boolean fitsNow() {
            return !nodesNow.isEmpty() && reasons.stream().noneMatch(r -> r.kind() == ReasonKind.QUOTA_EXCEEDED);
        }
    }

    /** Checks and copies the arguments. */
    public Plan {
        Objects.requireNonNull(workload, "workload");
        shapes = List.copyOf(shapes);
    }

    /** Returns whether every pod shape could ever fit. */
    public boolean fitsEver() {
        return shapes.stream().allMatch(Shape::fitsEver);
    }

    /** Returns whether every pod shape fits now. */
    public boolean fitsNow() {
        return shapes.stream().allMatch(Shape::fitsNow);
    }

    /** Returns the plan in words, one paragraph per shape. */
    public String explanation() {
        StringBuilder sb = new StringBuilder(workload).append(": ");
        sb.append(fitsNow() ? "fits now" : fitsEver() ? "fits once resources are free" : "can never fit as asked");
        for (Shape s : shapes) {
            sb.append("\n  ").append(s.description()).append(" requesting ").append(s.requests());
            if (!s.nodesNow().isEmpty()) {
                sb.append("\n    fits now on: ").append(String.join(", ", s.nodesNow()));
            }
            if (!s.nodesOnceFree().isEmpty()) {
                sb.append("\n    fits once free on: ").append(String.join(", ", s.nodesOnceFree()));
            }
            for (Reason r : s.reasons()) {
                sb.append("\n    ").append(r.message());
                if (!r.nodes().isEmpty()) {
                    sb.append(" (")
                            .append(r.nodes().stream().collect(Collectors.joining(", ")))
                            .append(')');
                }
            }
        }
        return sb.toString();
    }
}
