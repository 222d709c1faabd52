package dev.skiff.core.validation;

import dev.skiff.core.internal.defaults.ClaimDefaults;
import dev.skiff.core.internal.defaults.CoreDefaults;
import dev.skiff.core.internal.defaults.DeviceDefaults;
import dev.skiff.core.internal.defaults.PodDefaults;
import dev.skiff.core.internal.defaults.WorkloadDefaults;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import java.util.Objects;

/**
 * Fills in the fields a kube-apiserver (Kubernetes 1.36, default feature gates) defaults when an
 * object is created, before it is validated: what {@code kubectl get -o yaml} shows right after a
 * create, apart from what the server sets outside its defaulting functions.
 *
 * <pre>{@code
 * Job job = (Job) Skiff.render(spec).get(0);
 * Defaults.apply(job);                       // backoffLimit 6, dnsPolicy ClusterFirst, ...
 * Defaults.generateJobSelector(job, uid);    // once the uid is known
 * }</pre>
 *
 * <p>A value already set is never replaced (except the zero probe timings and the empty target
 * port the server treats as unset, and a Namespace's {@code kubernetes.io/metadata.name} label,
 * which always equals the name). Applying twice gives the same object as applying once. Maps the
 * defaults add keys to are replaced by copies, so immutable maps are fine.
 *
 * <h2>Applied</h2>
 *
 * <ul>
 *   <li><b>Every pod spec</b> (Pods and the templates of Jobs, CronJobs, Deployments, ReplicaSets,
 *       StatefulSets, DaemonSets, PodTemplates): {@code dnsPolicy: ClusterFirst}, {@code
 *       restartPolicy: Always} (a Job template too: the server defaults it, then rejects it),
 *       {@code securityContext: {}}, {@code terminationGracePeriodSeconds: 30}, {@code
 *       schedulerName: default-scheduler}; for every container, init and ephemeral container
 *       {@code imagePullPolicy} ({@code Always} for the tag {@code latest} or no tag and no digest,
 *       else {@code IfNotPresent}), {@code terminationMessagePath: /dev/termination-log}, {@code
 *       terminationMessagePolicy: File}, port {@code protocol: TCP}, env {@code fieldRef.apiVersion:
 *       v1}, probe {@code timeoutSeconds: 1}, {@code periodSeconds: 10}, {@code successThreshold: 1},
 *       {@code failureThreshold: 3}, {@code httpGet} {@code path: /} and {@code scheme: HTTP}, {@code
 *       grpc.service: ""}; volumes without a source become {@code emptyDir: {}}, secret, configMap,
 *       downwardAPI and projected volumes get {@code defaultMode: 420}, service account tokens
 *       {@code expirationSeconds: 3600}, hostPath {@code type: ""}, ephemeral claim templates {@code
 *       volumeMode: Filesystem}, image volumes a pull policy, and the legacy iSCSI, RBD, Azure Disk
 *       and ScaleIO sources their defaults.
 *   <li><b>Pods only</b>: {@code enableServiceLinks: true}; every container limit without a request
 *       is copied to the requests; with {@code hostNetwork}, {@code hostPort} defaults to the
 *       container port.
 *   <li><b>Job</b>: {@code parallelism} 1 and, when both are unset, {@code completions} 1; {@code
 *       backoffLimit} 6 ({@code 2147483647} with {@code backoffLimitPerIndex}); {@code
 *       completionMode: NonIndexed}; {@code suspend: false}; {@code podReplacementPolicy:
 *       TerminatingOrFailed} ({@code Failed} with a pod failure policy); {@code manualSelector:
 *       false}; pod-condition patterns {@code status: "True"}; the Job's labels copied from the
 *       template when the Job has none.
 *   <li><b>CronJob</b>: {@code concurrencyPolicy: Allow}, {@code suspend: false}, history limits 3
 *       and 1; in the job template only the pod template and pod-condition defaults (the server
 *       does not run the Job defaults on a template).
 *   <li><b>Deployment</b>: 1 replica, {@code RollingUpdate} 25%/25%, {@code revisionHistoryLimit:
 *       10}, {@code progressDeadlineSeconds: 600}. <b>ReplicaSet</b>: 1 replica. <b>DaemonSet</b>:
 *       {@code RollingUpdate} with {@code maxUnavailable: 1}, {@code maxSurge: 0}, 10 revisions.
 *   <li><b>StatefulSet</b>: 1 replica, {@code OrderedReady}, {@code RollingUpdate} with {@code
 *       partition: 0} and {@code maxUnavailable: 1} (Kubernetes 1.35 and newer), {@code Retain}
 *       claim retention on delete and scale, 10 revisions; claim templates {@code volumeMode:
 *       Filesystem} and {@code status.phase: Pending}.
 *   <li><b>Service</b>: {@code type: ClusterIP}, {@code sessionAffinity: None} (the affinity config
 *       is dropped) or the ClientIP timeout 10800, port {@code protocol: TCP} and {@code targetPort}
 *       equal to {@code port}, {@code internalTrafficPolicy: Cluster}, {@code
 *       externalTrafficPolicy: Cluster} when externally reachable, {@code
 *       allocateLoadBalancerNodePorts: true} for load balancers.
 *   <li><b>PersistentVolumeClaim</b>: {@code volumeMode: Filesystem}. <b>Namespace</b>: the label
 *       {@code kubernetes.io/metadata.name}. <b>Secret</b>: {@code type: Opaque}. <b>ConfigMap</b>:
 *       an empty {@code data} map. <b>Node</b>: {@code status.allocatable} copied from the capacity
 *       when absent. <b>ResourceClaim(Template)</b>: {@code allocationMode: ExactCount}, {@code
 *       count: 1}, device toleration {@code operator: Equal}.
 * </ul>
 *
 * <p>Any other object is left unchanged.
 *
 * <h2>Deliberately not applied</h2>
 *
 * <ul>
 *   <li>Admission plugins, which need cluster state: {@code serviceAccountName: default}, the
 *       {@code kube-api-access-*} token volume and mounts (ServiceAccount), {@code priority} and
 *       {@code preemptionPolicy} (Priority), the {@code not-ready}/{@code unreachable} 300 s
 *       tolerations (DefaultTolerationSeconds), a claim's default storage class
 *       (DefaultStorageClass), LimitRange requests and limits.
 *   <li>The registry, outside defaulting: a Job's selector and labels (they need the uid: see
 *       {@link #generateJobSelector(Job, String)}), a Service's cluster IPs, IP families, IP family
 *       policy and node ports (allocated), a Namespace's {@code kubernetes} finalizer, uid,
 *       timestamps, resourceVersion, generation and every top-level {@code status}.
 *   <li>Pod-level resources defaulting ({@code PodLevelResources}, beta since 1.34: pod-level
 *       requests and limits derived from the containers' when {@code spec.resources} is partly
 *       set), and {@code SetDefaults_ResourceList}, which rounds quantities finer than a milli-unit
 *       up to one ({@code 100u} becomes {@code 1m}); quantities keep the text they were given.
 * </ul>
 *
 * <h2>Thread safety</h2>
 *
 * <p>Stateless; mutates only the object passed in, which the caller must not share while it runs.
 */
