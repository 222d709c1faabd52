package dev.skiff.testing.internal.api.podsecurity;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The checks of the Pod Security Standards, each as one version of it behaves. A check answers
 * null when the pod passes, or why it fails: a reason such as {@code host namespaces} and a detail
 * such as {@code hostNetwork=true}, worded as the API server words them.
 */
final class Checks {
    private Checks() {}

    /** One failed check. */
    record Failure(String reason, String detail) {}

    /** A version of a check. */
    @FunctionalInterface
    interface Check {
        @Nullable
        Failure check(ObjectMeta meta, PodSpec spec);
    }

    /** The parts of a container or an ephemeral container that the checks read. */
    record Box(
            String name,
            @Nullable SecurityContext securityContext,
            List<ContainerPort> ports,
            List<@Nullable Probe> probes,
            @Nullable Lifecycle lifecycle) {
        static Box of(Container c) {
            return new Box(
                    name(c.getName()),
                    c.getSecurityContext(),
                    list(c.getPorts()),
                    probes(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()),
                    c.getLifecycle());
        }

        static Box of(EphemeralContainer c) {
            return new Box(
                    name(c.getName()),
                    c.getSecurityContext(),
                    list(c.getPorts()),
                    probes(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()),
                    c.getLifecycle());
        }

        private static String name(@Nullable String name) {
            return name == null ? "" : name;
        }

        private static List<@Nullable Probe> probes(
                @Nullable Probe liveness, @Nullable Probe readiness, @Nullable Probe startup) {
            List<@Nullable Probe> out = new ArrayList<>(3);
            out.add(liveness);
            out.add(readiness);
            out.add(startup);
            return out;
        }
    }

    /** Visits init containers, containers, then ephemeral containers, as the checks do. */
    static void visit(PodSpec spec, Consumer<Box> visitor) {
        for (Container c : list(spec.getInitContainers())) {
            visitor.accept(Box.of(c));
        }
        for (Container c : list(spec.getContainers())) {
            visitor.accept(Box.of(c));
        }
        for (EphemeralContainer c : list(spec.getEphemeralContainers())) {
            visitor.accept(Box.of(c));
        }
    }

    static <T> List<T> list(@Nullable List<T> l) {
        return l == null ? List.of() : l;
    }

