package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-side apply and field ownership through fabric8's client over HTTP. */
class ServerSideApplyIT {
    static InMemoryCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = InMemoryCluster.start();
        client = cluster.kubernetesClient();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static Deployment deployment(String name, Integer replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static ManagedFieldsEntry entry(Deployment d, String manager) {
        return d.getMetadata().getManagedFields().stream()
                .filter(e -> e.getManager().equals(manager))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no entry of " + manager + " in " + d.getMetadata().getManagedFields()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(ManagedFieldsEntry e, String... path) {
        Map<String, Object> m = e.getFieldsV1().getAdditionalProperties();
        for (String p : path) {
            m = (Map<String, Object>) m.get(p);
            assertThat(m)
                    .as("%s in %s", p, e.getFieldsV1().getAdditionalProperties())
                    .isNotNull();
        }
        return m;
    }

    @Test
    void applyRecordsTheAppliersFields() {
        Deployment applied = client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("applied", 2, "nginx:1"))
                .fieldManager("alice")
                .serverSideApply();

        ManagedFieldsEntry e = entry(applied, "alice");
        assertThat(e.getOperation()).isEqualTo("Apply");
        assertThat(e.getApiVersion()).isEqualTo("apps/v1");
        assertThat(e.getFieldsType()).isEqualTo("FieldsV1");
        assertThat(e.getTime()).isNotBlank();
        assertThat(fields(e, "f:spec")).containsKeys("f:replicas", "f:selector", "f:template");
        assertThat(fields(e, "f:metadata", "f:labels")).containsOnlyKeys("f:app");
        assertThat(fields(e, "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}"))
                .containsOnlyKeys(".", "f:image", "f:name");
    }

    @Test
    void createAndUpdateAreRecordedUnderTheUserAgentsManager() {
        Deployment created = client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("created", 1, "nginx:1"))
                .create();
        ManagedFieldsEntry e = entry(created, "fabric8-kubernetes-client");
        assertThat(e.getOperation()).isEqualTo("Update");
        assertThat(fields(e, "f:metadata", "f:labels")).containsKeys(".", "f:app");
        // defaulted fields belong to the creator too
        assertThat(fields(e, "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}"))
                .containsKeys(".", "f:image", "f:name", "f:imagePullPolicy");

