package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A pod (anti-)affinity term as kube-scheduler processes it ({@code framework.AffinityTerm}): the
 * namespaces it names (the owning pod's own when it names none and has no namespace selector), its
 * namespace selector, its label selector with {@code matchLabelKeys} ({@code In}) and {@code
 * mismatchLabelKeys} ({@code NotIn}) merged in from the owning pod's labels (the API server does that
 * merge on create; doing it again changes nothing), its topology key and, for preferred terms, its
 * weight.
 */
record AffinityTerm(
        Set<String> namespaces, Selector namespaceSelector, Selector selector, String topologyKey, int weight) {

    static AffinityTerm of(PodAffinityTerm term, String podNamespace, Map<String, String> podLabels, int weight) {
        List<String> names = term.getNamespaces() == null ? List.of() : term.getNamespaces();
        Set<String> namespaces =
                names.isEmpty() && term.getNamespaceSelector() == null ? Set.of(podNamespace) : Set.copyOf(names);
        List<Selector.Requirement> merged = new ArrayList<>();
        addKeys(merged, term.getMatchLabelKeys(), "In", podLabels);
        addKeys(merged, term.getMismatchLabelKeys(), "NotIn", podLabels);
        Selector selector = Selector.of(term.getLabelSelector()).and(merged);
        return new AffinityTerm(
                namespaces,
                Selector.of(term.getNamespaceSelector()),
                selector,
                Matching.nullToEmpty(term.getTopologyKey()),
                weight);
    }

    static void addKeys(
            List<Selector.Requirement> into, @Nullable List<String> keys, String operator, Map<String, String> labels) {
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null) {
                into.add(new Selector.Requirement(key, operator, Set.of(value)));
            }
        }
    }

    /**
     * {@code AffinityTerm.Matches}: the pod is in a named namespace or one the namespace selector
     * picks, and its labels match.
     *
     * @param namespaceLabels the labels of a namespace by name, null for an unknown namespace
     */
    boolean matches(PodDemand pod, Function<String, @Nullable Map<String, String>> namespaceLabels) {
        if (!namespaces.contains(pod.namespace) && !namespaceMatches(pod.namespace, namespaceLabels)) {
            return false;
        }
        return selector.matches(pod.labels);
    }

    private boolean namespaceMatches(
            String namespace, Function<String, @Nullable Map<String, String>> namespaceLabels) {
        if (namespaceSelector.isEmpty()) {
            return true;
        }
        Map<String, String> labels = namespaceLabels.apply(namespace);
        return labels != null && namespaceSelector.matches(labels);
    }
}
