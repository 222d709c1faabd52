package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.Outcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.assertj.core.api.SoftAssertionsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SkiffSoftAssertions} collects failures across Skiff's assertions, navigation included. */
@SkiffTest
class SkiffSoftAssertionsIT {
    @BeforeAll
    static void submitAJob(KubernetesClient client) {
        client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .resource(ControllersIT.job("done", 2, Map.of()))
                .create();
    }

    @Test
    void everyFailureIsCollectedAndReportedTogether(InMemoryCluster cluster) {
        SkiffSoftAssertions softly = new SkiffSoftAssertions();
        softly.assertThat(cluster)
                .job("default", "done")
                .hasFailed()
                .hasSucceededPods(7)
                .isComplete();
        softly.assertThat(cluster)
                .podsOf("default", "done")
                .hasSize(2)
                .pod("nope")
                .isRunning();
        softly.assertThat(cluster).events("default").hasEventWithReason("BackOff");
        softly.assertThat(cluster).node("node-9").isReady();
        softly.assertThat(new Outcome.Cancelled("default/x")).succeeded();
        softly.assertThat(1).isEqualTo(2);

        assertThat(softly.errorsCollected()).hasSize(7);
        assertThatThrownBy(softly::assertAll)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Multiple Failures (7 failures)")
                .hasMessageContaining("Expecting Job default/done to have failed (condition Failed=True)")
                .hasMessageContaining("to have 7 succeeded pods, but it had 2")
                .hasMessageContaining("Expecting pod nope among pods of Job default/done to exist")
                .hasMessageContaining("contain an event with reason BackOff")
                .hasMessageContaining("Expecting node node-9 to exist")
                .hasMessageContaining("to have succeeded, but it was Cancelled");
    }

    @Test
    void passingSoftAssertionsReportNothing(InMemoryCluster cluster) {
        SoftAssertionsProvider.assertSoftly(SkiffSoftAssertions.class, softly -> {
            softly.assertThat(cluster).job("default", "done").isComplete().hasSucceededPods(2);
            softly.assertThat(cluster).podsOf("default", "done").allSucceeded();
            softly.assertThat(cluster).node("node-1").isReady();
            softly.assertThat(new Outcome.Succeeded("default/done", 2)).succeeded();
        });
    }
}
