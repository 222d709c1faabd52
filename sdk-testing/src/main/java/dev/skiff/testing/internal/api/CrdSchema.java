package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The structural schema of a custom resource ({@code openAPIV3Schema}): pruning of unknown fields
 * and validation of types, required fields, enums, bounds, lengths and patterns, with the paths and
 * wording of the API server's errors, such as {@code spec.replicas: Invalid value: "string":
 * spec.replicas in body must be of type integer: "string"}.
 */
final class CrdSchema {
    private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";
    private static final String INT_OR_STRING = "x-kubernetes-int-or-string";

    private CrdSchema() {}

    /**
     * Drops the fields the schema does not declare (metadata, apiVersion and kind stay at the
     * root) and fills in the declared defaults of missing fields.
     */
    static void prune(ObjectNode object, JsonNode schema) {
        Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("apiVersion") || k.equals("kind") || k.equals("metadata")) {
                continue;
            }
            JsonNode child = childSchema(schema, k);
            if (child == null) {
                if (!schema.path(PRESERVE).asBoolean(false)) {
                    it.remove();
                }
            } else {
                pruneValue(e.getValue(), child);
            }
        }
        applyDefaults(object, schema);
    }

    private static void applyDefaults(ObjectNode object, JsonNode schema) {
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            JsonNode d = p.getValue().get("default");
            if (d != null && !object.has(p.getKey()) && !isMeta(p.getKey())) {
                object.set(p.getKey(), d.deepCopy());
                pruneValue(object.get(p.getKey()), p.getValue());
            }
        }
    }

    private static void pruneValue(JsonNode value, JsonNode schema) {
        if (value.isObject()) {
            if (schema.has("properties") || schema.has("additionalProperties") || !preserves(schema)) {
                Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode child = childSchema(schema, e.getKey());
                    if (child == null) {
                        if (!preserves(schema)) {
                            it.remove();
                        }
                    } else {
                        pruneValue(e.getValue(), child);
                    }
                }
            }
            applyDefaults((ObjectNode) value, schema);
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                pruneValue(item, schema.get("items"));
            }
        }
    }

    private static boolean preserves(JsonNode schema) {
        return schema.path(PRESERVE).asBoolean(false);
    }

    private static JsonNode childSchema(JsonNode schema, String name) {
        JsonNode p = schema.path("properties").get(name);
        if (p != null) {
            return p;
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            return additional;
        }
        if (additional != null && additional.asBoolean(false)) {
            return PRESERVE_ALL;
        }
        return null;
    }

    private static final JsonNode PRESERVE_ALL =
            tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put(PRESERVE, true);

    /** Validates an object against its schema; metadata, apiVersion and kind are checked elsewhere. */
    static List<Violation> validate(ObjectNode object, JsonNode schema) {
        List<Violation> out = new ArrayList<>();
        for (JsonNode r : schema.path("required")) {
            String k = r.asString();
            if (!isMeta(k) && (!object.has(k) || object.get(k).isNull())) {
                out.add(new Violation(k, Violation.Type.REQUIRED, null, ""));
            }
        }
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (isMeta(e.getKey())) {
                continue;
            }
            JsonNode child = childSchema(schema, e.getKey());
            if (child != null) {
                check(e.getValue(), child, e.getKey(), out);
            }
        }
        return out;
    }

    private static boolean isMeta(String k) {
        return k.equals("apiVersion") || k.equals("kind") || k.equals("metadata");
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<Violation> out) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                out.add(typeError(path, "null", schema.get("type").asString()));
            }
            return;
        }
        String type = schema.path("type").asString("");
        if (schema.path(INT_OR_STRING).asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isString()) {
                out.add(typeError(path, typeName(value), "integer,string"));
                return;
            }
        } else if (!type.isEmpty() && !hasType(value, type)) {
            out.add(typeError(path, typeName(value), type));
            return;
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray()) {
            boolean found = false;
            List<String> allowed = new ArrayList<>();
            for (JsonNode a : en) {
                found |= a.equals(value) || (a.isNumber() && value.isNumber() && a.asDouble() == value.asDouble());
                allowed.add(a.isString() ? "\"" + a.asString() + "\"" : a.toString());
            }
            if (!found) {
                out.add(new Violation(
                        path,
                        Violation.Type.NOT_SUPPORTED,
                        render(value),
                        "supported values: " + String.join(", ", allowed)));
            }
        }
        if (value.isNumber()) {
            checkBounds(value, schema, path, out);
        } else if (value.isString()) {
            checkString(value.asString(), schema, path, out);
        } else if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                String k = r.asString();
                if (!value.has(k)) {
                    out.add(new Violation(path + "." + k, Violation.Type.REQUIRED, null, ""));
                }
            }
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                JsonNode child = childSchema(schema, e.getKey());
                if (child != null) {
                    check(e.getValue(), child, path + "." + e.getKey(), out);
                }
            }
        } else if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asLong()) {
                out.add(invalid(
                        path,
                        value,
                        path + " in body should have at least "
                                + schema.get("minItems").asLong() + " items"));
            }
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asLong()) {
                out.add(new Violation(
                        path,
                        Violation.Type.TOO_MANY,
                        null,
                        value.size() + ": must have at most "
                                + schema.get("maxItems").asLong() + " items"));
            }
            JsonNode items = schema.get("items");
            if (items != null) {
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), items, path + "[" + i + "]", out);
                }
            }
        }
    }

    private static void checkBounds(JsonNode value, JsonNode schema, String path, List<Violation> out) {
        double v = value.asDouble();
        JsonNode min = schema.get("minimum");
        if (min != null) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            if (exclusive ? v <= min.asDouble() : v < min.asDouble()) {
                out.add(invalid(
                        path,
                        value,
                        path + " in body should be greater than " + (exclusive ? "" : "or equal to ") + number(min)));
            }
        }
        JsonNode max = schema.get("maximum");
        if (max != null) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            if (exclusive ? v >= max.asDouble() : v > max.asDouble()) {
                out.add(invalid(
                        path,
                        value,
                        path + " in body should be less than " + (exclusive ? "" : "or equal to ") + number(max)));
            }
        }
    }

    private static void checkString(String s, JsonNode schema, String path, List<Violation> out) {
        long length = s.codePointCount(0, s.length());
        if (schema.has("maxLength") && length > schema.get("maxLength").asLong()) {
            out.add(new Violation(
                    path,
                    Violation.Type.TOO_LONG,
                    null,
                    "may not be more than " + schema.get("maxLength").asLong() + " bytes"));
        }
        if (schema.has("minLength") && length < schema.get("minLength").asLong()) {
            out.add(invalid(
                    path,
                    tools.jackson.databind.node.StringNode.valueOf(s),
                    path + " in body should be at least "
                            + schema.get("minLength").asLong() + " chars long"));
        }
        if (schema.has("pattern")) {
            String pattern = schema.get("pattern").asString();
            boolean matches;
            try {
                matches = Pattern.compile(pattern).matcher(s).find();
            } catch (PatternSyntaxException e) {
                matches = true; // the API server refuses such a schema; this one never could enforce it
            }
            if (!matches) {
                out.add(invalid(
                        path,
                        tools.jackson.databind.node.StringNode.valueOf(s),
                        path + " in body should match '" + pattern + "'"));
            }
        }
    }

    private static Violation invalid(String path, JsonNode value, String detail) {
        return new Violation(path, Violation.Type.INVALID, render(value), detail);
    }

    private static Violation typeError(String path, String actual, String expected) {
        return new Violation(
                path,
                Violation.Type.INVALID,
                "\"" + actual + "\"",
                path + " in body must be of type " + expected + ": \"" + actual + "\"");
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "integer" ->
                value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "number" -> value.isNumber();
            case "string" -> value.isString();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            default -> true;
        };
    }

    private static String typeName(JsonNode value) {
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isString()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isObject()) {
            return "object";
        }
        return "null";
    }

    private static String number(JsonNode n) {
        double d = n.asDouble();
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String render(JsonNode value) {
        if (value.isString()) {
            return "\"" + value.asString() + "\"";
        }
        return value.toString();
    }
}
