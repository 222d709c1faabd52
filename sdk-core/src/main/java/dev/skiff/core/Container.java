package dev.skiff.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A container of a workload's pods: an image, what to run, its environment, ports, resources,
 * mounts and probes.
 *
 * <p>Start from {@link #of(String)} and refine with the {@code with...} copies; every copy is a new
 * immutable value. Without an explicit {@linkplain #withName(String) name} the container is named
 * after its image ({@code ghcr.io/acme/trainer:1.4} becomes {@code trainer}).
 *
 * <pre>{@code
 * Container trainer = Container.of("ghcr.io/acme/trainer:1.4")
 *     .withArgs("--epochs", "10")
 *     .withEnv("WANDB_PROJECT", "resnet")
 *     .withEnv(EnvVar.fromSecret("HF_TOKEN", "hf-credentials", "token"))
 *     .withResources(Resources.cpu("8").memory("64Gi"))
 *     .withVolumeMount("data", "/data");
 * }</pre>
 */
@Value.Immutable
public abstract class Container {
    Container() {}

    /** The image pull policies. */
    public enum PullPolicy {
        /** Always pull. */
        ALWAYS("Always"),
        /** Pull only when the image is not on the node. */
        IF_NOT_PRESENT("IfNotPresent"),
        /** Never pull. */
        NEVER("Never");

        private final String wire;

        PullPolicy(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** Returns the image reference, such as {@code ghcr.io/acme/trainer:1.4}. */
    public abstract String image();

    /** Returns the container's name, if one was given; otherwise it is derived from the image. */
    public abstract Optional<String> name();

    /** Returns the entrypoint, replacing the image's; empty keeps the image's. */
    public abstract List<String> command();

    /** Returns the arguments, replacing the image's; empty keeps the image's. */
    public abstract List<String> args();

    /** Returns the environment variables, in order. */
    public abstract List<EnvVar> env();

    /** Returns the ports the container listens on. */
    public abstract List<Port> ports();

    /** Returns the resources the container requests. */
    @Value.Default
    public Resources resources() {
        return Resources.none();
    }

    /** Returns the volume mounts. */
    public abstract List<VolumeMount> volumeMounts();

    /** Returns the readiness probe, if any. */
    public abstract Optional<Probe> readinessProbe();

    /** Returns the liveness probe, if any. */
    public abstract Optional<Probe> livenessProbe();

    /** Returns the startup probe, if any. */
    public abstract Optional<Probe> startupProbe();

    /** Returns the working directory, if set. */
    public abstract Optional<String> workingDir();

    /** Returns the image pull policy, if set; Kubernetes derives one from the tag otherwise. */
    public abstract Optional<PullPolicy> imagePullPolicy();

    /**
     * A container running {@code image} with its own entrypoint.
     *
     * @param image the image reference
     * @return the container
     */
    public static Container of(String image) {
        return builder().image(Objects.requireNonNull(image, "image")).build();
    }

    /**
     * Returns a copy named {@code name} (a DNS label, unique in the pod).
     *
     * @param name the container's name
     * @return the copy
     */
    public Container withName(String name) {
        return toBuilder().name(name).build();
    }

    /**
     * Returns a copy whose arguments are {@code args}, replacing any set before.
     *
     * @param args the arguments
     * @return the copy
     */
    public Container withArgs(String... args) {
        return toBuilder().args(Arrays.asList(args)).build();
    }

    /**
     * Returns a copy whose arguments are {@code args}, replacing any set before.
     *
     * @param args the arguments
     * @return the copy
     */
    public Container withArgs(List<String> args) {
        return toBuilder().args(args).build();
    }

    /**
     * Returns a copy whose command is {@code command}, replacing the image's entrypoint.
     *
     * @param command the command and its leading arguments
     * @return the copy
     */
    public Container withCommand(String... command) {
        return toBuilder().command(Arrays.asList(command)).build();
    }

    /**
     * Returns a copy with a literal environment variable; a variable of the same name is replaced.
     *
     * @param name the variable's name
     * @param value its value
     * @return the copy
     */
    public Container withEnv(String name, String value) {
        return withEnv(EnvVar.of(name, value));
    }

    /**
     * Returns a copy with {@code vars} added; variables of the same names are replaced in place.
     *
     * @param vars the variables
     * @return the copy
     */
    public Container withEnv(EnvVar... vars) {
        List<EnvVar> merged = new ArrayList<>(env());
        for (EnvVar v : vars) {
            Objects.requireNonNull(v, "vars");
            boolean replaced = false;
            for (int i = 0; i < merged.size(); i++) {
                if (merged.get(i).name().equals(v.name())) {
                    merged.set(i, v);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) {
                merged.add(v);
            }
        }
        return toBuilder().env(merged).build();
    }

    /**
     * Returns a copy requesting {@code resources}, replacing those set before.
     *
     * @param resources the resources
     * @return the copy
     */
    public Container withResources(Resources resources) {
        return toBuilder().resources(resources).build();
    }

    /**
     * Returns a copy that also listens on {@code ports}.
     *
     * @param ports the ports
     * @return the copy
     */
    public Container withPorts(Port... ports) {
        return toBuilder().addPorts(ports).build();
    }

    /**
     * Returns a copy that also listens on TCP {@code port}.
     *
     * @param port the port number
     * @return the copy
     */
    public Container withPort(int port) {
        return withPorts(Port.of(port));
    }

    /**
     * Returns a copy that mounts pod volume {@code volume} at {@code mountPath}.
     *
     * @param volume the pod volume's name
     * @param mountPath the absolute path in the container
     * @return the copy
     */
    public Container withVolumeMount(String volume, String mountPath) {
        return withVolumeMounts(VolumeMount.of(volume, mountPath));
    }

    /**
     * Returns a copy with {@code mounts} added.
     *
     * @param mounts the mounts
     * @return the copy
     */
    public Container withVolumeMounts(VolumeMount... mounts) {
        return toBuilder().addVolumeMounts(mounts).build();
    }

    /**
     * Returns a copy with a readiness probe.
     *
     * @param probe the probe
     * @return the copy
     */
    public Container withReadinessProbe(Probe probe) {
        return toBuilder().readinessProbe(probe).build();
    }

    /**
     * Returns a copy with a liveness probe.
     *
     * @param probe the probe
     * @return the copy
     */
    public Container withLivenessProbe(Probe probe) {
        return toBuilder().livenessProbe(probe).build();
    }

    /**
     * Returns a copy with a startup probe.
     *
     * @param probe the probe
     * @return the copy
     */
    public Container withStartupProbe(Probe probe) {
        return toBuilder().startupProbe(probe).build();
    }

    /**
     * Returns a copy running in {@code workingDir}.
     *
     * @param workingDir an absolute path in the container
     * @return the copy
     */
    public Container withWorkingDir(String workingDir) {
        return toBuilder().workingDir(workingDir).build();
    }

    /**
     * Returns a copy with an explicit image pull policy.
     *
     * @param policy the policy
     * @return the copy
     */
    public Container withImagePullPolicy(PullPolicy policy) {
        return toBuilder().imagePullPolicy(policy).build();
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised from this value. */
    public Builder toBuilder() {
        return builder().from(this);
    }

    /** Builds {@link Container}. */
    public static final class Builder extends ImmutableContainer.Builder {
        Builder() {}
    }
}
