package dev.skiff.core;

import java.time.Duration;

/**
 * A batch job submitted to a cluster: follow it to its {@link Outcome}, or cancel it.
 *
 * <p>A handle is cheap and thread-safe; it holds only the job's namespace and name, so a handle
 * obtained with {@link Skiff#job(String, String)} in another process works the same.
 *
 * <pre>{@code
 * JobHandle handle = skiff.submit(job);
 * Outcome outcome = handle.await(Duration.ofHours(2));
 * }</pre>
 */
public interface JobHandle {
    /** Returns the job's name. */
    String name();

    /** Returns the job's namespace. */
    String namespace();

    /**
     * Waits until the job has finished (its {@code Complete} or {@code Failed} condition is set)
     * or was deleted, and returns how it ended.
     *
     * @param timeout the longest time to wait
     * @return the outcome
     * @throws AwaitTimeoutException if the job has not finished within {@code timeout}
     * @throws NotFoundException if the job does not exist when the wait starts
     */
    Outcome await(Duration timeout);

    /**
     * Cancels the job: deletes it and its pods (foreground propagation is not waited for).
     * Cancelling a finished or deleted job does nothing.
     */
    void cancel();
}
