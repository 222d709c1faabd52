package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Custom resources: a CustomResourceDefinition makes the in-memory cluster serve its kind. */
class CustomResourcesIT {
    static final String POD_MONITORS = "podmonitors.monitoring.coreos.com";
    static final String LOCAL_QUEUES = "localqueues.kueue.x-k8s.io";
    static final String CLUSTER_QUEUES = "clusterqueues.kueue.x-k8s.io";

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

    /** Reads one of the definitions under {@code src/test/resources/crds}. */
    static CustomResourceDefinition definition(KubernetesClient client, String name) {
        try (InputStream in = CustomResourcesIT.class.getResourceAsStream("/crds/" + name + ".yaml")) {
            return client.getKubernetesSerialization()
                    .unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers one of the definitions under {@code src/test/resources/crds}. */
    static CustomResourceDefinition register(KubernetesClient client, String name) {
        return client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(definition(client, name))
                .create();
    }

    GenericKubernetesResource podMonitor(String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("monitoring.coreos.com/v1");
        r.setKind("PodMonitor");
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .addToLabels("team", "ml")
                .build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    static Map<String, Object> validSpec() {
        return Map.of(
                "selector",
                Map.of("matchLabels", Map.of("app", "train")),
                "podMetricsEndpoints",
                List.of(Map.of("port", "metrics", "path", "/metrics", "interval", "30s")));
    }

    @Test
    void aDefinitionIsEstablishedAndDiscoverable() {
        CustomResourceDefinition crd = register(client, POD_MONITORS);

        assertThat(crd.getStatus().getConditions())
                .extracting(CustomResourceDefinitionCondition::getType, CustomResourceDefinitionCondition::getStatus)
                .contains(org.assertj.core.groups.Tuple.tuple("Established", "True"));
        assertThat(crd.getStatus().getStoredVersions()).containsExactly("v1");
        assertThat(client.supports("monitoring.coreos.com/v1", "PodMonitor")).isTrue();
        assertThat(client.getApiGroup("monitoring.coreos.com")).isNotNull();
        List<APIResource> resources =
                client.getApiResources("monitoring.coreos.com/v1").getResources();
        assertThat(resources).anySatisfy(r -> {
            assertThat(r.getName()).isEqualTo("podmonitors");
            assertThat(r.getKind()).isEqualTo("PodMonitor");
            assertThat(r.getNamespaced()).isTrue();
            assertThat(r.getShortNames()).containsExactly("pmon");
        });
        assertThat(client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(POD_MONITORS)
                        .get())
                .isNotNull();
        assertThat(client.raw(cluster.url() + "/openapi/v3/apis/apiextensions.k8s.io/v1"))
                .contains("\"/apis/apiextensions.k8s.io/v1/customresourcedefinitions\"");
    }

    @Test
    void aDefinitionNamedOtherThanPluralDotGroupIsRefused() {
        CustomResourceDefinition crd = definition(client, POD_MONITORS);
        crd.getMetadata().setName("monitors.example.com");

        assertThatThrownBy(() -> client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(crd)
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining(
                        "metadata.name: Invalid value: \"monitors.example.com\": must be spec.names.plural+\".\"+spec.group");
    }

    @Test
    void customObjectsAreCreatedReadListedPatchedAndDeleted() {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");

        GenericKubernetesResource created =
                monitors.resource(podMonitor("train", validSpec())).create();

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
        GenericKubernetesResource read = monitors.withName("train").get();
        assertThat(read.<String>get("spec", "podMetricsEndpoints", 0, "port")).isEqualTo("metrics");
        assertThat(monitors.withLabel("team", "ml").list().getItems())
                .extracting(r -> r.getMetadata().getName())
                .containsExactly("train");
        assertThat(monitors.withLabel("team", "other").list().getItems()).isEmpty();

        GenericKubernetesResource merged = monitors.withName("train")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"jobLabel\":\"app\"}}");
        assertThat(merged.<String>get("spec", "jobLabel")).isEqualTo("app");
        assertThat(merged.getMetadata().getGeneration()).isEqualTo(2L);

        GenericKubernetesResource patched = monitors.withName("train")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/spec/podMetricsEndpoints/0/path\",\"value\":\"/stats\"}]");
        assertThat(patched.<String>get("spec", "podMetricsEndpoints", 0, "path"))
                .isEqualTo("/stats");

        GenericKubernetesResource labelled = monitors.withName("train")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"tier\":\"gold\"}}}");
        assertThat(labelled.getMetadata().getGeneration()).isEqualTo(3L);

        assertThat(monitors.withName("train").delete()).hasSize(1);
        assertThat(monitors.withName("train").get()).isNull();
    }

    @Test
    void aServerSideApplyCreatesAndUpdatesACustomObject() {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");

        GenericKubernetesResource created = monitors.resource(podMonitor("train", validSpec()))
                .fieldManager("skiff")
                .serverSideApply();
        GenericKubernetesResource changed = monitors.resource(podMonitor(
                        "train", Map.of("selector", Map.of("matchLabels", Map.of("app", "eval")))))
                .fieldManager("skiff")
                .serverSideApply();

        assertThat(created.getMetadata().getManagedFields())
                .extracting(m -> m.getManager() + " " + m.getOperation())
                .containsExactly("skiff Apply");
        assertThat(changed.<String>get("spec", "selector", "matchLabels", "app"))
                .isEqualTo("eval");
        assertThat(changed.<Object>get("spec", "podMetricsEndpoints")).isNull(); // no longer applied
        assertThat(changed.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void aStrategicMergePatchOfACustomObjectIsUnsupported() {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");
        monitors.resource(podMonitor("train", validSpec())).create();

        assertThatThrownBy(() -> monitors.withName("train")
                        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"jobLabel\":\"app\"}}"))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(415))
                .hasMessageContaining("the body of the request was in an unknown format");
    }

    @Test
    void unknownFieldsArePrunedAndPreservedWhereTheSchemaSaysSo() {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");
        GenericKubernetesResource pm = podMonitor(
                "train",
                Map.of(
                        "selector",
                        Map.of("matchLabels", Map.of("app", "train")),
                        "unknownField",
                        "dropped",
                        "podMetricsEndpoints",
                        List.of(Map.of(
                                "port",
                                "metrics",
                                "bogus",
                                1,
                                "relabelings",
                                List.of(Map.of("action", "keep", "anything", "goes"))))));
        pm.setAdditionalProperty("topLevel", "dropped");

        GenericKubernetesResource created = monitors.resource(pm).create();

        assertThat(created.getAdditionalProperties()).doesNotContainKey("topLevel");
        Map<String, Object> spec = created.get("spec");
        assertThat(spec).doesNotContainKey("unknownField");
        assertThat(created.<Map<String, Object>>get("spec", "podMetricsEndpoints", 0))
                .doesNotContainKey("bogus")
                .containsEntry("port", "metrics");
        assertThat(created.<Map<String, Object>>get("spec", "podMetricsEndpoints", 0, "relabelings", 0))
                .containsEntry("anything", "goes");
        assertThat(monitors.withName("train").get().getAdditionalProperties()).doesNotContainKey("topLevel");
    }

    @Test
    void objectsAreValidatedAgainstTheSchema() {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");

        assertThatThrownBy(() -> monitors.resource(
                                podMonitor("typed", Map.of("selector", Map.of(), "sampleLimit", "lots")))
                        .create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining("PodMonitor.monitoring.coreos.com \"typed\" is invalid: "
                        + "spec.sampleLimit: Invalid value: \"string\": "
                        + "spec.sampleLimit in body must be of type integer: \"string\"");
        assertThatThrownBy(() -> monitors.resource(podMonitor("required", Map.of("jobLabel", "app")))
                        .create())
                .hasMessageContaining("spec.selector: Required value");
        assertThatThrownBy(() -> monitors.resource(podMonitor(
                                "bounds",
                                Map.of(
                                        "selector",
                                        Map.of(),
                                        "podMetricsEndpoints",
                                        List.of(
                                                Map.of("portNumber", 0),
                                                Map.of("portNumber", 70000, "scheme", "ftp")))))
                        .create())
                .hasMessageContaining("spec.podMetricsEndpoints[0].portNumber: Invalid value: 0: "
                        + "spec.podMetricsEndpoints[0].portNumber in body should be greater than or equal to 1")
                .hasMessageContaining("spec.podMetricsEndpoints[1].portNumber: Invalid value: 70000: "
                        + "spec.podMetricsEndpoints[1].portNumber in body should be less than or equal to 65535")
                .hasMessageContaining("spec.podMetricsEndpoints[1].scheme: Unsupported value: \"ftp\": "
                        + "supported values: \"http\", \"https\", \"HTTP\", \"HTTPS\"");
        assertThatThrownBy(() -> monitors.resource(podMonitor(
                                "strings",
                                Map.of(
                                        "selector",
                                        Map.of("matchExpressions", List.of(Map.of("key", "app"))),
                                        "podMetricsEndpoints",
                                        List.of(Map.of("port", "", "interval", "soon")))))
                        .create())
                .hasMessageContaining("spec.podMetricsEndpoints[0].port: Invalid value: \"\": "
                        + "spec.podMetricsEndpoints[0].port in body should be at least 1 chars long")
                .hasMessageContaining("spec.podMetricsEndpoints[0].interval: Invalid value: \"soon\": "
                        + "spec.podMetricsEndpoints[0].interval in body should match '^(0|")
                .hasMessageContaining("spec.selector.matchExpressions[0].operator: Required value");
        assertThatThrownBy(() -> monitors.resource(podMonitor(
                                "labels", Map.of("selector", Map.of("matchLabels", Map.of("app", 7)))))
                        .create())
                .hasMessageContaining("spec.selector.matchLabels.app: Invalid value: \"integer\": "
                        + "spec.selector.matchLabels.app in body must be of type string: \"integer\"");
        assertThat(monitors.list().getItems()).isEmpty();
    }

    @Test
    void theStatusSubresourceSeparatesStatusFromTheRest() {
        register(client, LOCAL_QUEUES);
        var queues = client.genericKubernetesResources("kueue.x-k8s.io/v1beta1", "LocalQueue")
                .inNamespace("default");
        GenericKubernetesResource lq = new GenericKubernetesResource();
        lq.setApiVersion("kueue.x-k8s.io/v1beta1");
        lq.setKind("LocalQueue");
        lq.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName("team-a")
                .build());
        lq.setAdditionalProperty("spec", Map.of("clusterQueue", "gpus"));
        lq.setAdditionalProperty("status", Map.of("pendingWorkloads", 3));

        GenericKubernetesResource created = queues.resource(lq).create();

        assertThat(created.getAdditionalProperties()).doesNotContainKey("status");
        assertThat(created.<String>get("spec", "stopPolicy")).isEqualTo("None"); // the schema's default

        GenericKubernetesResource withStatus = queues.withName("team-a").get();
        withStatus.setAdditionalProperty("status", Map.of("pendingWorkloads", 2, "admittedWorkloads", 1));
        withStatus.setAdditionalProperty("spec", Map.of("clusterQueue", "ignored"));
        GenericKubernetesResource updated = queues.resource(withStatus).updateStatus();

        assertThat(updated.<Integer>get("status", "pendingWorkloads")).isEqualTo(2);
        assertThat(updated.<String>get("spec", "clusterQueue")).isEqualTo("gpus");
        assertThat(updated.getMetadata().getGeneration()).isEqualTo(1L);

        GenericKubernetesResource next = queues.withName("team-a").get();
        next.setAdditionalProperty("spec", Map.of("clusterQueue", "cpus"));
        next.setAdditionalProperty("status", Map.of("pendingWorkloads", 99));
        GenericKubernetesResource replaced = queues.resource(next).update();

        assertThat(replaced.<String>get("spec", "clusterQueue")).isEqualTo("cpus");
        assertThat(replaced.<Integer>get("status", "pendingWorkloads")).isEqualTo(2);
        assertThat(replaced.getMetadata().getGeneration()).isEqualTo(2L);

        GenericKubernetesResource badStatus = queues.withName("team-a").get();
        badStatus.setAdditionalProperty("status", Map.of("admittedWorkloads", "one"));
        assertThatThrownBy(() -> queues.resource(badStatus).updateStatus())
                .hasMessageContaining("status.admittedWorkloads: Invalid value: \"string\": "
                        + "status.admittedWorkloads in body must be of type integer: \"string\"");
        assertThatThrownBy(() -> queues.withName("team-a")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"stopPolicy\":\"Pause\"}}"))
                .hasMessageContaining("spec.stopPolicy: Unsupported value: \"Pause\": "
                        + "supported values: \"None\", \"HoldAndDrain\", \"Hold\"");
    }

