package dev.skiff.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A batch job submitted to a cluster: read its status, wait for its {@link Outcome}, read its logs
 * and events, find out why it waits, and control it.
 *
 * <p>A handle is cheap and thread-safe; it holds only the job's namespace and name (and the
 * {@link Skiff} it came from), so a handle obtained with {@link Skiff#job(String, String)} in
 * another process works the same. Waiting does not poll: every handle of one {@code Skiff} is
 * fed by one shared watch per namespace, which relists after a dropped connection or a {@code 410
 * Gone}, so no terminal state is missed.
 *
 * <pre>{@code
 * JobHandle handle = skiff.submit(job);
 * try (Subscription progress = handle.watch(s -> System.out.println(s.summary()))) {
 *     Outcome outcome = handle.await(Duration.ofHours(2));
 *     if (outcome instanceof Outcome.Failed failed) {
 *         System.err.println(failed.explanation());
 *     }
 * }
 * }</pre>
 */
public interface JobHandle {
    /** Returns the job's name. */
    String name();

    /** Returns the job's namespace. */
    String namespace();

    /**
     * Returns the job's current status: from the shared watch when the job is followed, else read
     * from the API server.
     *
     * @return the status
     * @throws NotFoundException if the job does not exist
     */
    JobStatus status();

    /**
     * Waits until the job has finished (its {@code Complete} or {@code Failed} condition is set)
     * or was deleted, and returns how it ended. The {@link StuckJobPolicy} of the client applies
     * while waiting.
     *
     * @param timeout the longest time to wait
     * @return the outcome
     * @throws AwaitTimeoutException if the job has not finished within {@code timeout}, with the
     *     last status seen
     * @throws NotFoundException if the job does not exist when the wait starts
     */
    Outcome await(Duration timeout);

    /**
     * Returns a future completed with the job's outcome once it has finished. Cancelling the
     * future stops following the job (the job itself goes on).
     *
     * @return the future; completed exceptionally with {@link NotFoundException} if the job does
     *     not exist
     */
    CompletableFuture<Outcome> awaitAsync();

    /**
     * Calls {@code listener} with the job's status now and on every change, until the job has
     * finished (the last call carries the terminal phase) or the subscription is closed. Calls
     * come from one Skiff thread per client, in order.
     *
     * @param listener receives statuses
     * @return a subscription that stops the calls
     */
    Subscription watch(Consumer<JobStatus> listener);

    /**
     * Returns a query over the logs of the job's pods.
     *
     * @return the query, selecting every pod and container
     */
    JobLogs logs();

    /**
     * Returns the events about the job and its pods, oldest first.
     *
     * @return the events
     */
    List<WorkloadEvent> events();

    /**
     * Says why the job is where it is: for a waiting job, what holds it back (no node fits, an
     * image that does not pull, a missing Secret, suspended, waiting for a queue).
     *
     * @return the diagnosis
     * @throws NotFoundException if the job does not exist
     */
    Diagnosis diagnose();

    /**
     * Cancels the job: deletes it with background propagation, so its pods and the objects Skiff
     * created with it are removed by the garbage collector. Cancelling a finished or deleted job
     * does nothing.
     */
    void cancel();

    /**
     * Cancels the job with foreground propagation and waits until the job and its pods are gone.
     *
     * @param timeout the longest time to wait
     * @throws AwaitTimeoutException if the job still exists after {@code timeout}
     */
    void cancelAndWait(Duration timeout);

    /**
     * Suspends the job ({@code spec.suspend: true}): the Job controller deletes its active pods,
     * and counts and completed indexes are kept for {@link #resume()}.
     *
     * @throws NotFoundException if the job does not exist
     */
    void suspend();

    /**
     * Resumes a suspended job.
     *
     * @throws NotFoundException if the job does not exist
     */
    void resume();
}
