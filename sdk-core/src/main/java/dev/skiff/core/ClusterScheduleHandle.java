package dev.skiff.core;

import dev.skiff.core.internal.cron.CronSchedules;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link ScheduleHandle} over a CronJob. */
final class ClusterScheduleHandle implements ScheduleHandle {
    static final String INSTANTIATE_ANNOTATION = "cronjob.kubernetes.io/instantiate";

    private final ClientContext ctx;
    private final String namespace;
    private final String name;
    private final String ref;

    ClusterScheduleHandle(ClientContext ctx, String namespace, String name) {
        this.ctx = ctx;
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        this.ref = "CronJob " + namespace + "/" + name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public String toString() {
        return "ScheduleHandle[" + namespace + "/" + name + "]";
    }

    private Resource<CronJob> resource() {
        return ctx.client.batch().v1().cronjobs().inNamespace(namespace).withName(name);
    }

    private CronJob read() {
        CronJob cron;
        try {
            cron = ctx.calls.call("get " + ref, () -> resource().get());
        } catch (RuntimeException e) {
            throw ClientContext.translate("get " + ref, e);
        }
        if (cron == null) {
            throw new NotFoundException(ref + " does not exist", null);
        }
        return cron;
    }

    @Override
    public ScheduleStatus status() {
        CronJob cron = read();
        List<String> active = new ArrayList<>();
        if (cron.getStatus() != null && cron.getStatus().getActive() != null) {
            for (ObjectReference r : cron.getStatus().getActive()) {
                active.add(r.getName());
            }
        }
        return new ScheduleStatus(
                cron.getSpec().getSchedule(),
                Optional.ofNullable(cron.getSpec().getTimeZone()),
                Boolean.TRUE.equals(cron.getSpec().getSuspend()),
                cron.getStatus() == null
                        ? Optional.empty()
                        : JobStatuses.time(cron.getStatus().getLastScheduleTime()),
                cron.getStatus() == null
                        ? Optional.empty()
                        : JobStatuses.time(cron.getStatus().getLastSuccessfulTime()),
                active);
    }

    @Override
    public List<ZonedDateTime> nextRuns(int n) {
        return nextRuns(Instant.now(), n);
    }

    @Override
    public List<ZonedDateTime> nextRuns(Instant from, int n) {
        Objects.requireNonNull(from, "from");
        if (n < 0) {
            throw new IllegalArgumentException("n: " + n + ": must be 0 or more");
        }
        CronJob cron = read();
        ZoneId zone = cron.getSpec().getTimeZone() == null
                ? ZoneOffset.UTC
                : CronSchedules.zoneId(cron.getSpec().getTimeZone());
        return CronSchedules.nextRuns(cron.getSpec().getSchedule(), zone, from, n);
    }

    /** The CronJob's Jobs that still exist, newest first. */
    private List<Job> runJobs(String uid) {
        String what = "list the runs of " + ref;
        List<Job> jobs;
        try {
            jobs = ctx.calls.call(
                    what,
                    () -> ctx.client
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(namespace)
                            .list()
                            .getItems());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        List<Job> owned = new ArrayList<>();
        for (Job j : jobs) {
            if (isOwnedBy(j, uid)) {
                owned.add(j);
            }
        }
        owned.sort(
                Comparator.comparing((Job j) -> JobStatuses.nz(j.getMetadata().getCreationTimestamp()))
                        .thenComparing(j -> j.getMetadata().getName())
                        .reversed());
        return owned;
    }

    private static boolean isOwnedBy(Job job, String uid) {
        List<OwnerReference> refs = job.getMetadata().getOwnerReferences();
        if (refs == null) {
            return false;
        }
        for (OwnerReference r : refs) {
            if ("CronJob".equals(r.getKind()) && uid.equals(r.getUid())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<JobHandle> runs() {
        CronJob cron = read();
        List<JobHandle> out = new ArrayList<>();
        for (Job j : runJobs(cron.getMetadata().getUid())) {
            out.add(new ClusterJobHandle(ctx, namespace, j.getMetadata().getName()));
        }
        return out;
    }

    @Override
    public Optional<JobHandle> lastRun() {
        List<JobHandle> runs = runs();
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    @Override
    public JobHandle awaitNextRun(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CronJob cron = read();
        String uid = cron.getMetadata().getUid();
        Set<String> known = new HashSet<>();
        for (Job j : runJobs(uid)) {
            known.add(j.getMetadata().getName());
        }
        CompletableFuture<List<Job>> found = ctx.client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .informOnCondition(jobs -> jobs.stream()
                        .anyMatch(j -> isOwnedBy(j, uid)
                                && !known.contains(j.getMetadata().getName())));
        try {
            List<Job> jobs = found.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            Job next = jobs.stream()
                    .filter(j ->
                            isOwnedBy(j, uid) && !known.contains(j.getMetadata().getName()))
                    .min(Comparator.comparing(
                            j -> JobStatuses.nz(j.getMetadata().getCreationTimestamp())))
                    .orElseThrow();
            return new ClusterJobHandle(ctx, namespace, next.getMetadata().getName());
        } catch (TimeoutException e) {
            throw new AwaitTimeoutException("no new run of " + ref + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwaitTimeoutException("waiting for the next run of " + ref + " was interrupted", e);
        } catch (ExecutionException e) {
            throw ClientContext.translate(
                    "watch the runs of " + ref,
                    e.getCause() instanceof RuntimeException r ? r : new SubmissionException(e.toString(), e));
        } finally {
            found.cancel(true);
        }
    }

    @Override
    public JobHandle triggerNow() {
        CronJob cron = read();
        Job job = new Job();
        job.setApiVersion("batch/v1");
        job.setKind("Job");
        ObjectMeta meta = new ObjectMeta();
        String runName = manualName(name);
        meta.setName(runName);
        meta.setNamespace(namespace);
        ObjectMeta template = cron.getSpec().getJobTemplate().getMetadata();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (template != null) {
            if (template.getLabels() != null) {
                labels.putAll(template.getLabels());
            }
            if (template.getAnnotations() != null) {
                annotations.putAll(template.getAnnotations());
            }
        }
        annotations.put(INSTANTIATE_ANNOTATION, "manual");
        meta.setLabels(labels);
        meta.setAnnotations(annotations);
        OwnerReference owner = new OwnerReference();
        owner.setApiVersion("batch/v1");
        owner.setKind("CronJob");
        owner.setName(name);
        owner.setUid(cron.getMetadata().getUid());
        owner.setController(true);
        owner.setBlockOwnerDeletion(true);
        meta.setOwnerReferences(new ArrayList<>(List.of(owner)));
        job.setMetadata(meta);
        job.setSpec(cron.getSpec().getJobTemplate().getSpec());
        String what = "create Job " + namespace + "/" + runName + " from " + ref;
        try {
            ctx.calls.call(
                    what,
                    () -> ctx.client
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(namespace)
                            .resource(job)
                            .create());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        return new ClusterJobHandle(ctx, namespace, runName);
    }

    /** {@code <cronjob>-manual-<5 characters>}, cut so the Job name stays a valid 63-character label value. */
    static String manualName(String cronJob) {
        String suffix = "-manual-" + Renderer.randomSuffix();
        String base = cronJob.length() + suffix.length() > 63 ? cronJob.substring(0, 63 - suffix.length()) : cronJob;
        while (base.endsWith("-") || base.endsWith(".")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + suffix;
    }

    @Override
    public void suspend() {
        patch("suspend " + ref, "{\"spec\":{\"suspend\":true}}");
    }

    @Override
    public void resume() {
        patch("resume " + ref, "{\"spec\":{\"suspend\":false}}");
    }

    @Override
    public void reschedule(String schedule) {
        Objects.requireNonNull(schedule, "schedule");
        Optional<String> error = CronSchedules.scheduleError(schedule);
        if (error.isPresent()) {
            throw new IllegalArgumentException("schedule: \"" + schedule + "\": " + error.get());
        }
        patch(
                "reschedule " + ref,
                "{\"spec\":{\"schedule\":"
                        + ctx.client.getKubernetesSerialization().asJson(schedule) + "}}");
    }

    private void patch(String what, String mergePatch) {
        try {
            ctx.calls.run(what, () -> resource().patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch));
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
    }

    @Override
    public void delete(boolean withRuns) {
        String what = "delete " + ref;
        try {
            ctx.calls.run(
                    what,
                    () -> resource()
                            .withPropagationPolicy(
                                    withRuns ? DeletionPropagation.BACKGROUND : DeletionPropagation.ORPHAN)
                            .delete());
        } catch (RuntimeException e) {
            SkiffException s = ClientContext.translate(what, e);
            if (!(s instanceof NotFoundException)) {
                throw s;
            }
        }
    }
}
