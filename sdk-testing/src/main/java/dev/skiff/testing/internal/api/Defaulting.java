package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Defaults;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import org.jspecify.annotations.Nullable;

/**
 * The API server's defaulting, shared with skiff-core's {@link Defaults}, plus what that leaves out
 * and a 1.36 server does: a PriorityClass's {@code preemptionPolicy}, and the v1 conversion of a pod
 * spec's deprecated {@code serviceAccount}.
 */
final class Defaulting {
    private Defaulting() {}

    static void apply(HasMetadata object) {
        Defaults.apply(object);
        if (object instanceof PriorityClass pc && pc.getPreemptionPolicy() == null) {
            pc.setPreemptionPolicy(PriorityAdmission.PREEMPT_LOWER_PRIORITY);
        }
        PodSpec spec = podSpec(object);
        if (spec != null) {
            mirrorServiceAccount(spec);
        }
    }

    static void generateJobSelector(Job job, String uid) {
        Defaults.generateJobSelector(job, uid);
    }

    /**
     * The deprecated {@code serviceAccount} as v1 conversion treats it: it names the account when
     * {@code serviceAccountName} does not, and always reads back as {@code serviceAccountName}.
     */
    static void mirrorServiceAccount(PodSpec spec) {
        String name = spec.getServiceAccountName();
        if ((name == null || name.isEmpty())
                && spec.getServiceAccount() != null
                && !spec.getServiceAccount().isEmpty()) {
            spec.setServiceAccountName(spec.getServiceAccount());
        }
        String resolved = spec.getServiceAccountName();
        spec.setServiceAccount(resolved == null || resolved.isEmpty() ? null : resolved);
    }

    private static @Nullable PodSpec podSpec(HasMetadata object) {
        if (object instanceof Pod p) {
            return p.getSpec();
        }
        PodTemplateSpec t = null;
        if (object instanceof Job j && j.getSpec() != null) {
            t = j.getSpec().getTemplate();
        } else if (object instanceof CronJob c
                && c.getSpec() != null
                && c.getSpec().getJobTemplate() != null
                && c.getSpec().getJobTemplate().getSpec() != null) {
            t = c.getSpec().getJobTemplate().getSpec().getTemplate();
        } else if (object instanceof Deployment d && d.getSpec() != null) {
            t = d.getSpec().getTemplate();
        } else if (object instanceof ReplicaSet r && r.getSpec() != null) {
            t = r.getSpec().getTemplate();
        } else if (object instanceof StatefulSet s && s.getSpec() != null) {
            t = s.getSpec().getTemplate();
        }
        return t == null ? null : t.getSpec();
    }
}
