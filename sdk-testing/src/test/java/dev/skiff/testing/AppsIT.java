package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.PersistentStorage;
import dev.skiff.core.Port;
import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deployments, ReplicaSets and StatefulSets through the HTTP API, from Skiff's rendered sessions. */
class AppsIT {

    private static void createAll(KubernetesClient client, List<HasMetadata> objects) {
        for (HasMetadata o : objects) {
            o.getMetadata().setNamespace("default");
            client.resource(o).create();
        }
    }

    @Test
    void aSessionWithoutStorageRunsAsADeploymentWithReadyReplicas() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            InteractiveSession session = InteractiveSession.builder()
                    .name("tensorboard")
                    .container(Container.of("tensorflow/tensorflow:2.17.0"))
                    .addPort(Port.of("http", 6006))
                    .replicas(3)
                    .build();
            createAll(client, Skiff.render(session));
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace("default")
                    .withName("tensorboard")
                    .get();
            assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
            List<Pod> pods = client.pods()
                    .inNamespace("default")
                    .withLabel("app.kubernetes.io/instance", "tensorboard")
                    .list()
                    .getItems();
            assertThat(pods)
                    .hasSize(3)
                    .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
            assertThat(client.apps().replicaSets().inNamespace("default").list().getItems())
                    .hasSize(1);

            client.apps()
                    .deployments()
                    .inNamespace("default")
                    .withName("tensorboard")
                    .scale(1);
            assertThat(client
                            .pods()
                            .inNamespace("default")
                            .withLabel("app.kubernetes.io/instance", "tensorboard")
                            .list()
                            .getItems()
                            .stream()
                            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aSessionWithPerReplicaStorageRunsAsAStatefulSetWithClaims() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            InteractiveSession session = InteractiveSession.builder()
                    .name("notebook")
                    .container(Container.of("quay.io/jupyter/base-notebook:2024-10-07"))
                    .addPort(Port.of("http", 8888))
                    .addPerReplicaStorage(PersistentStorage.of("home", "10Gi", "/home/jovyan"))
                    .replicas(2)
                    .build();
            createAll(client, Skiff.render(session));
            StatefulSet s = client.apps()
                    .statefulSets()
                    .inNamespace("default")
                    .withName("notebook")
                    .get();
            assertThat(s.getStatus().getReadyReplicas()).isEqualTo(2);
            assertThat(client.pods().inNamespace("default").list().getItems())
                    .extracting(p -> p.getMetadata().getName())
                    .contains("notebook-0", "notebook-1");
            assertThat(client.persistentVolumeClaims()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .extracting(c -> c.getMetadata().getName())
                    .containsExactly("home-notebook-0", "home-notebook-1");
        }
    }

    // ---- Deployments on the virtual clock ----

