package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A StatefulSet's ControllerRevisions, as {@code pkg/controller/history} and {@code
 * statefulset/stateful_set_utils.go} make them.
 *
 * <p>A revision's {@code data} is a strategic merge patch that restores the pod template: {@code
 * {"spec":{"template":{...,"$patch":"replace"}}}}, with object keys sorted as Go marshals a map. Its
 * name is {@code <set>-<hash>}, the hash being FNV-1 (32 bits) over those bytes and then over the
 * collision count in decimal, written through {@code rand.SafeEncodeString}; the hash is also the
 * {@code controller.kubernetes.io/hash} label. Java's JSON of a template is not byte for byte Go's,
 * so names are stable but differ from a real cluster's.
 */
final class Revisions {

    /** The label holding a revision's hash. */
    static final String HASH_LABEL = "controller.kubernetes.io/hash";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** {@code SortControllerRevisions}: by revision number, then creation time, then name. */
    static final Comparator<ControllerRevision> ORDER = Comparator.comparingLong(
                    (ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
            .thenComparing(r -> Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(r -> Objects.requireNonNullElse(r.getMetadata().getName(), ""));

    private Revisions() {}

    /**
     * {@code newRevision}: a revision of the set's current template, numbered {@code revision},
     * named with {@code collisionCount}, labelled with the template's labels and owned by the set.
     */
    static ControllerRevision of(StatefulSet set, long revision, int collisionCount) {
        Map<String, Object> data = data(set.getSpec().getTemplate());
        String hash = hash(data, collisionCount);
        Map<String, String> labels = new LinkedHashMap<>();
        PodTemplateSpec template = set.getSpec().getTemplate();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(HASH_LABEL, hash);
        Map<String, String> annotations = set.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(set.getMetadata().getAnnotations());
        String prefix = set.getMetadata().getName();
        if (prefix.length() > 223) {
            prefix = prefix.substring(0, 223);
        }
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(prefix + "-" + hash)
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(Pods.controllerRef(
                        "StatefulSet",
                        set.getMetadata().getName(),
                        set.getMetadata().getUid()))
                .endMetadata()
                .withData(data)
                .withRevision(revision)
                .build();
    }

    /** {@code getPatch}: the patch that puts {@code template} back. */
    static Map<String, Object> data(PodTemplateSpec template) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) TemplateHash.sorted(JSON.convertValue(template, Map.class));
        Map<String, Object> withReplace = new TreeMap<>(tree);
        withReplace.put("$patch", "replace");
        return Map.of("spec", Map.of("template", withReplace));
    }

    /** The revision's data as Go would store it: compact JSON, keys sorted. */
    static String json(@Nullable Object data) {
        return JSON.asJson(TemplateHash.sorted(data == null ? Map.of() : JSON.convertValue(data, Object.class)));
    }

    /** {@code EqualRevision}: the same data. */
    static boolean sameData(ControllerRevision revision, Map<String, Object> data) {
        return json(revision.getData()).equals(json(data));
    }

    /** {@code HashControllerRevision}: FNV-1 over the data, then the collision count in decimal. */
    static String hash(Map<String, Object> data, int collisionCount) {
        int hash = 0x811c9dc5;
        byte[] bytes = (json(data) + collisionCount).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            hash *= 0x01000193;
            hash ^= b & 0xff;
        }
        return TemplateHash.safeEncode(Integer.toUnsignedString(hash));
    }

    /** {@code ApplyRevision}, for the only field a revision holds: its pod template. */
    @SuppressWarnings("unchecked")
    static PodTemplateSpec template(ControllerRevision revision) {
        Map<String, Object> data = (Map<String, Object>) JSON.convertValue(revision.getData(), Map.class);
        Map<String, Object> spec = (Map<String, Object>) data.get("spec");
        Map<String, Object> template = new LinkedHashMap<>((Map<String, Object>) spec.get("template"));
        template.remove("$patch");
        return JSON.convertValue(template, PodTemplateSpec.class);
    }
}
