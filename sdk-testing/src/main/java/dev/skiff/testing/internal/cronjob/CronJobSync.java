package dev.skiff.testing.internal.cronjob;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one CronJob controller sync decided, for the in-memory cluster to apply through its API.
 *
 * <h2>Applying it</h2>
 *
 * <ol>
 *   <li>Delete each of {@link #jobsToDelete()} with propagation {@link #DELETE_PROPAGATION}.
 *   <li>If {@link #jobToCreate()} is present, create it. On success write {@link
 *       #statusAfterCreate(Job)} with the Job the API server returned (it needs the new UID); on
 *       failure write {@link #status()} if present and retry with backoff, as the real controller
 *       does.
 *   <li>Otherwise write {@link #status()} if present (the status subresource).
 *   <li>Record {@link #events()} on the CronJob, in order.
 *   <li>Sync again at {@link #requeueAt()}, or when the CronJob or one of its Jobs changes.
 * </ol>
 *
 * <p>Immutable and thread-safe, apart from the fabric8 objects it hands out, which callers must not
 * modify.
 */
public final class CronJobSync {
    /** The propagation policy the controller deletes Jobs with. */
    public static final String DELETE_PROPAGATION = "Background";

    private final @Nullable Job jobToCreate;
    private final @Nullable Instant scheduledTime;
    private final List<Job> jobsToDelete;
    private final CronJobStatus status;
    private final boolean statusChanged;
    private final List<CronJobEvent> events;
    private final @Nullable Instant requeueAt;

    CronJobSync(
            @Nullable Job jobToCreate,
            @Nullable Instant scheduledTime,
            List<Job> jobsToDelete,
            CronJobStatus status,
            boolean statusChanged,
            List<CronJobEvent> events,
            @Nullable Instant requeueAt) {
        this.jobToCreate = jobToCreate;
        this.scheduledTime = scheduledTime;
        this.jobsToDelete = List.copyOf(jobsToDelete);
        this.status = status;
        this.statusChanged = statusChanged;
        this.events = List.copyOf(events);
        this.requeueAt = requeueAt;
    }

    /** Returns the Job to create, at most one per sync; empty if none is due. */
    public Optional<Job> jobToCreate() {
        return Optional.ofNullable(jobToCreate);
    }

    /** Returns the scheduled time {@link #jobToCreate()} runs for; empty if there is no Job to create. */
    public Optional<Instant> scheduledTime() {
        return Optional.ofNullable(scheduledTime);
    }

    /**
     * Returns the Jobs to delete, in order: finished Jobs beyond the history limits, then, for the
     * {@code Replace} policy, the running ones.
     */
    public List<Job> jobsToDelete() {
        return jobsToDelete;
    }

    /**
     * Returns the status to write if no Job is created (or its creation fails); empty if the status
     * is unchanged.
     */
    public Optional<CronJobStatus> status() {
        return statusChanged ? Optional.of(copy(status)) : Optional.empty();
    }

    /**
     * Returns the status to write once {@link #jobToCreate()} was created: the new Job joins {@code
     * active} and its scheduled time becomes {@code lastScheduleTime}.
     *
     * @param created the Job as the API server returned it, with its UID
     * @throws IllegalStateException if there is no Job to create
     * @throws IllegalArgumentException if {@code created} is not the Job to create
     */
    public CronJobStatus statusAfterCreate(Job created) {
        Objects.requireNonNull(created, "created");
        if (jobToCreate == null || scheduledTime == null) {
            throw new IllegalStateException("this sync creates no job");
        }
        String name =
                created.getMetadata() == null ? null : created.getMetadata().getName();
        String expected = jobToCreate.getMetadata().getName();
        if (!expected.equals(name)) {
            throw new IllegalArgumentException("created must be the job to create, " + expected + ", but was " + name);
        }
        List<ObjectReference> active = new ArrayList<>(status.getActive());
        active.add(reference(created));
        return new CronJobStatusBuilder(copy(status))
                .withActive(active)
                .withLastScheduleTime(Times.format(scheduledTime))
                .build();
    }

    /** Returns the events to record on the CronJob, in the order the controller records them. */
    public List<CronJobEvent> events() {
        return events;
    }

    /**
     * Returns when to sync again: the next fire time plus 100 ms, as the controller requeues; empty
     * when the controller does not requeue (suspended, being deleted, a bad schedule or time zone).
     */
    public Optional<Instant> requeueAt() {
        return Optional.ofNullable(requeueAt);
    }

    /** {@code ref.GetReference} of a Job: kind, API version, namespace, name, UID, resource version. */
    static ObjectReference reference(Job job) {
        return new ObjectReferenceBuilder()
                .withKind("Job")
                .withApiVersion("batch/v1")
                .withNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withResourceVersion(job.getMetadata().getResourceVersion())
                .build();
    }

    private static CronJobStatus copy(CronJobStatus status) {
        return new CronJobStatusBuilder(status).build();
    }

    @Override
    public String toString() {
        return "CronJobSync{create="
                + (jobToCreate == null ? null : jobToCreate.getMetadata().getName())
                + ", delete="
                + jobsToDelete.stream().map(j -> j.getMetadata().getName()).toList()
                + ", status="
                + (statusChanged ? status : "unchanged")
                + ", events="
                + events
                + ", requeueAt="
                + requeueAt
                + "}";
    }
}
