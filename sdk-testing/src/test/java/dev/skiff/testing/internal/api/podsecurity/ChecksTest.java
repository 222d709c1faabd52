package dev.skiff.testing.internal.api.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each check of the Pod Security Standards, with the reason and detail the API server words. */
class ChecksTest {
    private static final LevelVersion BASELINE = new LevelVersion(Level.BASELINE, LevelVersion.LATEST);
    private static final LevelVersion RESTRICTED = new LevelVersion(Level.RESTRICTED, LevelVersion.LATEST);

    /** A pod that passes restricted: one container "main" with Skiff's defaults. */
    private static PodSpecBuilder compliant() {
        return new PodSpecBuilder()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addToContainers(container("main", c -> c));
    }

    private static io.fabric8.kubernetes.api.model.Container container(
            String name, UnaryOperator<SecurityContextBuilder> security) {
        return new ContainerBuilder()
                .withName(name)
                .withImage("busybox:1.36")
                .withSecurityContext(security.apply(new SecurityContextBuilder()
                                .withAllowPrivilegeEscalation(false)
                                .withNewCapabilities()
                                .withDrop("ALL")
                                .endCapabilities())
                        .build())
                .build();
    }

    private static String check(LevelVersion lv, PodSpec spec) {
        return check(lv, new ObjectMeta(), spec);
    }

    private static String check(LevelVersion lv, ObjectMeta meta, PodSpec spec) {
        return Evaluator.detail(Evaluator.evaluate(lv, meta, spec));
    }

    private static PodSpec withMain(UnaryOperator<SecurityContextBuilder> security) {
        return compliant().withContainers(container("main", security)).build();
    }

    @Test
    void aCompliantPodPassesEveryLevel() {
        assertThat(check(RESTRICTED, compliant().build())).isEmpty();
        assertThat(check(BASELINE, compliant().build())).isEmpty();
        assertThat(check(LevelVersion.PRIVILEGED_LATEST, withMain(s -> s.withPrivileged(true))))
                .isEmpty();
    }

    @Test
    void aBarePodFailsRestrictedWithFourReasonsInTheServersOrder() {
        PodSpec bare = new PodSpecBuilder()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .build();
        assertThat(check(RESTRICTED, bare))
                .isEqualTo("allowPrivilegeEscalation != false (container \"main\" must set"
                        + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container"
                        + " \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or"
                        + " container \"main\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or"
                        + " container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or"
                        + " \"Localhost\")");
        assertThat(check(BASELINE, bare)).isEmpty();
    }

    @Test
    void hostNamespaces() {
        PodSpec spec = compliant()
                .withHostNetwork(true)
                .withHostPID(true)
                .withHostIPC(true)
                .build();
        assertThat(check(BASELINE, spec)).isEqualTo("host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)");
        assertThat(check(RESTRICTED, spec)).isEqualTo(check(BASELINE, spec));
    }

    @Test
    void privileged() {
        assertThat(check(BASELINE, withMain(s -> s.withPrivileged(true))))
                .isEqualTo("privileged (container \"main\" must not set securityContext.privileged=true)");
        assertThat(check(BASELINE, withMain(s -> s.withPrivileged(false)))).isEmpty();
    }

    @Test
    void capabilitiesBaselineAllowsTheDefaultSetAndRestrictedOnlyNetBindService() {
        PodSpec sysAdmin = withMain(s -> s.withNewCapabilities()
                .withDrop("ALL")
                .withAdd("SYS_ADMIN", "NET_ADMIN", "CHOWN")
                .endCapabilities());
        assertThat(check(BASELINE, sysAdmin))
                .isEqualTo("non-default capabilities (container \"main\" must not include \"NET_ADMIN\","
                        + " \"SYS_ADMIN\" in securityContext.capabilities.add)");
        assertThat(check(RESTRICTED, sysAdmin))
                .isEqualTo("unrestricted capabilities (container \"main\" must not include \"CHOWN\", \"NET_ADMIN\","
                        + " \"SYS_ADMIN\" in securityContext.capabilities.add)");
        PodSpec netBind = withMain(s -> s.withNewCapabilities()
                .withDrop("ALL")
                .withAdd("NET_BIND_SERVICE")
                .endCapabilities());
        assertThat(check(RESTRICTED, netBind)).isEmpty();
        PodSpec noDrop = withMain(s -> s.withNewCapabilities().withAdd("KILL").endCapabilities());
        assertThat(check(BASELINE, noDrop)).isEmpty();
        assertThat(check(RESTRICTED, noDrop))
                .isEqualTo("unrestricted capabilities (container \"main\" must set"
                        + " securityContext.capabilities.drop=[\"ALL\"]; container \"main\" must not include \"KILL\""
                        + " in securityContext.capabilities.add)");
    }

