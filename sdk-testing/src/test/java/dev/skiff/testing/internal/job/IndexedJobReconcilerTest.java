package dev.skiff.testing.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexedJobReconcilerTest {

    private static JobBuilder indexed(String name, int completions, int parallelism) {
        return TestJobs.job(name)
                .editSpec()
                .withCompletionMode("Indexed")
                .withCompletions(completions)
                .withParallelism(parallelism)
                .endSpec();
    }

    private static PodFailurePolicyRule onExitCodes(String action, String operator, Integer... codes) {
        return new PodFailurePolicyRuleBuilder()
                .withAction(action)
                .withNewOnExitCodes()
                .withOperator(operator)
                .withValues(codes)
                .endOnExitCodes()
                .build();
    }

    private static PodFailurePolicyRule onDisruption(String action) {
        return new PodFailurePolicyRuleBuilder()
                .withAction(action)
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .withStatus("True")
                .endOnPodCondition()
                .build();
    }

    @Test
    void assignsTheLowestIndexesWithNamesHostnamesAndTheIndexVariable() {
        Container init = new ContainerBuilder()
                .withName("fetch")
                .withImage("busybox:1.36")
                .build();
        Job job = TestJobs.defaulted(indexed("train", 4, 2)
                .editSpec()
                .editTemplate()
                .editSpec()
                .withSubdomain("workers")
                .withInitContainers(init)
                .endSpec()
                .endTemplate()
                .endSpec());
        JobHarness h = new JobHarness(job);

        h.settle();

        Pod zero = h.activePodWithIndex(0);
        Pod one = h.activePodWithIndex(1);
        assertThat(h.activePods()).hasSize(2);
        assertThat(h.name(zero)).matches("train-0-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(h.name(one)).matches("train-1-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(zero.getMetadata().getAnnotations()).containsEntry("batch.kubernetes.io/job-completion-index", "0");
        assertThat(zero.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-completion-index", "0");
        assertThat(zero.getSpec().getHostname()).isEqualTo("train-0");
        assertThat(zero.getSpec().getSubdomain()).isEqualTo("workers");
        for (Container container : List.of(
                zero.getSpec().getContainers().get(0),
                zero.getSpec().getInitContainers().get(0))) {
            EnvVar index = container.getEnv().get(0);
            assertThat(index.getName()).isEqualTo("JOB_COMPLETION_INDEX");
            assertThat(index.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.labels['batch.kubernetes.io/job-completion-index']");
        }
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .as("the template is left alone")
                .isEmpty();

        h.succeed(h.name(one));
        h.settle();
        assertThat(h.status().getCompletedIndexes()).isEqualTo("1");
        assertThat(h.activePodWithIndex(2)).isNotNull();

        h.succeed(h.name(zero));
        h.settle();
        assertThat(h.status().getCompletedIndexes()).isEqualTo("0,1");
        assertThat(h.activePodWithIndex(3)).isNotNull();

        h.succeed(h.name(h.activePodWithIndex(2)));
        h.succeed(h.name(h.activePodWithIndex(3)));
        h.settle();

        assertThat(h.status().getCompletedIndexes()).isEqualTo("0-3");
        assertThat(h.succeeded()).isEqualTo(4);
        assertThat(h.status().getFailedIndexes()).isNull();
        assertThat(h.conditionTypes()).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(h.condition("Complete").getReason()).isEqualTo("CompletionsReached");
    }

    @Test
    void backoffLimitPerIndexRetriesOnlyTheFailingIndexAndFailsTheJobOnceAllIndexesAreDone() {
        JobHarness h = new JobHarness(TestJobs.defaulted(
                indexed("train", 4, 4).editSpec().withBackoffLimitPerIndex(1).endSpec()));
        h.settle();
        h.runAll();
        assertThat(h.activePodWithIndex(2).getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/job-index-failure-count", "0");

        String firstTry = h.name(h.activePodWithIndex(2));
        h.fail(firstTry, 1);
        h.settle();

        assertThat(h.requeueAt()).contains(JobHarness.T0.plusSeconds(10));
        assertThat(h.pod(firstTry).getMetadata().getFinalizers())
                .as("kept until the replacement carries the failure count")
                .contains(JobReconciler.TRACKING_FINALIZER);

        h.advanceToRequeue();
        Pod secondTry = h.activePodWithIndex(2);
        assertThat(secondTry.getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/job-index-failure-count", "1");
        assertThat(h.pod(firstTry).getMetadata().getFinalizers()).isEmpty();
        assertThat(h.failed()).isEqualTo(1);

        h.fail(h.name(secondTry), 1);
        h.settle();

        assertThat(h.status().getFailedIndexes()).isEqualTo("2");
        assertThat(h.conditions()).as("the other indexes still run").isEmpty();
        assertThat(h.activePods()).hasSize(3);

        for (int index : new int[] {0, 1, 3}) {
            h.succeed(h.name(h.activePodWithIndex(index)));
        }
        h.settle();

        assertThat(h.status().getCompletedIndexes()).isEqualTo("0,1,3");
        assertThat(h.failed()).isEqualTo(2);
        assertThat(h.conditionTypes()).containsExactly("FailureTarget", "Failed");
        assertThat(h.condition("Failed").getReason()).isEqualTo("FailedIndexes");
        assertThat(h.condition("Failed").getMessage()).isEqualTo("Job has failed indexes");
        assertThat(h.events).contains(new JobEvent("Warning", "FailedIndexes", "Job has failed indexes"));
    }

    @Test
    void exceedingMaxFailedIndexesFailsTheJobAndDeletesTheRest() {
        JobHarness h = new JobHarness(TestJobs.defaulted(indexed("train", 4, 4)
                .editSpec()
                .withBackoffLimitPerIndex(0)
                .withMaxFailedIndexes(1)
                .endSpec()));
        h.settle();
        h.runAll();

        h.fail(h.name(h.activePodWithIndex(0)), 1);
        h.settle();
        assertThat(h.status().getFailedIndexes()).isEqualTo("0");
        assertThat(h.conditions()).isEmpty();

        h.fail(h.name(h.activePodWithIndex(1)), 1);
        h.settle();

        assertThat(h.status().getFailedIndexes()).isEqualTo("0,1");
        assertThat(h.condition("FailureTarget").getReason()).isEqualTo("MaxFailedIndexesExceeded");
        assertThat(h.condition("FailureTarget").getMessage())
                .isEqualTo("Job has exceeded the specified maximal number of failed indexes");
        assertThat(h.deletions).hasSize(2).allMatch(d -> d.reason() == PodDeletion.Reason.JOB_FAILED);

        h.finishTerminations();
        h.settle();
        assertThat(h.conditionTypes()).containsExactly("FailureTarget", "Failed");
        assertThat(h.failed()).isEqualTo(4);
    }

    @Test
    void failIndexRuleFailsTheIndexWithoutRetries() {
        JobHarness h = new JobHarness(TestJobs.defaulted(indexed("train", 3, 3)
                .editSpec()
                .withBackoffLimitPerIndex(5)
                .withNewPodFailurePolicy()
                .withRules(onExitCodes("FailIndex", "In", 3))
                .endPodFailurePolicy()
                .endSpec()));
        assertThat(h.job().getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
        h.settle();
        h.runAll();

        h.fail(h.name(h.activePodWithIndex(1)), 3);
        h.settle();
        h.advance(Duration.ofMinutes(5));
        h.settle();

        assertThat(h.status().getFailedIndexes()).isEqualTo("1");
        assertThat(h.pods(p -> JobPods.completionIndex(p) == 1)).hasSize(1);
        assertThat(h.requeueAt()).isEmpty();
    }

    @Test
    void failJobRuleOnExitCode42FailsTheJobWithThePolicyMessage() {
        JobHarness h = new JobHarness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withParallelism(2)
                .withCompletions(2)
                .withNewPodFailurePolicy()
                .withRules(onExitCodes("FailJob", "In", 42), onDisruption("Ignore"))
                .endPodFailurePolicy()
                .endSpec()));
        h.settle();
        h.runAll();
        List<Pod> pods = h.activePods();

        h.fail(h.name(pods.get(0)), 42);
        h.settle();

        String message = "Container main for pod default/" + h.name(pods.get(0))
                + " failed with exit code 42 matching FailJob rule at index 0";
        assertThat(h.condition("FailureTarget").getReason()).isEqualTo("PodFailurePolicy");
        assertThat(h.condition("FailureTarget").getMessage()).isEqualTo(message);
        assertThat(h.deletions).containsExactly(new PodDeletion(h.name(pods.get(1)), PodDeletion.Reason.JOB_FAILED));

        h.finishTerminations();
        h.settle();
        assertThat(h.condition("Failed").getMessage()).isEqualTo(message);
        assertThat(h.events).contains(new JobEvent("Warning", "PodFailurePolicy", message));
    }

    @Test
    void ignoreRuleOnDisruptionDoesNotCountTheFailure() {
        JobHarness h = new JobHarness(TestJobs.defaulted(TestJobs.job("train")
                .editSpec()
                .withBackoffLimit(0)
                .withNewPodFailurePolicy()
                .withRules(onExitCodes("FailJob", "In", 42), onDisruption("Ignore"))
                .endPodFailurePolicy()
                .endSpec()));
        h.settle();
        String preempted = h.name(h.activePods().get(0));
        h.run(preempted);

        h.disrupt(preempted);
        h.settle();

        assertThat(h.failed()).isZero();
        assertThat(h.conditions()).isEmpty();
        assertThat(h.pod(preempted).getMetadata().getFinalizers()).isEmpty();
        // An ignored failure still delays the replacement.
        assertThat(h.activePods()).isEmpty();
        h.advanceToRequeue();
        assertThat(h.activePods()).hasSize(1);
        assertThat(h.failed()).isZero();
    }

    @Test
    void successPolicyOnIndexZeroDeletesTheOthersThenCompletes() {
        JobHarness h = new JobHarness(TestJobs.defaulted(indexed("train", 3, 3)
                .editSpec()
                .withNewSuccessPolicy()
                .addNewRule()
                .withSucceededIndexes("0")
                .endRule()
                .endSuccessPolicy()
                .endSpec()));
        h.settle();
        h.runAll();

        h.succeed(h.name(h.activePodWithIndex(0)));
        h.settle();

        assertThat(h.conditionTypes()).containsExactly("SuccessCriteriaMet");
        assertThat(h.condition("SuccessCriteriaMet").getReason()).isEqualTo("SuccessPolicy");
        assertThat(h.condition("SuccessCriteriaMet").getMessage()).isEqualTo("Matched rules at index 0");
        assertThat(h.deletions).hasSize(2).allMatch(d -> d.reason() == PodDeletion.Reason.JOB_SUCCEEDED);
        assertThat(h.status().getTerminating()).isEqualTo(2);

        h.finishTerminations();
        h.settle();

        assertThat(h.conditionTypes()).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(h.condition("Complete").getReason()).isEqualTo("SuccessPolicy");
        assertThat(h.status().getCompletedIndexes()).isEqualTo("0");
        assertThat(h.succeeded()).isEqualTo(1);
        assertThat(h.failed()).as("pods removed after success are not failures").isZero();
        assertThat(h.events).contains(new JobEvent("Normal", "Completed", "Job completed"));
    }

    @Test
    void successPolicyCountMatchesAnyIndexes() {
        JobHarness h = new JobHarness(TestJobs.defaulted(indexed("train", 4, 4)
                .editSpec()
                .withNewSuccessPolicy()
                .addNewRule()
                .withSucceededIndexes("1-3")
                .withSucceededCount(2)
                .endRule()
                .endSuccessPolicy()
                .endSpec()));
        h.settle();

        h.succeed(h.name(h.activePodWithIndex(0)));
        h.succeed(h.name(h.activePodWithIndex(3)));
        h.settle();
        assertThat(h.conditions()).as("index 0 is outside the rule").isEmpty();

        h.succeed(h.name(h.activePodWithIndex(2)));
        h.settle();
        assertThat(h.condition("SuccessCriteriaMet").getMessage()).isEqualTo("Matched rules at index 0");
    }

    @Test
    void deletesASecondActivePodForTheSameIndex() {
        Job job = TestJobs.defaulted(indexed("train", 2, 2));
        JobHarness h = new JobHarness(job);
        h.settle();
        Pod original = h.activePodWithIndex(0);
        h.run(h.name(original));
        Pod copy = new PodBuilder(original)
                .editMetadata()
                .withName("train-0-copy1")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
        List<Pod> pods = new java.util.ArrayList<>(h.pods());
        pods.add(copy);

        JobSync sync = JobReconciler.reconcile(h.job(), pods, h.now(), new java.util.Random(1));

        assertThat(sync.podsToDelete())
                .containsExactly(new PodDeletion("train-0-copy1", PodDeletion.Reason.DUPLICATE_INDEX));
        assertThat(sync.podsToCreate()).isEmpty();
    }
}
