package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API server through fabric8's client over HTTP. */
class ApiServerIT {
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

    static Job job(String name) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static ConfigMap configMap(String name, String... labels) {
        ConfigMapBuilder b = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("k", "v");
        for (int i = 0; i < labels.length; i += 2) {
            b.editMetadata().addToLabels(labels[i], labels[i + 1]).endMetadata();
        }
        return b.build();
    }

    @Test
    void createStoresTheObjectWithServerFields() {
        Job created = client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .resource(job("created"))
                .create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        Job read = client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .withName("created")
                .get();
        assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    }

    @Test
    void anInvalidObjectIsRejectedWithTheFieldPaths() {
        Job bad = job("Bad_Name");
        bad.getSpec().getTemplate().getSpec().setRestartPolicy("Always");
        assertThatThrownBy(() -> client.batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .resource(bad)
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getDetails().getCauses())
                            .extracting(c -> c.getField())
                            .contains("metadata.name", "spec.template.spec.restartPolicy");
                });
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .withName("Bad_Name")
                        .get())
                .isNull();
    }

    @Test
    void aQuantityThatDoesNotParseIsABadRequestWhileDecoding() {
        Job bad = job("bad-quantity");
        bad.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1.5cores"))
                        .build());
        assertThatThrownBy(() -> client.batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .resource(bad)
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getStatus().getReason()).isEqualTo("BadRequest");
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Job in version \"v1\" cannot be handled as a Job: quantities must match the"
                                    + " regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
                    assertThat(
                                    e.getStatus().getDetails() == null
                                            ? List.of()
                                            : e.getStatus().getDetails().getCauses())
                            .isEmpty();
                });
    }

    @Test
    void aRuleBrokenTwiceIsTwoCausesButOneLineOfTheMessage() {
        String name = "a".repeat(64);
        assertThatThrownBy(() -> client.batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .resource(job(name))
                        .dryRun()
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    // job-name and batch.kubernetes.io/job-name are both too long
                    assertThat(e.getStatus().getDetails().getCauses())
                            .extracting(c -> c.getReason() + " " + c.getField())
                            .containsExactly(
                                    "FieldValueInvalid spec.template.labels", "FieldValueInvalid spec.template.labels");
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Job.batch \"" + name + "\" is invalid: spec.template.labels: Invalid value: \""
                                    + name + "\": must be no more than 63 characters");
                });
    }

    @Test
    void creatingTwiceIsAlreadyExists() {
        client.configMaps().inNamespace("default").resource(configMap("twice")).create();
        assertThatThrownBy(() -> client.configMaps()
                        .inNamespace("default")
                        .resource(configMap("twice"))
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                });
    }

    @Test
    void aMissingNamespaceIsNotFound() {
        assertThatThrownBy(() -> client.configMaps()
                        .inNamespace("nowhere")
                        .resource(configMap("x"))
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("namespaces \"nowhere\" not found");
                });
    }

    @Test
    void dryRunIsNotPersisted() {
        client.configMaps()
                .inNamespace("default")
                .resource(configMap("dry"))
                .dryRun()
                .create();
        assertThat(client.configMaps().inNamespace("default").withName("dry").get())
                .isNull();
    }

    @Test
    void generateNameAddsFiveRandomCharacters() {
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata()
                .withGenerateName("gen-")
                .endMetadata()
                .build();
        ConfigMap created =
                client.configMaps().inNamespace("default").resource(cm).create();
        assertThat(created.getMetadata().getName()).matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}");
    }

    @Test
    void setBasedSelectorsFilterLists() {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("sel")
                        .endMetadata()
                        .build())
                .create();
        client.configMaps()
                .inNamespace("sel")
                .resource(configMap("a", "tier", "web"))
                .create();
        client.configMaps()
                .inNamespace("sel")
                .resource(configMap("b", "tier", "db"))
                .create();
        client.configMaps()
                .inNamespace("sel")
                .resource(configMap("c", "tier", "cache"))
                .create();
        List<ConfigMap> in = client.configMaps()
                .inNamespace("sel")
                .withLabelIn("tier", "web", "db")
                .list()
                .getItems();
        assertThat(in).extracting(c -> c.getMetadata().getName()).containsExactly("a", "b");
        List<ConfigMap> notIn = client.configMaps()
                .inNamespace("sel")
                .withLabelNotIn("tier", "web")
                .list()
                .getItems();
        // the root-CA publisher's kube-root-ca.crt has no tier label, so NotIn takes it too
        assertThat(notIn).extracting(c -> c.getMetadata().getName()).containsExactly("b", "c", "kube-root-ca.crt");
    }

    @Test
    void listsPaginateWithContinue() {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("pages")
                        .endMetadata()
                        .build())
                .create();
        for (int i = 0; i < 5; i++) {
            client.configMaps()
                    .inNamespace("pages")
                    .resource(configMap("cm-" + i))
                    .create();
        }
        var first = client.configMaps()
                .inNamespace("pages")
                .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                        .withLimit(2L)
                        .build());
        assertThat(first.getItems()).hasSize(2);
        assertThat(first.getMetadata().getContinue()).isNotBlank();
        // five of ours and the namespace's kube-root-ca.crt, which sorts last
        assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(4L);
        var second = client.configMaps()
                .inNamespace("pages")
                .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                        .withLimit(10L)
                        .withContinue(first.getMetadata().getContinue())
                        .build());
        assertThat(second.getItems())
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("cm-2", "cm-3", "cm-4", "kube-root-ca.crt");
        // with a selector the server cannot count what is left, and says nothing
        var filtered = client.configMaps()
                .inNamespace("pages")
                .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                        .withLimit(2L)
                        .withFieldSelector("metadata.name!=cm-0")
                        .build());
        assertThat(filtered.getMetadata().getContinue()).isNotBlank();
        assertThat(filtered.getMetadata().getRemainingItemCount()).isNull();
    }

    @Test
    void watchesDeliverChangesFromAResourceVersion() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("watched")
                        .endMetadata()
                        .build())
                .create();
        ConfigMap first = client.configMaps()
                .inNamespace("watched")
                .resource(configMap("before"))
                .create();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch latch = new CountDownLatch(2);
        try (var w = client.configMaps()
                .inNamespace("watched")
                .withResourceVersion(first.getMetadata().getResourceVersion())
                .watch(new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        seen.add(action + " " + resource.getMetadata().getName());
                        latch.countDown();
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            client.configMaps()
                    .inNamespace("watched")
                    .resource(configMap("after"))
                    .create();
            client.configMaps().inNamespace("watched").withName("before").delete();
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).containsExactly("ADDED after", "DELETED before");
    }

    @Test
    void mergePatchAndStaleUpdates() {
        client.configMaps()
                .inNamespace("default")
                .resource(configMap("patched"))
                .create();
        ConfigMap patched = client.configMaps()
                .inNamespace("default")
                .withName("patched")
                .edit(c -> new ConfigMapBuilder(c).addToData("k2", "v2").build());
        assertThat(patched.getData()).containsEntry("k", "v").containsEntry("k2", "v2");
        ConfigMap stale = new ConfigMapBuilder(patched)
                .editMetadata()
                .withResourceVersion("1")
                .endMetadata()
                .build();
        assertThatThrownBy(() -> client.configMaps()
                        .inNamespace("default")
                        .resource(stale)
                        .update())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void discoveryAndVersionServeFabric8() {
        assertThat(client.getKubernetesVersion().getMajor()).isEqualTo("1");
        assertThat(client.supports(Job.class)).isTrue();
        assertThat(client.nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("node-1");
        assertThat(client.nodes().withName("node-1").get().getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType()).isEqualTo("Ready"));
    }

    @Test
    void aPodsSpecCannotChangeBeyondWhatTheServerAllows() {
        client.pods()
                .inNamespace("default")
                .resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata()
                        .withName("fixed")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("main")
                        .withImage("busybox:1.36")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        var image = client.pods()
                .inNamespace("default")
                .withName("fixed")
                .edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                        .editSpec()
                        .editFirstContainer()
                        .withImage("busybox:1.37")
                        .endContainer()
                        .endSpec()
                        .build());
        assertThat(image.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.37");
        assertThatThrownBy(() -> client.pods()
                        .inNamespace("default")
                        .withName("fixed")
                        .edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                                .editSpec()
                                .withHostname("other")
                                .endSpec()
                                .build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("spec: Forbidden: pod updates may not change fields");
                });
    }

    @Test
    void kubectlGetsServerSideTables() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.url() + "/api/v1/nodes"))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .build();
        String body = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(body).contains("\"kind\":\"Table\"", "\"name\":\"Status\"", "\"cells\":[\"node-1\",\"Ready\"");
    }
}
