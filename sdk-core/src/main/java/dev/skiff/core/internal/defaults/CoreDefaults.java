package dev.skiff.core.internal.defaults;

import io.fabric8.kubernetes.api.model.ClientIPConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Core v1 kinds other than Pods and claims: Services, Namespaces, Secrets, ConfigMaps, Nodes, PodTemplates. */
public final class CoreDefaults {
    private CoreDefaults() {}

    static final String METADATA_NAME_LABEL = "kubernetes.io/metadata.name";
    static final int CLIENT_IP_TIMEOUT_SECONDS = 10800;

    /**
     * {@code SetDefaults_Service}: session affinity, type, port protocols and target ports, traffic
     * policies, and node-port allocation for load balancers. Cluster IPs, IP families and the IP
     * family policy are allocated by the registry, not defaulted, and are left alone.
     */
    public static void service(Service service) {
        ServiceSpec spec = service.getSpec();
        if (spec == null) {
            spec = new ServiceSpec();
            service.setSpec(spec);
        }
        if (PodDefaults.isEmpty(spec.getSessionAffinity())) {
            spec.setSessionAffinity("None");
        }
        if (spec.getSessionAffinity().equals("None")) {
            spec.setSessionAffinityConfig(null);
        } else if (spec.getSessionAffinity().equals("ClientIP")) {
            SessionAffinityConfig config = spec.getSessionAffinityConfig();
            if (config == null
                    || config.getClientIP() == null
                    || config.getClientIP().getTimeoutSeconds() == null) {
                spec.setSessionAffinityConfig(new SessionAffinityConfig(new ClientIPConfig(CLIENT_IP_TIMEOUT_SECONDS)));
            }
        }
        if (PodDefaults.isEmpty(spec.getType())) {
            spec.setType("ClusterIP");
        }
        String type = spec.getType();
        if (spec.getPorts() != null) {
            for (ServicePort p : spec.getPorts()) {
                if (PodDefaults.isEmpty(p.getProtocol())) {
                    p.setProtocol("TCP");
                }
                if (isUnset(p.getTargetPort())) {
                    p.setTargetPort(new IntOrString(p.getPort() == null ? 0 : p.getPort()));
                }
            }
        }
        boolean externallyAccessible = type.equals("LoadBalancer")
                || type.equals("NodePort")
                || (type.equals("ClusterIP")
                        && spec.getExternalIPs() != null
                        && !spec.getExternalIPs().isEmpty());
        if (externallyAccessible && PodDefaults.isEmpty(spec.getExternalTrafficPolicy())) {
            spec.setExternalTrafficPolicy("Cluster");
        }
        if (spec.getInternalTrafficPolicy() == null
                && (type.equals("ClusterIP") || type.equals("NodePort") || type.equals("LoadBalancer"))) {
            spec.setInternalTrafficPolicy("Cluster");
        }
        if (type.equals("LoadBalancer") && spec.getAllocateLoadBalancerNodePorts() == null) {
            spec.setAllocateLoadBalancerNodePorts(true);
        }
    }

    /** Go's {@code targetPort == intstr.FromInt32(0) || targetPort == intstr.FromString("")}. */
    private static boolean isUnset(@Nullable IntOrString t) {
        if (t == null) {
            return true;
        }
        if (t.getStrVal() != null) {
            return t.getStrVal().isEmpty();
        }
        return t.getIntVal() == null || t.getIntVal() == 0;
    }

    /** {@code SetDefaults_Namespace}: the {@code kubernetes.io/metadata.name} label, always equal to the name. */
    public static void namespace(Namespace namespace) {
        if (namespace.getMetadata() == null) {
            return;
        }
        String name = namespace.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            return; // generateName: the label is added once the name is known
        }
        Map<String, String> labels = namespace.getMetadata().getLabels();
        if (labels == null || !name.equals(labels.get(METADATA_NAME_LABEL))) {
            Map<String, String> copy = labels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(labels);
            copy.put(METADATA_NAME_LABEL, name);
            namespace.getMetadata().setLabels(copy);
        }
    }

    /** {@code SetDefaults_Secret}: {@code type: Opaque}. */
    public static void secret(Secret secret) {
        if (PodDefaults.isEmpty(secret.getType())) {
            secret.setType("Opaque");
        }
    }

    /** {@code SetDefaults_ConfigMap}: a non-null (empty) {@code data} map. */
    public static void configMap(ConfigMap configMap) {
        if (configMap.getData() == null) {
            configMap.setData(new LinkedHashMap<>());
        }
    }

    /** {@code SetDefaults_NodeStatus}: allocatable equals capacity when it is not given. */
    public static void node(Node node) {
        NodeStatus status = node.getStatus();
        if (status == null
                || status.getCapacity() == null
                || status.getCapacity().isEmpty()) {
            return;
        }
        if (status.getAllocatable() == null || status.getAllocatable().isEmpty()) {
            Map<String, Quantity> allocatable = new LinkedHashMap<>();
            for (Map.Entry<String, Quantity> e : status.getCapacity().entrySet()) {
                Quantity q = e.getValue();
                allocatable.put(e.getKey(), q == null ? null : new Quantity(q.getAmount(), q.getFormat()));
            }
            status.setAllocatable(allocatable);
        }
    }

    /** A v1 PodTemplate: the pod template defaults. */
    public static void podTemplate(PodTemplate podTemplate) {
        podTemplate.setTemplate(PodDefaults.template(podTemplate.getTemplate()));
    }
}
