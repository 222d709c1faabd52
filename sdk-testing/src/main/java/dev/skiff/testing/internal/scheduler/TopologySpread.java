package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * kube-scheduler's PodTopologySpread plugin ({@code pkg/scheduler/framework/plugins/podtopologyspread}).
 *
 * <h2>Filter</h2>
 *
 * For the pod's {@code DoNotSchedule} constraints, PreFilter counts per domain (a value of the
 * topology key) the pods of the pod's namespace that match the constraint's selector ({@code
 * matchLabelKeys} merged in) and are not terminating, on the nodes that carry every constraint's
 * key and pass the inclusion policies: {@code nodeAffinityPolicy} (default {@code Honor}: the pod's
 * node selector and required node affinity must match) and {@code nodeTaintsPolicy} (default {@code
 * Ignore}; {@code Honor} leaves out nodes with untolerated {@code NoSchedule}/{@code NoExecute}
 * taints). A node passes when, for every constraint, {@code count(its domain) + (1 if the pod
 * matches the selector) - global minimum <= maxSkew}, the global minimum being 0 while fewer than
 * {@code minDomains} domains exist. A node without a constraint's key fails with "node(s) didn't
 * match pod topology spread constraints (missing required label)", which preemption cannot
 * resolve; a too large skew fails with "node(s) didn't match pod topology spread constraints".
 * An empty label selector ({@code {}}) counts no pods, as in kube-scheduler.
 *
 * <h2>Score</h2>
 *
 * The pod's {@code ScheduleAnyway} constraints, or, for a pod without any constraint, the system
 * defaults ({@code kubernetes.io/hostname} with maxSkew 3 and {@code topology.kubernetes.io/zone}
 * with maxSkew 5) over the selector of the Services, ReplicaSet, StatefulSet or
 * ReplicationController that select or own it, when the caller passes one. A node scores {@code
 * sum(count(domain) * log(domains + 2) + maxSkew - 1)}, fewer being better; scores are inverted
 * onto 0..100 and nodes lacking a key of an explicit constraint score 0.
 */
