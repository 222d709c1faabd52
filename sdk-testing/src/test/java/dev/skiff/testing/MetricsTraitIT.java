package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.Metrics;
import dev.skiff.core.Port;
import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link Metrics} trait on the in-memory cluster, with and without the Prometheus Operator's CRD. */
class MetricsTraitIT {
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

    static BatchJob job(String name) {
        return BatchJob.builder()
                .name(name)
                .container(Container.of("ghcr.io/acme/trainer:1.4"))
                .addTraits(Metrics.on(9090))
                .build();
    }

    GenericKubernetesResource podMonitor(String name) {
        return client.genericKubernetesResources("monitoring.coreos.com/v1", "PodMonitor")
                .inNamespace("default")
                .withName(name)
                .get();
    }

    @Test
    void aJobWithMetricsGetsAPodMonitorOwnedByTheJob() {
        CustomResourcesIT.register(client, CustomResourcesIT.POD_MONITORS);

        cluster.skiff().submit(job("train")).await(Duration.ofSeconds(20));

        Job job = client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .withName("train")
                .get();
        GenericKubernetesResource monitor = podMonitor("train");
        assertThat(monitor).isNotNull();
        OwnerReference owner = monitor.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getKind()).isEqualTo("Job");
        assertThat(owner.getName()).isEqualTo("train");
        assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        assertThat(monitor.<String>get("spec", "podMetricsEndpoints", 0, "port"))
                .isEqualTo("metrics");
        assertThat(monitor.<String>get("spec", "podMetricsEndpoints", 0, "path"))
                .isEqualTo("/metrics");
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        Pod pod = client.pods()
                .inNamespace("default")
                .withLabels(selector)
                .list()
                .getItems()
                .get(0);
        assertThat(pod.getMetadata().getOwnerReferences().get(0).getUid())
                .isEqualTo(job.getMetadata().getUid());
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "9090")
                .containsEntry("prometheus.io/path", "/metrics");
        assertThat(pod.getSpec().getContainers().get(0).getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getContainerPort()).isEqualTo(9090);
        });
    }

    @Test
    void withoutTheCrdTheJobRunsWithoutAPodMonitor() {
        var outcome = cluster.skiff().submit(job("train")).await(Duration.ofSeconds(20));

        assertThat(outcome).isInstanceOf(dev.skiff.core.Outcome.Succeeded.class);
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .withName("train")
                        .get())
                .isNotNull();
        assertThat(client.getApiResources("monitoring.coreos.com/v1")).isNull();
        Pod pod = client.pods().inNamespace("default").list().getItems().get(0);
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
    }

    @Test
    void theApiIsDetectedOncePerSkiff() {
        Skiff first = cluster.skiff();
        first.submit(job("before"));
        CustomResourcesIT.register(client, CustomResourcesIT.POD_MONITORS);

        first.submit(job("remembered"));
        try (Skiff second = Skiff.using(client)) {
            second.submit(job("after"));
        }

        assertThat(podMonitor("before")).isNull();
        assertThat(podMonitor("remembered")).isNull();
        assertThat(podMonitor("after")).isNotNull();
    }

    @Test
    void aSessionWithMetricsGetsAPodMonitorOwnedByItsDeployment() {
        CustomResourcesIT.register(client, CustomResourcesIT.POD_MONITORS);

        cluster.skiff()
                .submit(InteractiveSession.builder()
                        .name("vllm")
                        .container(Container.of("vllm/vllm-openai:v0.6.4").withPorts(Port.of("http", 8000)))
                        .addTraits(Metrics.on(8000))
                        .build());

        Deployment deployment = client.apps()
                .deployments()
                .inNamespace("default")
                .withName("vllm")
                .get();
        GenericKubernetesResource monitor = podMonitor("vllm");
        assertThat(monitor.getMetadata().getOwnerReferences().get(0).getUid())
                .isEqualTo(deployment.getMetadata().getUid());
        assertThat(monitor.<String>get("spec", "podMetricsEndpoints", 0, "port"))
                .isEqualTo("http");
    }
}
