package dev.skiff.gpu;

import dev.skiff.core.NodeRequirement;
import dev.skiff.core.RenderContext;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a disjunction to a pod's required node affinity. Node selector terms are ORed and the
 * expressions of a term ANDed, so requiring "A or B" of pods that already require the terms T1 or
 * T2 gives the terms T1+A, T1+B, T2+A, T2+B.
 */
final class NodeTerms {
    private NodeTerms() {}

    /**
     * Requires every pod to match one of {@code alternatives} (each a list of requirements that
     * must all hold) as well as the required node affinity already there; nothing when empty.
     */
    static void requireAny(RenderContext context, List<List<NodeRequirement>> alternatives) {
        if (alternatives.isEmpty()) {
            return;
        }
        if (alternatives.size() == 1) {
            alternatives.get(0).forEach(context::requireNodeLabel);
            return;
        }
        PodSpec spec = context.podSpec();
        if (spec.getAffinity() == null) {
            spec.setAffinity(new Affinity());
        }
        if (spec.getAffinity().getNodeAffinity() == null) {
            spec.getAffinity().setNodeAffinity(new NodeAffinity());
        }
        NodeAffinity nodeAffinity = spec.getAffinity().getNodeAffinity();
        NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null) {
            required = new NodeSelector(new ArrayList<>());
            nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        }
        List<NodeSelectorTerm> existing = required.getNodeSelectorTerms();
        if (existing == null || existing.isEmpty()) {
            existing = List.of(new NodeSelectorTerm());
        }
        List<NodeSelectorTerm> terms = new ArrayList<>();
        for (NodeSelectorTerm base : existing) {
            for (List<NodeRequirement> alternative : alternatives) {
                NodeSelectorTerm term = new NodeSelectorTerm();
                term.setMatchExpressions(copy(base.getMatchExpressions()));
                if (base.getMatchFields() != null && !base.getMatchFields().isEmpty()) {
                    term.setMatchFields(copy(base.getMatchFields()));
                }
                for (NodeRequirement r : alternative) {
                    NodeSelectorRequirement k = toFabric8(r);
                    if (!term.getMatchExpressions().contains(k)) {
                        term.getMatchExpressions().add(k);
                    }
                }
                terms.add(term);
            }
        }
        required.setNodeSelectorTerms(terms);
    }

    private static List<NodeSelectorRequirement> copy(List<NodeSelectorRequirement> requirements) {
        List<NodeSelectorRequirement> out = new ArrayList<>();
        if (requirements != null) {
            for (NodeSelectorRequirement r : requirements) {
                out.add(new NodeSelectorRequirement(
                        r.getKey(), r.getOperator(), r.getValues() == null ? null : new ArrayList<>(r.getValues())));
            }
        }
        return out;
    }

    private static NodeSelectorRequirement toFabric8(NodeRequirement r) {
        NodeSelectorRequirement k = new NodeSelectorRequirement();
        k.setKey(r.key());
        k.setOperator(r.operator().wireName());
        if (!r.values().isEmpty()) {
            k.setValues(new ArrayList<>(r.values()));
        }
        return k;
    }
}
