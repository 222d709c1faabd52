package dev.skiff.gpu;

import dev.skiff.core.NodeRequirement;
import dev.skiff.core.RenderContext;
import dev.skiff.core.Toleration;
import dev.skiff.core.Trait;
import dev.skiff.core.Volume;
import dev.skiff.gpu.GpuModel.Vendor;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.immutables.value.Value;
import org.jspecify.annotations.Nullable;

/**
 * GPUs for a workload's main container: a {@link Trait}.
 *
 * <p>Whole GPUs are rendered as the vendor's extended resource in {@code limits} and {@code
 * requests} (equal, as Kubernetes requires), with an {@code Exists} toleration for the vendor's
 * usual {@code NoSchedule} taint. The rest narrows or reshapes the request:
 *
 * <ul>
 *   <li>{@link #model(String...)}: only nodes with one of these models ({@link GpuModel}), as
 *       required node affinity. Node affinity compares exact values, so each model is matched by
 *       every spelling GPU Feature Discovery writes to {@code nvidia.com/gpu.product} (the
 *       {@code -SHARED} suffix included; {@code -MIG-<profile>} spellings only for {@link #mig
 *       MIG requests}, since on a single-strategy MIG node {@code nvidia.com/gpu} is a slice) in
 *       one node selector term, and by
 *       GKE's {@code cloud.google.com/gke-accelerator} in another; terms are ORed, and any node
 *       affinity already there is kept in each. AMD models match {@code amd.com/gpu.device-id}.
 *   <li>{@link #minMemory(String)}: GPU memory of at least that much: {@code nvidia.com/gpu.memory}
 *       (MiB) greater than the size less one MiB, or, on GKE and for AMD, the catalog models with
 *       that much memory.
 *   <li>{@link #mig(String, int)}: MIG slices instead of whole GPUs.
 *   <li>{@link #shared(GpuSharing)}: time-sliced or fractional GPUs.
 *   <li>{@link #viaDra()}: a DRA {@code ResourceClaimTemplate} instead of the extended resource.
 *   <li>{@link #withSharedMemory(String)}: a memory-backed {@code /dev/shm}, which PyTorch data
 *       loaders need.
 * </ul>
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("finetune")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4"))
 *     .addTraits(Gpu.nvidia(8).model("H100", "A100-80GB").withSharedMemory("64Gi"))
 *     .build();
 *
 * Gpu.nvidia(1).minMemory("40Gi");                                    // any GPU with >= 40 GiB
 * Gpu.nvidia(2).mig("1g.10gb", 2).model("A100-80GB");                 // nvidia.com/mig-1g.10gb: 2
 * Gpu.nvidia(1).shared(GpuSharing.fraction(0.5).on(GpuSharing.Target.KAI));
 * Gpu.nvidia(4).model("H100").viaDra();                               // a ResourceClaimTemplate
 * }</pre>
 *
 * <p>Invalid combinations are refused when the value is built, with an {@link
 * IllegalArgumentException} naming the field, the value and the rule. Immutable and thread-safe.
 */
@Value.Immutable
public abstract class Gpu implements Trait {
    /** The node label GPU Feature Discovery sets to the GPU's product name. */
    public static final String PRODUCT_LABEL = "nvidia.com/gpu.product";
    /** The node label GPU Feature Discovery sets to the memory of one GPU, in MiB. */
    public static final String MEMORY_LABEL = "nvidia.com/gpu.memory";
    /** The node label GPU Feature Discovery sets to the time-slicing replicas of each GPU. */
    public static final String REPLICAS_LABEL = "nvidia.com/gpu.replicas";
    /** The node label GKE sets to the accelerator type of a GPU node. */
    public static final String GKE_ACCELERATOR_LABEL = "cloud.google.com/gke-accelerator";
    /** The node label AMD's node labeller sets to the GPU's PCI device id. */
    public static final String AMD_DEVICE_ID_LABEL = "amd.com/gpu.device-id";
    /** The DeviceClass of NVIDIA's DRA driver. */
    public static final String NVIDIA_DEVICE_CLASS = "gpu.nvidia.com";

    private static final String NVIDIA = "nvidia.com/gpu";
    private static final String AMD = "amd.com/gpu";
    private static final String CLAIM = "gpu";

    Gpu() {}

