package dev.skiff.testing.internal.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the protobuf bodies of the Kubernetes API ({@code application/vnd.kubernetes.protobuf})
 * into JSON, for the kinds kubectl's {@code create} commands send that way: client-go's generated
 * clients always write built-in kinds in protobuf, and fall back to JSON only from CBOR, so a
 * server that wants {@code kubectl create job} has to read it.
 *
 * <p>A body is the four bytes {@code k8s\0} and a {@code runtime.Unknown} message whose {@code raw}
 * field holds the object. The messages are described below by field number, name and type, as in
 * the API's {@code generated.proto}; a field this table does not know is rejected (with HTTP 415)
 * rather than dropped. Go writes every non-pointer field, set or not, so zero values of those are
 * left out of the JSON, as Go's {@code omitempty} does; fields marked {@code *} are pointers, whose
 * zero values are meaningful.
 */
final class Protobuf {
    static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * The messages: {@code number name type} per field. Types: {@code s} string, {@code i} integer,
     * {@code b} bool, {@code bytes}, {@code Time}, {@code Quantity}, {@code IntOrString}, another
     * message, {@code []T} repeated, {@code {T}} a map from strings, {@code ^T} a message whose
     * fields are written inline (Go's embedded structs), {@code -} a field that is read and dropped (status on create).
     */
    private static final Map<String, String> MESSAGES = Map.ofEntries(
            Map.entry("TypeMeta", "1 apiVersion s; 2 kind s"),
            // apimachinery's scalars, unwrapped by the reader
            Map.entry("QuantityMessage", "1 string* s"),
            Map.entry("IntOrStringMessage", "1 type* i; 2 intVal* i; 3 strVal* s"),
            Map.entry(
                    "ObjectMeta",
                    "1 name s; 2 generateName s; 3 namespace s; 4 selfLink s; 5 uid s; 6 resourceVersion s;"
                            + " 7 generation i; 8 creationTimestamp Time; 9 deletionTimestamp* Time;"
                            + " 10 deletionGracePeriodSeconds* i; 11 labels {s}; 12 annotations {s};"
                            + " 13 ownerReferences []OwnerReference; 14 finalizers []s"),
            Map.entry(
                    "OwnerReference",
                    "5 apiVersion s; 1 kind s; 3 name s; 4 uid s; 6 controller* b; 7 blockOwnerDeletion* b"),
            Map.entry("LabelSelector", "1 matchLabels {s}; 2 matchExpressions []LabelSelectorRequirement"),
            Map.entry("LabelSelectorRequirement", "1 key s; 2 operator s; 3 values []s"),
            // batch/v1
            Map.entry("Job", "1 metadata ObjectMeta; 2 spec JobSpec; 3 status -"),
            Map.entry(
                    "JobSpec",
                    "1 parallelism* i; 2 completions* i; 3 activeDeadlineSeconds* i; 4 selector LabelSelector;"
                            + " 5 manualSelector* b; 6 template PodTemplateSpec; 7 backoffLimit* i;"
                            + " 8 ttlSecondsAfterFinished* i; 9 completionMode* s; 10 suspend* b;"
                            + " 12 backoffLimitPerIndex* i; 13 maxFailedIndexes* i; 14 podReplacementPolicy* s;"
                            + " 15 managedBy* s"),
            Map.entry("CronJob", "1 metadata ObjectMeta; 2 spec CronJobSpec; 3 status -"),
            Map.entry(
                    "CronJobSpec",
                    "1 schedule s; 2 startingDeadlineSeconds* i; 3 concurrencyPolicy s; 4 suspend* b;"
                            + " 5 jobTemplate JobTemplateSpec; 6 successfulJobsHistoryLimit* i;"
                            + " 7 failedJobsHistoryLimit* i; 8 timeZone* s"),
            Map.entry("JobTemplateSpec", "1 metadata ObjectMeta; 2 spec JobSpec"),
            // apps/v1
            Map.entry("Deployment", "1 metadata ObjectMeta; 2 spec DeploymentSpec; 3 status -"),
            Map.entry(
                    "DeploymentSpec",
                    "1 replicas* i; 2 selector LabelSelector; 3 template PodTemplateSpec;"
                            + " 4 strategy DeploymentStrategy; 5 minReadySeconds i; 6 revisionHistoryLimit* i;"
                            + " 7 paused b; 9 progressDeadlineSeconds* i"),
            Map.entry("DeploymentStrategy", "1 type s; 2 rollingUpdate RollingUpdateDeployment"),
            Map.entry("RollingUpdateDeployment", "1 maxUnavailable IntOrString; 2 maxSurge IntOrString"),
            // core/v1
            Map.entry("Namespace", "1 metadata ObjectMeta; 2 spec NamespaceSpec; 3 status -"),
            Map.entry("NamespaceSpec", "1 finalizers []s"),
            Map.entry("ConfigMap", "1 metadata ObjectMeta; 2 data {s}; 3 binaryData {bytes}; 4 immutable* b"),
            Map.entry("Secret", "1 metadata ObjectMeta; 2 data {bytes}; 3 type s; 4 stringData {s}; 5 immutable* b"),
            Map.entry(
                    "ServiceAccount",
                    "1 metadata ObjectMeta; 3 imagePullSecrets []LocalObjectReference;"
                            + " 4 automountServiceAccountToken* b"),
            Map.entry("LocalObjectReference", "1 name s"),
            Map.entry("PodTemplateSpec", "1 metadata ObjectMeta; 2 spec PodSpec"),
            Map.entry(
                    "PodSpec",
                    "1 volumes []Volume; 2 containers []Container; 3 restartPolicy s; 4 terminationGracePeriodSeconds* i;"
                            + " 5 activeDeadlineSeconds* i; 6 dnsPolicy s; 7 nodeSelector {s};"
                            + " 8 serviceAccountName s; 9 serviceAccount s; 10 nodeName s; 11 hostNetwork b; 12 hostPID b;"
                            + " 13 hostIPC b; 14 securityContext PodSecurityContext;"
                            + " 15 imagePullSecrets []LocalObjectReference; 16 hostname s; 17 subdomain s;"
                            + " 19 schedulerName s; 20 initContainers []Container; 21 automountServiceAccountToken* b;"
                            + " 22 tolerations []Toleration; 24 priorityClassName s; 25 priority* i;"
                            + " 29 runtimeClassName* s; 30 enableServiceLinks* b; 31 preemptionPolicy* s"),
            Map.entry(
                    "Container",
                    "1 name s; 2 image s; 3 command []s; 4 args []s; 5 workingDir s; 6 ports []ContainerPort;"
                            + " 7 env []EnvVar; 8 resources ResourceRequirements; 9 volumeMounts []VolumeMount;"
                            + " 13 terminationMessagePath s; 19 envFrom []EnvFromSource;"
                            + " 14 imagePullPolicy s; 15 securityContext SecurityContext; 16 stdin b; 17 stdinOnce b; 18 tty b;"
                            + " 20 terminationMessagePolicy s; 24 restartPolicy* s"),
            Map.entry(
                    "PodSecurityContext",
                    "1 seLinuxOptions SELinuxOptions; 2 runAsUser* i; 3 runAsNonRoot* b; 4 supplementalGroups []i;"
                            + " 5 fsGroup* i; 6 runAsGroup* i; 7 sysctls []Sysctl;"
                            + " 8 windowsOptions WindowsSecurityContextOptions; 9 fsGroupChangePolicy* s;"
                            + " 10 seccompProfile SeccompProfile; 11 appArmorProfile AppArmorProfile;"
                            + " 12 supplementalGroupsPolicy* s; 13 seLinuxChangePolicy* s"),
            Map.entry(
                    "SecurityContext",
                    "1 capabilities Capabilities; 2 privileged* b; 3 seLinuxOptions SELinuxOptions; 4 runAsUser* i;"
                            + " 5 runAsNonRoot* b; 6 readOnlyRootFilesystem* b; 7 allowPrivilegeEscalation* b;"
                            + " 8 runAsGroup* i; 9 procMount* s; 10 windowsOptions WindowsSecurityContextOptions;"
                            + " 11 seccompProfile SeccompProfile; 12 appArmorProfile AppArmorProfile"),
            Map.entry("Capabilities", "1 add []s; 2 drop []s"),
            Map.entry("SELinuxOptions", "1 user s; 2 role s; 3 type s; 4 level s"),
            Map.entry("SeccompProfile", "1 type s; 2 localhostProfile* s"),
            Map.entry("AppArmorProfile", "1 type s; 2 localhostProfile* s"),
            Map.entry("Sysctl", "1 name s; 2 value s"),
            Map.entry(
                    "WindowsSecurityContextOptions",
                    "1 gmsaCredentialSpecName* s; 2 gmsaCredentialSpec* s; 3 runAsUserName* s; 4 hostProcess* b"),
            Map.entry("ContainerPort", "1 name s; 2 hostPort i; 3 containerPort i; 4 protocol s; 5 hostIP s"),
            Map.entry("EnvVar", "1 name s; 2 value s; 3 valueFrom EnvVarSource"),
            Map.entry(
                    "EnvVarSource",
                    "1 fieldRef ObjectFieldSelector; 2 resourceFieldRef ResourceFieldSelector;"
                            + " 3 configMapKeyRef ConfigMapKeySelector; 4 secretKeyRef SecretKeySelector"),
            Map.entry("ObjectFieldSelector", "1 apiVersion s; 2 fieldPath s"),
            Map.entry("ResourceFieldSelector", "1 containerName s; 2 resource s; 3 divisor Quantity"),
            Map.entry("ConfigMapKeySelector", "1 localObjectReference ^LocalObjectReference; 2 key s; 3 optional* b"),
            Map.entry("SecretKeySelector", "1 localObjectReference ^LocalObjectReference; 2 key s; 3 optional* b"),
            Map.entry("EnvFromSource", "1 prefix s; 2 configMapRef ConfigMapEnvSource; 3 secretRef SecretEnvSource"),
            Map.entry("ConfigMapEnvSource", "1 localObjectReference ^LocalObjectReference; 2 optional* b"),
            Map.entry("SecretEnvSource", "1 localObjectReference ^LocalObjectReference; 2 optional* b"),
            Map.entry(
                    "VolumeMount",
                    "1 name s; 2 readOnly b; 3 mountPath s; 4 subPath s; 5 mountPropagation* s; 6 subPathExpr s;"
                            + " 7 recursiveReadOnly* s"),
            Map.entry("Volume", "1 name s; 2 volumeSource ^VolumeSource"),
            // the common volume sources; the others are rejected
            Map.entry(
                    "VolumeSource",
                    "1 hostPath HostPathVolumeSource; 2 emptyDir EmptyDirVolumeSource; 6 secret SecretVolumeSource;"
                            + " 10 persistentVolumeClaim PersistentVolumeClaimVolumeSource;"
                            + " 19 configMap ConfigMapVolumeSource"),
            Map.entry("HostPathVolumeSource", "1 path s; 2 type* s"),
            Map.entry("EmptyDirVolumeSource", "1 medium s; 2 sizeLimit Quantity"),
            Map.entry("SecretVolumeSource", "1 secretName s; 2 items []KeyToPath; 3 defaultMode* i; 4 optional* b"),
            Map.entry(
                    "ConfigMapVolumeSource",
                    "1 localObjectReference ^LocalObjectReference; 2 items []KeyToPath; 3 defaultMode* i;"
                            + " 4 optional* b"),
            Map.entry("PersistentVolumeClaimVolumeSource", "1 claimName s; 2 readOnly b"),
            Map.entry("KeyToPath", "1 key s; 2 path s; 3 mode* i"),
            Map.entry("ResourceRequirements", "1 limits {Quantity}; 2 requests {Quantity}"),
            Map.entry("Toleration", "1 key s; 2 operator s; 3 value s; 4 effect s; 5 tolerationSeconds* i"));

    /** The message of each kind's body. */
    private static final Map<String, String> KINDS = Map.of(
            "Job", "Job",
            "CronJob", "CronJob",
            "Deployment", "Deployment",
            "Namespace", "Namespace",
            "ConfigMap", "ConfigMap",
            "Secret", "Secret",
            "ServiceAccount", "ServiceAccount");

    private record FieldSpec(String name, String type, boolean pointer) {}

    private static final Map<String, Map<Integer, FieldSpec>> PARSED = new HashMap<>();

    private Protobuf() {}

    /** Whether a {@code Content-Type} is the Kubernetes protobuf encoding. */
    static boolean isProtobuf(@Nullable String contentType) {
        return contentType != null && contentType.startsWith(MEDIA_TYPE);
    }

    /**
     * Returns the JSON object of a protobuf body, with its {@code apiVersion} and {@code kind}.
     *
     * @throws IllegalArgumentException when the body is not a Kubernetes protobuf envelope, is of a
     *     kind not described here, or holds a field not described here
     */
    static ObjectNode toJson(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("the body does not start with the Kubernetes protobuf prefix");
        }
        // runtime.Unknown: 1 typeMeta, 2 raw, 3 contentEncoding, 4 contentType
        Reader envelope = new Reader(body, MAGIC.length, body.length);
        ObjectNode typeMeta = null;
        Reader raw = null;
        while (envelope.more()) {
            long key = envelope.varint();
            if ((key >>> 3) == 1) {
                typeMeta = message(envelope.sub(), "TypeMeta");
            } else if ((key >>> 3) == 2) {
                raw = envelope.sub();
            } else {
                envelope.skip((int) (key & 7));
            }
        }
        if (typeMeta == null || raw == null || !typeMeta.has("kind")) {
            throw new IllegalArgumentException("the protobuf envelope has no object");
        }
        String kind = typeMeta.get("kind").asString();
        String message = KINDS.get(kind);
        if (message == null) {
            throw new IllegalArgumentException("protobuf bodies of kind " + kind + " are not understood");
        }
        ObjectNode object = F.objectNode();
        object.put("apiVersion", typeMeta.path("apiVersion").asString());
        object.put("kind", kind);
        object.setAll(message(raw, message));
        return object;
    }

