package dev.skiff.core;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link JobHandle} fed by the client's shared Job informers. */
final class ClusterJobHandle implements JobHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterJobHandle.class);
    /** How many times the failed pods of a job are read while the circuit is open. */
    private static final int POD_FAILURE_READS = 3;

    private final ClientContext ctx;
    private final String namespace;
    private final String name;
    private final String ref;

    ClusterJobHandle(ClientContext ctx, String namespace, String name) {
        this.ctx = ctx;
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        this.ref = namespace + "/" + name;
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
        return "JobHandle[" + ref + "]";
    }

    private Resource<Job> resource() {
        return ctx.client.batch().v1().jobs().inNamespace(namespace).withName(name);
    }

    /** Reads the Job, from the cache of a running feed if there is one. */
    Job read() {
        Optional<Job> cached = ctx.tracker.cached(namespace, name);
        if (cached.isPresent()) {
            return cached.get();
        }
        return readFromServer();
    }

    private Job readFromServer() {
        Job job;
        try {
            job = ctx.calls.call("get Job " + ref, () -> resource().get());
        } catch (RuntimeException e) {
            throw ClientContext.translate("get Job " + ref, e);
        }
        if (job == null) {
            throw new NotFoundException("Job " + ref + " does not exist", null);
        }
        return job;
    }

    @Override
    public JobStatus status() {
        return JobStatuses.status(read());
    }

    // ------------------------------------------------------------------ await

    @Override
    public Outcome await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Waiter waiter = new Waiter();
        waiter.start();
        try {
            return waiter.result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            waiter.result.cancel(false);
            throw new AwaitTimeoutException("Job " + ref + " did not finish within " + timeout, waiter.last, null);
        } catch (InterruptedException e) {
            waiter.result.cancel(false);
            Thread.currentThread().interrupt();
            throw new AwaitTimeoutException("waiting for Job " + ref + " was interrupted", waiter.last, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SkiffException s) {
                throw s;
            }
            throw new SubmissionException("following Job " + ref + " failed: " + cause, cause);
        }
    }

    @Override
    public CompletableFuture<Outcome> awaitAsync() {
        Waiter waiter = new Waiter();
        waiter.start();
        return waiter.result;
    }

    /**
     * Follows the Job through the tracker: attaches, reads what the feed has (or the server, for a
     * Job the feed does not see), and then reacts to every change.
     */
    private abstract class Attachment implements JobTracker.Follower {
        private JobTracker.@Nullable Registration registration; // guarded by this
        private boolean detached; // guarded by this

        final void attach(boolean managed) {
            JobTracker.Registration reg = ctx.tracker.follow(namespace, name, managed, this);
            synchronized (this) {
                if (detached) {
                    reg.close();
                    return;
                }
                registration = reg;
            }
            // A Job the feed has cached is handled where the sync completes (the feed's thread, or
            // here if it already has), as the feed's own events are: cheap, never blocking. Only a
            // read from the server goes to a worker. Handing every follower to the unbounded worker
            // pool made a sync with 10,000 followers waiting start about 9,000 threads.
            reg.synced().whenComplete((v, t) -> {
                if (t == null) {
                    Optional<Job> cached = reg.cached();
                    if (cached.isPresent()) {
                        onJob(cached.get());
                        return;
                    }
                }
                ctx.workers.execute(() -> afterSync(reg, t));
            });
        }

        private void afterSync(JobTracker.Registration reg, @Nullable Throwable t) {
            if (t != null) {
                failed(ClientContext.translate(
                        "following Job " + ref,
                        t instanceof RuntimeException r ? r : new SubmissionException(t.toString(), t)));
                return;
            }
            Optional<Job> cached = reg.cached();
            if (cached.isPresent()) {
                onJob(cached.get());
                return;
            }
            Job job;
            try {
                job = readFromServer();
            } catch (SkiffException e) {
                failed(e);
                return;
            }
            if (reg.managedOnly() && !isManaged(job)) {
                // not one of Skiff's: the namespace feed will not see it, follow it by name
                synchronized (this) {
                    reg.close();
                    registration = null;
                }
                attach(false);
                return;
            }
            onJob(job);
        }

        final void detach() {
            JobTracker.Registration reg;
            synchronized (this) {
                detached = true;
                reg = registration;
                registration = null;
            }
            if (reg != null) {
                reg.close();
            }
        }

        abstract void failed(SkiffException e);
    }

    private static boolean isManaged(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        return labels != null && Renderer.MANAGED_BY.equals(labels.get(Renderer.LABEL_MANAGED_BY));
    }

    /** Waits for the outcome; applies the stuck-job policy meanwhile. */
    private final class Waiter extends Attachment {
        final CompletableFuture<Outcome> result = new CompletableFuture<>();
        volatile @Nullable JobStatus last;
        private boolean finishing; // guarded by this
        private boolean reported; // guarded by this
        private @Nullable ScheduledFuture<?> stuckCheck; // guarded by this

        void start() {
            result.whenComplete((o, t) -> {
                detach();
                cancelStuckCheck();
            });
            attach(true);
        }

        @Override
        public void onJob(Job job) {
            JobStatus status = JobStatuses.status(job);
            last = status;
            Optional<Outcome> outcome = JobStatuses.outcome(job);
            if (outcome.isPresent()) {
                finish(outcome.get());
            } else {
                watchForStuck(status);
            }
        }

        @Override
        public void onDeleted(Job lastKnown) {
            finish(JobStatuses.outcome(lastKnown).orElseGet(() -> new Outcome.Cancelled(ref)));
        }

        @Override
        void failed(SkiffException e) {
            result.completeExceptionally(e);
        }

        private void finish(Outcome outcome) {
            synchronized (this) {
                if (finishing || result.isDone()) {
                    return;
                }
                finishing = true;
            }
            if (outcome instanceof Outcome.Failed f && f.podFailures().isEmpty()) {
                ctx.workers.execute(() -> completeWithPodFailures(f, POD_FAILURE_READS));
            } else {
                result.complete(outcome);
            }
        }

        /**
         * Completes the wait with {@code f} and its pods' failures. While the circuit is open
         * (the API server was down, and the watch may well come back before the circuit closes)
         * the read is tried again after the open period, {@code reads} times in all; other
         * failures give the outcome without pod details.
         */
        private void completeWithPodFailures(Outcome.Failed f, int reads) {
            if (result.isDone()) {
                return;
            }
            try {
                List<PodFailure> failures = PodFailures.collect(ctx, namespace, name);
                result.complete(new Outcome.Failed(
                        f.job(), f.reason(), f.message(), f.failedPods(), f.failedIndexes(), failures));
            } catch (ClusterUnavailableException e) {
                if (reads <= 1) {
                    LOG.debug("could not read the failed pods of Job {}: {}", ref, e.getMessage());
                    result.complete(f);
                    return;
                }
                LOG.debug("reading the failed pods of Job {} again once the circuit lets calls through", ref);
                try {
                    ctx.timers.schedule(
                            () -> ctx.workers.execute(() -> completeWithPodFailures(f, reads - 1)),
                            ctx.config.circuitBreaker().openFor().toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    result.complete(f); // the client was closed meanwhile
                }
            } catch (RuntimeException e) {
                LOG.debug("could not read the failed pods of Job {}: {}", ref, e.toString());
                result.complete(f);
            }
        }

        private void watchForStuck(JobStatus status) {
            boolean waiting = status.phase() == JobStatus.Phase.PENDING && !status.deleting();
            synchronized (this) {
                if (!waiting) {
                    cancelStuckCheck();
                } else if (stuckCheck == null && !result.isDone()) {
                    stuckCheck = ctx.timers.schedule(
                            () -> ctx.workers.execute(this::checkStuck),
                            ctx.config.stuckJobPolicy().after().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        }

        private synchronized void cancelStuckCheck() {
            if (stuckCheck != null) {
                stuckCheck.cancel(false);
                stuckCheck = null;
            }
        }

        private void checkStuck() {
            if (result.isDone()) {
                return;
            }
            StuckJobPolicy policy = ctx.config.stuckJobPolicy();
            Diagnosis diagnosis;
            try {
                diagnosis = diagnose();
            } catch (SkiffException e) {
                LOG.debug("diagnosing Job {} failed: {}", ref, e.getMessage());
                rearm(policy);
                return;
            }
            if (!diagnosis.isStuck()) {
                rearm(policy);
                return;
            }
            switch (policy.action()) {
                case REPORT -> {
                    synchronized (this) {
                        if (!reported) {
                            LOG.warn(
                                    "Job {} has not made progress for {}: {}",
                                    ref,
                                    policy.after(),
                                    diagnosis.explanation());
                        }
                        reported = true;
                    }
                }
                case FAIL -> finish(stuck(diagnosis, policy, false));
                case CANCEL -> {
                    synchronized (this) {
                        if (finishing || result.isDone()) {
                            return;
                        }
                        finishing = true; // the deletion below must not end the wait as Cancelled
                    }
                    try {
                        cancel();
                        result.complete(stuck(diagnosis, policy, true));
                    } catch (SkiffException e) {
                        result.completeExceptionally(e);
                    }
                }
            }
        }

        private void rearm(StuckJobPolicy policy) {
            synchronized (this) {
                stuckCheck = null;
                if (result.isDone()) {
                    return;
                }
                long again = Math.min(Math.max(policy.after().toMillis(), 1000), 60_000);
                stuckCheck =
                        ctx.timers.schedule(() -> ctx.workers.execute(this::checkStuck), again, TimeUnit.MILLISECONDS);
            }
        }

        private Outcome stuck(Diagnosis diagnosis, StuckJobPolicy policy, boolean deleted) {
            JobStatus s = last;
            String message = diagnosis.primary().explanation() + " (no progress for " + policy.after()
                    + (deleted ? "; the job was deleted" : "; the job was left in place") + ")";
            return new Outcome.Failed(ref, "Stuck", message, s == null ? 0 : s.failed(), List.of(), List.of());
        }
    }

    // ------------------------------------------------------------------ lifecycle events

    /**
     * Reports the life of the job just submitted to the client's listeners: admitted (when it was
     * submitted suspended), running, finished. Follows the job until it finishes, is deleted or the
     * client closes, whether or not anyone awaits it.
     *
     * @param submittedAt {@link System#nanoTime()} when it was submitted
     * @param rendered the Job as rendered, for its suspension and the GPUs its pods request
     */
    void reportLifecycle(long submittedAt, Job rendered) {
        if (!ctx.reported.add(ref)) {
            return; // submitted again while its life is already reported: once is enough
        }
        JobSpec spec = rendered.getSpec();
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        try {
            new Lifecycle(submittedAt, suspended, gpusPerPod(rendered), pods(spec)).attach(true);
        } catch (IllegalStateException closed) {
            ctx.reported.remove(ref); // the client was closed meanwhile
        }
    }

    /** The GPUs one pod of {@code job} requests: every {@code <vendor>/gpu} limit of its containers, added up. */
    static long gpusPerPod(Job job) {
        long gpus = 0;
        for (io.fabric8.kubernetes.api.model.Container c :
                job.getSpec().getTemplate().getSpec().getContainers()) {
            if (c.getResources() == null || c.getResources().getLimits() == null) {
                continue;
            }
            for (Map.Entry<String, Quantity> limit :
                    c.getResources().getLimits().entrySet()) {
                if (limit.getKey().endsWith("/gpu")) {
                    gpus += limit.getValue().getNumericalAmount().longValue();
                }
            }
        }
        return gpus;
    }

    /** How many pods of the job run at once: its parallelism (1 if unset), at most its completions. */
    static int pods(JobSpec spec) {
        int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
        return spec.getCompletions() == null ? parallelism : Math.min(parallelism, spec.getCompletions());
    }

    private final class Lifecycle extends Attachment {
        private final long submittedAt;
        private final long gpusPerPod;
        private final int pods;
        private boolean awaitingAdmission; // guarded by this
        private boolean running; // guarded by this
        private boolean ended; // guarded by this

        Lifecycle(long submittedAt, boolean suspended, long gpusPerPod, int pods) {
            this.submittedAt = submittedAt;
            this.awaitingAdmission = suspended;
            this.gpusPerPod = gpusPerPod;
            this.pods = pods;
        }

        private void stop() {
            detach();
            ctx.reported.remove(ref);
        }

        private Duration sinceSubmit() {
            return Duration.ofNanos(Math.max(0, System.nanoTime() - submittedAt));
        }

        @Override
        public void onJob(Job job) {
            List<SkiffEvent> events = new ArrayList<>(3);
            Optional<Outcome> outcome = JobStatuses.outcome(job);
            io.fabric8.kubernetes.api.model.batch.v1.JobStatus status = job.getStatus();
            int ready = status == null || status.getReady() == null ? 0 : status.getReady();
            int succeeded = status == null || status.getSucceeded() == null ? 0 : status.getSucceeded();
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (awaitingAdmission && !Boolean.TRUE.equals(job.getSpec().getSuspend())) {
                    awaitingAdmission = false;
                    events.add(new SkiffEvent.JobAdmitted(WorkloadKind.BATCH_JOB, namespace, name, sinceSubmit()));
                }
                if (!running && (ready > 0 || succeeded > 0)) {
                    running = true;
                    events.add(new SkiffEvent.JobRunning(WorkloadKind.BATCH_JOB, namespace, name, sinceSubmit()));
                }
                if (outcome.isPresent()) {
                    ended = true;
                    events.add(new SkiffEvent.JobFinished(
                            WorkloadKind.BATCH_JOB, namespace, name, outcome.get(), runTime(job), gpusPerPod, pods));
                }
            }
            events.forEach(ctx.events::emit);
            if (outcome.isPresent()) {
                stop();
            }
        }

        @Override
        public void onDeleted(Job lastKnown) {
            Optional<Outcome> known = JobStatuses.outcome(lastKnown);
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            ctx.events.emit(new SkiffEvent.JobFinished(
                    WorkloadKind.BATCH_JOB,
                    namespace,
                    name,
                    known.orElseGet(() -> new Outcome.Cancelled(ref)),
                    runTime(lastKnown),
                    gpusPerPod,
                    pods));
            stop();
        }

        @Override
        void failed(SkiffException e) {
            LOG.debug("following Job {} for its events failed: {}", ref, e.getMessage());
            stop();
        }
    }

    /**
     * The job's run time by the API server's clock: from {@code status.startTime} to {@code
     * completionTime}, or to the newest terminal condition's transition for a job that failed.
     */
    static Optional<Duration> runTime(Job job) {
        io.fabric8.kubernetes.api.model.batch.v1.JobStatus status = job.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        Optional<Instant> start = instant(status.getStartTime());
        Optional<Instant> end = instant(status.getCompletionTime());
        if (end.isEmpty() && status.getConditions() != null) {
            for (JobCondition c : status.getConditions()) {
                if (("Failed".equals(c.getType()) || "Complete".equals(c.getType())) && "True".equals(c.getStatus())) {
                    end = instant(c.getLastTransitionTime());
                }
            }
        }
        if (start.isEmpty() || end.isEmpty() || end.get().isBefore(start.get())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(start.get(), end.get()));
    }

    private static Optional<Instant> instant(@Nullable String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ watch

    @Override
    public Subscription watch(Consumer<JobStatus> listener) {
        Objects.requireNonNull(listener, "listener");
        Watch watch = new Watch(listener);
        watch.attach(true);
        return watch::close;
    }

    private final class Watch extends Attachment {
        private final Consumer<JobStatus> listener;
        private volatile boolean closed;
        private @Nullable String lastResourceVersion; // guarded by this

        Watch(Consumer<JobStatus> listener) {
            this.listener = listener;
        }

        @Override
        public void onJob(Job job) {
            synchronized (this) {
                String rv = job.getMetadata().getResourceVersion();
                if (rv != null && rv.equals(lastResourceVersion)) {
                    return; // the same state seen twice (initial read and the feed's add)
                }
                lastResourceVersion = rv;
            }
            JobStatus status = JobStatuses.status(job);
            deliver(status);
            if (status.phase().isTerminal()) {
                close();
            }
        }

        @Override
        public void onDeleted(Job lastKnown) {
            close();
        }

        @Override
        void failed(SkiffException e) {
            LOG.warn("watching Job {} failed: {}", ref, e.getMessage());
            close();
        }

        private void deliver(JobStatus status) {
            if (closed) {
                return;
            }
            ctx.callbacks.execute(() -> {
                try {
                    listener.accept(status);
                } catch (RuntimeException e) {
                    LOG.warn("a status listener of Job {} threw", ref, e);
                }
            });
        }

        void close() {
            closed = true;
            detach();
        }
    }

    // ------------------------------------------------------------------ logs, events, diagnose

    @Override
    public JobLogs logs() {
        return new ClusterJobLogs(ctx, ClusterJobLogs.Source.ofJob(namespace, name), ClusterJobLogs.Selection.ALL);
    }

    @Override
    public List<WorkloadEvent> events() {
        return Diagnoser.events(ctx, namespace, name);
    }

    @Override
    public Diagnosis diagnose() {
        return Diagnoser.diagnose(ctx, read());
    }

    // ------------------------------------------------------------------ control

    @Override
    public void cancel() {
        delete(DeletionPropagation.BACKGROUND);
    }

    @Override
    public void cancelAndWait(Duration timeout) {
        delete(DeletionPropagation.FOREGROUND);
        try {
            resource().waitUntilCondition(Objects::isNull, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new AwaitTimeoutException("Job " + ref + " was not gone within " + timeout, e);
        }
    }

    private void delete(DeletionPropagation propagation) {
        try {
            ctx.calls.run(
                    "delete Job " + ref,
                    () -> resource().withPropagationPolicy(propagation).delete());
        } catch (RuntimeException e) {
            SkiffException s = ClientContext.translate("delete Job " + ref, e);
            if (!(s instanceof NotFoundException)) {
                throw s;
            }
        }
        LOG.debug("deleted Job {} ({} propagation)", ref, propagation);
    }

    @Override
    public void suspend() {
        setSuspend(true);
    }

    @Override
    public void resume() {
        setSuspend(false);
    }

    private void setSuspend(boolean suspend) {
        String what = (suspend ? "suspend" : "resume") + " Job " + ref;
        try {
            ctx.calls.run(
                    what,
                    () -> resource()
                            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}"));
        } catch (KubernetesClientException | CancellationException e) {
            throw ClientContext.translate(what, e);
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
    }
}
