package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinity;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one pod asks of a node, computed once per pod: its effective requests, the non-zero requests
 * that scoring uses, its host ports and its priority.
 *
 * <p>The effective request follows {@code k8s.io/component-helpers/resource.PodRequests}: the sum
 * of the containers, raised to the largest init container (a sidecar, that is an init container
 * with {@code restartPolicy: Always}, keeps running and adds to everything after it), pod-level
 * {@code spec.resources} overriding cpu, memory and huge pages when set, plus {@code spec.overhead}.
 * A container's request defaults to its limit when absent, as API defaulting does.
 */
final class PodDemand {
    /** kube-scheduler's {@code DefaultMilliCPURequest}, used for scoring only. */
    static final long DEFAULT_MILLI_CPU = 100;
    /** kube-scheduler's {@code DefaultMemoryRequest} (200 MiB), used for scoring only. */
    static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    final String key;
    final Map<String, Long> requests;
    final long nonZeroMilliCpu;
    final long nonZeroMemory;
    final int priority;
    final boolean preemptNever;
    final List<HostPort> hostPorts;
    final String namespace;
    final Map<String, String> labels;
    /** Whether the pod has a deletion timestamp (PodTopologySpread does not count such pods). */
    final boolean terminating;
    /** The pod's pod (anti-)affinity terms, or null when it has none. */
    final @Nullable Terms terms;

    /**
     * A pod's processed pod affinity ({@code requiredAffinity}, {@code preferredAffinity}) and pod
     * anti-affinity ({@code requiredAnti}, {@code preferredAnti}) terms.
     */
    record Terms(
            List<AffinityTerm> requiredAffinity,
            List<AffinityTerm> requiredAnti,
            List<AffinityTerm> preferredAffinity,
            List<AffinityTerm> preferredAnti) {
        static @Nullable Terms of(PodSpec spec, String namespace, Map<String, String> labels) {
            Affinity a = spec.getAffinity();
            if (a == null || (a.getPodAffinity() == null && a.getPodAntiAffinity() == null)) {
                return null;
            }
            PodAffinity pa = a.getPodAffinity();
            PodAntiAffinity anti = a.getPodAntiAffinity();
            Terms t = new Terms(
                    required(
                            pa == null ? null : pa.getRequiredDuringSchedulingIgnoredDuringExecution(),
                            namespace,
                            labels),
                    required(
                            anti == null ? null : anti.getRequiredDuringSchedulingIgnoredDuringExecution(),
                            namespace,
                            labels),
                    preferred(
                            pa == null ? null : pa.getPreferredDuringSchedulingIgnoredDuringExecution(),
                            namespace,
                            labels),
                    preferred(
                            anti == null ? null : anti.getPreferredDuringSchedulingIgnoredDuringExecution(),
                            namespace,
                            labels));
            return t.isEmpty() ? null : t;
        }

        private static List<AffinityTerm> required(
                @Nullable List<PodAffinityTerm> terms, String namespace, Map<String, String> labels) {
            if (terms == null || terms.isEmpty()) {
                return List.of();
            }
            List<AffinityTerm> out = new ArrayList<>(terms.size());
            for (PodAffinityTerm t : terms) {
                if (t != null) {
                    out.add(AffinityTerm.of(t, namespace, labels, 0));
                }
            }
            return List.copyOf(out);
        }

        private static List<AffinityTerm> preferred(
                @Nullable List<WeightedPodAffinityTerm> terms, String namespace, Map<String, String> labels) {
            if (terms == null || terms.isEmpty()) {
                return List.of();
            }
            List<AffinityTerm> out = new ArrayList<>(terms.size());
            for (WeightedPodAffinityTerm t : terms) {
                if (t != null && t.getPodAffinityTerm() != null) {
                    int weight = t.getWeight() == null ? 0 : t.getWeight();
                    out.add(AffinityTerm.of(t.getPodAffinityTerm(), namespace, labels, weight));
                }
            }
            return List.copyOf(out);
        }

        boolean isEmpty() {
            return requiredAffinity.isEmpty()
                    && requiredAnti.isEmpty()
                    && preferredAffinity.isEmpty()
                    && preferredAnti.isEmpty();
        }
    }

