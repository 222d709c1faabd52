package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pod Security admission through the HTTP API: rejections, warnings and namespace labels. */
class PodSecurityIT {
    private static final String BARE_RESTRICTED = "allowPrivilegeEscalation != false (container \"main\" must set"
            + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"main\" must"
            + " set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"main\""
            + " must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"main\" must set"
            + " securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    private static void namespace(KubernetesClient client, String name, Map<String, String> labels) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    private static Pod bare(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .endSpec()
                .build();
    }

    private static Job bareJob(String name) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withSpec(bare("x").getSpec())
                .editSpec()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** A Warning header as the API server writes it: code 299, no agent, the text quoted. */
    private static String header(String text) {
        return "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Posts an object and returns the answer, whose Warning headers fabric8 only logs. */
    private static HttpResponse<String> post(InMemoryCluster cluster, String path, HasMetadata object)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.url() + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(cluster.kubernetesClient()
                                        .getKubernetesSerialization()
                                        .asJson(object)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEnforcedNamespaceRefusesAPodWithTheServersMessageAndAdmitsACompliantOne() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            namespace(client, "secure", Map.of("pod-security.kubernetes.io/enforce", "restricted"));

            assertThatThrownBy(() -> client.pods()
                            .inNamespace("secure")
                            .resource(bare("solo"))
                            .create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                        assertThat(e.getStatus().getMessage())
                                .isEqualTo("pods \"solo\" is forbidden: violates PodSecurity \"restricted:latest\": "
                                        + BARE_RESTRICTED);
                        assertThat(e.getStatus().getDetails().getKind()).isEqualTo("pods");
                    });

            Pod ok = bare("ok");
            ok.getSpec()
                    .setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder()
                            .withRunAsNonRoot(true)
                            .withNewSeccompProfile()
                            .withType("RuntimeDefault")
                            .endSeccompProfile()
                            .build());
            ok.getSpec()
                    .getContainers()
                    .get(0)
                    .setSecurityContext(new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
                            .withAllowPrivilegeEscalation(false)
                            .withNewCapabilities()
                            .withDrop("ALL")
                            .endCapabilities()
                            .build());
            assertThat(client.pods().inNamespace("secure").resource(ok).create())
                    .isNotNull();
            // an update that changes no image is not checked again; one that changes it is
            Pod stored = client.pods().inNamespace("secure").withName("ok").get();
            stored.getMetadata().setLabels(Map.of("app", "x"));
            client.resource(stored).update();
        }
    }

    @Test
    void aWarnNamespaceAdmitsThePodWithAWarningHeader() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            namespace(cluster.kubernetesClient(), "loud", Map.of("pod-security.kubernetes.io/warn", "baseline"));
            Pod pod = bare("net");
            pod.getSpec().setHostNetwork(true);

            HttpResponse<String> answer = post(cluster, "/api/v1/namespaces/loud/pods", pod);

            assertThat(answer.statusCode()).isEqualTo(201);
            assertThat(answer.headers().allValues("Warning"))
                    .containsExactly("299 - \"would violate PodSecurity \\\"baseline:latest\\\": host namespaces"
                            + " (hostNetwork=true)\"");
        }
    }

    @Test
    void aJobIsAdmittedWithAWarningAndItsPodsAreRefused() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            namespace(client, "secure", Map.of("pod-security.kubernetes.io/enforce", "restricted"));

            HttpResponse<String> answer = post(cluster, "/apis/batch/v1/namespaces/secure/jobs", bareJob("train"));
            cluster.advanceClock(Duration.ofSeconds(5));

            assertThat(answer.statusCode()).isEqualTo(201);
            assertThat(answer.headers().allValues("Warning"))
                    .containsExactly(header("would violate PodSecurity \"restricted:latest\": " + BARE_RESTRICTED));
            assertThat(client.pods().inNamespace("secure").list().getItems()).isEmpty();
            List<Event> failed = client.v1().events().inNamespace("secure").list().getItems().stream()
                    .filter(e -> "FailedCreate".equals(e.getReason()))
                    .toList();
            // the controller tries again, backing off: 1 s, 2 s, 4 s ... 60 s
            assertThat(failed).hasSizeBetween(3, 6);
            cluster.advanceClock(Duration.ofSeconds(60));
            assertThat(client.v1().events().inNamespace("secure").list().getItems().stream()
                            .filter(e -> "FailedCreate".equals(e.getReason())))
                    .hasSizeBetween(failed.size() + 2, failed.size() + 5);
            assertThat(client.batch()
                            .v1()
                            .jobs()
                            .inNamespace("secure")
                            .withName("train")
                            .get()
                            .getStatus()
                            .getActive())
                    .isNull();
            assertThat(failed.get(0).getMessage())
                    .matches("Error creating: pods \"train-[a-z0-9]{5}\" is forbidden: violates PodSecurity"
                            + " \"restricted:latest\": .*")
                    .endsWith(BARE_RESTRICTED);
        }
    }

    @Test
    void namespaceLabelsWithABadLevelOrVersionAreInvalid() {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            assertThatThrownBy(() -> namespace(client, "odd", Map.of("pod-security.kubernetes.io/enforce", "strict")))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getMessage())
                                .isEqualTo("Namespace \"odd\" is invalid: metadata.labels[pod-security.kubernetes.io/"
                                        + "enforce]: Invalid value: \"strict\": must be one of privileged, baseline,"
                                        + " restricted");
                    });
            namespace(client, "fine", Map.of());
            Namespace ns = client.namespaces().withName("fine").get();
            ns.getMetadata().setLabels(Map.of("pod-security.kubernetes.io/warn-version", "1.30"));
            assertThatThrownBy(() -> client.resource(ns).update())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getStatus().getMessage())
                                    .endsWith("Invalid value: \"1.30\": must be \"latest\" or \"v1.x\""));
        }
    }

    @Test
    void enforcingOnANamespaceWithViolatingPodsWarnsAboutThem() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            namespace(client, "busy", Map.of());
            for (String name : List.of("b", "a", "c")) {
                client.pods().inNamespace("busy").resource(bare(name)).create();
            }
            Pod host = bare("host");
            host.getSpec().setHostPID(true);
            client.pods().inNamespace("busy").resource(host).create();
            String patch = "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"baseline\"}}}";

            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/busy"))
                                    .header("Content-Type", "application/merge-patch+json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString(patch))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().allValues("Warning"))
                    .containsExactly(
                            "299 - \"existing pods in namespace \\\"busy\\\" violate the new PodSecurity enforce level"
                                    + " \\\"baseline:latest\\\"\"",
                            "299 - \"host: host namespaces\"");

            String restricted = "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"restricted\"}}}";
            answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/busy"))
                                    .header("Content-Type", "application/merge-patch+json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString(restricted))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.headers().allValues("Warning"))
                    .containsExactly(
                            "299 - \"existing pods in namespace \\\"busy\\\" violate the new PodSecurity enforce level"
                                    + " \\\"restricted:latest\\\"\"",
                            "299 - \"a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted"
                                    + " capabilities, runAsNonRoot != true, seccompProfile\"",
                            "299 - \"host: host namespaces, allowPrivilegeEscalation != false, unrestricted"
                                    + " capabilities, runAsNonRoot != true, seccompProfile\"");
        }
    }

    @Test
    void addingAnEphemeralContainerChecksTheWholePod() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start()) {
            KubernetesClient client = cluster.kubernetesClient();
            namespace(client, "busy", Map.of());
            client.pods().inNamespace("busy").resource(bare("old")).create();
            Namespace ns = client.namespaces().withName("busy").get();
            ns.getMetadata().setLabels(Map.of("pod-security.kubernetes.io/enforce", "baseline"));
            client.resource(ns).update();
            String debug = "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debug\",\"image\":\"busybox:1.36\","
                    + "\"securityContext\":{\"privileged\":true}}]}}";

            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            cluster.url() + "/api/v1/namespaces/busy/pods/old/ephemeralcontainers"))
                                    .header("Content-Type", "application/strategic-merge-patch+json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString(debug))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            assertThat(answer.body())
                    .contains("pods \\\"old\\\" is forbidden: violates PodSecurity \\\"baseline:latest\\\": privileged"
                            + " (container \\\"debug\\\" must not set securityContext.privileged=true)");
            String plain = debug.replace(",\"securityContext\":{\"privileged\":true}", "");
            answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            cluster.url() + "/api/v1/namespaces/busy/pods/old/ephemeralcontainers"))
                                    .header("Content-Type", "application/strategic-merge-patch+json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString(plain))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(client.pods()
                            .inNamespace("busy")
                            .withName("old")
                            .get()
                            .getSpec()
                            .getEphemeralContainers())
                    .extracting(io.fabric8.kubernetes.api.model.EphemeralContainer::getName)
                    .containsExactly("debug");
        }
    }
}
