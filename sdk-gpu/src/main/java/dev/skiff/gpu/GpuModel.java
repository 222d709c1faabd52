package dev.skiff.gpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The catalog of NVIDIA data-centre GPU models Skiff knows by name, with the values GPU Feature
 * Discovery writes to the {@code nvidia.com/gpu.product} node label for each.
 *
 * <p>GPU Feature Discovery derives the label from the device name ({@code NVIDIA H100 80GB HBM3}
 * becomes {@code NVIDIA-H100-80GB-HBM3}); time-sliced GPUs get a {@code -SHARED} suffix. Skiff
 * matches every listed variant, shared ones included.
 */
public enum GpuModel {
    /** NVIDIA B200 (180 GB). */
    B200("B200", 184_320, "NVIDIA-B200"),
    /** NVIDIA H200 (141 GB). */
    H200("H200", 144_384, "NVIDIA-H200", "NVIDIA-H200-NVL", "NVIDIA-H200-141GB-HBM3e"),
    /** NVIDIA H100 (80 GB, SXM, PCIe or NVL). */
    H100("H100", 81_559, "NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe", "NVIDIA-H100-NVL"),
    /** NVIDIA A100 with 80 GB. */
    A100_80GB("A100-80GB", 81_920, "NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"),
    /** NVIDIA A100 with 40 GB. */
    A100_40GB("A100-40GB", 40_960, "NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB"),
    /** NVIDIA L40S (48 GB). */
    L40S("L40S", 46_068, "NVIDIA-L40S"),
    /** NVIDIA L4 (24 GB). */
    L4("L4", 23_034, "NVIDIA-L4"),
    /** NVIDIA A10G (24 GB). */
    A10G("A10G", 23_028, "NVIDIA-A10G"),
    /** NVIDIA T4 (16 GB). */
    T4("T4", 15_360, "Tesla-T4"),
    /** NVIDIA V100 (16 or 32 GB). */
    V100(
            "V100",
            16_384,
            "Tesla-V100-SXM2-16GB",
            "Tesla-V100-SXM2-32GB",
            "Tesla-V100-PCIE-16GB",
            "Tesla-V100-PCIE-32GB");

    private static final Map<String, GpuModel> BY_NAME = new LinkedHashMap<>();

    static {
        for (GpuModel m : values()) {
            BY_NAME.put(m.canonicalName.toUpperCase(Locale.ROOT), m);
        }
        BY_NAME.put("A100", A100_40GB);
    }

    private final String canonicalName;
    private final int memoryMiB;
    private final List<String> productLabels;

    GpuModel(String canonicalName, int memoryMiB, String... productLabels) {
        this.canonicalName = canonicalName;
        this.memoryMiB = memoryMiB;
        List<String> labels = new ArrayList<>();
        for (String l : productLabels) {
            labels.add(l);
        }
        for (String l : productLabels) {
            labels.add(l + "-SHARED");
        }
        this.productLabels = Collections.unmodifiableList(labels);
    }

    /** Returns the name users write, such as {@code H100} or {@code A100-80GB}. */
    public String canonicalName() {
        return canonicalName;
    }

    /** Returns the memory of one GPU in MiB (the smallest variant's). */
    public int memoryMiB() {
        return memoryMiB;
    }

    /** Returns the {@code nvidia.com/gpu.product} label values of this model, shared variants included. */
    public List<String> productLabels() {
        return productLabels;
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
        return names;
    }
}
