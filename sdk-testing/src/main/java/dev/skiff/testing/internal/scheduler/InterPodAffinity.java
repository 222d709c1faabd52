package dev.skiff.testing.internal.scheduler;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * kube-scheduler's InterPodAffinity plugin ({@code pkg/scheduler/framework/plugins/interpodaffinity}).
 *
 * <h2>Filter</h2>
 *
 * PreFilter counts, per topology pair (a node label key and value), the existing pods whose required
 * anti-affinity terms match the incoming pod (the symmetry rule), the existing pods that match all
 * of the incoming pod's required affinity terms, and those that match each of its required
 * anti-affinity terms; only pods on declared nodes count. Filter then rejects, in this order:
 *
 * <ul>
 *   <li>a node that lacks a required affinity term's topology key, or whose domain holds no
 *       matching pod, unless no pod in the cluster matches at all and the pod matches its own terms
 *       (the first pod of a self-affine group may land anywhere): "node(s) didn't match pod affinity
 *       rules", which preemption cannot resolve;
 *   <li>a node whose domain holds a pod that matches a required anti-affinity term: "node(s) didn't
 *       match pod anti-affinity rules";
 *   <li>a node whose domain holds a pod whose own required anti-affinity matches the incoming pod:
 *       "node(s) didn't satisfy existing pods anti-affinity rules".
 * </ul>
 *
 * The last two can be resolved by evicting the pods in the way, so preemption is tried for them.
 *
 * <h2>Score</h2>
 *
 * Per topology pair: the weights of the incoming pod's preferred affinity terms (plus) and preferred
 * anti-affinity terms (minus) that each existing pod matches; the existing pods' required affinity
 * terms that match the incoming pod (weight 1, {@code hardPodAffinityWeight}), and their preferred
 * affinity (plus) and anti-affinity (minus) terms. A node scores the sum over its labels, then the
 * scores are scaled min-max to 0..100.
 */
final class InterPodAffinity {
    /** A node label key and value. */
    record Pair(String key, String value) {}

    private final PodDemand pod;
    private final Function<String, @Nullable Map<String, String>> namespaceLabels;
    private final Map<Pair, Integer> existingAnti = new HashMap<>();
    private final Map<Pair, Integer> affinity = new HashMap<>();
    private final Map<Pair, Integer> anti = new HashMap<>();

    private InterPodAffinity(PodDemand pod, Function<String, @Nullable Map<String, String>> namespaceLabels) {
        this.pod = pod;
        this.namespaceLabels = namespaceLabels;
    }

    private List<AffinityTerm> requiredAffinity() {
        return pod.terms == null ? List.of() : pod.terms.requiredAffinity();
    }

    private List<AffinityTerm> requiredAnti() {
        return pod.terms == null ? List.of() : pod.terms.requiredAnti();
    }

    /**
     * PreFilter; null when the plugin has nothing to check (no required terms on the pod and no
     * existing pod's required anti-affinity matches it).
     *
     * @param anyRequiredAnti whether any bound pod has required anti-affinity terms (else the
     *     symmetry counts are skipped)
     */
    static @Nullable InterPodAffinity preFilter(
            PodDemand pod,
            Collection<NodeFacts> nodes,
            Function<String, Usage> usageOf,
            Function<String, @Nullable Map<String, String>> namespaceLabels,
            boolean anyRequiredAnti) {
        boolean incoming = !(pod.terms == null
                || (pod.terms.requiredAffinity().isEmpty()
                        && pod.terms.requiredAnti().isEmpty()));
        if (!incoming && !anyRequiredAnti) {
            return null;
        }
        InterPodAffinity s = new InterPodAffinity(pod, namespaceLabels);
        for (NodeFacts node : nodes) {
            Usage usage = usageOf.apply(node.name);
            if (!incoming && usage.withRequiredAnti == 0) {
                continue;
            }
            for (PodDemand existing : usage.pods.values()) {
                s.update(existing, node, 1, anyRequiredAnti, incoming);
            }
        }
        if (!incoming && s.existingAnti.isEmpty()) {
            return null;
        }
        return s;
    }

    private void update(PodDemand existing, NodeFacts node, int delta, boolean symmetry, boolean incoming) {
        if (symmetry && existing.terms != null) {
            for (AffinityTerm t : existing.terms.requiredAnti()) {
                if (t.matches(pod, namespaceLabels)) {
                    add(existingAnti, node, t.topologyKey(), delta);
                }
            }
        }
        if (!incoming) {
            return;
        }
        if (matchesAll(requiredAffinity(), existing)) {
            for (AffinityTerm t : requiredAffinity()) {
                add(affinity, node, t.topologyKey(), delta);
            }
        }
        for (AffinityTerm t : requiredAnti()) {
            if (t.matches(existing, namespaceLabels)) {
                add(anti, node, t.topologyKey(), delta);
            }
        }
    }

    private boolean matchesAll(List<AffinityTerm> terms, PodDemand p) {
        if (terms.isEmpty()) {
            return false;
        }
        for (AffinityTerm t : terms) {
            if (!t.matches(p, namespaceLabels)) {
                return false;
            }
        }
        return true;
    }

    private static void add(Map<Pair, Integer> counts, NodeFacts node, String key, int delta) {
        String value = node.labels.get(key);
        if (value == null) {
            return;
        }
        Pair pair = new Pair(key, value);
        int n = counts.getOrDefault(pair, 0) + delta;
        if (n == 0) {
            counts.remove(pair);
        } else {
            counts.put(pair, n);
        }
    }

