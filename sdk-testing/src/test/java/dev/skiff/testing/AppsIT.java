package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.PersistentStorage;
import dev.skiff.core.Port;
import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
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
}