    static String joinQuote(Collection<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        return "\"" + String.join("\", \"", items) + "\"";
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    private static String containers(List<String> names) {
        return pluralize("container", "containers", names.size()) + " " + joinQuote(names);
    }

    /**
     * {@code volumes "a", "b" use restricted volume types "hostPath"}: who ({@code whoSingular}
     * or its plural, then {@code who} quoted) uses what ({@code thing} or {@code things}, then
     * {@code what} quoted).
     */
    private static String uses(
            String whoSingular,
            String whoPlural,
            Collection<String> who,
            String thing,
            String things,
            Collection<String> what) {
        return pluralize(whoSingular, whoPlural, who.size()) + " " + joinQuote(who) + " "
                + pluralize("uses", "use", who.size()) + " " + pluralize(thing, things, what.size()) + " "
                + joinQuote(what);
    }

    private static boolean isTrue(@Nullable Boolean b) {
        return b != null && b;
    }

    private static boolean windows(PodSpec spec) {
        return spec.getOs() != null && "windows".equals(spec.getOs().getName());
    }

    /** A pod in its own user namespace ({@code hostUsers: false}) is relaxed from some checks. */
    private static boolean userNamespace(PodSpec spec) {
        return spec.getHostUsers() != null && !spec.getHostUsers();
    }

    private static @Nullable PodSecurityContext podContext(PodSpec spec) {
        return spec.getSecurityContext();
    }

    // ------------------------------------------------------------------ baseline

    static @Nullable Failure hostNamespaces(ObjectMeta meta, PodSpec spec) {
        List<String> host = new ArrayList<>();
        if (isTrue(spec.getHostNetwork())) {
            host.add("hostNetwork=true");
        }
        if (isTrue(spec.getHostPID())) {
            host.add("hostPID=true");
        }
        if (isTrue(spec.getHostIPC())) {
            host.add("hostIPC=true");
        }
        return host.isEmpty() ? null : new Failure("host namespaces", String.join(", ", host));
    }

    static @Nullable Failure privileged(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        visit(spec, c -> {
            if (c.securityContext() != null && isTrue(c.securityContext().getPrivileged())) {
                bad.add(c.name());
            }
        });
        return bad.isEmpty()
                ? null
                : new Failure("privileged", containers(bad) + " must not set securityContext.privileged=true");
    }

    private static final Set<String> BASELINE_CAPABILITIES = Set.of(
            "AUDIT_WRITE",
            "CHOWN",
            "DAC_OVERRIDE",
            "FOWNER",
            "FSETID",
            "KILL",
            "MKNOD",
            "NET_BIND_SERVICE",
            "SETFCAP",
            "SETGID",
            "SETPCAP",
            "SETUID",
            "SYS_CHROOT");

    static @Nullable Failure capabilitiesBaseline(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> added = new TreeSet<>();
        visit(spec, c -> {
            Capabilities caps =
                    c.securityContext() == null ? null : c.securityContext().getCapabilities();
            if (caps == null) {
                return;
            }
            boolean valid = true;
            for (String cap : list(caps.getAdd())) {
                if (!BASELINE_CAPABILITIES.contains(cap)) {
                    valid = false;
                    added.add(cap);
                }
            }
            if (!valid) {
                bad.add(c.name());
            }
        });
        return bad.isEmpty()
                ? null
                : new Failure(
                        "non-default capabilities",
                        containers(bad) + " must not include " + joinQuote(added)
                                + " in securityContext.capabilities.add");
    }

    static @Nullable Failure hostPathVolumes(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        for (Volume v : list(spec.getVolumes())) {
            if (v.getHostPath() != null) {
                bad.add(v.getName());
            }
        }
        return bad.isEmpty()
                ? null
                : new Failure("hostPath volumes", pluralize("volume", "volumes", bad.size()) + " " + joinQuote(bad));
    }

    static @Nullable Failure hostPorts(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> ports = new TreeSet<>(); // sorted as strings, as the server sorts them
        visit(spec, c -> {
            boolean valid = true;
            for (ContainerPort p : c.ports()) {
                if (p.getHostPort() != null && p.getHostPort() != 0) {
                    valid = false;
                    ports.add(Integer.toString(p.getHostPort()));
                }
            }
            if (!valid) {
                bad.add(c.name());
            }
        });
        return bad.isEmpty()
                ? null
                : new Failure(
                        "hostPort",
                        containers(bad) + " " + pluralize("uses", "use", bad.size()) + " "
                                + pluralize("hostPort", "hostPorts", ports.size()) + " " + String.join(", ", ports));
    }

    static @Nullable Failure hostProbesAndLifecycle(ObjectMeta meta, PodSpec spec) {
        TreeSet<String> bad = new TreeSet<>();
        TreeSet<String> hosts = new TreeSet<>();
        visit(spec, c -> {
            List<String> found = new ArrayList<>();
            for (Probe p : c.probes()) {
                if (p != null) {
                    if (p.getHttpGet() != null && nonEmpty(p.getHttpGet().getHost())) {
                        found.add(p.getHttpGet().getHost());
                    }
                    if (p.getTcpSocket() != null && nonEmpty(p.getTcpSocket().getHost())) {
                        found.add(p.getTcpSocket().getHost());
                    }
                }
            }
            if (c.lifecycle() != null) {
                for (LifecycleHandler h : new LifecycleHandler[] {
                    c.lifecycle().getPostStart(), c.lifecycle().getPreStop()
                }) {
                    if (h != null) {
                        if (h.getHttpGet() != null && nonEmpty(h.getHttpGet().getHost())) {
                            found.add(h.getHttpGet().getHost());
                        }
                        if (h.getTcpSocket() != null
                                && nonEmpty(h.getTcpSocket().getHost())) {
                            found.add(h.getTcpSocket().getHost());
                        }
                    }
                }
            }
            if (!found.isEmpty()) {
                bad.add(c.name());
                hosts.addAll(found);
            }
        });
        return bad.isEmpty()
                ? null
                : new Failure(
                        "probe or lifecycle host",
                        uses(
                                "container",
                                "containers",
                                bad,
                                "probe or lifecycle host",
                                "probe or lifecycle hosts",
                                hosts));
    }

    private static boolean nonEmpty(@Nullable String s) {
        return s != null && !s.isEmpty();
    }

    private static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

    static @Nullable Failure appArmor(ObjectMeta meta, PodSpec spec) {
        List<String> setters = new ArrayList<>();
        TreeSet<String> values = new TreeSet<>();
        PodSecurityContext psc = podContext(spec);
        if (psc != null
                && psc.getAppArmorProfile() != null
                && !allowedAppArmor(psc.getAppArmorProfile().getType())) {
            setters.add("pod");
            values.add(String.valueOf(psc.getAppArmorProfile().getType()));
        }
        List<String> bad = new ArrayList<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null
                    && sc.getAppArmorProfile() != null
                    && !allowedAppArmor(sc.getAppArmorProfile().getType())) {
                bad.add(c.name());
                values.add(String.valueOf(sc.getAppArmorProfile().getType()));
            }
        });
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        TreeSet<String> annotations = new TreeSet<>();
        if (meta.getAnnotations() != null) {
            for (Map.Entry<String, String> a : meta.getAnnotations().entrySet()) {
                String v = a.getValue() == null ? "" : a.getValue();
                if (a.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX)
                        && !(v.isEmpty() || v.equals("runtime/default") || v.startsWith("localhost/"))) {
                    annotations.add(a.getKey() + "=" + GoQuote.quote(v));
                }
            }
        }
        List<String> all = new ArrayList<>(values);
        if (!annotations.isEmpty()) {
            all.addAll(annotations);
            setters.add(pluralize("annotation", "annotations", annotations.size()));
        }
        if (setters.isEmpty()) {
            return null;
        }
        return new Failure(
                pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", all.size()),
                String.join(" and ", setters) + " must not set AppArmor profile type to " + joinQuote(all));
    }

    private static boolean allowedAppArmor(@Nullable String type) {
        return "RuntimeDefault".equals(type) || "Localhost".equals(type);
    }

    private static final Set<String> SELINUX_TYPES_1_0 =
            Set.of("", "container_t", "container_init_t", "container_kvm_t");
    private static final Set<String> SELINUX_TYPES_1_31 =
            Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

    static @Nullable Failure seLinuxOptions1_0(ObjectMeta meta, PodSpec spec) {
        return seLinuxOptions(spec, SELINUX_TYPES_1_0);
    }

    static @Nullable Failure seLinuxOptions1_31(ObjectMeta meta, PodSpec spec) {
        return seLinuxOptions(spec, SELINUX_TYPES_1_31);
    }

    private static @Nullable Failure seLinuxOptions(PodSpec spec, Set<String> allowed) {
        TreeSet<String> badTypes = new TreeSet<>();
        boolean[] userRole = new boolean[2];
        java.util.function.Predicate<SELinuxOptions> valid = o -> {
            boolean ok = true;
            String type = o.getType() == null ? "" : o.getType();
            if (!allowed.contains(type)) {
                ok = false;
                badTypes.add(type);
            }
            if (nonEmpty(o.getUser())) {
                ok = false;
                userRole[0] = true;
            }
            if (nonEmpty(o.getRole())) {
                ok = false;
                userRole[1] = true;
            }
            return ok;
        };
        List<String> setters = new ArrayList<>();
        PodSecurityContext psc = podContext(spec);
        if (psc != null && psc.getSeLinuxOptions() != null && !valid.test(psc.getSeLinuxOptions())) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.getSeLinuxOptions() != null && !valid.test(sc.getSeLinuxOptions())) {
                bad.add(c.name());
            }
        });
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        if (setters.isEmpty()) {
            return null;
        }
        List<String> data = new ArrayList<>();
        if (!badTypes.isEmpty()) {
            data.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
        }
        if (userRole[0]) {
            data.add("user may not be set");
        }
        if (userRole[1]) {
            data.add("role may not be set");
        }
        return new Failure(
                "seLinuxOptions",
                String.join(" and ", setters) + " set forbidden securityContext.seLinuxOptions: "
                        + String.join("; ", data));
    }

    static @Nullable Failure procMount1_0(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
                bad.add(c.name());
                types.add(sc.getProcMount());
            }
        });
        return bad.isEmpty()
                ? null
                : new Failure(
                        "procMount",
                        containers(bad) + " must not set securityContext.procMount to " + joinQuote(types));
    }

    static @Nullable Failure procMount1_35(ObjectMeta meta, PodSpec spec) {
        return userNamespace(spec) ? null : procMount1_0(meta, spec);
    }

    private static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
    private static final String SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

    static @Nullable Failure seccompBaseline1_0(ObjectMeta meta, PodSpec spec) {
        TreeSet<String> forbidden = new TreeSet<>();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String pod = annotations.get(SECCOMP_POD_ANNOTATION);
        if (pod != null && !validSeccompAnnotation(pod)) {
            forbidden.add(SECCOMP_POD_ANNOTATION + "=" + GoQuote.quote(pod));
        }
        visit(spec, c -> {
            String key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name();
            String v = annotations.get(key);
            if (v != null && !validSeccompAnnotation(v)) {
                forbidden.add(key + "=" + GoQuote.quote(v));
            }
        });
        return forbidden.isEmpty()
                ? null
                : new Failure(
                        "seccompProfile",
                        "forbidden " + pluralize("annotation", "annotations", forbidden.size()) + " "
                                + String.join(", ", forbidden));
    }

    private static boolean validSeccompAnnotation(String v) {
        return v.equals("runtime/default") || v.equals("docker/default") || v.startsWith("localhost/");
    }

    private static boolean validSeccomp(@Nullable String type) {
        return "Localhost".equals(type) || "RuntimeDefault".equals(type);
    }

    static @Nullable Failure seccompBaseline1_19(ObjectMeta meta, PodSpec spec) {
        return seccomp(spec, false);
    }

    /** The seccomp check; {@code restricted} also requires a profile on the pod or every container. */
    private static @Nullable Failure seccomp(PodSpec spec, boolean restricted) {
        List<String> setters = new ArrayList<>();
        TreeSet<String> values = new TreeSet<>();
        boolean podSet = false;
        PodSecurityContext psc = podContext(spec);
        if (psc != null && psc.getSeccompProfile() != null) {
            if (!validSeccomp(psc.getSeccompProfile().getType())) {
                setters.add("pod");
                values.add(String.valueOf(psc.getSeccompProfile().getType()));
            } else {
                podSet = true;
            }
        }
        boolean podProfile = podSet;
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.getSeccompProfile() != null) {
                if (!validSeccomp(sc.getSeccompProfile().getType())) {
                    explicit.add(c.name());
                    values.add(String.valueOf(sc.getSeccompProfile().getType()));
                }
            } else if (!podProfile) {
                implicit.add(c.name());
            }
        });
        if (!explicit.isEmpty()) {
            setters.add(containers(explicit));
        }
        if (!setters.isEmpty()) {
            return new Failure(
                    "seccompProfile",
                    String.join(" and ", setters) + " must not set securityContext.seccompProfile.type to "
                            + joinQuote(values));
        }
        if (restricted && !implicit.isEmpty()) {
            return new Failure(
                    "seccompProfile",
                    "pod or " + containers(implicit)
                            + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
        }
        return null;
    }

    private static final Set<String> SYSCTLS_1_0 = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start");
    private static final Set<String> SYSCTLS_1_27 = union(SYSCTLS_1_0, Set.of("net.ipv4.ip_local_reserved_ports"));
    private static final Set<String> SYSCTLS_1_29 = union(
            SYSCTLS_1_27,
            Set.of(
                    "net.ipv4.tcp_keepalive_time",
                    "net.ipv4.tcp_fin_timeout",
                    "net.ipv4.tcp_keepalive_intvl",
                    "net.ipv4.tcp_keepalive_probes"));
    private static final Set<String> SYSCTLS_1_32 =
            union(SYSCTLS_1_29, Set.of("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new java.util.HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    static @Nullable Failure sysctls1_0(ObjectMeta meta, PodSpec spec) {
        return sysctls(spec, SYSCTLS_1_0);
    }

    static @Nullable Failure sysctls1_27(ObjectMeta meta, PodSpec spec) {
        return sysctls(spec, SYSCTLS_1_27);
    }

    static @Nullable Failure sysctls1_29(ObjectMeta meta, PodSpec spec) {
        return sysctls(spec, SYSCTLS_1_29);
    }

    static @Nullable Failure sysctls1_32(ObjectMeta meta, PodSpec spec) {
        return sysctls(spec, SYSCTLS_1_32);
    }

    private static @Nullable Failure sysctls(PodSpec spec, Set<String> allowed) {
        List<String> bad = new ArrayList<>();
        PodSecurityContext psc = podContext(spec);
        if (psc != null) {
            for (Sysctl s : list(psc.getSysctls())) {
                if (!allowed.contains(s.getName())) {
                    bad.add(s.getName());
                }
            }
        }
        return bad.isEmpty() ? null : new Failure("forbidden sysctls", String.join(", ", bad));
    }

    static @Nullable Failure windowsHostProcess(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null
                    && sc.getWindowsOptions() != null
                    && isTrue(sc.getWindowsOptions().getHostProcess())) {
                bad.add(c.name());
            }
        });
        List<String> setters = new ArrayList<>();
        PodSecurityContext psc = podContext(spec);
        if (psc != null
                && psc.getWindowsOptions() != null
                && isTrue(psc.getWindowsOptions().getHostProcess())) {
            setters.add("pod");
        }
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        return setters.isEmpty()
                ? null
                : new Failure(
                        "hostProcess",
                        String.join(" and ", setters)
                                + " must not set securityContext.windowsOptions.hostProcess=true");
    }

    // ------------------------------------------------------------------ restricted

    static @Nullable Failure allowPrivilegeEscalation1_8(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc == null || sc.getAllowPrivilegeEscalation() == null || sc.getAllowPrivilegeEscalation()) {
                bad.add(c.name());
            }
        });
        return bad.isEmpty()
                ? null
                : new Failure(
                        "allowPrivilegeEscalation != false",
                        containers(bad) + " must set securityContext.allowPrivilegeEscalation=false");
    }

    static @Nullable Failure allowPrivilegeEscalation1_25(ObjectMeta meta, PodSpec spec) {
        return windows(spec) ? null : allowPrivilegeEscalation1_8(meta, spec);
    }

    static @Nullable Failure capabilitiesRestricted1_22(ObjectMeta meta, PodSpec spec) {
        List<String> missingDrop = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        TreeSet<String> forbidden = new TreeSet<>();
        visit(spec, c -> {
            Capabilities caps =
                    c.securityContext() == null ? null : c.securityContext().getCapabilities();
            if (caps == null) {
                missingDrop.add(c.name());
                return;
            }
            if (!list(caps.getDrop()).contains("ALL")) {
                missingDrop.add(c.name());
            }
            boolean added = false;
            for (String cap : list(caps.getAdd())) {
                if (!cap.equals("NET_BIND_SERVICE")) {
                    added = true;
                    forbidden.add(cap);
                }
            }
            if (added) {
                adding.add(c.name());
            }
        });
        List<String> details = new ArrayList<>();
        if (!missingDrop.isEmpty()) {
            details.add(containers(missingDrop) + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!adding.isEmpty()) {
            details.add(containers(adding) + " must not include " + joinQuote(forbidden)
                    + " in securityContext.capabilities.add");
        }
        return details.isEmpty() ? null : new Failure("unrestricted capabilities", String.join("; ", details));
    }

    static @Nullable Failure capabilitiesRestricted1_25(ObjectMeta meta, PodSpec spec) {
        return windows(spec) ? null : capabilitiesRestricted1_22(meta, spec);
    }

    static @Nullable Failure restrictedVolumes(ObjectMeta meta, PodSpec spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        for (Volume v : list(spec.getVolumes())) {
            String type = restrictedVolumeType(v);
            if (type != null) {
                bad.add(v.getName());
                types.add(type);
            }
        }
        return bad.isEmpty()
                ? null
                : new Failure(
                        "restricted volume types",
                        uses("volume", "volumes", bad, "restricted volume type", "restricted volume types", types));
    }

    /** Null for the volume types restricted allows, else the name of the type. */
    private static @Nullable String restrictedVolumeType(Volume v) {
        if (v.getConfigMap() != null
                || v.getCsi() != null
                || v.getDownwardAPI() != null
                || v.getEmptyDir() != null
                || v.getEphemeral() != null
                || v.getImage() != null
                || v.getPersistentVolumeClaim() != null
                || v.getProjected() != null
                || v.getSecret() != null) {
            return null;
        }
        if (v.getHostPath() != null) {
            return "hostPath";
        } else if (v.getGcePersistentDisk() != null) {
            return "gcePersistentDisk";
        } else if (v.getAwsElasticBlockStore() != null) {
            return "awsElasticBlockStore";
        } else if (v.getGitRepo() != null) {
            return "gitRepo";
        } else if (v.getNfs() != null) {
            return "nfs";
        } else if (v.getIscsi() != null) {
            return "iscsi";
        } else if (v.getGlusterfs() != null) {
            return "glusterfs";
        } else if (v.getRbd() != null) {
            return "rbd";
        } else if (v.getFlexVolume() != null) {
            return "flexVolume";
        } else if (v.getCinder() != null) {
            return "cinder";
        } else if (v.getCephfs() != null) {
            return "cephfs";
        } else if (v.getFlocker() != null) {
            return "flocker";
        } else if (v.getFc() != null) {
            return "fc";
        } else if (v.getAzureFile() != null) {
            return "azureFile";
        } else if (v.getVsphereVolume() != null) {
            return "vsphereVolume";
        } else if (v.getQuobyte() != null) {
            return "quobyte";
        } else if (v.getAzureDisk() != null) {
            return "azureDisk";
        } else if (v.getPhotonPersistentDisk() != null) {
            return "photonPersistentDisk";
        } else if (v.getPortworxVolume() != null) {
            return "portworxVolume";
        } else if (v.getScaleIO() != null) {
            return "scaleIO";
        } else if (v.getStorageos() != null) {
            return "storageos";
        }
        return "unknown";
    }

    static @Nullable Failure runAsNonRoot1_0(ObjectMeta meta, PodSpec spec) {
        List<String> setters = new ArrayList<>();
        boolean podNonRoot = false;
        PodSecurityContext psc = podContext(spec);
        if (psc != null && psc.getRunAsNonRoot() != null) {
            if (!psc.getRunAsNonRoot()) {
                setters.add("pod");
            } else {
                podNonRoot = true;
            }
        }
        boolean nonRoot = podNonRoot;
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.getRunAsNonRoot() != null) {
                if (!sc.getRunAsNonRoot()) {
                    explicit.add(c.name());
                }
            } else if (!nonRoot) {
                implicit.add(c.name());
            }
        });
        if (!explicit.isEmpty()) {
            setters.add(containers(explicit));
        }
        if (!setters.isEmpty()) {
            return new Failure(
                    "runAsNonRoot != true",
                    String.join(" and ", setters) + " must not set securityContext.runAsNonRoot=false");
        }
        if (!implicit.isEmpty()) {
            return new Failure(
                    "runAsNonRoot != true",
                    "pod or " + containers(implicit) + " must set securityContext.runAsNonRoot=true");
        }
        return null;
    }

    static @Nullable Failure runAsNonRoot1_35(ObjectMeta meta, PodSpec spec) {
        return userNamespace(spec) ? null : runAsNonRoot1_0(meta, spec);
    }

    static @Nullable Failure runAsUser1_23(ObjectMeta meta, PodSpec spec) {
        List<String> setters = new ArrayList<>();
        PodSecurityContext psc = podContext(spec);
        if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        visit(spec, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                bad.add(c.name());
            }
        });
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        return setters.isEmpty()
                ? null
                : new Failure("runAsUser=0", String.join(" and ", setters) + " must not set runAsUser=0");
    }

    static @Nullable Failure runAsUser1_35(ObjectMeta meta, PodSpec spec) {
        return userNamespace(spec) ? null : runAsUser1_23(meta, spec);
    }

    static @Nullable Failure seccompRestricted1_19(ObjectMeta meta, PodSpec spec) {
        return seccomp(spec, true);
    }

    static @Nullable Failure seccompRestricted1_25(ObjectMeta meta, PodSpec spec) {
        return windows(spec) ? null : seccompRestricted1_19(meta, spec);
    }
}
