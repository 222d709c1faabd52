package dev.skiff.testing.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.validation.Defaults;
import dev.skiff.core.validation.Validator;
import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server's update rules, as a table of (stored object, change) → violations, with the
 * field paths and wording of kube-apiserver's {@code ValidateXUpdate} functions.
 */
class UpdateValidationTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String STS_FORBIDDEN = "spec: Forbidden: updates to statefulset spec for fields other than"
            + " 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy'"
            + " and 'minReadySeconds' are forbidden";
    private static final String CLAIM_FORBIDDEN = "spec: Forbidden: spec is immutable after creation except"
            + " resources.requests and volumeAttributesClassName for bound claims";

    /** The server's path: the new object takes what the stored one allocated, is defaulted, then validated. */
    private static List<String> update(HasMetadata stored, HasMetadata next) {
        Defaults.apply(stored);
        Immutability.prepareForUpdate(stored, next);
        Defaults.apply(next);
        return Immutability.validateUpdate(stored, next, Validator.validate(next)).stream()
                .map(Violation::toString)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> Arguments row(
            String name, T stored, Consumer<T> change, String... expected) {
        T next = (T) JSON.clone(stored);
        change.accept(next);
        return Arguments.of(name, stored, next, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void updateIsCheckedAsTheApiServerDoes(String name, HasMetadata stored, HasMetadata next, List<String> expected) {
        assertThat(update(stored, next)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // ---- StatefulSet: only some spec fields may change
                row(
                        "statefulset: replicas, template, strategy, minReadySeconds, ordinals, retention may change",
                        statefulSet(),
                        s -> {
                            s.getSpec().setReplicas(5);
                            s.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .setImage("postgres:17");
                            s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(2);
                            s.getSpec().setMinReadySeconds(10);
                            s.getSpec().setRevisionHistoryLimit(3);
                            s.getSpec().setOrdinals(new io.fabric8.kubernetes.api.model.apps.StatefulSetOrdinals(1));
                            s.getSpec()
                                    .setPersistentVolumeClaimRetentionPolicy(
                                            new io.fabric8.kubernetes.api.model.apps
                                                    .StatefulSetPersistentVolumeClaimRetentionPolicy(
                                                    "Delete", "Delete"));
                        }),
                row("statefulset: serviceName", statefulSet(), s -> s.getSpec().setServiceName("other"), STS_FORBIDDEN),
                row(
                        "statefulset: podManagementPolicy",
                        statefulSet(),
                        s -> s.getSpec().setPodManagementPolicy("Parallel"),
                        STS_FORBIDDEN),
                row(
                        "statefulset: volumeClaimTemplates",
                        statefulSet(),
                        s -> s.getSpec()
                                .getVolumeClaimTemplates()
                                .get(0)
                                .getSpec()
                                .getResources()
                                .getRequests()
                                .put("storage", new Quantity("2Gi")),
                        STS_FORBIDDEN),
                row(
                        "statefulset: an invalid new replica count is reported before the forbidden change",
                        statefulSet(),
                        s -> {
                            s.getSpec().setReplicas(-1);
                            s.getSpec().setServiceName("other");
                        },
                        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                        STS_FORBIDDEN),
                // ---- Deployment: the selector is immutable in apps/v1
                row(
                        "deployment: selector",
                        deployment(),
                        d -> {
                            d.getSpec().getSelector().getMatchLabels().put("app", "other");
                            d.getSpec().getTemplate().getMetadata().getLabels().put("app", "other");
                        },
                        "spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"other\"}}: field is immutable"),
                row("deployment: replicas and strategy may change", deployment(), d -> {
                    d.getSpec().setReplicas(7);
                    d.getSpec().getStrategy().setType("Recreate");
                    d.getSpec().getStrategy().setRollingUpdate(null);
                }),
                // ---- Service: a set cluster IP stays
                row(
                        "service: clusterIP",
                        service("10.96.0.10"),
                        s -> {
                            s.getSpec().setClusterIP("10.96.0.11");
                            s.getSpec().setClusterIPs(List.of("10.96.0.11"));
                        },
                        "spec.clusterIPs[0]: Invalid value: [\"10.96.0.11\"]: may not change once set"),
                row("service: an update without clusterIP keeps the allocated one", service("10.96.0.10"), s -> {
                    s.getSpec().setClusterIP(null);
                    s.getSpec().setClusterIPs(null);
                }),
                row(
                        "service: ports may change",
                        service("10.96.0.10"),
                        s -> s.getSpec().getPorts().get(0).setPort(8080)),
                row(
                        "service: headless stays headless",
                        service("None"),
                        s -> s.getSpec().getPorts().get(0).setPort(8080)),
                // ---- PersistentVolumeClaim: immutable but for growing a bound claim
                row(
                        "claim: storageClassName",
                        claim("1Gi", null),
                        c -> c.getSpec().setStorageClassName("fast"),
                        CLAIM_FORBIDDEN),
                row(
                        "claim: requests of an unbound claim",
                        claim("1Gi", null),
                        c -> c.getSpec().getResources().getRequests().put("storage", new Quantity("2Gi")),
                        CLAIM_FORBIDDEN),
                row(
                        "claim: a bound claim grows",
                        claim("1Gi", "1Gi"),
                        c -> c.getSpec().getResources().getRequests().put("storage", new Quantity("2Gi"))),
                row(
                        "claim: a bound claim shrinks below its capacity",
                        claim("2Gi", "2Gi"),
                        c -> c.getSpec().getResources().getRequests().put("storage", new Quantity("1Gi")),
                        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"),
                row(
                        "claim: volumeName is set once",
                        claim("1Gi", null),
                        c -> c.getSpec().setVolumeName("pv-1")),
                row(
                        "claim: accessModes",
                        claim("1Gi", "1Gi"),
                        c -> c.getSpec().setAccessModes(List.of("ReadWriteMany")),
                        CLAIM_FORBIDDEN),
                // ---- Secret and ConfigMap
                row(
                        "secret: data of an immutable secret",
                        secret(true),
                        s -> s.getData().put("token", "Y2hhbmdlZA=="),
                        "data: Forbidden: field is immutable when `immutable` is set"),
                row(
                        "secret: immutable may not be unset",
                        secret(true),
                        s -> s.setImmutable(null),
                        "immutable: Forbidden: field is immutable when `immutable` is set"),
                row("secret: stringData equal to data changes nothing", secret(true), s -> {
                    s.getData().remove("token");
                    s.setStringData(java.util.Map.of("token", "s3cr3t"));
                }),
                row(
                        "secret: a mutable secret's data may change",
                        secret(false),
                        s -> s.getData().put("token", "Y2hhbmdlZA==")),
                row(
                        "secret: type",
                        secret(false),
                        s -> {
                            s.setType("kubernetes.io/tls");
                            s.getData().put("tls.crt", "Y3J0");
                            s.getData().put("tls.key", "a2V5");
                        },
                        "type: Invalid value: \"kubernetes.io/tls\": field is immutable"),
                row(
                        "configmap: data and binaryData of an immutable configmap",
                        configMap(true),
                        c -> {
                            c.getData().put("mode", "train");
                            c.setBinaryData(java.util.Map.of("blob", "AAE="));
                        },
                        "data: Forbidden: field is immutable when `immutable` is set",
                        "binaryData: Forbidden: field is immutable when `immutable` is set"),
                row(
                        "configmap: immutable may not be unset",
                        configMap(true),
                        c -> c.setImmutable(false),
                        "immutable: Forbidden: field is immutable when `immutable` is set"),
                row("configmap: a mutable configmap may change and become immutable", configMap(false), c -> {
                    c.getData().put("mode", "train");
                    c.setImmutable(true);
                }),
                // ---- CronJob
                row(
                        "cronjob: a TZ schedule already stored may stay",
                        cronJob("TZ=UTC 0 * * * *"),
                        c -> c.getSpec().setSuspend(true)),
                row(
                        "cronjob: a new TZ schedule is rejected",
                        cronJob("0 * * * *"),
                        c -> c.getSpec().setSchedule("TZ=UTC 0 * * * *"),
                        "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule,"
                                + " use timeZone field instead"),
                // ---- ControllerRevision: the data is immutable, the revision number is not
                row("controllerrevision: revision number", revision(), r -> r.setRevision(4L)),
                row(
                        "controllerrevision: data",
                        revision(),
                        r -> r.setData(java.util.Map.of("spec", java.util.Map.of())),
                        "data: Invalid value: {\"spec\":{}}: field is immutable"),
                // ---- metadata, on any kind
                row(
                        "namespace: uid",
                        namespace(),
                        n -> n.getMetadata().setUid("another-uid"),
                        "metadata.uid: Invalid value: \"another-uid\": field is immutable"),
                row(
                        "namespace: labels may change",
                        namespace(),
                        n -> n.getMetadata().setLabels(java.util.Map.of("team", "ml"))),
                row(
                        "configmap: no new finalizer while deleting",
                        deleting(configMap(false)),
                        c -> c.getMetadata().setFinalizers(List.of("example.com/keep", "example.com/new")),
                        // twice, as a 1.36.3 API server reports it
                        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being"
                                + " deleted, found new finalizers []string{\"example.com/new\"}",
                        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being"
                                + " deleted, found new finalizers []string{\"example.com/new\"}"),
                row(
                        "configmap: a finalizer may go while deleting",
                        deleting(configMap(false)),
                        c -> c.getMetadata().setFinalizers(List.of())));
    }

    @org.junit.jupiter.api.Test
    void aNamespaceUpdateKeepsItsFinalizersAndPhase() {
        Namespace stored = namespace();
        stored.setSpec(new io.fabric8.kubernetes.api.model.NamespaceSpec(List.of("kubernetes")));
        stored.setStatus(new io.fabric8.kubernetes.api.model.NamespaceStatusBuilder()
                .withPhase("Active")
                .build());
        Namespace next = JSON.clone(stored);
        next.getSpec().setFinalizers(List.of());
        next.getStatus().setPhase("Terminating");
        next.getMetadata().setLabels(java.util.Map.of("team", "ml"));

        assertThat(update(stored, next)).isEmpty();
        assertThat(next.getSpec().getFinalizers()).containsExactly("kubernetes");
        assertThat(next.getStatus().getPhase()).isEqualTo("Active");
        assertThat(next.getMetadata().getLabels()).containsEntry("team", "ml");
    }

    @org.junit.jupiter.api.Test
    void anUpdateWithoutUidTakesTheStoredOne() {
        ConfigMap stored = configMap(false);
        ConfigMap next = JSON.clone(stored);
        next.getMetadata().setUid(null);

        assertThat(update(stored, next)).isEmpty();
        assertThat(next.getMetadata().getUid()).isEqualTo("uid-cm");
    }

    // ---- fixtures, as the server stores them ----

    private static PodTemplateSpec template(String app, String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("app", app)
                .endMetadata()
                .withNewSpec()
                .withContainers(
                        new ContainerBuilder().withName("main").withImage(image).build())
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet() {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("default")
                .withUid("uid-db")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withServiceName("db")
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withTemplate(template("db", "postgres:16"))
                .addNewVolumeClaimTemplate()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .withNewUpdateStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withPartition(0)
                .endRollingUpdate()
                .endUpdateStrategy()
                .endSpec()
                .build();
    }

    private static Deployment deployment() {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .withUid("uid-web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withTemplate(template("web", "nginx:1.27"))
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString("25%"))
                .withMaxUnavailable(new IntOrString("25%"))
                .endRollingUpdate()
                .endStrategy()
                .endSpec()
                .build();
    }

    private static Service service(String clusterIP) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .withUid("uid-svc")
                .endMetadata()
                .withNewSpec()
                .withClusterIP(clusterIP)
                .withClusterIPs(clusterIP)
                .addToSelector("app", "web")
                .addNewPort()
                .withName("http")
                .withPort(80)
                .endPort()
                .endSpec()
                .build();
    }

    private static PersistentVolumeClaim claim(String request, String boundCapacity) {
        PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .withNamespace("default")
                .withUid("uid-pvc")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName("standard")
                .withNewResources()
                .addToRequests("storage", new Quantity(request))
                .endResources()
                .endSpec();
        if (boundCapacity != null) {
            b.withNewStatus()
                    .withPhase("Bound")
                    .addToCapacity("storage", new Quantity(boundCapacity))
                    .endStatus();
            b.editSpec().withVolumeName("pv-1").endSpec();
        }
        return b.build();
    }

    private static Secret secret(boolean immutable) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .withNamespace("default")
                .withUid("uid-secret")
                .endMetadata()
                .withImmutable(immutable ? Boolean.TRUE : null)
                .addToData("token", "czNjcjN0")
                .build();
    }

    private static ConfigMap configMap(boolean immutable) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("default")
                .withUid("uid-cm")
                .endMetadata()
                .withImmutable(immutable ? Boolean.TRUE : null)
                .addToData("mode", "eval")
                .build();
    }

    private static CronJob cronJob(String schedule) {
        return new CronJobBuilder()
                .withNewMetadata()
                .withName("nightly")
                .withNamespace("default")
                .withUid("uid-cj")
                .endMetadata()
                .withNewSpec()
                .withSchedule(schedule)
                .withNewJobTemplate()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withContainers(new ContainerBuilder()
                        .withName("main")
                        .withImage("busybox:1.36")
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .endJobTemplate()
                .endSpec()
                .build();
    }

    private static io.fabric8.kubernetes.api.model.apps.ControllerRevision revision() {
        return new io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder()
                .withNewMetadata()
                .withName("db-7c9d8")
                .withNamespace("default")
                .withUid("uid-cr")
                .endMetadata()
                .withData(java.util.Map.of("spec", java.util.Map.of("template", java.util.Map.of("$patch", "replace"))))
                .withRevision(3L)
                .build();
    }

    private static Namespace namespace() {
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName("team-a")
                .withUid("uid-ns")
                .endMetadata()
                .build();
    }

    private static <T extends HasMetadata> T deleting(T object) {
        object.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        object.getMetadata().setFinalizers(List.of("example.com/keep"));
        return object;
    }
}
