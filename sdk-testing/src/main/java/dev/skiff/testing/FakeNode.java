package dev.skiff.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A simulated node of an {@link InMemoryCluster}: its capacity, GPUs, labels and taints.
 *
 * <p>GPU nodes carry the labels NVIDIA's GPU Feature Discovery writes ({@code nvidia.com/gpu.product},
 * {@code nvidia.com/gpu.count}, {@code nvidia.com/gpu.memory}, {@code nvidia.com/gpu.present}), so
 * GPU model selection works as on a real cluster.
 *
 * <pre>{@code
 * FakeNode cpu = FakeNode.named("cpu-1").withCpu("64").withMemory("256Gi");
 * FakeNode h100 = FakeNode.named("gpu-1")
 *     .withGpus(8, "NVIDIA-H100-80GB-HBM3")
 *     .withGpuMemoryMiB(81_559)
 *     .withTaint("nvidia.com/gpu", "present", "NoSchedule");
 * }</pre>
 */
@Value.Immutable
public abstract class FakeNode {
    FakeNode() {}

    /** A node taint. */
    public record NodeTaint(String key, String value, String effect) {}

    /** Returns the node's name. */
    public abstract String name();

    /** Returns its CPU capacity; 32 by default. */
    @Value.Default
    public String cpu() {
        return "32";
    }

    /** Returns its memory capacity; 128Gi by default. */
    @Value.Default
    public String memory() {
        return "128Gi";
    }

    /** Returns how many pods it takes; 110 by default. */
    @Value.Default
    public int pods() {
        return 110;
    }

    /** Returns how many whole GPUs it has; 0 by default. */
    @Value.Default
    public int gpuCount() {
        return 0;
    }

    /** Returns the extended resource its GPUs are advertised as; {@code nvidia.com/gpu} by default. */
    @Value.Default
    public String gpuResource() {
        return "nvidia.com/gpu";
    }

    /** Returns the GPU Feature Discovery product label, such as {@code NVIDIA-H100-80GB-HBM3}. */
    public abstract Optional<String> gpuProduct();

    /** Returns the memory of one GPU in MiB, for the {@code nvidia.com/gpu.memory} label. */
    public abstract OptionalInt gpuMemoryMiB();

    /** Returns MIG slices by profile (mixed strategy), such as {@code 1g.10gb → 7}. */
    public abstract Map<String, Integer> migSlices();

    /** Returns extra node labels. */
    public abstract Map<String, String> labels();

    /** Returns the node's taints. */
    public abstract List<NodeTaint> taints();

    /**
     * A node with default capacity: 32 CPU, 128Gi, 110 pods, no GPUs.
     *
     * @param name the node's name
     * @return the node
     */
    public static FakeNode named(String name) {
        return ImmutableFakeNode.builder().name(name).build();
    }

    /** Returns a copy with {@code cpu} capacity, such as {@code "64"}. */
    public FakeNode withCpu(String cpu) {
        return ImmutableFakeNode.builder().from(this).cpu(cpu).build();
    }

    /** Returns a copy with {@code memory} capacity, such as {@code "512Gi"}. */
    public FakeNode withMemory(String memory) {
        return ImmutableFakeNode.builder().from(this).memory(memory).build();
    }

    /** Returns a copy taking at most {@code pods} pods. */
    public FakeNode withPods(int pods) {
        return ImmutableFakeNode.builder().from(this).pods(pods).build();
    }

    /**
     * Returns a copy with {@code count} NVIDIA GPUs of the given GPU Feature Discovery product.
     *
     * @param count whole GPUs
     * @param product the {@code nvidia.com/gpu.product} label value
     * @return the copy
     */
    public FakeNode withGpus(int count, String product) {
        return ImmutableFakeNode.builder()
                .from(this)
                .gpuCount(count)
                .gpuProduct(product)
                .build();
    }

    /** Returns a copy whose GPUs are advertised as {@code resource}, such as {@code amd.com/gpu}. */
    public FakeNode withGpuResource(String resource) {
        return ImmutableFakeNode.builder().from(this).gpuResource(resource).build();
    }

    /** Returns a copy whose GPUs have {@code mib} MiB of memory each. */
    public FakeNode withGpuMemoryMiB(int mib) {
        return ImmutableFakeNode.builder().from(this).gpuMemoryMiB(mib).build();
    }

    /** Returns a copy with {@code count} MIG slices of {@code profile} (such as {@code 1g.10gb}). */
    public FakeNode withMig(String profile, int count) {
        return ImmutableFakeNode.builder()
                .from(this)
                .putMigSlice(profile, count)
                .build();
    }

    /** Returns a copy with an extra label. */
    public FakeNode withLabel(String key, String value) {
        return ImmutableFakeNode.builder().from(this).putLabel(key, value).build();
    }

    /** Returns a copy with a taint; {@code effect} is NoSchedule, PreferNoSchedule or NoExecute. */
    public FakeNode withTaint(String key, String value, String effect) {
        return ImmutableFakeNode.builder()
                .from(this)
                .addTaints(new NodeTaint(key, value, effect))
                .build();
    }

    /** Renders the node as the Kubernetes object the cluster stores. */
    public Node toNode() {
        Node node = new Node();
        node.setApiVersion("v1");
        node.setKind("Node");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name());
        Map<String, String> l = new LinkedHashMap<>();
        l.put("kubernetes.io/hostname", name());
        l.put("kubernetes.io/os", "linux");
        l.put("kubernetes.io/arch", "amd64");
        l.put("beta.kubernetes.io/os", "linux");
        l.put("beta.kubernetes.io/arch", "amd64");
        l.put("type", "kwok");
        if (gpuCount() > 0 && gpuResource().equals("nvidia.com/gpu")) {
            l.put("nvidia.com/gpu.present", "true");
            l.put("nvidia.com/gpu.count", Integer.toString(gpuCount()));
            gpuProduct().ifPresent(p -> l.put("nvidia.com/gpu.product", p));
            gpuMemoryMiB().ifPresent(m -> l.put("nvidia.com/gpu.memory", Integer.toString(m)));
        }
        l.putAll(labels());
        meta.setLabels(l);
        node.setMetadata(meta);
        NodeSpec spec = new NodeSpec();
        if (!taints().isEmpty()) {
            List<Taint> taints = new ArrayList<>();
            for (NodeTaint t : taints()) {
                Taint taint = new Taint();
                taint.setKey(t.key());
                taint.setValue(t.value().isEmpty() ? null : t.value());
                taint.setEffect(t.effect());
                taints.add(taint);
            }
            spec.setTaints(taints);
        }
        node.setSpec(spec);
        var status = new io.fabric8.kubernetes.api.model.NodeStatus();
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(cpu()));
        capacity.put("memory", new Quantity(memory()));
        capacity.put("pods", new Quantity(Integer.toString(pods())));
        capacity.put("ephemeral-storage", new Quantity("1Ti"));
        if (gpuCount() > 0) {
            capacity.put(gpuResource(), new Quantity(Integer.toString(gpuCount())));
        }
        migSlices()
                .forEach((profile, n) -> capacity.put("nvidia.com/mig-" + profile, new Quantity(Integer.toString(n))));
        status.setCapacity(capacity);
        status.setAllocatable(new LinkedHashMap<>(capacity));
        node.setStatus(status);
        return node;
    }
}
