package dev.skiff.testing.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Patches and managed fields through {@link ApiServer}, without HTTP. */
class ApiServerPatchTest {
    static final ResourceType DEPLOYMENTS = ResourceTypes.DEPLOYMENTS;
    static final String APPLY = "application/apply-patch+yaml";
    static final String SMP = "application/strategic-merge-patch+json";

    ApiServer api;

    @BeforeEach
    void setUp() {
        api = new ApiServer(
                new Store(100),
                () -> Instant.parse("2026-01-01T00:00:00Z"),
                new Random(1),
                new KubernetesSerialization());
        api.create(new NamespaceBuilder()
                .withNewMetadata()
                .withName("default")
                .endMetadata()
                .build());
    }

    static String deployment(String name, int replicas, String... containers) {
        StringBuilder c = new StringBuilder();
        for (String container : containers) {
            if (c.length() > 0) {
                c.append(',');
            }
            c.append("{'name':'")
                    .append(container)
                    .append("','image':'img-")
                    .append(container)
                    .append("'}");
        }
        return ("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'" + name + "'},"
                        + "'spec':{'replicas':" + replicas + ",'selector':{'matchLabels':{'app':'x'}},"
                        + "'template':{'metadata':{'labels':{'app':'x'}},'spec':{'containers':[" + c + "]}}}}")
                .replace('\'', '"');
    }

    HasMetadata patch(String name, String type, String body, ApiServer.WriteOptions options) {
        return api.patch(DEPLOYMENTS, "default", name, type, body, false, options);
    }

    static ApiServer.WriteOptions as(String manager) {
        return new ApiServer.WriteOptions(false, manager);
    }

    static List<String> managers(HasMetadata o) {
        List<String> result = new ArrayList<>();
        for (ManagedFieldsEntry e : o.getMetadata().getManagedFields()) {
            result.add(e.getManager() + "/" + e.getOperation());
        }
        return result;
    }

    @Test
    void applyNeedsAFieldManager() {
        assertThatThrownBy(() -> patch("d", APPLY, deployment("d", 1, "a"), ApiServer.WriteOptions.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.getMessage())
                            .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is"
                                    + " required for apply patch");
                    assertThat(e.status().getDetails().getCauses())
                            .singleElement()
                            .satisfies(c -> assertThat(c.getField()).isEqualTo("fieldManager"));
                });
    }

    @Test
    void forceIsOnlyForApply() {
        patch("d", APPLY, deployment("d", 1, "a"), as("a"));
        assertThatThrownBy(() -> patch("d", SMP, "{}", new ApiServer.WriteOptions(false, "a", true)))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified"
                                                + " for non-apply patch"));
    }

    @Test
    void applyCreatesWithAnApplyEntry() {
        HasMetadata created = patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        assertThat(managers(created)).containsExactly("alice/Apply");
        assertThat(created.getMetadata().getManagedFields().get(0).getTime()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void strategicMergeUsesTheDeploymentSchema() {
        patch("d", APPLY, deployment("d", 1, "a", "b"), as("alice"));
        Deployment d = (Deployment) patch(
                "d",
                SMP,
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"new\"}]}}}}",
                as("kubectl-edit"));
        assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("a=img-a", "b=new");
        assertThat(managers(d)).containsExactly("alice/Apply", "kubectl-edit/Update");
    }

    @Test
    void anUpdateManagerThatChangedAnAppliedFieldConflictsWithTheNextApply() {
        patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        patch("d", SMP, "{\"spec\":{\"replicas\":5}}", as("hpa"));
        assertThatThrownBy(() -> patch("d", APPLY, deployment("d", 1, "a"), as("alice")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                    assertThat(e.getMessage())
                            .isEqualTo(
                                    "Apply failed with 1 conflict: conflict with \"hpa\" using apps/v1: .spec.replicas");
                });
        // alice gives the field up by not applying it; hpa keeps its value
        String withoutReplicas = deployment("d", 1, "a").replace("\"replicas\":1,", "");
        Deployment d = (Deployment) patch("d", APPLY, withoutReplicas, as("alice"));
        assertThat(d.getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void aContainerTheApplierDropsIsRemoved() {
        patch("d", APPLY, deployment("d", 1, "a", "b"), as("alice"));
        Deployment d = (Deployment) patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName())
                .containsExactly("a");
    }

    @Test
    void controllerWritesKeepTheRecordedManagers() {
        patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        Deployment stored = api.find(Deployment.class, "default", "d");
        Deployment copy = (Deployment) api.copy(stored);
        copy.getMetadata().setManagedFields(null);
        copy.getMetadata().getAnnotations().put("deployment.kubernetes.io/revision", "1");
        Deployment updated = api.update(copy);
        assertThat(managers(updated)).containsExactly("alice/Apply");
    }

    @Test
    void anEmptyManagedFieldsListResetsThem() {
        patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        Deployment copy = (Deployment) api.copy(api.find(Deployment.class, "default", "d"));
        copy.getMetadata().setManagedFields(List.of());
        HasMetadata updated = api.update(DEPLOYMENTS, "default", "d", copy, false, as("someone"));
        assertThat(updated.getMetadata().getManagedFields()).isNull();
    }

    @Test
    void statusUpdatesAreRecordedForTheSubresource() {
        patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        HasMetadata updated = api.patch(
                DEPLOYMENTS,
                "default",
                "d",
                "application/merge-patch+json",
                "{\"status\":{\"observedGeneration\":3}}",
                true,
                as("controller"));
        ManagedFieldsEntry e = updated.getMetadata().getManagedFields().stream()
                .filter(m -> m.getManager().equals("controller"))
                .findFirst()
                .orElseThrow();
        assertThat(e.getSubresource()).isEqualTo("status");
        assertThat(e.getFieldsV1().getAdditionalProperties()).containsOnlyKeys("f:status");
    }

    @Test
    void aStatusApplyToAMissingObjectIsNotFound() {
        assertThatThrownBy(() ->
                        api.patch(DEPLOYMENTS, "default", "nope", APPLY, deployment("nope", 1, "a"), true, as("a")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void reapplyingTheSameConfigurationWritesNothing() {
        HasMetadata first = patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        HasMetadata again = patch("d", APPLY, deployment("d", 1, "a"), as("alice"));
        assertThat(again.getMetadata().getResourceVersion())
                .isEqualTo(first.getMetadata().getResourceVersion());
    }

    @Test
    void applyTakesYaml() {
        String yaml = "apiVersion: apps/v1\n"
                + "kind: Deployment\n"
                + "metadata:\n"
                + "  name: y\n"
                + "spec:\n"
                + "  replicas: 2\n"
                + "  selector:\n"
                + "    matchLabels: {app: y}\n"
                + "  template:\n"
                + "    metadata:\n"
                + "      labels: {app: y}\n"
                + "    spec:\n"
                + "      containers:\n"
                + "      - name: a\n"
                + "        image: nginx\n";
        Deployment d = (Deployment) patch("y", APPLY, yaml, as("kubectl"));
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        Deployment scaled = (Deployment) patch("y", APPLY, yaml.replace("replicas: 2", "replicas: 4"), as("kubectl"));
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void anAppliedConfigurationMayNotCarryManagedFields() {
        String body = deployment("d", 1, "a").replace("\"metadata\":{", "\"metadata\":{\"managedFields\":[],");
        assertThatThrownBy(() -> patch("d", APPLY, body, as("alice"))).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("metadata.managedFields must be nil");
        });
    }
}
