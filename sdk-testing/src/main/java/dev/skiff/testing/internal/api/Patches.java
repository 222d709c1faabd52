package dev.skiff.testing.internal.api;

import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The patch formats of the API server: JSON patch (RFC 6902), JSON merge patch (RFC 7386),
 * strategic merge patch and server-side apply (both merging lists of objects by their merge key, as
 * Kubernetes' schema declares for the fields of the served kinds).
 */
final class Patches {
    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final String APPLY_PATCH = "application/apply-patch+yaml";

    /** Fields whose list items merge by a key instead of being replaced; key by field name. */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("ports", "containerPort"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"),
            Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"),
            Map.entry("resourceClaims", "name"),
            Map.entry("schedulingGates", "name"),
            Map.entry("tolerations", "key"));

    /** Lists of scalars that merge as sets. */
    private static final Set<String> SET_LISTS = Set.of("finalizers");

    private Patches() {}

    static JsonNode apply(String contentType, JsonNode target, JsonNode patch) {
        String type = contentType.contains(";")
                ? contentType.substring(0, contentType.indexOf(';')).trim()
                : contentType.trim();
        return switch (type) {
            case JSON_PATCH -> {
                try {
                    yield JsonPatch.apply(patch, target);
                } catch (JsonPatchException | IllegalArgumentException e) {
                    throw ApiException.of(
                            422,
                            "Invalid",
                            "the server rejected our request due to an error in our request: " + e.getMessage(),
                            null,
                            null,
                            java.util.List.of());
                }
            }
            case MERGE_PATCH -> mergePatch(target, patch);
            case STRATEGIC_MERGE_PATCH, APPLY_PATCH -> strategicMerge(target, patch, null);
            default -> throw ApiException.unsupportedMediaType(type);
        };
    }

    /** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /** Strategic merge: like a merge patch, but lists of objects with a merge key merge item by item. */
    static JsonNode strategicMerge(JsonNode target, JsonNode patch, String field) {
        if (patch.isObject()) {
            ObjectNode result = target != null && target.isObject()
                    ? ((ObjectNode) target).deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : patch.properties()) {
                String key = e.getKey();
                if (key.startsWith("$")) {
                    continue; // directives such as $patch, $retainKeys: not supported beyond ignoring
                }
                if (e.getValue().isNull()) {
                    result.remove(key);
                } else {
                    result.set(key, strategicMerge(result.get(key), e.getValue(), key));
                }
            }
            return result;
        }
        if (patch.isArray() && target != null && target.isArray() && field != null) {
            String mergeKey = MERGE_KEYS.get(field);
            if (mergeKey != null && allObjectsWith(patch, mergeKey) && allObjectsWith(target, mergeKey)) {
                ArrayNode result = ((ArrayNode) target).deepCopy();
                for (JsonNode item : patch) {
                    if (item.has("$patch") && "delete".equals(item.get("$patch").asString())) {
                        removeByKey(result, mergeKey, item.get(mergeKey));
                        continue;
                    }
                    int idx = indexOf(result, mergeKey, item.get(mergeKey));
                    if (idx >= 0) {
                        result.set(idx, strategicMerge(result.get(idx), item, null));
                    } else {
                        result.add(item);
                    }
                }
                return result;
            }
            if (SET_LISTS.contains(field)) {
                ArrayNode result = ((ArrayNode) target).deepCopy();
                for (JsonNode item : patch) {
                    boolean present = false;
                    for (JsonNode t : result) {
                        if (t.equals(item)) {
                            present = true;
                            break;
                        }
                    }
                    if (!present) {
                        result.add(item);
                    }
                }
                return result;
            }
        }
        return patch;
    }

    private static boolean allObjectsWith(JsonNode array, String key) {
        for (JsonNode n : array) {
            if (!n.isObject() || !n.has(key)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ArrayNode array, String key, JsonNode value) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).get(key).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    private static void removeByKey(ArrayNode array, String key, JsonNode value) {
        Iterator<JsonNode> it = array.iterator();
        while (it.hasNext()) {
            if (it.next().get(key).equals(value)) {
                it.remove();
            }
        }
    }
}
