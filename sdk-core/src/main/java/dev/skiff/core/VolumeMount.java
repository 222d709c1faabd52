package dev.skiff.core;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * Where a container sees a {@link Volume} of its pod.
 *
 * <pre>{@code
 * VolumeMount.of("data", "/data").asReadOnly();
 * }</pre>
 */
@Value.Immutable
public abstract class VolumeMount {
    VolumeMount() {}

    /** Returns the name of the pod volume to mount. */
    public abstract String volume();

    /** Returns the absolute path inside the container. */
    public abstract String mountPath();

    /** Returns the path inside the volume to mount instead of its root, if any. */
    public abstract Optional<String> subPath();

    /** Returns whether the mount is read-only. */
    @Value.Default
    public boolean readOnly() {
        return false;
    }

    /**
     * A read-write mount of {@code volume} at {@code mountPath}.
     *
     * @param volume the pod volume's name
     * @param mountPath the absolute path in the container
     * @return the mount
     */
    public static VolumeMount of(String volume, String mountPath) {
        return ImmutableVolumeMount.builder()
                .volume(volume)
                .mountPath(mountPath)
                .build();
    }

    /** Returns a read-only copy. */
    public VolumeMount asReadOnly() {
        return ImmutableVolumeMount.builder().from(this).readOnly(true).build();
    }

    /**
     * Returns a copy that mounts {@code subPath} of the volume.
     *
     * @param subPath a relative path inside the volume
     * @return the copy
     */
    public VolumeMount withSubPath(String subPath) {
        return ImmutableVolumeMount.builder().from(this).subPath(subPath).build();
    }
}