    @Test
    void hostPathIsABaselineCheckThatRestrictedVolumesReplace() {
        PodSpec spec = compliant()
                .addNewVolume()
                .withName("host")
                .withNewHostPath()
                .withPath("/var")
                .endHostPath()
                .endVolume()
                .addNewVolume()
                .withName("nfs")
                .withNewNfs()
                .withServer("nfs")
                .withPath("/")
                .endNfs()
                .endVolume()
                .addNewVolume()
                .withName("scratch")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .build();
        assertThat(check(BASELINE, spec)).isEqualTo("hostPath volumes (volume \"host\")");
        assertThat(check(RESTRICTED, spec))
                .isEqualTo("restricted volume types (volumes \"host\", \"nfs\" use restricted volume types"
                        + " \"hostPath\", \"nfs\")");
    }

    @Test
    void hostPortsAreSortedAsText() {
        PodSpec spec = compliant()
                .withContainers(new ContainerBuilder(container("main", s -> s))
                        .addNewPort()
                        .withContainerPort(80)
                        .withHostPort(80)
                        .endPort()
                        .addNewPort()
                        .withContainerPort(8443)
                        .withHostPort(10443)
                        .endPort()
                        .build())
                .build();
        assertThat(check(BASELINE, spec)).isEqualTo("hostPort (container \"main\" uses hostPorts 10443, 80)");
    }

    @Test
    void probeAndLifecycleHostsFromV1Dot34() {
        PodSpec spec = compliant()
                .withContainers(new ContainerBuilder(container("main", s -> s))
                        .withNewLivenessProbe()
                        .withNewHttpGet()
                        .withHost("10.0.0.1")
                        .withNewPort(8080)
                        .endHttpGet()
                        .endLivenessProbe()
                        .build())
                .build();
        assertThat(check(BASELINE, spec))
                .isEqualTo("probe or lifecycle host (container \"main\" uses probe or lifecycle host \"10.0.0.1\")");
        assertThat(check(new LevelVersion(Level.BASELINE, 33), spec)).isEmpty();
    }

    @Test
    void appArmor() {
        PodSpec spec = compliant()
                .editSecurityContext()
                .withNewAppArmorProfile()
                .withType("Unconfined")
                .endAppArmorProfile()
                .endSecurityContext()
                .build();
        ObjectMeta meta = new ObjectMeta();
        meta.setAnnotations(Map.of("container.apparmor.security.beta.kubernetes.io/main", "unconfined"));
        assertThat(check(BASELINE, meta, spec))
                .isEqualTo(
                        "forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to"
                                + " \"Unconfined\", \"container.apparmor.security.beta.kubernetes.io/main=\"unconfined\"\")"); // not escaped inside, as on the server
    }

    @Test
    void seLinuxOptions() {
        PodSpec spec = withMain(s ->
                s.withNewSeLinuxOptions().withType("spc_t").withUser("root").endSeLinuxOptions());
        assertThat(check(BASELINE, spec))
                .isEqualTo("seLinuxOptions (container \"main\" set forbidden securityContext.seLinuxOptions: type"
                        + " \"spc_t\"; user may not be set)");
        PodSpec engine = withMain(
                s -> s.withNewSeLinuxOptions().withType("container_engine_t").endSeLinuxOptions());
        assertThat(check(BASELINE, engine)).isEmpty();
        assertThat(check(new LevelVersion(Level.BASELINE, 30), engine)).contains("type \"container_engine_t\"");
    }

    @Test
    void procMountIsRelaxedInAUserNamespaceOnlyForBaseline() {
        PodSpec spec = withMain(s -> s.withProcMount("Unmasked"));
        String unmasked = "procMount (container \"main\" must not set securityContext.procMount to \"Unmasked\")";
        assertThat(check(BASELINE, spec)).isEqualTo(unmasked);
        spec.setHostUsers(false);
        assertThat(check(BASELINE, spec)).isEmpty();
        assertThat(check(RESTRICTED, spec)).isEqualTo(unmasked);
        assertThat(check(new LevelVersion(Level.BASELINE, 34), spec)).isEqualTo(unmasked);
    }

