package dev.skiff.testing.internal.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobFromTemplateTest {
    private final CronJob cronJob = Fixtures.build("0 * * * *");

    @Test
    void scheduledJobCarriesTemplateMetadataScheduledTimestampAndBlockingControllerReference() {
        Job job = CronJobReconciler.jobFromTemplate(cronJob, Instant.parse("2024-01-01T01:00:00Z"));

        assertThat(job.getMetadata().getName()).isEqualTo("report-28401180");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(job.getMetadata().getLabels()).containsExactlyEntriesOf(java.util.Map.of("app", "report"));
        assertThat(job.getMetadata().getAnnotations())
                .containsExactly(
                        java.util.Map.entry("team", "ml"),
                        java.util.Map.entry("batch.kubernetes.io/cronjob-scheduled-timestamp", "2024-01-01T01:00:00Z"));
        assertThat(job.getMetadata().getOwnerReferences())
                .containsExactly(new OwnerReference("batch/v1", true, true, "CronJob", "report", "cronjob-uid"));
        assertThat(job.getSpec()).isEqualTo(cronJob.getSpec().getJobTemplate().getSpec());
    }

    @Test
    void scheduledJobSpecIsACopyOfTheTemplate() {
        Job job = CronJobReconciler.jobFromTemplate(cronJob, Instant.parse("2024-01-01T01:00:00Z"));

        job.getSpec().setBackoffLimit(9);
        job.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("changed");

        assertThat(cronJob.getSpec().getJobTemplate().getSpec().getBackoffLimit())
                .isEqualTo(2);
        assertThat(cronJob.getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("busybox");
    }

    @Test
    void jobNameTruncatesToTheScheduledMinute() {
        assertThat(CronJobReconciler.jobName(cronJob, Instant.parse("2024-01-01T01:00:59.999Z")))
                .isEqualTo("report-28401180");
    }

    @Test
    void scheduledJobRejectsATimeZoneThatDoesNotLoad() {
        CronJob bad = Fixtures.cronJob("0 * * * *")
                .editSpec()
                .withTimeZone("Mars/Olympus")
                .endSpec()
                .build();

        assertThatThrownBy(() -> CronJobReconciler.jobFromTemplate(bad, Instant.parse("2024-01-01T01:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus");
    }

    @Test
    void manualJobIsMarkedManualAndControlledWithoutBlockingDeletion() {
        Job job = CronJobReconciler.manualJobFromTemplate(cronJob, "report-now");

        assertThat(job.getMetadata().getName()).isEqualTo("report-now");
        assertThat(job.getMetadata().getAnnotations())
                .containsExactly(
                        java.util.Map.entry("cronjob.kubernetes.io/instantiate", "manual"),
                        java.util.Map.entry("team", "ml"));
        OwnerReference owner = job.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getController()).isTrue();
        assertThat(owner.getBlockOwnerDeletion()).isNull();
        assertThat(owner.getUid()).isEqualTo("cronjob-uid");
        assertThat(job.getSpec()).isEqualTo(cronJob.getSpec().getJobTemplate().getSpec());
    }

    @Test
    void manualJobLetsATemplateAnnotationOverrideTheMarker() {
        CronJob overriding = Fixtures.cronJob("0 * * * *")
                .editSpec()
                .editJobTemplate()
                .editMetadata()
                .addToAnnotations("cronjob.kubernetes.io/instantiate", "template")
                .endMetadata()
                .endJobTemplate()
                .endSpec()
                .build();

        Job job = CronJobReconciler.manualJobFromTemplate(overriding, "report-now");

        assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "template");
    }
}
