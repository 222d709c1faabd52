package dev.skiff.testing.internal.scheduler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the scheduler decided for one pod: bind it to a node, or leave it pending with the message
 * kube-scheduler would put in the {@code FailedScheduling} event and the pod's {@code PodScheduled}
 * condition.
 */
public sealed interface Decision permits Decision.Bound, Decision.Unschedulable {

    /**
     * The pod fits {@code nodeName}, which scored highest among the nodes that fit.
     *
     * @param nodeName the node to write into the binding
     */
    record Bound(String nodeName) implements Decision {
        /** Checks the argument. */
        public Bound {
            Objects.requireNonNull(nodeName, "nodeName");
        }
    }

    /**
     * No node fits the pod.
     *
     * @param message the event message, exactly as kube-scheduler formats it, for example {@code 0/3
     *     nodes are available: 1 Insufficient cpu, 2 Insufficient nvidia.com/gpu. no new claims to
     *     deallocate, preemption: 0/3 nodes are available: 3 No preemption victims found for
     *     incoming pod.}
     * @param reasonCounts how many nodes failed for each reason, in the order the message lists them
     *     (a node that lacks both cpu and memory counts once for each); empty when there are no
     *     nodes at all
     * @param preemptionNodes nodes, by name, where evicting every pod of lower priority would let
     *     the pod fit; kube-scheduler would nominate one of them and evict victims there (this
     *     scheduler does not choose victims). When this is not empty the message carries no {@code
     *     preemption:} part, as kube-scheduler's does not when preemption succeeds.
     */
    record Unschedulable(String message, Map<String, Integer> reasonCounts, List<String> preemptionNodes)
            implements Decision {
        /** Checks and copies the arguments. */
        public Unschedulable {
            Objects.requireNonNull(message, "message");
            reasonCounts = Collections.unmodifiableMap(
                    new LinkedHashMap<>(Objects.requireNonNull(reasonCounts, "reasonCounts")));
            preemptionNodes = List.copyOf(Objects.requireNonNull(preemptionNodes, "preemptionNodes"));
        }
    }
}
