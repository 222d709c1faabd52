package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch as the API server applies it: objects merge field by field (null deletes),
 * lists merge by their schema's merge key or as sets where Kubernetes declares {@code
 * patchStrategy=merge} and are replaced otherwise; the directives {@code $patch}
 * (replace/delete/merge), {@code $retainKeys}, {@code $deleteFromPrimitiveList/<field>} and {@code
 * $setElementOrder/<field>} are honoured. New items of a merged list come before the items only
 * the server had, as in Kubernetes.
 */
final class StrategicMerge {
    static final String DIRECTIVE = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StrategicMerge() {}

    /** Applies {@code patch} to {@code original} (neither is modified) for an object of {@code schema}. */
    static JsonNode apply(@Nullable JsonNode original, JsonNode patch, Schema schema) {
        if (!patch.isObject()) {
            throw ApiException.badRequest("invalid JSON document");
        }
        ObjectNode copy =
                original != null && original.isObject() ? ((ObjectNode) original).deepCopy() : NODES.objectNode();
        return mergeMap(copy, ((ObjectNode) patch).deepCopy(), schema);
    }

    /** Merges {@code patch} into {@code original}; both are owned and may be changed. */
    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema schema) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            if (directive.isString() && directive.asString().equals("replace")) {
                patch.remove(DIRECTIVE);
                return patch;
            }
            if (directive.isString() && directive.asString().equals("delete")) {
                return NODES.objectNode();
            }
            throw internal("unknown patch type: " + goString(directive) + " in map: " + goString(patch));
        }
        applyRetainKeys(original, patch);
        mergeOrderedLists(original, patch, schema);
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(patch.properties())) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            boolean deleteList = false;
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                key = key.substring(DELETE_FROM_PRIMITIVE_LIST.length());
                deleteList = true;
            } else if (key.startsWith("$")) {
                if (key.startsWith("$deleteFromPrimitiveList")) {
                    throw ApiException.badRequest("invalid patch format of primitive list");
                }
                continue;
            }
            if (deleteList) {
                if (!value.isArray()) {
                    throw ApiException.badRequest("invalid patch format of primitive list");
                }
                JsonNode current = original.get(key);
                if (current != null && current.isArray()) {
                    original.set(key, deleteFrom((ArrayNode) current, (ArrayNode) value));
                }
                continue;
            }
            if (value.isNull()) {
                original.remove(key);
                continue;
            }
            Schema field = schema.field(key);
            JsonNode current = original.get(key);
            original.set(key, mergeValue(current, value, field));
        }
        return original;
    }

    /** The merge of one field's value; {@code current} may be null. */
    private static JsonNode mergeValue(@Nullable JsonNode current, JsonNode value, Schema field) {
        if (value.isObject()) {
            ObjectNode base = current != null && current.isObject() ? (ObjectNode) current : NODES.objectNode();
            return mergeMap(base, (ObjectNode) value, field);
        }
        if (value.isArray()) {
            if (!field.smpMerge()) {
                return value;
            }
            ArrayNode base = current != null && current.isArray() ? (ArrayNode) current : NODES.arrayNode();
            return mergeList(base, (ArrayNode) value, field, (ArrayNode) value);
        }
        return value;
    }

    /** Clears fields of {@code original} that a {@code $retainKeys} list leaves out. */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw ApiException.badRequest("invalid patch format of retainKeys");
        }
        Set<String> keep = new HashSet<>();
        for (JsonNode k : retain) {
            keep.add(k.asString());
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keep.contains(k)) {
                throw ApiException.badRequest("invalid patch format of retainKeys");
            }
        }
        original.propertyNames().removeIf(k -> !keep.contains(k));
    }

    /** Merges the lists named by {@code $setElementOrder/<field>} and puts them in that order. */
    private static void mergeOrderedLists(ObjectNode original, ObjectNode patch, Schema schema) {
        for (String key : new ArrayList<>(patch.propertyNames())) {
            if (!key.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            JsonNode order = patch.remove(key);
            String field = key.substring(SET_ELEMENT_ORDER.length());
            if (!order.isArray()) {
                throw ApiException.badRequest("invalid patch format of setElementOrder list");
            }
            Schema fieldSchema = schema.field(field);
            @Nullable String mergeKey = fieldSchema.mergeKey();
            JsonNode patchList = patch.get(field);
            if (patchList != null && !patchList.isArray()) {
                throw ApiException.badRequest("invalid patch format of setElementOrder list");
            }
            checkOrder((ArrayNode) order, (ArrayNode) patchList, mergeKey);
            JsonNode originalList = original.get(field);
            if (originalList != null && !originalList.isArray()) {
                throw internal("expected a []interface {}, but received a " + goType(originalList));
            }
            if (originalList == null && patchList == null) {
                continue;
            }
            ArrayNode base =
                    originalList == null ? NODES.arrayNode() : NODES.arrayNode().addAll((ArrayNode) originalList);
            ArrayNode merged;
            if (originalList == null) {
                merged = stripDirectives((ArrayNode) patchList);
            } else if (patchList == null) {
                merged = (ArrayNode) originalList;
            } else if (fieldSchema.smpMerge()) {
                merged = mergeList((ArrayNode) originalList, (ArrayNode) patchList, fieldSchema, null);
            } else {
                merged = (ArrayNode) patchList;
            }
            original.set(field, ordered(merged, (ArrayNode) order, base, mergeKey));
            patch.remove(field);
        }
    }

    /** The patch list must hold its items in the relative order of the {@code $setElementOrder} list. */
    private static void checkOrder(ArrayNode order, @Nullable ArrayNode patchList, @Nullable String mergeKey) {
        if (patchList == null || order.isEmpty() || patchList.isEmpty()) {
            return;
        }
        int p = 0;
        int o = 0;
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : patchList) {
            if (!isDelete(item)) {
                items.add(item);
            }
        }
        while (p < items.size() && o < order.size()) {
            if (items.get(p).has(DIRECTIVE)) {
                p++;
                continue;
            }
            if (same(identity(items.get(p), mergeKey), identity(order.get(o), mergeKey))) {
                p++;
            }
            o++;
        }
        if (p < items.size()) {
            throw internal("The order in patch list:\n" + goString(patchList) + "\n doesn't match "
                    + SET_ELEMENT_ORDER.substring(0, SET_ELEMENT_ORDER.length() - 1) + " list:\n" + goString(order)
                    + "\n");
        }
    }

    /**
     * Merges a list that the schema declares mergeable; {@code order} is the order the patch wants
     * (the patch list itself, or null when a {@code $setElementOrder} list orders the result).
     */
    private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, Schema schema, @Nullable ArrayNode order) {
        if (original.isEmpty() && patch.isEmpty()) {
            return original;
        }
        boolean objects = elementsAreObjects(original, patch);
        @Nullable String mergeKey = schema.mergeKey();
        ArrayNode serverOrder = NODES.arrayNode().addAll(original);
        ArrayNode merged;
        if (!objects) {
            merged = original.deepCopy();
            for (JsonNode item : patch) {
                if (!contains(merged, item, null)) {
                    merged.add(item);
                }
            }
            mergeKey = null;
        } else {
            if (mergeKey == null) {
                throw internal("cannot merge lists without merge key for type map");
            }
            ArrayNode base = original;
            ArrayNode items = NODES.arrayNode();
            boolean replace = false;
            for (JsonNode item : patch) {
                JsonNode directive = item.get(DIRECTIVE);
                if (directive == null) {
                    items.add(item);
                    continue;
                }
                String d = directive.isString() ? directive.asString() : "";
                switch (d) {
                    case "delete" -> {
                        JsonNode key = item.get(mergeKey);
                        if (key == null) {
                            throw noMergeKey(item, mergeKey);
                        }
                        base = removeMatching(base, mergeKey, key);
                    }
                    case "replace" -> replace = true;
                    case "merge" -> throw internal("merging lists cannot yet be specified in the patch");
                    default ->
                        throw internal("unknown patch type: " + goString(directive) + " in map: " + goString(item));
                }
            }
            if (replace) {
                return stripDirectives(items);
            }
            merged = base;
            for (JsonNode item : items) {
                JsonNode key = item.get(mergeKey);
                if (key == null) {
                    throw noMergeKey(item, mergeKey);
                }
                int at = indexOf(merged, item, mergeKey);
                if (at >= 0) {
                    merged.set(at, mergeMap((ObjectNode) merged.get(at), (ObjectNode) item, schema.items()));
                } else {
                    merged.add(mergeMap(NODES.objectNode(), (ObjectNode) item, schema.items()));
                }
            }
        }
        return order == null ? merged : ordered(merged, order, serverOrder, mergeKey);
    }

    /**
     * Orders {@code merged}: the items named in {@code patchOrder} in that order, the items only the
     * server had in their old relative order, interleaved where the old order allows.
     */
    private static ArrayNode ordered(
            ArrayNode merged, ArrayNode patchOrder, ArrayNode serverOrder, @Nullable String mergeKey) {
        List<JsonNode> fromPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode item : merged) {
            if (indexOf(patchOrder, item, mergeKey) >= 0) {
                fromPatch.add(item);
            } else {
                serverOnly.add(item);
            }
        }
        fromPatch.sort(Comparator.comparingInt(item -> rank(patchOrder, item, mergeKey)));
        serverOnly.sort(Comparator.comparingInt(item -> rank(serverOrder, item, mergeKey)));
        ArrayNode result = NODES.arrayNode();
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < fromPatch.size()) {
            if (i >= serverOnly.size()) {
                result.add(fromPatch.get(j++));
            } else if (j >= fromPatch.size()) {
                result.add(serverOnly.get(i++));
            } else {
                int li = indexOf(serverOrder, serverOnly.get(i), mergeKey);
                int ri = indexOf(serverOrder, fromPatch.get(j), mergeKey);
                if (li >= 0 && ri >= 0 && li < ri) {
                    result.add(serverOnly.get(i++));
                } else {
                    result.add(fromPatch.get(j++));
                }
            }
        }
        return result;
    }

    private static int rank(ArrayNode order, JsonNode item, @Nullable String mergeKey) {
        int i = indexOf(order, item, mergeKey);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static boolean elementsAreObjects(ArrayNode original, ArrayNode patch) {
        JsonNode first = null;
        for (ArrayNode list : List.of(original, patch)) {
            for (JsonNode item : list) {
                if (item.isArray()) {
                    throw ApiException.of(
                            422,
                            "Invalid",
                            "the server rejected our request due to an error in our request",
                            null,
                            null,
                            List.of(unexpected("lists of lists are not supported")));
                }
                if (first == null) {
                    first = item;
                } else if (first.isObject() != item.isObject() || !sameType(first, item)) {
                    throw internal("list element types are not identical: [" + goString(original) + " "
                            + goString(patch) + "]");
                }
            }
        }
        return first != null && first.isObject();
    }

    private static boolean sameType(JsonNode a, JsonNode b) {
        return a.getNodeType() == b.getNodeType();
    }

    private static StatusCause unexpected(String message) {
        StatusCause c = new StatusCause();
        c.setReason("UnexpectedServerResponse");
        c.setMessage(message);
        return c;
    }

    private static ArrayNode deleteFrom(ArrayNode current, ArrayNode toDelete) {
        ArrayNode result = NODES.arrayNode();
        for (JsonNode item : current) {
            if (!contains(toDelete, item, null)) {
                result.add(item);
            }
        }
        return result;
    }

    private static ArrayNode removeMatching(ArrayNode list, String mergeKey, JsonNode key) {
        ArrayNode result = NODES.arrayNode();
        for (JsonNode item : list) {
            if (!(item.isObject() && same(item.get(mergeKey), key))) {
                result.add(item);
            }
        }
        return result;
    }

    private static boolean isDelete(JsonNode item) {
        JsonNode d = item.get(DIRECTIVE);
        return d != null && d.isString() && d.asString().equals("delete");
    }

    private static boolean contains(ArrayNode list, JsonNode item, @Nullable String mergeKey) {
        return indexOf(list, item, mergeKey) >= 0;
    }

    /** The position of {@code item} in {@code list}: by merge key for objects, by value otherwise. */
    private static int indexOf(ArrayNode list, JsonNode item, @Nullable String mergeKey) {
        JsonNode id = identity(item, mergeKey);
        for (int i = 0; i < list.size(); i++) {
            if (same(identity(list.get(i), mergeKey), id)) {
                return i;
            }
        }
        return -1;
    }

    private static @Nullable JsonNode identity(JsonNode item, @Nullable String mergeKey) {
        return mergeKey == null || !item.isObject() ? item : item.get(mergeKey);
    }

    /**
     * Deep JSON equality that, like Go's decoded numbers, does not care whether a number was read
     * as an int, a long or a decimal.
     */
    static boolean same(@Nullable JsonNode a, @Nullable JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!same(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A copy of a list without {@code $patch} items and keys, for lists that had nothing to merge with. */
    private static ArrayNode stripDirectives(ArrayNode list) {
        ArrayNode result = NODES.arrayNode();
        for (JsonNode item : list) {
            if (item.isObject()) {
                if (isDelete(item)) {
                    continue;
                }
                ObjectNode c = ((ObjectNode) item).deepCopy();
                c.remove(DIRECTIVE);
                result.add(c);
            } else {
                result.add(item);
            }
        }
        return result;
    }

    private static ApiException noMergeKey(JsonNode item, String mergeKey) {
        return internal("map: " + goString(item) + " does not contain declared merge key: " + mergeKey);
    }

    /** An error the API server does not map to a status of its own, answered as a 500. */
    private static ApiException internal(String message) {
        return ApiException.of(500, "", message, null, null, List.of());
    }

    private static String goType(JsonNode n) {
        return n.isObject() ? "map[string]interface {}" : n.isString() ? "string" : n.isNumber() ? "float64" : "bool";
    }

    /** How Go's {@code %v} prints a decoded JSON value, as the API server's messages show it. */
    static String goString(@Nullable JsonNode n) {
        if (n == null || n.isNull()) {
            return "<nil>";
        }
        if (n.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                sorted.put(e.getKey(), e.getValue());
            }
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(e.getKey()).append(':').append(goString(e.getValue()));
            }
            return sb.append(']').toString();
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(goString(n.get(i)));
            }
            return sb.append(']').toString();
        }
        if (n.isNumber()) {
            return n.decimalValue().stripTrailingZeros().toPlainString();
        }
        return n.asString();
    }
}