    @Test
    void aKindWithoutTheStatusSubresourceKeepsStatusInTheObject() {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");
        monitors.resource(podMonitor("train", validSpec())).create();

        assertThatThrownBy(() -> monitors.withName("train")
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{}}"))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void clusterScopedKindsLiveOutsideNamespaces() {
        register(client, CLUSTER_QUEUES);
        var queues = client.genericKubernetesResources("kueue.x-k8s.io/v1beta1", "ClusterQueue");
        GenericKubernetesResource cq = new GenericKubernetesResource();
        cq.setApiVersion("kueue.x-k8s.io/v1beta1");
        cq.setKind("ClusterQueue");
        cq.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName("gpus")
                .build());
        cq.setAdditionalProperty(
                "spec",
                Map.of(
                        "namespaceSelector",
                        Map.of(),
                        "resourceGroups",
                        List.of(Map.of("coveredResources", List.of("nvidia.com/gpu")))));

        GenericKubernetesResource created = queues.resource(cq).create();

        assertThat(created.getMetadata().getNamespace()).isNull();
        assertThat(created.<String>get("spec", "resourceGroups", 0, "coveredResources", 0))
                .isEqualTo("nvidia.com/gpu");
        assertThat(queues.withName("gpus").get()).isNotNull();
        assertThat(client.getApiResources("kueue.x-k8s.io/v1beta1").getResources())
                .anySatisfy(r -> {
                    assertThat(r.getName()).isEqualTo("clusterqueues");
                    assertThat(r.getNamespaced()).isFalse();
                });
    }

    @Test
    void deletingANamespaceDeletesTheCustomObjectsInIt() {
        register(client, POD_MONITORS);
        client.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName("team")
                        .endMetadata()
                        .build())
                .create();
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("team");
        monitors.resource(podMonitor("train", validSpec())).create();

        client.namespaces().withName("team").delete();

        assertThat(monitors.withName("train").get()).isNull();
        assertThat(client.namespaces().withName("team").get()).isNull();
    }

    @Test
    void watchesSeeCustomObjects() throws InterruptedException {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch deleted = new CountDownLatch(1);
        try (Watch ignored = monitors.watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                events.add(action + " " + resource.getMetadata().getName());
                if (action == Action.DELETED) {
                    deleted.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            monitors.resource(podMonitor("train", validSpec())).create();
            monitors.withName("train").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"jobLabel\":\"a\"}}");
            monitors.withName("train").delete();
            assertThat(deleted.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(events).containsExactly("ADDED train", "MODIFIED train", "DELETED train");
    }

    @Test
    void deletingTheDefinitionRemovesItsObjectsAndStopsServingTheKind() {
        register(client, POD_MONITORS);
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default");
        monitors.resource(podMonitor("train", validSpec())).create();

        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(POD_MONITORS)
                .delete();

        assertThat(client.supports("monitoring.coreos.com/v1", "PodMonitor")).isFalse();
        assertThatThrownBy(() -> monitors.list())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(404));

        register(client, POD_MONITORS);
        assertThat(monitors.list().getItems()).isEmpty();
    }
}
