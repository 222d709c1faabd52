package dev.skiff.core.internal.defaults;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** batch/v1 and apps/v1 workloads: Go's {@code SetDefaults_Job}, {@code SetDefaults_CronJob}, {@code SetDefaults_Deployment} ... */
public final class WorkloadDefaults {
    private WorkloadDefaults() {}

    static final String JOB_NAME = "job-name";
    static final String BATCH_JOB_NAME = "batch.kubernetes.io/job-name";
    static final String CONTROLLER_UID = "controller-uid";
    static final String BATCH_CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

    /** {@code SetDefaults_Job}, then the pod template and pod failure policy defaults. */
    public static void job(Job job) {
        JobSpec spec = job.getSpec();
        if (spec == null) {
            spec = new JobSpec();
            job.setSpec(spec);
        }
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
        PodTemplateSpec template = spec.getTemplate();
        Map<String, String> templateLabels = template == null || template.getMetadata() == null
                ? null
                : template.getMetadata().getLabels();
        if (templateLabels != null && !templateLabels.isEmpty()) {
            ObjectMeta meta = job.getMetadata();
            if (meta == null) {
                meta = new ObjectMeta();
                job.setMetadata(meta);
            }
            if (meta.getLabels() == null || meta.getLabels().isEmpty()) {
                meta.setLabels(new LinkedHashMap<>(templateLabels));
            }
        }
        if (spec.getCompletionMode() == null) {
            spec.setCompletionMode("NonIndexed");
        }
        if (spec.getSuspend() == null) {
            spec.setSuspend(false);
        }
        podFailurePolicy(spec.getPodFailurePolicy());
        if (spec.getPodReplacementPolicy() == null) {
            spec.setPodReplacementPolicy(spec.getPodFailurePolicy() != null ? "Failed" : "TerminatingOrFailed");
        }
        if (spec.getManualSelector() == null) {
            spec.setManualSelector(false);
        }
        spec.setTemplate(PodDefaults.template(template));
    }

    /**
     * The registry's {@code generateSelector} for a Job whose {@code manualSelector} is not true:
     * the {@code job-name} and {@code controller-uid} template labels (legacy and {@code
     * batch.kubernetes.io/} forms, each only when absent) and the selector on the prefixed uid label.
     */
    public static void generateSelector(Job job, String uid) {
        JobSpec spec = job.getSpec();
        if (spec == null) {
            spec = new JobSpec();
            job.setSpec(spec);
        }
        if (Boolean.TRUE.equals(spec.getManualSelector())) {
            return;
        }
        String name = job.getMetadata() == null || job.getMetadata().getName() == null
                ? ""
                : job.getMetadata().getName();
        PodTemplateSpec template = spec.getTemplate();
        if (template == null) {
            template = new PodTemplateSpec();
            spec.setTemplate(template);
        }
        ObjectMeta meta = template.getMetadata();
        if (meta == null) {
            meta = new ObjectMeta();
            template.setMetadata(meta);
        }
        Map<String, String> labels =
                meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
        labels.putIfAbsent(JOB_NAME, name);
        labels.putIfAbsent(BATCH_JOB_NAME, name);
        labels.putIfAbsent(CONTROLLER_UID, uid);
        labels.putIfAbsent(BATCH_CONTROLLER_UID, uid);
        meta.setLabels(labels);
        LabelSelector selector = spec.getSelector();
        if (selector == null) {
            selector = new LabelSelector();
            spec.setSelector(selector);
        }
        Map<String, String> match = selector.getMatchLabels();
        if (match == null || !match.containsKey(BATCH_CONTROLLER_UID)) {
            Map<String, String> copy = match == null ? new LinkedHashMap<>() : new LinkedHashMap<>(match);
            copy.put(BATCH_CONTROLLER_UID, uid);
            selector.setMatchLabels(copy);
        }
    }

