package dev.skiff.testing.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, as server-side apply tracks ownership: a tree whose edges are path
 * elements in the {@code FieldsV1} encoding ({@code f:<field>}, {@code k:<key fields as JSON>},
 * {@code v:<value as JSON>}) and whose nodes may be members of the set themselves (written
 * {@code ".": {}} when they also have children).
 */
final class FieldSet {
    private boolean member;
    private @Nullable TreeMap<String, FieldSet> children;

    /** The element of a field. */
    static String field(String name) {
        return "f:" + name;
    }

    boolean isEmpty() {
        return !member && (children == null || children.isEmpty());
    }

    boolean member() {
        return member;
    }

    /** The child at {@code element}, or null. */
    @Nullable
    FieldSet child(String element) {
        return children == null ? null : children.get(element);
    }

    /** The child at {@code element}, created when missing. */
    FieldSet descend(String element) {
        if (children == null) {
            children = new TreeMap<>();
        }
        return children.computeIfAbsent(element, e -> new FieldSet());
    }

    /** Makes this node a member. */
    FieldSet insert() {
        member = true;
        return this;
    }

    Map<String, FieldSet> children() {
        return children == null ? Map.of() : children;
    }

    /** Adds every path of {@code other}. */
    FieldSet union(FieldSet other) {
        member |= other.member;
        for (Map.Entry<String, FieldSet> e : other.children().entrySet()) {
            descend(e.getKey()).union(e.getValue());
        }
        return this;
    }

    /** Removes every path that is a member of {@code other}; returns whether anything is left. */
    boolean removeAll(FieldSet other) {
        if (other.member) {
            member = false;
        }
        if (children != null) {
            for (Map.Entry<String, FieldSet> e : other.children().entrySet()) {
                FieldSet mine = children.get(e.getKey());
                if (mine != null && !mine.removeAll(e.getValue())) {
                    children.remove(e.getKey());
                }
            }
        }
        return !isEmpty();
    }

    /** The members this set shares with {@code other}. */
    FieldSet intersection(FieldSet other) {
        FieldSet result = new FieldSet();
        result.member = member && other.member;
        for (Map.Entry<String, FieldSet> e : children().entrySet()) {
            FieldSet theirs = other.child(e.getKey());
            if (theirs != null) {
                FieldSet i = e.getValue().intersection(theirs);
                if (!i.isEmpty()) {
                    result.descend(e.getKey()).union(i);
                }
            }
        }
        return result;
    }

    /** Visits every member path, as lists of elements. */
    void forEachMember(BiConsumer<List<String>, FieldSet> visitor) {
        walk(new ArrayList<>(), visitor);
    }

    private void walk(List<String> path, BiConsumer<List<String>, FieldSet> visitor) {
        if (member) {
            visitor.accept(List.copyOf(path), this);
        }
        for (Map.Entry<String, FieldSet> e : children().entrySet()) {
            path.add(e.getKey());
            e.getValue().walk(path, visitor);
            path.remove(path.size() - 1);
        }
    }

    // ------------------------------------------------------------------ FieldsV1

    /** The {@code fieldsV1} form: nested maps, {@code "."} for a member that has children. */
    Map<String, Object> toFieldsV1() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (member && children != null && !children.isEmpty()) {
            m.put(".", new LinkedHashMap<>());
        }
        for (Map.Entry<String, FieldSet> e : children().entrySet()) {
            m.put(e.getKey(), e.getValue().toFieldsV1());
        }
        return m;
    }

    /** An unmodifiable copy of a {@code fieldsV1} form, keeping its order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> freeze(Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            m.put(e.getKey(), e.getValue() instanceof Map<?, ?> c ? freeze((Map<String, Object>) c) : e.getValue());
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Reads the {@code fieldsV1} form back; a node without children is a member. */
    @SuppressWarnings("unchecked")
    static FieldSet fromFieldsV1(@Nullable Map<String, Object> m) {
        FieldSet s = new FieldSet();
        if (m == null) {
            return s;
        }
        if (m.isEmpty()) {
            s.member = true;
            return s;
        }
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().equals(".")) {
                s.member = true;
            } else if (e.getValue() instanceof Map<?, ?> child) {
                FieldSet c = fromFieldsV1((Map<String, Object>) child);
                s.descend(e.getKey()).union(c);
            } else {
                s.descend(e.getKey()).insert();
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ elements

    /**
     * The element of an item of a map list: its key fields (a missing one takes the schema's
     * default, such as a port's protocol) as JSON sorted by name, as Kubernetes encodes them.
     */
    static String key(JsonNode item, Schema list) {
        ObjectNode k = JsonNodeFactory.instance.objectNode();
        for (String name : list.sortedListKeys()) {
            JsonNode v = item.get(name);
            if (v == null || v.isNull()) {
                v = list.keyDefault(name);
            }
            if (v != null) {
                k.set(name, v);
            }
        }
        return "k:" + k;
    }

    /** The element of an item of a set. */
    static String value(JsonNode item) {
        return "v:" + item;
    }

    /** A path as Kubernetes prints it in conflicts, such as {@code .spec.containers[name="app"].image}. */
    static String toString(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String e : path) {
            if (e.startsWith("f:")) {
                sb.append('.').append(e, 2, e.length());
            } else if (e.startsWith("v:")) {
                sb.append("[=").append(e, 2, e.length()).append(']');
            } else if (e.startsWith("k:")) {
                JsonNode k = Patches.JSON.readTree(e.substring(2));
                sb.append('[');
                boolean first = true;
                for (Map.Entry<String, JsonNode> f : k.properties()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append(f.getKey()).append('=').append(f.getValue());
                }
                sb.append(']');
            } else {
                sb.append(e);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }
}
