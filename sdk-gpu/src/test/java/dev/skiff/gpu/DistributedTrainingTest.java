package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.EnvVar;
import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.ScheduledJob;
import dev.skiff.core.Skiff;
import dev.skiff.core.SuccessRule;
import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DistributedTrainingTest {

    private static BatchJob.Builder job() {
        return job(Container.of("ghcr.io/acme/trainer:1.4"));
    }

    private static BatchJob.Builder job(Container main) {
        return BatchJob.builder().name("train").container(main);
    }

    private static Job renderJob(BatchJob job) {
        return (Job) Skiff.render(job).get(0);
    }

    private static Map<String, String> literalEnv(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(
                        io.fabric8.kubernetes.api.model.EnvVar::getName,
                        io.fabric8.kubernetes.api.model.EnvVar::getValue));
    }

    private static List<Violation> violations(BatchJob.Builder builder) {
        try {
            builder.build();
        } catch (InvalidWorkloadException e) {
            return e.violations();
        }
        throw new AssertionError("build() accepted the job");
    }

    @Test
    void theJobBecomesAnIndexedJobOfOnePodPerNodeWithAHeadlessService() {
        List<HasMetadata> objects =
                Skiff.render(job().addTraits(DistributedTraining.nodes(3)).build());
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Job", "Service");
        Job job = (Job) objects.get(0);
        assertThat(job.getSpec().getParallelism()).isEqualTo(3);
        assertThat(job.getSpec().getCompletions()).isEqualTo(3);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
        assertThat(job.getSpec().getSuccessPolicy()).isNull();
        assertThat(job.getSpec().getTemplate().getSpec().getSubdomain()).isEqualTo("train");
        Service service = (Service) objects.get(1);
        assertThat(service.getMetadata().getName()).isEqualTo("train");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getSpec().getSelector()).containsExactly(Map.entry("batch.kubernetes.io/job-name", "train"));
    }

    @Test
    void theRendezvousEnvironmentNamesRankZeroAndCountsProcesses() {
        Job job = renderJob(job().addTraits(
                        DistributedTraining.nodes(2).gpusPerNode(Gpu.nvidia(8).model("H100")))
                .build());
        assertThat(literalEnv(job))
                .containsEntry("MASTER_ADDR", "train-0.train")
                .containsEntry("PET_MASTER_ADDR", "train-0.train")
                .containsEntry("MASTER_PORT", "29500")
                .containsEntry("PET_MASTER_PORT", "29500")
                .containsEntry("PET_NNODES", "2")
                .containsEntry("NPROC_PER_NODE", "8")
                .containsEntry("PET_NPROC_PER_NODE", "8")
                .containsEntry("WORLD_SIZE", "16");
        var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        for (String rank : List.of("NODE_RANK", "RANK", "PET_NODE_RANK")) {
            assertThat(env)
                    .filteredOn(e -> e.getName().equals(rank))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                            .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']"));
        }
        var limits = job.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits();
        assertThat(limits.get("nvidia.com/gpu").getAmount()).isEqualTo("8");
    }

    @Test
    void explicitProcessesPerNodePortAndServiceNameWin() {
        DistributedTraining trait = DistributedTraining.nodes(2)
                .gpusPerNode(Gpu.nvidia(8))
                .nprocPerNode(4)
                .port(23456)
                .serviceName("ranks");
        assertThat(trait.nprocPerNode()).isEqualTo(4);
        assertThat(trait.worldSize()).isEqualTo(8);
        List<HasMetadata> objects = Skiff.render(job().addTraits(trait).build());
        assertThat(literalEnv((Job) objects.get(0)))
                .containsEntry("MASTER_ADDR", "train-0.ranks")
                .containsEntry("MASTER_PORT", "23456")
                .containsEntry("WORLD_SIZE", "8");
        assertThat(objects.get(1).getMetadata().getName()).isEqualTo("ranks");
        assertThat(DistributedTraining.nodes(3).nprocPerNode()).isEqualTo(1);
    }

    @Test
    void leaderSuccessAddsARuleForIndexZeroBesideTheUsersRules() {
        Job job = renderJob(job().addSuccessPolicy(SuccessRule.count(2))
                .addTraits(DistributedTraining.nodes(4).succeedWhenLeaderSucceeds())
                .build());
        assertThat(job.getSpec().getSuccessPolicy().getRules()).hasSize(2).anySatisfy(r -> {
            assertThat(r.getSucceededIndexes()).isEqualTo("0");
            assertThat(r.getSucceededCount()).isNull();
        });
    }

    @Test
    void settingsThatAgreeWithTheTraitAreAccepted() {
        Job job = renderJob(job(Container.of("ghcr.io/acme/trainer:1.4").withEnv("MASTER_PORT", "29500"))
                .parallelism(2)
                .completions(2)
                .indexed(true)
                .podReplacementPolicy(BatchJob.PodReplacementPolicy.FAILED)
                .addTraits(DistributedTraining.nodes(2))
                .build());
        assertThat(job.getSpec().getParallelism()).isEqualTo(2);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("MASTER_PORT"))
                .hasSize(1);
    }

    @Test
    void aConflictingParallelismIsRejectedAtBuildNamingFieldValueAndRule() {
        assertThatThrownBy(() -> job().parallelism(3)
                        .addTraits(DistributedTraining.nodes(2))
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("Job \"train\" is invalid")
                .hasMessageContaining(
                        "spec.parallelism: Invalid value: 3: must equal the number of nodes for distributed training (2)");
    }

    @Test
    void everyConflictIsReportedNotOnlyTheFirst() {
        List<Violation> violations =
                violations(job(Container.of("ghcr.io/acme/trainer:1.4").withEnv(EnvVar.of("MASTER_PORT", "1234")))
                        .parallelism(3)
                        .completions(3)
                        .podReplacementPolicy(BatchJob.PodReplacementPolicy.TERMINATING_OR_FAILED)
                        .addTraits(DistributedTraining.nodes(2)));
        assertThat(violations)
                .extracting(Violation::field)
                .containsExactly(
                        "spec.parallelism",
                        "spec.completions",
                        "spec.completionMode",
                        "spec.podReplacementPolicy",
                        "spec.template.spec.containers[0].env[0]");
        assertThat(violations.get(2).value()).isEqualTo("\"NonIndexed\"");
        assertThat(violations.get(3).value()).isEqualTo("\"TerminatingOrFailed\"");
        assertThat(violations.get(4).toString())
                .contains("MASTER_PORT=1234")
                .contains("distributed training sets MASTER_PORT to 29500");
    }

    @Test
    void completionsWithoutIndexedModeAreRejectedEvenWhenTheCountsAgree() {
        assertThat(violations(job().parallelism(2).completions(2).addTraits(DistributedTraining.nodes(2))))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("spec.completionMode");
                    assertThat(v.detail()).contains("must be Indexed");
                });
    }

    @Test
    void aJobNameTooLongForTheLastRanksHostnameIsRejected() {
        String name = "a".repeat(61);
        assertThat(violations(BatchJob.builder()
                        .name(name)
                        .container(Container.of("busybox"))
                        .addTraits(DistributedTraining.nodes(11))))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("metadata.name");
                    assertThat(v.detail()).contains(name + "-10").contains("63");
                });
        BatchJob.builder()
                .name(name)
                .container(Container.of("busybox"))
                .addTraits(DistributedTraining.nodes(10))
                .build();
    }

    @Test
    void aServiceNameThatIsNoDnsLabelIsRejectedByTheServiceRules() {
        assertThatThrownBy(() -> job().addTraits(DistributedTraining.nodes(2).serviceName("Ranks.x"))
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("Ranks.x");
    }

    @Test
    void onlyBatchJobsCanBeDistributed() {
        assertThatThrownBy(() -> ScheduledJob.builder()
                        .job(job().addTraits(DistributedTraining.nodes(2)).build())
                        .schedule("0 3 * * *")
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("distributed training needs a BatchJob")
                .hasMessageContaining("CronJob");
    }

    @Test
    void aGangAddedBeforeTheTraitIsRejectedBecauseItsMinMemberWouldBeWrong() {
        assertThatThrownBy(() -> job().addTraits(Gang.volcano(), DistributedTraining.nodes(4))
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("a Gang trait must come after DistributedTraining")
                .hasMessageContaining("parallelism 1");
    }

    @Test
    void badArgumentsAreRejectedWhenTheTraitIsMade() {
        assertThatThrownBy(() -> DistributedTraining.nodes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes must be >= 1, but was 0");
        assertThatThrownBy(() -> DistributedTraining.nodes(2).nprocPerNode(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nprocPerNode must be >= 1, but was 0");
        assertThatThrownBy(() -> DistributedTraining.nodes(2).port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 1 and 65535, but was 70000");
    }

    @Test
    void traitsAreValues() {
        assertThat(DistributedTraining.nodes(2).gpusPerNode(Gpu.nvidia(8)))
                .isEqualTo(DistributedTraining.nodes(2).gpusPerNode(Gpu.nvidia(8)))
                .isNotEqualTo(DistributedTraining.nodes(2).gpusPerNode(Gpu.nvidia(4)));
    }
}
