package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code pod-template-hash} of a pod template, and template equality ignoring it.
 *
 * <p>Kubernetes ({@code controller.ComputeHash}) runs FNV-32a over the template as Go's {@code
 * spew} prints it, then over the collision count's four little-endian bytes, and writes the
 * decimal value through {@code rand.SafeEncodeString}. Go's printed form cannot be reproduced from
 * Java, so this hash runs FNV-32a over the template's JSON with object keys sorted (a stable,
 * canonical form) and keeps the rest: the collision count bytes and the encoding. Hashes are stable
 * across runs but differ from a real cluster's.
 */
final class TemplateHash {

    static final String LABEL = "pod-template-hash";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private TemplateHash() {}

    static String of(PodTemplateSpec template, @Nullable Integer collisionCount) {
        int hash = 0x811c9dc5;
        for (byte b : canonicalJson(template).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        if (collisionCount != null) {
            int count = collisionCount;
            for (int i = 0; i < 4; i++) {
                hash ^= (count >>> (8 * i)) & 0xff;
                hash *= 0x01000193;
            }
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** {@code rand.SafeEncodeString}: each byte mapped onto an alphabet without vowels. */
    static String safeEncode(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            encoded.append(Pods.NAME_ALPHABET.charAt((b & 0xff) % Pods.NAME_ALPHABET.length()));
        }
        return encoded.toString();
    }

    /** {@code EqualIgnoreHash}: equal once the {@code pod-template-hash} label is dropped. */
    static boolean equalIgnoringHash(@Nullable PodTemplateSpec a, @Nullable PodTemplateSpec b) {
        if (a == null || b == null) {
            return a == b;
        }
        return canonicalJson(a).equals(canonicalJson(b));
    }

    /** The template as JSON with sorted keys, without the {@code pod-template-hash} label. */
    @SuppressWarnings("unchecked")
    static String canonicalJson(PodTemplateSpec template) {
        Map<String, Object> tree = SERIALIZATION.convertValue(template, Map.class);
        Object metadata = tree.get("metadata");
        if (metadata instanceof Map) {
            Object labels = ((Map<String, Object>) metadata).get("labels");
            if (labels instanceof Map) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) labels);
                copy.remove(LABEL);
                Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) metadata);
                if (copy.isEmpty()) {
                    meta.remove("labels");
                } else {
                    meta.put("labels", copy);
                }
                tree = new LinkedHashMap<>(tree);
                tree.put("metadata", meta);
            }
        }
        return SERIALIZATION.asJson(sorted(tree));
    }

    /** {@code value} with every map's keys sorted and null entries dropped; lists keep their order. */
    @SuppressWarnings("unchecked")
    static @Nullable Object sorted(@Nullable Object value) {
        if (value instanceof Map) {
            Map<String, Object> result = new TreeMap<>();
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) value).entrySet()) {
                if (entry.getValue() != null) {
                    result.put(entry.getKey(), sorted(entry.getValue()));
                }
            }
            return result;
        }
        if (value instanceof List) {
            List<Object> result = new ArrayList<>();
            for (Object item : (List<Object>) value) {
                result.add(sorted(item));
            }
            return result;
        }
        return value;
    }
}