    /** Returns the extended resource name of whole GPUs, such as {@code nvidia.com/gpu}. */
    public abstract String resource();

    /** Returns how many GPUs (or MIG slices, or shared GPUs) each pod gets. */
    public abstract int count();

    /** Returns the accepted models; any model when empty. */
    public abstract List<GpuModel> models();

    /** Returns the size of a memory-backed {@code /dev/shm}, if one is mounted. */
    public abstract Optional<String> sharedMemory();

    /** Returns the least memory each GPU must have, if required. */
    public abstract Optional<DataSize> minMemory();

    /** Returns the MIG profile, such as {@code 1g.10gb}, when MIG slices are requested. */
    public abstract Optional<String> migProfile();

    /** Returns how the cluster advertises MIG slices; {@link MigStrategy#MIXED} unless told otherwise. */
    @Value.Default
    public MigStrategy migStrategy() {
        return MigStrategy.MIXED;
    }

    /** Returns how the GPUs are shared, if they are. */
    public abstract Optional<GpuSharing> sharing();

    /** Returns whether the GPUs are claimed through DRA rather than the extended resource. */
    @Value.Default
    public boolean dra() {
        return false;
    }

    @Value.Check
    void check() {
        if (count() < 1) {
            throw new IllegalArgumentException("GPU count must be >= 1, but was " + count());
        }
        Vendor vendor = vendor();
        for (GpuModel m : models()) {
            if (m.vendor() != vendor) {
                throw new IllegalArgumentException("GPU model " + m.canonicalName() + " is an " + m.vendor()
                        + " GPU, so the resource must be " + m.vendor().resource() + ", but was " + resource());
            }
        }
        minMemory().ifPresent(this::checkMinMemory);
        migProfile().ifPresent(this::checkMig);
        sharing().ifPresent(this::checkSharing);
        if (dra()) {
            if (vendor != Vendor.NVIDIA) {
                throw new IllegalArgumentException("GPU viaDra needs NVIDIA GPUs (DeviceClass " + NVIDIA_DEVICE_CLASS
                        + "), but the resource is " + resource());
            }
            if (migProfile().isPresent() || sharing().isPresent()) {
                throw new IllegalArgumentException("GPU viaDra claims whole GPUs, so it cannot be combined with "
                        + (migProfile().isPresent() ? "mig" : "shared"));
            }
        }
    }

    private void checkMinMemory(DataSize min) {
        Vendor vendor = vendor();
        if (vendor == null) {
            throw new IllegalArgumentException("GPU minMemory needs NVIDIA (nvidia.com/gpu) or AMD (amd.com/gpu) GPUs,"
                    + " but the resource is " + resource());
        }
        long mib = min.toMebibytes();
        if (!models().isEmpty()) {
            boolean any = models().stream().anyMatch(m -> m.largestMemoryMiB() >= mib);
            if (!any) {
                throw new IllegalArgumentException("GPU minMemory must be at most the memory of a chosen model ("
                        + models().stream()
                                .map(m -> m.canonicalName() + ": " + m.largestMemoryMiB() + " MiB")
                                .collect(Collectors.joining(", "))
                        + "), but was " + min + " (" + mib + " MiB)");
            }
        } else if (vendor == Vendor.AMD && amdDeviceIds().isEmpty()) {
            throw new IllegalArgumentException(
                    "GPU minMemory must be at most the memory of a known AMD model (the largest"
                            + " has "
                            + GpuModel.of(Vendor.AMD).stream()
                                    .mapToInt(GpuModel::memoryMiB)
                                    .max()
                                    .orElse(0)
                            + " MiB), but was " + min);
        }
        if (migProfile().isPresent()) {
            throw new IllegalArgumentException("GPU minMemory cannot be combined with mig: the profile "
                    + migProfile().get() + " fixes the memory");
        }
    }

