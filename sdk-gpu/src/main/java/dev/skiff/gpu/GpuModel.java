package dev.skiff.gpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The catalog of data-centre GPU models Skiff knows by name, with their memory and the node label
 * values that identify them.
 *
 * <h2>NVIDIA</h2>
 *
 * GPU Feature Discovery (GFD) writes the device name NVML reports, with spaces turned into dashes,
 * to the {@code nvidia.com/gpu.product} node label ({@code NVIDIA H100 80GB HBM3} becomes {@code
 * NVIDIA-H100-80GB-HBM3}). It appends {@code -SHARED} when the GPUs are time-sliced without
 * renaming, and {@code -MIG-<profile>} when the node uses the {@code single} MIG strategy. Node
 * affinity compares values exactly, so Skiff matches a model by listing every spelling: each device
 * name of the model, with and without those suffixes ({@link #productLabels()}). GKE labels its GPU
 * nodes {@code cloud.google.com/gke-accelerator} instead ({@link #gkeAccelerators()}). {@link
 * #memoryMiB()} is what GFD typically writes to {@code nvidia.com/gpu.memory}: an "80GB" H100
 * reports 81,559 MiB, less than 80Gi. Drivers and virtual machines can report slightly different
 * values, so treat the catalog's memory as close, not exact.
 *
 * <h2>AMD</h2>
 *
 * AMD's node labeller writes the PCI device id to {@code amd.com/gpu.device-id} ({@code 74a1} for
 * an MI300X); Skiff matches AMD models on it ({@link #amdDeviceIds()}).
 *
 * <pre>{@code
 * GpuModel h100 = GpuModel.named("H100");
 * h100.memoryMiB();        // 81559
 * h100.migProfiles();      // [1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb]
 * }</pre>
 */
public enum GpuModel {
    /** NVIDIA B200 (180 GB). */
    B200(Vendor.NVIDIA, "B200", 183_359, names("NVIDIA B200"), gke("nvidia-b200"), noMig()),
    /** NVIDIA GB200: the B200 GPU of a Grace Blackwell superchip. */
    GB200(Vendor.NVIDIA, "GB200", 189_471, names("NVIDIA GB200"), gke("nvidia-gb200"), noMig()),
    /** NVIDIA H200 (141 GB), SXM or NVL. */
    H200(
            Vendor.NVIDIA,
            "H200",
            143_771,
            names("NVIDIA H200", "NVIDIA H200 NVL", "NVIDIA H200 141GB HBM3e"),
            gke("nvidia-h200-141gb"),
            mig("1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb")),
    /** NVIDIA GH200: the H100 GPU of a Grace Hopper superchip (96 GB). */
    GH200(Vendor.NVIDIA, "GH200", 97_871, names("NVIDIA GH200 480GB", "NVIDIA GH200 144G HBM3e"), gke(), noMig()),
    /** NVIDIA H100 80GB in any form factor: SXM, PCIe or NVL. */
    H100(
            Vendor.NVIDIA,
            "H100",
            81_559,
            names("NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe", "NVIDIA H100 NVL"),
            gke("nvidia-h100-80gb", "nvidia-h100-mega-80gb"),
            mig("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb")),
    /** NVIDIA H100 80GB SXM. */
    H100_SXM(
            Vendor.NVIDIA,
            "H100-SXM",
            81_559,
            names("NVIDIA H100 80GB HBM3"),
            gke("nvidia-h100-80gb", "nvidia-h100-mega-80gb"),
            mig("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb")),
    /** NVIDIA H100 80GB PCIe. */
    H100_PCIE(
            Vendor.NVIDIA,
            "H100-PCIe",
            81_559,
            names("NVIDIA H100 PCIe"),
            gke(),
            mig("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb")),
    /** NVIDIA H100 NVL (94 GB). */
    H100_NVL(
            Vendor.NVIDIA,
            "H100-NVL",
            95_830,
            names("NVIDIA H100 NVL"),
            gke(),
            mig("1g.12gb", "1g.24gb", "2g.24gb", "3g.47gb", "4g.47gb", "7g.94gb")),
    /** NVIDIA A100 with 80 GB, SXM or PCIe. */
    A100_80GB(
            Vendor.NVIDIA,
            "A100-80GB",
            81_920,
            names("NVIDIA A100-SXM4-80GB", "NVIDIA A100 80GB PCIe", "A100-SXM4-80GB", "A100-SXM-80GB"),
            gke("nvidia-a100-80gb"),
            mig("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb")),
    /** NVIDIA A100 with 40 GB, SXM or PCIe; {@code A100} names it too. */
    A100_40GB(
            Vendor.NVIDIA,
            "A100-40GB",
            40_960,
            names("NVIDIA A100-SXM4-40GB", "NVIDIA A100-PCIE-40GB", "A100-SXM4-40GB", "A100-PCIE-40GB"),
            gke("nvidia-tesla-a100"),
            mig("1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb")),
    /** NVIDIA L40S (48 GB). */
    L40S(Vendor.NVIDIA, "L40S", 46_068, names("NVIDIA L40S"), gke(), noMig()),
    /** NVIDIA L4 (24 GB). */
    L4(Vendor.NVIDIA, "L4", 23_034, names("NVIDIA L4"), gke("nvidia-l4"), noMig()),
    /** NVIDIA A10 (24 GB). */
    A10(Vendor.NVIDIA, "A10", 23_028, names("NVIDIA A10"), gke(), noMig()),
    /** NVIDIA A10G (24 GB), the A10 of AWS G5 instances. */
    A10G(Vendor.NVIDIA, "A10G", 23_028, names("NVIDIA A10G"), gke(), noMig()),
    /** NVIDIA T4 (16 GB). */
    T4(Vendor.NVIDIA, "T4", 15_360, names("Tesla T4"), gke("nvidia-tesla-t4"), noMig()),
    /** NVIDIA V100 with 16 or 32 GB, SXM2 or PCIe; its memory is the smaller variant's. */
    V100(
            Vendor.NVIDIA,
            "V100",
            16_384,
            names("Tesla V100-SXM2-16GB", "Tesla V100-SXM2-32GB", "Tesla V100-PCIE-16GB", "Tesla V100-PCIE-32GB"),
            gke("nvidia-tesla-v100"),
            noMig()),
    /** AMD Instinct MI355X (288 GB). */
    MI355X(Vendor.AMD, "MI355X", 294_912, ids("75a3"), gke(), noMig()),
    /** AMD Instinct MI350X (288 GB). */
    MI350X(Vendor.AMD, "MI350X", 294_912, ids("75a0"), gke(), noMig()),
    /** AMD Instinct MI325X (256 GB). */
    MI325X(Vendor.AMD, "MI325X", 262_144, ids("74a5"), gke(), noMig()),
    /** AMD Instinct MI300X (192 GB). */
    MI300X(Vendor.AMD, "MI300X", 196_608, ids("74a1", "74a9", "74bd"), gke(), noMig()),
    /** AMD Instinct MI300A (128 GB, shared with the CPU). */
    MI300A(Vendor.AMD, "MI300A", 131_072, ids("74a0"), gke(), noMig()),
    /** AMD Instinct MI250X (128 GB); some report the MI250's device id, {@code 740c}. */
    MI250X(Vendor.AMD, "MI250X", 131_072, ids("7408", "740c"), gke(), noMig()),
    /** AMD Instinct MI250 (128 GB). */
    MI250(Vendor.AMD, "MI250", 131_072, ids("740c"), gke(), noMig()),
    /** AMD Instinct MI210 (64 GB). */
    MI210(Vendor.AMD, "MI210", 65_536, ids("740f"), gke(), noMig()),
    /** AMD Instinct MI100 (32 GB). */
    MI100(Vendor.AMD, "MI100", 32_768, ids("738c", "738e"), gke(), noMig());

    /** Who makes a GPU, which decides its extended resource and node labels. */
    public enum Vendor {
        /** NVIDIA: {@code nvidia.com/gpu}, GPU Feature Discovery labels. */
        NVIDIA("nvidia.com/gpu"),
        /** AMD: {@code amd.com/gpu}, AMD node labeller labels. */
        AMD("amd.com/gpu");

        private final String resource;

        Vendor(String resource) {
            this.resource = resource;
        }

        /** Returns the extended resource of this vendor's whole GPUs. */
        public String resource() {
            return resource;
        }
    }

    private static final Map<String, GpuModel> BY_NAME = new LinkedHashMap<>();

    static {
        for (GpuModel m : values()) {
            BY_NAME.put(m.canonicalName.toUpperCase(Locale.ROOT), m);
        }
        BY_NAME.put("A100", A100_40GB);
    }

    private final Vendor vendor;
    private final String canonicalName;
    private final int memoryMiB;
    private final List<String> deviceNames;
    private final List<String> gkeAccelerators;
    private final List<String> migProfiles;

    GpuModel(
            Vendor vendor,
            String canonicalName,
            int memoryMiB,
            List<String> deviceNames,
            List<String> gkeAccelerators,
            List<String> migProfiles) {
        this.vendor = vendor;
        this.canonicalName = canonicalName;
        this.memoryMiB = memoryMiB;
        this.deviceNames = deviceNames;
        this.gkeAccelerators = gkeAccelerators;
        this.migProfiles = migProfiles;
    }

    private static List<String> names(String... names) {
        return List.of(names);
    }

    private static List<String> ids(String... ids) {
        return List.of(ids);
    }

    private static List<String> gke(String... values) {
        return List.of(values);
    }

    private static List<String> mig(String... profiles) {
        return List.of(profiles);
    }

    private static List<String> noMig() {
        return List.of();
    }

    /** Returns the name users write, such as {@code H100} or {@code A100-80GB}. */
    public String canonicalName() {
        return canonicalName;
    }

    /** Returns who makes this GPU. */
    public Vendor vendor() {
        return vendor;
    }

    /**
     * Returns the memory of one GPU in MiB, as GPU Feature Discovery reports it in {@code
     * nvidia.com/gpu.memory} (the smallest variant's when the model has several).
     */
    public int memoryMiB() {
        return memoryMiB;
    }

    /** The memory of the model's largest variant in MiB, for checking that a minimum can be met. */
    int largestMemoryMiB() {
        switch (this) {
            case V100:
                return 32_768;
            case H100:
                return H100_NVL.memoryMiB;
            case GH200:
                return 146_081;
            default:
                return memoryMiB;
        }
    }

    /**
     * Returns the device names NVML reports for this model, such as {@code NVIDIA H100 80GB HBM3};
     * DRA drivers publish them as the {@code productName} attribute. Empty for AMD models.
     */
    public List<String> deviceNames() {
        return vendor == Vendor.NVIDIA ? deviceNames : List.of();
    }

    /**
     * Returns every {@code nvidia.com/gpu.product} value GPU Feature Discovery may write for this
     * model: each device name, as is, with {@code -SHARED}, with {@code -MIG-<profile>} for each
     * MIG profile, and with both. Empty for AMD models.
     */
    public List<String> productLabels() {
        Set<String> labels = new LinkedHashSet<>();
        labels.addAll(baseProductLabels());
        labels.addAll(sharedProductLabels());
        for (String profile : migProfiles) {
            labels.addAll(migProductLabels(profile));
        }
        return List.copyOf(labels);
    }

    /** The product labels of whole, unshared GPUs: the device names with dashes. */
    List<String> baseProductLabels() {
        List<String> labels = new ArrayList<>();
        for (String n : deviceNames()) {
            labels.add(n.replace(' ', '-'));
        }
        return labels;
    }

    /** The product labels of time-sliced GPUs (no renaming): the base labels with {@code -SHARED}. */
    List<String> sharedProductLabels() {
        List<String> labels = new ArrayList<>();
        for (String l : baseProductLabels()) {
            labels.add(l + "-SHARED");
        }
        return labels;
    }

    /** The product labels of a node using the single MIG strategy with {@code profile}, shared or not. */
    List<String> migProductLabels(String profile) {
        List<String> labels = new ArrayList<>();
        for (String l : baseProductLabels()) {
            labels.add(l + "-MIG-" + profile);
        }
        for (String l : baseProductLabels()) {
            labels.add(l + "-MIG-" + profile + "-SHARED");
        }
        return labels;
    }

    /** Returns the values GKE writes to {@code cloud.google.com/gke-accelerator} for this model; may be empty. */
    public List<String> gkeAccelerators() {
        return gkeAccelerators;
    }

    /** Returns the PCI device ids AMD's node labeller writes to {@code amd.com/gpu.device-id}; empty for NVIDIA. */
    public List<String> amdDeviceIds() {
        return vendor == Vendor.AMD ? deviceNames : List.of();
    }

    /**
     * Returns the MIG profiles this model can be partitioned into, such as {@code 1g.10gb}; empty
     * if Skiff knows of none.
     */
    public List<String> migProfiles() {
        return migProfiles;
    }

    /**
     * Finds a model by its canonical name, ignoring case.
     *
     * @param name a name such as {@code H100}
     * @return the model
     * @throws IllegalArgumentException naming the known models when {@code name} is unknown
     */
    public static GpuModel named(String name) {
        GpuModel m = BY_NAME.get(name.trim().toUpperCase(Locale.ROOT));
        if (m == null) {
            throw new IllegalArgumentException(
                    "GPU model must be one of " + knownNames() + ", but was \"" + name + "\"");
        }
        return m;
    }

    /** Returns the canonical names of all known models. */
    public static List<String> knownNames() {
        List<String> names = new ArrayList<>();
        for (GpuModel m : values()) {
            names.add(m.canonicalName);
        }
        return Collections.unmodifiableList(names);
    }

    /** Returns the models of {@code vendor}. */
    static List<GpuModel> of(Vendor vendor) {
        List<GpuModel> out = new ArrayList<>();
        for (GpuModel m : values()) {
            if (m.vendor == vendor) {
                out.add(m);
            }
        }
        return out;
    }

    /** Returns the models with MIG profiles. */
    static List<String> migCapableNames() {
        List<String> out = new ArrayList<>();
        for (GpuModel m : values()) {
            if (!m.migProfiles.isEmpty()) {
                out.add(m.canonicalName);
            }
        }
        return out;
    }

    /** Returns every MIG profile of every model, without repeats, in catalog order. */
    static List<String> allMigProfiles() {
        Set<String> out = new LinkedHashSet<>();
        for (GpuModel m : values()) {
            out.addAll(m.migProfiles);
        }
        return List.copyOf(out);
    }
}
