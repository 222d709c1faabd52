package dev.skiff.core;

import java.util.Objects;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An environment variable of a container: a literal value, a key of a Secret or ConfigMap, or a
 * field of the pod.
 *
 * <p>Literal values are redacted from {@link #toString()}, since they often carry tokens.
 *
 * <pre>{@code
 * EnvVar.of("EPOCHS", "10");
 * EnvVar.fromSecret("HF_TOKEN", "hf-credentials", "token");
 * EnvVar.fromConfigMap("DATASET", "training-config", "dataset");
 * EnvVar.fromField("POD_NAME", "metadata.name");
 * }</pre>
 */
@Value.Immutable
public abstract class EnvVar {
    EnvVar() {}

    /** Where the value comes from. */
    public enum Source {
        /** A literal value. */
        VALUE,
        /** A key of a Secret. */
        SECRET,
        /** A key of a ConfigMap. */
        CONFIG_MAP,
        /** A field of the pod, such as {@code metadata.name}. */
        FIELD
    }

    /** Returns the variable's name. */
    public abstract String name();

    /** Returns where the value comes from. */
    public abstract Source source();

    /** Returns the literal value, for {@link Source#VALUE}. */
    @Value.Redacted
    public abstract Optional<String> value();

    /** Returns the Secret or ConfigMap name, for {@link Source#SECRET} and {@link Source#CONFIG_MAP}. */
    public abstract Optional<String> sourceName();

    /** Returns the key in the Secret or ConfigMap. */
    public abstract Optional<String> key();

    /** Returns the pod field path, for {@link Source#FIELD}. */
    public abstract Optional<String> fieldPath();

    /** Returns whether a missing Secret, ConfigMap or key is tolerated. */
    @Value.Default
    public boolean optional() {
        return false;
    }

    /**
     * A literal variable.
     *
     * @param name the variable's name
     * @param value its value
     * @return the variable
     */
    public static EnvVar of(String name, String value) {
        return ImmutableEnvVar.builder()
                .name(name)
                .source(Source.VALUE)
                .value(Objects.requireNonNull(value, "value"))
                .build();
    }

    /**
     * A variable read from a key of a Secret.
     *
     * @param name the variable's name
     * @param secret the Secret's name
     * @param key the key in the Secret
     * @return the variable
     */
    public static EnvVar fromSecret(String name, String secret, String key) {
        return ImmutableEnvVar.builder()
                .name(name)
                .source(Source.SECRET)
                .sourceName(secret)
                .key(key)
                .build();
    }

    /**
     * A variable read from a key of a ConfigMap.
     *
     * @param name the variable's name
     * @param configMap the ConfigMap's name
     * @param key the key in the ConfigMap
     * @return the variable
     */
    public static EnvVar fromConfigMap(String name, String configMap, String key) {
        return ImmutableEnvVar.builder()
                .name(name)
                .source(Source.CONFIG_MAP)
                .sourceName(configMap)
                .key(key)
                .build();
    }

    /**
     * A variable read from a field of the pod (the downward API), such as {@code metadata.name},
     * {@code metadata.namespace}, {@code spec.nodeName} or {@code status.podIP}.
     *
     * @param name the variable's name
     * @param fieldPath the field path
     * @return the variable
     */
    public static EnvVar fromField(String name, String fieldPath) {
        return ImmutableEnvVar.builder()
                .name(name)
                .source(Source.FIELD)
                .fieldPath(fieldPath)
                .build();
    }

    /**
     * Returns a copy that tolerates a missing Secret, ConfigMap or key.
     *
     * @return the copy
     */
    public EnvVar asOptional() {
        return ImmutableEnvVar.builder().from(this).optional(true).build();
    }
}
