package dev.skiff.testing.internal.http;

import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of Deployments, ReplicaSets and StatefulSets, an {@code
 * autoscaling/v1} Scale: what {@code kubectl scale} reads and patches.
 */
final class Scales {
    private static final JsonMapper MAPPER = new JsonMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Scales() {}

    /** Whether a kind has a scale subresource. */
    static boolean supports(ResourceType type) {
        return type == ResourceTypes.DEPLOYMENTS
                || type == ResourceTypes.REPLICA_SETS
                || type == ResourceTypes.STATEFUL_SETS;
    }

    /** Returns the Scale of an object. */
    static ObjectNode get(ApiServer api, ResourceType type, @Nullable String namespace, String name) {
        return scale(api.get(type, namespace, name));
    }

    /**
     * Applies a patch to the Scale of an object and stores the replicas it asks for.
     *
     * @param contentType the patch's media type
     */
    static ObjectNode patch(
            ApiServer api,
            ResourceType type,
            @Nullable String namespace,
            String name,
            String contentType,
            String patch,
            ApiServer.WriteOptions options) {
        ObjectNode current = get(api, type, namespace, name);
        JsonNode p = MAPPER.readTree(patch);
        JsonNode patched;
        if (contentType.startsWith("application/json-patch")) {
            try {
                patched = JsonPatch.apply(p, current);
            } catch (JsonPatchException e) {
                throw ApiException.badRequest(String.valueOf(e.getMessage()));
            }
        } else {
            // merge patch, strategic merge patch and apply: a Scale has no lists
            patched = merge(current, p);
        }
        return update(api, type, namespace, name, patched, options);
    }

    /** Stores the replicas of a Scale (a PUT to the subresource). */
    static ObjectNode update(
            ApiServer api,
            ResourceType type,
            @Nullable String namespace,
            String name,
            JsonNode scale,
            ApiServer.WriteOptions options) {
        HasMetadata object = api.get(type, namespace, name);
        String rv = scale.path("metadata").path("resourceVersion").asString("");
        if (!rv.isEmpty() && !rv.equals(object.getMetadata().getResourceVersion())) {
            throw ApiException.conflict(
                    type,
                    name,
                    "Operation cannot be fulfilled on " + type + " \"" + name
                            + "\": the object has been modified; please apply your changes to the latest version and try again");
        }
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isMissingNode() && !replicas.isNull() && !replicas.isIntegralNumber()) {
            throw ApiException.badRequest("spec.replicas must be an integer");
        }
        Integer wanted = replicas.isIntegralNumber() ? replicas.asInt() : null;
        if (Objects.equals(wanted, replicasOf(object))) {
            return scale(object);
        }
        HasMetadata copy = api.copy(object);
        if (copy instanceof Deployment d) {
            d.getSpec().setReplicas(wanted);
        } else if (copy instanceof ReplicaSet r) {
            r.getSpec().setReplicas(wanted);
        } else if (copy instanceof StatefulSet s) {
            s.getSpec().setReplicas(wanted);
        }
        return scale(api.update(type, namespace, name, copy, false, options));
    }

    private static @Nullable Integer replicasOf(HasMetadata o) {
        if (o instanceof Deployment d) {
            return d.getSpec().getReplicas();
        } else if (o instanceof ReplicaSet r) {
            return r.getSpec().getReplicas();
        } else if (o instanceof StatefulSet s) {
            return s.getSpec().getReplicas();
        }
        return null;
    }

    private static ObjectNode scale(HasMetadata o) {
        Integer specReplicas = replicasOf(o);
        Integer statusReplicas = null;
        LabelSelector selector = null;
        if (o instanceof Deployment d) {
            statusReplicas = d.getStatus() == null ? null : d.getStatus().getReplicas();
            selector = d.getSpec().getSelector();
        } else if (o instanceof ReplicaSet r) {
            statusReplicas = r.getStatus() == null ? null : r.getStatus().getReplicas();
            selector = r.getSpec().getSelector();
        } else if (o instanceof StatefulSet s) {
            statusReplicas = s.getStatus() == null ? null : s.getStatus().getReplicas();
            selector = s.getSpec().getSelector();
        }
        ObjectNode scale = F.objectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        meta.put("name", o.getMetadata().getName());
        meta.put("namespace", o.getMetadata().getNamespace());
        meta.put("uid", o.getMetadata().getUid());
        meta.put("resourceVersion", o.getMetadata().getResourceVersion());
        meta.put("creationTimestamp", o.getMetadata().getCreationTimestamp());
        scale.putObject("spec").put("replicas", specReplicas == null ? 0 : specReplicas);
        ObjectNode status = scale.putObject("status");
        status.put("replicas", statusReplicas == null ? 0 : statusReplicas);
        String s = selector(selector);
        if (!s.isEmpty()) {
            status.put("selector", s);
        }
        return scale;
    }

    /** A label selector in its string form, such as {@code app=web,tier in (a,b)}. */
    static String selector(@Nullable LabelSelector selector) {
        if (selector == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                parts.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                switch (r.getOperator()) {
                    case "In" -> parts.add(r.getKey() + " in (" + String.join(",", r.getValues()) + ")");
                    case "NotIn" -> parts.add(r.getKey() + " notin (" + String.join(",", r.getValues()) + ")");
                    case "Exists" -> parts.add(r.getKey());
                    case "DoesNotExist" -> parts.add("!" + r.getKey());
                    default -> {
                        // validation rejects other operators
                    }
                }
            }
        }
        return String.join(",", parts);
    }

    /** A JSON merge patch (RFC 7386). */
    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : F.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}
