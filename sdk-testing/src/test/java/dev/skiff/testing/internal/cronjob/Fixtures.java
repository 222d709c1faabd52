package dev.skiff.testing.internal.cronjob;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.time.Instant;

/** CronJobs as the API server stores them after defaulting. */
final class Fixtures {
    static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

    private Fixtures() {}

    /** A CronJob named {@code report}, created at {@link #CREATED}, with the API server's defaults. */
    static CronJobBuilder cronJob(String schedule) {
        return cronJob(schedule, CREATED);
    }

    static CronJobBuilder cronJob(String schedule, Instant created) {
        return new CronJobBuilder()
                .withApiVersion("batch/v1")
                .withKind("CronJob")
                .withNewMetadata()
                .withName("report")
                .withNamespace("default")
                .withUid("cronjob-uid")
                .withCreationTimestamp(Times.format(created))
                .endMetadata()
                .withNewSpec()
                .withSchedule(schedule)
                .withConcurrencyPolicy("Allow")
                .withSuspend(false)
                .withSuccessfulJobsHistoryLimit(3)
                .withFailedJobsHistoryLimit(1)
                .withNewJobTemplate()
                .withNewMetadata()
                .addToLabels("app", "report")
                .addToAnnotations("team", "ml")
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(2)
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .endJobTemplate()
                .endSpec();
    }

    static CronJob build(String schedule) {
        return cronJob(schedule).build();
    }
}
