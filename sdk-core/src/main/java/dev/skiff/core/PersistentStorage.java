package dev.skiff.core;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A persistent volume of its own for each replica of an {@link InteractiveSession}, kept across
 * restarts and while the session is suspended: home directories, notebooks, caches.
 *
 * <pre>{@code
 * PersistentStorage.of("home", "50Gi", "/home/jovyan").withStorageClass("premium-rwo");
 * }</pre>
 */
@Value.Immutable
public abstract class PersistentStorage {
    PersistentStorage() {}

    /** The access modes of a claim. */
    public enum AccessMode {
        /** Mounted read-write by one node. */
        READ_WRITE_ONCE("ReadWriteOnce"),
        /** Mounted read-write by one pod. */
        READ_WRITE_ONCE_POD("ReadWriteOncePod"),
        /** Mounted read-only by many nodes. */
        READ_ONLY_MANY("ReadOnlyMany"),
        /** Mounted read-write by many nodes. */
        READ_WRITE_MANY("ReadWriteMany");

        private final String wire;

        AccessMode(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** Returns the volume's name; the claims are named {@code <name>-<session>-<ordinal>}. */
    public abstract String name();

    /** Returns the requested size, such as {@code "50Gi"}. */
    public abstract String size();

    /** Returns where every main container mounts the volume. */
    public abstract String mountPath();

    /** Returns the StorageClass; the cluster's default if empty. */
    public abstract Optional<String> storageClass();

    /** Returns the access mode; {@link AccessMode#READ_WRITE_ONCE} by default. */
    @Value.Default
    public AccessMode accessMode() {
        return AccessMode.READ_WRITE_ONCE;
    }

    /**
     * A read-write-once volume of {@code size} mounted at {@code mountPath}.
     *
     * @param name the volume's name
     * @param size the size, such as {@code "50Gi"}
     * @param mountPath where the main containers mount it
     * @return the storage
     */
    public static PersistentStorage of(String name, String size, String mountPath) {
        return ImmutablePersistentStorage.builder()
                .name(name)
                .size(size)
                .mountPath(mountPath)
                .build();
    }

    /**
     * Returns a copy using StorageClass {@code storageClass}.
     *
     * @param storageClass the StorageClass's name
     * @return the copy
     */
    public PersistentStorage withStorageClass(String storageClass) {
        return ImmutablePersistentStorage.builder()
                .from(this)
                .storageClass(storageClass)
                .build();
    }

    /**
     * Returns a copy with another access mode.
     *
     * @param accessMode the access mode
     * @return the copy
     */
    public PersistentStorage withAccessMode(AccessMode accessMode) {
        return ImmutablePersistentStorage.builder()
                .from(this)
                .accessMode(accessMode)
                .build();
    }
}
