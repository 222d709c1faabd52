package dev.skiff.conformance;

import static dev.skiff.conformance.ScenarioKit.WAIT;
import static dev.skiff.conformance.ScenarioKit.awaitCondition;
import static dev.skiff.conformance.ScenarioKit.condition;
import static dev.skiff.conformance.ScenarioKit.create;
import static dev.skiff.conformance.ScenarioKit.editJob;
import static dev.skiff.conformance.ScenarioKit.eventMessages;
import static dev.skiff.conformance.ScenarioKit.failing;
import static dev.skiff.conformance.ScenarioKit.finishPod;
import static dev.skiff.conformance.ScenarioKit.get;
import static dev.skiff.conformance.ScenarioKit.hasCondition;
import static dev.skiff.conformance.ScenarioKit.index;
import static dev.skiff.conformance.ScenarioKit.indexed;
import static dev.skiff.conformance.ScenarioKit.job;
import static dev.skiff.conformance.ScenarioKit.node;
import static dev.skiff.conformance.ScenarioKit.orZero;
import static dev.skiff.conformance.ScenarioKit.pass;
import static dev.skiff.conformance.ScenarioKit.podCondition;
import static dev.skiff.conformance.ScenarioKit.pods;
import static dev.skiff.conformance.ScenarioKit.running;
import static dev.skiff.conformance.ScenarioKit.runningPods;
import static dev.skiff.conformance.ScenarioKit.withPodAnnotations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Job controller on both targets: per-index backoff, pod failure and success policies, pod
 * replacement, parallelism, suspension, deadlines, TTL, elastic indexed Jobs, {@code managedBy}, the
 * pods' metadata, and releasing pods. Each scenario states what both targets must show.
 */
class JobControllerScenarios {
    static Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    private static JobCondition cond(Target t, String job, String type) {
        return condition(get(t, job), type).orElseThrow();
    }

    private static void awaitRunning(Target t, String job, int count) {
        t.await(
                count + " running pods of " + job,
                WAIT,
                () -> runningPods(t, job).size() == count);
    }

    private static Pod runningIndex(Target t, String job, String ix) {
        return runningPods(t, job).stream()
                .filter(p -> ix.equals(index(p)))
                .findFirst()
                .orElseThrow();
    }

    private static PodFailurePolicy policy(String action, Integer exitCode, String podCondition) {
        var rule = new PodFailurePolicyBuilder().addNewRule().withAction(action);
        if (exitCode != null) {
            rule.withNewOnExitCodes().withOperator("In").withValues(exitCode).endOnExitCodes();
        } else {
            rule.addNewOnPodCondition()
                    .withType(podCondition)
                    .withStatus("True")
                    .endOnPodCondition();
        }
        return rule.endRule().build();
    }

