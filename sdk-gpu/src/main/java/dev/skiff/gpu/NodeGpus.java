package dev.skiff.gpu;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's accelerators as {@link GpuInventory} sees them: what it can give, what pods bound to
 * it use, and what is free, per extended resource ({@code nvidia.com/gpu}, {@code
 * nvidia.com/mig-1g.10gb}, {@code nvidia.com/gpu.shared}, {@code amd.com/gpu}, ...).
 *
 * @param node the node's name
 * @param schedulable whether new pods may land there (Ready and not cordoned)
 * @param product the GPU product as the node's labels name it (GPU Feature Discovery's {@code
 *     nvidia.com/gpu.product} or GKE's {@code cloud.google.com/gke-accelerator}), if any
 * @param model the catalog model the product matches, if known
 * @param memoryMiB the memory of one GPU in MiB ({@code nvidia.com/gpu.memory}), if labelled
 * @param sharingReplicas with time-slicing, how many pods share one GPU ({@code
 *     nvidia.com/gpu.replicas}); 1 without
 * @param allocatable the accelerator resources the node can give
 * @param used what the pods bound to it request
 * @param free {@code allocatable - used}, never below zero
 * @param cpuFree CPU cores free (allocatable minus requests of bound pods)
 * @param memoryFree memory bytes free
 * @param labels the node's labels
 * @param taints the node's taints, as {@code key=value:Effect}
 */
public record NodeGpus(
        String node,
        boolean schedulable,
        Optional<String> product,
        Optional<GpuModel> model,
        Optional<Integer> memoryMiB,
        int sharingReplicas,
        Map<String, Integer> allocatable,
        Map<String, Integer> used,
        Map<String, Integer> free,
        BigDecimal cpuFree,
        BigDecimal memoryFree,
        Map<String, String> labels,
        List<String> taints) {
    /** Checks and copies the arguments. */
    public NodeGpus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        allocatable = Map.copyOf(allocatable);
        used = Map.copyOf(used);
        free = Map.copyOf(free);
        Objects.requireNonNull(cpuFree, "cpuFree");
        Objects.requireNonNull(memoryFree, "memoryFree");
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    /** Returns the whole GPUs the node can give, of any vendor (MIG slices and shared GPUs aside). */
    public int gpus() {
        return allocatable.entrySet().stream()
                .filter(e -> GpuInventory.isWholeGpu(e.getKey()))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    /** Returns the whole GPUs free. */
    public int freeGpus() {
        return free.entrySet().stream()
                .filter(e -> GpuInventory.isWholeGpu(e.getKey()))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    /** Returns the MIG slices the node can give, by profile ({@code 1g.10gb -> 7}). */
    public Map<String, Integer> migSlices() {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        allocatable.forEach((k, v) -> {
            if (k.startsWith(GpuInventory.MIG_PREFIX)) {
                out.put(k.substring(GpuInventory.MIG_PREFIX.length()), v);
            }
        });
        return out;
    }
}
