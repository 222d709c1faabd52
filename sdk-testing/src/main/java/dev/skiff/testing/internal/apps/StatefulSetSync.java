package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the StatefulSet controller does in one reconcile. The engine applies it in this order:
 * create {@link #claimsToCreate()}, then {@link #podsToCreate()}, delete {@link #podsToDelete()}
 * (by name, in the StatefulSet's namespace), write {@link #status()} when it is not null, record
 * {@link #events()}, and call the reconciler again at {@link #requeueAt()} or when the StatefulSet
 * or one of its pods changes.
 *
 * @param claimsToCreate PersistentVolumeClaims from the volume claim templates, for the pods
 *     created now or pending without them
 * @param podsToCreate complete pods: ordinal name, labels, owner reference, hostname, subdomain,
 *     volumes pointing at their claims
 * @param podsToDelete names of pods to delete
 * @param status the new status, or null when it is unchanged
 * @param events events to record on the StatefulSet
 * @param requeueAt when a ready pod becomes available ({@code minReadySeconds})
 */
public record StatefulSetSync(
        List<PersistentVolumeClaim> claimsToCreate,
        List<Pod> podsToCreate,
        List<String> podsToDelete,
        @Nullable StatefulSetStatus status,
        List<AppsEvent> events,
        Optional<Instant> requeueAt) {

    /** Copies the lists and checks that no component is null, except {@code status}. */
    public StatefulSetSync {
        claimsToCreate = List.copyOf(claimsToCreate);
        podsToCreate = List.copyOf(podsToCreate);
        podsToDelete = List.copyOf(podsToDelete);
        events = List.copyOf(events);
        Objects.requireNonNull(requeueAt, "requeueAt");
    }

    /** Whether applying this sync would change nothing in the cluster (timers aside). */
    public boolean changesNothing() {
        return claimsToCreate.isEmpty()
                && podsToCreate.isEmpty()
                && podsToDelete.isEmpty()
                && status == null
                && events.isEmpty();
    }
}
