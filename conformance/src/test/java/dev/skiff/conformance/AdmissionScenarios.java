package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds, ResourceQuota) and
 * the controllers that keep namespaces and quotas as the plugins expect them (root-CA publisher,
 * quota controller): the same requests on both targets, the same answers and texts.
 */
class AdmissionScenarios {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

    static java.util.stream.Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    private static PodBuilder pod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewInitContainer()
                .withName("init")
                .withImage("busybox:1.36")
                .endInitContainer()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .endSpec();
    }

    private static Pod create(Target t, Pod pod) {
        return t.client().pods().inNamespace(t.namespace()).resource(pod).create();
    }

    private static KubernetesClientException rejected(Target t, Pod pod) {
        return catchThrowableOfType(KubernetesClientException.class, () -> create(t, pod));
    }

    @ParameterizedTest(name = "[{0}] admission/missing ServiceAccount: 403 naming the generateName")
    @MethodSource("kinds")
    void missingServiceAccount(Target.Kind kind) {
        try (Target t = kind.open()) {
            var e = rejected(
                    t,
                    pod("x").editMetadata()
                            .withName(null)
                            .withGenerateName("worker-")
                            .endMetadata()
                            .editSpec()
                            .withServiceAccountName("trainer")
                            .endSpec()
                            .build());
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
            assertThat(e.getStatus().getMessage())
                    .isEqualTo("pods \"worker-\" is forbidden: error looking up service account " + t.namespace()
                            + "/trainer: serviceaccount \"trainer\" not found");
            assertThat(e.getStatus().getDetails().getKind()).isEqualTo("pods");
            assertThat(e.getStatus().getDetails().getName()).isEqualTo("worker-");
        }
    }

    @ParameterizedTest(name = "[{0}] admission/token volume in every container, not where the path is taken")
    @MethodSource("kinds")
    void tokenVolume(Target.Kind kind) {
        try (Target t = kind.open()) {
            Pod p = create(
                    t,
                    pod("p").editSpec()
                            .addNewVolume()
                            .withName("scratch")
                            .withNewEmptyDir()
                            .endEmptyDir()
                            .endVolume()
                            .editFirstContainer()
                            .addNewVolumeMount()
                            .withName("scratch")
                            .withMountPath(TOKEN_PATH)
                            .endVolumeMount()
                            .endContainer()
                            .endSpec()
                            .build());
            assertThat(p.getSpec().getVolumes()).hasSize(2);
            String token = p.getSpec().getVolumes().get(1).getName();
            assertThat(token).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
            assertThat(p.getSpec().getContainers().get(0).getVolumeMounts())
                    .extracting(m -> m.getName())
                    .containsExactly("scratch");
            assertThat(p.getSpec().getInitContainers().get(0).getVolumeMounts())
                    .extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
                    .containsExactly(token + " " + TOKEN_PATH + " true");
        }
    }

    @ParameterizedTest(name = "[{0}] admission/an account without automount, with pull secrets")
    @MethodSource("kinds")
    void accountWithoutAutomount(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.client()
                    .serviceAccounts()
                    .inNamespace(t.namespace())
                    .resource(new ServiceAccountBuilder()
                            .withNewMetadata()
                            .withName("quiet")
                            .endMetadata()
                            .withAutomountServiceAccountToken(false)
                            .addNewImagePullSecret("registry")
                            .build())
                    .create();
            Pod p = create(
                    t, pod("p").editSpec().withServiceAccount("quiet").endSpec().build());
            assertThat(p.getSpec().getServiceAccountName()).isEqualTo("quiet");
            assertThat(p.getSpec().getServiceAccount()).isEqualTo("quiet");
            assertThat(p.getSpec().getVolumes()).isNullOrEmpty();
            assertThat(p.getSpec().getImagePullSecrets())
                    .extracting(s -> s.getName())
                    .containsExactly("registry");
        }
    }

    @ParameterizedTest(name = "[{0}] admission/priority classes: system, unknown, global default")
    @MethodSource("kinds")
    void priorityClasses(Target.Kind kind) {
        try (Target t = kind.open()) {
            Pod critical = create(
                    t,
                    pod("critical")
                            .editSpec()
                            .withPriorityClassName("system-cluster-critical")
                            .endSpec()
                            .build());
            assertThat(critical.getSpec().getPriority()).isEqualTo(2_000_000_000);
            assertThat(critical.getSpec().getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");

            var unknown = rejected(
                    t,
                    pod("u").editSpec()
                            .withPriorityClassName("High_Priority")
                            .endSpec()
                            .build());
            assertThat(unknown.getCode()).isEqualTo(403);
            assertThat(unknown.getStatus().getMessage())
                    .isEqualTo("pods \"u\" is forbidden: no PriorityClass with name High_Priority was found");

            // cluster-wide: named after the namespace, and deleted before anything else runs
            String name = t.namespace();
            var classes = t.client().scheduling().v1().priorityClasses();
            var created = classes.resource(new PriorityClassBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withValue(1000)
                            .withPreemptionPolicy("Never")
                            .build())
                    .create();
            try {
                assertThat(created.getGlobalDefault()).isNull();
                Pod p = create(
                        t,
                        pod("p").editSpec()
                                .withPriorityClassName(name)
                                .endSpec()
                                .build());
                assertThat(p.getSpec().getPriority()).isEqualTo(1000);
                assertThat(p.getSpec().getPreemptionPolicy()).isEqualTo("Never");
                var given = rejected(
                        t,
                        pod("given")
                                .editSpec()
                                .withPriorityClassName(name)
                                .withPriority(5)
                                .endSpec()
                                .build());
                assertThat(given.getStatus().getMessage())
                        .isEqualTo("pods \"given\" is forbidden: the integer value of priority (5) must not be"
                                + " provided in pod spec; priority admission controller computed 1000 from the given"
                                + " PriorityClass name");
            } finally {
                classes.withName(name).delete();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] admission/default tolerations unless the pod has its own")
    @MethodSource("kinds")
    void defaultTolerations(Target.Kind kind) {
        try (Target t = kind.open()) {
            Pod own = create(
                    t,
                    pod("own")
                            .editSpec()
                            .addNewToleration()
                            .withKey("node.kubernetes.io/unreachable")
                            .withOperator("Exists")
                            .withEffect("NoExecute")
                            .withTolerationSeconds(10L)
                            .endToleration()
                            .endSpec()
                            .build());
            assertThat(own.getSpec().getTolerations())
                    .extracting(x ->
                            x.getKey() + " " + x.getOperator() + " " + x.getEffect() + " " + x.getTolerationSeconds())
                    .containsExactly(
                            "node.kubernetes.io/unreachable Exists NoExecute 10",
                            "node.kubernetes.io/not-ready Exists NoExecute 300");
            Pod all = create(
                    t,
                    pod("all")
                            .editSpec()
                            .addNewToleration()
                            .withOperator("Exists")
                            .endToleration()
                            .endSpec()
                            .build());
            assertThat(all.getSpec().getTolerations())
                    .extracting(Toleration::getOperator)
                    .containsExactly("Exists");
        }
    }

    @ParameterizedTest(name = "[{0}] admission/a Job's pods are admitted like any pod")
    @MethodSource("kinds")
    void jobPods(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(t.namespace())
                    .resource(new JobBuilder()
                            .withNewMetadata()
                            .withName("train")
                            .endMetadata()
                            .withNewSpec()
                            .withNewTemplate()
                            .withNewSpec()
                            .withRestartPolicy("Never")
                            .addNewContainer()
                            .withName("main")
                            .withImage("busybox:1.36")
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()
                            .build())
                    .create();
            var pods = t.client().pods().inNamespace(t.namespace());
            t.await("the Job's pod", WAIT, () -> !pods.list().getItems().isEmpty());
            Pod p = pods.list().getItems().get(0);
            assertThat(p.getSpec().getServiceAccountName()).isEqualTo("default");
            assertThat(p.getSpec().getVolumes())
                    .singleElement()
                    .satisfies(v -> assertThat(v.getName()).startsWith("kube-api-access-"));
            assertThat(p.getSpec().getTolerations()).hasSize(2);
            assertThat(p.getSpec().getPriority()).isZero();
        }
    }

    @ParameterizedTest(name = "[{0}] admission/kube-root-ca.crt comes back when deleted or changed")
    @MethodSource("kinds")
    void rootCaComesBack(Target.Kind kind) {
        try (Target t = kind.open()) {
            var cm = t.client().configMaps().inNamespace(t.namespace()).withName("kube-root-ca.crt");
            t.await("kube-root-ca.crt", WAIT, () -> cm.get() != null);
            ConfigMap first = cm.get();
            assertThat(first.getData().keySet()).containsExactly("ca.crt");
            assertThat(first.getData().get("ca.crt")).startsWith("-----BEGIN CERTIFICATE-----\n");
            assertThat(first.getMetadata().getAnnotations())
                    .containsEntry(
                            "kubernetes.io/description",
                            "Contains a CA bundle that can be used to verify the kube-apiserver when using internal"
                                    + " endpoints such as the internal service IP or kubernetes.default.svc. No other"
                                    + " usage is guaranteed across distributions of Kubernetes clusters.");
            cm.edit(c -> {
                c.setData(Map.of("ca.crt", "changed"));
                return c;
            });
            t.await(
                    "the certificate put back",
                    WAIT,
                    () -> first.getData().equals(cm.get().getData()));
            cm.delete();
            t.await("kube-root-ca.crt made again", WAIT, () -> {
                ConfigMap again = cm.get();
                return again != null && first.getData().equals(again.getData());
            });
        }
    }

    @ParameterizedTest(name = "[{0}] admission/quota: status counts pod requests, explicit requests, exceeded text")
    @MethodSource("kinds")
    void quotaOnPods(Target.Kind kind) {
        try (Target t = kind.open()) {
            var quotas = t.client().resourceQuotas().inNamespace(t.namespace());
            quotas.resource(new ResourceQuotaBuilder()
                            .withNewMetadata()
                            .withName("compute")
                            .endMetadata()
                            .withNewSpec()
                            .addToHard("pods", new Quantity("10"))
                            .addToHard("requests.cpu", new Quantity("4000m"))
                            .addToHard("limits.memory", new Quantity("2Gi"))
                            .addToHard("count/jobs.batch", new Quantity("3"))
                            .addToHard("requests.nvidia.com/gpu", new Quantity("8"))
                            .endSpec()
                            .build())
                    .create();
            t.await("status.used", WAIT, () -> used(t).containsKey("pods"));
            assertThat(used(t))
                    .isEqualTo(Map.of(
                            "pods", "0",
                            "requests.cpu", "0",
                            "limits.memory", "0",
                            "count/jobs.batch", "0",
                            "requests.nvidia.com/gpu", "0"));
            assertThat(quotas.withName("compute")
                            .get()
                            .getStatus()
                            .getHard()
                            .get("requests.cpu")
                            .toString())
                    .isEqualTo("4");

            var bare = rejected(t, pod("bare").build());
            assertThat(bare.getStatus().getMessage())
                    .isEqualTo("pods \"bare\" is forbidden: failed quota: compute: must specify limits.memory for:"
                            + " init,main; requests.cpu for: init,main");

            create(t, sized("sized", "500m", "512Mi", "1500m", "1Gi"));
            t.await("used after one pod", WAIT, () -> "1".equals(used(t).get("pods")));
            assertThat(used(t)).containsEntry("requests.cpu", "1500m").containsEntry("limits.memory", "1Gi");

            var over = rejected(t, sized("big", "3", "512Mi", "1", "512Mi"));
            assertThat(over.getStatus().getMessage())
                    .isEqualTo("pods \"big\" is forbidden: exceeded quota: compute, requested: requests.cpu=3, used:"
                            + " requests.cpu=1500m, limited: requests.cpu=4");

            t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .withName("sized")
                    .withGracePeriod(0)
                    .delete();
            t.await("used after the pod is gone", WAIT, () -> "0".equals(used(t).get("pods")));
            assertThat(used(t)).containsEntry("requests.cpu", "0").containsEntry("limits.memory", "0");
        }
    }

    private static Pod sized(String name, String cpu, String memory, String initCpu, String initMemory) {
        return pod(name)
                .editSpec()
                .editFirstContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .addToLimits("memory", new Quantity(memory))
                .endResources()
                .endContainer()
                .editFirstInitContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity(initCpu))
                .addToLimits("memory", new Quantity(initMemory))
                .endResources()
                .endInitContainer()
                .endSpec()
                .build();
    }

    private static Map<String, String> used(Target t) {
        var q = t.client()
                .resourceQuotas()
                .inNamespace(t.namespace())
                .withName("compute")
                .get();
        Map<String, String> out = new TreeMap<>();
        if (q.getStatus() != null && q.getStatus().getUsed() != null) {
            q.getStatus().getUsed().forEach((k, v) -> out.put(k, v.toString()));
        }
        return out;
    }
}
