package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.cronjob.CronJobEvent;
import dev.skiff.testing.internal.cronjob.CronJobReconciler;
import dev.skiff.testing.internal.cronjob.CronJobSync;
import dev.skiff.testing.internal.engine.Engine;
import dev.skiff.testing.internal.ttl.TtlDecision;
import dev.skiff.testing.internal.ttl.TtlReconciler;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the CronJob controller for every CronJob whose spec or Jobs changed and at each schedule
 * time, and the TTL-after-finished controller for every finished Job.
 */
public final class CronJobActor implements Actor {
    static final String COMPONENT = "cronjob-controller";

    private final ApiServer api;
    private final Engine engine;
    private final Map<String, Set<String>> jobsByCronJob = new HashMap<>();
    private final WorkQueue queue;

    public CronJobActor(ApiServer api, Engine engine) {
        this.api = api;
        this.engine = engine;
        this.queue = new WorkQueue(engine, this::reconcileKey);
    }

    @Override
    public void onChange(Change c) {
        if (c.resource() == ResourceTypes.CRON_JOBS) {
            CronJob cj = (CronJob) c.object();
            if (c.type() == Change.Type.DELETED) {
                jobsByCronJob.remove(cj.getMetadata().getUid());
                return;
            }
            markDirty(cj.getMetadata().getNamespace() + "/" + cj.getMetadata().getName());
        } else if (c.resource() == ResourceTypes.JOBS) {
            Job job = (Job) c.object();
            if (c.type() != Change.Type.DELETED) {
                ttl(job);
            }
            OwnerReference owner = JobActor.controllerOf(job, "CronJob");
            if (owner == null) {
                return;
            }
            Set<String> jobs = jobsByCronJob.computeIfAbsent(owner.getUid(), k -> new LinkedHashSet<>());
            if (c.type() == Change.Type.DELETED) {
                jobs.remove(job.getMetadata().getName());
            } else {
                jobs.add(job.getMetadata().getName());
            }
            markDirty(job.getMetadata().getNamespace() + "/" + owner.getName());
        }
    }

    private void ttl(Job job) {
        if (job.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        TtlDecision d = TtlReconciler.reconcile(job, api.now());
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        String uid = job.getMetadata().getUid();
        if (d.deleteNow()) {
            api.delete(
                    ResourceTypes.JOBS,
                    ns,
                    name,
                    ApiServer.DeleteOptions.propagation(TtlReconciler.DELETE_PROPAGATION));
        } else {
            d.deleteAt()
                    .ifPresent(at -> engine.schedule(at, () -> {
                        Job current = api.find(Job.class, ns, name);
                        if (current != null && uid.equals(current.getMetadata().getUid())) {
                            ttl(current);
                        }
                    }));
        }
    }

    private void markDirty(String key) {
        queue.add(key);
    }

    private void reconcileKey(String key) {
        String[] p = key.split("/", 2);
        CronJob object = api.find(CronJob.class, p[0], p[1]);
        if (object != null) {
            sync(object);
        }
    }

    private void sync(CronJob cj) {
        String ns = cj.getMetadata().getNamespace();
        List<Job> jobs = new ArrayList<>();
        for (String name : jobsByCronJob.getOrDefault(cj.getMetadata().getUid(), Set.of())) {
            Job job = api.find(Job.class, ns, name);
            if (job != null) {
                jobs.add(job);
            }
        }
        CronJobSync sync = CronJobReconciler.reconcile(cj, jobs, api.now());
        for (Job job : sync.jobsToDelete()) {
            if (api.find(Job.class, ns, job.getMetadata().getName()) != null) {
                api.delete(
                        ResourceTypes.JOBS,
                        ns,
                        job.getMetadata().getName(),
                        ApiServer.DeleteOptions.propagation(CronJobSync.DELETE_PROPAGATION));
            }
        }
        Optional<CronJobStatus> status = sync.status();
        if (sync.jobToCreate().isPresent()) {
            try {
                Job created = api.create(sync.jobToCreate().get());
                status = Optional.of(sync.statusAfterCreate(created));
            } catch (ApiException e) {
                Events.record(api, cj, "Warning", "FailedCreate", "Error creating job: " + e.getMessage(), COMPONENT);
            }
        }
        status.ifPresent(s -> {
            CronJob current = api.find(CronJob.class, ns, cj.getMetadata().getName());
            if (current != null && !s.equals(current.getStatus())) {
                CronJob copy = (CronJob) api.copy(current);
                copy.setStatus(s);
                api.updateStatus(copy);
            }
        });
        for (CronJobEvent e : sync.events()) {
            Events.record(api, cj, e.type(), e.reason(), e.message(), COMPONENT);
        }
        sync.requeueAt().ifPresent(at -> {
            String key = ns + "/" + cj.getMetadata().getName();
            queue.addAt(at, key);
        });
    }
}
