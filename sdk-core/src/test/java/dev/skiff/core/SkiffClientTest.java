package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client against fabric8's CRUD mock server: a store without controllers, so tests write Job
 * status themselves.
 */
@EnableKubernetesMockClient(crud = true)
class SkiffClientTest {
    KubernetesClient client;

    private static BatchJob job(String name) {
        return BatchJob.builder()
                .name(name)
                .namespace("ml")
                .container(Container.of("ghcr.io/acme/trainer:1.4"))
                .build();
    }

    @Test
    void submitCreatesTheJobWithItsSpecHash() {
        Skiff skiff = Skiff.using(client);
        BatchJob job = job("train");
        JobHandle handle = skiff.submit(job);

        Job created =
                client.batch().v1().jobs().inNamespace("ml").withName("train").get();
        assertThat(handle.name()).isEqualTo("train");
        assertThat(handle.namespace()).isEqualTo("ml");
        assertThat(created.getMetadata().getAnnotations())
                .containsEntry(Skiff.SPEC_HASH_ANNOTATION, Skiff.specHash(job));
    }

    @Test
    void submittingTheSameSpecTwiceReturnsTheExistingJob() {
        Skiff skiff = Skiff.using(client);
        skiff.submit(job("twice"));
        String uid = client.batch()
                .v1()
                .jobs()
                .inNamespace("ml")
                .withName("twice")
                .get()
                .getMetadata()
                .getUid();

        JobHandle again = skiff.submit(job("twice"));

        assertThat(again.name()).isEqualTo("twice");
        List<Job> jobs = client.batch().v1().jobs().inNamespace("ml").list().getItems();
        assertThat(jobs)
                .filteredOn(j -> j.getMetadata().getName().equals("twice"))
                .hasSize(1);
        assertThat(jobs.get(0).getMetadata().getUid()).isEqualTo(uid);
    }

    @Test
    void aDifferentSpecUnderTheSameNameIsAConflictNamingBothHashes() {
        Skiff skiff = Skiff.using(client);
        BatchJob first = job("clash");
        BatchJob second = first.toBuilder().parallelism(3).build();
        skiff.submit(first);

        assertThatThrownBy(() -> skiff.submit(second))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining(Skiff.specHash(first))
                .hasMessageContaining(Skiff.specHash(second));
    }

    @Test
    void awaitReturnsSucceededWhenTheJobCompletes() throws Exception {
        Skiff skiff = Skiff.using(client);
        JobHandle handle = skiff.submit(job("done"));
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> handle.await(Duration.ofSeconds(20)));

        setCondition("done", "Complete", "CompletionsReached", 1, 0);

        assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo(new Outcome.Succeeded("ml/done", 1));
    }

    @Test
    void awaitExplainsAFailureAndADeadline() {
        Skiff skiff = Skiff.using(client);
        skiff.submit(job("broken"));
        setCondition("broken", "Failed", "BackoffLimitExceeded", 0, 7);
        skiff.submit(job("slow"));
        setCondition("slow", "Failed", "DeadlineExceeded", 0, 1);

        Outcome broken = skiff.job("ml", "broken").await(Duration.ofSeconds(5));
        Outcome slow = skiff.job("ml", "slow").await(Duration.ofSeconds(5));

        assertThat(broken).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("BackoffLimitExceeded");
            assertThat(f.failedPods()).isEqualTo(7);
        });
        assertThat(slow).isInstanceOf(Outcome.DeadlineExceeded.class);
    }

    @Test
    void awaitTimesOutWithAClearException() {
        Skiff skiff = Skiff.using(client);
        JobHandle handle = skiff.submit(job("forever"));

        assertThatThrownBy(() -> handle.await(Duration.ofMillis(300)))
                .isInstanceOf(AwaitTimeoutException.class)
                .hasMessageContaining("ml/forever");
    }

    @Test
    void awaitOnAMissingJobIsNotFound() {
        assertThatThrownBy(() -> Skiff.using(client).job("ml", "ghost").await(Duration.ofSeconds(1)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("ml/ghost");
    }

    @Test
    void cancelDeletesTheJob() {
        Skiff skiff = Skiff.using(client);
        skiff.submit(job("cancel-me")).cancel();
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace("ml")
                        .withName("cancel-me")
                        .get())
                .isNull();
    }

    @Test
    void closingSkiffLeavesAGivenClientOpenAndRefusesFurtherUse() {
        Skiff skiff = Skiff.using(client);
        skiff.close();
        assertThat(client.batch().v1().jobs().inNamespace("ml").list()).isNotNull();
        assertThatThrownBy(() -> skiff.submit(job("late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oneInformerPerNamespaceFollowsEveryJobAndStopsWhenNothingIsFollowed() throws Exception {
        try (Skiff skiff = Skiff.using(
                client, SkiffConfig.builder().followIdleTimeout(Duration.ZERO).build())) {
            List<CompletableFuture<Outcome>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                outcomes.add(skiff.submit(job("many-" + i)).awaitAsync());
            }
            assertThat(skiff.runningInformers()).isEqualTo(1);
            for (int i = 0; i < 20; i++) {
                setCondition("many-" + i, "Complete", "CompletionsReached", 1, 0);
            }
            for (CompletableFuture<Outcome> o : outcomes) {
                assertThat(o.get(20, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (skiff.runningInformers() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(skiff.runningInformers()).isZero();
        }
    }

    @Test
    void cancellingAnAwaitFutureStopsFollowing() throws Exception {
        try (Skiff skiff = Skiff.using(
                client, SkiffConfig.builder().followIdleTimeout(Duration.ZERO).build())) {
            CompletableFuture<Outcome> outcome = skiff.submit(job("given-up")).awaitAsync();
            assertThat(skiff.runningInformers()).isEqualTo(1);
            outcome.cancel(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (skiff.runningInformers() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(skiff.runningInformers()).isZero();
        }
    }

    @Test
    void defaultLabelsAreAddedUnlessTheJobSetsThem() {
        try (Skiff skiff = Skiff.using(
                client,
                SkiffConfig.builder()
                        .putDefaultLabel("team", "vision")
                        .putDefaultLabel("cost-center", "42")
                        .build())) {
            skiff.submit(job("labelled").toBuilder().putLabel("team", "nlp").build());
        }
        Job created = client.batch()
                .v1()
                .jobs()
                .inNamespace("ml")
                .withName("labelled")
                .get();
        assertThat(created.getMetadata().getLabels())
                .containsEntry("team", "nlp")
                .containsEntry("cost-center", "42");
    }

    private void setCondition(String name, String type, String reason, int succeeded, int failed) {
        Job job = client.batch().v1().jobs().inNamespace("ml").withName(name).get();
        JobCondition condition = new JobCondition();
        condition.setType(type);
        condition.setStatus("True");
        condition.setReason(reason);
        condition.setMessage(reason + " happened");
        JobStatus status = new JobStatus();
        status.setConditions(List.of(condition));
        status.setSucceeded(succeeded);
        status.setFailed(failed);
        job.setStatus(status);
        client.batch().v1().jobs().inNamespace("ml").resource(job).updateStatus();
    }
}
