package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.validation.Defaults;
import dev.skiff.core.validation.Validator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden workload, defaulted the way the API server (and the in-memory cluster) defaults it
 * on create, still passes validation: defaulting never turns a valid object into an invalid one.
 */
class DefaultedWorkloadsTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("minimal-job", (Supplier<Workload>) Workloads::minimalJob),
                Arguments.of("indexed-training-job", (Supplier<Workload>) Workloads::indexedTrainingJob),
                Arguments.of("leader-success-job", (Supplier<Workload>) Workloads::leaderSuccessJob),
                Arguments.of("work-queue-job", (Supplier<Workload>) Workloads::workQueueJob),
                Arguments.of("notebook-statefulset", (Supplier<Workload>) Workloads::notebookWithStorage),
                Arguments.of("tensorboard-deployment", (Supplier<Workload>) Workloads::tensorboard),
                Arguments.of("nightly-cronjob", (Supplier<Workload>) Workloads::nightlyRetraining));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void defaultedGoldenWorkloadsStillValidate(String name, Supplier<Workload> workload) {
        List<HasMetadata> objects = Skiff.render(workload.get());

        for (HasMetadata object : objects) {
            String rendered = Serialization.asYaml(object);
            Defaults.apply(object);

            assertThat(Serialization.asYaml(object)).as("defaults were added").isNotEqualTo(rendered);
            assertThat(Validator.validate(object))
                    .as("%s %s", object.getKind(), object.getMetadata().getName())
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void jobsWithTheirGeneratedSelectorStillValidate(String name, Supplier<Workload> workload) {
        for (HasMetadata object : Skiff.render(workload.get())) {
            if (object instanceof Job job) {
                Defaults.apply(job);
                job.getMetadata().setUid("0f6c1c5e-5b8a-4c39-9a53-3f1e2b7d8c90");
                Defaults.generateJobSelector(job, job.getMetadata().getUid());

                assertThat(Validator.validate(job)).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void podsCreatedFromTheDefaultedTemplatesStillValidate(String name, Supplier<Workload> workload) {
        for (HasMetadata object : Skiff.render(workload.get())) {
            Defaults.apply(object);
            PodTemplateSpec template = templateOf(object);
            if (template == null) {
                continue;
            }
            Pod pod = new PodBuilder()
                    .withNewMetadataLike(template.getMetadata())
                    .withName(object.getMetadata().getName() + "-0")
                    .withNamespace(object.getMetadata().getNamespace())
                    .endMetadata()
                    .withSpec(Serialization.clone(template.getSpec()))
                    .build();
            if (object instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet set) {
                // The StatefulSet controller adds a volume per claim template.
                for (var claim : set.getSpec().getVolumeClaimTemplates()) {
                    String claimName = claim.getMetadata().getName();
                    pod.getSpec()
                            .getVolumes()
                            .add(new VolumeBuilder()
                                    .withName(claimName)
                                    .withNewPersistentVolumeClaim()
                                    .withClaimName(
                                            claimName + "-" + pod.getMetadata().getName())
                                    .endPersistentVolumeClaim()
                                    .build());
                }
            }

            Defaults.apply(pod);

            assertThat(pod.getSpec().getEnableServiceLinks()).isTrue();
            assertThat(Validator.validate(pod)).isEmpty();
        }
    }

    private static PodTemplateSpec templateOf(HasMetadata object) {
        if (object instanceof Job job) {
            return job.getSpec().getTemplate();
        }
        if (object instanceof CronJob cronJob) {
            return cronJob.getSpec().getJobTemplate().getSpec().getTemplate();
        }
        if (object instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet set) {
            return set.getSpec().getTemplate();
        }
        if (object instanceof io.fabric8.kubernetes.api.model.apps.Deployment deployment) {
            return deployment.getSpec().getTemplate();
        }
        return null;
    }
}
