package dev.skiff.testing.internal.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 documents: {@code /openapi/v3}, an index of group versions, and one document per
 * group version listing its paths, their operations and query parameters.
 *
 * <p>What clients read from it: kubectl looks up the PATCH operation of a kind (by its {@code
 * x-kubernetes-group-version-kind}) for a {@code fieldValidation} query parameter, and when there is
 * one leaves validation to the server instead of validating against {@code /openapi/v2}. The
 * component schemas describe each kind's top-level fields only and carry no group-version-kind, so
 * kubectl computes strategic merge patches from its built-in types, which know the merge keys.
 */
final class OpenApi {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The documents by path below {@code /openapi/v3/}, such as {@code apis/batch/v1}. */
    private static volatile @Nullable Map<String, String> documents;

    private static volatile @Nullable String index;

    private OpenApi() {}

    /** Returns the index served at {@code /openapi/v3}. */
    static String index() {
        String i = index;
        if (i == null) {
            ObjectNode paths = F.objectNode();
            for (Map.Entry<String, String> d : documents().entrySet()) {
                paths.putObject(d.getKey())
                        .put("serverRelativeURL", "/openapi/v3/" + d.getKey() + "?hash=" + hash(d.getValue()));
            }
            ObjectNode root = F.objectNode();
            root.set("paths", paths);
            index = i = root.toString();
        }
        return i;
    }

    /** Returns the document of a group version ({@code api/v1}, {@code apis/batch/v1}), or null. */
    static @Nullable String document(String path) {
        return documents().get(path);
    }

    private static Map<String, String> documents() {
        Map<String, String> d = documents;
        if (d == null) {
            synchronized (OpenApi.class) {
                d = documents;
                if (d == null) {
                    d = new LinkedHashMap<>();
                    JsonMapper mapper = new JsonMapper();
                    for (Map.Entry<String, List<ResourceType>> gv :
                            ResourceTypes.byGroupVersion().entrySet()) {
                        String key = gv.getKey().contains("/") ? "apis/" + gv.getKey() : "api/" + gv.getKey();
                        d.put(key, mapper.writeValueAsString(groupVersion(gv.getKey(), gv.getValue())));
                    }
                    documents = d;
                }
            }
        }
        return d;
    }

    private static String hash(String doc) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-512").digest(doc.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ one group version

