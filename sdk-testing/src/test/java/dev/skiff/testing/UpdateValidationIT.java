package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Updates through the HTTP API: what the server keeps, fills in and rejects, with its status and message. */
class UpdateValidationIT {

    private static ConfigMap settings(KubernetesClient client) {
        return client.configMaps().inNamespace("default").withName("settings").get();
    }

    private static void createSettings(KubernetesClient client) {
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .withNamespace("default")
                        .endMetadata()
                        .addToData("mode", "eval")
                        .build())
                .create();
    }

    @Test
    void theUidCannotChangeAndTheCreationTimestampIsKept() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            createSettings(client);
            ConfigMap stored = settings(client);

            ConfigMap otherUid = settings(client);
            otherUid.getMetadata().setUid("11111111-2222-3333-4444-555555555555");
            // a PUT: the storage layer's uid precondition answers first
            assertThatThrownBy(() -> client.resource(otherUid).update())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(409);
                        assertThat(e.getStatus().getMessage())
                                .isEqualTo("Operation cannot be fulfilled on configmaps \"settings\": StorageError:"
                                        + " invalid object, Code: 4, Key: /registry/configmaps/"
                                        + stored.getMetadata().getNamespace()
                                        + "/settings, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed:"
                                        + " UID in precondition: 11111111-2222-3333-4444-555555555555, UID in object"
                                        + " meta: " + stored.getMetadata().getUid());
                    });
            // a patch has no precondition: validation refuses the change
            assertThatThrownBy(() -> client.configMaps()
                            .inNamespace(stored.getMetadata().getNamespace())
                            .withName("settings")
                            .patch(
                                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                                    "{\"metadata\":{\"uid\":\"11111111-2222-3333-4444-555555555555\"}}"))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getMessage())
                                .isEqualTo("ConfigMap \"settings\" is invalid: metadata.uid: Invalid value:"
                                        + " \"11111111-2222-3333-4444-555555555555\": field is immutable");
                    });

            ConfigMap otherTime = settings(client);
            otherTime.getMetadata().setCreationTimestamp("2000-01-01T00:00:00Z");
            otherTime.getData().put("mode", "train");
            client.resource(otherTime).update();

            ConfigMap updated = settings(client);
            assertThat(updated.getData()).containsEntry("mode", "train");
            assertThat(updated.getMetadata().getCreationTimestamp())
                    .isEqualTo(stored.getMetadata().getCreationTimestamp());
            assertThat(updated.getMetadata().getUid())
                    .isEqualTo(stored.getMetadata().getUid());
        }
    }

    @Test
    void anObjectOfAnotherNamespaceIsABadRequest() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            createSettings(client);
            ConfigMap moved = settings(client);
            moved.getMetadata().setNamespace("kube-system");

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            cluster.url() + "/api/v1/namespaces/default/configmaps/settings"))
                                    .header("Content-Type", "application/json")
                                    .PUT(HttpRequest.BodyPublishers.ofString(
                                            client.getKubernetesSerialization().asJson(moved)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body())
                    .contains("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    @Test
    void aServiceKeepsItsClusterIpWhenAnUpdateLeavesItOutAndRefusesAnother() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("web")
                            .withNamespace("default")
                            .endMetadata()
                            .withNewSpec()
                            .withClusterIP("10.96.0.10")
                            .withClusterIPs("10.96.0.10")
                            .addToSelector("app", "web")
                            .addNewPort()
                            .withPort(80)
                            .endPort()
                            .endSpec()
                            .build())
                    .create();

            Service withoutIp =
                    client.services().inNamespace("default").withName("web").get();
            withoutIp.getSpec().setClusterIP(null);
            withoutIp.getSpec().setClusterIPs(null);
            withoutIp.getSpec().getPorts().get(0).setPort(8080);
            client.resource(withoutIp).update();
            Service kept =
                    client.services().inNamespace("default").withName("web").get();
            assertThat(kept.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
            assertThat(kept.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);

            kept.getSpec().setClusterIP("10.96.0.11");
            kept.getSpec().setClusterIPs(java.util.List.of("10.96.0.11"));
            assertThatThrownBy(() -> client.resource(kept).update())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getStatus().getMessage())
                                    .isEqualTo("Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value:"
                                            + " [\"10.96.0.11\"]: may not change once set"));
        }
    }

    @Test
    void aClaimSpecIsImmutable() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(new PersistentVolumeClaimBuilder()
                            .withNewMetadata()
                            .withName("data")
                            .withNamespace("default")
                            .endMetadata()
                            .withNewSpec()
                            .withAccessModes("ReadWriteOnce")
                            .withNewResources()
                            .addToRequests("storage", new Quantity("1Gi"))
                            .endResources()
                            .endSpec()
                            .build())
                    .create();

            PersistentVolumeClaim claim = client.persistentVolumeClaims()
                    .inNamespace("default")
                    .withName("data")
                    .get();
            claim.getSpec().setStorageClassName("fast");
            claim.getMetadata().setLabels(java.util.Map.of("team", "ml"));

            assertThatThrownBy(() -> client.resource(claim).update())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getStatus().getMessage())
                                    .isEqualTo("PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is"
                                            + " immutable after creation except resources.requests and"
                                            + " volumeAttributesClassName for bound claims"));
            PersistentVolumeClaim labelled = client.persistentVolumeClaims()
                    .inNamespace("default")
                    .withName("data")
                    .get();
            labelled.getMetadata().setLabels(java.util.Map.of("team", "ml"));
            client.resource(labelled).update();
            assertThat(client.persistentVolumeClaims()
                            .inNamespace("default")
                            .withName("data")
                            .get()
                            .getMetadata()
                            .getLabels())
                    .containsEntry("team", "ml");
        }
    }
}
