package dev.skiff.testing.internal.ttl;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the TTL-after-finished controller decides for one Job.
 *
 * @param deleteAt when the Job's TTL expires; empty if the controller will never delete it as it
 *     stands (no TTL, not finished, already being deleted, or no finish time to count from)
 * @param deleteNow true if the TTL has expired at the time asked: delete the Job now, with
 *     propagation {@link TtlReconciler#DELETE_PROPAGATION} and its UID as a precondition; otherwise
 *     ask again at {@code deleteAt}
 */
public record TtlDecision(Optional<Instant> deleteAt, boolean deleteNow) {
    /** The decision for a Job the controller leaves alone. */
    public static final TtlDecision KEEP = new TtlDecision(Optional.empty(), false);

    /** Checks that {@code deleteNow} comes with a {@code deleteAt}. */
    public TtlDecision {
        Objects.requireNonNull(deleteAt, "deleteAt");
        if (deleteNow && deleteAt.isEmpty()) {
            throw new IllegalArgumentException("deleteNow needs a deleteAt");
        }
    }
}
