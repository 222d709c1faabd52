package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.apps.AppsEvent;
import dev.skiff.testing.internal.apps.DeploymentReconciler;
import dev.skiff.testing.internal.apps.DeploymentSync;
import dev.skiff.testing.internal.apps.ReplicaSetReconciler;
import dev.skiff.testing.internal.apps.ReplicaSetSync;
import dev.skiff.testing.internal.apps.StatefulSetReconciler;
import dev.skiff.testing.internal.apps.StatefulSetSync;
import dev.skiff.testing.internal.engine.Engine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the ReplicaSet, Deployment and StatefulSet controllers when their objects, ReplicaSets,
 * ControllerRevisions or pods change.
 */
public final class AppsActor implements Actor {
    private final ApiServer api;
    /** owner uid → names of the objects it controls (pods or ReplicaSets, same namespace). */
    private final Map<String, Set<String>> owned = new HashMap<>();

    private final WorkQueue replicaSets;
    private final WorkQueue deployments;
    private final WorkQueue statefulSets;
    /** Consecutive syncs of a ReplicaSet or StatefulSet (by kind and key) in which the server refused a pod. */
    private final Map<String, Integer> createFailures = new HashMap<>();

    public AppsActor(ApiServer api, Engine engine) {
        this.api = api;
        this.replicaSets = new WorkQueue(engine, this::syncReplicaSet);
        this.deployments = new WorkQueue(engine, this::syncDeployment);
        this.statefulSets = new WorkQueue(engine, this::syncStatefulSet);
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    @Override
    public void onChange(Change c) {
        HasMetadata o = c.object();
        if (c.resource() == ResourceTypes.REPLICA_SETS) {
            index(c, o, "Deployment", deployments);
            if (c.type() != Change.Type.DELETED) {
                replicaSets.add(key(o));
            }
        } else if (c.resource() == ResourceTypes.DEPLOYMENTS) {
            if (c.type() != Change.Type.DELETED) {
                deployments.add(key(o));
            }
        } else if (c.resource() == ResourceTypes.STATEFUL_SETS) {
            if (c.type() != Change.Type.DELETED) {
                statefulSets.add(key(o));
            }
        } else if (c.resource() == ResourceTypes.CONTROLLER_REVISIONS) {
            index(c, o, "StatefulSet", statefulSets);
        } else if (c.resource() == ResourceTypes.PODS) {
            OwnerReference rs = JobActor.controllerOf(o, "ReplicaSet");
            if (rs != null) {
                index(c, o, "ReplicaSet", replicaSets);
                // the Deployment owning that ReplicaSet follows its pods too
                ReplicaSet owner = api.find(ReplicaSet.class, o.getMetadata().getNamespace(), rs.getName());
                OwnerReference d = owner == null ? null : JobActor.controllerOf(owner, "Deployment");
                if (d != null) {
                    deployments.add(o.getMetadata().getNamespace() + "/" + d.getName());
                }
            } else {
                index(c, o, "StatefulSet", statefulSets);
            }
        } else if (c.resource() == ResourceTypes.PVCS && c.type() == Change.Type.ADDED) {
            for (StatefulSet s : api.list(StatefulSet.class, o.getMetadata().getNamespace())) {
                statefulSets.add(key(s));
            }
        }
    }

    private void index(Change c, HasMetadata o, String ownerKind, WorkQueue queue) {
        OwnerReference owner = JobActor.controllerOf(o, ownerKind);
        if (owner == null) {
            return;
        }
        Set<String> names = owned.computeIfAbsent(owner.getUid(), k -> new LinkedHashSet<>());
        if (c.type() == Change.Type.DELETED) {
            names.remove(o.getMetadata().getName());
        } else {
            names.add(o.getMetadata().getName());
        }
        queue.add(o.getMetadata().getNamespace() + "/" + owner.getName());
    }

    private <T extends HasMetadata> List<T> ownedBy(HasMetadata owner, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (String name : owned.getOrDefault(owner.getMetadata().getUid(), Set.of())) {
            T o = api.find(type, owner.getMetadata().getNamespace(), name);
            if (o != null) {
                OwnerReference ref = JobActor.controllerOf(o, owner.getKind());
                if (ref != null && owner.getMetadata().getUid().equals(ref.getUid())) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    private void syncReplicaSet(String key) {
        String[] p = key.split("/", 2);
        ReplicaSet rs = api.find(ReplicaSet.class, p[0], p[1]);
        if (rs == null || rs.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        ReplicaSetSync sync = ReplicaSetReconciler.reconcile(rs, ownedBy(rs, Pod.class), api.now(), api.random());
        Set<String> refused = createAll(rs, sync.podsToCreate(), "replicaset-controller");
        for (String name : sync.podsToDelete()) {
            if (api.find(Pod.class, p[0], name) != null) {
                api.delete(ResourceTypes.PODS, p[0], name, ApiServer.DeleteOptions.DEFAULT);
            }
        }
        writeStatus(ReplicaSet.class, rs, sync.status());
        // a pod the server refused was not created: only its FailedCreate event tells
        record(
                rs,
                sync.events().stream()
                        .filter(e -> !(e.reason().equals("SuccessfulCreate")
                                && refused.stream().anyMatch(n -> e.message().equals("Created pod: " + n))))
                        .toList(),
                "replicaset-controller");
        requeue(replicaSets, key, sync.requeueAt());
        retryRefused(replicaSets, "ReplicaSet " + key, refused);
    }

    private void syncDeployment(String key) {
        String[] p = key.split("/", 2);
        Deployment d = api.find(Deployment.class, p[0], p[1]);
        if (d == null || d.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<ReplicaSet> sets = ownedBy(d, ReplicaSet.class);
        List<Pod> pods = new ArrayList<>();
        for (ReplicaSet rs : sets) {
            pods.addAll(ownedBy(rs, Pod.class));
        }
        DeploymentSync sync = DeploymentReconciler.reconcile(d, sets, pods, api.now());
        createAll(d, sync.replicaSetsToCreate(), "deployment-controller");
        for (ReplicaSet rs : sync.replicaSetsToUpdate()) {
            ReplicaSet current =
                    api.find(ReplicaSet.class, p[0], rs.getMetadata().getName());
            if (current != null) {
                ReplicaSet next = (ReplicaSet) api.copy(current);
                next.setSpec(rs.getSpec());
                next.getMetadata().setLabels(rs.getMetadata().getLabels());
                next.getMetadata().setAnnotations(rs.getMetadata().getAnnotations());
                api.update(next);
            }
        }
        for (String name : sync.replicaSetsToDelete()) {
            if (api.find(ReplicaSet.class, p[0], name) != null) {
                api.delete(ResourceTypes.REPLICA_SETS, p[0], name, ApiServer.DeleteOptions.propagation("Background"));
            }
        }
        sync.revision().ifPresent(revision -> {
            Deployment current = api.find(Deployment.class, p[0], p[1]);
            if (current != null) {
                Deployment next = (Deployment) api.copy(current);
                Map<String, String> annotations = next.getMetadata().getAnnotations() == null
                        ? new LinkedHashMap<>()
                        : new LinkedHashMap<>(next.getMetadata().getAnnotations());
                annotations.put(DeploymentReconciler.REVISION, revision);
                next.getMetadata().setAnnotations(annotations);
                api.update(next);
            }
        });
        writeStatus(Deployment.class, d, sync.status());
        record(d, sync.events(), "deployment-controller");
        requeue(deployments, key, sync.requeueAt());
    }

    private void syncStatefulSet(String key) {
        String[] p = key.split("/", 2);
        StatefulSet s = api.find(StatefulSet.class, p[0], p[1]);
        if (s == null || s.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<PersistentVolumeClaim> claims = api.list(PersistentVolumeClaim.class, p[0]);
        StatefulSetSync sync = StatefulSetReconciler.reconcile(
                s, ownedBy(s, Pod.class), claims, ownedBy(s, ControllerRevision.class), api.now());
        if (sync.revisionToCreate().isPresent()
                && !createRevision(s, sync.revisionToCreate().get())) {
            return;
        }
        sync.revisionToUpdate().ifPresent(r -> {
            ControllerRevision current =
                    api.find(ControllerRevision.class, p[0], r.getMetadata().getName());
            if (current != null) {
                ControllerRevision next = (ControllerRevision) api.copy(current);
                next.setRevision(r.getRevision());
                api.update(next);
            }
        });
        createAll(s, sync.claimsToCreate(), "statefulset-controller");
        for (PersistentVolumeClaim claim : sync.claimsToUpdate()) {
            PersistentVolumeClaim current = api.find(
                    PersistentVolumeClaim.class, p[0], claim.getMetadata().getName());
            if (current != null) {
                PersistentVolumeClaim next = (PersistentVolumeClaim) api.copy(current);
                next.getMetadata().setOwnerReferences(claim.getMetadata().getOwnerReferences());
                api.update(next);
            }
        }
        java.util.Set<String> refused = createPods(s, sync.podsToCreate());
        for (String name : sync.podsToDelete()) {
            if (api.find(Pod.class, p[0], name) != null) {
                api.delete(ResourceTypes.PODS, p[0], name, ApiServer.DeleteOptions.DEFAULT);
            }
        }
        for (String name : sync.revisionsToDelete()) {
            if (api.find(ControllerRevision.class, p[0], name) != null) {
                api.delete(ResourceTypes.CONTROLLER_REVISIONS, p[0], name, ApiServer.DeleteOptions.DEFAULT);
            }
        }
        io.fabric8.kubernetes.api.model.apps.StatefulSetStatus status = sync.status();
        if (status != null && !refused.isEmpty()) {
            // refused pods do not count; the controller tries again, backing off
            status = new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder(status).build();
            status.setReplicas(Math.max(0, orZero(status.getReplicas()) - refused.size()));
            status.setCurrentReplicas(positive(orZero(status.getCurrentReplicas()) - refused.size()));
            status.setUpdatedReplicas(positive(orZero(status.getUpdatedReplicas()) - refused.size()));
        }
        retryRefused(statefulSets, "StatefulSet " + key, refused);
        writeStatus(StatefulSet.class, s, status);
        // a pod the server refused was not created: only its FailedCreate event tells
        record(
                s,
                sync.events().stream()
                        .filter(e -> !(e.reason().equals("SuccessfulCreate")
                                && refused.stream().anyMatch(n -> e.message().startsWith("Create Pod " + n + " "))))
                        .toList(),
                "statefulset-controller");
        requeue(statefulSets, key, sync.requeueAt());
    }

    /**
     * {@code CreateControllerRevision}; false when another object holds the name, which counts as a
     * collision in the set's status and brings the set back with a new name.
     */
    private boolean createRevision(StatefulSet s, ControllerRevision revision) {
        try {
            api.create(revision);
            return true;
        } catch (ApiException e) {
            if (!"AlreadyExists".equals(e.reason())) {
                throw e;
            }
        }
        StatefulSet current = api.find(
                StatefulSet.class,
                s.getMetadata().getNamespace(),
                s.getMetadata().getName());
        if (current != null) {
            StatefulSet next = (StatefulSet) api.copy(current);
            io.fabric8.kubernetes.api.model.apps.StatefulSetStatus status = current.getStatus() == null
                    ? new io.fabric8.kubernetes.api.model.apps.StatefulSetStatus()
                    : new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder(current.getStatus()).build();
            status.setCollisionCount((status.getCollisionCount() == null ? 0 : status.getCollisionCount()) + 1);
            next.setStatus(status);
            api.updateStatus(next);
        }
        return false;
    }

    /** Creates objects of an owner; returns the names of those the server refused. */
    private Set<String> createAll(HasMetadata owner, List<? extends HasMetadata> objects, String component) {
        Set<String> refused = new java.util.HashSet<>();
        for (HasMetadata o : objects) {
            try {
                api.create(o);
            } catch (ApiException e) {
                if (!"AlreadyExists".equals(e.reason())) {
                    refused.add(o.getMetadata().getName());
                    Events.record(
                            api, owner, "Warning", "FailedCreate", "Error creating: " + e.getMessage(), component);
                }
            }
        }
        return refused;
    }

    /** After a sync in which the server refused objects, syncs again with the controller's backoff. */
    private void retryRefused(WorkQueue queue, String kindAndKey, Set<String> refused) {
        if (refused.isEmpty()) {
            createFailures.remove(kindAndKey);
        } else {
            int n = createFailures.merge(kindAndKey, 1, Integer::sum);
            queue.addAt(api.now().plus(retryBackoff(n)), kindAndKey.substring(kindAndKey.indexOf(' ') + 1));
        }
    }

    /** The default controller rate limiter's backoff: 5 ms, doubling, at most 1000 s. */
    static java.time.Duration retryBackoff(int failures) {
        long millis = 5L << Math.min(failures - 1, 20);
        return java.time.Duration.ofMillis(Math.min(millis, 1_000_000L));
    }

    private static int orZero(@org.jspecify.annotations.Nullable Integer i) {
        return i == null ? 0 : i;
    }

    private static @org.jspecify.annotations.Nullable Integer positive(int i) {
        return i > 0 ? i : null;
    }

    /**
     * Creates a StatefulSet's pods; a refused one is recorded as the StatefulSet controller words
     * it ({@code Create Pod web-0 in StatefulSet web failed error: ...}). Returns the refused names.
     */
    private java.util.Set<String> createPods(StatefulSet s, List<Pod> pods) {
        java.util.Set<String> refused = new java.util.HashSet<>();
        for (Pod pod : pods) {
            try {
                api.create(pod);
            } catch (ApiException e) {
                if (!"AlreadyExists".equals(e.reason())) {
                    String name = pod.getMetadata().getName();
                    refused.add(name);
                    Events.record(
                            api,
                            s,
                            "Warning",
                            "FailedCreate",
                            "Create Pod " + name + " in StatefulSet "
                                    + s.getMetadata().getName() + " failed error: " + e.getMessage(),
                            "statefulset-controller");
                }
            }
        }
        return refused;
    }

    private <T extends HasMetadata> void writeStatus(
            Class<T> type, T object, @org.jspecify.annotations.Nullable Object status) {
        if (status == null) {
            return;
        }
        T current = api.find(
                type, object.getMetadata().getNamespace(), object.getMetadata().getName());
        if (current == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        T next = (T) api.copy(current);
        if (next instanceof ReplicaSet rs) {
            rs.setStatus((io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus) status);
        } else if (next instanceof Deployment d) {
            d.setStatus((io.fabric8.kubernetes.api.model.apps.DeploymentStatus) status);
        } else if (next instanceof StatefulSet s) {
            s.setStatus((io.fabric8.kubernetes.api.model.apps.StatefulSetStatus) status);
        }
        api.updateStatus(next);
    }

    private void record(HasMetadata object, List<AppsEvent> events, String component) {
        for (AppsEvent e : events) {
            Events.record(api, object, e.type(), e.reason(), e.message(), component);
        }
    }

    private static void requeue(WorkQueue queue, String key, Optional<Instant> at) {
        at.ifPresent(t -> queue.addAt(t, key));
    }
}
