package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The {@code pods/ephemeralcontainers} subresource: of the pod sent (or the patched pod) only
 * {@code spec.ephemeralContainers} counts; existing ones may not be removed or changed. The new pod
 * is validated and admitted as an update of the pod.
 */
final class EphemeralContainers {
    private EphemeralContainers() {}

    /** The stored pod with the ephemeral containers of {@code sent}. */
    static Pod apply(Pod stored, Pod sent) {
        List<EphemeralContainer> next = sent.getSpec() == null || sent.getSpec().getEphemeralContainers() == null
                ? List.of()
                : sent.getSpec().getEphemeralContainers();
        List<Violation> violations = new ArrayList<>();
        List<EphemeralContainer> old = stored.getSpec().getEphemeralContainers() == null
                ? List.of()
                : stored.getSpec().getEphemeralContainers();
        for (EphemeralContainer o : old) {
            EphemeralContainer n = next.stream()
                    .filter(c -> Objects.equals(c.getName(), o.getName()))
                    .findFirst()
                    .orElse(null);
            if (n == null) {
                violations.add(Violation.forbidden(
                        "spec.ephemeralContainers",
                        "existing ephemeral containers \"" + o.getName() + "\" may not be removed\n"));
            } else if (!n.equals(o)) {
                violations.add(Violation.forbidden(
                        "spec.ephemeralContainers",
                        "existing ephemeral containers \"" + o.getName() + "\" may not be changed"));
            }
        }
        String name = stored.getMetadata().getName();
        if (!violations.isEmpty()) {
            throw ApiException.invalid(ResourceTypes.PODS, name, violations);
        }
        Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder(stored).build();
        pod.setSpec(new PodSpecBuilder(stored.getSpec())
                .withEphemeralContainers(new ArrayList<>(next))
                .build());
        if (sent.getMetadata() != null && sent.getMetadata().getResourceVersion() != null) {
            pod.getMetadata().setResourceVersion(sent.getMetadata().getResourceVersion());
        }
        return pod;
    }

    /** The stored pod patched, as the pod whose ephemeral containers count. */
    static Pod patched(ApiServer api, Pod stored, String contentType, String body) {
        JsonNode patch;
        try {
            patch = api.serialization().unmarshal(body, JsonNode.class);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("error decoding patch: " + e.getMessage());
        }
        JsonNode current = api.serialization().convertValue(stored, JsonNode.class);
        JsonNode merged = Patches.apply(contentType, current, patch, Schema.of(ResourceTypes.PODS));
        return api.serialization().convertValue(merged, Pod.class);
    }

    /**
     * The violations of a pod on update: that ephemeral containers "cannot be set on create" does
     * not apply to a pod that keeps the ones it has ({@code kept}) or to this subresource.
     */
    static List<Violation> onUpdate(List<Violation> violations, boolean kept) {
        if (!kept) {
            return violations;
        }
        return violations.stream()
                .filter(v -> !(v.field().equals("spec.ephemeralContainers")
                        && v.detail().equals("cannot be set on create")))
                .toList();
    }

    /** Whether an update keeps the pod's ephemeral containers as stored. */
    static boolean kept(HasMetadata stored, HasMetadata next) {
        return stored instanceof Pod o
                && next instanceof Pod n
                && o.getSpec() != null
                && n.getSpec() != null
                && Objects.equals(
                        o.getSpec().getEphemeralContainers(), n.getSpec().getEphemeralContainers());
    }
}