final class TopologySpread {
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    /** One constraint with its defaults applied. */
    record Constraint(
            int maxSkew,
            String topologyKey,
            Selector selector,
            int minDomains,
            boolean honorAffinity,
            boolean honorTaints) {

        boolean includes(PodSpec spec, NodeFacts node) {
            if (honorAffinity && !Matching.matchesNodeSelectorAndAffinity(spec, node)) {
                return false;
            }
            if (honorTaints) {
                for (Taint t : node.hardTaints) {
                    if (!Matching.tolerates(spec.getTolerations(), t)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private final PodSpec spec;
    private final PodDemand pod;
    private final List<Constraint> constraints;
    /** Per constraint: domain value → matching pods. */
    private final List<Map<String, Integer>> counts;

    private TopologySpread(PodSpec spec, PodDemand pod, List<Constraint> constraints) {
        this.spec = spec;
        this.pod = pod;
        this.constraints = constraints;
        this.counts = new ArrayList<>(constraints.size());
        for (int i = 0; i < constraints.size(); i++) {
            counts.add(new HashMap<>());
        }
    }

    /** The pod's constraints whose {@code whenUnsatisfiable} is {@code action}. */
    static List<Constraint> constraints(PodSpec spec, Map<String, String> podLabels, String action) {
        List<Constraint> out = new ArrayList<>();
        for (TopologySpreadConstraint c : spec.getTopologySpreadConstraints()) {
            if (c == null || !action.equals(c.getWhenUnsatisfiable())) {
                continue;
            }
            List<Selector.Requirement> keys = new ArrayList<>();
            AffinityTerm.addKeys(keys, c.getMatchLabelKeys(), "In", podLabels);
            out.add(new Constraint(
                    c.getMaxSkew() == null ? 1 : c.getMaxSkew(),
                    Matching.nullToEmpty(c.getTopologyKey()),
                    Selector.of(c.getLabelSelector()).and(keys),
                    c.getMinDomains() == null ? 1 : c.getMinDomains(),
                    !"Ignore".equals(c.getNodeAffinityPolicy()),
                    "Honor".equals(c.getNodeTaintsPolicy())));
        }
        return out;
    }

    static boolean hasConstraints(PodSpec spec) {
        return spec.getTopologySpreadConstraints() != null
                && !spec.getTopologySpreadConstraints().isEmpty();
    }

    private static boolean hasAllKeys(NodeFacts node, List<Constraint> constraints) {
        for (Constraint c : constraints) {
            if (!node.labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    /** {@code countPodsMatchSelector}: same namespace, not terminating, labels match; an empty selector counts none. */
    private static int count(Usage usage, Selector selector, String namespace) {
        if (selector.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (PodDemand p : usage.pods.values()) {
            if (!p.terminating && p.namespace.equals(namespace) && selector.matches(p.labels)) {
                n++;
            }
        }
        return n;
    }

    /** PreFilter over the {@code DoNotSchedule} constraints; null when the pod has none. */
    static @Nullable TopologySpread preFilter(
            PodSpec spec, PodDemand pod, Collection<NodeFacts> nodes, Function<String, Usage> usageOf) {
        if (!hasConstraints(spec)) {
            return null;
        }
        List<Constraint> constraints = constraints(spec, pod.labels, "DoNotSchedule");
        if (constraints.isEmpty()) {
            return null;
        }
        TopologySpread s = new TopologySpread(spec, pod, constraints);
        for (NodeFacts node : nodes) {
            if (!hasAllKeys(node, constraints)) {
                continue;
            }
            Usage usage = usageOf.apply(node.name);
            for (int i = 0; i < constraints.size(); i++) {
                Constraint c = constraints.get(i);
                if (c.includes(spec, node)) {
                    s.counts
                            .get(i)
                            .merge(
                                    node.labels.get(c.topologyKey()),
                                    count(usage, c.selector(), pod.namespace),
                                    Integer::sum);
                }
            }
        }
        return s;
    }

    /** A copy without {@code victims}, which are bound to {@code node} (preemption's RemovePod). */
    TopologySpread without(NodeFacts node, Collection<PodDemand> victims) {
        TopologySpread s = new TopologySpread(spec, pod, constraints);
        for (int i = 0; i < constraints.size(); i++) {
            s.counts.get(i).putAll(counts.get(i));
        }
        if (!hasAllKeys(node, constraints)) {
            return s;
        }
        for (PodDemand v : victims) {
            if (!v.namespace.equals(pod.namespace)) {
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                Constraint c = constraints.get(i);
                if (c.selector().matches(v.labels) && c.includes(spec, node)) {
                    s.counts.get(i).merge(node.labels.get(c.topologyKey()), -1, Integer::sum);
                }
            }
        }
        return s;
    }

    /** Filter: null when the node passes. */
    Scheduler.@Nullable Status filter(NodeFacts node) {
        for (int i = 0; i < constraints.size(); i++) {
            Constraint c = constraints.get(i);
            String value = node.labels.get(c.topologyKey());
            if (value == null) {
                return Scheduler.Status.unresolvable(Messages.SPREAD_MISSING_LABEL);
            }
            Map<String, Integer> domains = counts.get(i);
            int min = 0;
            if (domains.size() >= c.minDomains()) {
                min = Integer.MAX_VALUE;
                for (int n : domains.values()) {
                    min = Math.min(min, n);
                }
            }
            int self = c.selector().matches(pod.labels) ? 1 : 0;
            if (domains.getOrDefault(value, 0) + self - min > c.maxSkew()) {
                return new Scheduler.Status(List.of(Messages.SPREAD), false);
            }
        }
        return null;
    }

    /**
     * Score of each feasible node, normalized to 0..100; null when the plugin skips.
     *
     * @param defaultSelector the selector of the Services and controller of the pod, used for the
     *     system default constraints when the pod has none; null or empty for no defaults
     */
    static long @Nullable [] score(
            PodSpec spec,
            PodDemand pod,
            @Nullable Selector defaultSelector,
            List<NodeFacts> feasible,
            Collection<NodeFacts> nodes,
            Function<String, Usage> usageOf) {
        List<Constraint> constraints;
        boolean requireAll;
        if (hasConstraints(spec)) {
            constraints = constraints(spec, pod.labels, "ScheduleAnyway");
            requireAll = true;
        } else if (defaultSelector != null && !defaultSelector.isEmpty()) {
            constraints = List.of(
                    new Constraint(3, HOSTNAME, defaultSelector, 1, true, false),
                    new Constraint(5, ZONE, defaultSelector, 1, true, false));
            requireAll = false;
        } else {
            return null;
        }
        if (constraints.isEmpty()) {
            return null;
        }
        int k = constraints.size();
        Set<String> ignored = new HashSet<>();
        List<Map<String, long[]>> domainCounts = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            domainCounts.add(new HashMap<>());
        }
        for (NodeFacts node : feasible) {
            if (requireAll && !hasAllKeys(node, constraints)) {
                ignored.add(node.name);
                continue;
            }
            for (int i = 0; i < k; i++) {
                String key = constraints.get(i).topologyKey();
                if (!HOSTNAME.equals(key)) {
                    domainCounts.get(i).putIfAbsent(Matching.nullToEmpty(node.labels.get(key)), new long[1]);
                }
            }
        }
        double[] weights = new double[k];
        for (int i = 0; i < k; i++) {
            int size = HOSTNAME.equals(constraints.get(i).topologyKey())
                    ? feasible.size() - ignored.size()
                    : domainCounts.get(i).size();
            weights[i] = Math.log(size + 2);
        }
        boolean anyDomain = domainCounts.stream().anyMatch(m -> !m.isEmpty());
        if (anyDomain) {
            for (NodeFacts node : nodes) {
                if (requireAll && !hasAllKeys(node, constraints)) {
                    continue;
                }
                Usage usage = null;
                for (int i = 0; i < k; i++) {
                    Constraint c = constraints.get(i);
                    if (!c.includes(spec, node)) {
                        continue;
                    }
                    long[] cell = domainCounts.get(i).get(Matching.nullToEmpty(node.labels.get(c.topologyKey())));
                    if (cell == null) {
                        continue;
                    }
                    if (usage == null) {
                        usage = usageOf.apply(node.name);
                    }
                    cell[0] += count(usage, c.selector(), pod.namespace);
                }
            }
        }
        long[] scores = new long[feasible.size()];
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int n = 0; n < scores.length; n++) {
            NodeFacts node = feasible.get(n);
            if (ignored.contains(node.name)) {
                scores[n] = -1;
                continue;
            }
            double score = 0;
            for (int i = 0; i < k; i++) {
                Constraint c = constraints.get(i);
                String value = node.labels.get(c.topologyKey());
                if (value == null) {
                    continue;
                }
                long cnt = HOSTNAME.equals(c.topologyKey())
                        ? count(usageOf.apply(node.name), c.selector(), pod.namespace)
                        : domainCounts.get(i).get(value)[0];
                score += cnt * weights[i] + (c.maxSkew() - 1);
            }
            scores[n] = Math.round(score);
            min = Math.min(min, scores[n]);
            max = Math.max(max, scores[n]);
        }
        for (int n = 0; n < scores.length; n++) {
            if (scores[n] < 0) {
                scores[n] = 0;
            } else if (max == 0) {
                scores[n] = Scheduler.MAX_NODE_SCORE;
            } else {
                scores[n] = Scheduler.MAX_NODE_SCORE * (max + min - scores[n]) / max;
            }
        }
        return scores;
    }
}
