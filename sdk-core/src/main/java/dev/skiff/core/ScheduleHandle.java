package dev.skiff.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A scheduled job submitted to a cluster, run by its CronJob: see its next runs and past runs
 * (each a {@link JobHandle} with its outcome), wait for the next one, trigger one now, suspend,
 * resume, reschedule, delete.
 *
 * <pre>{@code
 * ScheduleHandle nightly = skiff.submit(retrain);
 * nightly.nextRuns(3).forEach(System.out::println);   // in the schedule's time zone
 * JobHandle run = nightly.triggerNow();               // as kubectl create job --from=cronjob/...
 * Outcome outcome = run.await(Duration.ofHours(2));
 * for (JobHandle past : nightly.runs()) {
 *     System.out.println(past.name() + ": " + past.status().phase());
 * }
 * }</pre>
 */
public interface ScheduleHandle {
    /** Returns the scheduled job's name (the CronJob's). */
    String name();

    /** Returns the namespace. */
    String namespace();

    /**
     * Returns the CronJob's schedule, suspension and last times.
     *
     * @return the status
     * @throws NotFoundException if the CronJob does not exist
     */
    ScheduleStatus status();

    /**
     * Returns the next {@code n} times the schedule fires after now (this machine's clock), in the
     * schedule's time zone, across daylight-saving changes as the CronJob controller counts them.
     *
     * @param n how many, 0 or more
     * @return the times, earliest first
     */
    List<ZonedDateTime> nextRuns(int n);

    /**
     * Returns the next {@code n} times the schedule fires after {@code from}.
     *
     * @param from the instant to count from (exclusive)
     * @param n how many, 0 or more
     * @return the times, earliest first
     */
    List<ZonedDateTime> nextRuns(Instant from, int n);

    /**
     * Returns the runs that still exist (history limits delete older ones), newest first.
     *
     * @return a handle per run
     */
    List<JobHandle> runs();

    /**
     * Returns the newest run, if one exists.
     *
     * @return its handle
     */
    Optional<JobHandle> lastRun();

    /**
     * Waits for the next run to be created, scheduled or triggered.
     *
     * @param timeout the longest time to wait
     * @return the new run's handle
     * @throws AwaitTimeoutException if no run is created within {@code timeout}
     */
    JobHandle awaitNextRun(Duration timeout);

    /**
     * Starts a run now from the CronJob's job template, owned by the CronJob and annotated {@code
     * cronjob.kubernetes.io/instantiate: manual}, as {@code kubectl create job --from=cronjob/...}
     * does. Concurrency policy does not apply to it, as in Kubernetes.
     *
     * @return the run's handle
     */
    JobHandle triggerNow();

    /** Suspends the schedule: no run starts until {@link #resume()}; runs going on continue. */
    void suspend();

    /** Resumes a suspended schedule. */
    void resume();

    /**
     * Changes the schedule.
     *
     * @param schedule a cron schedule (5 fields or a macro such as {@code @daily})
     * @throws IllegalArgumentException if the schedule is not valid, with the parser's reason
     */
    void reschedule(String schedule);

    /**
     * Deletes the CronJob.
     *
     * @param withRuns whether its runs (Jobs and their pods) go too; if not, they are orphaned and
     *     kept
     */
    void delete(boolean withRuns);
}
