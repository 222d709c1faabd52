package dev.skiff.gpu;

import dev.skiff.core.Diagnosis;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffException;
import dev.skiff.core.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What accelerators a cluster has and which are free: per node and per model, read from the nodes'
 * allocatable resources and labels and from the pods bound to them. And {@link #plan}: whether a
 * workload can ever fit, and why not.
 *
 * <pre>{@code
 * GpuInventory inventory = GpuInventory.read(skiff);
 * System.out.println(inventory.summary());       // one line per node: product, GPUs free/allocatable
 * Plan plan = inventory.plan(job);
 * if (!plan.fitsEver()) {
 *     System.err.println(plan.explanation());
 * }
 * }</pre>
 */
public final class GpuInventory {
    static final String MIG_PREFIX = "nvidia.com/mig-";
    private static final Set<String> WHOLE_GPUS =
            Set.of("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "gpu.intel.com/xe", "habana.ai/gaudi");
    private static final List<String> PRODUCT_LABELS =
            List.of("nvidia.com/gpu.product", "cloud.google.com/gke-accelerator", "amd.com/gpu.product-name");

    private final List<NodeGpus> nodes;
    private final List<ResourceQuota> quotas;

    private GpuInventory(List<NodeGpus> nodes, List<ResourceQuota> quotas) {
        this.nodes = List.copyOf(nodes);
        this.quotas = List.copyOf(quotas);
    }

    /**
     * Reads the inventory from the cluster {@code skiff} is connected to: nodes, the pods bound to
     * them, and every namespace's ResourceQuotas.
     *
     * @param skiff the client
     * @return the inventory as of now
     */
    public static GpuInventory read(Skiff skiff) {
        KubernetesClient client = skiff.kubernetesClient();
        try {
            List<Node> nodes = client.nodes().list().getItems();
            List<Pod> pods = client.pods()
                    .inAnyNamespace()
                    .withoutField("spec.nodeName", "")
                    .list()
                    .getItems();
            List<ResourceQuota> quotas =
                    client.resourceQuotas().inAnyNamespace().list().getItems();
            return of(nodes, pods, quotas);
        } catch (KubernetesClientException e) {
            throw new SkiffException(
                    "reading the GPU inventory failed: HTTP " + e.getCode() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the inventory from objects already read.
     *
     * @param nodes the nodes
     * @param pods pods (those bound to a node and not finished count as using its resources)
     * @param quotas ResourceQuotas, for {@link #plan}
     * @return the inventory
     */
    public static GpuInventory of(List<Node> nodes, List<Pod> pods, List<ResourceQuota> quotas) {
        Map<String, Map<String, BigDecimal>> usedByNode = new TreeMap<>();
        for (Pod pod : pods) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (node == null || node.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            Map<String, BigDecimal> used = usedByNode.computeIfAbsent(node, n -> new TreeMap<>());
            requests(pod.getSpec()).forEach((k, v) -> used.merge(k, v, BigDecimal::add));
        }
        List<NodeGpus> out = new ArrayList<>();
        for (Node node : nodes) {
            out.add(describe(node, usedByNode.getOrDefault(node.getMetadata().getName(), Map.of())));
        }
        out.sort(Comparator.comparing(NodeGpus::node));
        return new GpuInventory(out, quotas);
    }

    private static NodeGpus describe(Node node, Map<String, BigDecimal> used) {
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        Map<String, Quantity> alloc =
                node.getStatus() == null || node.getStatus().getAllocatable() == null
                        ? Map.of()
                        : node.getStatus().getAllocatable();
        Map<String, Integer> allocatable = new TreeMap<>();
        Map<String, Integer> usedAcc = new TreeMap<>();
        Map<String, Integer> free = new TreeMap<>();
        for (Map.Entry<String, Quantity> e : alloc.entrySet()) {
            if (isAccelerator(e.getKey())) {
                int a = amount(e.getValue()).intValue();
                int u = used.getOrDefault(e.getKey(), BigDecimal.ZERO).intValue();
                allocatable.put(e.getKey(), a);
                usedAcc.put(e.getKey(), u);
                free.put(e.getKey(), Math.max(0, a - u));
            }
        }
        BigDecimal cpuFree = amountOf(alloc, "cpu").subtract(used.getOrDefault("cpu", BigDecimal.ZERO));
        BigDecimal memFree = amountOf(alloc, "memory").subtract(used.getOrDefault("memory", BigDecimal.ZERO));
        Optional<String> product = PRODUCT_LABELS.stream()
                .map(labels::get)
                .filter(Objects::nonNull)
                .findFirst();
        Optional<GpuModel> model = product.flatMap(GpuInventory::modelOf);
        Optional<Integer> memory =
                Optional.ofNullable(labels.get("nvidia.com/gpu.memory")).flatMap(GpuInventory::parseInt);
        int replicas = Optional.ofNullable(labels.get("nvidia.com/gpu.replicas"))
                .flatMap(GpuInventory::parseInt)
                .orElse(1);
        List<String> taints = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (Taint t : node.getSpec().getTaints()) {
                taints.add(t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect());
            }
        }
        return new NodeGpus(
                node.getMetadata().getName(),
                isSchedulable(node),
                product,
                model,
                memory,
                replicas,
                allocatable,
                usedAcc,
                free,
                cpuFree.max(BigDecimal.ZERO),
                memFree.max(BigDecimal.ZERO),
                labels,
                taints);
    }

    private static Optional<GpuModel> modelOf(String product) {
        String base = product.replaceAll("-SHARED$", "").replaceAll("-MIG-.*$", "");
        for (GpuModel m : GpuModel.values()) {
            for (String label : m.productLabels()) {
                if (label.equalsIgnoreCase(base) || label.equalsIgnoreCase(product)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> parseInt(String s) {
        try {
            return Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isSchedulable(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return true;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return true;
    }

    /** Extended resources with a domain, other than hugepages: GPUs, MIG slices, shared GPUs, HAMi memory... */
    static boolean isAccelerator(String resource) {
        return resource.contains("/") && !resource.startsWith("hugepages-") && !resource.startsWith("kubernetes.io/");
    }

    static boolean isWholeGpu(String resource) {
        return WHOLE_GPUS.contains(resource);
    }

    /** What a pod requests: requests, or limits where only limits are set (as the API server defaults them). */
    static Map<String, BigDecimal> requests(PodSpec spec) {
        Map<String, BigDecimal> total = new TreeMap<>();
        for (Container c : spec.getContainers()) {
            containerRequests(c).forEach((k, v) -> total.merge(k, v, BigDecimal::add));
        }
        if (spec.getInitContainers() != null) {
            for (Container c : spec.getInitContainers()) {
                containerRequests(c).forEach((k, v) -> total.merge(k, v, BigDecimal::max));
            }
        }
        return total;
    }

    private static Map<String, BigDecimal> containerRequests(Container c) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (c.getResources() == null) {
            return out;
        }
        if (c.getResources().getLimits() != null) {
            c.getResources().getLimits().forEach((k, v) -> out.put(k, amount(v)));
        }
        if (c.getResources().getRequests() != null) {
            c.getResources().getRequests().forEach((k, v) -> out.put(k, amount(v)));
        }
        return out;
    }

    private static BigDecimal amount(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }

    private static BigDecimal amountOf(Map<String, Quantity> map, String key) {
        Quantity q = map.get(key);
        return q == null ? BigDecimal.ZERO : amount(q);
    }

    /** Returns every node, by name. */
    public List<NodeGpus> nodes() {
        return nodes;
    }

    /**
     * Returns the nodes with a GPU product label, grouped by it.
     *
     * @return product label to nodes
     */
    public Map<String, List<NodeGpus>> byProduct() {
        Map<String, List<NodeGpus>> out = new TreeMap<>();
        for (NodeGpus n : nodes) {
            n.product()
                    .ifPresent(
                            p -> out.computeIfAbsent(p, k -> new ArrayList<>()).add(n));
        }
        return out;
    }

    /** Returns the free units of {@code resource} over all schedulable nodes. */
    public int free(String resource) {
        return nodes.stream()
                .filter(NodeGpus::schedulable)
                .mapToInt(n -> n.free().getOrDefault(resource, 0))
                .sum();
    }

    /** Returns one line per node with accelerators: product, free and allocatable per resource. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (NodeGpus n : nodes) {
            if (n.allocatable().isEmpty()) {
                continue;
            }
            sb.append(n.node()).append(": ").append(n.product().orElse("unlabelled"));
            if (n.sharingReplicas() > 1) {
                sb.append(" (time-sliced x").append(n.sharingReplicas()).append(')');
            }
            for (Map.Entry<String, Integer> e : n.allocatable().entrySet()) {
                sb.append(", ")
                        .append(e.getKey())
                        .append(' ')
                        .append(n.free().get(e.getKey()))
                        .append('/')
                        .append(e.getValue())
                        .append(" free");
            }
            if (!n.schedulable()) {
                sb.append(" [not schedulable]");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ plan

    /**
     * Works out whether {@code workload}'s pods can fit: for its pod shape, the nodes that can
     * take one now, those that could once free, and why the others cannot (selector or model,
     * taints, not enough of a resource at all or free now, the namespace's quota).
     *
     * @param workload a batch job, session or scheduled job
     * @return the plan
     */
    public Plan plan(Workload workload) {
        List<HasMetadata> objects = Skiff.render(workload);
        HasMetadata main = objects.get(0);
        PodTemplateSpec template;
        int pods;
        if (main instanceof Job job) {
            template = job.getSpec().getTemplate();
            pods = parallel(job.getSpec());
        } else if (main instanceof CronJob cron) {
            template = cron.getSpec().getJobTemplate().getSpec().getTemplate();
            pods = parallel(cron.getSpec().getJobTemplate().getSpec());
        } else if (main instanceof StatefulSet sts) {
            template = sts.getSpec().getTemplate();
            pods = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        } else {
            Deployment d = (Deployment) main;
            template = d.getSpec().getTemplate();
            pods = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        }
        String namespace = workload.namespace().orElse("default");
        String ref = main.getKind() + " " + namespace + "/" + workload.name();
        return new Plan(ref, List.of(shape(ref, namespace, template.getSpec(), pods)));
    }

    /**
     * Diagnoses a batch job as {@link JobHandle#diagnose()} does and, when its pods cannot be
     * scheduled, adds what the scheduler's message leaves out about GPUs: whether any node has
     * the requested model at all (and which products the cluster has), the largest node and the
     * largest free block of the requested accelerator, taints, and quota.
     *
     * <pre>{@code
     * Diagnosis d = GpuInventory.read(skiff).diagnose(skiff, handle);
     * System.err.println(d.explanation());
     * }</pre>
     *
     * @param skiff the client the job is on
     * @param handle the job
     * @return the core diagnosis, GPU findings first when the job is unschedulable
     */
    public Diagnosis diagnose(Skiff skiff, JobHandle handle) {
        Diagnosis core = handle.diagnose();
        if (!core.has(Diagnosis.Kind.UNSCHEDULABLE)) {
            return core;
        }
        Job job = skiff.kubernetesClient()
                .batch()
                .v1()
                .jobs()
                .inNamespace(handle.namespace())
                .withName(handle.name())
                .get();
        if (job == null) {
            return core;
        }
        PodSpec spec = job.getSpec().getTemplate().getSpec();
        Plan.Shape shape = shape(
                "Job " + handle.namespace() + "/" + handle.name(), handle.namespace(), spec, parallel(job.getSpec()));
        List<Diagnosis.Finding> findings = new ArrayList<>();
        String model = requestedProducts(spec);
        if (model != null && shape.nodesNow().isEmpty() && shape.nodesOnceFree().isEmpty()) {
            boolean anyNodeHasIt = shape.reasons().stream()
                    .noneMatch(r -> r.kind() == Plan.ReasonKind.SELECTOR_MISMATCH
                            && r.message().contains("gpu.product")
                            && r.nodes().size() == nodes.size());
            if (!anyNodeHasIt) {
                findings.add(gpuFinding("no node has the requested GPU model (" + model + "); the cluster has "
                        + (byProduct().isEmpty()
                                ? "no labelled GPUs"
                                : String.join(", ", byProduct().keySet()))));
            }
        }
        for (Plan.Reason r : shape.reasons()) {
            if (r.kind() == Plan.ReasonKind.NOT_ENOUGH_ALLOCATABLE
                    || r.kind() == Plan.ReasonKind.NOT_ENOUGH_FREE
                    || r.kind() == Plan.ReasonKind.QUOTA_EXCEEDED) {
                findings.add(gpuFinding(r.message()));
            }
        }
        findings.addAll(core.findings());
        return new Diagnosis(core.workload(), core.phase(), findings);
    }

    private static Diagnosis.Finding gpuFinding(String message) {
        return new Diagnosis.Finding(Diagnosis.Kind.UNSCHEDULABLE, "GPUs", message, Map.of(), Optional.empty());
    }

    /** The product values a pod's required affinity asks for, shortened; null if it asks for none. */
    private static @Nullable String requestedProducts(PodSpec spec) {
        if (spec.getAffinity() == null
                || spec.getAffinity().getNodeAffinity() == null
                || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        for (NodeSelectorTerm term : spec.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()) {
            for (NodeSelectorRequirement r : term.getMatchExpressions() == null
                    ? List.<NodeSelectorRequirement>of()
                    : term.getMatchExpressions()) {
                if ("nvidia.com/gpu.product".equals(r.getKey())
                        && r.getValues() != null
                        && !r.getValues().isEmpty()) {
                    List<String> v = r.getValues();
                    return v.size() <= 2
                            ? String.join(", ", v)
                            : v.get(0) + ", " + v.get(1) + " or " + (v.size() - 2) + " more";
                }
            }
        }
        return null;
    }

    private static int parallel(JobSpec spec) {
        int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
        return spec.getCompletions() == null ? parallelism : Math.min(parallelism, spec.getCompletions());
    }

    private Plan.Shape shape(String ref, String namespace, PodSpec spec, int pods) {
        Map<String, BigDecimal> need = requests(spec);
        Map<String, String> shown = new LinkedHashMap<>();
        need.forEach((k, v) -> shown.put(k, v.stripTrailingZeros().toPlainString()));
        List<String> now = new ArrayList<>();
        List<String> onceFree = new ArrayList<>();
        Map<String, Plan.Reason> reasons = new LinkedHashMap<>();
        for (NodeGpus n : nodes) {
            List<Plan.Reason> why = new ArrayList<>();
            if (!n.schedulable()) {
                why.add(new Plan.Reason(
                        Plan.ReasonKind.NODE_UNSCHEDULABLE, "node is not ready or is cordoned", List.of()));
            }
            String mismatch = selectorMismatch(spec, n.labels());
            if (mismatch != null) {
                why.add(new Plan.Reason(Plan.ReasonKind.SELECTOR_MISMATCH, mismatch, List.of()));
            }
            String taint = untolerated(spec, n);
            if (taint != null) {
                why.add(new Plan.Reason(
                        Plan.ReasonKind.TAINT_NOT_TOLERATED, "untolerated taint {" + taint + "}", List.of()));
            }
            boolean freeShort = false;
            for (Map.Entry<String, BigDecimal> e : need.entrySet()) {
                String r = e.getKey();
                BigDecimal amount = e.getValue();
                BigDecimal allocatable = allocatable(n, r);
                BigDecimal free = free(n, r);
                if (allocatable == null) {
                    continue; // cpu/memory/pods unknown for the node: not judged
                }
                if (allocatable.compareTo(amount) < 0) {
                    why.add(new Plan.Reason(
                            Plan.ReasonKind.NOT_ENOUGH_ALLOCATABLE,
                            "Insufficient " + r + ": needs " + plain(amount) + ", the largest node has "
                                    + plain(largestAllocatable(r)),
                            List.of()));
                } else if (free.compareTo(amount) < 0) {
                    freeShort = true;
                }
            }
            if (why.isEmpty()) {
                if (freeShort) {
                    onceFree.add(n.node());
                } else {
                    now.add(n.node());
                }
            }
            for (Plan.Reason r : why) {
                reasons.merge(
                        r.kind() + "\u0000" + r.message(),
                        new Plan.Reason(r.kind(), r.message(), List.of(n.node())),
                        (a, b) -> new Plan.Reason(a.kind(), a.message(), concat(a.nodes(), b.nodes())));
            }
        }
        List<Plan.Reason> out = new ArrayList<>(reasons.values());
        if (now.isEmpty() && !onceFree.isEmpty()) {
            for (Map.Entry<String, BigDecimal> e : need.entrySet()) {
                if (isAccelerator(e.getKey())) {
                    int largestFree = nodes.stream()
                            .filter(NodeGpus::schedulable)
                            .mapToInt(n -> n.free().getOrDefault(e.getKey(), 0))
                            .max()
                            .orElse(0);
                    if (largestFree < e.getValue().intValue()) {
                        out.add(new Plan.Reason(
                                Plan.ReasonKind.NOT_ENOUGH_FREE,
                                "Insufficient free " + e.getKey() + " now: needs " + plain(e.getValue())
                                        + ", the largest free block is " + largestFree,
                                onceFree));
                    }
                }
            }
        }
        out.addAll(quotaReasons(namespace, need, pods));
        return new Plan.Shape((pods == 1 ? "1 pod of " : pods + " pods of ") + ref, pods, shown, now, onceFree, out);
    }

    private List<Plan.Reason> quotaReasons(String namespace, Map<String, BigDecimal> need, int pods) {
        List<Plan.Reason> out = new ArrayList<>();
        for (ResourceQuota q : quotas) {
            if (!namespace.equals(q.getMetadata().getNamespace())
                    || q.getSpec() == null
                    || q.getSpec().getHard() == null) {
                continue;
            }
            for (Map.Entry<String, BigDecimal> e : need.entrySet()) {
                for (String key : List.of("requests." + e.getKey(), e.getKey())) {
                    Quantity hard = q.getSpec().getHard().get(key);
                    if (hard == null) {
                        continue;
                    }
                    Quantity usedQ = q.getStatus() == null || q.getStatus().getUsed() == null
                            ? null
                            : q.getStatus().getUsed().get(key);
                    BigDecimal left = amount(hard).subtract(usedQ == null ? BigDecimal.ZERO : amount(usedQ));
                    BigDecimal total = e.getValue().multiply(BigDecimal.valueOf(pods));
                    if (left.compareTo(total) < 0) {
                        out.add(new Plan.Reason(
                                Plan.ReasonKind.QUOTA_EXCEEDED,
                                "ResourceQuota " + namespace + "/"
                                        + q.getMetadata().getName() + ": " + key
                                        + ": needs " + plain(total) + ", " + plain(left.max(BigDecimal.ZERO))
                                        + " of " + plain(amount(hard)) + " left",
                                List.of()));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private BigDecimal largestAllocatable(String resource) {
        BigDecimal best = BigDecimal.ZERO;
        for (NodeGpus n : nodes) {
            BigDecimal a = allocatable(n, resource);
            if (a != null && a.compareTo(best) > 0) {
                best = a;
            }
        }
        return best;
    }

    private static @Nullable BigDecimal allocatable(NodeGpus n, String resource) {
        if (isAccelerator(resource)) {
            return BigDecimal.valueOf(n.allocatable().getOrDefault(resource, 0));
        }
        return null;
    }

    private static BigDecimal free(NodeGpus n, String resource) {
        return BigDecimal.valueOf(n.free().getOrDefault(resource, 0));
    }

    /** The first node selector or required affinity requirement the labels fail, in words; null if they match. */
    static @Nullable String selectorMismatch(PodSpec spec, Map<String, String> labels) {
        if (spec.getNodeSelector() != null) {
            for (Map.Entry<String, String> e : spec.getNodeSelector().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return "node selector " + e.getKey() + "=" + e.getValue() + " does not match";
                }
            }
        }
        if (spec.getAffinity() == null
                || spec.getAffinity().getNodeAffinity() == null
                || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        List<NodeSelectorTerm> terms = spec.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        String first = null;
        for (NodeSelectorTerm term : terms) {
            String failed = null;
            for (NodeSelectorRequirement r : term.getMatchExpressions() == null
                    ? List.<NodeSelectorRequirement>of()
                    : term.getMatchExpressions()) {
                if (!matches(r, labels.get(r.getKey()))) {
                    failed = "required node affinity " + r.getKey() + " " + r.getOperator()
                            + (r.getValues() == null || r.getValues().isEmpty() ? "" : " " + r.getValues())
                            + " does not match";
                    break;
                }
            }
            if (failed == null) {
                return null; // terms are ORed
            }
            if (first == null) {
                first = failed;
            }
        }
        return first;
    }

    private static boolean matches(NodeSelectorRequirement r, @Nullable String value) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> {
                if (value == null || values.isEmpty()) {
                    yield false;
                }
                try {
                    long v = Long.parseLong(value);
                    long bound = Long.parseLong(values.get(0));
                    yield r.getOperator().equals("Gt") ? v > bound : v < bound;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    private static @Nullable String untolerated(PodSpec spec, NodeGpus node) {
        for (String t : node.taints()) {
            int colon = t.lastIndexOf(':');
            String effect = t.substring(colon + 1);
            if (!"NoSchedule".equals(effect) && !"NoExecute".equals(effect)) {
                continue;
            }
            String kv = t.substring(0, colon);
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            String value = eq < 0 ? "" : kv.substring(eq + 1);
            if (!tolerated(spec.getTolerations(), key, value, effect)) {
                return key + ": " + value;
            }
        }
        return null;
    }

    private static boolean tolerated(@Nullable List<Toleration> tolerations, String key, String value, String effect) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration t : tolerations) {
            if (t.getEffect() != null
                    && !t.getEffect().isEmpty()
                    && !t.getEffect().equals(effect)) {
                continue;
            }
            boolean exists = "Exists".equals(t.getOperator());
            if (t.getKey() == null || t.getKey().isEmpty()) {
                if (exists) {
                    return true;
                }
                continue;
            }
            if (!t.getKey().equals(key)) {
                continue;
            }
            if (exists || Objects.equals(t.getValue() == null ? "" : t.getValue(), value)) {
                return true;
            }
        }
        return false;
    }
}
