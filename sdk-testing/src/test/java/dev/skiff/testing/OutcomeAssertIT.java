package dev.skiff.testing;

import static dev.skiff.testing.SkiffAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.Skiff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link OutcomeAssert} on outcomes of jobs submitted through Skiff. */
@SkiffTest(lifecycle = SkiffTest.Lifecycle.PER_METHOD)
class OutcomeAssertIT {
    static final Duration WAIT = Duration.ofSeconds(20);

    static BatchJob.Builder job(String name) {
        return BatchJob.builder().name(name).container(Container.of("ghcr.io/acme/trainer:1.4"));
    }

    @Test
    void aJobThatCompletesSucceeded(Skiff skiff) {
        Outcome outcome = skiff.submit(job("ok").build()).await(WAIT);
        assertThat(outcome).succeeded();
    }

    @Test
    void aJobWhosePodFailsFailedWithBackoffLimitExceeded(Skiff skiff) {
        Outcome outcome = skiff.submit(job("crash")
                        .backoffLimit(0)
                        .putPodAnnotation("pod-container-running-failed.stage.kwok.x-k8s.io", "true")
                        .putPodAnnotation("pod-container-running-failed.stage.kwok.x-k8s.io/exit-code", "3")
                        .build())
                .await(WAIT);
        assertThat(outcome).failed().failedWithReason("BackoffLimitExceeded");
    }

    @Test
    void aJobPastItsActiveDeadlineExceededIt(InMemoryCluster cluster, Skiff skiff) {
        JobHandle handle = skiff.submit(job("slow")
                .activeDeadline(Duration.ofMinutes(1))
                .putPodAnnotation("pod-complete.stage.kwok.x-k8s.io/delay", "30m")
                .build());
        cluster.advanceClock(Duration.ofMinutes(2));
        assertThat(handle.await(WAIT)).exceededDeadline();
    }

    @Test
    void aJobDeletedWhileAwaitedWasCancelled(Skiff skiff) throws Exception {
        JobHandle handle = skiff.submit(job("cancel")
                .putPodAnnotation("pod-complete.stage.kwok.x-k8s.io/delay", "30m")
                .build());
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> handle.await(WAIT));
        Thread.sleep(1_000); // let await find the Job before it goes
        handle.cancel();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).wasCancelled();
    }

    @Test
    void succeededOnAFailureGivesTheExplanation() {
        Outcome failed = new Outcome.Failed("default/crash", "BackoffLimitExceeded", "too many", 1, List.of());
        assertThatThrownBy(() -> assertThat(failed).succeeded())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the job to have succeeded, but it was Failed: "
                        + "Job default/crash failed: BackoffLimitExceeded: too many (1 pods failed).");
    }

    @Test
    void failedWithAnotherReasonNamesBoth() {
        Outcome failed = new Outcome.Failed("default/crash", "PodFailurePolicy", "", 1, List.of());
        assertThatThrownBy(() -> assertThat(failed).failedWithReason("BackoffLimitExceeded"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting default/crash to have failed with reason BackoffLimitExceeded,"
                        + " but it failed with reason PodFailurePolicy");
    }

    @Test
    void failedWithReasonOnASuccessSaysItSucceeded() {
        assertThatThrownBy(
                        () -> assertThat(new Outcome.Succeeded("default/ok", 1)).failedWithReason("X"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have failed with reason X, but it was Succeeded: Job default/ok succeeded");
    }

    @Test
    void eachOtherKindOfOutcomeFailsTheWrongAssertion() {
        assertThatThrownBy(
                        () -> assertThat(new Outcome.Succeeded("default/ok", 1)).failed())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have failed, but it was Succeeded");
        assertThatThrownBy(() -> assertThat(new Outcome.Cancelled("default/c")).exceededDeadline())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "to have exceeded its deadline, but it was Cancelled: Job default/c was cancelled");
        assertThatThrownBy(() -> assertThat(new Outcome.DeadlineExceeded("default/d", "late"))
                        .wasCancelled())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have been cancelled, but it was DeadlineExceeded: Job default/d exceeded");
    }

    @Test
    void aNullOutcomeFails() {
        assertThatThrownBy(() -> assertThat((Outcome) null).succeeded())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but the outcome was null");
    }
}
