package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelTest {

    @ParameterizedTest
    @CsvSource({
        "ghcr.io/acme/trainer:1.4, trainer",
        "busybox, busybox",
        "nvcr.io/nvidia/pytorch:24.10-py3, pytorch",
        "localhost:5000/My_Image@sha256:abc, my-image",
        "registry/ns/3d-model:1, c-3d-model",
        "quay.io/jupyter/pytorch-notebook:2024-10-07, pytorch-notebook"
    })
    void containerNamesAreDerivedFromTheImage(String image, String expected) {
        assertThat(Renderer.nameFromImage(image)).isEqualTo(expected);
    }

    @Test
    void containersWithTheSameImageGetDistinctNames() {
        BatchJob job = BatchJob.builder()
                .name("twins")
                .container(Container.of("busybox"))
                .container(Container.of("busybox"))
                .addInitContainer(Container.of("busybox"))
                .build();
        var spec = ((io.fabric8.kubernetes.api.model.batch.v1.Job)
                        Skiff.render(job).get(0))
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(spec.getInitContainers().get(0).getName()).isEqualTo("busybox");
        assertThat(spec.getContainers()).extracting(c -> c.getName()).containsExactly("busybox-2", "busybox-3");
    }

    @Test
    void withEnvReplacesAVariableOfTheSameNameInPlace() {
        Container c = Container.of("img").withEnv("A", "1").withEnv("B", "2").withEnv("A", "3");
        assertThat(c.env()).extracting(EnvVar::name).containsExactly("A", "B");
        assertThat(c.env().get(0).value()).contains("3");
    }

    @Test
    void withCopiesLeaveTheOriginalUnchanged() {
        Container base = Container.of("img").withArgs("--a");
        Container changed = base.withArgs("--b").withResources(Resources.cpu("1"));
        assertThat(base.args()).containsExactly("--a");
        assertThat(base.resources()).isEqualTo(Resources.none());
        assertThat(changed.args()).containsExactly("--b");
    }

    @Test
    void memorySetsRequestAndLimitWhileCpuSetsOnlyTheRequest() {
        Resources r = Resources.cpu("8").memory("64Gi");
        assertThat(r.cpuRequest()).contains("8");
        assertThat(r.cpuLimit()).isEmpty();
        assertThat(r.memoryRequest()).contains("64Gi");
        assertThat(r.memoryLimit()).contains("64Gi");
    }

    @Test
    void literalEnvValuesAreRedactedFromToString() {
        Container c = Container.of("img").withEnv("API_TOKEN", "s3cr3t-value");
        BatchJob job = BatchJob.builder().name("redacted").container(c).build();
        assertThat(c.toString()).doesNotContain("s3cr3t-value").contains("API_TOKEN");
        assertThat(job.toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void toBuilderRoundTripsEveryAttribute() {
        for (Workload w : List.<Workload>of(
                Workloads.indexedTrainingJob(),
                Workloads.leaderSuccessJob(),
                Workloads.notebookWithStorage(),
                Workloads.nightlyRetraining())) {
            Workload copy;
            if (w instanceof BatchJob j) {
                copy = j.toBuilder().build();
            } else if (w instanceof InteractiveSession s) {
                copy = s.toBuilder().build();
            } else {
                copy = ((ScheduledJob) w).toBuilder().build();
            }
            assertThat(copy).isEqualTo(w);
        }
    }

    @Test
    void scheduledJobTakesNameAndNamespaceFromItsJob() {
        ScheduledJob s = Workloads.nightlyRetraining();
        assertThat(s.name()).isEqualTo("nightly-retrain");
        assertThat(s.namespace()).contains("ml");
        assertThat(s.kind()).isEqualTo(WorkloadKind.SCHEDULED_JOB);
    }

    @Test
    void outcomesExplainThemselves() {
        Outcome failed = new Outcome.Failed(
                "ml/train", "BackoffLimitExceeded", "Job has reached the specified backoff limit", 7, List.of(1, 3));
        assertThat(failed.isSuccess()).isFalse();
        assertThat(failed.explanation())
                .contains("ml/train", "BackoffLimitExceeded", "backoff limit", "7 pods failed", "[1, 3]");
        assertThat(new Outcome.Succeeded("ml/train", 4).isSuccess()).isTrue();
        assertThat(JobStatuses.parseIndexes("1,3-5,7")).containsExactly(1, 3, 4, 5, 7);
    }
}
