package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The kinds the in-memory API server serves. */
public final class ResourceTypes {
    public static final ResourceType NAMESPACES =
            of("", "v1", "Namespace", "namespaces", false, Namespace.class, true, "ns");
    public static final ResourceType NODES = of("", "v1", "Node", "nodes", false, Node.class, true, "no");
    public static final ResourceType PODS = of("", "v1", "Pod", "pods", true, Pod.class, true, "po");
    public static final ResourceType EVENTS = of("", "v1", "Event", "events", true, Event.class, false, "ev");
    public static final ResourceType SERVICES = of("", "v1", "Service", "services", true, Service.class, true, "svc");
    public static final ResourceType CONFIG_MAPS =
            of("", "v1", "ConfigMap", "configmaps", true, ConfigMap.class, false, "cm");
    public static final ResourceType SECRETS = of("", "v1", "Secret", "secrets", true, Secret.class, false);
    public static final ResourceType PVCS = of(
            "",
            "v1",
            "PersistentVolumeClaim",
            "persistentvolumeclaims",
            true,
            PersistentVolumeClaim.class,
            true,
            "pvc");
    public static final ResourceType POD_TEMPLATES =
            of("", "v1", "PodTemplate", "podtemplates", true, PodTemplate.class, false);
    public static final ResourceType SERVICE_ACCOUNTS =
            of("", "v1", "ServiceAccount", "serviceaccounts", true, ServiceAccount.class, false, "sa");
    public static final ResourceType RESOURCE_QUOTAS =
            of("", "v1", "ResourceQuota", "resourcequotas", true, ResourceQuota.class, true, "quota");
    public static final ResourceType EVENTS_V1 = of(
            "events.k8s.io",
            "v1",
            "Event",
            "events",
            true,
            io.fabric8.kubernetes.api.model.events.v1.Event.class,
            false,
            "ev");
    public static final ResourceType PRIORITY_CLASSES =
            of("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, PriorityClass.class, false, "pc");
    public static final ResourceType JOBS = of("batch", "v1", "Job", "jobs", true, Job.class, true);
    public static final ResourceType CRON_JOBS =
            of("batch", "v1", "CronJob", "cronjobs", true, CronJob.class, true, "cj");
    public static final ResourceType DEPLOYMENTS =
            of("apps", "v1", "Deployment", "deployments", true, Deployment.class, true, "deploy");
    public static final ResourceType REPLICA_SETS =
            of("apps", "v1", "ReplicaSet", "replicasets", true, ReplicaSet.class, true, "rs");
    public static final ResourceType STATEFUL_SETS =
            of("apps", "v1", "StatefulSet", "statefulsets", true, StatefulSet.class, true, "sts");
    public static final ResourceType CONTROLLER_REVISIONS =
            of("apps", "v1", "ControllerRevision", "controllerrevisions", true, ControllerRevision.class, false);
    public static final ResourceType RESOURCE_CLAIMS =
            of("resource.k8s.io", "v1", "ResourceClaim", "resourceclaims", true, ResourceClaim.class, true);
    public static final ResourceType RESOURCE_CLAIM_TEMPLATES = of(
            "resource.k8s.io",
            "v1",
            "ResourceClaimTemplate",
            "resourceclaimtemplates",
            true,
            ResourceClaimTemplate.class,
            false);

    public static final ResourceType CUSTOM_RESOURCE_DEFINITIONS = of(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
            false,
            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class,
            true,
            "crd",
            "crds");

    private static final List<ResourceType> ALL = List.of(
            NAMESPACES,
            NODES,
            PODS,
            EVENTS,
            SERVICES,
            CONFIG_MAPS,
            SECRETS,
            PVCS,
            POD_TEMPLATES,
            SERVICE_ACCOUNTS,
            RESOURCE_QUOTAS,
            EVENTS_V1,
            PRIORITY_CLASSES,
            JOBS,
            CRON_JOBS,
            DEPLOYMENTS,
            REPLICA_SETS,
            STATEFUL_SETS,
            CONTROLLER_REVISIONS,
            RESOURCE_CLAIMS,
            RESOURCE_CLAIM_TEMPLATES,
            CUSTOM_RESOURCE_DEFINITIONS);

    private static final Map<String, ResourceType> BY_PATH = new HashMap<>();
    private static final Map<Class<?>, ResourceType> BY_CLASS = new HashMap<>();
    private static final Map<String, List<ResourceType>> BY_GROUP_VERSION = new LinkedHashMap<>();

    static {
        for (ResourceType t : ALL) {
            BY_PATH.put(t.apiVersion() + "/" + t.plural(), t);
            BY_CLASS.put(t.type(), t);
            BY_GROUP_VERSION
                    .computeIfAbsent(t.apiVersion(), k -> new ArrayList<>())
                    .add(t);
        }
    }

    private ResourceTypes() {}

    private static ResourceType of(
            String group,
            String version,
            String kind,
            String plural,
            boolean namespaced,
            Class<? extends HasMetadata> type,
            boolean hasStatus,
            String... shortNames) {
        return new ResourceType(group, version, kind, plural, namespaced, type, hasStatus, List.of(shortNames));
    }

    /** Returns every served kind. */
    public static List<ResourceType> all() {
        return ALL;
    }

    /** Finds a kind by API version ({@code v1}, {@code batch/v1}) and plural. */
    public static Optional<ResourceType> find(String apiVersion, String plural) {
        return Optional.ofNullable(BY_PATH.get(apiVersion + "/" + plural));
    }

    /** Finds the kind of a fabric8 class. */
    public static ResourceType of(Class<? extends HasMetadata> type) {
        ResourceType t = BY_CLASS.get(type);
        if (t == null) {
            throw new IllegalArgumentException("not a served kind: " + type.getName());
        }
        return t;
    }

    /** Finds the kind of an object. */
    public static ResourceType of(HasMetadata object) {
        return of(object.getClass());
    }

    /** Returns the served kinds grouped by API version, in a stable order. */
    public static Map<String, List<ResourceType>> byGroupVersion() {
        return Collections.unmodifiableMap(BY_GROUP_VERSION);
    }
}
