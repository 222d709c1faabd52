package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.jspecify.annotations.Nullable;

/**
 * One committed change of the store: what a watch event carries.
 *
 * @param resourceVersion the store's version after the change
 * @param type ADDED, MODIFIED or DELETED
 * @param resource the kind
 * @param object the object after the change (for DELETED, the last state, with the new version)
 * @param old the object before the change, null for ADDED
 */
public record Change(
        long resourceVersion,
        Type type,
        ResourceType resource,
        HasMetadata object,
        @Nullable HasMetadata old) {
    /** Watch event types. */
    public enum Type {
        ADDED,
        MODIFIED,
        DELETED
    }
}
