package dev.skiff.gpu;

import dev.skiff.core.NodeRequirement;
import dev.skiff.core.RenderContext;
import dev.skiff.core.Toleration;
import dev.skiff.core.Trait;
import dev.skiff.core.Volume;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * Whole GPUs for a workload's main container: a {@link Trait}.
 *
 * <p>The GPUs are rendered as the vendor's extended resource in {@code limits} and {@code
 * requests} (equal, as Kubernetes requires), with an {@code Exists} toleration for the vendor's
 * usual {@code NoSchedule} taint. {@link #model(String...)} restricts the pods to nodes whose GPU
 * Feature Discovery product label names one of the models; {@link #withSharedMemory(String)}
 * mounts a memory-backed {@code /dev/shm}, which PyTorch data loaders need.
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("finetune")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4"))
 *     .addTraits(Gpu.nvidia(8).model("H100", "A100-80GB").withSharedMemory("64Gi"))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Gpu implements Trait {
    /** The node label GPU Feature Discovery sets to the GPU's product name. */
    public static final String PRODUCT_LABEL = "nvidia.com/gpu.product";

    Gpu() {}

    /** Returns the extended resource name, such as {@code nvidia.com/gpu}. */
    public abstract String resource();

    /** Returns how many GPUs each pod gets. */
    public abstract int count();

    /** Returns the accepted models; any model when empty. */
    public abstract List<GpuModel> models();

    /** Returns the size of a memory-backed {@code /dev/shm}, if one is mounted. */
    public abstract Optional<String> sharedMemory();

    @Value.Check
    void check() {
        if (count() < 1) {
            throw new IllegalArgumentException("GPU count must be >= 1, but was " + count());
        }
        if (!models().isEmpty() && !resource().equals("nvidia.com/gpu")) {
            throw new IllegalArgumentException(
                    "GPU models can only be chosen for nvidia.com/gpu, but the resource is " + resource());
        }
    }

    /**
     * {@code count} whole NVIDIA GPUs ({@code nvidia.com/gpu}).
     *
     * @param count at least 1
     * @return the trait
     */
    public static Gpu nvidia(int count) {
        return of("nvidia.com/gpu", count);
    }

    /**
     * {@code count} whole AMD GPUs ({@code amd.com/gpu}).
     *
     * @param count at least 1
     * @return the trait
     */
    public static Gpu amd(int count) {
        return of("amd.com/gpu", count);
    }

    /**
     * {@code count} whole Intel GPUs ({@code gpu.intel.com/i915}).
     *
     * @param count at least 1
     * @return the trait
     */
    public static Gpu intel(int count) {
        return of("gpu.intel.com/i915", count);
    }

    /**
     * {@code count} units of any device plugin's extended resource, such as {@code habana.ai/gaudi}.
     *
     * @param resource the extended resource name
     * @param count at least 1
     * @return the trait
     */
    public static Gpu of(String resource, int count) {
        return ImmutableGpu.builder().resource(resource).count(count).build();
    }

    /**
     * Returns a copy that runs only on nodes with one of {@code names} ({@code H100}, {@code
     * A100-80GB}, ... see {@link GpuModel}).
     *
     * @param names canonical model names
     * @return the copy
     * @throws IllegalArgumentException if a name is unknown; the message lists the known ones
     */
    public Gpu model(String... names) {
        List<GpuModel> models = new ArrayList<>();
        for (String n : names) {
            models.add(GpuModel.named(n));
        }
        return ImmutableGpu.builder().from(this).models(models).build();
    }

    /**
     * Returns a copy that mounts a memory-backed {@code /dev/shm} of {@code size} in the main
     * container; it counts toward the container's memory limit.
     *
     * @param size a quantity such as {@code "16Gi"}
     * @return the copy
     */
    public Gpu withSharedMemory(String size) {
        return ImmutableGpu.builder().from(this).sharedMemory(size).build();
    }

    /** Adds the GPUs, toleration, node affinity and {@code /dev/shm} to the rendered pods. */
    @Override
    public void apply(RenderContext context) {
        List<Container> containers = context.containers();
        if (containers.isEmpty()) {
            return;
        }
        Container main = containers.get(0);
        if (main.getResources() == null) {
            main.setResources(new ResourceRequirements());
        }
        ResourceRequirements resources = main.getResources();
        if (resources.getLimits() == null) {
            resources.setLimits(new LinkedHashMap<>());
        }
        if (resources.getRequests() == null) {
            resources.setRequests(new LinkedHashMap<>());
        }
        Quantity quantity = new Quantity(Integer.toString(count()));
        resources.getLimits().put(resource(), quantity);
        resources.getRequests().put(resource(), quantity);
        context.addToleration(Toleration.exists(resource()).withEffect(Toleration.Effect.NO_SCHEDULE));
        if (!models().isEmpty()) {
            Set<String> labels = new LinkedHashSet<>();
            for (GpuModel m : models()) {
                labels.addAll(m.productLabels());
            }
            context.requireNodeLabel(NodeRequirement.in(PRODUCT_LABEL, labels.toArray(new String[0])));
        }
        sharedMemory().ifPresent(size -> {
            if (context.addVolume(Volume.memory("dshm", size))) {
                if (main.getVolumeMounts() == null) {
                    main.setVolumeMounts(new ArrayList<>());
                }
                VolumeMount mount = new VolumeMount();
                mount.setName("dshm");
                mount.setMountPath("/dev/shm");
                main.getVolumeMounts().add(mount);
            }
        });
    }
}
