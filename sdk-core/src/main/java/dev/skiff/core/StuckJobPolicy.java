package dev.skiff.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link JobHandle#await} does about a job that cannot make progress: an image that does not
 * pull, a missing Secret or ConfigMap, or pods no node can take. Once such a {@link Diagnosis} has
 * held for {@code after}, the policy's {@link Action} applies. Jobs that are merely slow, or
 * waiting for a queue, are never stuck.
 *
 * <pre>{@code
 * SkiffConfig config = SkiffConfig.builder()
 *     .stuckJobPolicy(StuckJobPolicy.cancelAfter(Duration.ofMinutes(10)))
 *     .build();
 * }</pre>
 *
 * @param action what to do
 * @param after how long the job must have been stuck
 */
public record StuckJobPolicy(Action action, Duration after) {
    /** What to do about a stuck job. */
    public enum Action {
        /** Log a warning with the diagnosis once and keep waiting. */
        REPORT,
        /** End the wait with an {@link Outcome.Failed} of reason {@code Stuck}; the job is left as it is. */
        FAIL,
        /** Delete the job and end the wait with an {@link Outcome.Failed} of reason {@code Stuck}. */
        CANCEL
    }

    /** Checks the arguments. */
    public StuckJobPolicy {
        Objects.requireNonNull(action, "action");
        if (after == null || after.isNegative()) {
            throw new IllegalArgumentException("after: " + after + ": must be zero or positive");
        }
    }

    /** The default: report after 5 minutes. */
    public static StuckJobPolicy defaults() {
        return new StuckJobPolicy(Action.REPORT, Duration.ofMinutes(5));
    }

    /**
     * Ends the wait with a failure once the job has been stuck for {@code after}.
     *
     * @param after the grace period
     * @return the policy
     */
    public static StuckJobPolicy failAfter(Duration after) {
        return new StuckJobPolicy(Action.FAIL, after);
    }

    /**
     * Deletes the job and ends the wait with a failure once it has been stuck for {@code after}.
     *
     * @param after the grace period
     * @return the policy
     */
    public static StuckJobPolicy cancelAfter(Duration after) {
        return new StuckJobPolicy(Action.CANCEL, after);
    }
}
