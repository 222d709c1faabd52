package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * Field ownership as the API server tracks it in {@code metadata.managedFields}: every write
 * records which fields its manager set ({@code Update} for create/update/patch, {@code Apply} for
 * server-side apply); an apply that changes a field another manager owns is a conflict unless
 * forced, and fields an applier stops sending that nobody else owns are removed.
 */
final class ManagedFields {
    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Metadata fields that no manager owns. */
    private static final Set<String> SERVER_METADATA = Set.of(
            "name",
            "namespace",
            "creationTimestamp",
            "selfLink",
            "uid",
            "clusterName",
            "generation",
            "managedFields",
            "resourceVersion");

    private ManagedFields() {}

    /** One manager's entry. */
    record Manager(
            String name,
            String operation,
            String apiVersion,
            @Nullable String time,
            @Nullable String subresource,
            FieldSet fields) {

        boolean sameIdentity(String otherName, String otherOperation, @Nullable String otherSubresource) {
            return name.equals(otherName)
                    && operation.equals(otherOperation)
                    && java.util.Objects.equals(subresource, otherSubresource);
        }

        /** How conflict messages name the manager. */
        String describe() {
            StringBuilder sb = new StringBuilder(quote(name));
            if (subresource != null && !subresource.isEmpty()) {
                sb.append(" with subresource ").append(quote(subresource));
            }
            if (operation.equals(UPDATE)) {
                sb.append(" using ").append(apiVersion);
            }
            return sb.toString();
        }
    }

    // ------------------------------------------------------------------ entries

    static List<Manager> decode(@Nullable List<ManagedFieldsEntry> entries) {
        List<Manager> result = new ArrayList<>();
        if (entries == null) {
            return result;
        }
        for (ManagedFieldsEntry e : entries) {
            FieldSet set = FieldSet.fromFieldsV1(
                    e.getFieldsV1() == null ? null : e.getFieldsV1().getAdditionalProperties());
            result.add(new Manager(
                    e.getManager() == null ? "" : e.getManager(),
                    e.getOperation() == null ? UPDATE : e.getOperation(),
                    e.getApiVersion() == null ? "" : e.getApiVersion(),
                    e.getTime(),
                    e.getSubresource(),
                    set));
        }
        return result;
    }

    /** The entries to store, sorted as Kubernetes sorts them; managers that own nothing are dropped. */
    static @Nullable List<ManagedFieldsEntry> encode(List<Manager> managers) {
        List<Manager> sorted = new ArrayList<>();
        for (Manager m : managers) {
            if (!m.fields().isEmpty()) {
                sorted.add(m);
            }
        }
        if (sorted.isEmpty()) {
            return null;
        }
        sorted.sort(Comparator.comparing(Manager::operation)
                .thenComparing(m -> m.time() == null ? "" : m.time())
                .thenComparing(Manager::name)
                .thenComparing(Manager::apiVersion)
                .thenComparing(m -> m.subresource() == null ? "" : m.subresource()));
        List<ManagedFieldsEntry> entries = new ArrayList<>(sorted.size());
        for (Manager m : sorted) {
            FieldsV1 f = new FieldsV1();
            f.setAdditionalProperties(intern(m.fields().toFieldsV1()));
            ManagedFieldsEntry e = new ManagedFieldsEntry();
            e.setManager(m.name());
            e.setOperation(m.operation());
            e.setApiVersion(m.apiVersion());
            e.setTime(m.time());
            e.setFieldsType("FieldsV1");
            e.setFieldsV1(f);
            e.setSubresource(m.subresource());
            entries.add(e);
        }
        return entries;
    }