    private static Map<Integer, FieldSpec> fields(String message) {
        synchronized (PARSED) {
            return PARSED.computeIfAbsent(message, m -> {
                String spec = MESSAGES.get(m);
                if (spec == null) {
                    throw new IllegalStateException("no description of message " + m);
                }
                Map<Integer, FieldSpec> fields = new HashMap<>();
                for (String f : spec.split(";")) {
                    String[] p = f.trim().split(" ");
                    boolean pointer = p[1].endsWith("*");
                    String name = pointer ? p[1].substring(0, p[1].length() - 1) : p[1];
                    fields.put(Integer.parseInt(p[0]), new FieldSpec(name, p[2], pointer));
                }
                return fields;
            });
        }
    }

    private static ObjectNode message(Reader r, String message) {
        Map<Integer, FieldSpec> fields = fields(message);
        ObjectNode out = F.objectNode();
        while (r.more()) {
            long key = r.varint();
            int number = (int) (key >>> 3);
            int wire = (int) (key & 7);
            FieldSpec f = fields.get(number);
            if (f == null) {
                throw new IllegalArgumentException(
                        "field " + number + " of protobuf message " + message + " is not understood");
            }
            String type = f.type();
            if (type.equals("-")) {
                r.skip(wire);
            } else if (type.startsWith("[]")) {
                ArrayNode a = out.has(f.name()) ? (ArrayNode) out.get(f.name()) : out.putArray(f.name());
                String element = type.substring(2);
                if (wire == 2 && element.equals("i")) {
                    Reader packed = r.sub();
                    while (packed.more()) {
                        a.add(packed.varint());
                    }
                } else {
                    a.add(value(r, wire, element));
                }
            } else if (type.startsWith("^")) {
                out.setAll(message(r.sub(), type.substring(1)));
            } else if (type.startsWith("{")) {
                ObjectNode map = out.has(f.name()) ? (ObjectNode) out.get(f.name()) : out.putObject(f.name());
                Reader entry = r.sub();
                String k = "";
                JsonNode v = null;
                String valueType = type.substring(1, type.length() - 1);
                while (entry.more()) {
                    long ek = entry.varint();
                    if ((ek >>> 3) == 1) {
                        k = entry.string();
                    } else if ((ek >>> 3) == 2) {
                        v = value(entry, (int) (ek & 7), valueType);
                    } else {
                        entry.skip((int) (ek & 7));
                    }
                }
                map.set(k, v == null ? zero(valueType) : v);
            } else {
                JsonNode v = value(r, wire, type);
                if (v != null && (f.pointer() || !isZero(v))) {
                    out.set(f.name(), v);
                }
            }
        }
        return out;
    }

