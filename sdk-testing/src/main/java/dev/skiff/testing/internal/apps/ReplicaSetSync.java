package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the ReplicaSet controller does in one reconcile. The engine applies it in this order:
 * create {@link #podsToCreate()}, delete {@link #podsToDelete()} (by name, in the ReplicaSet's
 * namespace), write {@link #status()} through the status subresource when it is not null, record
 * {@link #events()}, and call the reconciler again at {@link #requeueAt()} or when the ReplicaSet or
 * one of its pods changes.
 *
 * @param podsToCreate complete pods: name, namespace, labels, annotations, owner reference and spec
 * @param podsToDelete names of pods to delete
 * @param status the new status, or null when it is unchanged
 * @param events events to record on the ReplicaSet
 * @param requeueAt when a ready pod becomes available ({@code minReadySeconds})
 */
public record ReplicaSetSync(
        List<Pod> podsToCreate,
        List<String> podsToDelete,
        @Nullable ReplicaSetStatus status,
        List<AppsEvent> events,
        Optional<Instant> requeueAt) {

    /** Copies the lists and checks that no component is null, except {@code status}. */
    public ReplicaSetSync {
        podsToCreate = List.copyOf(podsToCreate);
        podsToDelete = List.copyOf(podsToDelete);
        events = List.copyOf(events);
        Objects.requireNonNull(requeueAt, "requeueAt");
    }

    /** Whether applying this sync would change nothing in the cluster (timers aside). */
    public boolean changesNothing() {
        return podsToCreate.isEmpty() && podsToDelete.isEmpty() && status == null && events.isEmpty();
    }
}