    /**
     * Objects written alike own alike fields: identical field sets share one immutable map, so
     * thousands of similar objects do not each hold their own copy.
     */
    private static final Map<Map<String, Object>, Map<String, Object>> INTERNED =
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Map<String, Object>, Map<String, Object>> eldest) {
                    return size() > 256;
                }
            };

    private static Map<String, Object> intern(Map<String, Object> fields) {
        synchronized (INTERNED) {
            Map<String, Object> shared = INTERNED.get(fields);
            if (shared == null) {
                shared = FieldSet.freeze(fields);
                INTERNED.put(shared, shared);
            }
            return shared;
        }
    }

    // ------------------------------------------------------------------ scope

    /**
     * The part of an object that managers own: without the type, the server-set metadata, and the
     * status (for the main resource) or everything but the status (for the status subresource).
     */
    static ObjectNode owned(@Nullable JsonNode object, boolean statusSubresource, boolean hasStatus) {
        ObjectNode result = NODES.objectNode();
        if (object == null || !object.isObject()) {
            return result;
        }
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            String k = e.getKey();
            if (k.equals("apiVersion") || k.equals("kind")) {
                continue;
            }
            if (statusSubresource ? !k.equals("status") : hasStatus && k.equals("status")) {
                continue;
            }
            if (k.equals("metadata") && e.getValue().isObject()) {
                ObjectNode meta = NODES.objectNode();
                for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
                    if (!SERVER_METADATA.contains(m.getKey())) {
                        meta.set(m.getKey(), m.getValue());
                    }
                }
                if (!meta.isEmpty()) {
                    result.set(k, meta);
                }
                continue;
            }
            result.set(k, e.getValue());
        }
        return result;
    }

    // ------------------------------------------------------------------ field sets

    /** The fields an applied configuration sets: every leaf, list item and empty object in it. */
    static FieldSet ofApplied(JsonNode config, Schema schema) {
        FieldSet set = new FieldSet();
        appliedFields(config, schema, set);
        return set;
    }

    private static void appliedFields(JsonNode value, Schema schema, FieldSet at) {
        if (value.isObject()) {
            if (schema.atomic() || value.isEmpty()) {
                at.insert();
                return;
            }
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                FieldSet child = at.descend(FieldSet.field(e.getKey()));
                appliedFields(e.getValue(), schema.field(e.getKey()), child);
            }
        } else if (value.isArray()) {
            switch (effectiveListType(value, schema)) {
                case ATOMIC -> at.insert();
                case SET -> {
                    for (JsonNode item : value) {
                        at.descend(FieldSet.value(item)).insert();
                    }
                }
                case MAP -> {
                    for (JsonNode item : value) {
                        FieldSet child = at.descend(FieldSet.key(item, schema));
                        child.insert();
                        appliedFields(item, schema.items(), child);
                    }
                }
            }
        } else {
            at.insert();
        }
    }

    /** A map list whose items lack a key field, or are not objects, is treated as atomic. */
    private static Schema.ListType effectiveListType(JsonNode list, Schema schema) {
        Schema.ListType t = schema.listType();
        if (t == Schema.ListType.MAP) {
            for (JsonNode item : list) {
                if (!item.isObject() || !item.has(schema.listKeys().get(0))) {
                    return Schema.ListType.ATOMIC;
                }
            }
        } else if (t == Schema.ListType.SET) {
            for (JsonNode item : list) {
                if (item.isContainer()) {
                    return Schema.ListType.ATOMIC;
                }
            }
        }
        return t;
    }

    /** What changed from {@code before} to {@code after}: fields added or modified, fields removed. */
    record Comparison(FieldSet changed, FieldSet removed) {}

    static Comparison compare(@Nullable JsonNode before, @Nullable JsonNode after, Schema schema) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet());
        compare(before, after, schema, new ArrayList<>(), c);
        return c;
    }

    private static void compare(
            @Nullable JsonNode before, @Nullable JsonNode after, Schema schema, List<String> path, Comparison c) {
        boolean hadBefore = before != null && !before.isNull();
        boolean hasAfter = after != null && !after.isNull();
        if (!hadBefore && !hasAfter) {
            return;
        }
        if (hasAfter && after.isObject() && (!hadBefore || before.isObject()) && !schema.atomic()) {
            boolean emptyBefore = !hadBefore || before.isEmpty();
            if (emptyBefore && after.isEmpty()) {
                if (!hadBefore && !schema.implicit()) {
                    mark(c.changed(), path);
                }
                return;
            }
            if (emptyBefore && !schema.implicit()) {
                mark(c.changed(), path);
            }
            for (Map.Entry<String, JsonNode> e : after.properties()) {
                path.add(FieldSet.field(e.getKey()));
                compare(hadBefore ? before.get(e.getKey()) : null, e.getValue(), schema.field(e.getKey()), path, c);
                path.remove(path.size() - 1);
            }
            if (hadBefore) {
                for (Map.Entry<String, JsonNode> e : before.properties()) {
                    if (!after.has(e.getKey())) {
                        path.add(FieldSet.field(e.getKey()));
                        compare(e.getValue(), null, schema.field(e.getKey()), path, c);
                        path.remove(path.size() - 1);
                    }
                }
            }
            return;
        }
        if (hasAfter
                && after.isArray()
                && (!hadBefore || before.isArray())
                && effectiveListType(after, schema) != Schema.ListType.ATOMIC
                && (!hadBefore || effectiveListType(before, schema) != Schema.ListType.ATOMIC)) {
            if ((!hadBefore || before.isEmpty()) && !schema.implicit()) {
                mark(c.changed(), path);
            }
            compareItems(hadBefore ? (ArrayNode) before : NODES.arrayNode(), (ArrayNode) after, schema, path, c);
            return;
        }
        if (!hasAfter) {
            removeAll(before, schema, path, c.removed());
            return;
        }
        if (!hadBefore || !StrategicMerge.same(before, after)) {
            mark(c.changed(), path);
        }
    }

    private static void compareItems(
            ArrayNode before, ArrayNode after, Schema schema, List<String> path, Comparison c) {
        boolean map = schema.listType() == Schema.ListType.MAP;
        Map<String, JsonNode> old = new HashMap<>();
        for (JsonNode item : before) {
            old.put(map ? FieldSet.key(item, schema) : FieldSet.value(item), item);
        }
        for (JsonNode item : after) {
            String e = map ? FieldSet.key(item, schema) : FieldSet.value(item);
            JsonNode was = old.remove(e);
            path.add(e);
            if (was == null) {
                mark(c.changed(), path);
            }
            if (map) {
                compare(was, item, schema.items(), path, c);
            }
            path.remove(path.size() - 1);
        }
        for (Map.Entry<String, JsonNode> gone : old.entrySet()) {
            path.add(gone.getKey());
            removeAll(gone.getValue(), map ? schema.items() : Schema.ANY, path, c.removed());
            path.remove(path.size() - 1);
        }
    }

    /** Marks {@code path} and everything under the removed {@code value} as removed. */
    private static void removeAll(JsonNode value, Schema schema, List<String> path, FieldSet removed) {
        mark(removed, path);
        if (value.isObject() && !schema.atomic()) {
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                path.add(FieldSet.field(e.getKey()));
                removeAll(e.getValue(), schema.field(e.getKey()), path, removed);
                path.remove(path.size() - 1);
            }
        } else if (value.isArray() && effectiveListType(value, schema) != Schema.ListType.ATOMIC) {
            boolean map = schema.listType() == Schema.ListType.MAP;
            for (JsonNode item : value) {
                path.add(map ? FieldSet.key(item, schema) : FieldSet.value(item));
                removeAll(item, map ? schema.items() : Schema.ANY, path, removed);
                path.remove(path.size() - 1);
            }
        }
    }

    private static void mark(FieldSet set, List<String> path) {
        FieldSet at = set;
        for (String e : path) {
            at = at.descend(e);
        }
        at.insert();
    }

    // ------------------------------------------------------------------ server-side apply merge

    /**
     * Merges an applied configuration into the live object: fields replace, objects merge, lists
     * merge by their list type (atomic lists are replaced, sets are unioned, map lists merge their
     * items by key).
     */
    static JsonNode merge(@Nullable JsonNode live, JsonNode config, Schema schema) {
        if (live == null || live.isNull()) {
            return config.deepCopy();
        }
        if (config.isObject() && live.isObject() && !schema.atomic()) {
            ObjectNode result = ((ObjectNode) live).deepCopy();
            for (Map.Entry<String, JsonNode> e : config.properties()) {
                if (e.getValue().isNull()) {
                    result.remove(e.getKey());
                } else {
                    result.set(e.getKey(), merge(live.get(e.getKey()), e.getValue(), schema.field(e.getKey())));
                }
            }
            return result;
        }
        if (config.isArray() && live.isArray()) {
            Schema.ListType t = effectiveListType(config, schema);
            if (t == Schema.ListType.ATOMIC || effectiveListType(live, schema) != t) {
                return config.deepCopy();
            }
            boolean map = t == Schema.ListType.MAP;
            ArrayNode result = ((ArrayNode) live).deepCopy();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < result.size(); i++) {
                index.put(map ? FieldSet.key(result.get(i), schema) : FieldSet.value(result.get(i)), i);
            }
            for (JsonNode item : config) {
                String e = map ? FieldSet.key(item, schema) : FieldSet.value(item);
                Integer at = index.get(e);
                if (at == null) {
                    index.put(e, result.size());
                    result.add(item.deepCopy());
                } else if (map) {
                    result.set(at, merge(result.get(at), item, schema.items()));
                }
            }
            return result;
        }
        return config.deepCopy();
    }

    /**
     * Removes from {@code merged} what the applier set last time ({@code last}) and no manager owns
     * any longer ({@code owned}, the union of all managers including the applier's new set).
     */
    static void prune(JsonNode merged, FieldSet last, FieldSet owned, Schema schema) {
        if (merged.isObject() && !schema.atomic()) {
            ObjectNode o = (ObjectNode) merged;
            for (String k : new ArrayList<>(o.propertyNames())) {
                String e = FieldSet.field(k);
                FieldSet lastChild = last.child(e);
                if (lastChild == null) {
                    continue;
                }
                FieldSet ownedChild = owned.child(e);
                if (ownedChild == null || ownedChild.isEmpty()) {
                    o.remove(k);
                } else {
                    prune(o.get(k), lastChild, ownedChild, schema.field(k));
                }
            }
        } else if (merged.isArray() && effectiveListType(merged, schema) != Schema.ListType.ATOMIC) {
            boolean map = schema.listType() == Schema.ListType.MAP;
            ArrayNode a = (ArrayNode) merged;
            for (int i = a.size() - 1; i >= 0; i--) {
                JsonNode item = a.get(i);
                String e = map ? FieldSet.key(item, schema) : FieldSet.value(item);
                FieldSet lastChild = last.child(e);
                if (lastChild == null) {
                    continue;
                }
                FieldSet ownedChild = owned.child(e);
                if (ownedChild == null || ownedChild.isEmpty()) {
                    a.remove(i);
                } else if (map) {
                    prune(item, lastChild, ownedChild, schema.items());
                }
            }
        }
    }

    // ------------------------------------------------------------------ operations

    /**
     * Records an update by {@code manager}: it owns what it changed, other managers lose what it
     * changed, and everyone loses what it removed.
     */
    static List<Manager> update(
            List<Manager> managers,
            String manager,
            @Nullable String subresource,
            String apiVersion,
            String time,
            Comparison c) {
        List<Manager> result = new ArrayList<>(managers.size() + 1);
        FieldSet mine = null;
        String mineTime = null;
        for (Manager m : managers) {
            if (m.sameIdentity(manager, UPDATE, subresource)) {
                mine = copy(m.fields());
                mineTime = m.time();
                continue;
            }
            FieldSet f = copy(m.fields());
            f.removeAll(c.changed());
            f.removeAll(c.removed());
            result.add(new Manager(m.name(), m.operation(), m.apiVersion(), m.time(), m.subresource(), f));
        }
        boolean changed = !c.changed().isEmpty()
                || (mine != null && mine.intersection(c.removed()).member());
        if (mine == null) {
            mine = new FieldSet();
        }
        mine.removeAll(c.removed());
        mine.union(c.changed());
        result.add(new Manager(
                manager, UPDATE, apiVersion, changed || mineTime == null ? time : mineTime, subresource, mine));
        return result;
    }

    /** The conflicts of an apply, worded as the API server words them. */
    record Conflicts(String message, List<StatusCause> causes) {
        /** The {@code 409 Conflict} to answer. */
        ApiException toException() {
            return ApiException.of(409, "Conflict", message, null, null, causes);
        }
    }

    /** The conflicts of an apply that changes {@code changed}: fields other managers own; null if none. */
    static @Nullable Conflicts conflicts(List<Manager> others, FieldSet changed) {
        List<StatusCause> causes = new ArrayList<>();
        Map<String, List<String>> byManager = new TreeMap<>();
        for (Manager m : others) {
            FieldSet overlap = m.fields().intersection(changed);
            overlap.forEachMember((path, node) -> {
                String p = FieldSet.toString(path);
                StatusCause cause = new StatusCause();
                cause.setReason("FieldManagerConflict");
                cause.setMessage("conflict with " + m.describe());
                cause.setField(p);
                causes.add(cause);
                byManager.computeIfAbsent(m.describe(), k -> new ArrayList<>()).add(p);
            });
        }
        if (causes.isEmpty()) {
            return null;
        }
        if (causes.size() == 1) {
            return new Conflicts(
                    "Apply failed with 1 conflict: conflict with "
                            + byManager.keySet().iterator().next() + ": "
                            + causes.get(0).getField(),
                    causes);
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byManager.entrySet()) {
            parts.add("conflicts with " + e.getKey() + ":");
            for (String p : e.getValue()) {
                parts.add("- " + p);
            }
        }
        return new Conflicts("Apply failed with " + causes.size() + " conflicts: " + String.join("\n", parts), causes);
    }

    static FieldSet copy(FieldSet s) {
        return new FieldSet().union(s);
    }

    private static String quote(String s) {
        return JsonNodeFactory.instance.stringNode(s).toString();
    }
}
