package dev.skiff.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Where a workload's pods may run, and who schedules them.
 *
 * <pre>{@code
 * Placement placement = Placement.builder()
 *     .putNodeSelector("cloud.google.com/gke-nodepool", "a100-pool")
 *     .addRequiredNodeAffinity(NodeRequirement.in("topology.kubernetes.io/zone", "us-central1-a"))
 *     .addToleration(Toleration.exists("dedicated"))
 *     .priorityClass("batch-high")
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Placement {
    private static final Placement ANYWHERE = builder().build();

    Placement() {}

    /** Returns node labels a node must carry, with these exact values. */
    public abstract Map<String, String> nodeSelector();

    /** Returns node-label requirements that must all hold (required node affinity). */
    public abstract List<NodeRequirement> requiredNodeAffinity();

    /** Returns the taints the pods tolerate. */
    public abstract List<Toleration> tolerations();

    /** Returns the PriorityClass of the pods, if any. */
    public abstract Optional<String> priorityClass();

    /** Returns the scheduler that places the pods; the cluster's default if empty. */
    public abstract Optional<String> schedulerName();

    /** Returns a placement with no constraints. */
    public static Placement anywhere() {
        return ANYWHERE;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised from this value. */
    public Builder toBuilder() {
        return builder().from(this);
    }

    /** Builds {@link Placement}. */
    public static final class Builder extends ImmutablePlacement.Builder {
        Builder() {}
    }
}
