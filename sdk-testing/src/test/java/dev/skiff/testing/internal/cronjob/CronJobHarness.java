package dev.skiff.testing.internal.cronjob;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * A stand-in for the in-memory cluster's engine around {@link CronJobReconciler}: it keeps the
 * CronJob and its Jobs, applies each {@link CronJobSync}, and fires requeue timers in order as a
 * fake clock advances. Tests play the Job controller: they mark Jobs complete or failed, then sync,
 * as the engine would on the Job's change event.
 */
final class CronJobHarness {
    private CronJob cronJob;
    private final List<Job> jobs = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private final List<Instant> createdAt = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private final List<CronJobEvent> events = new ArrayList<>();
    private final TreeSet<Instant> timers = new TreeSet<>();
    private final ZoneId controllerZone;
    private Instant now;
    private int nextUid = 1;
    private CronJobSync lastSync;

    CronJobHarness(CronJob cronJob, Instant now) {
        this(cronJob, now, CronJobReconciler.CONTROLLER_ZONE);
    }

    CronJobHarness(CronJob cronJob, Instant now, ZoneId controllerZone) {
        this.cronJob = cronJob;
        this.now = now;
        this.controllerZone = controllerZone;
    }

    /** Syncs once at the current time and applies the result. */
    CronJobSync sync() {
        CronJobSync sync = CronJobReconciler.reconcile(cronJob, List.copyOf(jobs), now, controllerZone);
        lastSync = sync;
        for (Job job : sync.jobsToDelete()) {
            jobs.removeIf(
                    j -> j.getMetadata().getName().equals(job.getMetadata().getName()));
            deleted.add(job.getMetadata().getName());
        }
        if (sync.jobToCreate().isPresent()) {
            Job stored = store(sync.jobToCreate().get());
            created.add(stored.getMetadata().getName());
            createdAt.add(now);
            setStatus(sync.statusAfterCreate(stored));
        } else {
            sync.status().ifPresent(this::setStatus);
        }
        events.addAll(sync.events());
        sync.requeueAt().ifPresent(timers::add);
        return sync;
    }

    /** Advances the clock to {@code end}, syncing at each requeue time on the way, as the engine fires timers. */
    void advanceTo(Instant end) {
        while (!timers.isEmpty() && !timers.first().isAfter(end)) {
            now = timers.pollFirst();
            sync();
        }
        now = end;
    }

    /** Moves the clock to {@code then} without firing the timers due before: the controller was down. */
    void controllerDownUntil(Instant then) {
        timers.headSet(then, true).clear();
        now = then;
    }

    /** Edits the CronJob, as a user's update would, and syncs as the engine does on the change. */
    CronJobSync update(UnaryOperator<CronJobBuilder> edit) {
        cronJob = edit.apply(new CronJobBuilder(cronJob)).build();
        return sync();
    }

    /** Stores a Job as the API server would: UID, resource version, creation and start times. */
    Job store(Job job) {
        Job stored = new JobBuilder(job)
                .editMetadata()
                .withUid("job-uid-" + nextUid++)
                .withResourceVersion("1")
                .withCreationTimestamp(Times.format(now))
                .endMetadata()
                .withNewStatus()
                .withStartTime(Times.format(now))
                .endStatus()
                .build();
        jobs.add(stored);
        return stored;
    }

    /** Marks a Job finished now, as the Job controller would. */
    void finish(String name, boolean succeeded) {
        String time = Times.format(now);
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            if (job.getMetadata().getName().equals(name)) {
                JobBuilder builder = new JobBuilder(job)
                        .editStatus()
                        .addNewCondition()
                        .withType(succeeded ? "Complete" : "Failed")
                        .withStatus("True")
                        .withLastTransitionTime(time)
                        .endCondition()
                        .endStatus();
                if (succeeded) {
                    builder.editStatus().withCompletionTime(time).endStatus();
                }
                jobs.set(i, builder.build());
                return;
            }
        }
        throw new IllegalArgumentException("no job " + name);
    }

    /** Completes a Job now and syncs. */
    CronJobSync complete(String name) {
        finish(name, true);
        return sync();
    }

    /** Fails a Job now and syncs. */
    CronJobSync fail(String name) {
        finish(name, false);
        return sync();
    }

    /** Removes a Job behind the controller's back. */
    void removeJob(String name) {
        jobs.removeIf(j -> j.getMetadata().getName().equals(name));
    }

    private void setStatus(io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus status) {
        cronJob = new CronJobBuilder(cronJob).withStatus(status).build();
    }

    CronJob cronJob() {
        return cronJob;
    }

    Instant now() {
        return now;
    }

    CronJobSync lastSync() {
        return lastSync;
    }

    /** Names of the Jobs the controller created, in order. */
    List<String> created() {
        return created;
    }

    /** When the Jobs in {@link #created()} were created. */
    List<Instant> createdAt() {
        return createdAt;
    }

    List<String> deleted() {
        return deleted;
    }

    List<CronJobEvent> events() {
        return events;
    }

    List<String> reasons() {
        return events.stream().map(CronJobEvent::reason).toList();
    }

    List<String> jobNames() {
        return jobs.stream().map(j -> j.getMetadata().getName()).toList();
    }

    Job job(String name) {
        return jobs.stream()
                .filter(j -> j.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    List<String> activeNames() {
        List<ObjectReference> active =
                cronJob.getStatus() == null ? List.of() : cronJob.getStatus().getActive();
        return active.stream().map(ObjectReference::getName).toList();
    }

    TreeSet<Instant> timers() {
        return timers;
    }
}
