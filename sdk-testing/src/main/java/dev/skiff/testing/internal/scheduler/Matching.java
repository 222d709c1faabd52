package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Label, field and taint matching with the semantics of {@code
 * k8s.io/component-helpers/scheduling/corev1} (node affinity and tolerations).
 */
final class Matching {
    static final String NAME_FIELD = "metadata.name";

    private Matching() {}

    /**
     * {@code Toleration.ToleratesTaint}: an empty effect matches every effect, an empty key (with
     * {@code Exists}) every key, {@code Exists} every value, {@code Equal} (or no operator) the
     * exact value. {@code Lt}/{@code Gt} tolerations are behind an alpha feature gate that is off by
     * default, so they tolerate nothing.
     */
    static boolean tolerates(Toleration t, @Nullable String key, @Nullable String value, @Nullable String effect) {
        if (!isEmpty(t.getEffect()) && !t.getEffect().equals(nullToEmpty(effect))) {
            return false;
        }
        if (!isEmpty(t.getKey()) && !t.getKey().equals(nullToEmpty(key))) {
            return false;
        }
        String op = nullToEmpty(t.getOperator());
        switch (op) {
            case "":
            case "Equal":
                return nullToEmpty(t.getValue()).equals(nullToEmpty(value));
            case "Exists":
                return true;
            default:
                return false;
        }
    }

    static boolean tolerates(@Nullable List<Toleration> tolerations, Taint taint) {
        return tolerates(tolerations, taint.getKey(), taint.getValue(), taint.getEffect());
    }

    static boolean tolerates(
            @Nullable List<Toleration> tolerations,
            @Nullable String key,
            @Nullable String value,
            @Nullable String effect) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration t : tolerations) {
            if (t != null && tolerates(t, key, value, effect)) {
                return true;
            }
        }
        return false;
    }

    /** The NodeAffinity filter: {@code spec.nodeSelector} and required node affinity both match. */
    static boolean matchesNodeSelectorAndAffinity(PodSpec spec, NodeFacts node) {
        Map<String, String> selector = spec.getNodeSelector();
        if (selector != null) {
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!nullToEmpty(e.getValue()).equals(node.labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        NodeSelector required = required(spec);
        return required == null || matches(required, node);
    }

    static @Nullable NodeSelector required(PodSpec spec) {
        Affinity a = spec.getAffinity();
        if (a == null || a.getNodeAffinity() == null) {
            return null;
        }
        return a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    /** Terms are ORed; a selector without terms matches nothing. */
    static boolean matches(NodeSelector selector, NodeFacts node) {
        if (selector.getNodeSelectorTerms() == null) {
            return false;
        }
        for (NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
            if (term != null && matches(term, node)) {
                return true;
            }
        }
        return false;
    }

    /** Expressions and fields are ANDed; a term with neither matches nothing. */
    static boolean matches(NodeSelectorTerm term, NodeFacts node) {
        List<NodeSelectorRequirement> exprs =
                term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : exprs) {
            if (!matches(r, node.labels.containsKey(r.getKey()), node.labels.get(r.getKey()))) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : fields) {
            if (!NAME_FIELD.equals(r.getKey())) {
                return false;
            }
            String op = nullToEmpty(r.getOperator());
            if (!op.equals("In") && !op.equals("NotIn")) {
                return false;
            }
            if (!matches(r, true, node.name)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(NodeSelectorRequirement r, boolean present, @Nullable String value) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        switch (nullToEmpty(r.getOperator())) {
            case "In":
                return present && values.contains(value);
            case "NotIn":
                return !present || !values.contains(value);
            case "Exists":
                return present;
            case "DoesNotExist":
                return !present;
            case "Gt":
            case "Lt":
                if (!present || values.size() != 1) {
                    return false;
                }
                Long have = parseLong(value);
                Long want = parseLong(values.get(0));
                if (have == null || want == null) {
                    return false;
                }
                return "Gt".equals(r.getOperator()) ? have > want : have < want;
            default:
                return false;
        }
    }

    private static @Nullable Long parseLong(@Nullable String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean isEmpty(@Nullable String s) {
        return s == null || s.isEmpty();
    }

    static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }
}
