package dev.skiff.core.internal.validation;

import static dev.skiff.core.internal.validation.MetaRules.str;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerRestartRule;
import io.fabric8.kubernetes.api.model.ContainerRestartRuleOnExitCodes;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodResourceClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Pods, pod templates and everything in a pod spec: containers, env, ports, probes, resources,
 * volumes, tolerations, affinity and security contexts. Values the API server defaults before it
 * validates (restart policy, DNS policy, probe thresholds, protocols ...) are treated as defaulted.
 */
public final class PodRules {
    private PodRules() {}

    private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> CONTAINER_RESTART_POLICIES = List.of("Always", "Never", "OnFailure");
    private static final List<String> RESTART_RULE_ACTIONS = List.of("Restart", "RestartAllContainers");
    private static final List<String> RESTART_RULE_OPERATORS = List.of("In", "NotIn");
    private static final int MAX_RESTART_RULES = 20;
    private static final int MAX_RESTART_RULE_EXIT_CODES = 255;
    private static final List<String> DNS_POLICIES =
            List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final List<String> SECCOMP_TYPES = List.of("Localhost", "RuntimeDefault", "Unconfined");
    private static final Set<String> ENV_FIELD_PATHS = new TreeSet<>(List.of(
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.hostIPs",
            "status.podIP",
            "status.podIPs"));
    private static final Set<String> CONVERTIBLE_FIELD_PATHS = Set.of(
            "metadata.annotations",
            "metadata.labels",
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.hostIP",
            "status.hostIPs",
            "status.podIP",
            "status.podIPs");
    private static final Set<String> RESOURCE_FIELD_PATHS = new TreeSet<>(List.of(
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage"));

    /** Validates a Pod's spec on create (metadata is validated by the caller). */
    public static void pod(Pod pod, Errors errs) {
        Path spec = Path.root("spec");
        PodSpec s = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        podSpec(s, spec, true, errs);
        onlyForPod(s.getContainers(), spec.child("containers"), errs);
        onlyForPod(s.getInitContainers(), spec.child("initContainers"), errs);
        if (s.getEphemeralContainers() != null && !s.getEphemeralContainers().isEmpty()) {
            errs.forbidden(spec.child("ephemeralContainers"), "cannot be set on create");
        }
        if (!str(s.getNodeName()).isEmpty()
                && s.getSchedulingGates() != null
                && !s.getSchedulingGates().isEmpty()) {
            errs.forbidden(spec.child("nodeName"), "cannot be set until all schedulingGates have been cleared");
        }
    }

    private static void onlyForPod(@Nullable List<Container> containers, Path path, Errors errs) {
        if (containers == null) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            String image = str(containers.get(i).getImage());
            if (!image.equals(image.strip())) {
                errs.invalid(path.index(i).child("image"), image, "must not have leading or trailing whitespace");
            }
        }
    }

    /** Go's {@code ValidatePodTemplateSpec}: labels, annotations, and the pod spec. */
    public static void template(@Nullable PodTemplateSpec t, Path path, Errors errs) {
        PodTemplateSpec tpl = t == null ? new PodTemplateSpec() : t;
        templateMeta(tpl, path, errs);
        PodSpec spec = tpl.getSpec() == null ? new PodSpec() : tpl.getSpec();
        podSpec(spec, path.child("spec"), false, errs);
        if (spec.getEphemeralContainers() != null
                && !spec.getEphemeralContainers().isEmpty()) {
            errs.forbidden(
                    path.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template");
        }
    }

    /** The labels and annotations of a pod template (a StatefulSet's are checked a second time). */
    public static void templateMeta(PodTemplateSpec tpl, Path path, Errors errs) {
        if (tpl.getMetadata() != null) {
            MetaRules.labels(tpl.getMetadata().getLabels(), path.child("labels"), errs);
            MetaRules.annotations(tpl.getMetadata().getAnnotations(), path.child("annotations"), errs);
        }
    }

    /** The restart policy after defaulting ({@code Always} when unset). */
    public static String restartPolicy(@Nullable PodTemplateSpec t) {
        if (t == null || t.getSpec() == null) {
            return "Always";
        }
        String p = str(t.getSpec().getRestartPolicy());
        return p.isEmpty() ? "Always" : p;
    }

    /** Go's {@code ValidatePodSpec}. */
    static void podSpec(PodSpec spec, Path path, boolean isPod, Errors errs) {
        long grace = spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds();
        Map<String, io.fabric8.kubernetes.api.model.Volume> vols =
                VolumeRules.volumes(spec.getVolumes(), path.child("volumes"), errs);
        Set<String> claimNames = podResourceClaims(spec.getResourceClaims(), path.child("resourceClaims"), errs);
        String restart = str(spec.getRestartPolicy()).isEmpty() ? "Always" : spec.getRestartPolicy();
        boolean hostUsers = spec.getHostUsers() == null || spec.getHostUsers();
        containers(spec.getContainers(), vols, claimNames, grace, path.child("containers"), isPod, hostUsers, errs);
        initContainers(spec, vols, claimNames, grace, path.child("initContainers"), isPod, hostUsers, errs);
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            List<Container> cs = spec.getContainers() == null ? List.of() : spec.getContainers();
            for (int i = 0; i < cs.size(); i++) {
                List<ContainerPort> ports =
                        cs.get(i).getPorts() == null ? List.of() : cs.get(i).getPorts();
                for (int j = 0; j < ports.size(); j++) {
                    int hp = intOr(ports.get(j).getHostPort(), 0);
                    int cp = intOr(ports.get(j).getContainerPort(), 0);
                    if (hp != 0 && hp != cp) {
                        errs.invalid(
                                path.child("containers")
                                        .index(i)
                                        .child("ports")
                                        .index(j)
                                        .child("hostPort"),
                                hp,
                                "must match `containerPort` when `hostNetwork` is true");
                    }
                }
            }
        }
        if (!RESTART_POLICIES.contains(restart)) {
            errs.notSupported(path.child("restartPolicy"), restart, RESTART_POLICIES);
        }
        String dns = str(spec.getDnsPolicy()).isEmpty() ? "ClusterFirst" : spec.getDnsPolicy();
        if (!DNS_POLICIES.contains(dns)) {
            errs.notSupported(path.child("dnsPolicy"), dns, DNS_POLICIES);
        }
        MetaRules.labels(spec.getNodeSelector(), path.child("nodeSelector"), errs);
        podSecurityContext(spec, path.child("securityContext"), errs);
        affinity(spec.getAffinity(), path.child("affinity"), errs);
        if (dns.equals("None")) {
            if (spec.getDnsConfig() == null) {
                errs.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None");
            } else if (spec.getDnsConfig().getNameservers() == null
                    || spec.getDnsConfig().getNameservers().isEmpty()) {
                errs.required(
                        path.child("dnsConfig", "nameservers"),
                        "must provide at least one DNS nameserver when `dnsPolicy` is None");
            }
        }
        if (spec.getReadinessGates() != null) {
            for (int i = 0; i < spec.getReadinessGates().size(); i++) {
                String t = str(spec.getReadinessGates().get(i).getConditionType());
                errs.invalidEach(
                        path.child("readinessGates").index(i).child("conditionType"), t, Names.qualifiedName(t));
            }
        }
        if (spec.getSchedulingGates() != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < spec.getSchedulingGates().size(); i++) {
                String g = str(spec.getSchedulingGates().get(i).getName());
                Path p = path.child("schedulingGates").index(i);
                errs.invalidEach(p, g, Names.qualifiedName(g));
                if (!seen.add(g)) {
                    errs.duplicate(p, g);
                }
            }
        }
        subdomainField(spec.getServiceAccountName(), path.child("serviceAccountName"), errs);
        subdomainField(spec.getNodeName(), path.child("nodeName"), errs);
        if (spec.getActiveDeadlineSeconds() != null) {
            long v = spec.getActiveDeadlineSeconds();
            if (v < 1 || v > Integer.MAX_VALUE) {
                errs.invalid(path.child("activeDeadlineSeconds"), v, Names.inclusiveRange(1, Integer.MAX_VALUE));
            }
        }
        if (!str(spec.getHostname()).isEmpty()) {
            errs.invalidEach(path.child("hostname"), spec.getHostname(), Names.dns1123Label(spec.getHostname()));
        }
        if (!str(spec.getSubdomain()).isEmpty()) {
            errs.invalidEach(path.child("subdomain"), spec.getSubdomain(), Names.dns1123Label(spec.getSubdomain()));
        }
        tolerations(spec.getTolerations(), path.child("tolerations"), errs);
        subdomainField(spec.getPriorityClassName(), path.child("priorityClassName"), errs);
        if (spec.getRuntimeClassName() != null) {
            String r = spec.getRuntimeClassName();
            errs.invalidEach(path.child("runtimeClassName"), r, Names.dns1123Subdomain(r));
        }
        if (spec.getPreemptionPolicy() != null) {
            String p = spec.getPreemptionPolicy();
            if (p.isEmpty()) {
                errs.required(path.child("preemptionPolicy"), "");
            } else if (!p.equals("PreemptLowerPriority") && !p.equals("Never")) {
                errs.notSupported(path.child("preemptionPolicy"), p, List.of("PreemptLowerPriority", "Never"));
            }
        }
    }

