package dev.skiff.core;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * Prometheus metrics served by the workload's main container: a {@link Trait}.
 *
 * <p>The main (first) container gets the port, named {@code metrics}, and the pod template the
 * conventional scrape annotations {@code prometheus.io/scrape: "true"}, {@code prometheus.io/port}
 * and {@code prometheus.io/path}, which Prometheus' Kubernetes service discovery (and most
 * Helm-installed Prometheus setups) honour. A container port of the same number that is already
 * declared is reused, keeping its name.
 *
 * <p>The rendering also holds a Prometheus Operator {@code PodMonitor} ({@code
 * monitoring.coreos.com/v1}) of the workload's name, selecting its pods and scraping that port and
 * path. When Skiff submits the workload, it creates the PodMonitor, owned by the workload so that
 * deleting the workload deletes it, only if the cluster serves {@code monitoring.coreos.com/v1}
 * (asked once per {@link Skiff}); on a cluster without the Prometheus Operator the PodMonitor is
 * left out and the annotations remain. Works for a {@link BatchJob}, an {@link InteractiveSession}
 * and a {@link ScheduledJob} (through its job).
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("finetune")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4"))
 *     .addTraits(Metrics.on(9090).path("/metrics"))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Metrics implements Trait {
    /** The name of the container port the metrics are served on. */
    public static final String PORT_NAME = "metrics";

    /** The API version of the Prometheus Operator's PodMonitor. */
    static final String POD_MONITOR_API_VERSION = "monitoring.coreos.com/v1";

    static final String POD_MONITOR_KIND = "PodMonitor";

    Metrics() {}

    /** Returns the container port the metrics are served on. */
    public abstract int port();

    /** Returns the HTTP path of the metrics; {@code /metrics} unless set. */
    @Value.Default
    public String path() {
        return "/metrics";
    }

    @Value.Check
    void check() {
        if (port() < 1 || port() > 65535) {
            throw new IllegalArgumentException("metrics port must be between 1 and 65535: " + port());
        }
        if (!path().startsWith("/")) {
            throw new IllegalArgumentException("metrics path must start with '/': " + path());
        }
    }

    /**
     * Metrics served on {@code port} of the main container, at {@code /metrics}.
     *
     * <pre>{@code
     * .addTraits(Metrics.on(9090))
     * }</pre>
     *
     * @param port the container port, 1 to 65535
     * @return the trait
     */
    public static Metrics on(int port) {
        return ImmutableMetrics.builder().port(port).build();
    }

    /**
     * Returns a copy serving the metrics at {@code path}.
     *
     * <pre>{@code
     * .addTraits(Metrics.on(8000).path("/stats"))
     * }</pre>
     *
     * @param path the HTTP path, starting with {@code /}
     * @return the copy
     */
    public Metrics path(String path) {
        return ImmutableMetrics.builder().from(this).path(path).build();
    }

    @Override
    public void apply(RenderContext context) {
        io.fabric8.kubernetes.api.model.Container main = context.containers().get(0);
        if (main.getPorts() == null) {
            main.setPorts(new ArrayList<>());
        }
        String portName = PORT_NAME;
        ContainerPort existing = null;
        for (ContainerPort p : main.getPorts()) {
            if (p.getContainerPort() != null && p.getContainerPort() == port()) {
                existing = p;
            }
        }
        if (existing == null) {
            ContainerPort p = new ContainerPort();
            p.setName(PORT_NAME);
            p.setContainerPort(port());
            main.getPorts().add(p);
        } else if (existing.getName() == null || existing.getName().isEmpty()) {
            existing.setName(PORT_NAME);
        } else {
            portName = existing.getName();
        }
        Map<String, String> annotations = context.podAnnotations();
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", Integer.toString(port()));
        annotations.put("prometheus.io/path", path());
        context.addObject(podMonitor(context, portName));
    }

    private GenericKubernetesResource podMonitor(RenderContext context, String portName) {
        GenericKubernetesResource monitor = new GenericKubernetesResource();
        monitor.setApiVersion(POD_MONITOR_API_VERSION);
        monitor.setKind(POD_MONITOR_KIND);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(context.workloadName());
        monitor.setMetadata(meta);
        Map<String, String> selector = new LinkedHashMap<>();
        Map<String, String> podLabels = context.podLabels();
        for (String key : List.of(Renderer.LABEL_INSTANCE, Renderer.LABEL_COMPONENT, Renderer.LABEL_MANAGED_BY)) {
            String value = podLabels.get(key);
            if (value != null) {
                selector.put(key, value);
            }
        }
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", portName);
        endpoint.put("path", path());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", selector));
        spec.put("podMetricsEndpoints", List.of(endpoint));
        monitor.setAdditionalProperty("spec", spec);
        return monitor;
    }
}
