package dev.skiff.testing.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobReconcilerTest {

    private static JobHarness harness(Job job) {
        return new JobHarness(job);
    }

    @Test
    void fourParallelPodsSucceedAndTheJobCompletes() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(4)
                .withCompletions(4)
                .endSpec()));

        h.settle();

        assertThat(h.activePods()).hasSize(4);
        assertThat(h.active()).isEqualTo(4);
        assertThat(h.status().getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(h.status().getReady()).isZero();
        assertThat(h.status().getTerminating()).isZero();
        assertThat(h.eventReasons())
                .containsExactly("SuccessfulCreate", "SuccessfulCreate", "SuccessfulCreate", "SuccessfulCreate");
        assertThat(h.events.get(0).message())
                .isEqualTo("Created pod: " + h.name(h.pods().get(0)));

        h.runAll();
        h.settle();
        assertThat(h.status().getReady()).isEqualTo(4);

        h.advance(Duration.ofMinutes(1));
        for (Pod pod : h.pods()) {
            h.succeed(h.name(pod));
        }
        h.settle();

        assertThat(h.succeeded()).isEqualTo(4);
        assertThat(h.active()).isZero();
        assertThat(h.conditionTypes()).containsExactly("SuccessCriteriaMet", "Complete");
        JobCondition complete = h.condition("Complete");
        assertThat(complete.getStatus()).isEqualTo("True");
        assertThat(complete.getReason()).isEqualTo("CompletionsReached");
        assertThat(complete.getMessage()).isEqualTo("Reached expected number of succeeded pods");
        assertThat(complete.getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(h.condition("SuccessCriteriaMet").getReason()).isEqualTo("CompletionsReached");
        assertThat(h.status().getCompletionTime()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(h.events.get(h.events.size() - 1)).isEqualTo(new JobEvent("Normal", "Completed", "Job completed"));
        assertThat(h.pods())
                .allSatisfy(p ->
                        assertThat(p.getMetadata().getFinalizers()).doesNotContain(JobReconciler.TRACKING_FINALIZER));
        assertThat(h.status().getUncountedTerminatedPods().getSucceeded()).isEmpty();
    }

    @Test
    void keepsNoMorePodsActiveThanCompletionsStillNeeded() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(3)
                .withCompletions(4)
                .endSpec()));
        h.settle();
        h.runAll();
        List<Pod> first = h.activePods();

        h.succeed(h.name(first.get(0)));
        h.succeed(h.name(first.get(1)));
        h.settle();

        // 4 - 2 succeeded = 2 wanted; one is still running, so one more is created.
        assertThat(h.activePods()).hasSize(2);
        assertThat(h.created).hasSize(4);
        assertThat(h.succeeded()).isEqualTo(2);
    }

    @Test
    void deletesExcessPodsWhenParallelismIsLowered() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(3)
                .withCompletions(6)
                .endSpec()));
        h.settle();
        List<Pod> pods = h.activePods();
        h.run(h.name(pods.get(0)));
        h.run(h.name(pods.get(1)));

        h.job().getSpec().setParallelism(1);
        h.settle();

        // The pending pod goes first, then one of the running ones.
        assertThat(h.deletions).hasSize(2).allMatch(d -> d.reason() == PodDeletion.Reason.EXCESS);
        assertThat(h.deletions.get(0).name()).isEqualTo(h.name(pods.get(2)));
        assertThat(h.activePods()).hasSize(1);
        assertThat(JobPods.phase(h.activePods().get(0))).isEqualTo("Running");
        assertThat(h.status().getTerminating()).isEqualTo(2);
        assertThat(h.failed())
                .as("pods the Job no longer wants are not failures")
                .isZero();
    }

    @Test
    void createsCompletePodsOwnedByTheJob() {
        Job job = TestJobs.defaulted(TestJobs.job("train"));
        JobSync sync = JobReconciler.reconcile(job, List.of(), JobHarness.T0, new Random(1));

        assertThat(sync.podsToCreate()).hasSize(1);
        Pod pod = sync.podsToCreate().get(0);
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("app", "train")
                .containsEntry("batch.kubernetes.io/controller-uid", TestJobs.UID)
                .containsEntry("batch.kubernetes.io/job-name", "train")
                .containsEntry("controller-uid", TestJobs.UID)
                .containsEntry("job-name", "train");
        assertThat(pod.getMetadata().getFinalizers()).containsExactly("batch.kubernetes.io/job-tracking");
        OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getApiVersion()).isEqualTo("batch/v1");
        assertThat(owner.getKind()).isEqualTo("Job");
        assertThat(owner.getName()).isEqualTo("train");
        assertThat(owner.getUid()).isEqualTo(TestJobs.UID);
        assertThat(owner.getController()).isTrue();
        assertThat(owner.getBlockOwnerDeletion()).isTrue();
        assertThat(pod.getSpec()).isEqualTo(job.getSpec().getTemplate().getSpec());
        assertThat(pod.getSpec()).isNotSameAs(job.getSpec().getTemplate().getSpec());
        assertThat(sync.requeueAt()).isEmpty();
    }

    @Test
    void namesPodsFromASeededRandomSuffix() {
        Job job = TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(5)
                .withCompletions(5)
                .endSpec());

        List<String> first = names(JobReconciler.reconcile(job, List.of(), JobHarness.T0, new Random(7)));
        List<String> again = names(JobReconciler.reconcile(job, List.of(), JobHarness.T0, new Random(7)));
        List<String> other = names(JobReconciler.reconcile(job, List.of(), JobHarness.T0, new Random(8)));

        assertThat(first).isEqualTo(again).isNotEqualTo(other).doesNotHaveDuplicates();
        assertThat(first).allMatch(n -> n.matches("train-[bcdfghjklmnpqrstvwxz2456789]{5}"));
    }

    @Test
    void cutsALongJobNameSoTheGeneratedPrefixKeeps58Characters() {
        String longName = "a".repeat(63);
        Job job = TestJobs.defaulted(TestJobs.job(longName));

        String name = names(JobReconciler.reconcile(job, List.of(), JobHarness.T0, new Random(1)))
                .get(0);

        assertThat(name).hasSize(63).startsWith("a".repeat(58));
        assertThat(name.substring(58)).matches("[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(JobReconciler.indexedPrefix(longName, 12)).isEqualTo("a".repeat(54) + "-12-");
        assertThat(JobReconciler.indexedPrefix("short", 3)).isEqualTo("short-3-");
    }

    @Test
    void exceedingBackoffLimitFailsTheJobAfterBackoffDelays() {
        JobHarness h = harness(TestJobs.defaulted(
                TestJobs.job("train").editSpec().withBackoffLimit(2).endSpec()));
        h.settle();

        h.fail(h.name(h.activePods().get(0)), 1);
        h.settle();
        assertThat(h.failed()).isEqualTo(1);
        assertThat(h.activePods()).as("no replacement during the backoff").isEmpty();
        assertThat(h.requeueAt()).contains(h.now().plusSeconds(10));

        Instant retry = h.advanceToRequeue();
        assertThat(h.activePods()).hasSize(1);
        h.fail(h.name(h.activePods().get(0)), 1);
        h.settle();
        assertThat(h.requeueAt()).contains(retry.plusSeconds(20));

        h.advanceToRequeue();
        h.fail(h.name(h.activePods().get(0)), 1);
        h.settle();

        assertThat(h.failed()).isEqualTo(3);
        assertThat(h.conditionTypes()).containsExactly("FailureTarget", "Failed");
        JobCondition failed = h.condition("Failed");
        assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        assertThat(h.condition("FailureTarget").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(h.status().getCompletionTime()).isNull();
        assertThat(h.events)
                .contains(
                        new JobEvent("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
        assertThat(h.created).hasSize(3);
    }

    @Test
    void backoffDoublesFromTenSecondsUpToTenMinutes() {
        JobHarness h = harness(TestJobs.defaulted(
                TestJobs.job("train").editSpec().withBackoffLimit(10).endSpec()));
        h.settle();
        for (long expected : new long[] {10, 20, 40}) {
            h.fail(h.name(h.activePods().get(0)), 1);
            Instant failedAt = h.now();
            h.settle();
            assertThat(h.requeueAt()).contains(failedAt.plusSeconds(expected));
            h.advanceToRequeue();
        }
        assertThat(PodBackoff.delayFor(6)).isEqualTo(Duration.ofSeconds(320));
        assertThat(PodBackoff.delayFor(7)).isEqualTo(Duration.ofMinutes(10));
        assertThat(PodBackoff.delayFor(30)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aFailureBeyondTheLimitDeletesRunningPodsAndFailsOnceTheyAreGone() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(2)
                .withCompletions(2)
                .withBackoffLimit(0)
                .endSpec()));
        h.settle();
        h.runAll();
        List<Pod> pods = h.activePods();

        h.fail(h.name(pods.get(0)), 2);
        h.settle();

        assertThat(h.deletions).containsExactly(new PodDeletion(h.name(pods.get(1)), PodDeletion.Reason.JOB_FAILED));
        assertThat(h.conditionTypes()).containsExactly("FailureTarget");
        assertThat(h.status().getTerminating()).isEqualTo(1);
        assertThat(h.failed()).as("the deleted running pod counts as failed").isEqualTo(2);

        h.finishTerminations();
        h.settle();

        assertThat(h.conditionTypes()).containsExactly("FailureTarget", "Failed");
        assertThat(h.status().getTerminating()).isZero();
        assertThat(h.failed()).isEqualTo(2);
        assertThat(h.pods()).as("pods without finalizer leave once terminated").hasSize(1);
    }

    @Test
    void onFailureContainerRestartsCountTowardTheBackoffLimit() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withBackoffLimit(2)
                .editTemplate()
                .editSpec()
                .withRestartPolicy("OnFailure")
                .endSpec()
                .endTemplate()
                .endSpec()));
        h.settle();
        String pod = h.name(h.activePods().get(0));
        h.run(pod);

        h.restartContainer(pod);
        h.settle();
        assertThat(h.conditions()).isEmpty();

        h.restartContainer(pod);
        h.settle();

        // Restarts are compared with >= (failed pods with >): 2 restarts reach backoffLimit 2.
        assertThat(h.condition("FailureTarget").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(h.deletions).containsExactly(new PodDeletion(pod, PodDeletion.Reason.JOB_FAILED));
        h.finishTerminations();
        h.settle();
        assertThat(h.condition("Failed").getReason()).isEqualTo("BackoffLimitExceeded");
    }

    @Test
    void activeDeadlineFailsTheJobAndDeletesItsPods() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(2)
                .withCompletions(2)
                .withActiveDeadlineSeconds(60L)
                .endSpec()));
        h.settle();
        h.runAll();
        assertThat(h.requeueAt()).contains(JobHarness.T0.plusSeconds(60));

        h.advanceToRequeue();

        assertThat(h.condition("FailureTarget").getReason()).isEqualTo("DeadlineExceeded");
        assertThat(h.condition("FailureTarget").getMessage())
                .isEqualTo("Job was active longer than specified deadline");
        assertThat(h.deletions).hasSize(2).allMatch(d -> d.reason() == PodDeletion.Reason.JOB_FAILED);
        assertThat(h.conditionTypes()).doesNotContain("Failed");

        h.finishTerminations();
        h.settle();

        assertThat(h.conditionTypes()).containsExactly("FailureTarget", "Failed");
        assertThat(h.condition("Failed").getReason()).isEqualTo("DeadlineExceeded");
        assertThat(h.events)
                .contains(new JobEvent("Warning", "DeadlineExceeded", "Job was active longer than specified deadline"));
        assertThat(h.requeueAt()).isEmpty();
    }

    @Test
    void suspendingDeletesActivePodsAndResumingRestartsTheClock() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(2)
                .withCompletions(4)
                .withActiveDeadlineSeconds(600L)
                .endSpec()));
        h.settle();
        h.runAll();
        h.advance(Duration.ofMinutes(2));

        h.suspend(true);
        h.settle();

        assertThat(h.deletions).hasSize(2).allMatch(d -> d.reason() == PodDeletion.Reason.SUSPENDED);
        assertThat(h.pods())
                .allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).isEmpty());
        JobCondition suspended = h.condition("Suspended");
        assertThat(suspended.getStatus()).isEqualTo("True");
        assertThat(suspended.getReason()).isEqualTo("JobSuspended");
        assertThat(suspended.getMessage()).isEqualTo("Job suspended");
        assertThat(h.events).contains(new JobEvent("Normal", "Suspended", "Job suspended"));
        assertThat(h.active()).isZero();
        assertThat(h.status().getTerminating()).isEqualTo(2);
        assertThat(h.requeueAt()).as("no deadline while suspended").isEmpty();
        assertThat(h.status().getStartTime()).as("cleared on suspension").isNull();

        h.finishTerminations();
        h.settle();
        assertThat(h.pods()).isEmpty();
        assertThat(h.failed()).as("pods of a suspended Job are not failures").isZero();

        h.advance(Duration.ofMinutes(3));
        h.suspend(false);
        h.settle();

        JobCondition resumed = h.condition("Suspended");
        assertThat(resumed.getStatus()).isEqualTo("False");
        assertThat(resumed.getReason()).isEqualTo("JobResumed");
        assertThat(resumed.getMessage()).isEqualTo("Job resumed");
        assertThat(h.events).contains(new JobEvent("Normal", "Resumed", "Job resumed"));
        assertThat(h.status().getStartTime()).isEqualTo("2026-01-01T00:05:00Z");
        assertThat(h.activePods()).hasSize(2);
        assertThat(h.requeueAt()).contains(Instant.parse("2026-01-01T00:15:00Z"));
    }

    @Test
    void resumingAfterTheOriginalDeadlineStartsTheDeadlineAfresh() {
        JobHarness h = harness(TestJobs.defaulted(
                TestJobs.job("train").editSpec().withActiveDeadlineSeconds(600L).endSpec()));
        h.settle();
        h.suspend(true);
        h.settle();
        h.finishTerminations();
        h.advance(Duration.ofMinutes(11));

        h.suspend(false);
        h.settle();

        // 1.36 clears startTime when the Job is suspended: there is no old deadline to miss.
        assertThat(h.conditionTypes()).doesNotContain("Failed");
        assertThat(h.status().getStartTime()).isEqualTo("2026-01-01T00:11:00Z");
        assertThat(h.activePods()).hasSize(1);
        assertThat(h.requeueAt()).contains(Instant.parse("2026-01-01T00:21:00Z"));
    }

    @Test
    void indexedAndNonIndexedPodsKeepTheirGenerateName() {
        JobHarness plain = harness(TestJobs.defaulted(TestJobs.job("train")));
        plain.settle();
        assertThat(plain.pods()).singleElement().satisfies(p -> {
            assertThat(p.getMetadata().getGenerateName()).isEqualTo("train-");
            assertThat(p.getMetadata().getName()).startsWith("train-");
        });
        JobHarness indexed = harness(TestJobs.defaulted(TestJobs.job("ranks")
                .editSpec()
                .withCompletionMode("Indexed")
                .withCompletions(2)
                .withParallelism(2)
                .endSpec()));
        indexed.settle();
        assertThat(indexed.pods())
                .extracting(p -> p.getMetadata().getGenerateName())
                .containsExactlyInAnyOrder("ranks-0-", "ranks-1-");
    }

    @Test
    void aJobCreatedSuspendedHasNoStartTimeAndNoPods() {
        JobHarness h = harness(TestJobs.defaulted(
                TestJobs.job("train").editSpec().withSuspend(true).endSpec()));

        h.settle();

        assertThat(h.pods()).isEmpty();
        assertThat(h.status().getStartTime()).isNull();
        assertThat(h.condition("Suspended").getStatus()).isEqualTo("True");
    }

    @Test
    void terminatingOrFailedReplacesADeletedPodWhileItIsStillTerminating() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")));
        h.settle();
        String victim = h.name(h.activePods().get(0));
        h.run(victim);

        h.deleteByUser(victim);
        h.settle();

        assertThat(h.failed()).as("a terminating pod counts as failed at once").isEqualTo(1);
        assertThat(h.pod(victim).getMetadata().getFinalizers()).isEmpty();
        assertThat(h.pod(victim).getMetadata().getDeletionTimestamp())
                .as("still terminating")
                .isNotNull();
        assertThat(h.status().getTerminating()).isEqualTo(1);
        // Its failure time is the deletion minus the 30 s grace period, so the 10 s backoff is over.
        assertThat(h.activePods()).hasSize(1);
        assertThat(h.created).hasSize(2);
    }

    @Test
    void podReplacementPolicyFailedWaitsUntilTheDeletedPodHasFailed() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withPodReplacementPolicy("Failed")
                .endSpec()));
        h.settle();
        String victim = h.name(h.activePods().get(0));
        h.run(victim);

        h.deleteByUser(victim);
        h.settle();

        assertThat(h.failed()).isZero();
        assertThat(h.status().getTerminating()).isEqualTo(1);
        assertThat(h.activePods()).isEmpty();
        assertThat(h.requeueAt()).isEmpty();

        h.advance(Duration.ofSeconds(5));
        h.finishTerminations();
        h.settle();
        assertThat(h.failed()).isEqualTo(1);
        assertThat(h.status().getTerminating()).isZero();
        assertThat(h.pods()).as("the counted pod is gone").isEmpty();
        assertThat(h.activePods()).as("the backoff still holds the replacement").isEmpty();

        assertThat(h.advanceToRequeue()).isEqualTo(JobHarness.T0.plusSeconds(15));
        assertThat(h.activePods()).hasSize(1);
    }

    @Test
    void workQueueJobCompletesOnceAPodSucceededAndNoneIsActive() {
        JobHarness h = harness(TestJobs.defaulted(
                TestJobs.job("queue").editSpec().withParallelism(3).endSpec()));
        h.settle();
        h.runAll();
        List<Pod> pods = h.activePods();
        assertThat(pods).hasSize(3);

        h.succeed(h.name(pods.get(0)));
        h.settle();
        assertThat(h.activePods())
                .as("no new pods after a success; the others keep running")
                .hasSize(2);
        assertThat(h.conditions()).isEmpty();

        h.succeed(h.name(pods.get(1)));
        h.fail(h.name(pods.get(2)), 1);
        h.settle();

        assertThat(h.conditionTypes()).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(h.succeeded()).isEqualTo(2);
        assertThat(h.failed()).isEqualTo(1);
        assertThat(h.created).hasSize(3);
    }

    @Test
    void aFinishedJobChangesNothing() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")));
        h.settle();
        h.succeed(h.name(h.activePods().get(0)));
        h.settle();
        assertThat(h.conditionTypes()).contains("Complete");

        h.job().getSpec().setParallelism(5);
        JobSync sync = h.syncOnce();

        assertThat(sync.changesNothing()).isTrue();
        assertThat(sync.requeueAt()).isEmpty();
    }

    @Test
    void reportsNoStatusWhenNothingChanged() {
        JobHarness h = harness(TestJobs.defaulted(TestJobs.job("train")));
        h.settle();

        JobSync again = h.syncOnce();

        assertThat(again.status()).isNull();
        assertThat(again.changesNothing()).isTrue();
    }

    @Test
    void doesNotTouchTheJobOrPodsItIsGiven() {
        Job job = TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withCompletionMode("Indexed")
                .withCompletions(2)
                .withParallelism(2)
                .endSpec());
        String before = job.toString();

        JobReconciler.reconcile(job, List.of(), JobHarness.T0, new Random(3));

        assertThat(job).hasToString(before);
    }

    private static List<String> names(JobSync sync) {
        return sync.podsToCreate().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toList());
    }
}
