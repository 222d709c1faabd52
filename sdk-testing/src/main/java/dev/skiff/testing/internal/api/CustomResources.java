package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatus;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The kinds that {@code CustomResourceDefinition}s add to one cluster: each established definition
 * serves its storage version as a kind whose objects are {@link GenericKubernetesResource}s,
 * validated against and pruned to the version's {@code openAPIV3Schema}.
 *
 * <p>Written on the engine thread, read from any thread (request routing).
 */
public final class CustomResources {
    /** A served kind and the schema of its objects (null when the version declares none). */
    private record Served(ResourceType type, @Nullable JsonNode schema, String definition) {}

    private final Map<String, Served> byPath = new ConcurrentHashMap<>();
    private final Map<ResourceType, Served> byType = new ConcurrentHashMap<>();
    private final KubernetesSerialization serialization;

    CustomResources(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    /** Finds a served custom kind by API version ({@code group/version}) and plural. */
    public Optional<ResourceType> find(String apiVersion, String plural) {
        Served s = byPath.get(apiVersion + "/" + plural);
        return s == null ? Optional.empty() : Optional.of(s.type());
    }

    /** Returns whether {@code type} is a kind a definition added. */
    public boolean isCustom(ResourceType type) {
        return byType.containsKey(type);
    }

    /** Returns the custom kinds, by definition name order. */
    public List<ResourceType> all() {
        List<Served> served = new ArrayList<>(byType.values());
        served.sort(java.util.Comparator.comparing(Served::definition));
        List<ResourceType> out = new ArrayList<>();
        for (Served s : served) {
            out.add(s.type());
        }
        return out;
    }

    /** Returns the kinds a definition serves (none when it is unknown). */
    List<ResourceType> servedBy(String definition) {
        List<ResourceType> out = new ArrayList<>();
        for (Served s : byType.values()) {
            if (s.definition().equals(definition)) {
                out.add(s.type());
            }
        }
        return out;
    }

    /** Serves what a stored definition declares, replacing what it declared before. */
    void register(CustomResourceDefinition crd) {
        String name = crd.getMetadata().getName();
        unregister(name);
        CustomResourceDefinitionSpec spec = crd.getSpec();
        CustomResourceDefinitionNames names = spec.getNames();
        for (CustomResourceDefinitionVersion v : spec.getVersions()) {
            if (!Boolean.TRUE.equals(v.getStorage()) || !Boolean.TRUE.equals(v.getServed())) {
                continue;
            }
            boolean status = v.getSubresources() != null && v.getSubresources().getStatus() != null;
            ResourceType type = new ResourceType(
                    spec.getGroup(),
                    v.getName(),
                    names.getKind(),
                    names.getPlural(),
                    "Namespaced".equals(spec.getScope()),
                    GenericKubernetesResource.class,
                    status,
                    names.getShortNames() == null ? List.of() : List.copyOf(names.getShortNames()));
            JsonNode schema = v.getSchema() == null || v.getSchema().getOpenAPIV3Schema() == null
                    ? null
                    : serialization.convertValue(v.getSchema().getOpenAPIV3Schema(), JsonNode.class);
            Served served = new Served(type, schema, name);
            byType.put(type, served);
            byPath.put(type.apiVersion() + "/" + type.plural(), served);
        }
    }

    /** Stops serving what a definition declared. */
    void unregister(String definition) {
        byType.values().removeIf(s -> s.definition().equals(definition));
        byPath.values().removeIf(s -> s.definition().equals(definition));
    }

    /** Checks a new definition and fills in the status the API server reports once it is established. */
    static void prepareDefinition(CustomResourceDefinition crd) {
        CustomResourceDefinitionSpec spec = crd.getSpec();
        String name =
                crd.getMetadata().getName() == null ? "" : crd.getMetadata().getName();
        List<Violation> violations = new ArrayList<>();
        ResourceType crds = ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS;
        if (spec == null) {
            violations.add(new Violation("spec", Violation.Type.REQUIRED, null, ""));
            throw ApiException.invalid(crds, name, violations);
        }
        CustomResourceDefinitionNames names = spec.getNames();
        if (spec.getGroup() == null || spec.getGroup().isEmpty()) {
            violations.add(new Violation("spec.group", Violation.Type.REQUIRED, null, ""));
        }
        if (names == null || names.getPlural() == null || names.getPlural().isEmpty()) {
            violations.add(new Violation("spec.names.plural", Violation.Type.REQUIRED, null, ""));
        }
        if (names == null || names.getKind() == null || names.getKind().isEmpty()) {
            violations.add(new Violation("spec.names.kind", Violation.Type.REQUIRED, null, ""));
        }
        if (violations.isEmpty() && !name.equals(names.getPlural() + "." + spec.getGroup())) {
            violations.add(new Violation(
                    "metadata.name",
                    Violation.Type.INVALID,
                    "\"" + name + "\"",
                    "must be spec.names.plural+\".\"+spec.group"));
        }
        if (!"Namespaced".equals(spec.getScope()) && !"Cluster".equals(spec.getScope())) {
            violations.add(new Violation(
                    "spec.scope",
                    Violation.Type.NOT_SUPPORTED,
                    "\"" + Objects.toString(spec.getScope(), "") + "\"",
                    "supported values: \"Cluster\", \"Namespaced\""));
        }
        List<CustomResourceDefinitionVersion> versions = spec.getVersions() == null ? List.of() : spec.getVersions();
        if (versions.isEmpty()) {
            violations.add(new Violation(
                    "spec.versions",
                    Violation.Type.INVALID,
                    "null",
                    "must have exactly one version marked as storage version"));
        } else if (versions.stream()
                        .filter(v -> Boolean.TRUE.equals(v.getStorage()))
                        .count()
                != 1) {
            violations.add(new Violation(
                    "spec.versions",
                    Violation.Type.INVALID,
                    "[]apiextensions.CustomResourceDefinitionVersion{...}",
                    "must have exactly one version marked as storage version"));
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(crds, name, violations);
        }
        String storage = versions.stream()
                .filter(v -> Boolean.TRUE.equals(v.getStorage()))
                .findFirst()
                .orElseThrow()
                .getName();
        CustomResourceDefinitionStatus status = new CustomResourceDefinitionStatus();
        status.setAcceptedNames(names);
        status.setStoredVersions(List.of(storage));
        status.setConditions(List.of(
                condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                condition("Established", "InitialNamesAccepted", "the initial names have been accepted")));
        crd.setStatus(status);
    }

    private static CustomResourceDefinitionCondition condition(String type, String reason, String message) {
        CustomResourceDefinitionCondition c = new CustomResourceDefinitionCondition();
        c.setType(type);
        c.setStatus("True");
        c.setReason(reason);
        c.setMessage(message);
        return c;
    }

    /**
     * Prepares a write of a custom object: keeps the stored status on a main write and the stored
     * content on a status write (when the kind has the status subresource), prunes unknown fields
     * and validates against the schema.
     *
     * @return whether anything but metadata and status changed against {@code stored}
     * @throws ApiException 422 when the object breaks the schema
     */
    boolean prepare(
            ResourceType type,
            GenericKubernetesResource next,
            @Nullable GenericKubernetesResource stored,
            boolean statusWrite) {
        Served served = Objects.requireNonNull(byType.get(type), type::toString);
        Map<String, Object> props = new LinkedHashMap<>(next.getAdditionalProperties());
        if (type.hasStatus()) {
            if (statusWrite && stored != null) {
                Object status = props.get("status");
                props = new LinkedHashMap<>(stored.getAdditionalProperties());
                props.remove("status");
                if (status != null) {
                    props.put("status", status);
                }
            } else {
                props.remove("status");
                if (stored != null && stored.getAdditionalProperties().get("status") != null) {
                    props.put("status", stored.getAdditionalProperties().get("status"));
                }
            }
        }
        next.setAdditionalProperties(props);
        if (served.schema() != null) {
            ObjectNode json = serialization.convertValue(next, ObjectNode.class);
            CrdSchema.prune(json, served.schema());
            List<Violation> violations = CrdSchema.validate(json, served.schema());
            if (!violations.isEmpty()) {
                throw ApiException.invalid(type, next.getMetadata().getName(), violations);
            }
            GenericKubernetesResource pruned = serialization.convertValue(json, GenericKubernetesResource.class);
            next.setAdditionalProperties(new LinkedHashMap<>(pruned.getAdditionalProperties()));
        }
        if (stored == null) {
            return true;
        }
        Map<String, Object> before = new LinkedHashMap<>(stored.getAdditionalProperties());
        Map<String, Object> after = new LinkedHashMap<>(next.getAdditionalProperties());
        before.remove("status");
        after.remove("status");
        return !before.equals(after);
    }
}
