package dev.skiff.testing.internal.job;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Jobs as the API server stores them: defaulted the way {@code pkg/apis/batch/v1} does. */
final class TestJobs {

    static final String UID = "0b1c2d3e-job-uid";

    private TestJobs() {}

    /** A Job with one container {@code main}, restartPolicy Never, nothing else set yet. */
    static JobBuilder job(String name) {
        Container main = new ContainerBuilder()
                .withName("main")
                .withImage("busybox:1.36")
                .build();
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .withUid(UID)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withContainers(main)
                .endSpec()
                .endTemplate()
                .endSpec();
    }

    /** Applies the API server's defaults to a built Job. */
    static Job defaulted(JobBuilder builder) {
        Job job = builder.build();
        JobSpec spec = job.getSpec();
        if (spec.getCompletions() == null && spec.getParallelism() == null) {
            spec.setCompletions(1);
            spec.setParallelism(1);
        }
        if (spec.getParallelism() == null) {
            spec.setParallelism(1);
        }
        if (spec.getBackoffLimit() == null) {
            spec.setBackoffLimit(spec.getBackoffLimitPerIndex() != null ? Integer.MAX_VALUE : 6);
        }
        if (spec.getCompletionMode() == null) {
            spec.setCompletionMode("NonIndexed");
        }
        if (spec.getSuspend() == null) {
            spec.setSuspend(false);
        }
        if (spec.getPodReplacementPolicy() == null) {
            spec.setPodReplacementPolicy(spec.getPodFailurePolicy() != null ? "Failed" : "TerminatingOrFailed");
        }
        if (spec.getManualSelector() == null) {
            Map<String, String> generated = new LinkedHashMap<>();
            generated.put(JobReconciler.CONTROLLER_UID_LABEL, UID);
            spec.setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                    .withMatchLabels(generated)
                    .build());
            Map<String, String> labels =
                    new LinkedHashMap<>(spec.getTemplate().getMetadata().getLabels());
            labels.put(JobReconciler.CONTROLLER_UID_LABEL, UID);
            labels.put(JobReconciler.JOB_NAME_LABEL, job.getMetadata().getName());
            labels.put("controller-uid", UID);
            labels.put("job-name", job.getMetadata().getName());
            spec.getTemplate().getMetadata().setLabels(labels);
        }
        return job;
    }
}
