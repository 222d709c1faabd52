package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Answers of the API engine that a 1.36.3 API server gives (found by the conformance suite): list
 * resourceVersion checks, Status texts and details, PodTemplates, garbage collection of a dangling
 * owner reference, the namespace deletion conditions.
 */
class ApiAnswersIT {

    private record Answer(int code, String body) {}

    private static Answer send(KubernetesClient client, String method, String path, String type, String body)
            throws Exception {
        HttpClient http = client.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(client.getMasterUrl() + path)
                .method(method, type, body)
                .build();
        HttpResponse<String> response = http.sendAsync(request, String.class).get(10, TimeUnit.SECONDS);
        return new Answer(response.code(), response.body());
    }

    private static Status status(KubernetesClient client, Answer a) {
        return client.getKubernetesSerialization().unmarshal(a.body(), Status.class);
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("k", "v")
                .build();
    }

    @Test
    void listResourceVersionsAreCheckedAsTheApiServerDoes() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            String rv = client.configMaps()
                    .inNamespace("default")
                    .resource(configMap("a"))
                    .create()
                    .getMetadata()
                    .getResourceVersion();
            String path = "api/v1/namespaces/default/configmaps";

            Answer noVersion = send(client, "GET", path + "?resourceVersionMatch=Exact", null, null);
            assertThat(noVersion.code()).isEqualTo(422);
            assertThat(status(client, noVersion).getDetails().getCauses())
                    .singleElement()
                    .satisfies(c -> assertThat(c.getField()).isEqualTo("resourceVersionMatch"));

            Answer future = send(
                    client, "GET", path + "?resourceVersion=99999999&resourceVersionMatch=NotOlderThan", null, null);
            assertThat(future.code()).isEqualTo(504);
            Status tooLarge = status(client, future);
            assertThat(tooLarge.getMessage()).startsWith("Timeout: Too large resource version: 99999999, current: ");
            assertThat(tooLarge.getDetails().getCauses())
                    .singleElement()
                    .satisfies(c -> assertThat(c.getReason()).isEqualTo("ResourceVersionTooLarge"));

            assertThat(send(
                                    client,
                                    "GET",
                                    path + "?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan",
                                    null,
                                    null)
                            .code())
                    .isEqualTo(200);
            client.configMaps().inNamespace("default").resource(configMap("b")).create();
            cluster.expireWatchHistory();
            Answer compacted =
                    send(client, "GET", path + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact", null, null);
            assertThat(compacted.code()).isEqualTo(410);
            assertThat(status(client, compacted).getMessage())
                    .isEqualTo("The resourceVersion for the provided list is too old.");
        }
    }

    @Test
    void statusTextsAndDetails() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.configMaps().inNamespace("default").resource(configMap("p")).create();
            String path = "api/v1/namespaces/default/configmaps/p";

            Answer plain = send(client, "PATCH", path, "text/plain", "x");
            assertThat(plain.code()).isEqualTo(415);
            assertThat(status(client, plain).getMessage()).isEqualTo("415: Unsupported Media Type");

            Answer test = send(
                    client,
                    "PATCH",
                    path,
                    "application/json-patch+json",
                    "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"other\"}]");
            assertThat(test.code()).isEqualTo(422);
            assertThat(status(client, test).getMessage())
                    .isEqualTo("the server rejected our request due to an error in our request");

            Answer invalid = send(
                    client,
                    "POST",
                    "api/v1/namespaces/default/configmaps",
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"q\"},\"data\":{\"a b\":\"1\"}}");
            assertThat(invalid.code()).isEqualTo(422);
            assertThat(status(client, invalid).getDetails().getKind()).isEqualTo("ConfigMap");
            assertThat(status(client, invalid).getDetails().getName()).isEqualTo("q");
        }
    }

    @Test
    void podTemplatesAreServedAndMergeContainersByName() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.resource(new PodTemplateBuilder()
                            .withNewMetadata()
                            .withName("tpl")
                            .endMetadata()
                            .withNewTemplate()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("a")
                            .withImage("busybox:1.36")
                            .endContainer()
                            .addNewContainer()
                            .withName("b")
                            .withImage("busybox:1.36")
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .build())
                    .inNamespace("default")
                    .create();
            Answer a = send(
                    client,
                    "PATCH",
                    "api/v1/namespaces/default/podtemplates/tpl",
                    "application/strategic-merge-patch+json",
                    "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"busybox:1.37\"}]}}}");
            assertThat(a.code()).isEqualTo(200);
            PodTemplate now = client.resources(PodTemplate.class)
                    .inNamespace("default")
                    .withName("tpl")
                    .get();
            assertThat(now.getTemplate().getSpec().getContainers())
                    .extracting(c -> c.getName() + "=" + c.getImage())
                    .containsExactly("a=busybox:1.36", "b=busybox:1.37");
        }
    }

    @Test
    void aDependentWithAnotherLiveOwnerLosesOnlyTheDanglingReference() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            ConfigMap first = client.configMaps()
                    .inNamespace("default")
                    .resource(configMap("first"))
                    .create();
            ConfigMap second = client.configMaps()
                    .inNamespace("default")
                    .resource(configMap("second"))
                    .create();
            client.secrets()
                    .inNamespace("default")
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("dep")
                            .withOwnerReferences(ref(first), ref(second))
                            .endMetadata()
                            .build())
                    .create();

            client.configMaps().inNamespace("default").withName("first").delete();

            var dep = client.secrets().inNamespace("default").withName("dep").get();
            assertThat(dep.getMetadata().getOwnerReferences())
                    .extracting(OwnerReference::getName)
                    .containsExactly("second");
        }
    }

    private static OwnerReference ref(ConfigMap owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .build();
    }

    @Test
    void aTerminatingNamespaceReportsWhatRemainsAndWhichFinalizersHoldIt() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("doomed")
                            .endMetadata()
                            .build())
                    .create();
            ConfigMap held = configMap("held");
            held.getMetadata().setFinalizers(List.of("example.com/hold"));
            client.configMaps().inNamespace("doomed").resource(held).create();

            client.namespaces().withName("doomed").delete();

            var ns = client.namespaces().withName("doomed").get();
            assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
            assertThat(ns.getStatus().getConditions())
                    .extracting(NamespaceCondition::getType)
                    .containsExactly(
                            "NamespaceDeletionDiscoveryFailure",
                            "NamespaceDeletionGroupVersionParsingFailure",
                            "NamespaceDeletionContentFailure",
                            "NamespaceContentRemaining",
                            "NamespaceFinalizersRemaining");
            assertThat(ns.getStatus().getConditions().get(3).getMessage())
                    .isEqualTo("Some resources are remaining: configmaps. has 1 resource instances");
            assertThat(ns.getStatus().getConditions().get(4).getMessage())
                    .isEqualTo("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource"
                            + " instances");
            assertThatThrownBy(() -> client.configMaps()
                            .inNamespace("doomed")
                            .resource(configMap("late"))
                            .create())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));

            client.configMaps().inNamespace("doomed").withName("held").edit(c -> {
                c.getMetadata().setFinalizers(null);
                return c;
            });

            assertThat(client.namespaces().withName("doomed").get()).isNull();
        }
    }
}
