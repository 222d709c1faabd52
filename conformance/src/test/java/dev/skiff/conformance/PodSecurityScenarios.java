package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.testing.FakeNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pod Security admission on both targets: namespaces labelled {@code pod-security.kubernetes.io/*},
 * Skiff's default workloads admitted under {@code restricted}, each check refusing a pod with the
 * same status and message, warnings for workloads and for the {@code warn} level, and the labels'
 * own validation.
 */
class PodSecurityScenarios {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ENFORCE = "pod-security.kubernetes.io/enforce";
    private static final String BARE_RESTRICTED = "allowPrivilegeEscalation != false (container \"main\" must set"
            + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"main\" must"
            + " set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"main\""
            + " must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"main\" must set"
            + " securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    static Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    // ------------------------------------------------------------------ helpers

    private static void label(Target t, Map<String, String> labels) {
        t.client()
                .namespaces()
                .withName(t.namespace())
                .edit(n -> new NamespaceBuilder(n)
                        .editMetadata()
                        .addToLabels(labels)
                        .endMetadata()
                        .build());
    }

    /** A pod with no security context: container "main", busybox. */
    private static Pod bare(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .build();
    }

    /** A pod that meets restricted, as Skiff renders one; {@code change} breaks it one way. */
    private static Pod compliant(String name, UnaryOperator<PodSpecBuilder> change) {
        PodSpec spec = change.apply(new PodSpecBuilder()
                        .withNewSecurityContext()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(1000L)
                        .withNewSeccompProfile()
                        .withType("RuntimeDefault")
                        .endSeccompProfile()
                        .endSecurityContext()
                        .addToContainers(new ContainerBuilder()
                                .withName("main")
                                .withImage("busybox:1.36")
                                .withSecurityContext(new SecurityContextBuilder()
                                        .withAllowPrivilegeEscalation(false)
                                        .withNewCapabilities()
                                        .withDrop("ALL")
                                        .endCapabilities()
                                        .build())
                                .build())
                        .withRestartPolicy("Never"))
                .build();
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** The answer to creating {@code pod}: "201" or "code message". */
    private static String create(Target t, Pod pod) {
        try {
            t.client().pods().inNamespace(t.namespace()).resource(pod).create();
            return "201";
        } catch (KubernetesClientException e) {
            return e.getCode() + " " + e.getStatus().getMessage();
        }
    }

    private static String forbidden(String pod, String policy, String detail) {
        return "403 pods \"" + pod + "\" is forbidden: violates PodSecurity \"" + policy + "\": " + detail;
    }

    /** Sends a request with the client's own HTTP client; {@code path} starts with a slash. */
    private static ScenarioKit.Answer send(Target t, String method, String path, String contentType, String body) {
        return ScenarioKit.send(t, method, path.substring(1), contentType, body);
    }

    private static ScenarioKit.Answer post(Target t, String path, HasMetadata object) {
        return send(
                t,
                "POST",
                path,
                "application/json",
                t.client().getKubernetesSerialization().asJson(object));
    }

    private static List<Event> failedCreates(Target t, String kind, String name) {
        return t.client().v1().events().inNamespace(t.namespace()).list().getItems().stream()
                .filter(e -> "FailedCreate".equals(e.getReason())
                        && kind.equals(e.getInvolvedObject().getKind())
                        && name.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    private static Job bareJob(String name) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withSpec(bare("x").getSpec())
                .endTemplate()
                .endSpec()
                .build();
    }

    // ------------------------------------------------------------------ namespaces

    @ParameterizedTest(name = "[{0}] security/a namespace labelled enforce=restricted keeps its labels")
    @MethodSource("kinds")
    void restrictedNamespace(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted", ENFORCE + "-version", "latest"));
            assertThat(t.client()
                            .namespaces()
                            .withName(t.namespace())
                            .get()
                            .getMetadata()
                            .getLabels())
                    .containsEntry(ENFORCE, "restricted")
                    .containsEntry(ENFORCE + "-version", "latest");
        }
    }

    @ParameterizedTest(name = "[{0}] security/a bad level or version label is invalid")
    @MethodSource("kinds")
    void badLabels(Target.Kind kind) {
        try (Target t = kind.open()) {
            KubernetesClientException level =
                    catchThrowableOfType(KubernetesClientException.class, () -> label(t, Map.of(ENFORCE, "strict")));
            assertThat(level.getCode()).isEqualTo(422);
            assertThat(level.getStatus().getMessage())
                    .isEqualTo("Namespace \"" + t.namespace() + "\" is invalid: metadata.labels[" + ENFORCE
                            + "]: Invalid value: \"strict\": must be one of privileged, baseline, restricted");
            KubernetesClientException version = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> label(t, Map.of("pod-security.kubernetes.io/warn-version", "1.30")));
            assertThat(version.getCode()).isEqualTo(422);
            assertThat(version.getStatus().getMessage())
                    .isEqualTo("Namespace \"" + t.namespace()
                            + "\" is invalid: metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid"
                            + " value: \"1.30\": must be \"latest\" or \"v1.x\"");
        }
    }

    @ParameterizedTest(name = "[{0}] security/enforcing on a namespace warns about the pods that violate it")
    @MethodSource("kinds")
    void enforcingWarnsAboutExistingPods(Target.Kind kind) {
        try (Target t = kind.open()) {
            for (String name : List.of("b", "a", "c")) {
                assertThat(create(t, bare(name))).isEqualTo("201");
            }
            assertThat(create(t, compliant("fine", s -> s))).isEqualTo("201");
            ScenarioKit.Answer answer = send(
                    t,
                    "PATCH",
                    "/api/v1/namespaces/" + t.namespace(),
                    "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"" + ENFORCE + "\":\"restricted\"}}}");
            assertThat(answer.code()).isEqualTo(200);
            assertThat(answer.warnings())
                    .containsExactly(
                            "existing pods in namespace \"" + t.namespace()
                                    + "\" violate the new PodSecurity enforce level \"restricted:latest\"",
                            "a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities,"
                                    + " runAsNonRoot != true, seccompProfile");
        }
    }

    // ------------------------------------------------------------------ Skiff's defaults

    @ParameterizedTest(name = "[{0}] security/a Skiff BatchJob is admitted under restricted and completes")
    @MethodSource("kinds")
    void skiffBatchJobCompletes(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted"));
            t.addNode(FakeNode.named("n-" + t.namespace()));
            t.skiff()
                    .submit(BatchJob.builder()
                            .name("train")
                            .namespace(t.namespace())
                            .container(Container.of("ghcr.io/acme/trainer:1.4"))
                            .parallelism(2)
                            .completions(2)
                            .build());
            t.await("Complete", WAIT, () -> {
                Job j = t.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(t.namespace())
                        .withName("train")
                        .get();
                return j != null
                        && j.getStatus() != null
                        && j.getStatus().getSucceeded() != null
                        && j.getStatus().getSucceeded() == 2;
            });
            assertThat(failedCreates(t, "Job", "train")).isEmpty();
            assertThat(t.client().pods().inNamespace(t.namespace()).list().getItems())
                    .hasSize(2)
                    .allMatch(p -> p.getStatus().getPhase().equals("Succeeded"));
        }
    }

    @ParameterizedTest(name = "[{0}] security/a Skiff InteractiveSession is admitted under restricted and ready")
    @MethodSource("kinds")
    void skiffSessionBecomesReady(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted"));
            t.addNode(FakeNode.named("n-" + t.namespace()));
            t.skiff()
                    .submit(InteractiveSession.builder()
                            .name("notebook")
                            .namespace(t.namespace())
                            .container(Container.of("quay.io/jupyter/pytorch-notebook:2024-12-02"))
                            .build());
            t.await("ready", WAIT, () -> {
                Deployment d = t.client()
                        .apps()
                        .deployments()
                        .inNamespace(t.namespace())
                        .withName("notebook")
                        .get();
                return d != null
                        && d.getStatus() != null
                        && d.getStatus().getReadyReplicas() != null
                        && d.getStatus().getReadyReplicas() == 1;
            });
            assertThat(t.client().pods().inNamespace(t.namespace()).list().getItems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getStatus().getConditions())
                            .anyMatch(c ->
                                    c.getType().equals("Ready") && c.getStatus().equals("True")));
        }
    }

    // ------------------------------------------------------------------ pods

    @ParameterizedTest(name = "[{0}] security/a pod without a security context is refused under restricted")
    @MethodSource("kinds")
    void barePodRefused(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted"));
            assertThat(create(t, bare("solo"))).isEqualTo(forbidden("solo", "restricted:latest", BARE_RESTRICTED));
        }
    }

    @ParameterizedTest(name = "[{0}] security/a dry-run create is refused too")
    @MethodSource("kinds")
    void dryRunRefused(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted"));
            KubernetesClientException e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> t.client()
                            .pods()
                            .inNamespace(t.namespace())
                            .resource(bare("solo"))
                            .dryRun()
                            .create());
            assertThat(e.getCode() + " " + e.getStatus().getMessage())
                    .isEqualTo(forbidden("solo", "restricted:latest", BARE_RESTRICTED));
        }
    }

    /** One restricted (or baseline) check each: the change that breaks a compliant pod, and the detail. */
    static Stream<Arguments> restrictedCases() {
        List<Object[]> cases = List.of(
                new Object[] {
                    "hostNetwork",
                    (UnaryOperator<PodSpecBuilder>) s -> s.withHostNetwork(true),
                    "host namespaces (hostNetwork=true)"
                },
                new Object[] {
                    "hostPath volume",
                    (UnaryOperator<PodSpecBuilder>) s -> s.addNewVolume()
                            .withName("host")
                            .withNewHostPath()
                            .withPath("/var/log")
                            .endHostPath()
                            .endVolume(),
                    "restricted volume types (volume \"host\" uses restricted volume type \"hostPath\")"
                },
                new Object[] {
                    "nfs volume",
                    (UnaryOperator<PodSpecBuilder>) s -> s.addNewVolume()
                            .withName("data")
                            .withNewNfs()
                            .withServer("nfs.example")
                            .withPath("/exports")
                            .endNfs()
                            .endVolume(),
                    "restricted volume types (volume \"data\" uses restricted volume type \"nfs\")"
                },
                new Object[] {
                    "capability SYS_ADMIN",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editFirstContainer()
                            .editSecurityContext()
                            .editCapabilities()
                            .withAdd("SYS_ADMIN")
                            .endCapabilities()
                            .endSecurityContext()
                            .endContainer(),
                    "unrestricted capabilities (container \"main\" must not include \"SYS_ADMIN\" in"
                            + " securityContext.capabilities.add)"
                },
                new Object[] {
                    "runAsUser 0",
                    (UnaryOperator<PodSpecBuilder>)
                            s -> s.editSecurityContext().withRunAsUser(0L).endSecurityContext(),
                    "runAsUser=0 (pod must not set runAsUser=0)"
                },
                new Object[] {
                    "runAsNonRoot false",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editFirstContainer()
                            .editSecurityContext()
                            .withRunAsNonRoot(false)
                            .endSecurityContext()
                            .endContainer(),
                    "runAsNonRoot != true (container \"main\" must not set securityContext.runAsNonRoot=false)"
                },
                new Object[] {
                    "seccomp Unconfined",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editFirstContainer()
                            .editSecurityContext()
                            .withNewSeccompProfile()
                            .withType("Unconfined")
                            .endSeccompProfile()
                            .endSecurityContext()
                            .endContainer(),
                    "seccompProfile (container \"main\" must not set securityContext.seccompProfile.type to"
                            + " \"Unconfined\")"
                },
                new Object[] {
                    "allowPrivilegeEscalation true",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editFirstContainer()
                            .editSecurityContext()
                            .withAllowPrivilegeEscalation(true)
                            .endSecurityContext()
                            .endContainer(),
                    "allowPrivilegeEscalation != false (container \"main\" must set"
                            + " securityContext.allowPrivilegeEscalation=false)"
                },
                new Object[] {
                    "hostPort",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editFirstContainer()
                            .addNewPort()
                            .withContainerPort(8080)
                            .withHostPort(8080)
                            .endPort()
                            .endContainer(),
                    "hostPort (container \"main\" uses hostPort 8080)"
                },
                new Object[] {
                    "unsafe sysctl",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editSecurityContext()
                            .addNewSysctl()
                            .withName("kernel.msgmax")
                            .withValue("65536")
                            .endSysctl()
                            .endSecurityContext(),
                    "forbidden sysctls (kernel.msgmax)"
                },
                new Object[] {
                    "AppArmor Unconfined",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editSecurityContext()
                            .withNewAppArmorProfile()
                            .withType("Unconfined")
                            .endAppArmorProfile()
                            .endSecurityContext(),
                    "forbidden AppArmor profile (pod must not set AppArmor profile type to \"Unconfined\")"
                },
                new Object[] {
                    "SELinux type spc_t",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editSecurityContext()
                            .withNewSeLinuxOptions()
                            .withType("spc_t")
                            .endSeLinuxOptions()
                            .endSecurityContext(),
                    "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"spc_t\")"
                },
                new Object[] {
                    "Windows hostProcess",
                    (UnaryOperator<PodSpecBuilder>) s -> s.editSecurityContext()
                            .withNewWindowsOptions()
                            .withHostProcess(true)
                            .endWindowsOptions()
                            .endSecurityContext()
                            .withHostNetwork(true),
                    "host namespaces (hostNetwork=true), hostProcess (pod must not set"
                            + " securityContext.windowsOptions.hostProcess=true)"
                });
        return Target.kinds().flatMap(k -> cases.stream().map(c -> Arguments.of(k, c[0], c[1], c[2])));
    }

    @ParameterizedTest(name = "[{0}] security/restricted refuses {1}")
    @MethodSource("restrictedCases")
    void restrictedRefuses(Target.Kind kind, String what, UnaryOperator<PodSpecBuilder> change, String detail) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted"));
            assertThat(create(t, compliant("ok", s -> s))).isEqualTo("201");
            assertThat(create(t, compliant("bad", change))).isEqualTo(forbidden("bad", "restricted:latest", detail));
        }
    }

    @ParameterizedTest(name = "[{0}] security/baseline admits a bare pod and refuses a privileged one")
    @MethodSource("kinds")
    void baselineRefusesPrivileged(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "baseline"));
            assertThat(create(t, bare("plain"))).isEqualTo("201");
            Pod privileged = bare("root");
            privileged
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .setSecurityContext(
                            new SecurityContextBuilder().withPrivileged(true).build());
            privileged.getSpec().setHostPID(true);
            assertThat(create(t, privileged))
                    .isEqualTo(forbidden(
                            "root",
                            "baseline:latest",
                            "host namespaces (hostPID=true), privileged (container \"main\" must not set"
                                    + " securityContext.privileged=true)"));
        }
    }

    @ParameterizedTest(name = "[{0}] security/an older policy version runs the checks of that version")
    @MethodSource("kinds")
    void policyVersion(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted", ENFORCE + "-version", "v1.22"));
            // runAsUser=0 is checked from v1.23 on
            assertThat(create(
                            t,
                            compliant(
                                    "old",
                                    s -> s.editSecurityContext()
                                            .withRunAsUser(0L)
                                            .endSecurityContext())))
                    .isEqualTo("201");
            assertThat(create(t, bare("solo"))).isEqualTo(forbidden("solo", "restricted:v1.22", BARE_RESTRICTED));
        }
    }

    @ParameterizedTest(name = "[{0}] security/an image update of a violating pod is refused, a label update is not")
    @MethodSource("kinds")
    void updateOfViolatingPod(Target.Kind kind) {
        try (Target t = kind.open()) {
            assertThat(create(t, bare("old"))).isEqualTo("201");
            label(t, Map.of(ENFORCE, "restricted"));
            // patches without a resourceVersion: the scheduler writes the pod's status meanwhile
            t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .withName("old")
                    .patch(
                            PatchContext.of(PatchType.STRATEGIC_MERGE),
                            "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
            KubernetesClientException e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> t.client()
                            .pods()
                            .inNamespace(t.namespace())
                            .withName("old")
                            .patch(
                                    PatchContext.of(PatchType.STRATEGIC_MERGE),
                                    "{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.37\"}]}}"));
            assertThat(e.getCode() + " " + e.getStatus().getMessage())
                    .isEqualTo(forbidden("old", "restricted:latest", BARE_RESTRICTED));
        }
    }

    @ParameterizedTest(name = "[{0}] security/a warn namespace admits a pod with a warning")
    @MethodSource("kinds")
    void warnOnly(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of("pod-security.kubernetes.io/warn", "restricted"));
            ScenarioKit.Answer answer = post(t, "/api/v1/namespaces/" + t.namespace() + "/pods", bare("loud"));
            assertThat(answer.code()).isEqualTo(201);
            assertThat(answer.warnings())
                    .containsExactly("would violate PodSecurity \"restricted:latest\": " + BARE_RESTRICTED);
            ScenarioKit.Answer fine =
                    post(t, "/api/v1/namespaces/" + t.namespace() + "/pods", compliant("quiet", s -> s));
            assertThat(fine.code()).isEqualTo(201);
            assertThat(fine.warnings()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ workloads

    @ParameterizedTest(name = "[{0}] security/a violating Job is created with a warning and its pods are refused")
    @MethodSource("kinds")
    void violatingJob(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted"));
            t.addNode(FakeNode.named("n-" + t.namespace()));
            ScenarioKit.Answer answer =
                    post(t, "/apis/batch/v1/namespaces/" + t.namespace() + "/jobs", bareJob("train"));
            assertThat(answer.code()).isEqualTo(201);
            assertThat(answer.warnings())
                    .containsExactly("would violate PodSecurity \"restricted:latest\": " + BARE_RESTRICTED);
            t.await(
                    "FailedCreate",
                    Duration.ofSeconds(20),
                    () -> !failedCreates(t, "Job", "train").isEmpty());
            assertThat(failedCreates(t, "Job", "train").get(0).getMessage())
                    .matches("Error creating: pods \"train-[a-z0-9]{5}\" is forbidden: violates PodSecurity"
                            + " \"restricted:latest\": .*")
                    .endsWith(BARE_RESTRICTED);
            assertThat(failedCreates(t, "Job", "train"))
                    .allMatch(e -> e.getType().equals("Warning")
                            && e.getSource().getComponent().equals("job-controller"));
            assertThat(t.client().pods().inNamespace(t.namespace()).list().getItems())
                    .isEmpty();
            Job job = t.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(t.namespace())
                    .withName("train")
                    .get();
            assertThat(job.getStatus().getActive()).isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] security/a violating Deployment warns and its ReplicaSet cannot create pods")
    @MethodSource("kinds")
    void violatingDeployment(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "baseline"));
            Pod template = bare("x");
            template.getSpec().setHostNetwork(true);
            template.getSpec().setRestartPolicy("Always");
            Deployment d = new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("web")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                    .addToMatchLabels("app", "web")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "web")
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .endTemplate()
                    .endSpec()
                    .build();
            ScenarioKit.Answer answer = post(t, "/apis/apps/v1/namespaces/" + t.namespace() + "/deployments", d);
            assertThat(answer.code()).isEqualTo(201);
            assertThat(answer.warnings())
                    .containsExactly(
                            "would violate PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)");
            t.await(
                    "FailedCreate",
                    Duration.ofSeconds(20),
                    () -> t.client().v1().events().inNamespace(t.namespace()).list().getItems().stream()
                            .anyMatch(e -> "FailedCreate".equals(e.getReason())
                                    && "ReplicaSet".equals(e.getInvolvedObject().getKind())));
            Event failed = t.client().v1().events().inNamespace(t.namespace()).list().getItems().stream()
                    .filter(e -> "FailedCreate".equals(e.getReason()))
                    .findFirst()
                    .orElseThrow();
            assertThat(failed.getMessage())
                    .matches("Error creating: pods \"web-[a-z0-9]+-[a-z0-9]{5}\" is forbidden: violates PodSecurity"
                            + " \"baseline:latest\": host namespaces \\(hostNetwork=true\\)");
            assertThat(failed.getSource().getComponent()).isEqualTo("replicaset-controller");
            assertThat(t.client()
                            .v1()
                            .events()
                            .inNamespace(t.namespace())
                            .list()
                            .getItems())
                    .noneMatch(e -> "SuccessfulCreate".equals(e.getReason())
                            && "ReplicaSet".equals(e.getInvolvedObject().getKind()));
            assertThat(t.client().pods().inNamespace(t.namespace()).list().getItems())
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}] security/a violating StatefulSet cannot create its first pod")
    @MethodSource("kinds")
    void violatingStatefulSet(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "restricted"));
            Pod template = bare("x");
            template.getSpec().setRestartPolicy("Always");
            StatefulSet set = new StatefulSetBuilder()
                    .withNewMetadata()
                    .withName("db")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                    .addToMatchLabels("app", "db")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "db")
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .endTemplate()
                    .endSpec()
                    .build();
            ScenarioKit.Answer answer = post(t, "/apis/apps/v1/namespaces/" + t.namespace() + "/statefulsets", set);
            assertThat(answer.code()).isEqualTo(201);
            assertThat(answer.warnings())
                    .containsExactly("would violate PodSecurity \"restricted:latest\": " + BARE_RESTRICTED);
            t.await(
                    "FailedCreate",
                    Duration.ofSeconds(20),
                    () -> !failedCreates(t, "StatefulSet", "db").isEmpty());
            assertThat(failedCreates(t, "StatefulSet", "db").get(0).getMessage())
                    .isEqualTo("Create Pod db-0 in StatefulSet db failed error: pods \"db-0\" is forbidden: violates"
                            + " PodSecurity \"restricted:latest\": " + BARE_RESTRICTED);
            assertThat(t.client()
                            .v1()
                            .events()
                            .inNamespace(t.namespace())
                            .list()
                            .getItems())
                    .noneMatch(e -> "SuccessfulCreate".equals(e.getReason()));
            assertThat(t.client().pods().inNamespace(t.namespace()).list().getItems())
                    .isEmpty();
            t.await("status", Duration.ofSeconds(20), () -> {
                StatefulSet s = t.client()
                        .apps()
                        .statefulSets()
                        .inNamespace(t.namespace())
                        .withName("db")
                        .get();
                return s.getStatus() != null && s.getStatus().getObservedGeneration() != null;
            });
            StatefulSet stored = t.client()
                    .apps()
                    .statefulSets()
                    .inNamespace(t.namespace())
                    .withName("db")
                    .get();
            assertThat(stored.getStatus().getReplicas()).isZero();
            assertThat(stored.getStatus().getCurrentReplicas()).isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] security/enforce baseline with warn restricted admits a pod with a warning")
    @MethodSource("kinds")
    void enforceBaselineWarnRestricted(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "baseline", "pod-security.kubernetes.io/warn", "restricted"));
            ScenarioKit.Answer answer = post(t, "/api/v1/namespaces/" + t.namespace() + "/pods", bare("plain"));
            assertThat(answer.code()).isEqualTo(201);
            assertThat(answer.warnings())
                    .containsExactly("would violate PodSecurity \"restricted:latest\": " + BARE_RESTRICTED);
            Pod host = bare("host");
            host.getSpec().setHostIPC(true);
            assertThat(create(t, host))
                    .isEqualTo(forbidden("host", "baseline:latest", "host namespaces (hostIPC=true)"));
        }
    }

    @ParameterizedTest(name = "[{0}] security/a CronJob is checked against its job template and warns")
    @MethodSource("kinds")
    void violatingCronJob(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(
                    t,
                    Map.of(
                            "pod-security.kubernetes.io/warn",
                            "baseline",
                            "pod-security.kubernetes.io/warn-version",
                            "v1.33"));
            Pod template = bare("x");
            template.getSpec().setHostPID(true);
            CronJob cron = new CronJobBuilder()
                    .withNewMetadata()
                    .withName("nightly")
                    .endMetadata()
                    .withNewSpec()
                    .withSchedule("0 2 * * *")
                    .withNewJobTemplate()
                    .withNewSpec()
                    .withNewTemplate()
                    .withSpec(template.getSpec())
                    .endTemplate()
                    .endSpec()
                    .endJobTemplate()
                    .endSpec()
                    .build();
            ScenarioKit.Answer answer = post(t, "/apis/batch/v1/namespaces/" + t.namespace() + "/cronjobs", cron);
            assertThat(answer.code()).isEqualTo(201);
            assertThat(answer.warnings())
                    .containsExactly("would violate PodSecurity \"baseline:v1.33\": host namespaces (hostPID=true)");
        }
    }

    @ParameterizedTest(name = "[{0}] security/lowering the enforce level does not look at existing pods")
    @MethodSource("kinds")
    void loweringEnforce(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of(ENFORCE, "baseline"));
            assertThat(create(t, bare("plain"))).isEqualTo("201");
            String path = "/api/v1/namespaces/" + t.namespace();
            String patch = "{\"metadata\":{\"labels\":{\"" + ENFORCE + "\":\"%s\"}}}";
            ScenarioKit.Answer lower =
                    send(t, "PATCH", path, "application/merge-patch+json", patch.formatted("privileged"));
            assertThat(lower.code()).isEqualTo(200);
            assertThat(lower.warnings()).isEmpty();
            ScenarioKit.Answer raise =
                    send(t, "PATCH", path, "application/merge-patch+json", patch.formatted("restricted"));
            assertThat(raise.warnings())
                    .containsExactly(
                            "existing pods in namespace \"" + t.namespace()
                                    + "\" violate the new PodSecurity enforce level \"restricted:latest\"",
                            "plain: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot !="
                                    + " true, seccompProfile");
        }
    }

    @ParameterizedTest(name = "[{0}] security/any update of a Job warns again, a pod's label update does not")
    @MethodSource("kinds")
    void updatesWarn(Target.Kind kind) {
        try (Target t = kind.open()) {
            label(t, Map.of("pod-security.kubernetes.io/warn", "restricted"));
            String warning = "would violate PodSecurity \"restricted:latest\": " + BARE_RESTRICTED;
            Job job = bareJob("train");
            job.getSpec().setSuspend(true);
            assertThat(post(t, "/apis/batch/v1/namespaces/" + t.namespace() + "/jobs", job)
                            .warnings())
                    .containsExactly(warning);
            String labels = "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}";
            ScenarioKit.Answer jobUpdate = send(
                    t,
                    "PATCH",
                    "/apis/batch/v1/namespaces/" + t.namespace() + "/jobs/train",
                    "application/merge-patch+json",
                    labels);
            assertThat(jobUpdate.code()).isEqualTo(200);
            assertThat(jobUpdate.warnings()).containsExactly(warning);
            assertThat(post(t, "/api/v1/namespaces/" + t.namespace() + "/pods", bare("solo"))
                            .warnings())
                    .containsExactly(warning);
            ScenarioKit.Answer podUpdate = send(
                    t,
                    "PATCH",
                    "/api/v1/namespaces/" + t.namespace() + "/pods/solo",
                    "application/merge-patch+json",
                    labels);
            assertThat(podUpdate.code()).isEqualTo(200);
            assertThat(podUpdate.warnings()).isEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}] security/adding an ephemeral container checks the whole pod")
    @MethodSource("kinds")
    void ephemeralContainer(Target.Kind kind) {
        try (Target t = kind.open()) {
            assertThat(create(t, bare("old"))).isEqualTo("201");
            assertThat(create(t, compliant("ok", s -> s))).isEqualTo("201");
            label(t, Map.of(ENFORCE, "restricted"));
            String debug = "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debug\",\"image\":\"busybox:1.36\","
                    + "\"targetContainerName\":\"main\"}]}}";
            String path = "/api/v1/namespaces/" + t.namespace() + "/pods/%s/ephemeralcontainers";
            ScenarioKit.Answer old =
                    send(t, "PATCH", path.formatted("old"), "application/strategic-merge-patch+json", debug);
            ScenarioKit.Answer ok =
                    send(t, "PATCH", path.formatted("ok"), "application/strategic-merge-patch+json", debug);
            assertThat(old.code()).isEqualTo(403);
            assertThat(ok.code()).isEqualTo(403);
            KubernetesClientException e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> t.client()
                            .pods()
                            .inNamespace(t.namespace())
                            .withName("ok")
                            .ephemeralContainers()
                            .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), debug));
            assertThat(e.getCode() + " " + e.getStatus().getMessage())
                    .isEqualTo(forbidden(
                            "ok",
                            "restricted:latest",
                            "allowPrivilegeEscalation != false (container \"debug\" must set"
                                    + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities"
                                    + " (container \"debug\" must set securityContext.capabilities.drop=[\"ALL\"])"));
        }
    }
}
