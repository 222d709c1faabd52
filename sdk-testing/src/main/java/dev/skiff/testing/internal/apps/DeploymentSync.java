package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the Deployment controller does in one reconcile. The engine applies it in this order:
 * create {@link #replicaSetsToCreate()}, update {@link #replicaSetsToUpdate()} (their spec,
 * labels and annotations; not their status), delete {@link #replicaSetsToDelete()}, set the
 * Deployment's {@value DeploymentReconciler#REVISION} annotation to {@link #revision()} when present,
 * write {@link #status()} when it is not null, record {@link #events()}, and call the reconciler
 * again at {@link #requeueAt()} or when the Deployment, one of its ReplicaSets or their pods change.
 *
 * @param replicaSetsToCreate complete ReplicaSets, with owner reference, selector and template
 * @param replicaSetsToUpdate the Deployment's ReplicaSets with a new size or new annotations
 * @param replicaSetsToDelete names of old ReplicaSets beyond {@code revisionHistoryLimit}
 * @param revision the Deployment's new revision annotation, or empty when unchanged
 * @param status the new status, or null when it is unchanged
 * @param events events to record on the Deployment
 * @param requeueAt when the progress deadline would pass
 */
public record DeploymentSync(
        List<ReplicaSet> replicaSetsToCreate,
        List<ReplicaSet> replicaSetsToUpdate,
        List<String> replicaSetsToDelete,
        Optional<String> revision,
        @Nullable DeploymentStatus status,
        List<AppsEvent> events,
        Optional<Instant> requeueAt) {

    /** Copies the lists and checks that no component is null, except {@code status}. */
    public DeploymentSync {
        replicaSetsToCreate = List.copyOf(replicaSetsToCreate);
        replicaSetsToUpdate = List.copyOf(replicaSetsToUpdate);
        replicaSetsToDelete = List.copyOf(replicaSetsToDelete);
        Objects.requireNonNull(revision, "revision");
        events = List.copyOf(events);
        Objects.requireNonNull(requeueAt, "requeueAt");
    }

    /** Whether applying this sync would change nothing in the cluster (timers aside). */
    public boolean changesNothing() {
        return replicaSetsToCreate.isEmpty()
                && replicaSetsToUpdate.isEmpty()
                && replicaSetsToDelete.isEmpty()
                && revision.isEmpty()
                && status == null
                && events.isEmpty();
    }
}
