package dev.skiff.core;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A volume of a pod: scratch space, memory-backed space, a PersistentVolumeClaim, a ConfigMap or a
 * Secret. Containers see it through a {@link VolumeMount}.
 *
 * <pre>{@code
 * Volume.emptyDir("scratch");
 * Volume.memory("dshm", "16Gi");              // tmpfs, counts toward the memory limit
 * Volume.persistentClaim("data", "imagenet");
 * Volume.configMap("config", "training-config");
 * Volume.secret("creds", "s3-credentials");
 * }</pre>
 */
@Value.Immutable
public abstract class Volume {
    Volume() {}

    /** The kinds of volume Skiff renders. */
    public enum Type {
        /** An {@code emptyDir} on the node's disk. */
        EMPTY_DIR,
        /** An {@code emptyDir} with {@code medium: Memory}. */
        MEMORY,
        /** A {@code persistentVolumeClaim}. */
        PERSISTENT_CLAIM,
        /** A {@code configMap}. */
        CONFIG_MAP,
        /** A {@code secret}. */
        SECRET
    }

    /** Returns the volume's name in the pod (a DNS label). */
    public abstract String name();

    /** Returns the volume's type. */
    public abstract Type type();

    /** Returns the claim, ConfigMap or Secret name, for the types that refer to one. */
    public abstract Optional<String> source();

    /** Returns the size limit of an {@code emptyDir}, such as {@code "16Gi"}. */
    public abstract Optional<String> sizeLimit();

    /** Returns whether a persistent claim is mounted read-only at the volume level. */
    @Value.Default
    public boolean readOnly() {
        return false;
    }

    /**
     * Scratch space on the node's disk, deleted with the pod.
     *
     * @param name the volume's name
     * @return the volume
     */
    public static Volume emptyDir(String name) {
        return ImmutableVolume.builder().name(name).type(Type.EMPTY_DIR).build();
    }

    /**
     * Scratch space on the node's disk with a size limit.
     *
     * @param name the volume's name
     * @param sizeLimit the most it may hold, such as {@code "100Gi"}
     * @return the volume
     */
    public static Volume emptyDir(String name, String sizeLimit) {
        return ImmutableVolume.builder()
                .name(name)
                .type(Type.EMPTY_DIR)
                .sizeLimit(sizeLimit)
                .build();
    }

    /**
     * Memory-backed scratch space (tmpfs), as PyTorch data loaders need for {@code /dev/shm}. What
     * it holds counts toward the container's memory limit.
     *
     * @param name the volume's name
     * @param sizeLimit the most it may hold, such as {@code "16Gi"}
     * @return the volume
     */
    public static Volume memory(String name, String sizeLimit) {
        return ImmutableVolume.builder()
                .name(name)
                .type(Type.MEMORY)
                .sizeLimit(sizeLimit)
                .build();
    }

    /**
     * A PersistentVolumeClaim that already exists in the namespace.
     *
     * @param name the volume's name
     * @param claimName the claim's name
     * @return the volume
     */
    public static Volume persistentClaim(String name, String claimName) {
        return ImmutableVolume.builder()
                .name(name)
                .type(Type.PERSISTENT_CLAIM)
                .source(claimName)
                .build();
    }

    /**
     * The keys of a ConfigMap as files.
     *
     * @param name the volume's name
     * @param configMap the ConfigMap's name
     * @return the volume
     */
    public static Volume configMap(String name, String configMap) {
        return ImmutableVolume.builder()
                .name(name)
                .type(Type.CONFIG_MAP)
                .source(configMap)
                .build();
    }

    /**
     * The keys of a Secret as files.
     *
     * @param name the volume's name
     * @param secret the Secret's name
     * @return the volume
     */
    public static Volume secret(String name, String secret) {
        return ImmutableVolume.builder()
                .name(name)
                .type(Type.SECRET)
                .source(secret)
                .build();
    }

    /** Returns a copy that is read-only (meaningful for persistent claims). */
    public Volume asReadOnly() {
        return ImmutableVolume.builder().from(this).readOnly(true).build();
    }
}
