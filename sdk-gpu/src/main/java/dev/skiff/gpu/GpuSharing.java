package dev.skiff.gpu;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.immutables.value.Value;

/**
 * How a workload shares GPUs with others, for {@link Gpu#shared(GpuSharing)}: one request (a
 * time-sliced GPU, a fraction of a GPU, or an amount of GPU memory), rendered for a named {@link
 * Target}, the software in the cluster that provides the sharing.
 *
 * <pre>{@code
 * Gpu.nvidia(1).shared(GpuSharing.timeSliced());                              // nvidia.com/gpu.shared
 * Gpu.nvidia(1).shared(GpuSharing.timeSliced().on(GpuSharing.Target.TIME_SLICING_LABEL));
 * Gpu.nvidia(1).shared(GpuSharing.fraction(0.5).on(GpuSharing.Target.KAI).inQueue("team-a"));
 * Gpu.nvidia(1).shared(GpuSharing.memory("8Gi").on(GpuSharing.Target.HAMI));
 * }</pre>
 *
 * <h2>Renderings</h2>
 *
 * <ul>
 *   <li>{@link Target#TIME_SLICING}: the device plugin's time-slicing with {@code renameByDefault:
 *       true}; the GPUs are the extended resource {@code nvidia.com/gpu.shared}.
 *   <li>{@link Target#TIME_SLICING_LABEL}: time-slicing without renaming; the GPUs stay {@code
 *       nvidia.com/gpu} and the pods require the {@code -SHARED} product label (or, without a
 *       model, {@code nvidia.com/gpu.replicas > 1}).
 *   <li>{@link Target#KAI}: the KAI scheduler; {@code schedulerName: kai-scheduler}, the annotation
 *       {@code gpu-fraction} (or {@code gpu-memory}, in MiB), {@code gpu-fraction-num-devices} for
 *       more than one GPU, and the queue label {@code kai.scheduler/queue}. No extended resource.
 *   <li>{@link Target#HAMI}: HAMi; {@code nvidia.com/gpu} with {@code nvidia.com/gpumem} (MiB) for
 *       memory, or {@code nvidia.com/gpumem-percentage} and {@code nvidia.com/gpucores} (both the
 *       fraction in percent) for a fraction. HAMi's webhook picks its scheduler.
 * </ul>
 */
@Value.Immutable
public abstract class GpuSharing {
    GpuSharing() {}

    /** The software that provides the sharing; it decides how the request is rendered. */
    public enum Target {
        /** NVIDIA device plugin time-slicing, renamed: {@code nvidia.com/gpu.shared}. */
        TIME_SLICING,
        /** NVIDIA device plugin time-slicing, not renamed: the {@code -SHARED} product label. */
        TIME_SLICING_LABEL,
        /** The KAI scheduler's fractional GPUs. */
        KAI,
        /** HAMi's fractional GPUs. */
        HAMI
    }

    /** Returns the fraction of a GPU each pod gets, for a fractional request. */
    public abstract OptionalDouble fraction();

    /** Returns the GPU memory each pod gets, for a memory request. */
    public abstract Optional<DataSize> memory();

    /** Returns where the request is rendered for, if chosen; time-slicing defaults to {@link Target#TIME_SLICING}. */
    public abstract Optional<Target> target();

    /** Returns the KAI queue, for {@link Target#KAI}. */
    public abstract Optional<String> queue();

    /** Returns whether this is a whole, time-sliced GPU rather than a fraction or an amount of memory. */
    public boolean isTimeSliced() {
        return fraction().isEmpty() && memory().isEmpty();
    }

    @Value.Check
    void check() {
        if (fraction().isPresent() && memory().isPresent()) {
            throw new IllegalArgumentException("GPU sharing asks for a fraction or for memory, not both");
        }
        if (fraction().isPresent()) {
            double f = fraction().getAsDouble();
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("GPU fraction must be > 0 and < 1, but was " + f);
            }
        }
        Target t = target().orElse(null);
        if (isTimeSliced() && (t == Target.KAI || t == Target.HAMI)) {
            throw new IllegalArgumentException("GPU sharing target for a time-sliced GPU must be TIME_SLICING or"
                    + " TIME_SLICING_LABEL, but was " + t + "; for " + t + " ask for a fraction or for memory");
        }
        if (!isTimeSliced() && (t == Target.TIME_SLICING || t == Target.TIME_SLICING_LABEL)) {
            throw new IllegalArgumentException("GPU sharing target for a "
                    + (fraction().isPresent() ? "fraction" : "memory")
                    + " request must be KAI or HAMI, but was " + t
                    + "; time-slicing shares whole GPUs (GpuSharing.timeSliced())");
        }
        if (queue().isPresent() && t != Target.KAI) {
            throw new IllegalArgumentException("GPU sharing queue is a KAI queue, so the target must be KAI, but was "
                    + (t == null ? "not chosen" : t));
        }
    }

    /**
     * A whole GPU time-sliced with other pods, rendered for {@link Target#TIME_SLICING} unless
     * {@link #on(Target)} chooses {@link Target#TIME_SLICING_LABEL}.
     *
     * @return the request
     */
    public static GpuSharing timeSliced() {
        return ImmutableGpuSharing.builder().build();
    }

    /**
     * A fraction of a GPU's memory (and, with HAMi, of its compute); choose the target with {@link
     * #on(Target)}.
     *
     * @param fraction more than 0 and less than 1, such as {@code 0.5}
     * @return the request
     * @throws IllegalArgumentException if {@code fraction} is out of range
     */
    public static GpuSharing fraction(double fraction) {
        return ImmutableGpuSharing.builder().fraction(fraction).build();
    }

    /**
     * An amount of a GPU's memory; choose the target with {@link #on(Target)}.
     *
     * @param memory such as {@code "8Gi"}
     * @return the request
     * @throws IllegalArgumentException if {@code memory} is not a positive quantity
     */
    public static GpuSharing memory(String memory) {
        return memory(DataSize.parse(memory));
    }

    /**
     * An amount of a GPU's memory; choose the target with {@link #on(Target)}.
     *
     * @param memory the memory
     * @return the request
     */
    public static GpuSharing memory(DataSize memory) {
        return ImmutableGpuSharing.builder()
                .memory(Objects.requireNonNull(memory, "memory"))
                .build();
    }

    /**
     * Returns a copy rendered for {@code target}.
     *
     * @param target the software that provides the sharing
     * @return the copy
     * @throws IllegalArgumentException if the target cannot serve this request
     */
    public GpuSharing on(Target target) {
        return ImmutableGpuSharing.builder()
                .from(this)
                .target(Objects.requireNonNull(target, "target"))
                .build();
    }

    /**
     * Returns a copy whose pods join KAI queue {@code queue} (the {@code kai.scheduler/queue} label);
     * choose the target first: {@code GpuSharing.fraction(0.5).on(Target.KAI).inQueue("team-a")}.
     *
     * @param queue the queue's name
     * @return the copy
     * @throws IllegalArgumentException if the target is not {@link Target#KAI}
     */
    public GpuSharing inQueue(String queue) {
        return ImmutableGpuSharing.builder()
                .from(this)
                .queue(Objects.requireNonNull(queue, "queue"))
                .build();
    }
}