    @ParameterizedTest(name = "[{0}] job/backoffLimitPerIndex: every index fails, FailedIndexes")
    @MethodSource("kinds")
    void everyIndexFails(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = failing(indexed(job("ix", 2, 2)));
            j.getSpec().setBackoffLimit(null);
            j.getSpec().setBackoffLimitPerIndex(0);
            create(t, j);
            awaitCondition(t, "ix", "Failed");
            Job done = get(t, "ix");
            assertThat(done.getStatus().getFailedIndexes()).isEqualTo("0,1");
            assertThat(done.getStatus().getFailed()).isEqualTo(2);
            assertThat(orZero(done.getStatus().getSucceeded())).isZero();
            JobCondition failed = cond(t, "ix", "Failed");
            assertThat(failed.getReason()).isEqualTo("FailedIndexes");
            assertThat(failed.getMessage()).isEqualTo("Job has failed indexes");
            assertThat(cond(t, "ix", "FailureTarget").getReason()).isEqualTo("FailedIndexes");
        }
    }

    @ParameterizedTest(name = "[{0}] job/maxFailedIndexes exceeded: MaxFailedIndexesExceeded")
    @MethodSource("kinds")
    void maxFailedIndexes(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = failing(indexed(job("mx", 3, 1)));
            j.getSpec().setBackoffLimit(null);
            j.getSpec().setBackoffLimitPerIndex(0);
            j.getSpec().setMaxFailedIndexes(0);
            create(t, j);
            awaitCondition(t, "mx", "Failed");
            Job done = get(t, "mx");
            JobCondition failed = cond(t, "mx", "Failed");
            assertThat(failed.getReason()).isEqualTo("MaxFailedIndexesExceeded");
            assertThat(failed.getMessage())
                    .isEqualTo("Job has exceeded the specified maximal number of failed indexes");
            assertThat(done.getStatus().getFailedIndexes()).isEqualTo("0");
            assertThat(done.getStatus().getFailed()).isEqualTo(1);
            // parallelism 1: indexes 1 and 2 never started
            assertThat(pods(t, "mx")).hasSize(1);
        }
    }

    @ParameterizedTest(name = "[{0}] job/backoffLimitPerIndex 1: a failed index is retried with its failure count")
    @MethodSource("kinds")
    void failedIndexRetried(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(indexed(job("retry", 2, 2)));
            j.getSpec().setBackoffLimit(null);
            j.getSpec().setBackoffLimitPerIndex(1);
            create(t, j);
            awaitRunning(t, "retry", 2);
            finishPod(t, runningIndex(t, "retry", "1"), "Failed", 1);
            // the replacement of index 1 comes after the per-index backoff (10 s at the first failure)
            t.await("index 1 replaced", WAIT, () -> runningPods(t, "retry").size() == 2);
            Pod replacement = runningIndex(t, "retry", "1");
            assertThat(replacement.getMetadata().getAnnotations())
                    .containsEntry("batch.kubernetes.io/job-index-failure-count", "1");
            assertThat(runningIndex(t, "retry", "0").getMetadata().getAnnotations())
                    .containsEntry("batch.kubernetes.io/job-index-failure-count", "0");
            for (Pod p : runningPods(t, "retry")) {
                finishPod(t, p, "Succeeded", 0);
            }
            awaitCondition(t, "retry", "Complete");
            Job done = get(t, "retry");
            assertThat(done.getStatus().getFailed()).isEqualTo(1);
            assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
            assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0,1");
            assertThat(done.getStatus().getFailedIndexes()).isEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}] job/backoffLimitPerIndex 0: one failed index fails the Job after the others")
    @MethodSource("kinds")
    void oneIndexFails(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(indexed(job("one", 3, 3)));
            j.getSpec().setBackoffLimit(null);
            j.getSpec().setBackoffLimitPerIndex(0);
            create(t, j);
            awaitRunning(t, "one", 3);
            finishPod(t, runningIndex(t, "one", "1"), "Failed", 1);
            t.await(
                    "failedIndexes 1",
                    WAIT,
                    () -> "1".equals(get(t, "one").getStatus().getFailedIndexes()));
            assertThat(hasCondition(get(t, "one"), "Failed")).isFalse();
            for (Pod p : runningPods(t, "one")) {
                finishPod(t, p, "Succeeded", 0);
            }
            awaitCondition(t, "one", "Failed");
            Job done = get(t, "one");
            assertThat(cond(t, "one", "Failed").getReason()).isEqualTo("FailedIndexes");
            assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0,2");
            assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
            assertThat(done.getStatus().getFailed()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] job/pod failure policy FailJob: condition message names container and rule")
    @MethodSource("kinds")
    void failJobMessage(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = withPodAnnotations(
                    job("fatal", 1, 1), Map.of(ScenarioKit.FAIL, "true", ScenarioKit.FAIL + "/exit-code", "42"));
            j.getSpec().setBackoffLimit(6);
            j.getSpec().setPodFailurePolicy(policy("FailJob", 42, null));
            create(t, j);
            awaitCondition(t, "fatal", "Failed");
            String pod = pods(t, "fatal").get(0).getMetadata().getName();
            JobCondition failed = cond(t, "fatal", "Failed");
            assertThat(failed.getReason()).isEqualTo("PodFailurePolicy");
            assertThat(failed.getMessage())
                    .isEqualTo("Container main for pod " + t.namespace() + "/" + pod
                            + " failed with exit code 42 matching FailJob rule at index 0");
            assertThat(cond(t, "fatal", "FailureTarget").getMessage()).isEqualTo(failed.getMessage());
        }
    }

    @ParameterizedTest(name = "[{0}] job/pod failure policy Ignore on DisruptionTarget: not counted, replaced")
    @MethodSource("kinds")
    void ignoreDisruption(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(job("ign", 1, 1));
            j.getSpec().setPodFailurePolicy(policy("Ignore", null, "DisruptionTarget"));
            create(t, j);
            awaitRunning(t, "ign", 1);
            Pod first = runningPods(t, "ign").get(0);
            finishPod(t, first, "Failed", 137, podCondition("DisruptionTarget", "TerminationByKubelet"));
            t.await(
                    "a replacement",
                    WAIT,
                    () -> runningPods(t, "ign").size() == 1
                            && !runningPods(t, "ign")
                                    .get(0)
                                    .getMetadata()
                                    .getName()
                                    .equals(first.getMetadata().getName()));
            Job now = get(t, "ign");
            assertThat(orZero(now.getStatus().getFailed())).isZero();
            assertThat(hasCondition(now, "Failed")).isFalse();
            assertThat(pods(t, "ign")).hasSize(2);
        }
    }

    @ParameterizedTest(name = "[{0}] job/pod failure policy FailJob on DisruptionTarget condition")
    @MethodSource("kinds")
    void failJobOnCondition(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(job("cond", 1, 1));
            j.getSpec().setBackoffLimit(3);
            j.getSpec().setPodFailurePolicy(policy("FailJob", null, "DisruptionTarget"));
            create(t, j);
            awaitRunning(t, "cond", 1);
            Pod first = runningPods(t, "cond").get(0);
            finishPod(t, first, "Failed", 137, podCondition("DisruptionTarget", "TerminationByKubelet"));
            awaitCondition(t, "cond", "Failed");
            JobCondition failed = cond(t, "cond", "Failed");
            assertThat(failed.getReason()).isEqualTo("PodFailurePolicy");
            assertThat(failed.getMessage())
                    .isEqualTo(
                            "Pod " + t.namespace() + "/" + first.getMetadata().getName()
                                    + " has condition DisruptionTarget matching FailJob rule at index 0");
            assertThat(get(t, "cond").getStatus().getFailed()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] job/pod failure policy Count counts toward backoffLimit")
    @MethodSource("kinds")
    void countRule(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = withPodAnnotations(
                    job("cnt", 1, 1), Map.of(ScenarioKit.FAIL, "true", ScenarioKit.FAIL + "/exit-code", "7"));
            j.getSpec().setPodFailurePolicy(policy("Count", 7, null));
            create(t, j);
            awaitCondition(t, "cnt", "Failed");
            JobCondition failed = cond(t, "cnt", "Failed");
            assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
            assertThat(failed.getMessage()).isEqualTo("Job has reached the specified backoff limit");
            assertThat(get(t, "cnt").getStatus().getFailed()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] job/pod failure policy FailIndex fails only that index")
    @MethodSource("kinds")
    void failIndexRule(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(indexed(job("fi", 2, 2)));
            j.getSpec().setBackoffLimit(null);
            j.getSpec().setBackoffLimitPerIndex(3);
            j.getSpec().setPodFailurePolicy(policy("FailIndex", 42, null));
            create(t, j);
            awaitRunning(t, "fi", 2);
            finishPod(t, runningIndex(t, "fi", "0"), "Failed", 42);
            t.await(
                    "failedIndexes 0",
                    WAIT,
                    () -> "0".equals(get(t, "fi").getStatus().getFailedIndexes()));
            // no replacement for index 0 despite backoffLimitPerIndex 3
            pass(t, Duration.ofSeconds(2));
            assertThat(pods(t, "fi")).hasSize(2);
            finishPod(t, runningIndex(t, "fi", "1"), "Succeeded", 0);
            awaitCondition(t, "fi", "Failed");
            assertThat(cond(t, "fi", "Failed").getReason()).isEqualTo("FailedIndexes");
            assertThat(get(t, "fi").getStatus().getCompletedIndexes()).isEqualTo("1");
        }
    }

    @ParameterizedTest(name = "[{0}] job/success policy succeededIndexes: SuccessPolicy, the rest terminated")
    @MethodSource("kinds")
    void successPolicyIndexes(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(indexed(job("lead", 3, 3)));
            j.getSpec()
                    .setSuccessPolicy(new SuccessPolicyBuilder()
                            .addNewRule()
                            .withSucceededIndexes("0")
                            .endRule()
                            .build());
            create(t, j);
            awaitRunning(t, "lead", 3);
            finishPod(t, runningIndex(t, "lead", "0"), "Succeeded", 0);
            awaitCondition(t, "lead", "Complete");
            Job done = get(t, "lead");
            JobCondition met = cond(t, "lead", "SuccessCriteriaMet");
            assertThat(met.getReason()).isEqualTo("SuccessPolicy");
            assertThat(met.getMessage()).isEqualTo("Matched rules at index 0");
            JobCondition complete = cond(t, "lead", "Complete");
            assertThat(complete.getReason()).isEqualTo("SuccessPolicy");
            assertThat(complete.getMessage()).isEqualTo("Matched rules at index 0");
            assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
            assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0");
            assertThat(orZero(done.getStatus().getActive())).isZero();
            assertThat(orZero(done.getStatus().getTerminating())).isZero();
            t.await(
                    "the other pods gone or failed",
                    WAIT,
                    () -> pods(t, "lead").stream()
                            .filter(p -> !"0".equals(index(p)))
                            .allMatch(p -> "Failed".equals(p.getStatus().getPhase())));
        }
    }

    @ParameterizedTest(name = "[{0}] job/success policy succeededCount 2 of 3")
    @MethodSource("kinds")
    void successPolicyCount(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(indexed(job("two", 3, 3)));
            j.getSpec()
                    .setSuccessPolicy(new SuccessPolicyBuilder()
                            .addNewRule()
                            .withSucceededCount(2)
                            .endRule()
                            .build());
            create(t, j);
            awaitRunning(t, "two", 3);
            finishPod(t, runningIndex(t, "two", "2"), "Succeeded", 0);
            pass(t, Duration.ofSeconds(1));
            assertThat(hasCondition(get(t, "two"), "SuccessCriteriaMet")).isFalse();
            finishPod(t, runningIndex(t, "two", "0"), "Succeeded", 0);
            awaitCondition(t, "two", "Complete");
            Job done = get(t, "two");
            assertThat(cond(t, "two", "SuccessCriteriaMet").getReason()).isEqualTo("SuccessPolicy");
            assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0,2");
            assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "[{0}] job/a deleted running pod counts as failed and is replaced ({1})")
    @MethodSource("replacementPolicies")
    void deletedPodReplaced(Target.Kind kind, String policy) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(job("rep", 1, 1));
            j.getSpec().setBackoffLimit(2);
            j.getSpec().setPodReplacementPolicy(policy);
            create(t, j);
            awaitRunning(t, "rep", 1);
            Pod first = runningPods(t, "rep").get(0);
            t.client().pods().inNamespace(t.namespace()).resource(first).delete();
            t.await(
                    "a replacement",
                    WAIT,
                    () -> runningPods(t, "rep").size() == 1
                            && !runningPods(t, "rep")
                                    .get(0)
                                    .getMetadata()
                                    .getName()
                                    .equals(first.getMetadata().getName()));
            t.await("failed 1", WAIT, () -> orZero(get(t, "rep").getStatus().getFailed()) == 1);
            Job now = get(t, "rep");
            assertThat(now.getStatus().getActive()).isEqualTo(1);
            assertThat(orZero(now.getStatus().getTerminating())).isZero();
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> replacementPolicies() {
        return Target.kinds()
                .flatMap(k -> Stream.of("Failed", "TerminatingOrFailed")
                        .map(p -> org.junit.jupiter.params.provider.Arguments.of(k, p)));
    }

    @ParameterizedTest(name = "[{0}] job/completions 4, parallelism 2: never more than 2 active")
    @MethodSource("kinds")
    void completionsOverParallelism(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            create(t, withPodAnnotations(job("steps", 4, 2), Map.of(ScenarioKit.DELAY, "2s")));
            int[] most = {0};
            t.await("Complete", WAIT, () -> {
                Job j = get(t, "steps");
                most[0] = Math.max(
                        most[0],
                        orZero(j.getStatus() == null ? null : j.getStatus().getActive()));
                return hasCondition(j, "Complete");
            });
            assertThat(most[0]).isEqualTo(2);
            assertThat(get(t, "steps").getStatus().getSucceeded()).isEqualTo(4);
            assertThat(pods(t, "steps")).hasSize(4);
        }
    }

    @ParameterizedTest(name = "[{0}] job/parallelism 5 over completions 2: two pods")
    @MethodSource("kinds")
    void parallelismOverCompletions(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            create(t, running(job("few", 2, 5)));
            awaitRunning(t, "few", 2);
            pass(t, Duration.ofSeconds(2));
            assertThat(pods(t, "few")).hasSize(2);
            Job now = get(t, "few");
            assertThat(now.getStatus().getActive()).isEqualTo(2);
            assertThat(now.getStatus().getReady()).isEqualTo(2);
            assertThat(now.getStatus().getTerminating()).isZero();
            assertThat(now.getStatus().getStartTime()).isNotNull();
        }
    }

    @ParameterizedTest(name = "[{0}] job/suspend while running: pods deleted, Suspended, startTime cleared; resume")
    @MethodSource("kinds")
    void suspendWhileRunning(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            create(t, running(job("pause", 2, 2)));
            awaitRunning(t, "pause", 2);
            editJob(t, "pause", j -> {
                j.getSpec().setSuspend(true);
                return j;
            });
            awaitCondition(t, "pause", "Suspended");
            t.await("pods gone", WAIT, () -> pods(t, "pause").isEmpty());
            t.await("active 0", WAIT, () -> orZero(get(t, "pause").getStatus().getActive()) == 0);
            Job suspended = get(t, "pause");
            JobCondition c = cond(t, "pause", "Suspended");
            assertThat(c.getReason()).isEqualTo("JobSuspended");
            assertThat(c.getMessage()).isEqualTo("Job suspended");
            assertThat(suspended.getStatus().getStartTime()).isNull();
            // pods deleted by suspension are not failures
            assertThat(orZero(suspended.getStatus().getFailed())).isZero();
            assertThat(ScenarioKit.awaitEvents(t, "Job", "pause", "Suspended", 1))
                    .containsExactly("Job suspended");
            editJob(t, "pause", j -> {
                j.getSpec().setSuspend(false);
                return j;
            });
            awaitRunning(t, "pause", 2);
            t.await(
                    "resumed",
                    WAIT,
                    () -> condition(get(t, "pause"), "Suspended")
                            .map(x -> x.getStatus().equals("False"))
                            .orElse(false));
            JobCondition resumed = cond(t, "pause", "Suspended");
            assertThat(resumed.getReason()).isEqualTo("JobResumed");
            assertThat(resumed.getMessage()).isEqualTo("Job resumed");
            assertThat(get(t, "pause").getStatus().getStartTime()).isNotNull();
            t.await(
                    "Resumed event",
                    WAIT,
                    () -> !eventMessages(t, "Job", "pause", "Resumed").isEmpty());
            assertThat(eventMessages(t, "Job", "pause", "Resumed")).containsExactly("Job resumed");
        }
    }

    @ParameterizedTest(name = "[{0}] job/activeDeadlineSeconds does not run while suspended")
    @MethodSource("kinds")
    void deadlineWhileSuspended(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = job("held", 1, 1);
            j.getSpec().setSuspend(true);
            j.getSpec().setActiveDeadlineSeconds(2L);
            create(t, j);
            awaitCondition(t, "held", "Suspended");
            pass(t, Duration.ofSeconds(4));
            Job now = get(t, "held");
            assertThat(hasCondition(now, "Failed")).isFalse();
            assertThat(now.getStatus().getStartTime()).isNull();
            editJob(t, "held", x -> {
                x.getSpec().setSuspend(false);
                return x;
            });
            // resumed, the deadline counts from the new startTime: the pod completes at once
            awaitCondition(t, "held", "Complete");
        }
    }

    @ParameterizedTest(name = "[{0}] job/suspended past its deadline, then resumed: the deadline counts afresh")
    @MethodSource("kinds")
    void deadlineAfterResume(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = running(job("late", 1, 1));
            j.getSpec().setActiveDeadlineSeconds(4L);
            create(t, j);
            awaitRunning(t, "late", 1);
            editJob(t, "late", x -> {
                x.getSpec().setSuspend(true);
                return x;
            });
            awaitCondition(t, "late", "Suspended");
            pass(t, Duration.ofSeconds(6));
            assertThat(hasCondition(get(t, "late"), "Failed")).isFalse();
            editJob(t, "late", x -> {
                x.getSpec().setSuspend(false);
                return x;
            });
            awaitRunning(t, "late", 1);
            assertThat(hasCondition(get(t, "late"), "Failed")).isFalse();
            java.time.Instant started =
                    java.time.Instant.parse(get(t, "late").getStatus().getStartTime());
            awaitCondition(t, "late", "Failed");
            JobCondition failed = cond(t, "late", "Failed");
            assertThat(failed.getReason()).isEqualTo("DeadlineExceeded");
            assertThat(failed.getMessage()).isEqualTo("Job was active longer than specified deadline");
            assertThat(java.time.Instant.parse(failed.getLastTransitionTime()))
                    .isAfterOrEqualTo(started.plusSeconds(4));
        }
    }

    @ParameterizedTest(name = "[{0}] job/backoffLimit 2: three failures, BackoffLimitExceeded message")
    @MethodSource("kinds")
    void backoffSeveral(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = failing(job("thrice", 1, 1));
            j.getSpec().setBackoffLimit(2);
            create(t, j);
            // the pod backoff is 10 s, then 20 s
            t.await("Failed", Duration.ofSeconds(90), () -> hasCondition(get(t, "thrice"), "Failed"));
            Job done = get(t, "thrice");
            assertThat(done.getStatus().getFailed()).isEqualTo(3);
            JobCondition failed = cond(t, "thrice", "Failed");
            assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
            assertThat(failed.getMessage()).isEqualTo("Job has reached the specified backoff limit");
            assertThat(pods(t, "thrice"))
                    .hasSize(3)
                    .allMatch(p -> "Failed".equals(p.getStatus().getPhase()));
        }
    }

    @ParameterizedTest(name = "[{0}] job/ttlSecondsAfterFinished 3 keeps the Job a while, then deletes it and its pods")
    @MethodSource("kinds")
    void ttlLater(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = job("brief", 1, 1);
            j.getSpec().setTtlSecondsAfterFinished(3);
            create(t, j);
            awaitCondition(t, "brief", "Complete");
            assertThat(get(t, "brief")).isNotNull();
            t.await("deleted", WAIT, () -> get(t, "brief") == null);
            t.await("pods deleted", WAIT, () -> pods(t, "brief").isEmpty());
        }
    }

    @ParameterizedTest(name = "[{0}] job/elastic indexed job: completions and parallelism scaled together")
    @MethodSource("kinds")
    void elasticIndexed(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            create(t, running(indexed(job("el", 2, 2))));
            awaitRunning(t, "el", 2);
            editJob(t, "el", j -> {
                j.getSpec().setCompletions(4);
                j.getSpec().setParallelism(4);
                return j;
            });
            awaitRunning(t, "el", 4);
            assertThat(runningPods(t, "el"))
                    .extracting(ScenarioKit::index)
                    .containsExactlyInAnyOrder("0", "1", "2", "3");
            editJob(t, "el", j -> {
                j.getSpec().setCompletions(1);
                j.getSpec().setParallelism(1);
                return j;
            });
            awaitRunning(t, "el", 1);
            assertThat(runningIndex(t, "el", "0")).isNotNull();
            // completions alone cannot change
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> editJob(t, "el", j -> {
                        j.getSpec().setCompletions(3);
                        return j;
                    }));
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getDetails().getCauses())
                    .extracting(c -> c.getField())
                    .contains("spec.completions");
        }
    }

    @ParameterizedTest(name = "[{0}] job/managedBy another controller: left alone")
    @MethodSource("kinds")
    void managedByOther(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job j = job("ext", 1, 1);
            j.getSpec().setManagedBy("example.com/queue");
            create(t, j);
            pass(t, Duration.ofSeconds(3));
            Job now = get(t, "ext");
            assertThat(pods(t, "ext")).isEmpty();
            assertThat(now.getStatus() == null
                            || now.getStatus().getConditions() == null
                            || now.getStatus().getConditions().isEmpty())
                    .isTrue();
            assertThat(now.getStatus() == null ? null : now.getStatus().getStartTime())
                    .isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] job/pods carry job labels, the tracking finalizer and a controller reference")
    @MethodSource("kinds")
    void podMetadata(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Job created = create(t, running(indexed(job("meta", 1, 1))));
            awaitRunning(t, "meta", 1);
            Pod p = runningPods(t, "meta").get(0);
            String uid = created.getMetadata().getUid();
            assertThat(p.getMetadata().getLabels())
                    .containsEntry("batch.kubernetes.io/controller-uid", uid)
                    .containsEntry("controller-uid", uid)
                    .containsEntry("batch.kubernetes.io/job-name", "meta")
                    .containsEntry("job-name", "meta")
                    .containsEntry("batch.kubernetes.io/job-completion-index", "0");
            assertThat(p.getMetadata().getAnnotations()).containsEntry("batch.kubernetes.io/job-completion-index", "0");
            assertThat(p.getMetadata().getFinalizers()).containsExactly("batch.kubernetes.io/job-tracking");
            assertThat(p.getMetadata().getGenerateName()).isEqualTo("meta-0-");
            assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("Job");
                assertThat(o.getApiVersion()).isEqualTo("batch/v1");
                assertThat(o.getUid()).isEqualTo(uid);
                assertThat(o.getController()).isTrue();
                assertThat(o.getBlockOwnerDeletion()).isTrue();
            });
            assertThat(created.getSpec().getSelector().getMatchLabels())
                    .containsExactly(Map.entry("batch.kubernetes.io/controller-uid", uid));
            finishPod(t, p, "Succeeded", 0);
            awaitCondition(t, "meta", "Complete");
            t.await("finalizer removed", WAIT, () -> {
                var f = pods(t, "meta").get(0).getMetadata().getFinalizers();
                return f == null || f.isEmpty();
            });
        }
    }

    @ParameterizedTest(name = "[{0}] job/SuccessfulCreate events and the Completed event")
    @MethodSource("kinds")
    void jobEvents(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            create(t, job("ev", 2, 2));
            awaitCondition(t, "ev", "Complete");
            t.await(
                    "Completed event",
                    WAIT,
                    () -> !eventMessages(t, "Job", "ev", "Completed").isEmpty());
            List<String> names =
                    pods(t, "ev").stream().map(p -> p.getMetadata().getName()).toList();
            assertThat(ScenarioKit.awaitEvents(t, "Job", "ev", "SuccessfulCreate", 2))
                    .containsExactlyInAnyOrderElementsOf(
                            names.stream().map(n -> "Created pod: " + n).toList());
            assertThat(eventMessages(t, "Job", "ev", "Completed")).containsExactly("Job completed");
        }
    }

    @ParameterizedTest(name = "[{0}] job/a pod whose labels stop matching is released and replaced")
    @MethodSource("kinds")
    void releasePod(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            create(t, running(job("rel", 1, 1)));
            awaitRunning(t, "rel", 1);
            Pod first = runningPods(t, "rel").get(0);
            String name = first.getMetadata().getName();
            ScenarioKit.retryOnConflict(() -> t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .withName(name)
                    .edit(p -> {
                        p.getMetadata().getLabels().remove("batch.kubernetes.io/controller-uid");
                        return p;
                    }));
            t.await("released", WAIT, () -> {
                var refs = t.client()
                        .pods()
                        .inNamespace(t.namespace())
                        .withName(name)
                        .get()
                        .getMetadata()
                        .getOwnerReferences();
                return refs == null || refs.isEmpty();
            });
            // the tracking finalizer goes with the owner reference
            assertThat(t.client()
                            .pods()
                            .inNamespace(t.namespace())
                            .withName(name)
                            .get()
                            .getMetadata()
                            .getFinalizers())
                    .isNullOrEmpty();
            t.await(
                    "replaced",
                    WAIT,
                    () -> runningPods(t, "rel").stream()
                            .anyMatch(p -> !p.getMetadata().getName().equals(name)
                                    && p.getMetadata().getLabels().containsKey("batch.kubernetes.io/controller-uid")));
            assertThat(get(t, "rel").getStatus().getActive()).isEqualTo(1);
        }
    }
}
