package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void theDefaultPathIsSlashMetrics() {
        assertThat(Metrics.on(9090).path()).isEqualTo("/metrics");
        assertThat(Metrics.on(9090).path("/stats").path()).isEqualTo("/stats");
        assertThat(Metrics.on(9090)).isEqualTo(Metrics.on(9090).path("/metrics"));
    }

    @Test
    void portAndPathAreChecked() {
        assertThatThrownBy(() -> Metrics.on(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics port must be between 1 and 65535: 0");
        assertThatThrownBy(() -> Metrics.on(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.on(9090).path("metrics"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics path must start with '/': metrics");
    }

    @Test
    void anUnnamedPortOfTheSameNumberIsNamedMetricsAndNotDuplicated() {
        BatchJob job = BatchJob.builder()
                .name("train")
                .container(Container.of("trainer:1").withPorts(Port.of(9090)))
                .addTraits(Metrics.on(9090))
                .build();

        List<HasMetadata> objects = Skiff.render(job);

        var ports = ((Job) objects.get(0))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getPorts();
        assertThat(ports).hasSize(1);
        assertThat(ports.get(0).getName()).isEqualTo("metrics");
        assertThat(ports.get(0).getContainerPort()).isEqualTo(9090);
        GenericKubernetesResource monitor = (GenericKubernetesResource) objects.get(1);
        assertThat(monitor.<String>get("spec", "podMetricsEndpoints", 0, "port"))
                .isEqualTo("metrics");
    }

    @Test
    void thePodMonitorSelectsExactlyTheWorkloadsPods() {
        List<HasMetadata> objects = Skiff.render(Workloads.jobWithMetrics());

        Job job = (Job) objects.get(0);
        GenericKubernetesResource monitor = (GenericKubernetesResource) objects.get(1);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getKind()).isEqualTo("PodMonitor");
        assertThat(monitor.getMetadata().getName()).isEqualTo("finetune");
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(selector).containsEntry("app.kubernetes.io/instance", "finetune");
    }
}