    static ObjectNode groupVersion(String groupVersion, List<ResourceType> types) {
        ObjectNode doc = F.objectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1." + HttpAdapter.VERSION_MINOR + ".0");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = F.objectNode();
        String prefix = groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
        for (ResourceType t : types) {
            String ns = t.namespaced() ? "/namespaces/{namespace}" : "";
            String collection = prefix + ns + "/" + t.plural();
            String item = collection + "/{name}";
            ObjectNode c = paths.putObject(collection);
            c.set("parameters", pathParameters(t.namespaced(), false));
            c.set("get", operation(t, "list", "list", listRef(t), null, listParameters()));
            c.set("post", operation(t, "create", "post", ref(t), ref(t), writeParameters()));
            c.set(
                    "delete",
                    operation(
                            t,
                            "deletecollection",
                            "deletecollection",
                            statusRef(),
                            deleteOptionsRef(),
                            listParameters()));
            if (t.namespaced()) {
                ObjectNode all = paths.putObject(prefix + "/" + t.plural());
                all.set("get", operation(t, "listForAllNamespaces", "list", listRef(t), null, listParameters()));
            }
            ObjectNode i = paths.putObject(item);
            i.set("parameters", pathParameters(t.namespaced(), true));
            i.set("get", operation(t, "read", "get", ref(t), null, F.arrayNode()));
            i.set("put", operation(t, "replace", "put", ref(t), ref(t), writeParameters()));
            i.set("patch", patchOperation(t, "patch"));
            i.set("delete", operation(t, "delete", "delete", ref(t), deleteOptionsRef(), deleteParameters()));
            if (t.hasStatus()) {
                ObjectNode s = paths.putObject(item + "/status");
                s.set("parameters", pathParameters(t.namespaced(), true));
                s.set("get", operation(t, "readStatus", "get", ref(t), null, F.arrayNode()));
                s.set("put", operation(t, "replaceStatus", "put", ref(t), ref(t), writeParameters()));
                s.set("patch", patchOperation(t, "patchStatus"));
            }
            schemas.set(schemaName(t), kindSchema(t));
            schemas.set(schemaName(t) + "List", listSchema(t));
        }
        schemas.set(
                "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                F.objectNode()
                        .put("type", "object")
                        .put("description", "Standard object's metadata.")
                        .put("x-kubernetes-preserve-unknown-fields", true));
        schemas.set(
                "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
                F.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true));
        schemas.set(
                "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
                F.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true));
        schemas.set(
                "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
                F.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true));
        schemas.set(
                "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
                F.objectNode()
                        .put("type", "object")
                        .put("description", "Patch is provided to give a concrete name and type to the patch body."));
        doc.putObject("components").set("schemas", schemas);
        return doc;
    }

    private static ObjectNode operation(
            ResourceType t,
            String verb,
            String action,
            String responseRef,
            @Nullable String bodyRef,
            ArrayNode parameters) {
        ObjectNode op = F.objectNode();
        op.put("operationId", verb + operationSuffix(t));
        op.putArray("tags").add(tag(t));
        op.set("parameters", parameters);
        if (bodyRef != null) {
            ObjectNode body = op.putObject("requestBody");
            body.putObject("content").putObject("*/*").putObject("schema").put("$ref", bodyRef);
            body.put("required", !bodyRef.equals(deleteOptionsRef()));
        }
        ObjectNode responses = op.putObject("responses");
        for (String code : codes(action)) {
            ObjectNode r = responses.putObject(code);
            r.put("description", code.equals("201") ? "Created" : code.equals("202") ? "Accepted" : "OK");
            ObjectNode content = r.putObject("content");
            for (String type : List.of("application/json", "application/yaml")) {
                content.putObject(type).putObject("schema").put("$ref", responseRef);
            }
        }
        op.put("x-kubernetes-action", action);
        op.set("x-kubernetes-group-version-kind", gvk(t));
        return op;
    }

    private static ObjectNode patchOperation(ResourceType t, String verb) {
        ObjectNode op = operation(t, verb, "patch", ref(t), null, patchParameters());
        ObjectNode body = F.objectNode();
        ObjectNode content = body.putObject("content");
        for (String type : List.of(
                "application/json-patch+json",
                "application/merge-patch+json",
                "application/strategic-merge-patch+json",
                "application/apply-patch+yaml")) {
            content.putObject(type)
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
        }
        body.put("required", true);
        op.set("requestBody", body);
        return op;
    }

    private static List<String> codes(String action) {
        return switch (action) {
            case "post" -> List.of("200", "201", "202");
            case "put", "patch" -> List.of("200", "201");
            case "delete" -> List.of("200", "202");
            default -> List.of("200");
        };
    }

    private static ArrayNode pathParameters(boolean namespaced, boolean named) {
        ArrayNode a = F.arrayNode();
        if (named) {
            a.add(parameter("name", "path", "string", "name of the object").put("required", true));
        }
        if (namespaced) {
            a.add(parameter("namespace", "path", "string", "object name and auth scope, such as for teams and projects")
                    .put("required", true));
        }
        a.add(parameter("pretty", "query", "string", "If 'true', then the output is pretty printed."));
        return a;
    }

    private static ArrayNode listParameters() {
        ArrayNode a = F.arrayNode();
        a.add(parameter("allowWatchBookmarks", "query", "boolean", "requests watch events with type BOOKMARK"));
        a.add(parameter("continue", "query", "string", "the continue token of a previous list"));
        a.add(parameter("fieldSelector", "query", "string", "restricts the returned objects by their fields"));
        a.add(parameter("labelSelector", "query", "string", "restricts the returned objects by their labels"));
        a.add(parameter("limit", "query", "integer", "the most objects to return in one list"));
        a.add(parameter("resourceVersion", "query", "string", "where a watch starts"));
        a.add(parameter("sendInitialEvents", "query", "boolean", "starts a watch with the current objects"));
        a.add(parameter("timeoutSeconds", "query", "integer", "how long a watch lasts"));
        a.add(parameter("watch", "query", "boolean", "watch for changes instead of listing"));
        return a;
    }

    private static ArrayNode writeParameters() {
        ArrayNode a = F.arrayNode();
        a.add(parameter("dryRun", "query", "string", "All: validate and default, but do not persist"));
        a.add(parameter("fieldManager", "query", "string", "the name of the actor making the change"));
        a.add(parameter(
                "fieldValidation",
                "query",
                "string",
                "what to do with unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict"));
        return a;
    }

    private static ArrayNode patchParameters() {
        ArrayNode a = writeParameters();
        a.add(parameter("force", "query", "boolean", "server-side apply: take over conflicting fields"));
        return a;
    }

    private static ArrayNode deleteParameters() {
        ArrayNode a = F.arrayNode();
        a.add(parameter("dryRun", "query", "string", "All: check, but do not delete"));
        a.add(parameter("gracePeriodSeconds", "query", "integer", "seconds before the object is deleted"));
        a.add(parameter("orphanDependents", "query", "boolean", "deprecated: use propagationPolicy"));
        a.add(parameter("propagationPolicy", "query", "string", "Orphan, Background or Foreground"));
        return a;
    }

    private static ObjectNode parameter(String name, String in, String type, String description) {
        ObjectNode p = F.objectNode();
        p.put("name", name);
        p.put("in", in);
        p.put("description", description);
        p.putObject("schema").put("type", type).put("uniqueItems", true);
        return p;
    }

    private static ObjectNode gvk(ResourceType t) {
        return F.objectNode().put("group", t.group()).put("kind", t.kind()).put("version", t.version());
    }

    private static String tag(ResourceType t) {
        return t.group().isEmpty() ? "core_" + t.version() : t.group().replace('.', '_') + "_" + t.version();
    }

    private static String operationSuffix(ResourceType t) {
        String group = t.group().isEmpty() ? "Core" : capitalize(t.group().split("\\.")[0]);
        return group + capitalize(t.version()) + (t.namespaced() ? "Namespaced" : "") + t.kind();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String schemaName(ResourceType t) {
        String group = t.group().isEmpty() ? "core" : t.group().split("\\.")[0];
        return "io.k8s.api." + group + "." + t.version() + "." + t.kind();
    }

    private static String ref(ResourceType t) {
        return "#/components/schemas/" + schemaName(t);
    }

    private static String listRef(ResourceType t) {
        return ref(t) + "List";
    }

    private static String statusRef() {
        return "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    }

    private static String deleteOptionsRef() {
        return "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
    }

    /** The kind's top-level fields, as the fabric8 class declares them; nested objects stay open. */
    private static ObjectNode kindSchema(ResourceType t) {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        s.put("description", t.kind() + " (" + t.apiVersion() + "); nested fields are not described here.");
        ObjectNode props = s.putObject("properties");
        for (Class<?> c = t.type(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                JsonProperty p = f.getAnnotation(JsonProperty.class);
                if (p == null || Modifier.isStatic(f.getModifiers()) || props.has(p.value())) {
                    continue;
                }
                props.set(p.value(), fieldSchema(p.value(), f.getType()));
            }
        }
        return s;
    }

    private static ObjectNode fieldSchema(String name, Class<?> type) {
        if (name.equals("metadata")) {
            return F.objectNode().put("$ref", "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        }
        if (type == String.class) {
            return F.objectNode().put("type", "string");
        }
        if (type == Boolean.class || type == boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return F.objectNode().put("type", "integer");
        }
        if (List.class.isAssignableFrom(type)) {
            ObjectNode a = F.objectNode().put("type", "array");
            a.putObject("items").put("x-kubernetes-preserve-unknown-fields", true);
            return a;
        }
        if (Map.class.isAssignableFrom(type)) {
            ObjectNode m = F.objectNode().put("type", "object");
            m.putObject("additionalProperties").put("x-kubernetes-preserve-unknown-fields", true);
            return m;
        }
        return F.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    }

    private static ObjectNode listSchema(ResourceType t) {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        s.putArray("required").add("items");
        ObjectNode props = s.putObject("properties");
        props.putObject("apiVersion").put("type", "string");
        props.putObject("kind").put("type", "string");
        props.putObject("items").put("type", "array").putObject("items").put("$ref", ref(t));
        props.putObject("metadata").put("$ref", "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");
        return s;
    }
}
