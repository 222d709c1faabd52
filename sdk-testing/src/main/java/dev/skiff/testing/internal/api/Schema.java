package dev.skiff.testing.internal.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The merge metadata of the served kinds, by path: what Kubernetes declares in its Go types with
 * {@code patchStrategy}/{@code patchMergeKey} (strategic merge patch) and {@code listType},
 * {@code listMapKey}, {@code structType}/{@code mapType} (server-side apply). Fields it does not
 * describe behave like untagged fields: objects merge key by key, lists are atomic.
 */
final class Schema {
    /** How server-side apply treats a list. */
    enum ListType {
        /** Replaced as a whole, owned as one field. */
        ATOMIC,
        /** Scalars merged as a set, each owned as {@code v:<value>}. */
        SET,
        /** Objects merged by key, each owned as {@code k:{...}}. */
        MAP
    }

    /** An untagged field: objects merge by key, lists are atomic and replaced by patches. */
    static final Schema ANY = new Schema();

    private final Map<String, Schema> fields = new HashMap<>();
    /** The type of a list's items; null for untagged. */
    private @Nullable Schema items;

    private ListType listType = ListType.ATOMIC;
    private List<String> listKeys = List.of();
    private List<String> sortedListKeys = List.of();
    private Map<String, JsonNode> keyDefaults = Map.of();
    private boolean smpMerge;
    private @Nullable String smpMergeKey;
    private boolean atomic;
    private boolean implicit;

    private Schema() {}

    /** The schema of a field of this object; untagged for fields it does not know. */
    Schema field(String name) {
        Schema s = fields.get(name);
        return s == null ? ANY : s;
    }

    /** The schema of a list's items. */
    Schema items() {
        return items == null ? ANY : items;
    }

    /** The list type for server-side apply. */
    ListType listType() {
        return listType;
    }

    /** The key fields of a {@link ListType#MAP} list. */
    List<String> listKeys() {
        return listKeys;
    }

    /** The key fields sorted by name, as keys are encoded. */
    List<String> sortedListKeys() {
        return sortedListKeys;
    }

    /** The value a missing key field defaults to, or null. */
    @Nullable
    JsonNode keyDefault(String field) {
        return keyDefaults.get(field);
    }

    /** Whether a strategic merge patch merges this list (by {@link #mergeKey()} for objects, as a set for scalars). */
    boolean smpMerge() {
        return smpMerge;
    }

    /** The strategic merge key of a list of objects, or null. */
    @Nullable
    String mergeKey() {
        return smpMergeKey;
    }

    /** Whether server-side apply owns this object as one field ({@code structType/mapType=atomic}). */
    boolean atomic() {
        return atomic;
    }

    /**
     * Whether this is a non-pointer struct that an empty object of the kind already has (such as
     * {@code spec}); adding it does not make its node a member of a field set.
     */
    boolean implicit() {
        return implicit;
    }

    // ------------------------------------------------------------------ builders