    private void checkMig(String profile) {
        if (vendor() != Vendor.NVIDIA) {
            throw new IllegalArgumentException(
                    "GPU mig needs NVIDIA GPUs (nvidia.com/gpu), but the resource is " + resource());
        }
        if (models().isEmpty()) {
            List<String> all = GpuModel.allMigProfiles();
            if (!all.contains(profile)) {
                throw new IllegalArgumentException("GPU mig profile must be one of " + all + " (the profiles of "
                        + GpuModel.migCapableNames() + "), but was \"" + profile + "\"");
            }
        }
        for (GpuModel m : models()) {
            if (m.migProfiles().isEmpty()) {
                throw new IllegalArgumentException("GPU mig is not available on " + m.canonicalName()
                        + ": MIG needs one of " + GpuModel.migCapableNames());
            }
            if (!m.migProfiles().contains(profile)) {
                throw new IllegalArgumentException("GPU mig profile must be one of " + m.migProfiles() + " for "
                        + m.canonicalName() + ", but was \"" + profile + "\"");
            }
        }
        if (sharing().isPresent()) {
            throw new IllegalArgumentException("GPU mig and shared cannot be combined: a MIG slice is already a share");
        }
    }

    private void checkSharing(GpuSharing s) {
        if (vendor() != Vendor.NVIDIA) {
            throw new IllegalArgumentException(
                    "GPU shared needs NVIDIA GPUs (nvidia.com/gpu), but the resource is " + resource());
        }
        if (!s.isTimeSliced() && s.target().isEmpty()) {
            throw new IllegalArgumentException(
                    "GPU shared " + (s.fraction().isPresent() ? "fraction" : "memory")
                            + " needs a target, but none was chosen: call on(GpuSharing.Target.KAI) or on(GpuSharing.Target.HAMI)");
        }
        if (s.target().orElse(null) == GpuSharing.Target.HAMI && s.fraction().isPresent()) {
            double f = s.fraction().getAsDouble();
            if (percent(f) < 1) {
                throw new IllegalArgumentException(
                        "GPU fraction must be >= 0.01 for HAMI (it is rendered in percent)," + " but was " + f);
            }
        }
    }

    private static long percent(double fraction) {
        return Math.round(fraction * 100);
    }

    /**
     * {@code count} whole NVIDIA GPUs ({@code nvidia.com/gpu}).
     *
     * <pre>{@code
     * Gpu.nvidia(8).model("H100");
     * }</pre>
     *
     * @param count at least 1
     * @return the trait
     */
    public static Gpu nvidia(int count) {
        return of(NVIDIA, count);
    }

