package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.LabelSelector;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.engine.Engine;
import dev.skiff.testing.internal.job.JobEvent;
import dev.skiff.testing.internal.job.JobReconciler;
import dev.skiff.testing.internal.job.JobSync;
import dev.skiff.testing.internal.job.PodBackoff;
import dev.skiff.testing.internal.job.PodDeletion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Runs the Job controller's reconcile for every Job whose spec, status or pods changed, and on its timers. */
public final class JobActor implements Actor {
    static final String COMPONENT = "job-controller";

    private final ApiServer api;
    private final Engine engine;
    private final Map<String, Set<String>> podsByJob = new HashMap<>();
    private final Map<String, PodBackoff> backoffs = new HashMap<>();
    private final WorkQueue queue;
    /** Consecutive syncs of a Job (by uid) in which the server refused a pod. */
    private final Map<String, Integer> createFailures = new HashMap<>();

    public JobActor(ApiServer api, Engine engine) {
        this.api = api;
        this.engine = engine;
        this.queue = new WorkQueue(engine, this::reconcileKey);
    }

    /** The Job controller's backoff after failed syncs: 1 s, doubling, at most 60 s. */
    static Duration createBackoff(int failures) {
        return Duration.ofSeconds(Math.min(60, 1L << Math.min(failures - 1, 6)));
    }