    private static @Nullable JsonNode value(Reader r, int wire, String type) {
        return switch (type) {
            case "s" -> F.stringNode(r.string());
            case "i" -> F.numberNode(r.varint());
            case "b" -> F.booleanNode(r.varint() != 0);
            case "bytes" -> F.stringNode(Base64.getEncoder().encodeToString(r.bytes()));
            case "Time" -> time(r.sub());
            case "Quantity" -> {
                ObjectNode q = message(r.sub(), "QuantityMessage");
                yield q.get("string");
            }
            case "IntOrString" -> {
                ObjectNode v = message(r.sub(), "IntOrStringMessage");
                yield v.path("type").asLong() == 1
                        ? v.get("strVal")
                        : F.numberNode(v.path("intVal").asLong());
            }
            default -> {
                if (wire != 2) {
                    throw new IllegalArgumentException("field of message " + type + " has wire type " + wire);
                }
                yield message(r.sub(), type);
            }
        };
    }

    private static @Nullable JsonNode time(Reader r) {
        long seconds = 0;
        long nanos = 0;
        boolean any = false;
        while (r.more()) {
            long key = r.varint();
            any = true;
            if ((key >>> 3) == 1) {
                seconds = r.varint();
            } else if ((key >>> 3) == 2) {
                nanos = r.varint();
            } else {
                r.skip((int) (key & 7));
            }
        }
        // Go writes nothing for the zero time
        return any ? F.stringNode(Instant.ofEpochSecond(seconds, nanos).toString()) : null;
    }

    private static boolean isZero(JsonNode v) {
        return (v.isString() && v.asString().isEmpty())
                || (v.isNumber() && v.asLong() == 0)
                || (v.isBoolean() && !v.asBoolean());
    }

    private static JsonNode zero(String type) {
        return switch (type) {
            case "i" -> F.numberNode(0);
            case "b" -> F.booleanNode(false);
            default -> F.stringNode("");
        };
    }

    /** A cursor over protobuf wire bytes. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated protobuf varint");
                }
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("malformed protobuf varint");
        }

        Reader sub() {
            int len = length();
            Reader r = new Reader(b, pos, pos + len);
            pos += len;
            return r;
        }

        byte[] bytes() {
            int len = length();
            byte[] out = Arrays.copyOfRange(b, pos, pos + len);
            pos += len;
            return out;
        }

        String string() {
            int len = length();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        private int length() {
            long len = varint();
            if (len < 0 || pos + len > end) {
                throw new IllegalArgumentException("protobuf length past the end of the message");
            }
            return (int) len;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int len = length();
                    pos += len;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
            }
        }
    }
}