    /**
     * {@code count} whole AMD GPUs ({@code amd.com/gpu}).
     *
     * <pre>{@code
     * Gpu.amd(4).model("MI300X");
     * }</pre>
     *
     * @param count at least 1
     * @return the trait
     */
    public static Gpu amd(int count) {
        return of(AMD, count);
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
     * <pre>{@code
     * Gpu.of("habana.ai/gaudi", 8);
     * }</pre>
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
     * A100-80GB}, {@code MI300X}, ... see {@link GpuModel}).
     *
     * <pre>{@code
     * Gpu.nvidia(8).model("H100", "H200");
     * }</pre>
     *
     * @param names canonical model names
     * @return the copy
     * @throws IllegalArgumentException if a name is unknown (the message lists the known ones), or
     *     the model does not fit the rest of the request
     */
    public Gpu model(String... names) {
        Objects.requireNonNull(names, "names");
        if (names.length == 0) {
            throw new IllegalArgumentException(
                    "GPU model needs at least one name of " + GpuModel.knownNames() + ", but none was given");
        }
        List<GpuModel> models = new ArrayList<>();
        for (String n : names) {
            models.add(GpuModel.named(n));
        }
        return ImmutableGpu.builder().from(this).models(models).build();
    }

    /**
     * Returns a copy that runs only on GPUs with at least {@code size} of memory.
     *
     * <pre>{@code
     * Gpu.nvidia(1).minMemory("40Gi");
     * }</pre>
     *
     * @param size a quantity such as {@code "40Gi"}
     * @return the copy
     * @throws IllegalArgumentException if {@code size} is not a positive quantity, or no chosen
     *     model has that much memory
     */
    public Gpu minMemory(String size) {
        return minMemory(DataSize.parse(size));
    }

    /**
     * Returns a copy that runs only on GPUs with at least {@code size} of memory.
     *
     * <pre>{@code
     * Gpu.nvidia(1).minMemory(DataSize.ofGibibytes(40));
     * }</pre>
     *
     * @param size the least memory
     * @return the copy
     * @throws IllegalArgumentException if no chosen model has that much memory
     */
    public Gpu minMemory(DataSize size) {
        return ImmutableGpu.builder()
                .from(this)
                .minMemory(Objects.requireNonNull(size, "size"))
                .build();
    }

    /**
     * Returns a copy that asks for {@code count} MIG slices of {@code profile} on a cluster using the
     * {@link MigStrategy#MIXED mixed} strategy: the extended resource {@code nvidia.com/mig-<profile>}.
     *
     * <pre>{@code
     * Gpu.nvidia(1).mig("1g.10gb", 1).model("A100-80GB");
     * }</pre>
     *
     * @param profile a MIG profile such as {@code 1g.10gb}
     * @param count at least 1
     * @return the copy
     * @throws IllegalArgumentException if the profile is not one of the chosen models' (the
     *     message lists the valid ones), or the request is not for NVIDIA GPUs
     */
    public Gpu mig(String profile, int count) {
        return mig(profile, count, MigStrategy.MIXED);
    }

    /**
     * Returns a copy that asks for {@code count} MIG slices of {@code profile}, rendered for the
     * cluster's MIG strategy: {@code nvidia.com/mig-<profile>} for {@link MigStrategy#MIXED}, or
     * {@code nvidia.com/gpu} on nodes whose product label ends in {@code -MIG-<profile>} for {@link
     * MigStrategy#SINGLE}.
     *
     * <pre>{@code
     * Gpu.nvidia(1).mig("3g.40gb", 1, MigStrategy.SINGLE);
     * }</pre>
     *
     * @param profile a MIG profile such as {@code 1g.10gb}
     * @param count at least 1
     * @param strategy the cluster's MIG strategy
     * @return the copy
     * @throws IllegalArgumentException if the profile is not one of the chosen models' (the
     *     message lists the valid ones), or the request is not for NVIDIA GPUs
     */
    public Gpu mig(String profile, int count, MigStrategy strategy) {
        return ImmutableGpu.builder()
                .from(this)
                .migProfile(Objects.requireNonNull(profile, "profile").trim())
                .count(count)
                .migStrategy(Objects.requireNonNull(strategy, "strategy"))
                .build();
    }

    /**
     * Returns a copy whose GPUs are shared with other pods: time-sliced, or a fraction of a GPU
     * through KAI or HAMi (see {@link GpuSharing}). The count is the number of shared GPUs.
     *
     * <pre>{@code
     * Gpu.nvidia(1).model("T4").shared(GpuSharing.timeSliced());
     * Gpu.nvidia(1).shared(GpuSharing.memory("8Gi").on(GpuSharing.Target.HAMI));
     * }</pre>
     *
     * @param sharing how the GPUs are shared
     * @return the copy
     * @throws IllegalArgumentException if a fraction or memory request has no target, or the
     *     request is not for NVIDIA GPUs
     */
    public Gpu shared(GpuSharing sharing) {
        return ImmutableGpu.builder()
                .from(this)
                .sharing(Objects.requireNonNull(sharing, "sharing"))
                .build();
    }

    /**
     * Returns a copy that claims its GPUs through Dynamic Resource Allocation: a {@code
     * resource.k8s.io/v1} {@code ResourceClaimTemplate} named {@code <workload>-gpu} with one
     * request of {@code count} devices of DeviceClass {@code gpu.nvidia.com}, selected by CEL on
     * the {@code productName} attribute (the models) and the {@code memory} capacity (the minimum
     * memory); the pod lists the template in {@code spec.resourceClaims} and the main container in
     * {@code resources.claims}. No extended resource and no node affinity are rendered. Needs
     * Kubernetes 1.34 or newer with NVIDIA's DRA driver.
     *
     * <pre>{@code
     * Gpu.nvidia(2).model("H100").minMemory("79Gi").viaDra();
     * }</pre>
     *
     * @return the copy
     * @throws IllegalArgumentException if the request is not for whole NVIDIA GPUs
     */
    public Gpu viaDra() {
        return ImmutableGpu.builder().from(this).dra(true).build();
    }

    /**
     * Returns a copy that mounts a memory-backed {@code /dev/shm} of {@code size} in the main
     * container; it counts toward the container's memory limit.
     *
     * <pre>{@code
     * Gpu.nvidia(8).withSharedMemory("64Gi");
     * }</pre>
     *
     * @param size a quantity such as {@code "16Gi"}
     * @return the copy
     */
    public Gpu withSharedMemory(String size) {
        return ImmutableGpu.builder().from(this).sharedMemory(size).build();
    }

    /** Adds the GPUs, toleration, node affinity, claims and {@code /dev/shm} to the rendered pods. */
    @Override
    public void apply(RenderContext context) {
        List<Container> containers = context.containers();
        if (containers.isEmpty()) {
            return;
        }
        Container main = containers.get(0);
        Optional<GpuSharing> sharing = sharing();
        GpuSharing.Target target = sharing.map(s -> s.target().orElse(GpuSharing.Target.TIME_SLICING))
                .orElse(null);
        if (dra()) {
            applyDra(context, main);
        } else if (migProfile().isPresent() && migStrategy() == MigStrategy.MIXED) {
            putResource(main, "nvidia.com/mig-" + migProfile().get(), Integer.toString(count()));
        } else if (target == GpuSharing.Target.TIME_SLICING) {
            putResource(main, "nvidia.com/gpu.shared", Integer.toString(count()));
        } else if (target == GpuSharing.Target.KAI) {
            applyKai(context, sharing.get());
        } else if (target == GpuSharing.Target.HAMI) {
            GpuSharing s = sharing.get();
            putResource(main, NVIDIA, Integer.toString(count()));
            if (s.fraction().isPresent()) {
                String p = Long.toString(percent(s.fraction().getAsDouble()));
                putResource(main, "nvidia.com/gpumem-percentage", p);
                putResource(main, "nvidia.com/gpucores", p);
            } else {
                putResource(
                        main,
                        "nvidia.com/gpumem",
                        Long.toString(s.memory().get().toMebibytes()));
            }
        } else {
            putResource(main, resource(), Integer.toString(count()));
        }
        String taint = vendor() == Vendor.NVIDIA ? NVIDIA : resource();
        context.addToleration(Toleration.exists(taint).withEffect(Toleration.Effect.NO_SCHEDULE));
        if (!dra()) {
            NodeTerms.requireAny(context, nodeAlternatives(target));
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

    private void applyKai(RenderContext context, GpuSharing s) {
        if (s.fraction().isPresent()) {
            context.podAnnotations()
                    .put(
                            "gpu-fraction",
                            BigDecimal.valueOf(s.fraction().getAsDouble())
                                    .stripTrailingZeros()
                                    .toPlainString());
        } else {
            context.podAnnotations()
                    .put("gpu-memory", Long.toString(s.memory().get().toMebibytes()));
        }
        if (count() > 1) {
            context.podAnnotations().put("gpu-fraction-num-devices", Integer.toString(count()));
        }
        context.podSpec().setSchedulerName("kai-scheduler");
        s.queue().ifPresent(q -> context.podLabels().put("kai.scheduler/queue", q));
    }

    private void applyDra(RenderContext context, Container main) {
        String template = context.workloadName() + "-gpu";
        context.addObject(DraClaims.template(template, CLAIM, NVIDIA_DEVICE_CLASS, count(), celSelectors()));
        DraClaims.reference(context.podSpec(), main, CLAIM, template);
    }

    /** The CEL selectors of a DRA request: one for the models, one for the memory. */
    List<String> celSelectors() {
        List<String> out = new ArrayList<>();
        if (!models().isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            for (GpuModel m : models()) {
                names.addAll(m.deviceNames());
            }
            out.add("device.attributes['" + NVIDIA_DEVICE_CLASS + "'].productName in ["
                    + names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")) + "]");
        }
        minMemory()
                .ifPresent(min -> out.add("device.capacity['" + NVIDIA_DEVICE_CLASS + "'].memory.compareTo(quantity('"
                        + min.toQuantity() + "')) >= 0"));
        return out;
    }

    /**
     * The node selector terms, ORed, that the pods must match (each a list of requirements, ANDed);
     * empty when any node will do.
     */
    List<List<NodeRequirement>> nodeAlternatives(GpuSharing.@Nullable Target target) {
        Vendor vendor = vendor();
        List<List<NodeRequirement>> alternatives = new ArrayList<>();
        if (vendor == Vendor.AMD) {
            List<String> ids = amdDeviceIds();
            if (!models().isEmpty() || minMemory().isPresent()) {
                alternatives.add(List.of(NodeRequirement.in(AMD_DEVICE_ID_LABEL, ids.toArray(new String[0]))));
            }
            return alternatives;
        }
        if (vendor != Vendor.NVIDIA) {
            return alternatives;
        }
        List<NodeRequirement> gfd = new ArrayList<>();
        Optional<String> mig = migProfile();
        if (mig.isPresent() && migStrategy() == MigStrategy.SINGLE) {
            List<GpuModel> withProfile = models().isEmpty() ? GpuModel.of(Vendor.NVIDIA) : models();
            Set<String> labels = new LinkedHashSet<>();
            for (GpuModel m : withProfile) {
                if (m.migProfiles().contains(mig.get())) {
                    labels.addAll(m.migProductLabels(mig.get()));
                }
            }
            gfd.add(NodeRequirement.in(PRODUCT_LABEL, labels.toArray(new String[0])));
        } else if (mig.isPresent()) {
            if (!models().isEmpty()) {
                Set<String> labels = new LinkedHashSet<>();
                models().forEach(m -> labels.addAll(m.baseProductLabels()));
                gfd.add(NodeRequirement.in(PRODUCT_LABEL, labels.toArray(new String[0])));
            }
        } else if (target == GpuSharing.Target.TIME_SLICING_LABEL) {
            if (models().isEmpty()) {
                gfd.add(NodeRequirement.gt(REPLICAS_LABEL, 1));
            } else {
                Set<String> labels = new LinkedHashSet<>();
                models().forEach(m -> labels.addAll(m.sharedProductLabels()));
                gfd.add(NodeRequirement.in(PRODUCT_LABEL, labels.toArray(new String[0])));
            }
        } else if (!models().isEmpty()) {
            // whole GPUs: not the product labels of single-strategy MIG nodes, whose
            // nvidia.com/gpu is a slice
            Set<String> labels = new LinkedHashSet<>();
            models().forEach(m -> {
                labels.addAll(m.baseProductLabels());
                labels.addAll(m.sharedProductLabels());
            });
            gfd.add(NodeRequirement.in(PRODUCT_LABEL, labels.toArray(new String[0])));
        }
        minMemory().ifPresent(min -> gfd.add(NodeRequirement.gt(MEMORY_LABEL, min.toMebibytes() - 1)));
        if (!gfd.isEmpty()) {
            alternatives.add(gfd);
        }
        // GKE advertises whole GPUs as nvidia.com/gpu, labelled by accelerator; it has no
        // nvidia.com/gpu.shared, MIG resources or -SHARED product labels.
        boolean gkeCanServe = mig.isEmpty()
                && (target == null || target == GpuSharing.Target.KAI || target == GpuSharing.Target.HAMI);
        if (gkeCanServe && (!models().isEmpty() || minMemory().isPresent())) {
            long min = minMemory().map(DataSize::toMebibytes).orElse(0L);
            Set<String> accelerators = new LinkedHashSet<>();
            for (GpuModel m : models().isEmpty() ? GpuModel.of(Vendor.NVIDIA) : models()) {
                if (m.memoryMiB() >= min) {
                    accelerators.addAll(m.gkeAccelerators());
                }
            }
            if (!accelerators.isEmpty()) {
                alternatives.add(
                        List.of(NodeRequirement.in(GKE_ACCELERATOR_LABEL, accelerators.toArray(new String[0]))));
            }
        }
        return alternatives;
    }

    /** The AMD device ids of the chosen models (or all AMD models) with at least the minimum memory. */
    private List<String> amdDeviceIds() {
        long min = minMemory().map(DataSize::toMebibytes).orElse(0L);
        Set<String> ids = new LinkedHashSet<>();
        for (GpuModel m : models().isEmpty() ? GpuModel.of(Vendor.AMD) : models()) {
            if (m.largestMemoryMiB() >= min) {
                ids.addAll(m.amdDeviceIds());
            }
        }
        return List.copyOf(ids);
    }

    private @Nullable Vendor vendor() {
        for (Vendor v : Vendor.values()) {
            if (v.resource().equals(resource())) {
                return v;
            }
        }
        return null;
    }

    private static void putResource(Container main, String name, String amount) {
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
        Quantity quantity = new Quantity(amount);
        resources.getLimits().put(name, quantity);
        resources.getRequests().put(name, quantity);
    }
}
