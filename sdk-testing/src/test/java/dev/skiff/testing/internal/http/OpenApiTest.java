package dev.skiff.testing.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenApiTest {
    private static final JsonMapper MAPPER = new JsonMapper();

    @Test
    void indexPointsAtOneDocumentPerGroupVersionWithAHash() {
        JsonNode index = MAPPER.readTree(OpenApi.index());

        assertThat(index.path("paths").path("api/v1").path("serverRelativeURL").asString())
                .matches("/openapi/v3/api/v1\\?hash=[0-9A-F]{128}");
        assertThat(index.path("paths")
                        .path("apis/batch/v1")
                        .path("serverRelativeURL")
                        .asString())
                .startsWith("/openapi/v3/apis/batch/v1?hash=");
        assertThat(OpenApi.document("apis/nothing/v1")).isNull();
    }

    @Test
    void thePatchOfAKindOffersFieldValidationAndTheFourPatchTypes() {
        JsonNode doc = MAPPER.readTree(OpenApi.document("apis/batch/v1"));
        JsonNode patch = doc.path("paths")
                .path("/apis/batch/v1/namespaces/{namespace}/jobs/{name}")
                .path("patch");

        assertThat(patch.path("x-kubernetes-group-version-kind").toString())
                .isEqualTo("{\"group\":\"batch\",\"kind\":\"Job\",\"version\":\"v1\"}");
        assertThat(queryParameters(patch)).contains("fieldValidation", "fieldManager", "dryRun", "force");
        List<String> types = new ArrayList<>();
        patch.path("requestBody").path("content").propertyNames().forEach(types::add);
        assertThat(types)
                .containsExactly(
                        "application/json-patch+json",
                        "application/merge-patch+json",
                        "application/strategic-merge-patch+json",
                        "application/apply-patch+yaml");
        JsonNode post = doc.path("paths")
                .path("/apis/batch/v1/namespaces/{namespace}/jobs")
                .path("post");
        assertThat(queryParameters(post)).contains("fieldValidation");
        assertThat(doc.path("paths").has("/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status"))
                .isTrue();
    }

    @Test
    void componentSchemasDescribeTopLevelFieldsWithoutAGroupVersionKind() {
        JsonNode job = MAPPER.readTree(OpenApi.document("apis/batch/v1"))
                .path("components")
                .path("schemas")
                .path("io.k8s.api.batch.v1.Job");

        assertThat(job.path("properties").path("spec").path("type").asString()).isEqualTo("object");
        assertThat(job.path("properties").path("metadata").path("$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        // kubectl would otherwise compute strategic merge patches from these thin schemas
        assertThat(job.has("x-kubernetes-group-version-kind")).isFalse();
    }

    private static List<String> queryParameters(JsonNode operation) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : operation.path("parameters")) {
            if (p.path("in").asString().equals("query")) {
                names.add(p.path("name").asString());
            }
        }
        return names;
    }
}
