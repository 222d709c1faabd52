package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Skiff for users without Micrometer: run by the {@code without-micrometer} Surefire execution,
 * whose class path lacks Micrometer (skipped in the ordinary run, which has it for {@link
 * MicrometerMetrics}'s own test).
 */
@EnableKubernetesMockClient(crud = true)
class WithoutMicrometerTest {
    KubernetesClient client;

    @BeforeEach
    void onlyWithoutMicrometer() {
        assumeThat(Boolean.getBoolean("skiff.test.withoutMicrometer"))
                .as("run by the without-micrometer execution")
                .isTrue();
    }

    @Test
    void micrometerIsNotOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void submittingAndListeningNeedNoMicrometer() {
        List<SkiffEvent> events = new CopyOnWriteArrayList<>();
        try (Skiff skiff = Skiff.using(
                client, SkiffConfig.builder().addListener(events::add).build())) {
            skiff.submit(SkiffEventsTest.nightly("plain", "0 2 * * *"));
            skiff.submit(SkiffEventsTest.nightly("plain", "0 2 * * *"));
        }
        assertThat(events)
                .containsExactly(
                        new SkiffEvent.Submitted(WorkloadKind.SCHEDULED_JOB, "ml", "plain", true),
                        new SkiffEvent.Submitted(WorkloadKind.SCHEDULED_JOB, "ml", "plain", false));
    }
}
