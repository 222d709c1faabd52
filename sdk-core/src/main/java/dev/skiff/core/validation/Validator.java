package dev.skiff.core.validation;

import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.internal.validation.AppsRules;
import dev.skiff.core.internal.validation.CoreRules;
import dev.skiff.core.internal.validation.Errors;
import dev.skiff.core.internal.validation.JobRules;
import dev.skiff.core.internal.validation.MetaRules;
import dev.skiff.core.internal.validation.MetaRules.NameRule;
import dev.skiff.core.internal.validation.Path;
import dev.skiff.core.internal.validation.PodRules;
import dev.skiff.core.internal.validation.StorageRules;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import java.util.List;
import java.util.Objects;

/**
 * Checks Kubernetes objects against the rules a kube-apiserver of Kubernetes 1.36, with its default
 * feature gates, applies when they are created, offline. (Older servers are stricter in places:
 * they refuse a Service name starting with a digit before 1.36, and a regular container's {@code
 * restartPolicy} before 1.35.)
 *
 * <p>{@link #validate(HasMetadata)} returns every violation, each with the field path, error type
 * and wording of the API server, for example
 * {@code spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: "0.5": must be an integer}.
 * Like the server, it first applies the defaults the server would apply (such as a pod's
 * {@code restartPolicy: Always}, a Service's {@code type: ClusterIP}, or the selector and
 * {@code job-name} labels generated for a Job), so it reports what a real create would report.
 *
 * <pre>{@code
 * List<Violation> violations = Validator.validate(job);
 * if (!violations.isEmpty()) {
 *     violations.forEach(v -> log.warn("{}", v));
 * }
 * }</pre>
 *
 * <h2>Coverage</h2>
 *
 * <p>Jobs, CronJobs, Pods, Deployments, StatefulSets, Services, PersistentVolumeClaims, ConfigMaps,
 * Secrets, Namespaces and {@code resource.k8s.io/v1} ResourceClaimTemplates get their kind's rules;
 * any other object gets the metadata rules only. Rules that need the cluster (quota, admission,
 * existing objects) or an update (immutability) are out of scope.
 *
 * <h2>Thread safety</h2>
 *
 * <p>Stateless and thread-safe; the object passed in is only read.
 */
public final class Validator {
    private Validator() {}

    /**
     * Returns every violation in {@code object}, in the order the API server reports them as the
     * causes of its {@code 422 Invalid} answer (a rule the server checks twice is reported twice);
     * an empty list when the object is valid.
     *
     * @param object a Job, CronJob, Pod, Deployment, StatefulSet, Service, ...
     * @return the violations, never {@code null}
     */
    public static List<Violation> validate(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        Errors errs = new Errors();
        if (object instanceof Job job) {
            MetaRules.objectMeta(JobRules.defaultedMeta(job), true, NameRule.SUBDOMAIN, errs);
            JobRules.job(job, errs);
        } else if (object instanceof CronJob cronJob) {
            MetaRules.objectMeta(cronJob.getMetadata(), true, NameRule.SUBDOMAIN, errs);
            JobRules.cronJob(cronJob, errs);
        } else if (object instanceof Pod pod) {
            MetaRules.objectMeta(pod.getMetadata(), true, NameRule.SUBDOMAIN, errs);
            PodRules.pod(pod, errs);
        } else if (object instanceof Deployment deployment) {
            MetaRules.objectMeta(deployment.getMetadata(), true, NameRule.SUBDOMAIN, errs);
            AppsRules.deployment(deployment, errs);
        } else if (object instanceof StatefulSet statefulSet) {
            MetaRules.objectMeta(statefulSet.getMetadata(), true, NameRule.LABEL, errs);
            AppsRules.statefulSet(statefulSet, errs);
        } else if (object instanceof Service service) {
            MetaRules.objectMeta(service.getMetadata(), true, NameRule.LABEL, errs);
            CoreRules.service(service, errs);
        } else if (object instanceof PersistentVolumeClaim pvc) {
            MetaRules.objectMeta(pvc.getMetadata(), true, NameRule.SUBDOMAIN, errs);
            StorageRules.claimSpec(pvc.getSpec(), Path.root("spec"), errs);
        } else if (object instanceof ConfigMap configMap) {
            MetaRules.objectMeta(configMap.getMetadata(), true, NameRule.SUBDOMAIN, errs);
            CoreRules.configMap(configMap, errs);
        } else if (object instanceof Secret secret) {
            MetaRules.objectMeta(secret.getMetadata(), true, NameRule.SUBDOMAIN, errs);
            CoreRules.secret(secret, errs);
        } else if (object instanceof Namespace namespace) {
            MetaRules.objectMeta(namespace.getMetadata(), false, NameRule.LABEL, errs);
            CoreRules.namespace(namespace, errs);
        } else if (object instanceof ResourceClaimTemplate template) {
            MetaRules.objectMeta(template.getMetadata(), true, NameRule.SUBDOMAIN, errs);
            CoreRules.resourceClaimTemplate(template, errs);
        } else {
            MetaRules.objectMeta(object.getMetadata(), true, NameRule.SUBDOMAIN, errs);
        }
        // Identical violations stay: the server lists each once in its message, but reports every
        // one as a cause (a Job's two generated job-name labels, a StatefulSet's template labels).
        return errs.list();
    }

    /**
     * Throws if {@code object} breaks any rule {@link #validate(HasMetadata)} checks.
     *
     * @param object the object to check
     * @throws InvalidWorkloadException carrying every violation, when there is at least one
     */
    public static void requireValid(HasMetadata object) {
        List<Violation> violations = validate(object);
        if (!violations.isEmpty()) {
            String kind = object.getKind() == null ? object.getClass().getSimpleName() : object.getKind();
            String name = object.getMetadata() == null || object.getMetadata().getName() == null
                    ? ""
                    : object.getMetadata().getName();
            throw new InvalidWorkloadException(kind, name, violations);
        }
    }
}
