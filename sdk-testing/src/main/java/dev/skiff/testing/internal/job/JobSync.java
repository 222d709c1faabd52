package dev.skiff.testing.internal.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one Job reconcile asks the engine to do.
 *
 * <h2>Applying it</h2>
 *
 * The engine applies a sync as one step, in this order, before it calls the reconciler again:
 *
 * <ol>
 *   <li>remove the {@value JobReconciler#TRACKING_FINALIZER} finalizer from every pod in {@link
 *       #finalizerRemovals()} (a pod already gone is not an error);
 *   <li>delete every pod in {@link #podsToDelete()} (gracefully: a deletion timestamp, then gone
 *       once terminal and without finalizers);
 *   <li>default, validate and store every pod in {@link #podsToCreate()} (they carry the tracking
 *       finalizer);
 *   <li>write {@link #status()} through the status subresource when it is not null;
 *   <li>record {@link #events()} on the Job, in order;
 *   <li>keep {@link #backoff()} for the Job's next reconcile (forget it when the Job is deleted);
 *   <li>call the reconciler again at {@link #requeueAt()}, or earlier if the Job or one of its pods
 *       changes.
 * </ol>
 *
 * The status counts the pods whose finalizer this sync removes, so the finalizer removals and the
 * status write belong together: applying one without the other would count a pod twice or never.
 *
 * @param podsToCreate complete pods: name, namespace, labels, annotations, finalizers, owner
 *     reference and spec
 * @param podsToDelete pods to delete, with the reason
 * @param finalizerRemovals names of pods to take the tracking finalizer off
 * @param status the Job's new status, or null when it is unchanged
 * @param events events to record on the Job
 * @param requeueAt when the reconciler wants to run again even if nothing changes (pod backoff
 *     expiry, active deadline)
 * @param backoff the controller's memory of pod failures, to pass to the Job's next reconcile
 */
public record JobSync(
        List<Pod> podsToCreate,
        List<PodDeletion> podsToDelete,
        List<String> finalizerRemovals,
        @Nullable JobStatus status,
        List<JobEvent> events,
        Optional<Instant> requeueAt,
        PodBackoff backoff) {

    /** Copies the lists and checks that no component is null, except {@code status}. */
    public JobSync {
        podsToCreate = List.copyOf(podsToCreate);
        podsToDelete = List.copyOf(podsToDelete);
        finalizerRemovals = List.copyOf(finalizerRemovals);
        events = List.copyOf(events);
        Objects.requireNonNull(requeueAt, "requeueAt");
        Objects.requireNonNull(backoff, "backoff");
    }

    /** A sync that changes nothing and asks for no timer, keeping the given backoff record. */
    public static JobSync nothing(PodBackoff backoff) {
        return new JobSync(List.of(), List.of(), List.of(), null, List.of(), Optional.empty(), backoff);
    }

    /** Whether applying this sync would change nothing in the cluster (timers aside). */
    public boolean changesNothing() {
        return podsToCreate.isEmpty()
                && podsToDelete.isEmpty()
                && finalizerRemovals.isEmpty()
                && status == null
                && events.isEmpty();
    }
}
