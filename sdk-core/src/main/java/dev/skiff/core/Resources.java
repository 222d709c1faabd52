package dev.skiff.core;

import java.util.Objects;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * CPU, memory and ephemeral-storage requests and limits of a container.
 *
 * <p>Quantities use Kubernetes' syntax ({@code "500m"}, {@code "8"}, {@code "64Gi"}). Skiff's
 * defaults suit batch AI work: {@link #cpu(String)} sets a CPU <em>request</em> without a limit (a
 * CPU limit throttles data loaders), and {@link #memory(String)} sets memory request and limit to
 * the same value, so a pod is never OOM-killed for using what it asked for. Extended resources such
 * as GPUs are added by traits, for example {@code Gpu} from {@code skiff-gpu}.
 *
 * <pre>{@code
 * Resources r = Resources.cpu("8").memory("64Gi");
 * Resources capped = r.withCpuLimit("16");
 * }</pre>
 */
@Value.Immutable
public abstract class Resources {
    private static final Resources NONE = builder().build();

    Resources() {}

    /** Returns the CPU request, such as {@code "8"} or {@code "500m"}. */
    public abstract Optional<String> cpuRequest();

    /** Returns the CPU limit, if any. */
    public abstract Optional<String> cpuLimit();

    /** Returns the memory request, such as {@code "64Gi"}. */
    public abstract Optional<String> memoryRequest();

    /** Returns the memory limit, if any. */
    public abstract Optional<String> memoryLimit();

    /** Returns the ephemeral-storage request, if any. */
    public abstract Optional<String> ephemeralStorageRequest();

    /** Returns resources that request nothing. */
    public static Resources none() {
        return NONE;
    }

    /**
     * Returns resources with a CPU request and no CPU limit.
     *
     * @param quantity a Kubernetes quantity such as {@code "8"} or {@code "1500m"}
     * @return the resources
     */
    public static Resources cpu(String quantity) {
        return builder()
                .cpuRequest(Objects.requireNonNull(quantity, "quantity"))
                .build();
    }

    /**
     * Returns resources with a CPU request, and a memory request and limit of the same size.
     *
     * @param cpu the CPU request
     * @param memory the memory request and limit
     * @return the resources
     */
    public static Resources of(String cpu, String memory) {
        return cpu(cpu).memory(memory);
    }

    /**
     * Returns a copy whose memory request and limit are both {@code quantity}.
     *
     * @param quantity a Kubernetes quantity such as {@code "64Gi"}
     * @return the copy
     */
    public Resources memory(String quantity) {
        Objects.requireNonNull(quantity, "quantity");
        return toBuilder().memoryRequest(quantity).memoryLimit(quantity).build();
    }

    /**
     * Returns a copy with the given CPU request.
     *
     * @param quantity the CPU request
     * @return the copy
     */
    public Resources withCpu(String quantity) {
        return toBuilder()
                .cpuRequest(Objects.requireNonNull(quantity, "quantity"))
                .build();
    }

    /**
     * Returns a copy with a CPU limit.
     *
     * @param quantity the CPU limit
     * @return the copy
     */
    public Resources withCpuLimit(String quantity) {
        return toBuilder()
                .cpuLimit(Objects.requireNonNull(quantity, "quantity"))
                .build();
    }

    /**
     * Returns a copy with a memory limit different from the request.
     *
     * @param quantity the memory limit
     * @return the copy
     */
    public Resources withMemoryLimit(String quantity) {
        return toBuilder()
                .memoryLimit(Objects.requireNonNull(quantity, "quantity"))
                .build();
    }

    /**
     * Returns a copy with an ephemeral-storage request.
     *
     * @param quantity the request, such as {@code "100Gi"}
     * @return the copy
     */
    public Resources withEphemeralStorage(String quantity) {
        return toBuilder()
                .ephemeralStorageRequest(Objects.requireNonNull(quantity, "quantity"))
                .build();
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised from this value. */
    public Builder toBuilder() {
        return builder().from(this);
    }

    /** Builds {@link Resources}. */
    public static final class Builder extends ImmutableResources.Builder {
        Builder() {}
    }
}
