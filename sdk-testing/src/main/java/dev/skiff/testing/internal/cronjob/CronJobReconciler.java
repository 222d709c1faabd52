package dev.skiff.testing.internal.cronjob;

import dev.skiff.core.internal.cron.CronSchedule;
import dev.skiff.core.internal.cron.CronSchedules;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes CronJob controller ({@code pkg/controller/cronjob}, {@code ControllerV2}) as a pure
 * function: {@link #reconcile} returns what one sync of a CronJob would do, and the in-memory
 * cluster applies it (see {@link CronJobSync}).
 *
 * <h2>What a sync does</h2>
 *
 * <ol>
 *   <li>Deletes the oldest finished Jobs beyond {@code successfulJobsHistoryLimit} and {@code
 *       failedJobsHistoryLimit}: finished means a {@code Complete} or {@code Failed} condition with
 *       status {@code True}; oldest means earliest {@code status.startTime}, Jobs without one last,
 *       ties by name. A limit that is not set deletes nothing.
 *   <li>Drops finished Jobs from {@code status.active} ({@code SawCompletedJob}), records {@code
 *       UnexpectedJob} for each unfinished Job it controls but does not list as active (a Job made
 *       by {@code kubectl create job --from=cronjob/...} is one), advances {@code
 *       lastSuccessfulTime} to the latest {@code completionTime} of a complete Job, and drops
 *       active entries whose Job no longer exists ({@code MissingJob}).
 *   <li>Stops there if the CronJob is being deleted, its time zone does not load ({@code
 *       UnknownTimeZone}), it is suspended, or its schedule does not parse ({@code
 *       UnparseableSchedule}); none of these requeue.
 *   <li>Finds the most recent fire time after {@code lastScheduleTime} (or the creation time) that
 *       is not after now and, with {@code startingDeadlineSeconds}, not older than the deadline.
 *       Only that one runs, however many were missed: the others are skipped without a trace. If
 *       the controller estimates more than 100 were missed it records {@code TooManyMissedTimes}
 *       and still runs the most recent one.
 *   <li>Skips a fire time already run, and with {@code Forbid} one that finds a Job still active
 *       ({@code JobAlreadyActive}); with {@code Replace} deletes every active Job first.
 *   <li>Creates the Job named {@code <cronjob>-<scheduled minutes since the epoch>} ({@link
 *       #jobFromTemplate}) and requeues at the next fire time plus 100 ms.
 * </ol>
 *
 * <h2>Time zones</h2>
 *
 * {@code spec.timeZone} picks the zone the schedule fires in; without one the controller's local
 * zone applies, which is UTC here unless a caller passes another. The scheduled-timestamp annotation
 * is always written in {@code spec.timeZone}, or in UTC when none is set, whatever the controller's
 * zone.
 *
 * <p>Stateless and thread-safe; the arguments are only read.
 */
public final class CronJobReconciler {
    /** The padding the controller adds to each requeue, against clock skew. */
    public static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);

    /** The zone of the controller's clock in the in-memory cluster, for CronJobs without a time zone. */
    public static final ZoneId CONTROLLER_ZONE = ZoneOffset.UTC;

    /** The annotation holding a scheduled Job's nominal start time, RFC 3339 in the CronJob's time zone. */
    public static final String SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /** The annotation {@code kubectl create job --from=cronjob/...} puts on the Job it makes. */
    public static final String INSTANTIATE_ANNOTATION = "cronjob.kubernetes.io/instantiate";

    static final String FORBID = "Forbid";
    static final String REPLACE = "Replace";

    private CronJobReconciler() {}

    /**
     * Reconciles {@code cronJob} at {@code now} in the in-memory cluster's controller zone ({@link
     * #CONTROLLER_ZONE}).
     *
     * @param cronJob the CronJob as stored, with namespace, name, UID and creation timestamp
     * @param jobs the Jobs of the CronJob's namespace; those whose controller reference names the
     *     CronJob are its own, the rest only matter when a name clashes
     * @param now the current time of the cluster's clock
     */
    public static CronJobSync reconcile(CronJob cronJob, List<Job> jobs, Instant now) {
        return reconcile(cronJob, jobs, now, CONTROLLER_ZONE);
    }

    /**
     * Reconciles {@code cronJob} at {@code now} for a controller whose local zone is {@code
     * controllerZone}, the zone schedules without {@code spec.timeZone} fire in.
     */
    public static CronJobSync reconcile(CronJob cronJob, List<Job> jobs, Instant now, ZoneId controllerZone) {
        Objects.requireNonNull(cronJob, "cronJob");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(controllerZone, "controllerZone");
        return new Sync(cronJob, jobs, now, controllerZone).run();
    }

    /**
     * Returns the Job the controller creates for {@code cronJob}'s run at {@code scheduledTime}: the
     * job template's labels, annotations and spec (copied), the name {@code
     * <cronjob>-<minutes since the epoch>}, the {@value #SCHEDULED_TIMESTAMP_ANNOTATION} annotation,
     * and a controller owner reference to the CronJob that blocks its deletion.
     *
     * @throws IllegalArgumentException if {@code spec.timeZone} does not load
     */
    public static Job jobFromTemplate(CronJob cronJob, Instant scheduledTime) {
        Objects.requireNonNull(cronJob, "cronJob");
        Objects.requireNonNull(scheduledTime, "scheduledTime");
        String timeZone = spec(cronJob).getTimeZone();
        String error = timeZone == null ? null : loadLocationError(timeZone);
        if (error != null) {
            throw new IllegalArgumentException("invalid timeZone: " + goQuote(timeZone) + ": " + error);
        }
        return jobFromTemplate(cronJob, scheduledTime, CONTROLLER_ZONE);
    }

    /**
     * Returns the Job {@code kubectl create job <jobName> --from=cronjob/<name>} makes: annotation
     * {@value #INSTANTIATE_ANNOTATION}{@code : manual} (which a template annotation of the same key
     * overrides), the template's labels, annotations and spec, and an owner reference to the CronJob
     * with {@code controller: true} but without {@code blockOwnerDeletion}. The CronJob controller
     * therefore counts it among its Jobs: it reports it as {@code UnexpectedJob} while it runs and
     * applies the history limits to it once it finishes.
     */
    public static Job manualJobFromTemplate(CronJob cronJob, String jobName) {
        Objects.requireNonNull(cronJob, "cronJob");
        Objects.requireNonNull(jobName, "jobName");
        JobTemplateSpec template = template(cronJob);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(INSTANTIATE_ANNOTATION, "manual");
        annotations.putAll(templateAnnotations(template));
        OwnerReference owner = new OwnerReferenceBuilder()
                .withApiVersion("batch/v1")
                .withKind("CronJob")
                .withName(cronJob.getMetadata().getName())
                .withUid(cronJob.getMetadata().getUid())
                .withController(true)
                .build();
        return new JobBuilder()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withNewMetadata()
                .withName(jobName)
                .withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(templateLabels(template))
                .withAnnotations(annotations)
                .withOwnerReferences(owner)
                .endMetadata()
                .withSpec(copySpec(template))
                .build();
    }

    /** Returns {@code <cronjob>-<scheduledTime in whole minutes since the epoch>}. */
    public static String jobName(CronJob cronJob, Instant scheduledTime) {
        return cronJob.getMetadata().getName() + "-" + scheduledTime.getEpochSecond() / 60;
    }

    static Job jobFromTemplate(CronJob cronJob, Instant scheduledTime, ZoneId controllerZone) {
        JobTemplateSpec template = template(cronJob);
        Map<String, String> annotations = new LinkedHashMap<>(templateAnnotations(template));
        // time.LoadLocation of the time zone, or of "" (UTC) when there is none.
        String timeZone = spec(cronJob).getTimeZone();
        ZoneId zone = resolveZone(timeZone == null ? "" : timeZone, controllerZone);
        annotations.put(SCHEDULED_TIMESTAMP_ANNOTATION, Times.rfc3339(scheduledTime, zone));
        OwnerReference owner = new OwnerReferenceBuilder()
                .withApiVersion("batch/v1")
                .withKind("CronJob")
                .withName(cronJob.getMetadata().getName())
                .withUid(cronJob.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
        return new JobBuilder()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withNewMetadata()
                .withName(jobName(cronJob, scheduledTime))
                .withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(templateLabels(template))
                .withAnnotations(annotations)
                .withOwnerReferences(owner)
                .endMetadata()
                .withSpec(copySpec(template))
                .build();
    }

    private static CronJobSpec spec(CronJob cronJob) {
        return cronJob.getSpec() == null ? new CronJobSpec() : cronJob.getSpec();
    }

    private static JobTemplateSpec template(CronJob cronJob) {
        JobTemplateSpec template = spec(cronJob).getJobTemplate();
        return template == null ? new JobTemplateSpec() : template;
    }

    private static Map<String, String> templateLabels(JobTemplateSpec template) {
        ObjectMeta meta = template.getMetadata();
        return meta == null || meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
    }

    private static Map<String, String> templateAnnotations(JobTemplateSpec template) {
        ObjectMeta meta = template.getMetadata();
        return meta == null || meta.getAnnotations() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(meta.getAnnotations());
    }

    private static JobSpec copySpec(JobTemplateSpec template) {
        return template.getSpec() == null ? new JobSpec() : new JobSpecBuilder(template.getSpec()).build();
    }

    /**
     * Go's {@code time.LoadLocation(name)} error, or null if it loads: {@code ""}, {@code UTC} and
     * {@code Local} always load.
     */
    static @Nullable String loadLocationError(String name) {
        if (name.isEmpty() || name.equals("UTC") || name.equals("Local")) {
            return null;
        }
        if (name.contains("..") || name.startsWith("/") || name.startsWith("\\")) {
            return "time: invalid location name";
        }
        return CronSchedules.timeZoneError(name).isPresent() ? "unknown time zone " + name : null;
    }

    /** The zone Go loads for a name {@link #loadLocationError} accepts. */
    static ZoneId resolveZone(String name, ZoneId controllerZone) {
        if (name.isEmpty() || name.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        if (name.equals("Local")) {
            return controllerZone;
        }
        return CronSchedules.zoneId(name);
    }

    /** Go's {@code %q} for the strings at hand: quotes, escaping backslashes, quotes and controls. */
    static String goQuote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static @Nullable OwnerReference controllerOf(Job job) {
        if (job.getMetadata() == null || job.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference ref : job.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }

    /** The type of the first {@code Complete} or {@code Failed} condition that is {@code True}, or null. */
    static @Nullable String finishedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) {
                return c.getType();
            }
        }
        return null;
    }

    static boolean succeeded(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return false;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if ("Complete".equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    /** {@code byJobStartTime}: earliest start first, Jobs that never started last, ties by name. */
    static final Comparator<Job> BY_START_TIME = (a, b) -> {
        Instant sa = startTime(a);
        Instant sb = startTime(b);
        if (sa == null && sb != null) {
            return 1;
        }
        if (sa != null && sb == null) {
            return -1;
        }
        if (Objects.equals(sa, sb)) {
            return name(a).compareTo(name(b));
        }
        return sa.compareTo(sb);
    };

    private static @Nullable Instant startTime(Job job) {
        return job.getStatus() == null ? null : Times.parse(job.getStatus().getStartTime());
    }

    static String name(Job job) {
        return job.getMetadata() == null || job.getMetadata().getName() == null
                ? ""
                : job.getMetadata().getName();
    }

    static @Nullable String uid(Job job) {
        return job.getMetadata() == null ? null : job.getMetadata().getUid();
    }

    /** One sync, with the working copy of the status it mutates as the controller does. */
    private static final class Sync {
        private final CronJob cronJob;
        private final CronJobSpec spec;
        private final List<Job> allJobs;
        private final List<Job> children = new ArrayList<>();
        private final Instant now;
        private final ZoneId controllerZone;
        private final CronJobStatus original;

        private final List<ObjectReference> active;
        private @Nullable String lastScheduleTime;
        private @Nullable String lastSuccessfulTime;
        private final List<Job> deletions = new ArrayList<>();
        private final List<CronJobEvent> events = new ArrayList<>();

        Sync(CronJob cronJob, List<Job> jobs, Instant now, ZoneId controllerZone) {
            this.cronJob = cronJob;
            this.spec = spec(cronJob);
            this.allJobs = List.copyOf(jobs);
            this.now = now;
            this.controllerZone = controllerZone;
            CronJobStatus status = cronJob.getStatus() == null ? new CronJobStatus() : cronJob.getStatus();
            this.original = status;
            this.active = status.getActive() == null ? new ArrayList<>() : new ArrayList<>(status.getActive());
            this.lastScheduleTime = status.getLastScheduleTime();
            this.lastSuccessfulTime = status.getLastSuccessfulTime();
            String namespace = cronJob.getMetadata().getNamespace();
            for (Job job : allJobs) {
                OwnerReference controller = controllerOf(job);
                if (controller != null
                        && Objects.equals(
                                controller.getName(), cronJob.getMetadata().getName())
                        && sameNamespace(job, namespace)) {
                    children.add(job);
                }
            }
        }

        CronJobSync run() {
            cleanupFinishedJobs();
            return syncCronJob();
        }

        private void cleanupFinishedJobs() {
            if (spec.getSuccessfulJobsHistoryLimit() == null && spec.getFailedJobsHistoryLimit() == null) {
                return;
            }
            List<Job> successful = new ArrayList<>();
            List<Job> failed = new ArrayList<>();
            for (Job job : children) {
                String finished = finishedCondition(job);
                if ("Complete".equals(finished)) {
                    successful.add(job);
                } else if ("Failed".equals(finished)) {
                    failed.add(job);
                }
            }
            if (spec.getSuccessfulJobsHistoryLimit() != null) {
                removeOldestJobs(successful, spec.getSuccessfulJobsHistoryLimit());
            }
            if (spec.getFailedJobsHistoryLimit() != null) {
                removeOldestJobs(failed, spec.getFailedJobsHistoryLimit());
            }
        }

        private void removeOldestJobs(List<Job> jobs, int limit) {
            int toDelete = jobs.size() - limit;
            if (toDelete <= 0) {
                return;
            }
            jobs.sort(BY_START_TIME);
            for (int i = 0; i < toDelete; i++) {
                deleteJob(jobs.get(i));
            }
        }

        private void deleteJob(Job job) {
            deletions.add(job);
            removeFromActive(uid(job));
            events.add(CronJobEvent.normal("SuccessfulDelete", "Deleted job " + name(job)));
        }

        private CronJobSync syncCronJob() {
            Set<String> childUids = new HashSet<>();
            for (Job job : children) {
                String uid = uid(job);
                if (uid != null) {
                    childUids.add(uid);
                }
                boolean found = inActive(uid);
                String finished = finishedCondition(job);
                if (!found && finished == null) {
                    events.add(CronJobEvent.warning(
                            "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + name(job)));
                } else if (finished != null) {
                    if (found) {
                        removeFromActive(uid);
                        events.add(CronJobEvent.normal(
                                "SawCompletedJob", "Saw completed job: " + name(job) + ", condition: " + finished));
                    }
                    if (succeeded(job)) {
                        advanceLastSuccessfulTime(job);
                    }
                }
            }
            for (ObjectReference ref : List.copyOf(active)) {
                if (ref.getUid() != null && childUids.contains(ref.getUid())) {
                    continue;
                }
                events.add(CronJobEvent.normal("MissingJob", "Active job went missing: " + ref.getName()));
                active.remove(ref);
            }

            if (cronJob.getMetadata().getDeletionTimestamp() != null) {
                return result(null, null, null);
            }
            String timeZone = spec.getTimeZone();
            if (timeZone != null) {
                String error = loadLocationError(timeZone);
                if (error != null) {
                    events.add(CronJobEvent.warning(
                            "UnknownTimeZone", "invalid timeZone: " + goQuote(timeZone) + ": " + error));
                    return result(null, null, null);
                }
            }
            if (Boolean.TRUE.equals(spec.getSuspend())) {
                return result(null, null, null);
            }
            String scheduleText = spec.getSchedule() == null ? "" : spec.getSchedule();
            Schedule schedule;
            try {
                schedule = parseSchedule(scheduleText);
            } catch (IllegalArgumentException e) {
                events.add(CronJobEvent.warning(
                        "UnparseableSchedule",
                        "unparseable schedule: " + goQuote(scheduleText) + " : " + e.getMessage()));
                return result(null, null, null);
            }

            Schedule.Recent recent = schedule.mostRecent(
                    creationTime(), Times.parse(lastScheduleTime), spec.getStartingDeadlineSeconds(), now, true);
            Instant scheduledTime = recent.mostRecent();
            if (scheduledTime != null && scheduledTime.isAfter(now)) {
                scheduledTime = null;
            }
            if (scheduledTime != null && recent.missed() == Schedule.Missed.MANY) {
                events.add(
                        CronJobEvent.warning(
                                "TooManyMissedTimes",
                                "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"));
            }
            if (recent.error() != null) {
                events.add(CronJobEvent.warning(
                        "InvalidSchedule", "invalid schedule: " + scheduleText + " : " + recent.error()));
                return result(null, null, null);
            }
            if (scheduledTime == null) {
                return result(null, null, requeueAt(schedule));
            }

            Long deadline = spec.getStartingDeadlineSeconds();
            if (deadline != null && scheduledTime.plusSeconds(deadline).isBefore(now)) {
                // Unreachable while the deadline also bounds the search above; kept as the controller has it.
                events.add(CronJobEvent.warning(
                        "MissSchedule", "Missed scheduled time to start a job: " + Times.rfc1123z(scheduledTime)));
                return result(null, null, requeueAt(schedule));
            }
            String jobName = jobName(cronJob, scheduledTime);
            if (inActiveByName(jobName) || scheduledTime.equals(Times.parse(lastScheduleTime))) {
                return result(null, null, requeueAt(schedule));
            }
            if (FORBID.equals(spec.getConcurrencyPolicy()) && !active.isEmpty()) {
                events.add(CronJobEvent.normal(
                        "JobAlreadyActive",
                        "Not starting job because prior execution is running and concurrency policy is Forbid"));
                return result(null, null, requeueAt(schedule));
            }
            if (REPLACE.equals(spec.getConcurrencyPolicy())) {
                for (ObjectReference ref : List.copyOf(active)) {
                    Job running = find(ref.getName());
                    if (running != null) {
                        deleteJob(running);
                    }
                }
            }

            Job existing = find(jobName);
            if (existing != null) {
                // The create would fail with AlreadyExists: adopt the Job if this CronJob made it.
                OwnerReference controller = controllerOf(existing);
                if (controller == null
                        || !Objects.equals(
                                controller.getUid(), cronJob.getMetadata().getUid())
                        || inActive(uid(existing))) {
                    return result(null, null, null);
                }
                active.add(CronJobSync.reference(existing));
                lastScheduleTime = Times.format(scheduledTime);
                return result(null, null, requeueAt(schedule));
            }

            Job job = jobFromTemplate(cronJob, scheduledTime, controllerZone);
            events.add(CronJobEvent.normal("SuccessfulCreate", "Created job " + jobName));
            // The requeue sees the status as it will be once the Job is created.
            String before = lastScheduleTime;
            lastScheduleTime = Times.format(scheduledTime);
            Instant requeueAt = requeueAt(schedule);
            lastScheduleTime = before;
            return result(job, scheduledTime, requeueAt);
        }

        private Schedule parseSchedule(String text) {
            if (text.contains("TZ")) {
                events.add(CronJobEvent.warning(
                        "UnsupportedSchedule",
                        "CRON_TZ or TZ used in schedule " + goQuote(text) + " is not officially supported, see"
                                + " https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more"
                                + " details"));
                return parseWithZonePrefix(text);
            }
            if (text.trim().isEmpty()) {
                throw new IllegalArgumentException("empty spec string");
            }
            String timeZone = spec.getTimeZone();
            ZoneId zone = timeZone == null ? controllerZone : resolveZone(timeZone, controllerZone);
            return new Schedule(CronSchedule.parse(text), zone);
        }

        /** robfig's {@code TZ=<zone> <fields>} and {@code CRON_TZ=<zone> <fields>} forms. */
        private Schedule parseWithZonePrefix(String text) {
            if (!text.startsWith("TZ=") && !text.startsWith("CRON_TZ=")) {
                return new Schedule(CronSchedule.parse(text), controllerZone);
            }
            int space = text.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("expected exactly 5 fields, found 0: [" + text + "]");
            }
            String zoneName = text.substring(text.indexOf('=') + 1, space);
            String error = loadLocationError(zoneName);
            if (error != null) {
                throw new IllegalArgumentException("provided bad location " + zoneName + ": " + error);
            }
            return new Schedule(
                    CronSchedule.parse(text.substring(space).trim()), resolveZone(zoneName, controllerZone));
        }

        /** {@code nextScheduleTimeDuration}, as an instant: the next fire time after the last one due, plus 100 ms. */
        private @Nullable Instant requeueAt(Schedule schedule) {
            Schedule.Recent recent = schedule.mostRecent(
                    creationTime(), Times.parse(lastScheduleTime), spec.getStartingDeadlineSeconds(), now, false);
            Instant from;
            if (recent.error() != null) {
                from = now;
            } else if (recent.mostRecent() != null) {
                from = recent.mostRecent();
            } else {
                from = recent.missed() == Schedule.Missed.NONE ? recent.earliest() : now;
            }
            Instant next = schedule.next(from);
            // The controller would requeue at once, forever, when no fire time is left; this one stops.
            return next == null ? null : next.plus(NEXT_SCHEDULE_DELTA);
        }

        private @Nullable Instant creationTime() {
            return Times.parse(cronJob.getMetadata().getCreationTimestamp());
        }

        private void advanceLastSuccessfulTime(Job job) {
            String completionTime = job.getStatus().getCompletionTime();
            Instant completed = Times.parse(completionTime);
            if (lastSuccessfulTime == null) {
                lastSuccessfulTime = completed == null ? null : Times.format(completed);
                return;
            }
            Instant last = Times.parse(lastSuccessfulTime);
            if (completed != null && (last == null || completed.isAfter(last))) {
                lastSuccessfulTime = Times.format(completed);
            }
        }

        private @Nullable Job find(@Nullable String jobName) {
            String namespace = cronJob.getMetadata().getNamespace();
            for (Job job : allJobs) {
                if (name(job).equals(jobName) && sameNamespace(job, namespace)) {
                    return job;
                }
            }
            return null;
        }

        private boolean inActive(@Nullable String uid) {
            return uid != null && active.stream().anyMatch(ref -> uid.equals(ref.getUid()));
        }

        private boolean inActiveByName(String jobName) {
            return active.stream().anyMatch(ref -> jobName.equals(ref.getName()));
        }

        private void removeFromActive(@Nullable String uid) {
            active.removeIf(ref -> Objects.equals(ref.getUid(), uid));
        }

        private CronJobSync result(@Nullable Job create, @Nullable Instant scheduledTime, @Nullable Instant requeueAt) {
            CronJobStatus status = new CronJobStatusBuilder(original)
                    .withActive(new ArrayList<>(active))
                    .withLastScheduleTime(lastScheduleTime)
                    .withLastSuccessfulTime(lastSuccessfulTime)
                    .build();
            boolean changed = !normalized(status).equals(normalized(original));
            return new CronJobSync(create, scheduledTime, deletions, status, changed, events, requeueAt);
        }

        private static CronJobStatus normalized(CronJobStatus status) {
            return new CronJobStatusBuilder(status)
                    .withActive(status.getActive() == null ? new ArrayList<>() : new ArrayList<>(status.getActive()))
                    .build();
        }

        private static boolean sameNamespace(Job job, @Nullable String namespace) {
            String jobNamespace =
                    job.getMetadata() == null ? null : job.getMetadata().getNamespace();
            return jobNamespace == null || namespace == null || jobNamespace.equals(namespace);
        }
    }
}