    private static void subdomainField(@Nullable String value, Path path, Errors errs) {
        if (value != null && !value.isEmpty()) {
            errs.invalidEach(path, value, Names.dns1123Subdomain(value));
        }
    }

    private static Set<String> podResourceClaims(@Nullable List<PodResourceClaim> claims, Path path, Errors errs) {
        if (claims == null || claims.isEmpty()) {
            return Set.of();
        }
        Set<String> all = new HashSet<>();
        for (PodResourceClaim c : claims) {
            if (!str(c.getName()).isEmpty()) {
                all.add(c.getName());
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            PodResourceClaim c = claims.get(i);
            Path p = path.index(i);
            String name = str(c.getName());
            if (name.isEmpty()) {
                errs.required(p.child("name"), "");
            } else if (seen.contains(name)) {
                errs.duplicate(p.child("name"), name);
            } else {
                errs.invalidEach(p.child("name"), name, Names.dns1123Label(name));
                seen.add(name);
            }
            boolean byName = c.getResourceClaimName() != null;
            boolean byTemplate = c.getResourceClaimTemplateName() != null;
            if (byName && byTemplate) {
                errs.invalidNoValue(
                        p, "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified");
            } else if (!byName && !byTemplate) {
                errs.invalidNoValue(p, "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`");
            }
            if (byName) {
                String n = c.getResourceClaimName();
                errs.invalidEach(p.child("resourceClaimName"), n, Names.dns1123Subdomain(n));
            }
            if (byTemplate) {
                String n = c.getResourceClaimTemplateName();
                errs.invalidEach(p.child("resourceClaimTemplateName"), n, Names.dns1123Subdomain(n));
            }
        }
        return all;
    }

    private static void containers(
            @Nullable List<Container> cs,
            Map<String, io.fabric8.kubernetes.api.model.Volume> vols,
            Set<String> claims,
            long grace,
            Path path,
            boolean isPod,
            boolean hostUsers,
            Errors errs) {
        if (cs == null || cs.isEmpty()) {
            errs.required(path, "");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < cs.size(); i++) {
            Container c = cs.get(i);
            Path p = path.index(i);
            common(c, vols, claims, p, isPod, hostUsers, errs);
            if (!names.add(str(c.getName()))) {
                errs.duplicate(p.child("name"), str(c.getName()));
            }
            if (c.getLifecycle() != null) {
                lifecycle(c.getLifecycle(), grace, p.child("lifecycle"), errs);
            }
            probe(c.getLivenessProbe(), p.child("livenessProbe"), true, false, errs);
            probe(c.getReadinessProbe(), p.child("readinessProbe"), false, true, errs);
            probe(c.getStartupProbe(), p.child("startupProbe"), true, false, errs);
            containerRestartRules(c.getRestartPolicy(), c.getRestartPolicyRules(), p, errs);
        }
        hostPortConflicts(cs, path, errs);
    }

    private static void initContainers(
            PodSpec spec,
            Map<String, io.fabric8.kubernetes.api.model.Volume> vols,
            Set<String> claims,
            long grace,
            Path path,
            boolean isPod,
            boolean hostUsers,
            Errors errs) {
        List<Container> cs = spec.getInitContainers();
        if (cs == null || cs.isEmpty()) {
            return;
        }
        Set<String> names = new HashSet<>();
        if (spec.getContainers() != null) {
            for (Container c : spec.getContainers()) {
                names.add(str(c.getName()));
            }
        }
        for (int i = 0; i < cs.size(); i++) {
            Container c = cs.get(i);
            Path p = path.index(i);
            common(c, vols, claims, p, isPod, hostUsers, errs);
            boolean always = "Always".equals(c.getRestartPolicy());
            if (c.getRestartPolicy() == null) {
                if (c.getRestartPolicyRules() != null
                        && !c.getRestartPolicyRules().isEmpty()) {
                    errs.required(p.child("restartPolicy"), "must specify restartPolicy when restart rules are used");
                }
            } else {
                containerRestartRules(c.getRestartPolicy(), c.getRestartPolicyRules(), p, errs);
            }
            String name = str(c.getName());
            if (names.contains(name)) {
                errs.duplicate(p.child("name"), name);
            } else if (!name.isEmpty()) {
                names.add(name);
            }
            hostPortConflicts(List.of(c), path, errs);
            if (always) {
                if (c.getLifecycle() != null) {
                    lifecycle(c.getLifecycle(), grace, p.child("lifecycle"), errs);
                }
                probe(c.getLivenessProbe(), p.child("livenessProbe"), true, false, errs);
                probe(c.getReadinessProbe(), p.child("readinessProbe"), false, true, errs);
                probe(c.getStartupProbe(), p.child("startupProbe"), true, false, errs);
            } else {
                String why = "may not be set for init containers without restartPolicy=Always";
                if (c.getLifecycle() != null) {
                    errs.forbidden(p.child("lifecycle"), why);
                }
                if (c.getLivenessProbe() != null) {
                    errs.forbidden(p.child("livenessProbe"), why);
                }
                if (c.getReadinessProbe() != null) {
                    errs.forbidden(p.child("readinessProbe"), why);
                }
                if (c.getStartupProbe() != null) {
                    errs.forbidden(p.child("startupProbe"), why);
                }
            }
        }
    }

    /**
     * Go's {@code validateContainerRestartPolicy} with {@code ContainerRestartRules} and {@code
     * RestartAllContainersOnContainerExits} (both on by default in 1.36): any container may set
     * {@code restartPolicy} and, with it, up to 20 {@code restartPolicyRules}.
     */
    private static void containerRestartRules(
            @Nullable String policy, @Nullable List<ContainerRestartRule> rules, Path p, Errors errs) {
        List<ContainerRestartRule> rs = rules == null ? List.of() : rules;
        if (policy == null) {
            if (rs.isEmpty()) {
                return;
            }
            errs.required(p.child("restartPolicy"), "must specify restartPolicy when restart rules are used");
        } else if (!CONTAINER_RESTART_POLICIES.contains(policy)) {
            errs.notSupported(p.child("restartPolicy"), policy, CONTAINER_RESTART_POLICIES);
        }
        if (rs.size() > MAX_RESTART_RULES) {
            errs.tooMany(p.child("restartPolicyRules"), rs.size(), MAX_RESTART_RULES);
        }
        for (int i = 0; i < rs.size(); i++) {
            ContainerRestartRule rule = rs.get(i);
            Path rp = p.child("restartPolicyRules").index(i);
            String action = str(rule.getAction());
            if (!RESTART_RULE_ACTIONS.contains(action)) {
                errs.notSupported(rp.child("action"), action, RESTART_RULE_ACTIONS);
            }
            ContainerRestartRuleOnExitCodes codes = rule.getExitCodes();
            if (codes == null) {
                errs.required(rp.child("exitCodes"), "must be specified");
            } else {
                String op = str(codes.getOperator());
                if (!RESTART_RULE_OPERATORS.contains(op)) {
                    errs.notSupported(rp.child("exitCodes", "operator"), op, RESTART_RULE_OPERATORS);
                }
                if (codes.getValues() != null && codes.getValues().size() > MAX_RESTART_RULE_EXIT_CODES) {
                    errs.tooMany(
                            rp.child("exitCodes", "values"), codes.getValues().size(), MAX_RESTART_RULE_EXIT_CODES);
                }
            }
        }
    }

    private static void hostPortConflicts(List<Container> cs, Path path, Errors errs) {
        Set<String> seen = null;
        for (int i = 0; i < cs.size(); i++) {
            List<ContainerPort> ports = cs.get(i).getPorts();
            if (ports == null) {
                continue;
            }
            for (int j = 0; j < ports.size(); j++) {
                ContainerPort port = ports.get(j);
                int hp = intOr(port.getHostPort(), 0);
                if (hp == 0) {
                    continue;
                }
                String protocol = str(port.getProtocol()).isEmpty() ? "TCP" : port.getProtocol();
                String key = protocol + "/" + str(port.getHostIP()) + "/" + hp;
                if (seen == null) {
                    seen = new HashSet<>();
                }
                if (!seen.add(key)) {
                    errs.duplicate(path.index(i).child("ports").index(j).child("hostPort"), key);
                }
            }
        }
    }

    private static void common(
            Container c,
            Map<String, io.fabric8.kubernetes.api.model.Volume> vols,
            Set<String> claims,
            Path p,
            boolean isPod,
            boolean hostUsers,
            Errors errs) {
        String name = str(c.getName());
        if (name.isEmpty()) {
            errs.required(p.child("name"), "");
        } else {
            errs.invalidEach(p.child("name"), name, Names.dns1123Label(name));
        }
        if (str(c.getImage()).isEmpty()) {
            errs.required(p.child("image"), "");
        }
        String tmp = str(c.getTerminationMessagePolicy());
        if (!tmp.isEmpty() && !TERMINATION_MESSAGE_POLICIES.contains(tmp)) {
            errs.notSupported(p.child("terminationMessagePolicy"), tmp, TERMINATION_MESSAGE_POLICIES);
        }
        ports(c.getPorts(), p.child("ports"), errs);
        env(c.getEnv(), p.child("env"), errs);
        envFrom(c.getEnvFrom(), p.child("envFrom"), errs);
        VolumeRules.mounts(c, vols, p.child("volumeMounts"), errs);
        String pull = str(c.getImagePullPolicy());
        if (!pull.isEmpty() && !PULL_POLICIES.contains(pull)) {
            errs.notSupported(p.child("imagePullPolicy"), pull, PULL_POLICIES);
        }
        ResourceRules.requirements(c.getResources(), isPod, claims, p.child("resources"), errs);
        securityContext(c.getSecurityContext(), p.child("securityContext"), hostUsers, errs);
    }

    private static void ports(@Nullable List<ContainerPort> ports, Path path, Errors errs) {
        if (ports == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort port = ports.get(i);
            Path p = path.index(i);
            String name = str(port.getName());
            if (!name.isEmpty()) {
                List<String> msgs = Names.portName(name);
                if (!msgs.isEmpty()) {
                    errs.invalidEach(p.child("name"), name, msgs);
                } else if (!names.add(name)) {
                    errs.duplicate(p.child("name"), name);
                }
            }
            int cp = intOr(port.getContainerPort(), 0);
            if (cp == 0) {
                errs.required(p.child("containerPort"), "");
            } else if (cp < 1 || cp > 65535) {
                errs.invalid(p.child("containerPort"), cp, Names.inclusiveRange(1, 65535));
            }
            int hp = intOr(port.getHostPort(), 0);
            if (hp != 0 && (hp < 1 || hp > 65535)) {
                errs.invalid(p.child("hostPort"), hp, Names.inclusiveRange(1, 65535));
            }
            String protocol = str(port.getProtocol());
            if (!protocol.isEmpty() && !PROTOCOLS.contains(protocol)) {
                errs.notSupported(p.child("protocol"), protocol, PROTOCOLS);
            }
        }
    }

    private static void env(@Nullable List<EnvVar> vars, Path path, Errors errs) {
        if (vars == null) {
            return;
        }
        for (int i = 0; i < vars.size(); i++) {
            EnvVar ev = vars.get(i);
            Path p = path.index(i);
            String name = str(ev.getName());
            if (name.isEmpty()) {
                errs.required(p.child("name"), "");
            } else {
                errs.invalidEach(p.child("name"), name, Names.envVarName(name));
            }
            valueFrom(ev, p.child("valueFrom"), errs);
        }
    }

    private static void valueFrom(EnvVar ev, Path p, Errors errs) {
        EnvVarSource src = ev.getValueFrom();
        if (src == null) {
            return;
        }
        int n = 0;
        if (src.getFieldRef() != null) {
            n++;
            fieldRef(src.getFieldRef(), p.child("fieldRef"), errs);
        }
        if (src.getResourceFieldRef() != null) {
            n++;
            resourceFieldRef(src.getResourceFieldRef(), p.child("resourceFieldRef"), errs);
        }
        if (src.getConfigMapKeyRef() != null) {
            n++;
            ConfigMapKeySelector s = src.getConfigMapKeyRef();
            keySelector(str(s.getName()), str(s.getKey()), p.child("configMapKeyRef"), errs);
        }
        if (src.getSecretKeyRef() != null) {
            n++;
            SecretKeySelector s = src.getSecretKeyRef();
            keySelector(str(s.getName()), str(s.getKey()), p.child("secretKeyRef"), errs);
        }
        if (src.getFileKeyRef() != null) {
            n++;
        }
        if (n == 0) {
            errs.invalid(
                    p, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
        } else if (!str(ev.getValue()).isEmpty()) {
            errs.invalid(p, "", "may not be specified when `value` is not empty");
        } else if (n > 1) {
            errs.invalid(p, "", "may not have more than one field specified at a time");
        }
    }

    private static void keySelector(String name, String key, Path p, Errors errs) {
        errs.invalidEach(p.child("name"), name, Names.dns1123Subdomain(name));
        if (key.isEmpty()) {
            errs.required(p.child("key"), "");
        } else {
            errs.invalidEach(p.child("key"), key, Names.configMapKey(key));
        }
    }

    private static void fieldRef(ObjectFieldSelector fs, Path p, Errors errs) {
        // apiVersion defaults to v1.
        String fieldPath = str(fs.getFieldPath());
        if (fieldPath.isEmpty()) {
            errs.required(p.child("fieldPath"), "");
            return;
        }
        int bracket = fieldPath.indexOf('[');
        if (bracket > 0 && fieldPath.endsWith("]")) {
            String base = fieldPath.substring(0, bracket);
            String sub = fieldPath.substring(bracket + 1, fieldPath.length() - 1);
            if (sub.length() >= 2 && sub.startsWith("'") && sub.endsWith("'")) {
                sub = sub.substring(1, sub.length() - 1);
            }
            switch (base) {
                case "metadata.annotations" ->
                    errs.invalidEach(
                            p,
                            sub.toLowerCase(java.util.Locale.ROOT),
                            Names.qualifiedName(sub.toLowerCase(java.util.Locale.ROOT)));
                case "metadata.labels" -> errs.invalidEach(p, sub, Names.qualifiedName(sub));
                default ->
                    errs.invalid(
                            p.child("fieldPath"),
                            fieldPath,
                            "error converting fieldPath: field label not supported: " + fieldPath);
            }
            return;
        }
        if (!CONVERTIBLE_FIELD_PATHS.contains(fieldPath)) {
            errs.invalid(
                    p.child("fieldPath"),
                    fieldPath,
                    "error converting fieldPath: field label not supported: " + fieldPath);
        } else if (!ENV_FIELD_PATHS.contains(fieldPath)) {
            errs.notSupported(p.child("fieldPath"), fieldPath, ENV_FIELD_PATHS);
        }
    }

    private static void resourceFieldRef(ResourceFieldSelector rs, Path p, Errors errs) {
        String resource = str(rs.getResource());
        if (resource.isEmpty()) {
            errs.required(p.child("resource"), "");
        } else if (!RESOURCE_FIELD_PATHS.contains(resource)
                && !resource.startsWith("requests.hugepages-")
                && !resource.startsWith("limits.hugepages-")) {
            errs.notSupported(p.child("resource"), resource, RESOURCE_FIELD_PATHS);
        }
    }

    private static void envFrom(@Nullable List<EnvFromSource> sources, Path path, Errors errs) {
        if (sources == null) {
            return;
        }
        for (int i = 0; i < sources.size(); i++) {
            EnvFromSource s = sources.get(i);
            Path p = path.index(i);
            if (!str(s.getPrefix()).isEmpty()) {
                errs.invalidEach(p.child("prefix"), s.getPrefix(), Names.envVarName(s.getPrefix()));
            }
            int n = 0;
            if (s.getConfigMapRef() != null) {
                n++;
                refName(str(s.getConfigMapRef().getName()), p.child("configMapRef", "name"), errs);
            }
            if (s.getSecretRef() != null) {
                n++;
                refName(str(s.getSecretRef().getName()), p.child("secretRef", "name"), errs);
            }
            if (n == 0) {
                errs.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`");
            } else if (n > 1) {
                errs.invalid(path, "", "may not have more than one field specified at a time");
            }
        }
    }

    private static void refName(String name, Path p, Errors errs) {
        if (name.isEmpty()) {
            errs.required(p, "");
        } else {
            errs.invalidEach(p, name, Names.dns1123Subdomain(Names.maskTrailingDash(name)));
        }
    }

    private static void probe(@Nullable Probe probe, Path p, boolean successMustBeOne, boolean readiness, Errors errs) {
        if (probe == null) {
            return;
        }
        int handlers = 0;
        if (probe.getExec() != null) {
            handlers++;
            exec(probe.getExec(), p.child("exec"), errs);
        }
        if (probe.getHttpGet() != null) {
            if (handlers++ > 0) {
                errs.forbidden(p.child("httpGet"), "may not specify more than 1 handler type");
            } else {
                httpGet(probe.getHttpGet(), p.child("httpGet"), errs);
            }
        }
        if (probe.getTcpSocket() != null) {
            if (handlers++ > 0) {
                errs.forbidden(p.child("tcpSocket"), "may not specify more than 1 handler type");
            } else {
                port(probe.getTcpSocket().getPort(), p.child("tcpSocket", "port"), errs);
            }
        }
        if (probe.getGrpc() != null) {
            if (handlers++ > 0) {
                errs.forbidden(p.child("grpc"), "may not specify more than 1 handler type");
            } else {
                int port = intOr(probe.getGrpc().getPort(), 0);
                if (port < 1 || port > 65535) {
                    errs.invalid(p.child("grpc", "port"), port, Names.inclusiveRange(1, 65535));
                }
            }
        }
        if (handlers == 0) {
            errs.required(p, "must specify a handler type");
        }
        nonNegative(intOr(probe.getInitialDelaySeconds(), 0), p.child("initialDelaySeconds"), errs);
        nonNegative(intOr(probe.getTimeoutSeconds(), 1), p.child("timeoutSeconds"), errs);
        nonNegative(intOr(probe.getPeriodSeconds(), 10), p.child("periodSeconds"), errs);
        int success = intOr(probe.getSuccessThreshold(), 1);
        nonNegative(success, p.child("successThreshold"), errs);
        nonNegative(intOr(probe.getFailureThreshold(), 3), p.child("failureThreshold"), errs);
        Long tgps = probe.getTerminationGracePeriodSeconds();
        if (tgps != null && tgps <= 0) {
            errs.invalid(p.child("terminationGracePeriodSeconds"), tgps, "must be greater than 0");
        }
        if (readiness && tgps != null) {
            errs.invalid(p.child("terminationGracePeriodSeconds"), tgps, "must not be set for readinessProbes");
        }
        if (successMustBeOne && success != 1) {
            errs.invalid(p.child("successThreshold"), success, "must be 1");
        }
    }

    private static void lifecycle(Lifecycle lc, long grace, Path p, Errors errs) {
        handler(lc.getPostStart(), grace, p.child("postStart"), errs);
        handler(lc.getPreStop(), grace, p.child("preStop"), errs);
    }

    private static void handler(@Nullable LifecycleHandler h, long grace, Path p, Errors errs) {
        if (h == null) {
            return;
        }
        int handlers = 0;
        if (h.getExec() != null) {
            handlers++;
            exec(h.getExec(), p.child("exec"), errs);
        }
        if (h.getHttpGet() != null) {
            if (handlers++ > 0) {
                errs.forbidden(p.child("httpGet"), "may not specify more than 1 handler type");
            } else {
                httpGet(h.getHttpGet(), p.child("httpGet"), errs);
            }
        }
        if (h.getTcpSocket() != null) {
            if (handlers++ > 0) {
                errs.forbidden(p.child("tcpSocket"), "may not specify more than 1 handler type");
            } else {
                port(h.getTcpSocket().getPort(), p.child("tcpSocket", "port"), errs);
            }
        }
        if (h.getSleep() != null) {
            if (handlers++ > 0) {
                errs.forbidden(p.child("sleep"), "may not specify more than 1 handler type");
            } else {
                long s = h.getSleep().getSeconds() == null ? 0 : h.getSleep().getSeconds();
                if (s < 0 || s > grace) {
                    errs.invalid(
                            p.child("sleep"),
                            s,
                            "must be non-negative and less than terminationGracePeriodSeconds (" + grace + ")");
                }
            }
        }
        if (handlers == 0) {
            errs.required(p, "must specify a handler type");
        }
    }

    private static void exec(ExecAction exec, Path p, Errors errs) {
        if (exec.getCommand() == null || exec.getCommand().isEmpty()) {
            errs.required(p.child("command"), "");
        }
    }

    private static void httpGet(HTTPGetAction h, Path p, Errors errs) {
        port(h.getPort(), p.child("port"), errs);
        String scheme = str(h.getScheme());
        if (!scheme.isEmpty() && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            errs.notSupported(p.child("scheme"), scheme, List.of("HTTP", "HTTPS"));
        }
        if (h.getHttpHeaders() != null) {
            for (HTTPHeader header : h.getHttpHeaders()) {
                String n = str(header.getName());
                boolean ok = !n.isEmpty();
                for (int i = 0; i < n.length() && ok; i++) {
                    char c = n.charAt(i);
                    ok = c == '-' || Character.isLetterOrDigit(c) && c < 128;
                }
                if (!ok) {
                    errs.invalid(
                            p.child("httpHeaders"),
                            n,
                            Names.regexError(
                                    "a valid HTTP header must consist of alphanumeric characters or '-'",
                                    "[-A-Za-z0-9]+",
                                    "X-Header-Name"));
                }
            }
        }
    }

    /** Go's {@code ValidatePortNumOrName}. */
    static void port(@Nullable IntOrString port, Path p, Errors errs) {
        if (port != null && port.getStrVal() != null) {
            errs.invalidEach(p, port.getStrVal(), Names.portName(port.getStrVal()));
            return;
        }
        int v = port == null || port.getIntVal() == null ? 0 : port.getIntVal();
        if (v < 1 || v > 65535) {
            errs.invalid(p, v, Names.inclusiveRange(1, 65535));
        }
    }

    static void nonNegative(long v, Path p, Errors errs) {
        if (v < 0) {
            errs.invalid(p, v, "must be greater than or equal to 0");
        }
    }

    private static void tolerations(@Nullable List<Toleration> ts, Path path, Errors errs) {
        if (ts == null) {
            return;
        }
        for (int i = 0; i < ts.size(); i++) {
            Toleration t = ts.get(i);
            Path p = path.index(i);
            String key = str(t.getKey());
            String op = str(t.getOperator());
            String effect = str(t.getEffect());
            String value = str(t.getValue());
            if (!key.isEmpty()) {
                errs.invalidEach(p.child("key"), key, Names.qualifiedName(key));
            }
            if (key.isEmpty() && !op.equals("Exists")) {
                errs.invalid(
                        p.child("operator"),
                        op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
                errs.invalid(p.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
            switch (op) {
                case "Equal", "" -> {
                    List<String> msgs = Names.labelValue(value);
                    if (!msgs.isEmpty()) {
                        errs.invalid(p.child("operator"), value, String.join(";", msgs));
                    }
                }
                case "Exists" -> {
                    if (!value.isEmpty()) {
                        errs.invalid(p.child("operator"), value, "value must be empty when `operator` is 'Exists'");
                    }
                }
                case "Lt", "Gt" -> errs.notSupported(p.child("operator"), op, List.of("Equal", "Exists", "Lt", "Gt"));
                default -> errs.notSupported(p.child("operator"), op, List.of("Equal", "Exists"));
            }
            if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
                errs.notSupported(p.child("effect"), effect, TAINT_EFFECTS);
            }
        }
    }

    private static void affinity(@Nullable Affinity a, Path path, Errors errs) {
        if (a == null) {
            return;
        }
        if (a.getNodeAffinity() != null) {
            Path na = path.child("nodeAffinity");
            NodeSelector required = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
            if (required != null) {
                Path terms = na.child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
                List<NodeSelectorTerm> ts = required.getNodeSelectorTerms();
                if (ts == null || ts.isEmpty()) {
                    errs.required(terms, "must have at least one node selector term");
                } else {
                    for (int i = 0; i < ts.size(); i++) {
                        nodeSelectorTerm(ts.get(i), false, terms.index(i), errs);
                    }
                }
            }
            List<PreferredSchedulingTerm> preferred =
                    a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
            if (preferred != null) {
                Path pp = na.child("preferredDuringSchedulingIgnoredDuringExecution");
                for (int i = 0; i < preferred.size(); i++) {
                    int w = intOr(preferred.get(i).getWeight(), 0);
                    if (w <= 0 || w > 100) {
                        errs.invalid(pp.index(i).child("weight"), w, "must be in the range 1-100");
                    }
                    if (preferred.get(i).getPreference() != null) {
                        nodeSelectorTerm(
                                preferred.get(i).getPreference(),
                                true,
                                pp.index(i).child("preference"),
                                errs);
                    }
                }
            }
        }
        if (a.getPodAffinity() != null) {
            podAffinityTerms(
                    a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                    a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(),
                    path.child("podAffinity"),
                    errs);
        }
        if (a.getPodAntiAffinity() != null) {
            podAffinityTerms(
                    a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                    a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(),
                    path.child("podAntiAffinity"),
                    errs);
        }
    }

    private static void nodeSelectorTerm(NodeSelectorTerm term, boolean allowInvalidValues, Path p, Errors errs) {
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions();
        if (exprs != null) {
            for (int j = 0; j < exprs.size(); j++) {
                NodeSelectorRequirement r = exprs.get(j);
                Path rp = p.child("matchExpressions").index(j);
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                String op = str(r.getOperator());
                switch (op) {
                    case "In", "NotIn" -> {
                        if (values.isEmpty()) {
                            errs.required(rp.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                        }
                    }
                    case "Exists", "DoesNotExist" -> {
                        if (!values.isEmpty()) {
                            errs.forbidden(
                                    rp.child("values"),
                                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                        }
                    }
                    case "Gt", "Lt" -> {
                        if (values.size() != 1) {
                            errs.required(
                                    rp.child("values"),
                                    "must be specified single value when `operator` is 'Lt' or 'Gt'");
                        }
                    }
                    default -> errs.invalid(rp.child("operator"), op, "not a valid selector operator");
                }
                String key = str(r.getKey());
                errs.invalidEach(rp.child("key"), key, Names.qualifiedName(key));
                if (!allowInvalidValues) {
                    for (int k = 0; k < values.size(); k++) {
                        String v = str(values.get(k));
                        errs.invalidEach(rp.child("values").index(k), v, Names.labelValue(v));
                    }
                }
            }
        }
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        if (fields != null) {
            for (int j = 0; j < fields.size(); j++) {
                NodeSelectorRequirement r = fields.get(j);
                Path rp = p.child("matchFields").index(j);
                String op = str(r.getOperator());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                if (op.equals("In") || op.equals("NotIn")) {
                    if (values.size() != 1) {
                        errs.required(
                                rp.child("values"),
                                "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
                    }
                } else {
                    errs.invalid(rp.child("operator"), op, "not a valid selector operator");
                }
                if (!str(r.getKey()).equals("metadata.name")) {
                    errs.invalid(rp.child("key"), str(r.getKey()), "not a valid field selector key");
                } else {
                    for (int k = 0; k < values.size(); k++) {
                        String v = str(values.get(k));
                        errs.invalidEach(rp.child("values").index(k), v, Names.dns1123Subdomain(v));
                    }
                }
            }
        }
    }

    private static void podAffinityTerms(
            @Nullable List<PodAffinityTerm> required,
            @Nullable List<WeightedPodAffinityTerm> preferred,
            Path path,
            Errors errs) {
        if (required != null) {
            Path rp = path.child("requiredDuringSchedulingIgnoredDuringExecution");
            for (int i = 0; i < required.size(); i++) {
                podAffinityTerm(required.get(i), rp.index(i), errs);
            }
        }
        if (preferred != null) {
            Path pp = path.child("preferredDuringSchedulingIgnoredDuringExecution");
            for (int i = 0; i < preferred.size(); i++) {
                int w = intOr(preferred.get(i).getWeight(), 0);
                if (w <= 0 || w > 100) {
                    errs.invalid(pp.index(i).child("weight"), w, "must be in the range 1-100");
                }
                PodAffinityTerm t = preferred.get(i).getPodAffinityTerm();
                podAffinityTerm(
                        t == null ? new PodAffinityTerm() : t, pp.index(i).child("podAffinityTerm"), errs);
            }
        }
    }

    private static void podAffinityTerm(PodAffinityTerm t, Path p, Errors errs) {
        MetaRules.labelSelector(t.getLabelSelector(), p.child("labelSelector"), errs);
        MetaRules.labelSelector(t.getNamespaceSelector(), p.child("namespaceSelector"), errs);
        if (t.getNamespaces() != null) {
            for (String ns : t.getNamespaces()) {
                errs.invalidEach(p.child("namespace"), str(ns), Names.dns1123Label(str(ns)));
            }
        }
        String key = str(t.getTopologyKey());
        if (key.isEmpty()) {
            errs.required(p.child("topologyKey"), "can not be empty");
        }
        errs.invalidEach(p.child("topologyKey"), key, Names.qualifiedName(key));
    }

    private static void podSecurityContext(PodSpec spec, Path p, Errors errs) {
        PodSecurityContext sc = spec.getSecurityContext();
        if (sc == null) {
            return;
        }
        id(sc.getFsGroup(), p.child("fsGroup"), errs);
        id(sc.getRunAsUser(), p.child("runAsUser"), errs);
        id(sc.getRunAsGroup(), p.child("runAsGroup"), errs);
        if (sc.getSupplementalGroups() != null) {
            for (int i = 0; i < sc.getSupplementalGroups().size(); i++) {
                id(
                        sc.getSupplementalGroups().get(i),
                        p.child("supplementalGroups").index(i),
                        errs);
            }
        }
        if (Boolean.TRUE.equals(spec.getShareProcessNamespace()) && Boolean.TRUE.equals(spec.getHostPID())) {
            errs.invalid(
                    p.child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled");
        }
        List<Sysctl> sysctls = sc.getSysctls();
        if (sysctls != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < sysctls.size(); i++) {
                String n = str(sysctls.get(i).getName());
                Path np = p.child("sysctls").index(i).child("name");
                if (n.isEmpty()) {
                    errs.required(np, "");
                } else if (!SYSCTL.matcher(n).matches() || n.length() > 253) {
                    errs.invalid(np, n, "must have at most 253 characters and match regex ^" + SYSCTL_FMT + "$");
                } else if (!seen.add(n)) {
                    errs.duplicate(np, n);
                }
            }
        }
        String fsPolicy = sc.getFsGroupChangePolicy();
        if (fsPolicy != null && !fsPolicy.equals("OnRootMismatch") && !fsPolicy.equals("Always")) {
            errs.notSupported(p.child("fsGroupChangePolicy"), fsPolicy, List.of("Always", "OnRootMismatch"));
        }
        seccomp(sc.getSeccompProfile(), p.child("seccompProfile"), errs);
    }

    private static final String SYSCTL_FMT = "([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
    private static final java.util.regex.Pattern SYSCTL = java.util.regex.Pattern.compile(SYSCTL_FMT);

    private static void securityContext(@Nullable SecurityContext sc, Path p, boolean hostUsers, Errors errs) {
        if (sc == null) {
            return;
        }
        id(sc.getRunAsUser(), p.child("runAsUser"), errs);
        id(sc.getRunAsGroup(), p.child("runAsGroup"), errs);
        if (sc.getProcMount() != null) {
            String pm = sc.getProcMount();
            if (!pm.equals("Default") && !pm.equals("Unmasked")) {
                errs.notSupported(p.child("procMount"), pm, List.of("Default", "Unmasked"));
            }
            if (hostUsers && pm.equals("Unmasked")) {
                errs.invalid(p.child("procMount"), pm, "`hostUsers` must be false to use `Unmasked`");
            }
        }
        seccomp(sc.getSeccompProfile(), p.child("seccompProfile"), errs);
        if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                errs.invalidNoValue(p, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
            }
            Capabilities caps = sc.getCapabilities();
            if (caps != null && caps.getAdd() != null) {
                for (String cap : caps.getAdd()) {
                    if ("CAP_SYS_ADMIN".equals(cap)) {
                        errs.invalidNoValue(
                                p,
                                "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
                    }
                }
            }
        }
    }

    private static void seccomp(@Nullable SeccompProfile sp, Path p, Errors errs) {
        if (sp == null) {
            return;
        }
        String type = str(sp.getType());
        if (type.isEmpty()) {
            errs.required(p.child("type"), "type is required when seccompProfile is set");
        } else if (!SECCOMP_TYPES.contains(type)) {
            errs.notSupported(p.child("type"), type, SECCOMP_TYPES);
        }
        if (type.equals("Localhost")) {
            if (sp.getLocalhostProfile() == null) {
                errs.required(p.child("localhostProfile"), "must be set when seccomp type is Localhost");
            } else {
                VolumeRules.localDescendingPath(sp.getLocalhostProfile(), p.child("localhostProfile"), errs);
            }
        } else if (sp.getLocalhostProfile() != null) {
            errs.invalidNoValue(p.child("localhostProfile"), "can only be set when seccomp type is Localhost");
        }
    }

    private static void id(@Nullable Long id, Path p, Errors errs) {
        if (id != null && (id < 0 || id > Integer.MAX_VALUE)) {
            errs.invalid(p, id, Names.inclusiveRange(0, Integer.MAX_VALUE));
        }
    }

    static int intOr(@Nullable Integer v, int dflt) {
        return v == null || (v == 0 && dflt != 0) ? dflt : v;
    }

    static List<String> sorted(Set<String> set) {
        List<String> l = new ArrayList<>(set);
        java.util.Collections.sort(l);
        return l;
    }

    static Map<String, String> copy(@Nullable Map<String, String> m) {
        return m == null ? new HashMap<>() : new HashMap<>(m);
    }
}
