package dev.skiff.testing.internal.job;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Job controller's memory of recent pod failures, which delays replacements: 10 s after the
 * first failure since the last success, doubling up to 10 minutes.
 *
 * <p>The real controller keeps this record in memory per Job (its {@code backoffStore}), not in the
 * API, so it is lost when the controller restarts. Here the engine keeps it: it passes the record
 * of the previous sync to {@link JobReconciler#reconcile(io.fabric8.kubernetes.api.model.batch.v1.Job,
 * List, PodBackoff, Instant, java.util.random.RandomGenerator)} and stores {@link JobSync#backoff()}.
 *
 * @param failuresAfterLastSuccess pod failures counted since the last pod success
 * @param lastFailureTime when the last of them finished, or null when there is none
 */
public record PodBackoff(
        int failuresAfterLastSuccess, @Nullable Instant lastFailureTime) {

    /** No failure remembered: what a freshly started controller knows. */
    public static final PodBackoff NONE = new PodBackoff(0, null);

    /** Checks the count is not negative. */
    public PodBackoff {
        if (failuresAfterLastSuccess < 0) {
            throw new IllegalArgumentException(
                    "failuresAfterLastSuccess must be >= 0, but was " + failuresAfterLastSuccess);
        }
    }

    /** The record after the pods counted in this sync ({@code newBackoffRecord}). */
    PodBackoff after(List<Pod> newSucceeded, List<Pod> newFailed, Instant fallback) {
        if (newSucceeded.isEmpty() && newFailed.isEmpty()) {
            return this;
        }
        List<Instant> failures = new ArrayList<>();
        for (Pod pod : newFailed) {
            failures.add(JobPods.finishedTime(pod, fallback));
        }
        failures.sort(Comparator.naturalOrder());
        if (newSucceeded.isEmpty()) {
            return new PodBackoff(failuresAfterLastSuccess + failures.size(), failures.get(failures.size() - 1));
        }
        Instant lastSuccess = newSucceeded.stream()
                .map(p -> JobPods.finishedTime(p, fallback))
                .max(Comparator.naturalOrder())
                .orElseThrow();
        int count = 0;
        Instant last = null;
        for (int i = failures.size() - 1; i >= 0 && failures.get(i).isAfter(lastSuccess); i--) {
            if (last == null) {
                last = failures.get(i);
            }
            count++;
        }
        return new PodBackoff(count, last);
    }

    /** How long pod creation still waits at {@code now}; zero when it may go ahead. */
    Duration remaining(Instant now) {
        return remaining(failuresAfterLastSuccess, lastFailureTime, now);
    }

    static Duration remaining(int failures, @Nullable Instant lastFailure, Instant now) {
        if (failures == 0 || lastFailure == null) {
            return Duration.ZERO;
        }
        Duration backoff = delayFor(failures);
        Duration elapsed = Duration.between(lastFailure, now);
        return backoff.compareTo(elapsed) < 0 ? Duration.ZERO : backoff.minus(elapsed);
    }

    /** The delay after {@code failures} consecutive failures: 10 s doubling, capped at 10 minutes. */
    static Duration delayFor(int failures) {
        Duration backoff = JobReconciler.POD_FAILURE_BACKOFF;
        for (int i = 1; i < failures; i++) {
            backoff = backoff.multipliedBy(2);
            if (backoff.compareTo(JobReconciler.MAX_POD_FAILURE_BACKOFF) >= 0) {
                return JobReconciler.MAX_POD_FAILURE_BACKOFF;
            }
        }
        return backoff;
    }
}
