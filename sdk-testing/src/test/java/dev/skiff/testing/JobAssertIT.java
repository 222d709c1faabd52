package dev.skiff.testing;

import static dev.skiff.testing.SkiffAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link JobAssert} on Jobs that really ran on an in-memory cluster. */
@SkiffTest
class JobAssertIT {
    static final Map<String, String> FAIL_WITH_3 = Map.of(
            "pod-container-running-failed.stage.kwok.x-k8s.io", "true",
            "pod-container-running-failed.stage.kwok.x-k8s.io/exit-code", "3");

    @BeforeAll
    static void submitJobs(KubernetesClient client) {
        var jobs = client.batch().v1().jobs().inNamespace("default");
        jobs.resource(ControllersIT.job("done", 3, Map.of())).create();
        jobs.resource(ControllersIT.job("crash", 1, FAIL_WITH_3)).create();
        Job paused = ControllersIT.job("paused", 1, Map.of());
        paused.getSpec().setSuspend(true);
        jobs.resource(paused).create();
    }

    @Test
    void aCompletedJobPassesItsAssertions(InMemoryCluster cluster) {
        assertThat(cluster)
                .job("default", "done")
                .isComplete()
                .hasCondition("Complete")
                .hasSucceededPods(3)
                .hasFailedPods(0);
    }

    @Test
    void aFailedJobPassesItsAssertions(InMemoryCluster cluster) {
        assertThat(cluster)
                .job("default", "crash")
                .hasFailed()
                .hasFailedWithReason("BackoffLimitExceeded")
                .hasCondition("Failed")
                .hasFailedPods(1)
                .hasSucceededPods(0);
    }

    @Test
    void aSuspendedJobIsSuspended(InMemoryCluster cluster) {
        assertThat(cluster).job("default", "paused").isSuspended();
    }

    @Test
    void isCompleteOnAFailedJobSaysWhatTheConditionsWere(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).job("default", "crash").isComplete())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting Job default/crash to be complete (condition Complete=True)")
                .hasMessageContaining("Failed=True (BackoffLimitExceeded")
                .hasMessageContaining("failed 1");
    }

    @Test
    void hasFailedOnACompletedJobSaysWhatTheConditionsWere(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).job("default", "done").hasFailed())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting Job default/done to have failed (condition Failed=True)")
                .hasMessageContaining("Complete=True");
    }

    @Test
    void hasFailedWithAnotherReasonNamesBothReasons(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).job("default", "crash").hasFailedWithReason("DeadlineExceeded"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have failed with reason DeadlineExceeded")
                .hasMessageContaining("BackoffLimitExceeded");
    }

    @Test
    void wrongPodCountsSayTheExpectedAndActualCounts(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).job("default", "done").hasSucceededPods(5))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have 5 succeeded pods, but it had 3");
        assertThatThrownBy(() -> assertThat(cluster).job("default", "done").hasFailedPods(2))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have 2 failed pods, but it had 0");
    }

    @Test
    void aMissingConditionIsNamed(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).job("default", "paused").hasCondition("Complete"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have the condition Complete=True");
    }

    @Test
    void isSuspendedOnARunningJobSaysSpecSuspend(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).job("default", "done").isSuspended())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting Job default/done to be suspended (spec.suspend: true)");
    }

    @Test
    void aMissingJobFailsNamingTheJobsThatExist(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).job("default", "nope").isComplete())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting Job default/nope to exist, but it does not")
                .hasMessageContaining("crash")
                .hasMessageContaining("done");
    }
}
