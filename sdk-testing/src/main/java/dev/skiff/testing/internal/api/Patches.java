package dev.skiff.testing.internal.api;

import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The patch formats of the API server: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and
 * strategic merge patch ({@link StrategicMerge}, driven by the {@link Schema} of the kind).
 * Server-side apply merges with its own rules ({@link ManagedFields#merge}).
 */
final class Patches {
    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final String APPLY_PATCH = "application/apply-patch+yaml";

    /** A plain JSON mapper for reading encoded path elements. */
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Patches() {}

    /** The media type without parameters. */
    static String mediaType(String contentType) {
        return contentType.contains(";")
                ? contentType.substring(0, contentType.indexOf(';')).trim()
                : contentType.trim();
    }

    /** Applies a JSON, merge or strategic merge patch to {@code target} (which is not modified). */
    static JsonNode apply(String contentType, JsonNode target, JsonNode patch, Schema schema) {
        String type = mediaType(contentType);
        return switch (type) {
            case JSON_PATCH -> {
                try {
                    yield JsonPatch.apply(patch, target);
                } catch (JsonPatchException | IllegalArgumentException e) {
                    // the API server keeps the reason to itself (it only logs it)
                    throw ApiException.of(
                            422,
                            "Invalid",
                            "the server rejected our request due to an error in our request",
                            null,
                            null,
                            List.of());
                }
            }
            case MERGE_PATCH -> mergePatch(target, patch);
            case STRATEGIC_MERGE_PATCH -> StrategicMerge.apply(target, patch, schema);
            // no patch handler for the type: the route answers, with its own short text
            default ->
                throw ApiException.of(
                        415, "UnsupportedMediaType", "415: Unsupported Media Type", null, null, List.of());
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
}
