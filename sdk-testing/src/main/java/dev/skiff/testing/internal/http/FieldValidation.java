package dev.skiff.testing.internal.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.skiff.testing.internal.api.ApiException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side field validation, the {@code fieldValidation} query parameter of create, update and
 * patch: finds the fields of a JSON body that the kind does not have and the fields given twice, in
 * the order they appear, as the API server's strict decoder does. {@code Strict} rejects such a
 * body, {@code Warn} (the default) answers with one {@code Warning} header per problem, {@code
 * Ignore} drops the unknown fields silently.
 *
 * <p>The kind's fields are those its fabric8 class declares with {@code @JsonProperty}; a class
 * declaring none (such as {@code FieldsV1} or {@code RawExtension}) or decoding itself (such as a
 * CRD schema's {@code items}) holds arbitrary content, which is only checked for duplicates.
 */
final class FieldValidation {
    /** What to do with unknown and duplicate fields. */
    enum Mode {
        IGNORE,
        WARN,
        STRICT
    }

    private static final JsonMapper MAPPER = new JsonMapper();
    private static final Map<Class<?>, Map<String, Type>> PROPERTIES = new ConcurrentHashMap<>();
    private static final Map<String, Type> OPAQUE = Map.of();

    private FieldValidation() {}

    /** Parses the query parameter; absent means {@code Warn}, as on the API server. */
    static Mode mode(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return Mode.WARN;
        }
        return switch (value) {
            case "Ignore" -> Mode.IGNORE;
            case "Warn" -> Mode.WARN;
            case "Strict" -> Mode.STRICT;
            default ->
                throw ApiException.badRequest("invalid fieldValidation directive \"" + value
                        + "\": supported values are \"Ignore\", \"Warn\" and \"Strict\"");
        };
    }

    /**
     * Returns the problems of a JSON body for a class, such as {@code unknown field "spec.foo"} or
     * {@code duplicate field "metadata.name"}; empty when there are none or the body is not JSON.
     * Keys starting with {@code $} (strategic merge patch directives) are not fields.
     */
    static List<String> problems(String json, Class<?> type) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                object(p, "", type, out);
            }
        } catch (StreamReadException e) {
            // not JSON (or broken JSON): the decoder reports it
            return List.of();
        }
        return out;
    }

    /**
     * Removes the fields a class does not have from a JSON object, as the API server's decoder drops
     * them, and returns the JSON; the body unchanged when it is not a JSON object.
     */
    static String prune(String json, Class<?> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JacksonException e) {
            return json;
        }
        if (!tree.isObject()) {
            return json;
        }
        prune(tree, type);
        return MAPPER.writeValueAsString(tree);
    }

    private static void prune(JsonNode node, @Nullable Type type) {
        if (type == null) {
            return;
        }
        if (node instanceof ObjectNode o) {
            if (type instanceof ParameterizedType pt && Map.class.isAssignableFrom(raw(pt))) {
                for (JsonNode v : o.values()) {
                    prune(v, pt.getActualTypeArguments()[1]);
                }
                return;
            }
            Map<String, Type> known = properties(raw(type));
            if (known == OPAQUE) {
                return;
            }
            o.properties().removeIf(e -> !e.getKey().startsWith("$") && !known.containsKey(e.getKey()));
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                prune(e.getValue(), known.get(e.getKey()));
            }
        } else if (node instanceof ArrayNode a
                && type instanceof ParameterizedType pt
                && List.class.isAssignableFrom(raw(pt))) {
            for (JsonNode v : a) {
                prune(v, pt.getActualTypeArguments()[0]);
            }
        }
    }

    /** Returns the value of a {@code Warning} header carrying a text. */
    static String warningHeader(String text) {
        return "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void object(JsonParser p, String path, @Nullable Type type, List<String> out) {
        Map<String, Type> known = type == null ? OPAQUE : properties(raw(type));
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            String child = path.isEmpty() ? name : path + "." + name;
            boolean checked = known != OPAQUE && !name.startsWith("$");
            Type childType = checked ? known.get(name) : null;
            boolean first = seen.add(name);
            if (checked && childType == null) {
                if (first) {
                    out.add("unknown field \"" + child + "\"");
                }
            } else if (!first) {
                out.add("duplicate field \"" + child + "\"");
            }
            p.nextToken();
            value(p, child, childType, out);
        }
    }

    private static void value(JsonParser p, String path, @Nullable Type type, List<String> out) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            if (type instanceof ParameterizedType pt && Map.class.isAssignableFrom(raw(pt))) {
                Type valueType = pt.getActualTypeArguments()[1];
                Set<String> seen = new HashSet<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    String child = path + "." + key;
                    if (!seen.add(key)) {
                        out.add("duplicate field \"" + child + "\"");
                    }
                    p.nextToken();
                    value(p, child, valueType, out);
                }
            } else {
                object(p, path, type, out);
            }
        } else if (t == JsonToken.START_ARRAY) {
            Type element = type instanceof ParameterizedType pt && List.class.isAssignableFrom(raw(pt))
                    ? pt.getActualTypeArguments()[0]
                    : null;
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                value(p, path + "[" + i++ + "]", element, out);
            }
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType pt) {
            return (Class<?>) pt.getRawType();
        }
        return Object.class;
    }

    /** The JSON properties of a fabric8 model class, or {@link #OPAQUE} for anything else. */
    private static Map<String, Type> properties(Class<?> c) {
        return PROPERTIES.computeIfAbsent(c, k -> {
            if (!k.getName().startsWith("io.fabric8.kubernetes.api.model")) {
                return OPAQUE;
            }
            JsonDeserialize custom = k.getAnnotation(JsonDeserialize.class);
            if (custom != null && custom.using() != ValueDeserializer.None.class) {
                // decoded by hand, such as a CRD schema's items (a schema or a list of them)
                return OPAQUE;
            }
            Map<String, Type> props = new HashMap<>();
            for (Class<?> x = k; x != null && x != Object.class; x = x.getSuperclass()) {
                for (Field f : x.getDeclaredFields()) {
                    JsonProperty jp = f.getAnnotation(JsonProperty.class);
                    if (jp != null && !Modifier.isStatic(f.getModifiers())) {
                        props.putIfAbsent(jp.value().isEmpty() ? f.getName() : jp.value(), f.getGenericType());
                    }
                }
            }
            return props.isEmpty() ? OPAQUE : Map.copyOf(props);
        });
    }
}