public final class Defaults {
    private Defaults() {}

    /**
     * Sets, in place, every field the API server would default when {@code object} is created.
     *
     * @param object a Pod, Job, CronJob, Deployment, ReplicaSet, StatefulSet, DaemonSet, Service,
     *     PersistentVolumeClaim, Namespace, Secret, ConfigMap, Node, PodTemplate, ResourceClaim or
     *     ResourceClaimTemplate; other kinds are left unchanged
     */
    public static void apply(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        if (object instanceof Job job) {
            WorkloadDefaults.job(job);
        } else if (object instanceof Pod pod) {
            PodDefaults.pod(pod);
        } else if (object instanceof CronJob cronJob) {
            WorkloadDefaults.cronJob(cronJob);
        } else if (object instanceof Service service) {
            CoreDefaults.service(service);
        } else if (object instanceof StatefulSet statefulSet) {
            WorkloadDefaults.statefulSet(statefulSet);
        } else if (object instanceof Deployment deployment) {
            WorkloadDefaults.deployment(deployment);
        } else if (object instanceof ReplicaSet replicaSet) {
            WorkloadDefaults.replicaSet(replicaSet);
        } else if (object instanceof PersistentVolumeClaim pvc) {
            ClaimDefaults.claim(pvc);
        } else if (object instanceof ResourceClaimTemplate template) {
            DeviceDefaults.claimTemplate(template);
        } else if (object instanceof ResourceClaim claim) {
            DeviceDefaults.claim(claim);
        } else if (object instanceof Secret secret) {
            CoreDefaults.secret(secret);
        } else if (object instanceof ConfigMap configMap) {
            CoreDefaults.configMap(configMap);
        } else if (object instanceof Namespace namespace) {
            CoreDefaults.namespace(namespace);
        } else if (object instanceof Node node) {
            CoreDefaults.node(node);
        } else if (object instanceof DaemonSet daemonSet) {
            WorkloadDefaults.daemonSet(daemonSet);
        } else if (object instanceof PodTemplate podTemplate) {
            CoreDefaults.podTemplate(podTemplate);
        }
    }

    /**
     * Adds what the API server generates for a new Job once it has assigned the uid, unless {@code
     * spec.manualSelector} is true: the template labels {@code batch.kubernetes.io/job-name} and
     * the legacy {@code job-name} (the Job's name), {@code batch.kubernetes.io/controller-uid} and
     * the legacy {@code controller-uid} (the uid), each only when absent, and the selector {@code
     * matchLabels} entry {@code batch.kubernetes.io/controller-uid: <uid>} when absent. Labels the
     * user set with other values stay, for validation to reject. It does not set {@code
     * metadata.uid}; the caller (the API server) does.
     *
     * @param job the Job being created, usually after {@link #apply(HasMetadata)}
     * @param uid the uid the server assigned to it
     */
    public static void generateJobSelector(Job job, String uid) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(uid, "uid");
        WorkloadDefaults.generateSelector(job, uid);
    }
}
