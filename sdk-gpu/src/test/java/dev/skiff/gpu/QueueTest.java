package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

class QueueTest {

    private static BatchJob.Builder job() {
        return BatchJob.builder().name("eval").container(Container.of("ghcr.io/acme/evaluator:1.4"));
    }

    @Test
    void aQueuedJobIsLabelledForItsLocalQueueAndCreatedSuspended() {
        Job job = (Job) Skiff.render(job().addTraits(Queue.kueue("team-a").priorityClass("high"))
                        .build())
                .get(0);
        assertThat(job.getMetadata().getLabels())
                .containsEntry("kueue.x-k8s.io/queue-name", "team-a")
                .containsEntry("kueue.x-k8s.io/priority-class", "high");
        assertThat(job.getSpec().getSuspend()).isTrue();
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .doesNotContainKey("kueue.x-k8s.io/queue-name");
    }

    @Test
    void withoutAPriorityClassOnlyTheQueueIsNamed() {
        Job job = (Job)
                Skiff.render(job().addTraits(Queue.kueue("team-a")).build()).get(0);
        assertThat(job.getMetadata().getLabels()).doesNotContainKey("kueue.x-k8s.io/priority-class");
    }

    @Test
    void aSessionIsLabelledButNotSuspended() {
        InteractiveSession session = InteractiveSession.builder()
                .name("notebook")
                .container(Container.of("jupyter/base-notebook:2024-01-15").withPort(8888))
                .addTraits(Queue.kueue("interactive"))
                .build();
        var workload = Skiff.render(session).get(0);
        assertThat(workload.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "interactive");
        var template = workload instanceof StatefulSet sts
                ? sts.getSpec().getTemplate()
                : ((Deployment) workload).getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "interactive");
        assertThat(Skiff.toYaml(session)).doesNotContain("suspend");
    }

    @Test
    void aDifferentQueueLabelTheUserSetIsAConflict() {
        assertThatThrownBy(() -> job().putLabel("kueue.x-k8s.io/queue-name", "team-b")
                        .addTraits(Queue.kueue("team-a"))
                        .build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("Job \"eval\" is invalid")
                .hasMessageContaining("metadata.labels[kueue.x-k8s.io/queue-name]: Invalid value: \"team-b\"")
                .hasMessageContaining("the Queue trait sets it to \"team-a\"");
    }

    @Test
    void aQueueNameThatIsNoLabelValueIsRejectedByTheLabelRules() {
        assertThatThrownBy(() -> job().addTraits(Queue.kueue("team a")).build())
                .isInstanceOf(InvalidWorkloadException.class)
                .hasMessageContaining("metadata.labels: Invalid value: \"team a\"");
        assertThatThrownBy(() -> Queue.kueue(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue name must not be blank");
    }
}