    private PodDemand(
            String key,
            Map<String, Long> requests,
            long nonZeroMilliCpu,
            long nonZeroMemory,
            int priority,
            boolean preemptNever,
            List<HostPort> hostPorts,
            String namespace,
            Map<String, String> labels,
            boolean terminating,
            @Nullable Terms terms) {
        this.key = key;
        this.namespace = namespace;
        this.labels = labels;
        this.terminating = terminating;
        this.terms = terms;
        this.requests = requests;
        this.nonZeroMilliCpu = nonZeroMilliCpu;
        this.nonZeroMemory = nonZeroMemory;
        this.priority = priority;
        this.preemptNever = preemptNever;
        this.hostPorts = hostPorts;
    }

    /** A host port a container binds: protocol, host IP and port, defaulted like kube-scheduler does. */
    record HostPort(String ip, String protocol, int port) {
        static final String ALL = "0.0.0.0";

        String protocolPort() {
            return protocol + "/" + port;
        }
    }

    /** Returns the key that identifies {@code pod} in the cluster state: {@code namespace/name}. */
    static String key(Pod pod) {
        Objects.requireNonNull(pod.getMetadata(), "pod.metadata");
        String ns = pod.getMetadata().getNamespace();
        return (ns == null ? "" : ns) + "/"
                + Objects.requireNonNull(pod.getMetadata().getName(), "pod.metadata.name");
    }

    static PodDemand of(Pod pod) {
        PodSpec spec = Objects.requireNonNull(pod.getSpec(), "pod.spec");
        String key = key(pod);
        Parsed parsed = new Parsed(spec, key);
        Map<String, Long> requests = new TreeMap<>();
        parsed.aggregate(false).forEach((name, amount) -> {
            long units = Resources.units(name, amount);
            if (units > 0) {
                requests.put(name, units);
            }
        });
        Map<String, BigDecimal> nonZero = parsed.aggregate(true);
        long cpu = Resources.units(Resources.CPU, nonZero.getOrDefault(Resources.CPU, BigDecimal.ZERO));
        long memory = Resources.units(Resources.MEMORY, nonZero.getOrDefault(Resources.MEMORY, BigDecimal.ZERO));
        int priority = spec.getPriority() == null ? 0 : spec.getPriority();
        boolean never = "Never".equals(spec.getPreemptionPolicy());
        String namespace = Matching.nullToEmpty(pod.getMetadata().getNamespace());
        Map<String, String> labels = pod.getMetadata().getLabels() == null
                ? Map.of()
                : Collections.unmodifiableMap(new HashMap<>(pod.getMetadata().getLabels()));
        return new PodDemand(
                key,
                Collections.unmodifiableMap(requests),
                cpu,
                memory,
                priority,
                never,
                hostPorts(spec),
                namespace,
                labels,
                pod.getMetadata().getDeletionTimestamp() != null,
                Terms.of(spec, namespace, labels));
    }

    /** A pod's resource lists, parsed once and combined twice (actual, and non-zero for scoring). */
    private static final class Parsed {
        final Map<String, BigDecimal> podLevel;
        final List<Map<String, BigDecimal>> containers = new ArrayList<>();
        final List<Map<String, BigDecimal>> inits = new ArrayList<>();
        final List<Boolean> sidecar = new ArrayList<>();
        final Map<String, BigDecimal> overhead;

        Parsed(PodSpec spec, String key) {
            podLevel = containerRequests(spec.getResources(), key + " spec.resources");
            List<Container> cs = spec.getContainers() == null ? List.of() : spec.getContainers();
            for (int i = 0; i < cs.size(); i++) {
                containers.add(
                        containerRequests(cs.get(i).getResources(), key + " spec.containers[" + i + "].resources"));
            }
            List<Container> is = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
            for (int i = 0; i < is.size(); i++) {
                inits.add(
                        containerRequests(is.get(i).getResources(), key + " spec.initContainers[" + i + "].resources"));
                sidecar.add("Always".equals(is.get(i).getRestartPolicy()));
            }
            overhead = exact(spec.getOverhead(), key + " spec.overhead");
        }