    static @Nullable OwnerReference controllerOf(HasMetadata o, String kind) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        for (OwnerReference r : refs) {
            if (Boolean.TRUE.equals(r.getController()) && kind.equals(r.getKind())) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void onChange(Change c) {
        if (c.resource() == ResourceTypes.JOBS) {
            Job job = (Job) c.object();
            if (c.type() == Change.Type.DELETED) {
                backoffs.remove(job.getMetadata().getUid());
                // the controller releases the pods of a Job that is gone
                for (String name : podsByJob.getOrDefault(job.getMetadata().getUid(), Set.of())) {
                    removeTrackingFinalizer(job.getMetadata().getNamespace(), name);
                }
                podsByJob.remove(job.getMetadata().getUid());
                createFailures.remove(job.getMetadata().getUid());
                return;
            }
            markDirty(job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());
        } else if (c.resource() == ResourceTypes.PODS) {
            Pod pod = (Pod) c.object();
            OwnerReference owner = controllerOf(pod, "Job");
            if (owner == null) {
                return;
            }
            Set<String> pods = podsByJob.computeIfAbsent(owner.getUid(), k -> new LinkedHashSet<>());
            if (c.type() == Change.Type.DELETED) {
                pods.remove(pod.getMetadata().getName());
            } else {
                pods.add(pod.getMetadata().getName());
            }
            Job job = api.find(Job.class, pod.getMetadata().getNamespace(), owner.getName());
            if (job == null || !owner.getUid().equals(job.getMetadata().getUid())) {
                if (c.type() != Change.Type.DELETED) {
                    removeTrackingFinalizer(
                            pod.getMetadata().getNamespace(), pod.getMetadata().getName());
                }
                return;
            }
            markDirty(pod.getMetadata().getNamespace() + "/" + owner.getName());
        }
    }

    private void removeTrackingFinalizer(String ns, String name) {
        Pod pod = api.find(Pod.class, ns, name);
        if (pod == null
                || pod.getMetadata().getFinalizers() == null
                || !pod.getMetadata().getFinalizers().contains(JobReconciler.TRACKING_FINALIZER)) {
            return;
        }
        Pod copy = (Pod) api.copy(pod);
        List<String> f = new ArrayList<>(copy.getMetadata().getFinalizers());
        f.remove(JobReconciler.TRACKING_FINALIZER);
        copy.getMetadata().setFinalizers(f.isEmpty() ? null : f);
        api.update(copy);
    }

    /**
     * Lets go of a pod whose labels no longer match the Job's selector, as the controller's {@code
     * ClaimPods} does: the owner reference and the tracking finalizer go in one write.
     */
    private void release(Pod pod, String uid) {
        Pod copy = (Pod) api.copy(pod);
        List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
        refs.removeIf(r -> uid.equals(r.getUid()));
        copy.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
        if (copy.getMetadata().getFinalizers() != null) {
            List<String> f = new ArrayList<>(copy.getMetadata().getFinalizers());
            f.remove(JobReconciler.TRACKING_FINALIZER);
            copy.getMetadata().setFinalizers(f.isEmpty() ? null : f);
        }
        api.update(copy);
        podsByJob
                .getOrDefault(uid, new LinkedHashSet<>())
                .remove(pod.getMetadata().getName());
    }

    private void markDirty(String key) {
        queue.add(key);
    }

    private void reconcileKey(String key) {
        String[] p = key.split("/", 2);
        Job object = api.find(Job.class, p[0], p[1]);
        if (object == null) {
            return;
        }
        if (object.getMetadata().getDeletionTimestamp() != null) {
            // a Job being deleted lets go of its pods, so that their deletion can finish
            for (String name : podsByJob.getOrDefault(object.getMetadata().getUid(), Set.of())) {
                removeTrackingFinalizer(p[0], name);
            }
            return;
        }
        sync(object);
    }

    private void sync(Job job) {
        String ns = job.getMetadata().getNamespace();
        String uid = job.getMetadata().getUid();
        List<Pod> pods = new ArrayList<>();
        LabelSelector selector = LabelSelector.of(job.getSpec().getSelector());
        for (String name : List.copyOf(podsByJob.getOrDefault(uid, Set.of()))) {
            Pod pod = api.find(Pod.class, ns, name);
            if (pod != null) {
                OwnerReference owner = controllerOf(pod, "Job");
                if (owner != null && uid.equals(owner.getUid())) {
                    if (job.getSpec().getSelector() != null
                            && !selector.matches(pod.getMetadata().getLabels())) {
                        release(pod, uid);
                    } else {
                        pods.add(pod);
                    }
                }
            }
        }
        JobSync sync = JobReconciler.reconcile(
                job, pods, backoffs.getOrDefault(uid, PodBackoff.NONE), api.now(), api.random());
        backoffs.put(uid, sync.backoff());
        for (String name : sync.finalizerRemovals()) {
            Pod pod = api.find(Pod.class, ns, name);
            if (pod == null
                    || pod.getMetadata().getFinalizers() == null
                    || !pod.getMetadata().getFinalizers().contains(JobReconciler.TRACKING_FINALIZER)) {
                continue;
            }
            Pod copy = (Pod) api.copy(pod);
            List<String> f = new ArrayList<>(copy.getMetadata().getFinalizers());
            f.remove(JobReconciler.TRACKING_FINALIZER);
            copy.getMetadata().setFinalizers(f.isEmpty() ? null : f);
            api.update(copy);
        }
        for (PodDeletion d : sync.podsToDelete()) {
            if (api.find(Pod.class, ns, d.name()) != null) {
                api.delete(ResourceTypes.PODS, ns, d.name(), ApiServer.DeleteOptions.DEFAULT);
                Events.record(api, job, "Normal", "SuccessfulDelete", "Deleted pod: " + d.name(), COMPONENT);
            }
        }
        int failed = 0;
        for (Pod pod : sync.podsToCreate()) {
            try {
                api.create(pod);
            } catch (ApiException e) {
                failed++;
                Events.record(api, job, "Warning", "FailedCreate", "Error creating: " + e.getMessage(), COMPONENT);
            }
        }
        JobStatus status = sync.status();
        if (status != null && failed > 0) {
            // a pod the server refused is not active; the controller tries again after a backoff
            status = new JobStatusBuilder(status).build();
            int active = (status.getActive() == null ? 0 : status.getActive()) - failed;
            status.setActive(active > 0 ? active : null);
        }
        if (status != null) {
            Job current = api.find(Job.class, ns, job.getMetadata().getName());
            if (current != null && (failed == 0 || !status.equals(current.getStatus()))) {
                Job copy = (Job) api.copy(current);
                copy.setStatus(status);
                api.updateStatus(copy);
            }
        }
        String jobKey = ns + "/" + job.getMetadata().getName();
        if (failed > 0) {
            int n = createFailures.merge(uid, 1, Integer::sum);
            queue.addAt(api.now().plus(createBackoff(n)), jobKey);
        } else {
            createFailures.remove(uid);
        }
        for (JobEvent e : sync.events()) {
            Events.record(api, job, e.type(), e.reason(), e.message(), COMPONENT);
        }
        sync.requeueAt().ifPresent(at -> {
            String key = ns + "/" + job.getMetadata().getName();
            queue.addAt(at, key);
        });
    }
}
