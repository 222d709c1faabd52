package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Taint;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * kube-scheduler's default profile as a pure function: which node a pod goes to, or why none fits.
 *
 * <h2>Filters</h2>
 *
 * In kube-scheduler's order, the first failing one deciding a node's reasons: NodeUnschedulable
 * ({@code spec.unschedulable}, unless the pod tolerates {@code node.kubernetes.io/unschedulable:
 * NoSchedule}), TaintToleration ({@code NoSchedule} and {@code NoExecute} taints, including those
 * the node lifecycle controller derives from conditions, see {@link NodeFacts}), NodeAffinity
 * ({@code nodeSelector} and required node affinity; its PreFilter narrows to the nodes a required
 * {@code matchFields} term names), NodePorts (host ports) and NodeResourcesFit (pod slots, cpu,
 * memory, ephemeral storage and every extended resource, against {@code status.allocatable} minus
 * the requests of bound pods; all insufficient resources of a node are reported), PodTopologySpread
 * ({@code DoNotSchedule} constraints, see {@link TopologySpread}) and InterPodAffinity (required pod
 * affinity and anti-affinity, and the required anti-affinity of bound pods, see {@link
 * InterPodAffinity}). Pods without spread constraints or pod (anti-)affinity, in a cluster whose
 * bound pods have no required anti-affinity, skip the last two at no cost.
 *
 * <h2>Scoring</h2>
 *
 * Among the nodes that fit, the highest weighted sum of kube-scheduler's default scores wins:
 * NodeResourcesFit {@code LeastAllocated} on cpu and memory (weight 1; pods without a cpu or memory
 * request count as 100m and 200Mi), NodeResourcesBalancedAllocation (weight 1; skipped for a pod
 * that requests neither), TaintToleration on {@code PreferNoSchedule} taints (weight 3),
 * preferred node affinity (weight 2), PodTopologySpread ({@code ScheduleAnyway} constraints, or the
 * system default spreading over hostname and zone for pods of Services, ReplicaSets and
 * StatefulSets when {@link ClusterState#schedule(Pod, List)} is given their selectors; weight 2) and
 * InterPodAffinity (preferred terms of the pod and of bound pods, and bound pods' required affinity;
 * weight 2). ImageLocality is left out: simulated nodes have no images, so it scores 0 everywhere.
 * kube-scheduler breaks ties at random; here the node whose name
 * sorts first wins, so the same inputs always give the same node. All nodes are scored
 * (kube-scheduler samples only some of them in clusters above 100 nodes).
 *
 * <h2>Not modelled</h2>
 *
 * Volumes, image locality, DRA claims and scheduling gates.
 * Pods with a preset {@code spec.nodeName} never reach kube-scheduler (the kubelet admits them), so
 * passing one is a caller error.
 *
 * <p>Stateless and thread-safe; for many pods against the same cluster, keep a {@link ClusterState}
 * up to date instead of passing lists.
 */
public final class Scheduler {
    static final long MAX_NODE_SCORE = 100;
    private static final int WEIGHT_FIT = 1;
    private static final int WEIGHT_BALANCED = 1;
    private static final int WEIGHT_TAINT = 3;
    private static final int WEIGHT_AFFINITY = 2;
    private static final int WEIGHT_SPREAD = 2;
    private static final int WEIGHT_POD_AFFINITY = 2;

    private Scheduler() {}

    /**
     * Decides where {@code pod} goes.
     *
     * @param pod a pending pod without {@code spec.nodeName}
     * @param nodes the cluster's nodes, in any order; names must be unique
     * @param boundPods pods bound to nodes; those without {@code spec.nodeName} or in phase {@code
     *     Succeeded} or {@code Failed} hold nothing and are ignored
     * @return the node to bind to, or why no node fits
     * @throws IllegalArgumentException if the pod already has a node, two nodes share a name, or a
     *     quantity does not parse
     */
    public static Decision schedule(Pod pod, List<Node> nodes, List<Pod> boundPods) {
        return ClusterState.of(nodes, boundPods).schedule(pod);
    }

    /**
     * Returns what {@code node} offers and what the pods bound to it request, as the scheduler
     * counts them.
     *
     * @param node the node
     * @param boundPods any pods; only those bound to {@code node} and not terminated count
     */
    public static NodeUsage usage(Node node, List<Pod> boundPods) {
        ClusterState state = ClusterState.of(List.of(node), boundPods);
        return state.usage(node.getMetadata().getName()).orElseThrow();
    }

    /** One node's filter outcome: its reasons and whether preemption could ever help. */
    record Status(List<String> reasons, boolean unresolvable) {
        static Status unresolvable(String reason) {
            return new Status(List.of(reason), true);
        }
    }

    /**
     * What the pod-to-pod plugins need beyond nodes and usage.
     *
     * @param namespaceLabels a namespace's labels by name, null when unknown
     * @param anyRequiredAnti whether some bound pod has required pod anti-affinity
     * @param anyWithAffinity whether some bound pod has pod (anti-)affinity terms
     * @param defaultSpreadSelector the selector for the system default spreading, or null
     */
    record Context(
            Function<String, @Nullable Map<String, String>> namespaceLabels,
            boolean anyRequiredAnti,
            boolean anyWithAffinity,
            @Nullable Selector defaultSpreadSelector) {
        static final Context NONE = new Context(ns -> null, false, false, null);
    }

    /** The PreFilter states of the pod-to-pod plugins for one pod; null members skip. */
    private record PodFilters(
            @Nullable TopologySpread spread, @Nullable InterPodAffinity affinity) {
        PodFilters without(NodeFacts node, List<PodDemand> victims) {
            return new PodFilters(
                    spread == null ? null : spread.without(node, victims),
                    affinity == null ? null : affinity.without(node, victims));
        }
    }

    static Decision decide(Pod pod, NavigableMap<String, NodeFacts> nodes, Function<String, Usage> usageOf) {
        return decide(pod, nodes, usageOf, Context.NONE);
    }

    static Decision decide(
            Pod pod, NavigableMap<String, NodeFacts> nodes, Function<String, Usage> usageOf, Context context) {
        PodSpec spec = Objects.requireNonNull(pod.getSpec(), "pod.spec");
        if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
            throw new IllegalArgumentException("pod " + PodDemand.key(pod) + " already has spec.nodeName "
                    + spec.getNodeName() + "; kube-scheduler never sees such pods, so do not pass them");
        }
        if (nodes.isEmpty()) {
            return new Decision.Unschedulable(Messages.NO_NODES, Map.of(), List.of());
        }
        PodDemand demand = PodDemand.of(pod);
        int all = nodes.size();

        Set<String> preFiltered;
        try {
            preFiltered = matchFieldNodeNames(spec);
        } catch (ConflictException e) {
            String post = postFilter(demand, all, Map.of(Messages.PREEMPTION_NOT_HELPFUL, all));
            return new Decision.Unschedulable(
                    Messages.fitError(all, Messages.AFFINITY_CONFLICT, Map.of(), post),
                    Map.of(Messages.AFFINITY_CONFLICT, all),
                    List.of());
        }

        PodFilters podFilters = new PodFilters(
                TopologySpread.preFilter(spec, demand, nodes.values(), usageOf),
                InterPodAffinity.preFilter(
                        demand, nodes.values(), usageOf, context.namespaceLabels(), context.anyRequiredAnti()));

        List<NodeFacts> feasible = new ArrayList<>();
        Map<String, Status> failed = new HashMap<>();
        for (NodeFacts node : nodes.values()) {
            Status status = preFiltered != null && !preFiltered.contains(node.name)
                    ? Status.unresolvable(Messages.AFFINITY_PREFILTER)
                    : filter(spec, demand, node, usageOf.apply(node.name), podFilters);
            if (status == null) {
                feasible.add(node);
            } else {
                failed.put(node.name, status);
            }
        }
        if (!feasible.isEmpty()) {
            return new Decision.Bound(pick(spec, demand, feasible, nodes, usageOf, context));
        }

        Map<String, Integer> counts = new HashMap<>();
        failed.values().forEach(s -> s.reasons().forEach(r -> counts.merge(r, 1, Integer::sum)));
        Map<String, Integer> sorted = Messages.sorted(counts);

        if (demand.preemptNever) {
            String post = postFilter(demand, all, Map.of());
            return new Decision.Unschedulable(Messages.fitError(all, null, sorted, post), sorted, List.of());
        }
        List<String> candidates = new ArrayList<>();
        Map<String, Integer> preemption = new HashMap<>();
        for (NodeFacts node : nodes.values()) {
            Status status = failed.get(node.name);
            if (status.unresolvable()) {
                preemption.merge(Messages.PREEMPTION_NOT_HELPFUL, 1, Integer::sum);
                continue;
            }
            Usage usage = usageOf.apply(node.name);
            List<String> victims = new ArrayList<>();
            usage.pods.values().stream()
                    .filter(p -> p.priority < demand.priority)
                    .forEach(p -> victims.add(p.key));
            if (victims.isEmpty()) {
                preemption.merge(Messages.NO_VICTIMS, 1, Integer::sum);
                continue;
            }
            Usage without = usage.copy();
            victims.forEach(without::remove);
            PodFilters filtersWithout = podFilters;
            if (podFilters.spread() != null || podFilters.affinity() != null) {
                List<PodDemand> removed = new ArrayList<>();
                victims.forEach(k -> removed.add(usage.pods.get(k)));
                filtersWithout = podFilters.without(node, removed);
            }
            Status after = filter(spec, demand, node, without, filtersWithout);
            if (after == null) {
                candidates.add(node.name);
            } else {
                after.reasons().forEach(r -> preemption.merge(r, 1, Integer::sum));
            }
        }
        if (!candidates.isEmpty()) {
            // DefaultPreemption succeeded: kube-scheduler reports only the filter part.
            return new Decision.Unschedulable(Messages.fitError(all, null, sorted, null), sorted, candidates);
        }
        return new Decision.Unschedulable(
                Messages.fitError(all, null, sorted, postFilter(demand, all, preemption)), sorted, List.of());
    }

    /**
     * The PostFilter part when preemption found no candidate: DynamicResources' note for a pod
     * without claims, then DefaultPreemption's own {@code FitError} over all nodes.
     */
    private static String postFilter(PodDemand demand, int all, Map<String, Integer> preemptionCounts) {
        String preemption = demand.preemptNever
                ? Messages.PREEMPT_NEVER
                : Messages.fitError(all, null, Messages.sorted(preemptionCounts), null);
        return Messages.NO_CLAIMS + ", " + Messages.PREEMPTION + preemption;
    }

    /** Runs the filters in kube-scheduler's order; returns null when the node fits. */
    private static @Nullable Status filter(
            PodSpec spec, PodDemand demand, NodeFacts node, Usage usage, PodFilters podFilters) {
        if (node.unschedulable
                && !Matching.tolerates(spec.getTolerations(), NodeFacts.UNSCHEDULABLE_TAINT, null, "NoSchedule")) {
            return Status.unresolvable(Messages.UNSCHEDULABLE);
        }
        for (Taint taint : node.hardTaints) {
            if (!Matching.tolerates(spec.getTolerations(), taint)) {
                return Status.unresolvable(Messages.UNTOLERATED_TAINT);
            }
        }
        if (!Matching.matchesNodeSelectorAndAffinity(spec, node)) {
            return Status.unresolvable(Messages.AFFINITY);
        }
        for (PodDemand.HostPort port : demand.hostPorts) {
            if (usage.portConflict(port)) {
                return new Status(List.of(Messages.PORTS), false);
            }
        }
        Status fit = fit(demand, node, usage);
        if (fit != null) {
            return fit;
        }
        if (podFilters.spread() != null) {
            Status spread = podFilters.spread().filter(node);
            if (spread != null) {
                return spread;
            }
        }
        return podFilters.affinity() == null ? null : podFilters.affinity().filter(node);
    }

    /** NodeResourcesFit: every insufficient resource is a reason; unresolvable if it exceeds allocatable. */
    private static @Nullable Status fit(PodDemand demand, NodeFacts node, Usage usage) {
        List<String> reasons = new ArrayList<>(2);
        boolean unresolvable = false;
        if (usage.podCount() + 1L > node.allocatable(Resources.PODS)) {
            reasons.add(Messages.TOO_MANY_PODS);
        }
        if (!demand.requestsNothing()) {
            for (String r : List.of(Resources.CPU, Resources.MEMORY, Resources.EPHEMERAL_STORAGE)) {
                unresolvable |= check(demand, node, usage, r, reasons);
            }
            for (String r : demand.requests.keySet()) {
                if (Resources.isScalar(r)) {
                    unresolvable |= check(demand, node, usage, r, reasons);
                }
            }
        }
        return reasons.isEmpty() ? null : new Status(List.copyOf(reasons), unresolvable);
    }

    /** Adds the reason if {@code resource} does not fit; returns whether it never could. */
    private static boolean check(PodDemand demand, NodeFacts node, Usage usage, String resource, List<String> reasons) {
        long want = demand.requests.getOrDefault(resource, 0L);
        long allocatable = node.allocatable(resource);
        if (want > 0 && want > allocatable - usage.requested(resource)) {
            reasons.add(Messages.INSUFFICIENT + resource);
            return want > allocatable;
        }
        return false;
    }

    private static final class ConflictException extends Exception {
        private static final long serialVersionUID = 1L;

        ConflictException() {
            super(null, null, false, false);
        }
    }

    /**
     * NodeAffinity PreFilter: when every required term names nodes through {@code matchFields}
     * {@code metadata.name In [...]} (as DaemonSet pods do), only those nodes are filtered; null
     * means all nodes.
     */
    private static @Nullable Set<String> matchFieldNodeNames(PodSpec spec) throws ConflictException {
        NodeSelector required = Matching.required(spec);
        if (required == null || required.getNodeSelectorTerms() == null) {
            return null;
        }
        Set<String> names = null;
        for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
            Set<String> termNames = null;
            if (term != null && term.getMatchFields() != null) {
                for (NodeSelectorRequirement r : term.getMatchFields()) {
                    if (Matching.NAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator())) {
                        Set<String> values = new HashSet<>(r.getValues() == null ? List.of() : r.getValues());
                        if (termNames == null) {
                            termNames = values;
                        } else {
                            termNames.retainAll(values);
                        }
                    }
                }
            }
            if (termNames == null) {
                return null;
            }
            if (names == null) {
                names = new HashSet<>();
            }
            names.addAll(termNames);
        }
        if (names != null && names.isEmpty()) {
            throw new ConflictException();
        }
        return names;
    }

    /** Scores the feasible nodes (sorted by name) and returns the best; the first wins ties. */
    private static String pick(
            PodSpec spec,
            PodDemand demand,
            List<NodeFacts> feasible,
            NavigableMap<String, NodeFacts> nodes,
            Function<String, Usage> usageOf,
            Context context) {
        if (feasible.size() == 1) {
            return feasible.get(0).name;
        }
        int n = feasible.size();
        long[] fit = new long[n];
        long[] balanced = new long[n];
        long[] taints = new long[n];
        long[] affinity = new long[n];
        boolean bestEffort = demand.requests.getOrDefault(Resources.CPU, 0L) == 0
                && demand.requests.getOrDefault(Resources.MEMORY, 0L) == 0;
        List<PreferredSchedulingTerm> preferred = preferred(spec);
        for (int i = 0; i < n; i++) {
            NodeFacts node = feasible.get(i);
            Usage usage = usageOf.apply(node.name);
            fit[i] = leastAllocated(demand, node, usage);
            balanced[i] = bestEffort ? 0 : balancedAllocation(demand, node, usage);
            taints[i] = node.softTaints.stream()
                    .filter(t -> !Matching.tolerates(spec.getTolerations(), t))
                    .count();
            for (PreferredSchedulingTerm term : preferred) {
                if (term.getWeight() != null
                        && term.getWeight() != 0
                        && term.getPreference() != null
                        && Matching.matches(term.getPreference(), node)) {
                    affinity[i] += term.getWeight();
                }
            }
        }
        normalize(taints, true);
        normalize(affinity, false);
        long[] spread =
                TopologySpread.score(spec, demand, context.defaultSpreadSelector(), feasible, nodes.values(), usageOf);
        long[] podAffinity = InterPodAffinity.score(
                demand, feasible, nodes.values(), usageOf, context.namespaceLabels(), context.anyWithAffinity());
        int best = 0;
        long bestScore = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long score = WEIGHT_FIT * fit[i]
                    + WEIGHT_BALANCED * balanced[i]
                    + WEIGHT_TAINT * taints[i]
                    + WEIGHT_AFFINITY * affinity[i]
                    + (spread == null ? 0 : WEIGHT_SPREAD * spread[i])
                    + (podAffinity == null ? 0 : WEIGHT_POD_AFFINITY * podAffinity[i]);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return feasible.get(best).name;
    }

    private static List<PreferredSchedulingTerm> preferred(PodSpec spec) {
        if (spec.getAffinity() == null
                || spec.getAffinity().getNodeAffinity() == null
                || spec.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return spec.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    }

    /** LeastAllocated over cpu and memory, weight 1 each, on non-zero requests. */
    private static long leastAllocated(PodDemand demand, NodeFacts node, Usage usage) {
        long sum = 0;
        long weights = 0;
        long cpu = node.allocatable(Resources.CPU);
        if (cpu != 0) {
            sum += leastRequested(usage.nonZeroMilliCpu + demand.nonZeroMilliCpu, cpu);
            weights++;
        }
        long memory = node.allocatable(Resources.MEMORY);
        if (memory != 0) {
            sum += leastRequested(usage.nonZeroMemory + demand.nonZeroMemory, memory);
            weights++;
        }
        return weights == 0 ? 0 : sum / weights;
    }

    private static long leastRequested(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        if (capacity - requested <= Long.MAX_VALUE / MAX_NODE_SCORE) {
            return (capacity - requested) * MAX_NODE_SCORE / capacity;
        }
        return BigInteger.valueOf(capacity - requested)
                .multiply(BigInteger.valueOf(MAX_NODE_SCORE))
                .divide(BigInteger.valueOf(capacity))
                .longValueExact();
    }

    /** BalancedAllocation over cpu and memory on actual requests: (1 - |f_cpu - f_mem| / 2) * 100. */
    private static long balancedAllocation(PodDemand demand, NodeFacts node, Usage usage) {
        double[] fractions = new double[2];
        int count = 0;
        for (String r : List.of(Resources.CPU, Resources.MEMORY)) {
            long allocatable = node.allocatable(r);
            if (allocatable == 0) {
                continue;
            }
            double fraction =
                    (double) (usage.requested(r) + demand.requests.getOrDefault(r, 0L)) / (double) allocatable;
            fractions[count++] = Math.min(fraction, 1.0);
        }
        double std = count == 2 ? Math.abs((fractions[0] - fractions[1]) / 2) : 0.0;
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }

    /** {@code helper.DefaultNormalizeScore}: scale to 0..100 by the maximum, optionally reversed. */
    private static void normalize(long[] scores, boolean reverse) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        for (int i = 0; i < scores.length; i++) {
            if (max == 0) {
                scores[i] = reverse ? MAX_NODE_SCORE : 0;
            } else {
                long s = MAX_NODE_SCORE * scores[i] / max;
                scores[i] = reverse ? MAX_NODE_SCORE - s : s;
            }
        }
    }
}
