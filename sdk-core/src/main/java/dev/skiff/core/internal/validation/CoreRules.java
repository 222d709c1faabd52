package dev.skiff.core.internal.validation;

import static dev.skiff.core.internal.validation.MetaRules.str;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceSelector;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceSubRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ExactDeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Services, ConfigMaps, Secrets, Namespaces and DRA ResourceClaimTemplates. */
public final class CoreRules {
    private CoreRules() {}

    /** The largest total size of a ConfigMap's or Secret's data (1 MiB). */
    static final int MAX_DATA_SIZE = 1024 * 1024;

    private static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

    /** Go's {@code validateService} on create, after the server's defaults. */
    public static void service(Service svc, Errors errs) {
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        Path sp = Path.root("spec");
        String type = str(spec.getType()).isEmpty() ? "ClusterIP" : spec.getType();
        String clusterIP = str(spec.getClusterIP());
        if (clusterIP.isEmpty()
                && spec.getClusterIPs() != null
                && !spec.getClusterIPs().isEmpty()) {
            clusterIP = str(spec.getClusterIPs().get(0));
        }
        boolean headless = clusterIP.equals("None");
        List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errs.required(sp.child("ports"), "");
        }
        switch (type) {
            case "LoadBalancer", "NodePort" -> {
                if (headless) {
                    errs.invalid(
                            sp.child("clusterIPs").index(0),
                            clusterIP,
                            "may not be set to 'None' for " + type + " services");
                }
            }
            case "ExternalName" -> {
                if (!clusterIP.isEmpty()) {
                    errs.forbidden(sp.child("clusterIPs"), "may not be set for ExternalName services");
                }
                String cname = str(spec.getExternalName());
                if (cname.endsWith(".")) {
                    cname = cname.substring(0, cname.length() - 1);
                }
                if (cname.isEmpty()) {
                    errs.required(sp.child("externalName"), "");
                } else {
                    errs.invalidEach(sp.child("externalName"), cname, Names.dns1123Subdomain(cname));
                }
            }
            default -> {}
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            Path pp = sp.child("ports").index(i);
            String name = str(port.getName());
            if (ports.size() > 1 && name.isEmpty()) {
                errs.required(pp.child("name"), "");
            } else if (!name.isEmpty()) {
                errs.invalidEach(pp.child("name"), name, Names.dns1123Label(name));
                if (!names.add(name)) {
                    errs.duplicate(pp.child("name"), name);
                }
            }
            int p = port.getPort() == null ? 0 : port.getPort();
            if (p < 1 || p > 65535) {
                errs.invalid(pp.child("port"), p, Names.inclusiveRange(1, 65535));
            }
            String protocol = str(port.getProtocol());
            if (!protocol.isEmpty() && !PROTOCOLS.contains(protocol)) {
                errs.notSupported(pp.child("protocol"), protocol, PROTOCOLS);
            }
            IntOrString target = port.getTargetPort();
            boolean unset = target == null
                    || (target.getStrVal() == null && (target.getIntVal() == null || target.getIntVal() == 0))
                    || (target.getStrVal() != null && target.getStrVal().isEmpty());
            // SetDefaults_Service: an unset targetPort becomes the port, and is validated as one.
            PodRules.port(unset ? new IntOrString(p) : target, pp.child("targetPort"), errs);
            if (port.getAppProtocol() != null) {
                errs.invalidEach(
                        pp.child("appProtocol"), port.getAppProtocol(), Names.qualifiedName(port.getAppProtocol()));
            }
        }
        MetaRules.labels(spec.getSelector(), sp.child("selector"), errs);
        String affinity = str(spec.getSessionAffinity());
        if (!affinity.isEmpty() && !affinity.equals("ClientIP") && !affinity.equals("None")) {
            errs.notSupported(sp.child("sessionAffinity"), affinity, List.of("ClientIP", "None"));
        }
        if (!SERVICE_TYPES.contains(type)) {
            errs.notSupported(sp.child("type"), type, SERVICE_TYPES);
        }
        if (type.equals("ClusterIP")) {
            for (int i = 0; i < ports.size(); i++) {
                if (ports.get(i).getNodePort() != null && ports.get(i).getNodePort() != 0) {
                    errs.forbidden(
                            sp.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'");
                }
            }
        }
        Set<String> nodePorts = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String protocol = str(port.getProtocol()).isEmpty() ? "TCP" : port.getProtocol();
            if (port.getNodePort() != null && port.getNodePort() != 0) {
                if (!nodePorts.add(protocol + "/" + port.getNodePort())) {
                    errs.duplicate(sp.child("ports").index(i).child("nodePort"), port.getNodePort());
                }
            }
            String key = protocol + "/" + (port.getPort() == null ? 0 : port.getPort());
            if (!seen.add(key)) {
                errs.duplicate(sp.child("ports").index(i), key);
            }
        }
        if (spec.getLoadBalancerSourceRanges() != null
                && !spec.getLoadBalancerSourceRanges().isEmpty()
                && !type.equals("LoadBalancer")) {
            errs.forbidden(sp.child("LoadBalancerSourceRanges"), "may only be used when `type` is 'LoadBalancer'");
        }
        if (spec.getAllocateLoadBalancerNodePorts() != null && !type.equals("LoadBalancer")) {
            errs.forbidden(sp.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'");
        }
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
        String etp = str(spec.getExternalTrafficPolicy());
        if (!external && !etp.isEmpty()) {
            errs.invalid(sp.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services");
        } else if (external && !etp.isEmpty() && !etp.equals("Cluster") && !etp.equals("Local")) {
            errs.notSupported(sp.child("externalTrafficPolicy"), etp, List.of("Cluster", "Local"));
        }
        String itp = spec.getInternalTrafficPolicy();
        if (itp != null && !itp.equals("Cluster") && !itp.equals("Local")) {
            errs.notSupported(sp.child("internalTrafficPolicy"), itp, List.of("Cluster", "Local"));
        }
    }

    /** Go's {@code ValidateConfigMap}. */
    public static void configMap(ConfigMap cm, Errors errs) {
        long size = 0;
        Map<String, String> data = cm.getData();
        Map<String, String> binary = cm.getBinaryData();
        if (data != null) {
            for (Map.Entry<String, String> e : data.entrySet()) {
                String key = str(e.getKey());
                Path p = Path.root("data").key(key);
                errs.invalidEach(p, key, Names.configMapKey(key));
                if (binary != null && binary.containsKey(key)) {
                    errs.invalid(p, key, "duplicate of key present in binaryData");
                }
                size += MetaRules.utf8Length(str(e.getValue()));
            }
        }
        if (binary != null) {
            for (Map.Entry<String, String> e : binary.entrySet()) {
                String key = str(e.getKey());
                errs.invalidEach(Path.root("binaryData").key(key), key, Names.configMapKey(key));
                size += base64Length(str(e.getValue()));
            }
        }
        if (size > MAX_DATA_SIZE) {
            errs.tooLong(Path.wholeObject(), MAX_DATA_SIZE);
        }
    }

    /** Go's {@code ValidateSecret}; {@code stringData} is merged into {@code data} first, as the server does. */
    public static void secret(Secret s, Errors errs) {
        Map<String, Integer> sizes = new java.util.LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> sizes.put(str(k), base64Length(str(v))));
        }
        if (s.getStringData() != null) {
            s.getStringData().forEach((k, v) -> sizes.put(str(k), str(v).getBytes(StandardCharsets.UTF_8).length));
        }
        Path data = Path.root("data");
        long total = 0;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            errs.invalidEach(data.key(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
            total += e.getValue();
        }
        if (total > MAX_DATA_SIZE) {
            errs.tooLong(data, MAX_DATA_SIZE);
        }
        switch (str(s.getType())) {
            case "kubernetes.io/service-account-token" -> {
                Map<String, String> ann =
                        s.getMetadata() == null ? null : s.getMetadata().getAnnotations();
                if (ann == null
                        || str(ann.get("kubernetes.io/service-account.name")).isEmpty()) {
                    errs.required(
                            Path.root("metadata").child("annotations").key("kubernetes.io/service-account.name"), "");
                }
            }
            case "kubernetes.io/dockercfg" -> requireKey(sizes, ".dockercfg", data, errs);
            case "kubernetes.io/dockerconfigjson" -> requireKey(sizes, ".dockerconfigjson", data, errs);
            case "kubernetes.io/basic-auth" -> {
                if (!sizes.containsKey("username") && !sizes.containsKey("password")) {
                    errs.required(data.key("username"), "");
                    errs.required(data.key("password"), "");
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                Integer n = sizes.get("ssh-privatekey");
                if (n == null || n == 0) {
                    errs.required(data.key("ssh-privatekey"), "");
                }
            }
            case "kubernetes.io/tls" -> {
                requireKey(sizes, "tls.crt", data, errs);
                requireKey(sizes, "tls.key", data, errs);
            }
            default -> {}
        }
    }

    private static void requireKey(Map<String, Integer> data, String key, Path path, Errors errs) {
        if (!data.containsKey(key)) {
            errs.required(path.key(key), "");
        }
    }

    static int base64Length(String b64) {
        int n = b64.length();
        int pad = 0;
        while (n - pad > 0 && b64.charAt(n - pad - 1) == '=') {
            pad++;
        }
        return Math.max(0, n * 3 / 4 - pad);
    }

    /** Go's {@code ValidateNamespace} beyond metadata: finalizer names in {@code spec.finalizers}. */
    public static void namespace(Namespace ns, Errors errs) {
        if (ns.getSpec() != null && ns.getSpec().getFinalizers() != null) {
            for (String f : ns.getSpec().getFinalizers()) {
                MetaRules.finalizer(str(f), Path.root("spec").child("finalizers"), errs);
            }
        }
    }

    /** The most requests a device claim may have. */
    static final int MAX_DEVICE_REQUESTS = 32;
    /** The most alternatives a {@code firstAvailable} request may list. */
    static final int MAX_FIRST_AVAILABLE = 8;
    /** The most selectors a device request may have. */
    static final int MAX_DEVICE_SELECTORS = 32;

    private static final List<String> ALLOCATION_MODES = List.of("All", "ExactCount");

    /**
     * Go's {@code ValidateResourceClaimTemplate} beyond the object's metadata: the claim's
     * metadata may only have labels and annotations; {@code validateDeviceClaim} for its requests (after the
     * defaults {@code allocationMode: ExactCount} and {@code count: 1}): names are DNS labels, unique;
     * each request has exactly one of {@code exactly} and {@code firstAvailable}; each of those
     * names a device class, has selectors with a {@code cel} expression (not compiled here), and a
     * count that fits its allocation mode.
     */
    public static void resourceClaimTemplate(ResourceClaimTemplate t, Errors errs) {
        if (t.getSpec() != null && t.getSpec().getMetadata() != null) {
            templateObjectMeta(t.getSpec().getMetadata(), Path.root("spec").child("metadata"), errs);
        }
        if (t.getSpec() == null
                || t.getSpec().getSpec() == null
                || t.getSpec().getSpec().getDevices() == null) {
            return;
        }
        List<DeviceRequest> requests = t.getSpec().getSpec().getDevices().getRequests();
        if (requests == null) {
            return;
        }
        Path path = Path.root("spec").child("spec", "devices", "requests");
        if (requests.size() > MAX_DEVICE_REQUESTS) {
            errs.tooMany(path, requests.size(), MAX_DEVICE_REQUESTS);
            return;
        }
        for (int i = 0; i < requests.size(); i++) {
            deviceRequest(requests.get(i), path.index(i), errs);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            String name = str(requests.get(i).getName());
            if (!seen.add(name)) {
                errs.duplicate(path.index(i), name);
            }
        }
    }

    /**
     * Go's {@code ValidateTemplateObjectMeta}: a template's metadata may carry annotations and
     * labels, nothing else.
     */
    private static void templateObjectMeta(ObjectMeta m, Path path, Errors errs) {
        MetaRules.annotations(m.getAnnotations(), path.child("annotations"), errs);
        MetaRules.labels(m.getLabels(), path.child("labels"), errs);
        // in the order of Go's ObjectMeta fields, each named as Go lower-cases its first letter
        String cannot = "cannot be set";
        forbidIf(!str(m.getName()).isEmpty(), path.child("name"), cannot, errs);
        forbidIf(!str(m.getGenerateName()).isEmpty(), path.child("generateName"), cannot, errs);
        forbidIf(!str(m.getNamespace()).isEmpty(), path.child("namespace"), cannot, errs);
        forbidIf(!str(m.getSelfLink()).isEmpty(), path.child("selfLink"), cannot, errs);
        forbidIf(!str(m.getUid()).isEmpty(), path.child("uID"), cannot, errs);
        forbidIf(!str(m.getResourceVersion()).isEmpty(), path.child("resourceVersion"), cannot, errs);
        forbidIf(m.getGeneration() != null && m.getGeneration() != 0, path.child("generation"), cannot, errs);
        forbidIf(!str(m.getCreationTimestamp()).isEmpty(), path.child("creationTimestamp"), cannot, errs);
        forbidIf(!str(m.getDeletionTimestamp()).isEmpty(), path.child("deletionTimestamp"), cannot, errs);
        forbidIf(m.getDeletionGracePeriodSeconds() != null, path.child("deletionGracePeriodSeconds"), cannot, errs);
        forbidIf(
                m.getOwnerReferences() != null && !m.getOwnerReferences().isEmpty(),
                path.child("ownerReferences"),
                cannot,
                errs);
        forbidIf(m.getFinalizers() != null && !m.getFinalizers().isEmpty(), path.child("finalizers"), cannot, errs);
        forbidIf(
                m.getManagedFields() != null && !m.getManagedFields().isEmpty(),
                path.child("managedFields"),
                cannot,
                errs);
    }

    private static void forbidIf(boolean set, Path path, String detail, Errors errs) {
        if (set) {
            errs.forbidden(path, detail);
        }
    }

    private static void deviceRequest(DeviceRequest request, Path p, Errors errs) {
        String name = str(request.getName());
        errs.invalidEach(p.child("name"), name, Names.dns1123Label(name));
        List<DeviceSubRequest> alternatives = request.getFirstAvailable();
        boolean firstAvailable = alternatives != null && !alternatives.isEmpty();
        ExactDeviceRequest exactly = request.getExactly();
        if (!firstAvailable && exactly == null) {
            errs.required(p, "exactly one of `exactly` or `firstAvailable` is required");
        } else if (firstAvailable && exactly != null) {
            errs.invalidRaw(
                    p, "null", "exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set");
        } else if (firstAvailable) {
            Path fp = p.child("firstAvailable");
            if (alternatives.size() > MAX_FIRST_AVAILABLE) {
                errs.tooMany(fp, alternatives.size(), MAX_FIRST_AVAILABLE);
                return;
            }
            for (int i = 0; i < alternatives.size(); i++) {
                DeviceSubRequest sub = alternatives.get(i);
                Path sp = fp.index(i);
                String subName = str(sub.getName());
                errs.invalidEach(sp.child("name"), subName, Names.dns1123Label(subName));
                device(sub.getDeviceClassName(), sub.getSelectors(), sub.getAllocationMode(), sub.getCount(), sp, errs);
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < alternatives.size(); i++) {
                String subName = str(alternatives.get(i).getName());
                if (!seen.add(subName)) {
                    errs.duplicate(fp.index(i), subName);
                }
            }
        } else {
            device(
                    exactly.getDeviceClassName(),
                    exactly.getSelectors(),
                    exactly.getAllocationMode(),
                    exactly.getCount(),
                    p.child("exactly"),
                    errs);
        }
    }

    /** The part {@code exactly} and a {@code firstAvailable} alternative share. */
    private static void device(
            @Nullable String deviceClass,
            @Nullable List<DeviceSelector> selectors,
            @Nullable String allocationMode,
            @Nullable Long count,
            Path p,
            Errors errs) {
        String cls = str(deviceClass);
        if (cls.isEmpty()) {
            errs.required(p.child("deviceClassName"), "");
        } else {
            errs.invalidEach(p.child("deviceClassName"), cls, Names.dns1123Subdomain(cls));
        }
        if (selectors != null) {
            if (selectors.size() > MAX_DEVICE_SELECTORS) {
                errs.tooMany(p.child("selectors"), selectors.size(), MAX_DEVICE_SELECTORS);
            } else {
                for (int i = 0; i < selectors.size(); i++) {
                    if (selectors.get(i).getCel() == null) {
                        errs.required(p.child("selectors").index(i).child("cel"), "");
                    }
                }
            }
        }
        String mode = str(allocationMode).isEmpty() ? "ExactCount" : allocationMode;
        long n = count == null ? 0 : count;
        if (mode.equals("ExactCount") && n == 0) {
            n = 1; // SetDefaults_ExactDeviceRequest
        }
        switch (mode) {
            case "All" -> {
                if (n != 0) {
                    errs.invalid(p.child("count"), n, "must not be specified when allocationMode is 'All'");
                }
            }
            case "ExactCount" -> {
                if (n <= 0) {
                    errs.invalid(p.child("count"), n, "must be greater than zero");
                }
            }
            default -> errs.notSupported(p.child("allocationMode"), mode, ALLOCATION_MODES);
        }
    }
}