    /** {@code SetDefaults_PodFailurePolicyOnPodConditionsPattern}: an empty status means {@code True}. */
    private static void podFailurePolicy(@Nullable PodFailurePolicy policy) {
        if (policy == null || policy.getRules() == null) {
            return;
        }
        for (PodFailurePolicyRule rule : policy.getRules()) {
            if (rule.getOnPodConditions() == null) {
                continue;
            }
            for (PodFailurePolicyOnPodConditionsPattern p : rule.getOnPodConditions()) {
                if (PodDefaults.isEmpty(p.getStatus())) {
                    p.setStatus("True");
                }
            }
        }
    }

    /**
     * {@code SetDefaults_CronJob}, and for the job template only the pod template and pod failure
     * policy defaults: {@code SetDefaults_Job} runs on Jobs, not on a CronJob's job template.
     */
    public static void cronJob(CronJob cronJob) {
        CronJobSpec spec = cronJob.getSpec();
        if (spec == null) {
            spec = new CronJobSpec();
            cronJob.setSpec(spec);
        }
        if (PodDefaults.isEmpty(spec.getConcurrencyPolicy())) {
            spec.setConcurrencyPolicy("Allow");
        }
        if (spec.getSuspend() == null) {
            spec.setSuspend(false);
        }
        if (spec.getSuccessfulJobsHistoryLimit() == null) {
            spec.setSuccessfulJobsHistoryLimit(3);
        }
        if (spec.getFailedJobsHistoryLimit() == null) {
            spec.setFailedJobsHistoryLimit(1);
        }
        JobTemplateSpec jobTemplate = spec.getJobTemplate();
        if (jobTemplate == null) {
            jobTemplate = new JobTemplateSpec();
            spec.setJobTemplate(jobTemplate);
        }
        JobSpec jobSpec = jobTemplate.getSpec();
        if (jobSpec == null) {
            jobSpec = new JobSpec();
            jobTemplate.setSpec(jobSpec);
        }
        podFailurePolicy(jobSpec.getPodFailurePolicy());
        jobSpec.setTemplate(PodDefaults.template(jobSpec.getTemplate()));
    }