    /** A copy without {@code victims}, which are bound to {@code node} (preemption's RemovePod). */
    InterPodAffinity without(NodeFacts node, Collection<PodDemand> victims) {
        InterPodAffinity s = new InterPodAffinity(pod, namespaceLabels);
        s.existingAnti.putAll(existingAnti);
        s.affinity.putAll(affinity);
        s.anti.putAll(anti);
        for (PodDemand v : victims) {
            s.update(v, node, -1, true, true);
        }
        return s;
    }

    /** Filter: null when the node passes. */
    Scheduler.@Nullable Status filter(NodeFacts node) {
        if (!satisfiesAffinity(node)) {
            return Scheduler.Status.unresolvable(Messages.POD_AFFINITY);
        }
        if (!anti.isEmpty()) {
            for (AffinityTerm t : requiredAnti()) {
                String value = node.labels.get(t.topologyKey());
                if (value != null && anti.getOrDefault(new Pair(t.topologyKey(), value), 0) > 0) {
                    return new Scheduler.Status(List.of(Messages.POD_ANTI_AFFINITY), false);
                }
            }
        }
        if (!existingAnti.isEmpty()) {
            for (Map.Entry<String, String> label : node.labels.entrySet()) {
                if (existingAnti.getOrDefault(new Pair(label.getKey(), label.getValue()), 0) > 0) {
                    return new Scheduler.Status(List.of(Messages.EXISTING_ANTI_AFFINITY), false);
                }
            }
        }
        return null;
    }

    private boolean satisfiesAffinity(NodeFacts node) {
        boolean podsExist = true;
        for (AffinityTerm t : requiredAffinity()) {
            String value = node.labels.get(t.topologyKey());
            if (value == null) {
                return false;
            }
            if (affinity.getOrDefault(new Pair(t.topologyKey(), value), 0) <= 0) {
                podsExist = false;
            }
        }
        return podsExist || (affinity.isEmpty() && matchesAll(requiredAffinity(), pod));
    }

    /**
     * Score of each feasible node, normalized to 0..100; null when the plugin skips (every node
     * then scores 0).
     *
     * @param anyWithAffinity whether any bound pod has pod (anti-)affinity terms
     */
    static long @Nullable [] score(
            PodDemand pod,
            List<NodeFacts> feasible,
            Collection<NodeFacts> nodes,
            Function<String, Usage> usageOf,
            Function<String, @Nullable Map<String, String>> namespaceLabels,
            boolean anyWithAffinity) {
        boolean preferred = pod.terms != null
                && !(pod.terms.preferredAffinity().isEmpty()
                        && pod.terms.preferredAnti().isEmpty());
        if (!preferred && !anyWithAffinity) {
            return null;
        }
        // topology key → value → score, as kube-scheduler's scoreMap
        Map<String, Map<String, Long>> topology = new HashMap<>();
        for (NodeFacts node : nodes) {
            Usage usage = usageOf.apply(node.name);
            if (node.labels.isEmpty() || (!preferred && usage.withAffinity == 0)) {
                continue;
            }
            for (PodDemand existing : usage.pods.values()) {
                if (!preferred && existing.terms == null) {
                    continue;
                }
                if (preferred) {
                    terms(topology, pod.terms.preferredAffinity(), existing, node, 1, namespaceLabels);
                    terms(topology, pod.terms.preferredAnti(), existing, node, -1, namespaceLabels);
                }
                if (existing.terms != null) {
                    for (AffinityTerm t : existing.terms.requiredAffinity()) {
                        term(topology, t, 1, pod, node, namespaceLabels);
                    }
                    terms(topology, existing.terms.preferredAffinity(), pod, node, 1, namespaceLabels);
                    terms(topology, existing.terms.preferredAnti(), pod, node, -1, namespaceLabels);
                }
            }
        }
        if (topology.isEmpty()) {
            return null;
        }
        long[] scores = new long[feasible.size()];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < scores.length; i++) {
            NodeFacts node = feasible.get(i);
            long score = 0;
            for (Map.Entry<String, Map<String, Long>> e : topology.entrySet()) {
                String value = node.labels.get(e.getKey());
                if (value != null) {
                    score += e.getValue().getOrDefault(value, 0L);
                }
            }
            scores[i] = score;
            min = Math.min(min, score);
            max = Math.max(max, score);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = diff > 0 ? (long) (Scheduler.MAX_NODE_SCORE * ((double) (scores[i] - min) / (double) diff)) : 0;
        }
        return scores;
    }

    private static void terms(
            Map<String, Map<String, Long>> topology,
            List<AffinityTerm> terms,
            PodDemand target,
            NodeFacts node,
            int sign,
            Function<String, @Nullable Map<String, String>> namespaceLabels) {
        for (AffinityTerm t : terms) {
            term(topology, t, sign * t.weight(), target, node, namespaceLabels);
        }
    }

    private static void term(
            Map<String, Map<String, Long>> topology,
            AffinityTerm t,
            long weight,
            PodDemand target,
            NodeFacts node,
            Function<String, @Nullable Map<String, String>> namespaceLabels) {
        if (!t.matches(target, namespaceLabels)) {
            return;
        }
        String value = node.labels.get(t.topologyKey());
        if (value != null) {
            topology.computeIfAbsent(t.topologyKey(), k -> new HashMap<>()).merge(value, weight, Long::sum);
        }
    }
}
