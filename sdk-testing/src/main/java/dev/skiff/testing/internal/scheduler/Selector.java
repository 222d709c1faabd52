package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A label selector as {@code metav1.LabelSelectorAsSelector} turns it into {@code labels.Selector}:
 * a null selector matches nothing, an empty one everything, otherwise every requirement must hold.
 */
final class Selector {
    static final Selector NOTHING = new Selector(List.of(), true);
    static final Selector EVERYTHING = new Selector(List.of(), false);

    /** One requirement: operator In, NotIn, Exists or DoesNotExist; anything else matches nothing. */
    record Requirement(String key, String operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            switch (operator) {
                case "In":
                    return value != null && values.contains(value);
                case "NotIn":
                    return value == null || !values.contains(value);
                case "Exists":
                    return labels.containsKey(key);
                case "DoesNotExist":
                    return !labels.containsKey(key);
                default:
                    return false;
            }
        }
    }

    private final List<Requirement> requirements;
    private final boolean nothing;

    private Selector(List<Requirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    static Selector of(@Nullable LabelSelector s) {
        if (s == null) {
            return NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        if (s.getMatchLabels() != null) {
            s.getMatchLabels().forEach((k, v) -> reqs.add(new Requirement(k, "In", Set.of(Matching.nullToEmpty(v)))));
        }
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                if (r == null) {
                    continue;
                }
                Set<String> values = r.getValues() == null ? Set.of() : Set.copyOf(r.getValues());
                reqs.add(new Requirement(
                        Matching.nullToEmpty(r.getKey()), Matching.nullToEmpty(r.getOperator()), values));
            }
        }
        return new Selector(List.copyOf(reqs), false);
    }

    /** Adds requirements ({@code labels.Selector.Add}); {@link #NOTHING} stays nothing. */
    Selector and(List<Requirement> more) {
        if (more.isEmpty() || nothing) {
            return this;
        }
        List<Requirement> all = new ArrayList<>(requirements);
        all.addAll(more);
        return new Selector(List.copyOf(all), false);
    }

    List<Requirement> requirements() {
        return requirements;
    }

    /** {@code labels.Selector.Empty}: true only for a selector without requirements that matches everything. */
    boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    boolean matches(@Nullable Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return nothing ? "<nothing>" : requirements.toString();
    }
}
