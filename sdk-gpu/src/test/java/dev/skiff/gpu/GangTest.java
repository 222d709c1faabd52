package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.Placement;
import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GangTest {

    private static BatchJob.Builder job() {
        return BatchJob.builder().name("train").container(Container.of("ghcr.io/acme/trainer:1.4"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(HasMetadata podGroup) {
        return (Map<String, Object>)
                ((GenericKubernetesResource) podGroup).getAdditionalProperties().get("spec");
    }

    @Test
    void volcanoGetsAPodGroupOfAllNodesAndPodsThatNameIt() {
        List<HasMetadata> objects = Skiff.render(
                job().addTraits(DistributedTraining.nodes(4), Gang.volcano().queue("research"))
                        .build());
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Job", "Service", "PodGroup");
        HasMetadata group = objects.get(2);
        assertThat(group.getApiVersion()).isEqualTo("scheduling.volcano.sh/v1beta1");
        assertThat(group.getMetadata().getName()).isEqualTo("train");
        assertThat(spec(group)).containsEntry("minMember", 4).containsEntry("queue", "research");
        var template = ((Job) objects.get(0)).getSpec().getTemplate();
        assertThat(template.getSpec().getSchedulerName()).isEqualTo("volcano");
        assertThat(template.getMetadata().getAnnotations())
                .containsEntry("scheduling.k8s.io/group-name", "train")
                .containsEntry("scheduling.volcano.sh/queue-name", "research");
    }

    @Test
    void coschedulingGetsItsOwnPodGroupKindAndALabel() {
        List<HasMetadata> objects = Skiff.render(
                job().parallelism(3).addTraits(Gang.coscheduling().minMember(2)).build());
        HasMetadata group = objects.get(1);
        assertThat(group.getApiVersion()).isEqualTo("scheduling.x-k8s.io/v1alpha1");
        assertThat(spec(group)).containsExactly(Map.entry("minMember", 2));
        var template = ((Job) objects.get(0)).getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).containsEntry("scheduling.x-k8s.io/pod-group", "train");
        assertThat(template.getSpec().getSchedulerName()).isEqualTo("scheduler-plugins-scheduler");
        assertThat(((Job) Skiff.render(job().addTraits(Gang.coscheduling().schedulerName("default-scheduler"))
                                        .build())
                                .get(0))
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSchedulerName())
                .isEqualTo("default-scheduler");
    }

    @Test
    void kaiGetsItsSchedulerAndQueueLabelAndNoPodGroupOfSkiffs() {
        List<HasMetadata> objects = Skiff.render(
                job().addTraits(DistributedTraining.nodes(2), Gang.kai().queue("team-a"))
                        .build());
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Job", "Service");
        Job job = (Job) objects.get(0);
        assertThat(job.getMetadata().getLabels()).containsEntry("kai.scheduler/queue", "team-a");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("kai.scheduler/queue", "team-a");
        assertThat(job.getSpec().getTemplate().getSpec().getSchedulerName()).isEqualTo("kai-scheduler");
    }

    @Test
    void aMinMemberAboveTheParallelismCouldNeverStart() {
        assertThatThrownBy(() -> job().parallelism(2)
                        .addTraits(Gang.volcano().minMember(3))
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("minMember: Invalid value: 3: must be <= parallelism (2)");
    }

    @Test
    void anotherSchedulerNameInThePlacementIsAConflict() {
        assertThatThrownBy(() -> job().placement(Placement.builder()
                                .schedulerName("my-scheduler")
                                .build())
                        .addTraits(Gang.volcano())
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("spec.template.spec.schedulerName: Invalid value: \"my-scheduler\"")
                .hasMessageContaining("must be \"volcano\"");
    }

    @Test
    void settingsAScheduleDoesNotHaveAreRejected() {
        assertThatThrownBy(() -> Gang.coscheduling().queue("x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Coscheduling plugin has no queues");
        assertThatThrownBy(() -> Gang.kai().minMember(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KAI's pod grouper sets a plain Job's minMember itself");
        assertThatThrownBy(() -> Gang.volcano().scheduleTimeout(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheduleTimeout is a Coscheduling setting");
        assertThatThrownBy(() -> Gang.coscheduling().scheduleTimeout(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> Gang.volcano().minMember(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minMember must be >= 1, but was 0");
    }

    @Test
    void onlyBatchJobsAreGangScheduled() {
        assertThatThrownBy(() -> InteractiveSession.builder()
                        .name("notebook")
                        .container(
                                Container.of("jupyter/base-notebook:2024-01-15").withPort(8888))
                        .addTraits(Gang.volcano())
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("gang scheduling is rendered for a BatchJob only");
    }
}
