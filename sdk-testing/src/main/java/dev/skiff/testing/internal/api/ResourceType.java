package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * A kind the in-memory API server serves: where it lives in the REST API and which fabric8
 * class represents it.
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        boolean namespaced,
        Class<? extends HasMetadata> type,
        boolean hasStatus,
        List<String> shortNames) {

    /** Returns {@code v1} for the core group, {@code group/version} otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Returns the lowercase singular name, such as {@code job}. */
    public String singular() {
        return kind.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return group.isEmpty() ? plural : plural + "." + group;
    }
}