        Map<String, BigDecimal> aggregate(boolean nonMissing) {
            Map<String, BigDecimal> sum = new HashMap<>();
            for (Map<String, BigDecimal> c : containers) {
                add(sum, withDefaults(c, nonMissing));
            }
            Map<String, BigDecimal> sidecars = new HashMap<>();
            Map<String, BigDecimal> initMax = new HashMap<>();
            for (int i = 0; i < inits.size(); i++) {
                Map<String, BigDecimal> reqs = withDefaults(inits.get(i), nonMissing);
                Map<String, BigDecimal> effective;
                if (sidecar.get(i)) {
                    add(sum, reqs);
                    add(sidecars, reqs);
                    effective = sidecars;
                } else {
                    effective = new HashMap<>(reqs);
                    add(effective, sidecars);
                }
                max(initMax, effective);
            }
            max(sum, initMax);
            podLevel.forEach((name, amount) -> {
                if (isPodLevelResource(name)) {
                    sum.put(name, amount);
                }
            });
            add(sum, overhead);
            return sum;
        }

        /** For scoring, a container missing a cpu or memory request (here and at pod level) counts the default. */
        private Map<String, BigDecimal> withDefaults(Map<String, BigDecimal> reqs, boolean nonMissing) {
            boolean cpu = nonMissing && !reqs.containsKey(Resources.CPU) && !podLevel.containsKey(Resources.CPU);
            boolean memory =
                    nonMissing && !reqs.containsKey(Resources.MEMORY) && !podLevel.containsKey(Resources.MEMORY);
            if (!cpu && !memory) {
                return reqs;
            }
            Map<String, BigDecimal> out = new HashMap<>(reqs);
            if (cpu) {
                out.put(Resources.CPU, BigDecimal.valueOf(DEFAULT_MILLI_CPU, 3));
            }
            if (memory) {
                out.put(Resources.MEMORY, BigDecimal.valueOf(DEFAULT_MEMORY));
            }
            return out;
        }
    }

    private static boolean isPodLevelResource(String name) {
        return Resources.CPU.equals(name) || Resources.MEMORY.equals(name) || name.startsWith("hugepages-");
    }

    /** A container's requests, each defaulted from its limit when absent. */
    private static Map<String, BigDecimal> containerRequests(@Nullable ResourceRequirements r, String where) {
        if (r == null) {
            return new HashMap<>();
        }
        Map<String, BigDecimal> out = exact(r.getRequests(), where + ".requests");
        exact(r.getLimits(), where + ".limits").forEach(out::putIfAbsent);
        return out;
    }

    private static Map<String, BigDecimal> exact(@Nullable Map<String, Quantity> list, String where) {
        Map<String, BigDecimal> out = new HashMap<>();
        if (list != null) {
            list.forEach((name, q) -> {
                if (q != null) {
                    out.put(name, Resources.exact(q, where + "[" + name + "]"));
                }
            });
        }
        return out;
    }

    private static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> more) {
        more.forEach((name, amount) -> into.merge(name, amount, BigDecimal::add));
    }

    private static void max(Map<String, BigDecimal> into, Map<String, BigDecimal> other) {
        other.forEach((name, amount) -> into.merge(name, amount, BigDecimal::max));
    }

    private static List<HostPort> hostPorts(PodSpec spec) {
        List<HostPort> ports = new ArrayList<>();
        if (spec.getContainers() != null) {
            spec.getContainers().forEach(c -> addPorts(ports, c));
        }
        if (spec.getInitContainers() != null) {
            spec.getInitContainers().stream()
                    .filter(c -> "Always".equals(c.getRestartPolicy()))
                    .forEach(c -> addPorts(ports, c));
        }
        return List.copyOf(ports);
    }

    private static void addPorts(List<HostPort> ports, Container c) {
        if (c.getPorts() == null) {
            return;
        }
        for (ContainerPort p : c.getPorts()) {
            if (p.getHostPort() == null || p.getHostPort() <= 0) {
                continue;
            }
            String ip = p.getHostIP() == null || p.getHostIP().isEmpty() ? HostPort.ALL : p.getHostIP();
            String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            ports.add(new HostPort(ip, protocol, p.getHostPort()));
        }
    }

    /** Whether the pod requests nothing that NodeResourcesFit checks (only the pod slot). */
    boolean requestsNothing() {
        return requests.keySet().stream().noneMatch(Resources::isChecked);
    }
}
