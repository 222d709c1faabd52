package dev.skiff.testing.internal.ttl;

import dev.skiff.testing.internal.common.KubeTime;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes TTL-after-finished controller ({@code pkg/controller/ttlafterfinished}) for Jobs,
 * as a pure function.
 *
 * <p>A Job is due for deletion {@code spec.ttlSecondsAfterFinished} seconds after it finished, and
 * it finished when its first {@code Complete} or {@code Failed} condition with status {@code True}
 * made its last transition: the condition's {@code lastTransitionTime} counts, not {@code
 * status.completionTime} (which a failed Job does not have). A TTL of 0 makes a finished Job due at
 * once. Jobs without a TTL, unfinished Jobs and Jobs already being deleted are left alone. A
 * finished condition without a {@code lastTransitionTime} is an error to the real controller, which
 * retries with backoff; here it leaves the Job alone until it changes.
 *
 * <p>The controller re-reads the Job before deleting it and deletes only if the fresh copy is still
 * due, in the foreground and with the UID as a precondition; the in-memory cluster should call
 * {@link #reconcile} with the Job as stored when the timer fires.
 *
 * <p>Stateless and thread-safe.
 */
public final class TtlReconciler {
    /** The propagation policy the controller deletes expired Jobs with. */
    public static final String DELETE_PROPAGATION = "Foreground";

    private TtlReconciler() {}

    /** Decides whether {@code job} is due for deletion at {@code now}, and when it will be. */
    public static TtlDecision reconcile(Job job, Instant now) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(now, "now");
        if (job.getMetadata() != null && job.getMetadata().getDeletionTimestamp() != null) {
            return TtlDecision.KEEP;
        }
        Integer ttl = job.getSpec() == null ? null : job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null) {
            return TtlDecision.KEEP;
        }
        JobCondition finished = finishedCondition(job);
        if (finished == null) {
            return TtlDecision.KEEP;
        }
        Instant finishedAt = parse(finished.getLastTransitionTime());
        if (finishedAt == null) {
            return TtlDecision.KEEP;
        }
        Instant expireAt = finishedAt.plusSeconds(ttl);
        return new TtlDecision(Optional.of(expireAt), !expireAt.isAfter(now));
    }

    private static @Nullable JobCondition finishedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) {
                return c;
            }
        }
        return null;
    }

    private static @Nullable Instant parse(@Nullable String value) {
        return KubeTime.parse(value);
    }
}