    /** {@code SetDefaults_Deployment}: one replica, 25%/25% rolling update, 10 revisions, 600 s progress deadline. */
    public static void deployment(Deployment deployment) {
        DeploymentSpec spec = deployment.getSpec();
        if (spec == null) {
            spec = new DeploymentSpec();
            deployment.setSpec(spec);
        }
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        DeploymentStrategy strategy = spec.getStrategy();
        if (strategy == null) {
            strategy = new DeploymentStrategy();
            spec.setStrategy(strategy);
        }
        if (PodDefaults.isEmpty(strategy.getType())) {
            strategy.setType("RollingUpdate");
        }
        if (strategy.getType().equals("RollingUpdate")) {
            RollingUpdateDeployment rolling = strategy.getRollingUpdate();
            if (rolling == null) {
                rolling = new RollingUpdateDeployment();
                strategy.setRollingUpdate(rolling);
            }
            if (rolling.getMaxUnavailable() == null) {
                rolling.setMaxUnavailable(new IntOrString("25%"));
            }
            if (rolling.getMaxSurge() == null) {
                rolling.setMaxSurge(new IntOrString("25%"));
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(10);
        }
        if (spec.getProgressDeadlineSeconds() == null) {
            spec.setProgressDeadlineSeconds(600);
        }
        spec.setTemplate(PodDefaults.template(spec.getTemplate()));
    }

    /** {@code SetDefaults_ReplicaSet}: one replica. */
    public static void replicaSet(ReplicaSet replicaSet) {
        ReplicaSetSpec spec = replicaSet.getSpec();
        if (spec == null) {
            spec = new ReplicaSetSpec();
            replicaSet.setSpec(spec);
        }
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        spec.setTemplate(PodDefaults.template(spec.getTemplate()));
    }

    /**
     * {@code SetDefaults_StatefulSet} as a Kubernetes 1.36 API server applies it: {@code OrderedReady},
     * a rolling update with partition 0 (no {@code maxUnavailable}: a real 1.36.3 server leaves it
     * unset), a Retain/Retain claim retention policy, one replica, 10 revisions;
     * then the pod template and the claim templates.
     */
    public static void statefulSet(StatefulSet statefulSet) {
        StatefulSetSpec spec = statefulSet.getSpec();
        if (spec == null) {
            spec = new StatefulSetSpec();
            statefulSet.setSpec(spec);
        }
        if (PodDefaults.isEmpty(spec.getPodManagementPolicy())) {
            spec.setPodManagementPolicy("OrderedReady");
        }
        StatefulSetUpdateStrategy strategy = spec.getUpdateStrategy();
        if (strategy == null) {
            strategy = new StatefulSetUpdateStrategy();
            spec.setUpdateStrategy(strategy);
        }
        if (PodDefaults.isEmpty(strategy.getType())) {
            strategy.setType("RollingUpdate");
            if (strategy.getRollingUpdate() == null) {
                strategy.setRollingUpdate(new RollingUpdateStatefulSetStrategy());
            }
        }
        RollingUpdateStatefulSetStrategy rolling = strategy.getRollingUpdate();
        if (strategy.getType().equals("RollingUpdate") && rolling != null) {
            if (rolling.getPartition() == null) {
                rolling.setPartition(0);
            }
            // maxUnavailable stays unset: a v1.36.3 API server does not default it (its gate,
            // MaxUnavailableStatefulSet, is off there); the controller then takes 1
        }
        StatefulSetPersistentVolumeClaimRetentionPolicy retention = spec.getPersistentVolumeClaimRetentionPolicy();
        if (retention == null) {
            retention = new StatefulSetPersistentVolumeClaimRetentionPolicy();
            spec.setPersistentVolumeClaimRetentionPolicy(retention);
        }
        if (PodDefaults.isEmpty(retention.getWhenDeleted())) {
            retention.setWhenDeleted("Retain");
        }
        if (PodDefaults.isEmpty(retention.getWhenScaled())) {
            retention.setWhenScaled("Retain");
        }
        if (spec.getReplicas() == null) {
            spec.setReplicas(1);
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(10);
        }
        spec.setTemplate(PodDefaults.template(spec.getTemplate()));
        if (spec.getVolumeClaimTemplates() != null) {
            for (PersistentVolumeClaim claim : spec.getVolumeClaimTemplates()) {
                ClaimDefaults.claimTemplate(claim);
            }
        }
    }

    /** {@code SetDefaults_DaemonSet}: a rolling update with {@code maxUnavailable: 1}, {@code maxSurge: 0}; 10 revisions. */
    public static void daemonSet(DaemonSet daemonSet) {
        DaemonSetSpec spec = daemonSet.getSpec();
        if (spec == null) {
            spec = new DaemonSetSpec();
            daemonSet.setSpec(spec);
        }
        DaemonSetUpdateStrategy strategy = spec.getUpdateStrategy();
        if (strategy == null) {
            strategy = new DaemonSetUpdateStrategy();
            spec.setUpdateStrategy(strategy);
        }
        if (PodDefaults.isEmpty(strategy.getType())) {
            strategy.setType("RollingUpdate");
        }
        if (strategy.getType().equals("RollingUpdate")) {
            RollingUpdateDaemonSet rolling = strategy.getRollingUpdate();
            if (rolling == null) {
                rolling = new RollingUpdateDaemonSet();
                strategy.setRollingUpdate(rolling);
            }
            if (rolling.getMaxUnavailable() == null) {
                rolling.setMaxUnavailable(new IntOrString(1));
            }
            if (rolling.getMaxSurge() == null) {
                rolling.setMaxSurge(new IntOrString(0));
            }
        }
        if (spec.getRevisionHistoryLimit() == null) {
            spec.setRevisionHistoryLimit(10);
        }
        spec.setTemplate(PodDefaults.template(spec.getTemplate()));
    }
}