    private static Deployment web(int replicas, int maxSurge, int maxUnavailable) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withMinReadySeconds(10)
                .withProgressDeadlineSeconds(120)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .addToLabels("version", "v1")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .endTemplate()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(maxSurge))
                .withMaxUnavailable(new IntOrString(maxUnavailable))
                .endRollingUpdate()
                .endStrategy()
                .endSpec()
                .build();
    }

    private static Deployment deployment(KubernetesClient client) {
        return client.apps()
                .deployments()
                .inNamespace("default")
                .withName("web")
                .get();
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private static List<Pod> livePods(KubernetesClient client, String selector) {
        return client.pods().inNamespace("default").withLabelSelector(selector).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    private static void toVersion(KubernetesClient client, String version, String image) {
        client.apps().deployments().inNamespace("default").withName("web").edit(d -> {
            d.getSpec().getTemplate().getMetadata().getLabels().put("version", version);
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
            return d;
        });
    }

    @Test
    void aRollingUpdateKeepsWithinSurgeAndAvailabilityUntilTheNewReplicaSetIsAvailable() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(web(4, 1, 0)).create();
            cluster.advanceClock(Duration.ofSeconds(11));
            Deployment first = deployment(client);
            assertThat(first.getStatus().getAvailableReplicas()).isEqualTo(4);
            assertThat(condition(first, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");

            toVersion(client, "v2", "nginx:1.28");
            int most = 0;
            for (int second = 0; second < 120; second++) {
                List<Pod> pods = livePods(client, "app=web");
                most = Math.max(most, pods.size());
                long ready = pods.stream()
                        .filter(p -> p.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Ready")
                                        && c.getStatus().equals("True")))
                        .count();
                assertThat(ready).as("ready pods at second %d", second).isGreaterThanOrEqualTo(4);
                cluster.advanceClock(Duration.ofSeconds(1));
            }

            Deployment d = deployment(client);
            assertThat(most).isEqualTo(5);
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(4);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(4);
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(2L);
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
            assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
            assertThat(livePods(client, "version=v2")).hasSize(4);
            assertThat(client.apps().replicaSets().inNamespace("default").list().getItems())
                    .extracting(
                            rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"),
                            rs -> rs.getSpec().getReplicas())
                    .containsExactlyInAnyOrder(tuple("1", 0), tuple("2", 4));
        }
    }

    @Test
    void aRolloutThatCannotStartExceedsItsProgressDeadlineAndScalesInProportion() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            cluster.onPods("version=broken", PodScript.imagePullFailure());
            client.resource(web(10, 3, 2)).create();
            cluster.advanceClock(Duration.ofSeconds(11));

            toVersion(client, "broken", "nginx:does-not-exist");
            cluster.advanceClock(Duration.ofSeconds(60));
            Deployment stuck = deployment(client);
            assertThat(stuck.getStatus().getUpdatedReplicas()).isEqualTo(5);
            assertThat(stuck.getStatus().getAvailableReplicas()).isEqualTo(8);
            assertThat(stuck.getStatus().getUnavailableReplicas()).isEqualTo(5);
            assertThat(condition(stuck, "Progressing").getReason()).isEqualTo("ReplicaSetUpdated");

            cluster.advanceClock(Duration.ofSeconds(61));
            Deployment timedOut = deployment(client);
            assertThat(condition(timedOut, "Progressing").getStatus()).isEqualTo("False");
            assertThat(condition(timedOut, "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(condition(timedOut, "Available").getStatus()).isEqualTo("True");

            client.apps().deployments().inNamespace("default").withName("web").scale(15);
            cluster.advanceClock(Duration.ofSeconds(1));

            assertThat(client.apps().replicaSets().inNamespace("default").list().getItems())
                    .extracting(
                            rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"),
                            rs -> rs.getSpec().getReplicas())
                    .containsExactlyInAnyOrder(tuple("1", 11), tuple("2", 7));
        }
    }

    @Test
    void aPausedDeploymentRollsOutNothingUntilResumed() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(web(2, 1, 0)).create();
            cluster.advanceClock(Duration.ofSeconds(11));
            client.apps().deployments().inNamespace("default").withName("web").edit(d -> {
                d.getSpec().setPaused(true);
                return d;
            });
            toVersion(client, "v2", "nginx:1.28");
            cluster.advanceClock(Duration.ofSeconds(30));

            assertThat(client.apps().replicaSets().inNamespace("default").list().getItems())
                    .hasSize(1);
            assertThat(condition(deployment(client), "Progressing").getReason()).isEqualTo("DeploymentPaused");

            client.apps().deployments().inNamespace("default").withName("web").edit(d -> {
                d.getSpec().setPaused(false);
                return d;
            });
            cluster.advanceClock(Duration.ofSeconds(60));

            assertThat(livePods(client, "version=v2")).hasSize(2);
            assertThat(condition(deployment(client), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        }
    }

    @Test
    void aRecreateDeploymentNeverRunsOldAndNewPodsTogether() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            Deployment recreate = web(3, 1, 0);
            recreate.getSpec().getStrategy().setType("Recreate");
            recreate.getSpec().getStrategy().setRollingUpdate(null);
            client.resource(recreate).create();
            cluster.advanceClock(Duration.ofSeconds(11));

            toVersion(client, "v2", "nginx:1.28");
            for (int second = 0; second < 60; second++) {
                List<Pod> pods = client.pods().inNamespace("default").list().getItems();
                boolean old = pods.stream()
                        .anyMatch(p -> "v1".equals(p.getMetadata().getLabels().get("version")));
                boolean next = pods.stream()
                        .anyMatch(p -> "v2".equals(p.getMetadata().getLabels().get("version")));
                assertThat(old && next)
                        .as("v1 and v2 pods at second %d", second)
                        .isFalse();
                cluster.advanceClock(Duration.ofSeconds(1));
            }

            assertThat(livePods(client, "version=v2")).hasSize(3);
            assertThat(condition(deployment(client), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        }
    }

    // ---- StatefulSets ----

    private static StatefulSet db(int replicas, String whenScaled) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName("db")
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "db")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("db")
                .withImage("postgres:16")
                .endContainer()
                .endSpec()
                .endTemplate()
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
                .withNewPersistentVolumeClaimRetentionPolicy("Retain", whenScaled)
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet(KubernetesClient client) {
        return client.apps()
                .statefulSets()
                .inNamespace("default")
                .withName("db")
                .get();
    }

    @Test
    void aStatefulSetRecordsRevisionsAndRollsOutBehindItsPartition() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(db(3, "Retain")).create();
            cluster.advanceClock(Duration.ofSeconds(5));

            StatefulSet s = statefulSet(client);
            List<ControllerRevision> revisions = client.apps()
                    .controllerRevisions()
                    .inNamespace("default")
                    .list()
                    .getItems();
            assertThat(revisions).singleElement().satisfies(r -> {
                assertThat(r.getMetadata().getName()).isEqualTo(s.getStatus().getUpdateRevision());
                assertThat(r.getRevision()).isEqualTo(1L);
                assertThat(r.getMetadata().getOwnerReferences().get(0).getUid())
                        .isEqualTo(s.getMetadata().getUid());
            });
            Pod pod = client.pods().inNamespace("default").withName("db-1").get();
            assertThat(pod.getMetadata().getLabels())
                    .containsEntry("statefulset.kubernetes.io/pod-name", "db-1")
                    .containsEntry("apps.kubernetes.io/pod-index", "1")
                    .containsEntry("controller-revision-hash", s.getStatus().getUpdateRevision());

            client.apps().statefulSets().inNamespace("default").withName("db").edit(set -> {
                set.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(1);
                set.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:17");
                return set;
            });
            cluster.advanceClock(Duration.ofSeconds(120));

            StatefulSet rolled = statefulSet(client);
            assertThat(rolled.getStatus().getCurrentRevision())
                    .isEqualTo(s.getStatus().getUpdateRevision());
            assertThat(rolled.getStatus().getUpdateRevision())
                    .isNotEqualTo(rolled.getStatus().getCurrentRevision());
            assertThat(rolled.getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(rolled.getStatus().getCurrentReplicas()).isEqualTo(1);
            assertThat(client.apps()
                            .controllerRevisions()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .hasSize(2);
            assertThat(client.pods()
                            .inNamespace("default")
                            .withName("db-0")
                            .get()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("postgres:16");
            assertThat(client.pods()
                            .inNamespace("default")
                            .withName("db-2")
                            .get()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("postgres:17");
        }
    }

    @Test
    void scalingDownAStatefulSetWithWhenScaledDeleteRemovesTheClaimsFromTheTop() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(db(3, "Delete")).create();
            cluster.advanceClock(Duration.ofSeconds(5));
            assertThat(client.persistentVolumeClaims()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .hasSize(3);

            client.apps().statefulSets().inNamespace("default").withName("db").scale(1);
            cluster.advanceClock(Duration.ofSeconds(120));

            assertThat(client.pods().inNamespace("default").list().getItems())
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly("db-0");
            assertThat(client.persistentVolumeClaims()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .extracting(c -> c.getMetadata().getName())
                    .containsExactly("data-db-0");
        }
    }

    @Test
    void deletingAStatefulSetTakesItsClaimsOnlyWhenTheyAreToBeDeletedWithIt() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            StatefulSet deleteWithSet = db(2, "Retain");
            deleteWithSet.getSpec().getPersistentVolumeClaimRetentionPolicy().setWhenDeleted("Delete");
            client.resource(deleteWithSet).create();
            StatefulSet keep = db(1, "Retain");
            keep.getMetadata().setName("cache");
            keep.getSpec().getSelector().getMatchLabels().put("app", "cache");
            keep.getSpec().getTemplate().getMetadata().getLabels().put("app", "cache");
            client.resource(keep).create();
            cluster.advanceClock(Duration.ofSeconds(5));
            assertThat(client.persistentVolumeClaims()
                            .inNamespace("default")
                            .withName("data-db-0")
                            .get()
                            .getMetadata()
                            .getOwnerReferences())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getKind()).isEqualTo("StatefulSet"));

            client.apps().statefulSets().inNamespace("default").withName("db").delete();
            client.apps()
                    .statefulSets()
                    .inNamespace("default")
                    .withName("cache")
                    .delete();
            cluster.advanceClock(Duration.ofSeconds(60));

            assertThat(client.persistentVolumeClaims()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .extracting(c -> c.getMetadata().getName())
                    .containsExactly("data-cache-0");
            assertThat(client.apps()
                            .controllerRevisions()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .isEmpty();
        }
    }

    // ---- update validation ----

    @Test
    void updatesTheApiServerForbidsAreRejectedWithItsMessage() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(db(1, "Retain")).create();
            client.resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("settings")
                            .withNamespace("default")
                            .endMetadata()
                            .withImmutable(true)
                            .addToData("mode", "eval")
                            .build())
                    .create();

            assertThatThrownBy(() -> client.apps()
                            .statefulSets()
                            .inNamespace("default")
                            .withName("db")
                            .edit(set -> {
                                set.getSpec().setServiceName("other");
                                return set;
                            }))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getMessage())
                                .isEqualTo("StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to"
                                        + " statefulset spec for fields other than 'replicas', 'ordinals',"
                                        + " 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy'"
                                        + " and 'minReadySeconds' are forbidden");
                    });
            ConfigMap stored = client.configMaps()
                    .inNamespace("default")
                    .withName("settings")
                    .get();
            stored.getData().put("mode", "train");
            assertThatThrownBy(() -> client.resource(stored).update())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getStatus().getMessage())
                                    .isEqualTo("ConfigMap \"settings\" is invalid: data: Forbidden: field is immutable"
                                            + " when `immutable` is set"));
            client.apps().statefulSets().inNamespace("default").withName("db").scale(2);
            assertThat(statefulSet(client).getSpec().getReplicas()).isEqualTo(2);
        }
    }
}
