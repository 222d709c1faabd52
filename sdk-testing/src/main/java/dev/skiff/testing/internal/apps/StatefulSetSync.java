package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the StatefulSet controller does in one reconcile. The engine applies it in this order:
 * create {@link #revisionToCreate()}, write {@link #revisionToUpdate()} (its new {@code revision}
 * number), create {@link #claimsToCreate()}, write the owner references of {@link
 * #claimsToUpdate()}, create {@link #podsToCreate()}, delete {@link #podsToDelete()} and {@link
 * #revisionsToDelete()} (by name, in the StatefulSet's namespace), write {@link #status()} when it
 * is not null, record {@link #events()}, and call the reconciler again at {@link #requeueAt()} or
 * when the StatefulSet, one of its pods or revisions, or a claim changes.
 *
 * @param revisionToCreate the ControllerRevision of a template the set has not had before
 * @param revisionToUpdate an earlier revision the set went back to, renumbered as the newest
 * @param claimsToCreate PersistentVolumeClaims from the volume claim templates, for the pods
 *     created now or pending without them
 * @param claimsToUpdate existing claims with the owner references the retention policy asks for
 * @param podsToCreate complete pods: ordinal name, labels, owner reference, hostname, subdomain,
 *     volumes pointing at their claims
 * @param podsToDelete names of pods to delete
 * @param revisionsToDelete names of revisions beyond {@code revisionHistoryLimit}
 * @param status the new status, or null when it is unchanged
 * @param events events to record on the StatefulSet
 * @param requeueAt when a ready pod becomes available ({@code minReadySeconds})
 */
public record StatefulSetSync(
        Optional<ControllerRevision> revisionToCreate,
        Optional<ControllerRevision> revisionToUpdate,
        List<PersistentVolumeClaim> claimsToCreate,
        List<PersistentVolumeClaim> claimsToUpdate,
        List<Pod> podsToCreate,
        List<String> podsToDelete,
        List<String> revisionsToDelete,
        @Nullable StatefulSetStatus status,
        List<AppsEvent> events,
        Optional<Instant> requeueAt) {

    /** Copies the lists and checks that no component is null, except {@code status}. */
    public StatefulSetSync {
        Objects.requireNonNull(revisionToCreate, "revisionToCreate");
        Objects.requireNonNull(revisionToUpdate, "revisionToUpdate");
        claimsToCreate = List.copyOf(claimsToCreate);
        claimsToUpdate = List.copyOf(claimsToUpdate);
        podsToCreate = List.copyOf(podsToCreate);
        podsToDelete = List.copyOf(podsToDelete);
        revisionsToDelete = List.copyOf(revisionsToDelete);
        events = List.copyOf(events);
        Objects.requireNonNull(requeueAt, "requeueAt");
    }

    /** Whether applying this sync would change nothing in the cluster (timers aside). */
    public boolean changesNothing() {
        return revisionToCreate.isEmpty()
                && revisionToUpdate.isEmpty()
                && claimsToCreate.isEmpty()
                && claimsToUpdate.isEmpty()
                && podsToCreate.isEmpty()
                && podsToDelete.isEmpty()
                && revisionsToDelete.isEmpty()
                && status == null
                && events.isEmpty();
    }
}
