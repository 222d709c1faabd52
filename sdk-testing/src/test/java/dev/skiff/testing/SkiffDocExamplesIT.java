package dev.skiff.testing;

import static dev.skiff.testing.SkiffAssertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Outcome;
import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.SoftAssertionsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Javadoc examples of the JUnit extension and the assertions, compiled and run. */
@SkiffTest
class SkiffDocExamplesIT {
    static final Map<String, String> FAIL = Map.of(
            "pod-container-running-failed.stage.kwok.x-k8s.io", "true",
            "pod-container-running-failed.stage.kwok.x-k8s.io/exit-code", "3");

    @SkiffTest.Cluster
    static InMemoryCluster.Builder cluster() {
        return InMemoryCluster.builder()
                .node(FakeNode.named("node-1"))
                .node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"))
                .seed(7);
    }

    static Job withGpus(Job job, int gpus) {
        job.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .setResources(new ResourceRequirementsBuilder()
                        .addToLimits("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
                        .build());
        return job;
    }

    @BeforeAll
    static void submitJobs(KubernetesClient client) {
        var jobs = client.batch().v1().jobs().inNamespace("default");
        jobs.resource(withGpus(ControllersIT.job("train", 4, Map.of()), 1)).create();
        jobs.resource(ControllersIT.job("crash", 1, FAIL)).create();
        Job paused = ControllersIT.job("paused", 1, Map.of());
        paused.getSpec().setSuspend(true);
        jobs.resource(paused).create();
        jobs.resource(withGpus(ControllersIT.job("huge", 1, Map.of()), 16)).create();
    }

    @Test
    void clusterAndJobExamples(InMemoryCluster cluster) {
        assertThat(cluster).job("default", "train").isComplete();
        assertThat(cluster).job("default", "train").isComplete().hasSucceededPods(4);
        assertThat(cluster).job("default", "crash").hasFailed();
        assertThat(cluster).job("default", "crash").hasFailedWithReason("BackoffLimitExceeded");
        assertThat(cluster).job("default", "crash").hasFailedPods(1);
        assertThat(cluster).job("default", "paused").isSuspended();
        assertThat(cluster).job("default", "train").hasCondition("Complete");
        assertThat(cluster).podsOf("default", "train").allSucceeded();
        assertThat(cluster).podsOf("default", "train").hasSize(4).allSucceeded();
        assertThat(cluster).podsOf("default", "train").first().hasSucceeded().isScheduledOn("gpu-1");
        assertThat(cluster).podsOf("default", "crash").singleElement().hasFailed();
        assertThat(cluster).podsOf("default", "huge").singleElement().isPendingWith("Insufficient nvidia.com/gpu");
        assertThat(cluster).events("default").hasEventWithReason("FailedScheduling");
        assertThat(cluster).events("default").hasEventWithReason("FailedScheduling", "Insufficient nvidia.com/gpu");
        assertThat(cluster).events("default").hasEventWithMessageContaining("nodes are available");
        assertThat(cluster)
                .events("default")
                .filteredOn(e -> "Warning".equals(e.getType()))
                .hasEventWithReason("FailedScheduling");
        assertThat(cluster).node("gpu-1").isReady();
        assertThat(cluster).node("node-1").isReady();
        new ClusterAssert(cluster).node("node-1").isReady();
        KubernetesClient client = cluster.kubernetesClient();
        new JobAssert(client.batch().v1().jobs().withName("train").get()).isComplete();
        new PodListAssert(client.pods()
                        .inNamespace("default")
                        .withLabel("batch.kubernetes.io/job-name", "train")
                        .list()
                        .getItems())
                .allSucceeded();
        new EventsAssert(client.v1().events().inNamespace("default").list().getItems())
                .hasEventWithReason("FailedScheduling");
        new NodeAssert(client.nodes().withName("node-1").get()).isReady();
        PodAssert first = assertThat(cluster).pods("default").first();
        first.isNotNull();
    }

    @Test
    void outcomeAndSoftExamples(InMemoryCluster cluster, Skiff skiff) {
        BatchJob job = BatchJob.builder()
                .name("docs")
                .container(Container.of("ghcr.io/acme/trainer:1.4"))
                .build();
        Outcome outcome = skiff.submit(job).await(Duration.ofMinutes(1));
        assertThat(outcome).succeeded();
        new OutcomeAssert(outcome).succeeded();
        SoftAssertionsProvider.assertSoftly(SkiffSoftAssertions.class, softly -> {
            softly.assertThat(cluster).job("default", "train").isComplete();
            softly.assertThat(outcome).succeeded();
        });
        SkiffSoftAssertions softly = new SkiffSoftAssertions();
        softly.assertThat(cluster).node("node-1").isReady();
        softly.assertAll();
    }

    @Test
    void extensionBuilderExamples() {
        SkiffExtension extension = SkiffExtension.builder()
                .node(FakeNode.named("cpu-1"))
                .node(FakeNode.named("gpu-1").withGpus(4, "NVIDIA-A100-SXM4-80GB"))
                .startTime(Instant.parse("2026-01-01T00:00:00Z"))
                .perMethod()
                .build();
        SkiffExtension.Builder builder = SkiffExtension.builder();
        builder.node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"));
        builder.withoutNodes();
        builder.seed(42);
        builder.startTime(Instant.parse("2026-01-01T00:00:00Z"));
        builder.perMethod();
        builder.perClass();
        org.assertj.core.api.Assertions.assertThat(extension).isNotNull();
        org.assertj.core.api.Assertions.assertThat(SkiffExtension.builder().build())
                .isNotSameAs(extension);
        SkiffTest.Lifecycle lifecycle = SkiffTest.Lifecycle.PER_METHOD;
        org.assertj.core.api.Assertions.assertThat(lifecycle).isNotEqualTo(SkiffTest.Lifecycle.PER_CLASS);
    }

    /** The class examples, as test classes of their own. */
    @SkiffTest
    static class TrainingIT {
        @SkiffTest.Cluster
        static InMemoryCluster.Builder cluster() {
            return InMemoryCluster.builder().node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"));
        }

        @Test
        void trainingSucceeds(Skiff skiff, InMemoryCluster cluster) {
            BatchJob job = BatchJob.builder()
                    .name("train")
                    .container(Container.of("ghcr.io/acme/trainer:1.4"))
                    .build();
            Outcome outcome = skiff.submit(job).await(Duration.ofMinutes(1));
            assertThat(outcome).succeeded();
        }
    }

    static class GpuIT {
        @RegisterExtension
        static final SkiffExtension SKIFF = SkiffExtension.builder()
                .node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"))
                .seed(42)
                .build();

        @Test
        void aGpuNodeIsReady() {
            assertThat(SKIFF.cluster()).node("gpu-1").isReady();
            KubernetesClient client = SKIFF.cluster().kubernetesClient();
            org.assertj.core.api.Assertions.assertThat(client).isNotNull();
        }
    }

    @SkiffTest(lifecycle = SkiffTest.Lifecycle.PER_METHOD)
    static class IsolatedIT {}

    @ExtendWith(SkiffExtension.class)
    static class PlainIT {}

    static class MyAssertions extends SkiffAssertions {}
}