        Deployment edited = client.apps()
                .deployments()
                .inNamespace("default")
                .withName("created")
                .edit(d -> new DeploymentBuilder(d)
                        .editSpec()
                        .editTemplate()
                        .editSpec()
                        .addToNodeSelector("disk", "ssd")
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build());
        assertThat(fields(
                        entry(edited, "fabric8-kubernetes-client"), "f:spec", "f:template", "f:spec", "f:nodeSelector"))
                .containsOnlyKeys(".", "f:disk");
    }

    @Test
    void applyingAFieldAnotherManagerSetIsAConflictUntilForced() {
        client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("contested", 1, "nginx:1"))
                .create();
        client.apps()
                .deployments()
                .inNamespace("default")
                .withName("contested")
                .patch(
                        new PatchContext.Builder()
                                .withPatchType(PatchType.JSON_MERGE)
                                .withFieldManager("owner")
                                .build(),
                        "{\"spec\":{\"replicas\":2}}");

        var bob = client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("contested", 3, "nginx:1"))
                .fieldManager("bob");
        assertThatThrownBy(bob::serverSideApply).isInstanceOfSatisfying(KubernetesClientException.class, ex -> {
            assertThat(ex.getCode()).isEqualTo(409);
            assertThat(ex.getStatus().getReason()).isEqualTo("Conflict");
            assertThat(ex.getStatus().getMessage())
                    .isEqualTo(
                            "Apply failed with 1 conflict: conflict with \"owner\" using apps/v1:" + " .spec.replicas");
            List<StatusCause> causes = ex.getStatus().getDetails().getCauses();
            assertThat(causes).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("FieldManagerConflict");
                assertThat(c.getField()).isEqualTo(".spec.replicas");
                assertThat(c.getMessage()).isEqualTo("conflict with \"owner\" using apps/v1");
            });
        });
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("default")
                        .withName("contested")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(2);

        Deployment forced = client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("contested", 3, "nginx:1"))
                .fieldManager("bob")
                .forceConflicts()
                .serverSideApply();
        assertThat(forced.getSpec().getReplicas()).isEqualTo(3);
        assertThat(fields(entry(forced, "bob"), "f:spec")).containsKey("f:replicas");
        assertThat(forced.getMetadata().getManagedFields())
                .as("the owner lost its only field, and with it its entry")
                .extracting(ManagedFieldsEntry::getManager)
                .doesNotContain("owner");
    }

    @Test
    void twoAppliersConflictByApplierName() {
        client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("two", 1, "nginx:1"))
                .fieldManager("first")
                .serverSideApply();
        assertThatThrownBy(() -> client.apps()
                        .deployments()
                        .inNamespace("default")
                        .resource(deployment("two", 1, "nginx:2"))
                        .fieldManager("second")
                        .serverSideApply())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        ex -> assertThat(ex.getStatus().getMessage())
                                .isEqualTo("Apply failed with 1 conflict: conflict with \"first\":"
                                        + " .spec.template.spec.containers[name=\"web\"].image"));
        // the same values are no conflict: both own them
        Deployment shared = client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("two", 1, "nginx:1"))
                .fieldManager("second")
                .serverSideApply();
        assertThat(fields(entry(shared, "first"), "f:spec")).containsKey("f:replicas");
        assertThat(fields(entry(shared, "second"), "f:spec")).containsKey("f:replicas");
    }

    @Test
    void fieldsAnApplierStopsSendingAreRemovedUnlessSomeoneElseOwnsThem() {
        Deployment withSidecar = deployment("pruned", 1, "nginx:1");
        withSidecar.getMetadata().getLabels().put("tier", "web");
        withSidecar
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                        .withName("sidecar")
                        .withImage("envoy:1")
                        .build());
        client.apps()
                .deployments()
                .inNamespace("default")
                .resource(withSidecar)
                .fieldManager("alice")
                .serverSideApply();
        client.apps()
                .deployments()
                .inNamespace("default")
                .withName("pruned")
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"metadata\":{\"annotations\":{\"keep\":\"me\"}}}");

        Deployment after = client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("pruned", 1, "nginx:1"))
                .fieldManager("alice")
                .serverSideApply();
        assertThat(after.getMetadata().getLabels()).containsOnlyKeys("app");
        assertThat(after.getMetadata().getAnnotations()).containsEntry("keep", "me");
        assertThat(after.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName())
                .containsExactly("web");
    }

    @Test
    void applyWithoutAFieldManagerIsInvalid() throws Exception {
        var http = client.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(client.getMasterUrl() + "apis/apps/v1/namespaces/default/deployments/nomanager")
                .method("PATCH", "application/apply-patch+yaml", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}")
                .build();
        var response = http.sendAsync(request, String.class).get();
        assertThat(response.code()).isEqualTo(422);
        assertThat(response.body())
                .contains("PatchOptions.meta.k8s.io \\\"\\\" is invalid: fieldManager: Required value: is required"
                        + " for apply patch");
    }

    @Test
    void statusAppliesOwnStatusFields() {
        client.apps()
                .deployments()
                .inNamespace("default")
                .resource(deployment("status", 1, "nginx:1"))
                .fieldManager("alice")
                .serverSideApply();
        Deployment result = client.apps()
                .deployments()
                .inNamespace("default")
                .withName("status")
                .subresource("status")
                .patch(
                        new PatchContext.Builder()
                                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                                .withFieldManager("status-writer")
                                .build(),
                        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"status\"},"
                                + "\"spec\":{\"replicas\":9},\"status\":{\"observedGeneration\":7}}");
        assertThat(result.getStatus().getObservedGeneration()).isEqualTo(7L);
        assertThat(result.getSpec().getReplicas())
                .as("a status apply leaves the spec")
                .isEqualTo(1);
        ManagedFieldsEntry e = entry(result, "status-writer");
        assertThat(e.getSubresource()).isEqualTo("status");
        assertThat(fields(e, "f:status")).containsKey("f:observedGeneration");
    }

    @Test
    void strategicMergePatchesMergeContainersByNameAndRejectBadDirectives() {
        Deployment two = deployment("smp", 1, "nginx:1");
        two.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                        .withName("sidecar")
                        .withImage("envoy:1")
                        .build());
        client.apps().deployments().inNamespace("default").resource(two).create();
        var smp = client.apps().deployments().inNamespace("default").withName("smp");

        Deployment patched = smp.patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"envoy:2\"}]}}}}");
        assertThat(patched.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("web=nginx:1", "sidecar=envoy:2");

        Deployment deleted = smp.patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"$patch\":\"delete\"}]}}}}");
        assertThat(deleted.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName())
                .containsExactly("web");

        assertThatThrownBy(() -> smp.patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"strategy\":{\"$retainKeys\":\"type\"}}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, ex -> {
                    assertThat(ex.getCode()).isEqualTo(400);
                    assertThat(ex.getStatus().getMessage()).isEqualTo("invalid patch format of retainKeys");
                });
    }
}
