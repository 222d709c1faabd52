package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

/** Fields a server is too old for are refused before anything is sent. */
@EnableKubernetesMockClient
class ServerVersionTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private void version(String minor) {
        server.setVersionInfo(
                new VersionInfo.Builder().withMajor("1").withMinor(minor).build());
    }

    private static BatchJob withSuccessPolicy() {
        return BatchJob.builder()
                .name("leader")
                .namespace("ml")
                .container(Container.of("trainer:1"))
                .completions(4)
                .parallelism(4)
                .indexed(true)
                .addSuccessPolicy(SuccessRule.indexes("0"))
                .build();
    }

    @Test
    void aFieldTheServerDoesNotServeIsRefusedNamingFieldAndVersions() {
        version("30");
        version("30+");
        try (Skiff skiff = Skiff.using(client)) {
            assertThatThrownBy(() -> skiff.submit(withSuccessPolicy()))
                    .isInstanceOfSatisfying(ServerVersionException.class, e -> {
                        assertThat(e.field()).isEqualTo("spec.successPolicy");
                        assertThat(e.requiredVersion()).isEqualTo("1.31");
                        assertThat(e.serverVersion()).isEqualTo("1.30+");
                    })
                    .hasMessage("Job ml/leader uses spec.successPolicy, which needs Kubernetes 1.31 or newer; the API"
                            + " server is version 1.30+ and would drop it");
        }
        // only /version was asked: nothing was sent
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void draObjectsNeedKubernetes134() {
        version("33");
        Trait dra = context -> {
            var template = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
            template.setApiVersion("resource.k8s.io/v1");
            template.setKind("ResourceClaimTemplate");
            template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                    .withName(context.workloadName() + "-gpu")
                    .build());
            context.addObject(template);
        };
        BatchJob job = BatchJob.builder()
                .name("dra")
                .namespace("ml")
                .container(Container.of("trainer:1"))
                .addTraits(dra)
                .build();
        try (Skiff skiff = Skiff.using(client)) {
            assertThatThrownBy(() -> skiff.submit(job)).isInstanceOfSatisfying(ServerVersionException.class, e -> {
                assertThat(e.field()).isEqualTo("ResourceClaimTemplate (resource.k8s.io/v1)");
                assertThat(e.requiredVersion()).isEqualTo("1.34");
            });
        }
    }

    @Test
    void theCheckCanBeTurnedOff() throws InterruptedException {
        try (Skiff skiff = Skiff.using(
                client, SkiffConfig.builder().checkServerVersion(false).build())) {
            // the mock answers 404 to the create: the request was sent
            assertThatThrownBy(() -> skiff.submit(withSuccessPolicy())).isInstanceOf(SubmissionException.class);
        }
        assertThat(server.getLastRequest().getPath()).startsWith("/apis/batch/v1/namespaces/ml/jobs");
    }
}