    private static Schema struct(Object... namesAndTypes) {
        Schema s = new Schema();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            s.fields.put((String) namesAndTypes[i], (Schema) namesAndTypes[i + 1]);
        }
        return s;
    }

    /** A non-pointer struct. */
    private static Schema implicit(Schema s) {
        Schema c = copyOf(s);
        c.implicit = true;
        return c;
    }

    private static Schema copyOf(Schema s) {
        Schema c = new Schema();
        c.fields.putAll(s.fields);
        c.items = s.items;
        c.listType = s.listType;
        c.listKeys = s.listKeys;
        c.sortedListKeys = s.sortedListKeys;
        c.keyDefaults = s.keyDefaults;
        c.smpMerge = s.smpMerge;
        c.smpMergeKey = s.smpMergeKey;
        c.atomic = s.atomic;
        c.implicit = s.implicit;
        return c;
    }

    private static Schema atomicStruct() {
        Schema s = new Schema();
        s.atomic = true;
        return s;
    }

    /** {@code patchStrategy=merge, patchMergeKey=key, listType=map, listMapKey=keys}. */
    private static Schema mapList(String mergeKey, Schema items, String... keys) {
        Schema s = new Schema();
        s.listType = ListType.MAP;
        s.listKeys = keys.length == 0 ? List.of(mergeKey) : List.of(keys);
        s.sortedListKeys = s.listKeys.stream().sorted().toList();
        s.smpMerge = true;
        s.smpMergeKey = mergeKey;
        s.items = items;
        return s;
    }

    /** A map list whose key field {@code field} defaults to {@code value} when an item leaves it out. */
    private static Schema keyDefault(Schema list, String field, String value) {
        Schema c = copyOf(list);
        c.keyDefaults = Map.of(field, JsonNodeFactory.instance.stringNode(value));
        return c;
    }

    /** {@code patchStrategy=merge, patchMergeKey=key, listType=atomic}. */
    private static Schema atomicMergeList(String mergeKey, Schema items) {
        Schema s = new Schema();
        s.smpMerge = true;
        s.smpMergeKey = mergeKey;
        s.items = items;
        return s;
    }

    /** {@code patchStrategy=merge, listType=set}: scalars. */
    private static Schema setList() {
        Schema s = new Schema();
        s.listType = ListType.SET;
        s.smpMerge = true;
        return s;
    }

    private static Schema list(Schema items) {
        Schema s = new Schema();
        s.items = items;
        return s;
    }

    // ------------------------------------------------------------------ the served kinds

    private static final Schema CONDITIONS = mapList("type", ANY);

    static final Schema OBJECT_META = struct(
            "finalizers", setList(),
            "ownerReferences", mapList("uid", ANY),
            "managedFields", list(ANY));

    private static final Schema LABEL_SELECTOR = atomicStruct();

    private static final Schema CONTAINER = struct(
            "ports", keyDefault(mapList("containerPort", ANY, "containerPort", "protocol"), "protocol", "TCP"),
            "env", mapList("name", ANY),
            "volumeMounts", mapList("mountPath", ANY),
            "volumeDevices", mapList("devicePath", ANY),
            "resources", struct("claims", mapList("name", ANY)));

    static final Schema POD_SPEC = struct(
            "volumes", mapList("name", ANY),
            "initContainers", mapList("name", CONTAINER),
            "containers", implicit(mapList("name", CONTAINER)),
            "ephemeralContainers", mapList("name", CONTAINER),
            "imagePullSecrets", mapList("name", ANY),
            "hostAliases", mapList("ip", ANY),
            "topologySpreadConstraints", mapList("topologyKey", ANY, "topologyKey", "whenUnsatisfiable"),
            "resourceClaims", mapList("name", ANY),
            "schedulingGates", mapList("name", ANY));

    static final Schema POD_TEMPLATE = struct("metadata", implicit(OBJECT_META), "spec", implicit(POD_SPEC));

    private static final Schema POD_STATUS = struct(
            "conditions", CONDITIONS,
            "podIPs", mapList("ip", ANY),
            "hostIPs", mapList("ip", ANY),
            "resourceClaimStatuses", mapList("name", ANY));

    private static final Schema JOB_SPEC = struct("selector", LABEL_SELECTOR, "template", implicit(POD_TEMPLATE));

    private static final Schema JOB_STATUS = struct("conditions", atomicMergeList("type", ANY));

    private static final Schema APPS_STATUS = struct("conditions", CONDITIONS);

    private static final Schema DEPLOYMENT_SPEC = struct(
            "selector", LABEL_SELECTOR,
            "template", implicit(POD_TEMPLATE),
            "strategy", implicit(ANY));

    private static final Schema REPLICA_SET_SPEC =
            struct("selector", LABEL_SELECTOR, "template", implicit(POD_TEMPLATE));

    private static final Schema STATEFUL_SET_SPEC = struct(
            "selector", LABEL_SELECTOR,
            "template", implicit(POD_TEMPLATE),
            "updateStrategy", implicit(ANY));

    private static final Schema CRON_JOB_SPEC =
            struct("jobTemplate", implicit(struct("metadata", implicit(OBJECT_META), "spec", implicit(JOB_SPEC))));

    private static final Schema SERVICE_SPEC = struct(
            "ports",
            keyDefault(mapList("port", ANY, "port", "protocol"), "protocol", "TCP"),
            "selector",
            atomicStruct());

    private static final Schema NODE_SPEC = struct("podCIDRs", setList());

    private static final Schema NODE_STATUS = struct("conditions", CONDITIONS, "addresses", mapList("type", ANY));

    private static final Schema WITH_CONDITIONS = struct("conditions", CONDITIONS);

    private static final Map<String, Schema> ROOTS = new HashMap<>();

    static {
        root("v1/Pod", POD_SPEC, POD_STATUS);
        root("batch/v1/Job", JOB_SPEC, JOB_STATUS);
        root("batch/v1/CronJob", CRON_JOB_SPEC, ANY);
        root("apps/v1/Deployment", DEPLOYMENT_SPEC, APPS_STATUS);
        root("apps/v1/ReplicaSet", REPLICA_SET_SPEC, APPS_STATUS);
        root("apps/v1/StatefulSet", STATEFUL_SET_SPEC, APPS_STATUS);
        root("v1/Service", SERVICE_SPEC, WITH_CONDITIONS);
        root("v1/Node", NODE_SPEC, NODE_STATUS);
        root("v1/Namespace", ANY, WITH_CONDITIONS);
        root("v1/PersistentVolumeClaim", ANY, WITH_CONDITIONS);
        // a PodTemplate has no spec: its template sits at the top
        ROOTS.put(
                "v1/PodTemplate",
                implicit(struct("metadata", implicit(OBJECT_META), "template", implicit(POD_TEMPLATE))));
    }

    private static void root(String kind, Schema spec, Schema status) {
        ROOTS.put(
                kind,
                implicit(
                        struct("metadata", implicit(OBJECT_META), "spec", implicit(spec), "status", implicit(status))));
    }

    private static final Schema DEFAULT_ROOT = implicit(struct("metadata", implicit(OBJECT_META)));

    /** The schema of a whole object of {@code type}. */
    static Schema of(ResourceType type) {
        Schema s = ROOTS.get(type.apiVersion() + "/" + type.kind());
        return s == null ? DEFAULT_ROOT : s;
    }
}