    @Test
    void seccompUnconfined() {
        PodSpec spec = compliant()
                .editSecurityContext()
                .editSeccompProfile()
                .withType("Unconfined")
                .endSeccompProfile()
                .endSecurityContext()
                .build();
        String unconfined = "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")";
        assertThat(check(BASELINE, spec)).isEqualTo(unconfined);
        assertThat(check(RESTRICTED, spec)).isEqualTo(unconfined);
    }

    @Test
    void seccompAnnotationsCountOnlyBeforeV1Dot19() {
        ObjectMeta meta = new ObjectMeta();
        meta.setAnnotations(Map.of("seccomp.security.alpha.kubernetes.io/pod", "unconfined"));
        assertThat(check(new LevelVersion(Level.BASELINE, 18), meta, compliant().build()))
                .isEqualTo("seccompProfile (forbidden annotation"
                        + " seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")");
        assertThat(check(BASELINE, meta, compliant().build())).isEmpty();
    }

    @Test
    void sysctlsByVersion() {
        PodSpec spec = compliant()
                .editSecurityContext()
                .addNewSysctl()
                .withName("net.ipv4.tcp_rmem")
                .withValue("4096 87380 6291456")
                .endSysctl()
                .addNewSysctl()
                .withName("kernel.msgmax")
                .withValue("65536")
                .endSysctl()
                .endSecurityContext()
                .build();
        assertThat(check(BASELINE, spec)).isEqualTo("forbidden sysctls (kernel.msgmax)");
        assertThat(check(new LevelVersion(Level.BASELINE, 31), spec))
                .isEqualTo("forbidden sysctls (net.ipv4.tcp_rmem, kernel.msgmax)");
    }

    @Test
    void windowsHostProcess() {
        PodSpec spec =
                withMain(s -> s.withNewWindowsOptions().withHostProcess(true).endWindowsOptions());
        assertThat(check(BASELINE, spec))
                .isEqualTo("hostProcess (container \"main\" must not set"
                        + " securityContext.windowsOptions.hostProcess=true)");
    }

    @Test
    void allowPrivilegeEscalationIsNotRequiredOfWindowsPodsSinceV1Dot25() {
        PodSpec spec = withMain(s -> s.withAllowPrivilegeEscalation(true));
        assertThat(check(RESTRICTED, spec))
                .isEqualTo("allowPrivilegeEscalation != false (container \"main\" must set"
                        + " securityContext.allowPrivilegeEscalation=false)");
        spec.setOs(new io.fabric8.kubernetes.api.model.PodOS("windows"));
        assertThat(check(RESTRICTED, spec)).isEmpty();
        assertThat(check(new LevelVersion(Level.RESTRICTED, 24), spec)).startsWith("allowPrivilegeEscalation");
    }

    @Test
    void runAsNonRootFalseOnPodAndContainer() {
        PodSpec spec = compliant()
                .editSecurityContext()
                .withRunAsNonRoot(false)
                .endSecurityContext()
                .withContainers(container("main", s -> s.withRunAsNonRoot(false)), container("side", s -> s))
                .build();
        assertThat(check(RESTRICTED, spec))
                .isEqualTo("runAsNonRoot != true (pod and container \"main\" must not set"
                        + " securityContext.runAsNonRoot=false)");
    }

    @Test
    void runAsUserZeroExceptInAUserNamespace() {
        PodSpec spec = withMain(s -> s.withRunAsUser(0L));
        spec.getSecurityContext().setRunAsUser(0L);
        assertThat(check(RESTRICTED, spec))
                .isEqualTo("runAsUser=0 (pod and container \"main\" must not set runAsUser=0)");
        spec.setHostUsers(false);
        assertThat(check(RESTRICTED, spec)).isEmpty();
        assertThat(check(new LevelVersion(Level.RESTRICTED, 22), withMain(s -> s.withRunAsUser(0L))))
                .isEmpty();
    }

    @Test
    void initAndEphemeralContainersAreCheckedToo() {
        PodSpec spec = compliant()
                .addToInitContainers(container("init", s -> s.withPrivileged(true)))
                .addNewEphemeralContainer()
                .withName("debug")
                .withImage("busybox:1.36")
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .endEphemeralContainer()
                .build();
        assertThat(check(BASELINE, spec))
                .isEqualTo("privileged (containers \"init\", \"debug\" must not set securityContext.privileged=true)");
    }

    @Test
    void newerVersionsThanTheChecksRunAsLatest() {
        assertThat(Evaluator.checks(new LevelVersion(Level.RESTRICTED, 40))).isEqualTo(Evaluator.checks(RESTRICTED));
        assertThat(Evaluator.MAX_MINOR).isEqualTo(35);
    }
}
