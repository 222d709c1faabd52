package dev.skiff.core;

import dev.skiff.core.internal.cron.CronSchedules;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A {@link BatchJob} run on a cron schedule, rendered as a {@code batch/v1} CronJob: nightly
 * retraining, hourly evaluation, weekly data refresh.
 *
 * <p>The schedule uses Kubernetes' syntax: five fields ({@code minute hour day-of-month month
 * day-of-week}) or one of {@code @yearly}, {@code @monthly}, {@code @weekly}, {@code @daily},
 * {@code @hourly}. It is read in {@link #timeZone()} (an IANA name), or in the controller's time
 * zone, usually UTC, when none is given. The CronJob takes its name and namespace from the job; the
 * name may be at most 52 characters, since Kubernetes appends an 11-character suffix to name each
 * run.
 *
 * <pre>{@code
 * ScheduledJob nightly = ScheduledJob.builder()
 *     .job(BatchJob.builder()
 *         .name("retrain")
 *         .namespace("ml")
 *         .container(Container.of("ghcr.io/acme/trainer:1.4").withArgs("--incremental"))
 *         .build())
 *     .schedule("30 2 * * *")
 *     .timeZone("Europe/Berlin")
 *     .concurrencyPolicy(ScheduledJob.ConcurrencyPolicy.FORBID)
 *     .build();
 * List<ZonedDateTime> next = nightly.nextRuns(Instant.now(), 3);
 * }</pre>
 */
@Value.Immutable
public abstract class ScheduledJob implements Workload {
    ScheduledJob() {}

    /** What happens when a run is due while the previous one is still going. */
    public enum ConcurrencyPolicy {
        /** Start the new run anyway (Kubernetes' default). */
        ALLOW("Allow"),
        /** Skip the new run. */
        FORBID("Forbid"),
        /** Cancel the running one and start the new run. */
        REPLACE("Replace");

        private final String wire;

        ConcurrencyPolicy(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /** Returns the job each run creates; its name and namespace are the CronJob's. */
    public abstract BatchJob job();

    /** Returns the cron schedule, such as {@code "30 2 * * *"} or {@code "@daily"}. */
    public abstract String schedule();

    /** Returns the IANA time zone the schedule is read in, such as {@code Europe/Berlin}. */
    public abstract Optional<String> timeZone();

    /** Returns the concurrency policy; {@link ConcurrencyPolicy#ALLOW} by default. */
    @Value.Default
    public ConcurrencyPolicy concurrencyPolicy() {
        return ConcurrencyPolicy.ALLOW;
    }

    /** Returns how late a missed run may still start; a run later than that is skipped. */
    public abstract Optional<Duration> startingDeadline();

    /** Returns how many successful runs are kept; Kubernetes' default is 3. */
    public abstract OptionalInt successfulJobsHistoryLimit();

    /** Returns how many failed runs are kept; Kubernetes' default is 1. */
    public abstract OptionalInt failedJobsHistoryLimit();

    /** Returns whether the schedule is suspended: no new runs start. */
    @Value.Default
    public boolean suspend() {
        return false;
    }

    /** Returns the job's name, which is the CronJob's. */
    @Override
    public final String name() {
        return job().name();
    }

    /** Returns the job's namespace, which is the CronJob's. */
    @Override
    public final Optional<String> namespace() {
        return job().namespace();
    }

    /** Returns {@link WorkloadKind#SCHEDULED_JOB}. */
    @Override
    public final WorkloadKind kind() {
        return WorkloadKind.SCHEDULED_JOB;
    }

    /**
     * Returns the next {@code n} times the schedule fires strictly after {@code from}, in the
     * schedule's time zone (UTC when none is set), computed the way the Kubernetes CronJob
     * controller computes them, across daylight-saving changes.
     *
     * @param from the instant to start after
     * @param n how many runs, at least 0
     * @return the fire times, in order; fewer than {@code n} if the schedule fires no more
     */
    public List<ZonedDateTime> nextRuns(Instant from, int n) {
        Objects.requireNonNull(from, "from");
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, but was " + n);
        }
        ZoneId zone = timeZone().map(CronSchedules::zoneId).orElse(ZoneOffset.UTC);
        return CronSchedules.nextRuns(schedule(), zone, from, n);
    }

    @Value.Check
    void check() {
        Renderer.checkScheduledJob(this);
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised from this value. */
    public Builder toBuilder() {
        return builder().from(this);
    }

    /** Builds {@link ScheduledJob}; {@code build()} validates and throws {@link InvalidWorkloadException}. */
    public static final class Builder extends ImmutableScheduledJob.Builder {
        Builder() {}
    }
}
