package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admission plugins and controllers a real API server and controller manager add to every
 * cluster: ServiceAccount, Priority, DefaultTolerationSeconds, the root-CA publisher, the quota
 * controller and the quota plugin going by its status. The expected texts are v1.36.3's.
 */
class AdmissionIT {
    private static final String TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

    InMemoryCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.start();
        client = cluster.kubernetesClient();
    }

    @AfterEach
    void stop() {
        cluster.close();
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

    private Pod create(Pod pod) {
        return client.pods().inNamespace("default").resource(pod).create();
    }

    private KubernetesClientException rejected(Pod pod) {
        return catchThrowableOfType(KubernetesClientException.class, () -> create(pod));
    }

    @Test
    void aPodRunsAsTheDefaultAccountWithItsTokenMountedEverywhere() {
        Pod p = create(pod("solo").build());

        assertThat(p.getSpec().getServiceAccountName()).isEqualTo("default");
        assertThat(p.getSpec().getServiceAccount()).isEqualTo("default");
        Volume v = p.getSpec().getVolumes().get(0);
        assertThat(p.getSpec().getVolumes()).hasSize(1);
        assertThat(v.getName()).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        var projected = v.getProjected();
        assertThat(projected.getDefaultMode()).isEqualTo(420);
        assertThat(projected.getSources()).hasSize(3);
        assertThat(projected.getSources().get(0).getServiceAccountToken().getExpirationSeconds())
                .isEqualTo(3607L);
        assertThat(projected.getSources().get(0).getServiceAccountToken().getPath())
                .isEqualTo("token");
        assertThat(projected.getSources().get(1).getConfigMap().getName()).isEqualTo("kube-root-ca.crt");
        assertThat(projected
                        .getSources()
                        .get(1)
                        .getConfigMap()
                        .getItems()
                        .get(0)
                        .getKey())
                .isEqualTo("ca.crt");
        assertThat(projected
                        .getSources()
                        .get(2)
                        .getDownwardAPI()
                        .getItems()
                        .get(0)
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.namespace");
        for (var c : List.of(
                p.getSpec().getInitContainers().get(0),
                p.getSpec().getContainers().get(0))) {
            assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> {
                assertThat(m.getName()).isEqualTo(v.getName());
                assertThat(m.getMountPath()).isEqualTo(TOKEN_PATH);
                assertThat(m.getReadOnly()).isTrue();
            });
        }
    }

    @Test
    void noTokenWhenThePodOrItsAccountSaysNo() {
        Pod optedOut = create(pod("pod-says-no")
                .editSpec()
                .withAutomountServiceAccountToken(false)
                .endSpec()
                .build());
        assertThat(optedOut.getSpec().getVolumes()).isNullOrEmpty();
        assertThat(optedOut.getSpec().getContainers().get(0).getVolumeMounts()).isNullOrEmpty();

        client.serviceAccounts()
                .inNamespace("default")
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("quiet")
                        .endMetadata()
                        .withAutomountServiceAccountToken(false)
                        .addNewImagePullSecret("registry")
                        .build())
                .create();
        Pod quiet = create(pod("account-says-no")
                .editSpec()
                .withServiceAccountName("quiet")
                .endSpec()
                .build());
        assertThat(quiet.getSpec().getVolumes()).isNullOrEmpty();
        assertThat(quiet.getSpec().getImagePullSecrets())
                .singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("registry"));

        Pod podWins = create(pod("pod-wins")
                .editSpec()
                .withServiceAccountName("quiet")
                .withAutomountServiceAccountToken(true)
                .endSpec()
                .build());
        assertThat(podWins.getSpec().getVolumes()).hasSize(1);
    }

    @Test
    void aContainerWithSomethingAtTheTokenPathAndAnExistingTokenVolumeAreKept() {
        Pod p = create(pod("own-token")
                .editSpec()
                .addNewVolume()
                .withName("kube-api-access-mine")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .editFirstContainer()
                .addNewVolumeMount()
                .withName("kube-api-access-mine")
                .withMountPath(TOKEN_PATH)
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .build());

        assertThat(p.getSpec().getVolumes()).extracting(Volume::getName).containsExactly("kube-api-access-mine");
        assertThat(p.getSpec().getContainers().get(0).getVolumeMounts()).hasSize(1);
        assertThat(p.getSpec().getInitContainers().get(0).getVolumeMounts())
                .singleElement()
                .satisfies(m -> assertThat(m.getName()).isEqualTo("kube-api-access-mine"));
    }

    @Test
    void aMissingAccountIsForbiddenNamingTheGenerateName() {
        var e = rejected(pod("x").editMetadata()
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
                .isEqualTo("pods \"worker-\" is forbidden: error looking up service account default/trainer:"
                        + " serviceaccount \"trainer\" not found");
        assertThat(e.getStatus().getDetails().getName()).isEqualTo("worker-");
        assertThat(e.getStatus().getDetails().getKind()).isEqualTo("pods");
    }

    @Test
    void theDeprecatedServiceAccountFieldNamesTheAccountAndMirrorsIt() {
        var e = rejected(
                pod("legacy").editSpec().withServiceAccount("legacy").endSpec().build());
        assertThat(e.getStatus().getMessage())
                .isEqualTo("pods \"legacy\" is forbidden: error looking up service account default/legacy:"
                        + " serviceaccount \"legacy\" not found");

        var job = client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .resource(new JobBuilder()
                        .withNewMetadata()
                        .withName("j")
                        .endMetadata()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewSpec()
                        .withServiceAccountName("trainer")
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("main")
                        .withImage("busybox:1.36")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .dryRun()
                .create();
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccount()).isEqualTo("trainer");
    }

    @Test
    void aPodIsRejectedUntilTheNamespaceHasItsDefaultAccount() {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("fresh")
                        .endMetadata()
                        .build())
                .create();
        assertThat(client.serviceAccounts()
                        .inNamespace("fresh")
                        .withName("default")
                        .get())
                .isNotNull();
        client.serviceAccounts().inNamespace("fresh").withName("default").delete();

        var e = catchThrowableOfType(
                KubernetesClientException.class,
                () -> client.pods()
                        .inNamespace("fresh")
                        .resource(pod("p").build())
                        .create());
        assertThat(e.getStatus().getMessage())
                .isEqualTo("pods \"p\" is forbidden: error looking up service account fresh/default:"
                        + " serviceaccount \"default\" not found");
    }

    @Test
    void priorityIsZeroByDefaultAndComesFromTheClass() {
        Pod p = create(pod("plain").build());
        assertThat(p.getSpec().getPriority()).isZero();
        assertThat(p.getSpec().getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
        assertThat(p.getSpec().getPriorityClassName()).isNull();

        Pod critical = create(pod("critical")
                .editSpec()
                .withPriorityClassName("system-node-critical")
                .endSpec()
                .build());
        assertThat(critical.getSpec().getPriority()).isEqualTo(2_000_001_000);
        assertThat(client.scheduling().v1().priorityClasses().list().getItems())
                .extracting(pc -> pc.getMetadata().getName())
                .containsExactly("system-cluster-critical", "system-node-critical");

        var e = rejected(pod("unknown")
                .editSpec()
                .withPriorityClassName("High_Priority")
                .endSpec()
                .build());
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getStatus().getMessage())
                .isEqualTo("pods \"unknown\" is forbidden: no PriorityClass with name High_Priority was found");

        var given = rejected(pod("given").editSpec().withPriority(7).endSpec().build());
        assertThat(given.getStatus().getMessage())
                .isEqualTo("pods \"given\" is forbidden: the integer value of priority (7) must not be provided in"
                        + " pod spec; priority admission controller computed 0 from the given PriorityClass name");
    }

    @Test
    void theGlobalDefaultClassGivesItsPriorityAndThereIsOnlyOne() {
        var classes = client.scheduling().v1().priorityClasses();
        classes.resource(new PriorityClassBuilder()
                        .withNewMetadata()
                        .withName("batch")
                        .endMetadata()
                        .withValue(1000)
                        .withGlobalDefault(true)
                        .withPreemptionPolicy("Never")
                        .build())
                .create();

        Pod p = create(pod("defaulted").build());
        assertThat(p.getSpec().getPriorityClassName()).isEqualTo("batch");
        assertThat(p.getSpec().getPriority()).isEqualTo(1000);
        assertThat(p.getSpec().getPreemptionPolicy()).isEqualTo("Never");

        var high = classes.resource(new PriorityClassBuilder()
                        .withNewMetadata()
                        .withName("high")
                        .endMetadata()
                        .withValue(100_000)
                        .build())
                .create();
        assertThat(high.getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
        Pod urgent = create(
                pod("urgent").editSpec().withPriorityClassName("high").endSpec().build());
        assertThat(urgent.getSpec().getPriority()).isEqualTo(100_000);
        assertThat(urgent.getSpec().getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");

        var e = catchThrowableOfType(
                KubernetesClientException.class,
                () -> classes.resource(new PriorityClassBuilder()
                                .withNewMetadata()
                                .withName("other")
                                .endMetadata()
                                .withValue(5)
                                .withGlobalDefault(true)
                                .build())
                        .create());
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getStatus().getMessage())
                .isEqualTo("priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass batch is already"
                        + " marked as default. Only one default can exist");
    }

    @Test
    void notReadyAndUnreachableAreToleratedForFiveMinutesUnlessThePodSaysOtherwise() {
        Pod p = create(pod("plain").build());
        assertThat(p.getSpec().getTolerations())
                .extracting(
                        Toleration::getKey,
                        Toleration::getOperator,
                        Toleration::getEffect,
                        Toleration::getTolerationSeconds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "node.kubernetes.io/not-ready", "Exists", "NoExecute", 300L),
                        org.assertj.core.groups.Tuple.tuple(
                                "node.kubernetes.io/unreachable", "Exists", "NoExecute", 300L));

        Pod own = create(pod("own")
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
                .extracting(Toleration::getKey, Toleration::getTolerationSeconds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", 10L),
                        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/not-ready", 300L));

        Pod everything = create(pod("everything")
                .editSpec()
                .addNewToleration()
                .withOperator("Exists")
                .endToleration()
                .endSpec()
                .build());
        assertThat(everything.getSpec().getTolerations()).hasSize(1);
    }

    @Test
    void podsOfAJobAreAdmittedToo() {
        cluster.skiff();
        client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
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

        Pod p = client.pods().inNamespace("default").list().getItems().get(0);
        assertThat(p.getSpec().getServiceAccountName()).isEqualTo("default");
        assertThat(p.getSpec().getVolumes())
                .singleElement()
                .satisfies(v -> assertThat(v.getName()).startsWith("kube-api-access-"));
        assertThat(p.getSpec().getTolerations()).hasSize(2);
        assertThat(p.getSpec().getPriority()).isZero();
    }

    @Test
    void everyNamespaceHoldsTheRootCertificateWhichComesBack() {
        for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            assertThat(client.configMaps()
                            .inNamespace(ns)
                            .withName("kube-root-ca.crt")
                            .get())
                    .isNotNull();
        }
        var ops = client.configMaps().inNamespace("default").withName("kube-root-ca.crt");
        ConfigMap cm = ops.get();
        assertThat(cm.getData().get("ca.crt")).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(cm.getMetadata().getAnnotations())
                .containsEntry(
                        "kubernetes.io/description",
                        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal"
                                + " endpoints such as the internal service IP or kubernetes.default.svc. No other usage"
                                + " is guaranteed across distributions of Kubernetes clusters.");

        ops.edit(c -> {
            c.setData(Map.of("ca.crt", "tampered"));
            return c;
        });
        assertThat(ops.get().getData()).isEqualTo(cm.getData());

        ops.delete();
        assertThat(ops.get().getData()).isEqualTo(cm.getData());
    }

    @Test
    void theQuotaControllerFillsHardAndUsedAndAdmissionCharges() {
        var quotas = client.resourceQuotas().inNamespace("default");
        quotas.resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("q")
                        .endMetadata()
                        .withNewSpec()
                        .addToHard("pods", new Quantity("10"))
                        .addToHard("requests.cpu", new Quantity("4000m"))
                        .addToHard("limits.memory", new Quantity("2Gi"))
                        .addToHard("count/configmaps", new Quantity("5"))
                        .addToHard("count/jobs.batch", new Quantity("3"))
                        .addToHard("requests.nvidia.com/gpu", new Quantity("8"))
                        .endSpec()
                        .build())
                .create();
        ResourceQuota q = quotas.withName("q").get();
        assertThat(q.getStatus().getHard()).containsEntry("requests.cpu", new Quantity("4"));
        assertThat(text(q.getStatus().getUsed()))
                .isEqualTo(Map.of(
                        "pods", "0",
                        "requests.cpu", "0",
                        "limits.memory", "0",
                        "count/configmaps", "1", // kube-root-ca.crt
                        "count/jobs.batch", "0",
                        "requests.nvidia.com/gpu", "0"));

        var missing = rejected(pod("bare").build());
        assertThat(missing.getStatus().getMessage())
                .isEqualTo("pods \"bare\" is forbidden: failed quota: q: must specify limits.memory for: init,main;"
                        + " requests.cpu for: init,main");

        create(pod("sized")
                .editSpec()
                .editFirstContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity("500m"))
                .addToLimits("memory", new Quantity("512Mi"))
                .addToLimits("cpu", new Quantity("1"))
                .endResources()
                .endContainer()
                .editFirstInitContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity("1500m"))
                .addToLimits("memory", new Quantity("1Gi"))
                .addToLimits("cpu", new Quantity("2"))
                .endResources()
                .endInitContainer()
                .endSpec()
                .build());
        // the init container is the larger: it sets the pod's requests and limits
        assertThat(text(quotas.withName("q").get().getStatus().getUsed()))
                .containsEntry("pods", "1")
                .containsEntry("requests.cpu", "1500m")
                .containsEntry("limits.memory", "1Gi");

        var over = rejected(pod("big")
                .editSpec()
                .editFirstContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity("3"))
                .addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .endContainer()
                .editFirstInitContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity("1"))
                .addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .endInitContainer()
                .endSpec()
                .build());
        assertThat(over.getStatus().getMessage())
                .isEqualTo("pods \"big\" is forbidden: exceeded quota: q, requested: requests.cpu=3, used:"
                        + " requests.cpu=1500m, limited: requests.cpu=4");

        client.pods()
                .inNamespace("default")
                .withName("sized")
                .withGracePeriod(0)
                .delete();
        cluster.advanceClock(Duration.ofSeconds(1));
        assertThat(text(quotas.withName("q").get().getStatus().getUsed()))
                .containsEntry("pods", "0")
                .containsEntry("requests.cpu", "0")
                .containsEntry("limits.memory", "0");
    }

    @Test
    void aQuotaWithoutStatusDoesNotRestrictYetAndADryRunChargesNothing() {
        var quotas = client.resourceQuotas().inNamespace("default");
        quotas.resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("cms")
                        .endMetadata()
                        .withNewSpec()
                        .addToHard("configmaps", new Quantity("2"))
                        .endSpec()
                        .build())
                .create();
        var cms = client.configMaps().inNamespace("default");
        cms.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("dry")
                        .endMetadata()
                        .build())
                .dryRun()
                .create();
        assertThat(text(quotas.withName("cms").get().getStatus().getUsed())).containsEntry("configmaps", "1");
        cms.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("second")
                        .endMetadata()
                        .build())
                .create();
        var e = catchThrowableOfType(
                KubernetesClientException.class,
                () -> cms.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                                .withNewMetadata()
                                .withGenerateName("third-")
                                .endMetadata()
                                .build())
                        .create());
        assertThat(e.getStatus().getMessage())
                .isEqualTo("configmaps \"third-\" is forbidden: exceeded quota: cms, requested: configmaps=1, used:"
                        + " configmaps=2, limited: configmaps=2");
    }

    @Test
    void aStatefulSetIsCreatedWithZeroReplicasInItsStatus() {
        StatefulSet s = client.apps()
                .statefulSets()
                .inNamespace("default")
                .resource(new StatefulSetBuilder()
                        .withNewMetadata()
                        .withName("etcd")
                        .endMetadata()
                        .withNewSpec()
                        .withServiceName("etcd")
                        .withNewSelector()
                        .addToMatchLabels("app", "etcd")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "etcd")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("main")
                        .withImage("busybox:1.36")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .dryRun()
                .create();
        assertThat(s.getStatus().getReplicas()).isZero();
        assertThat(s.getStatus().getAvailableReplicas()).isZero();
        assertThat(s.getStatus().getReadyReplicas()).isNull();
    }

    private static Map<String, String> text(Map<String, Quantity> q) {
        Map<String, String> out = new java.util.TreeMap<>();
        q.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }
}
