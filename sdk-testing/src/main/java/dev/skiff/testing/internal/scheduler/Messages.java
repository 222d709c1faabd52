package dev.skiff.testing.internal.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The reason strings of kube-scheduler's default plugins and the {@code FitError} format that
 * counts them, as of Kubernetes 1.36.
 *
 * <p>Sources, all under {@code pkg/scheduler/} in kubernetes/kubernetes: {@code
 * framework/types.go} ({@code FitError.Error}), {@code schedule_one.go} ({@code
 * ErrNoNodesAvailable}), {@code framework/runtime/framework.go} ({@code RunPostFilterPlugins} joins
 * the PostFilter reasons with ", "), {@code framework/plugins/*} for each reason, {@code
 * framework/plugins/defaultpreemption} and {@code framework/preemption} for the {@code
 * preemption:} part, {@code framework/plugins/dynamicresources} for "no new claims to deallocate".
 */
final class Messages {
    static final String NO_NODES = "no nodes available to schedule pods";

    /** NodeUnschedulable. */
    static final String UNSCHEDULABLE = "node(s) were unschedulable";
    /**
     * TaintToleration. Up to 1.33 the reason named the taint ({@code node(s) had untolerated taint
     * {key: value}}); newer releases log the taint and report only this.
     */
    static final String UNTOLERATED_TAINT = "node(s) had untolerated taint(s)";
    /** NodeAffinity Filter. */
    static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";
    /** Nodes left out by NodeAffinity PreFilter (required {@code matchFields} on {@code metadata.name}). */
    static final String AFFINITY_PREFILTER = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
    /** NodeAffinity PreFilter when every term names a disjoint set of nodes. */
    static final String AFFINITY_CONFLICT = "pod affinity terms conflict";
    /** NodePorts. */
    static final String PORTS = "node(s) didn't have free ports for the requested pod ports";
    /** PodTopologySpread, skew too large. */
    static final String SPREAD = "node(s) didn't match pod topology spread constraints";
    /** PodTopologySpread, node without a constraint's topology key. */
    static final String SPREAD_MISSING_LABEL = SPREAD + " (missing required label)";
    /** InterPodAffinity, the pod's required affinity. */
    static final String POD_AFFINITY = "node(s) didn't match pod affinity rules";
    /** InterPodAffinity, the pod's required anti-affinity. */
    static final String POD_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    /** InterPodAffinity, an existing pod's required anti-affinity (symmetry). */
    static final String EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
    /** NodeResourcesFit, pod slots. */
    static final String TOO_MANY_PODS = "Too many pods";
    /** NodeResourcesFit, prefix of "Insufficient cpu", "Insufficient nvidia.com/gpu", ... */
    static final String INSUFFICIENT = "Insufficient ";

    /** DynamicResources PostFilter for a pod without resource claims; it runs before preemption. */
    static final String NO_CLAIMS = "no new claims to deallocate";
    /** DefaultPreemption PostFilter prefix. */
    static final String PREEMPTION = "preemption: ";

    static final String PREEMPT_NEVER = "not eligible due to preemptionPolicy=Never.";
    static final String PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";

    private Messages() {}

    /**
     * Orders a reason histogram as {@code FitError.Error} does: it formats each entry as {@code
     * "<count> <reason>"} and sorts those strings (so "10 x" sorts before "2 y").
     */
    static Map<String, Integer> sorted(Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> format(a).compareTo(format(b)));
        Map<String, Integer> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(out);
    }

    private static String format(Map.Entry<String, Integer> e) {
        return e.getValue() + " " + e.getKey();
    }

    /**
     * {@code FitError.Error}: {@code "0/N nodes are available: <PreFilterMsg>. <FilterMsg>.
     * <PostFilterMsg>"}, where the filter histogram is left out when PreFilter failed.
     */
    static String fitError(
            int numAllNodes,
            @Nullable String preFilterMsg,
            Map<String, Integer> sortedCounts,
            @Nullable String postFilterMsg) {
        StringBuilder sb = new StringBuilder().append("0/").append(numAllNodes).append(" nodes are available:");
        if (preFilterMsg != null) {
            sb.append(' ').append(preFilterMsg).append('.');
        } else if (!sortedCounts.isEmpty()) {
            sb.append(' ');
            boolean first = true;
            for (Map.Entry<String, Integer> e : sortedCounts.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                sb.append(format(e));
                first = false;
            }
            sb.append('.');
        }
        if (postFilterMsg != null && !postFilterMsg.isEmpty()) {
            sb.append(' ').append(postFilterMsg);
        }
        return sb.toString();
    }
}
