package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's view of a cluster, kept up to date incrementally: declared nodes, and for every
 * node name the running totals of the pods bound to it.
 *
 * <p>The owner calls {@link #putNode} and {@link #removeNode} as nodes change, and {@link #bind} and
 * {@link #unbind} as pods are bound, updated, finish or are deleted; {@link #schedule} then costs
 * O(nodes), not O(pods). Pods may be bound to a node before it is declared (as the kube-scheduler
 * cache allows); they count once it is.
 *
 * <p>Not thread-safe: meant for the in-memory cluster's single engine thread. Deterministic: nodes
 * are visited in name order and nothing depends on hash order or time.
 */
public final class ClusterState {
    private final NavigableMap<String, NodeFacts> nodes = new TreeMap<>();
    private final Map<String, Usage> usage = new HashMap<>();
    /** pod key → node name, to unbind by key. */
    private final Map<String, String> podNodes = new HashMap<>();
    /** Namespace name → labels, for pod affinity terms with a namespace selector. */
    private final Map<String, Map<String, String>> namespaces = new HashMap<>();
    /** Bound pods with pod (anti-)affinity terms, and those with required anti-affinity terms. */
    private int withAffinity;

    private int withRequiredAnti;

    /** Creates an empty cluster. */
    public ClusterState() {}

    /**
     * Creates a cluster from lists.
     *
     * @throws IllegalArgumentException if two nodes share a name
     */
    public static ClusterState of(List<Node> nodes, List<Pod> boundPods) {
        ClusterState state = new ClusterState();
        for (Node node : nodes) {
            String name = Objects.requireNonNull(node, "node").getMetadata().getName();
            if (state.nodes.containsKey(name)) {
                throw new IllegalArgumentException("node names must be unique, but " + name + " appears twice");
            }
            state.putNode(node);
        }
        for (Pod pod : boundPods) {
            if (pod.getSpec() != null
                    && pod.getSpec().getNodeName() != null
                    && !pod.getSpec().getNodeName().isEmpty()) {
                state.bind(pod);
            }
        }
        return state;
    }

    /** Declares {@code node}, or replaces the node of the same name (labels, taints, allocatable, ...). */
    public void putNode(Node node) {
        NodeFacts facts = new NodeFacts(Objects.requireNonNull(node, "node"));
        nodes.put(facts.name, facts);
    }

    /**
     * Forgets the node {@code name}; pods bound to it keep their place and count again if a node of
     * that name comes back.
     *
     * @return whether the node was declared
     */
    public boolean removeNode(String name) {
        return nodes.remove(Objects.requireNonNull(name, "name")) != null;
    }

    /**
     * Records that {@code pod} holds resources on {@code spec.nodeName}, replacing what an earlier
     * bind of the same pod (same namespace and name) recorded. A pod in phase {@code Succeeded} or
     * {@code Failed} holds nothing, so binding one unbinds it.
     *
     * @throws IllegalArgumentException if the pod has no {@code spec.nodeName} or a quantity does not
     *     parse
     */
    public void bind(Pod pod) {
        Objects.requireNonNull(pod, "pod");
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("pod " + PodDemand.key(pod) + " must have spec.nodeName to be bound");
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            unbind(pod);
            return;
        }
        PodDemand demand = PodDemand.of(pod);
        String previous = podNodes.put(demand.key, nodeName);
        if (previous != null) {
            track(usage.get(previous).pods.get(demand.key), -1);
            if (!previous.equals(nodeName)) {
                usage.get(previous).remove(demand.key);
            }
        }
        usage.computeIfAbsent(nodeName, n -> new Usage()).add(demand);
        track(demand, 1);
    }

    private void track(@Nullable PodDemand d, int sign) {
        if (d != null && d.terms != null) {
            withAffinity += sign;
            if (!d.terms.requiredAnti().isEmpty()) {
                withRequiredAnti += sign;
            }
        }
    }

    /**
     * Records the labels of namespace {@code name} (pod affinity terms may select namespaces by
     * label), replacing earlier ones.
     */
    public void putNamespace(String name, @Nullable Map<String, String> labels) {
        namespaces.put(Objects.requireNonNull(name, "name"), labels == null ? Map.of() : Map.copyOf(labels));
    }

    /** Forgets namespace {@code name}; returns whether it was known. */
    public boolean removeNamespace(String name) {
        return namespaces.remove(Objects.requireNonNull(name, "name")) != null;
    }

    /**
     * Releases what {@code pod} held.
     *
     * @return whether the pod was bound
     */
    public boolean unbind(Pod pod) {
        return unbind(PodDemand.key(Objects.requireNonNull(pod, "pod")));
    }

    /**
     * Releases what the pod {@code namespace/name} held.
     *
     * @return whether the pod was bound
     */
    public boolean unbind(String namespace, String name) {
        return unbind(Objects.requireNonNull(namespace, "namespace") + "/" + Objects.requireNonNull(name, "name"));
    }

    private boolean unbind(String key) {
        String nodeName = podNodes.remove(key);
        if (nodeName == null) {
            return false;
        }
        Usage u = usage.get(nodeName);
        track(u.pods.get(key), -1);
        return u.remove(key);
    }

    /**
     * Decides where {@code pod} goes; see {@link Scheduler} for the rules. Binding is up to the
     * caller (then call {@link #bind}).
     *
     * @throws IllegalArgumentException if the pod already has {@code spec.nodeName} or a quantity
     *     does not parse
     */
    public Decision schedule(Pod pod) {
        return schedule(pod, List.of());
    }

    /**
     * Decides where {@code pod} goes, with kube-scheduler's system default topology spreading
     * ({@code ScheduleAnyway} over hostname, maxSkew 3, and zone, maxSkew 5) for a pod without
     * topology spread constraints, over the pods that all of {@code spreadSelectors} match. Pass
     * what kube-scheduler's {@code DefaultSelector} collects: the selector of each Service in the
     * pod's namespace that selects the pod (as {@code matchLabels}) and the selector of the
     * ReplicaSet, StatefulSet or ReplicationController that controls it; none (or only empty ones)
     * means no default spreading, as for a pod of a Job without a Service.
     *
     * @throws IllegalArgumentException if the pod already has {@code spec.nodeName} or a quantity
     *     does not parse
     */
    public Decision schedule(Pod pod, List<LabelSelector> spreadSelectors) {
        Objects.requireNonNull(pod, "pod");
        Selector defaults = null;
        for (LabelSelector s : spreadSelectors) {
            Selector one = Selector.of(Objects.requireNonNull(s, "spreadSelectors[]"));
            defaults = defaults == null ? one : defaults.and(one.requirements());
        }
        Scheduler.Context context =
                new Scheduler.Context(namespaces::get, withRequiredAnti > 0, withAffinity > 0, defaults);
        return Scheduler.decide(pod, nodes, this::usageOf, context);
    }

    /** Returns the usage of the declared node {@code name}, or empty if no such node is declared. */
    public Optional<NodeUsage> usage(String name) {
        NodeFacts facts = nodes.get(name);
        if (facts == null) {
            return Optional.empty();
        }
        Usage u = usageOf(name);
        Map<String, Long> requested = new TreeMap<>();
        u.requested.forEach((r, amount) -> {
            if (amount != 0) {
                requested.put(r, amount);
            }
        });
        requested.put(Resources.PODS, (long) u.podCount());
        return Optional.of(new NodeUsage(name, facts.allocatable, requested));
    }

    /** Returns the names of the declared nodes, sorted. */
    public List<String> nodeNames() {
        return List.copyOf(Collections.unmodifiableSet(nodes.keySet()));
    }

    private Usage usageOf(String nodeName) {
        Usage u = usage.get(nodeName);
        return u == null ? EMPTY : u;
    }

    private static final Usage EMPTY = new Usage();
}
