package dev.skiff.testing.internal.job;

import static dev.skiff.testing.internal.job.JobPods.UNKNOWN_INDEX;
import static dev.skiff.testing.internal.job.JobPods.completionIndex;
import static dev.skiff.testing.internal.job.JobPods.formatTime;
import static dev.skiff.testing.internal.job.JobPods.hasTrackingFinalizer;
import static dev.skiff.testing.internal.job.JobPods.isReady;
import static dev.skiff.testing.internal.job.JobPods.name;
import static dev.skiff.testing.internal.job.JobPods.parseTime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory cluster's Job controller, as a pure function from a Job, its pods and the time to
 * the changes the controller makes ({@link JobSync}).
 *
 * <p>It follows kubernetes/kubernetes {@code pkg/controller/job} ({@code syncJob}, {@code
 * manageJob}, {@code trackJobStatusAndRemoveFinalizers}) as of Kubernetes 1.34, with every feature
 * gate at its default: pods carry the {@value #TRACKING_FINALIZER} finalizer and are counted when
 * it comes off; the terminal {@code Complete} and {@code Failed} conditions follow {@code
 * SuccessCriteriaMet} and {@code FailureTarget} once no pod is still terminating; {@code
 * status.terminating} is always reported.
 *
 * <h2>Where it differs from the real controller, on purpose</h2>
 *
 * <ul>
 *   <li>{@code status.uncountedTerminatedPods} stays empty: the real controller writes pod UIDs
 *       there to survive a crash between removing finalizers and writing the counters; the engine
 *       applies a whole {@link JobSync} at once, so counters move in the same step.
 *   <li>The pod-creation backoff (10 s doubling up to 10 minutes) lives in the real controller's
 *       memory; here it is a value the engine hands back ({@link PodBackoff}).
 *   <li>Pod names are chosen here (the engine stores them as given) with the API server's {@code
 *       generateName} rule: the prefix cut to 58 characters, then 5 random characters; a name
 *       already used by one of the Job's pods is drawn again.
 *   <li>Expectations, the 1 s batching delay, slow-start creation batches and the 500-pod cap per
 *       sync are left out: the engine runs one reconcile at a time and sees every write at once.
 *   <li>Adoption of orphaned pods by label selector is left out; releasing the pods whose labels
 *       no longer match the selector is the engine's ({@code JobActor}): it passes the pods whose
 *       controller owner reference is this Job and whose labels match.
 *   <li>While replacement pods wait for the backoff, {@code status.active} keeps the real
 *       count (kubernetes/kubernetes#139428 fixed the controller reporting 0 there).
 *   <li>Pod labels get the four Job labels even if the template lacks them (unless {@code
 *       manualSelector}); the API server's defaulting normally put them there already.
 * </ul>
 *
 * <h2>Behaviours worth knowing, kept as the controller has them</h2>
 *
 * <ul>
 *   <li>{@code JOB_COMPLETION_INDEX} reads the index from the pod's label, not its annotation
 *       ({@code PodIndexLabel} is on by default since 1.28).
 *   <li>Container restarts under {@code restartPolicy: OnFailure} fail the Job once their sum over
 *       running and pending pods reaches {@code backoffLimit} ({@code >=}, or any restart when the
 *       limit is 0), while failed pods must exceed it ({@code >}).
 *   <li>Failures a pod failure policy ignores are not counted but still delay the replacement.
 *   <li>A resumed Job's deadline is checked against the start time of before the suspension, then
 *       the start time is reset; a Job resumed after its original deadline fails at once.
 *   <li>Two adjacent indexes are written {@code "1,2"}; only runs of three or more use a dash.
 * </ul>
 *
 * <p>Thread-safe: it keeps no state.
 */
public final class JobReconciler {

    /** The finalizer the controller puts on its pods and removes once it has counted them. */
    public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

    /** Annotation and label carrying an indexed pod's completion index. */
    public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

    /** Annotation counting an index's earlier failed pods (backoffLimitPerIndex). */
    public static final String INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";

    /** Annotation counting an index's earlier failures that a pod failure policy ignored. */
    public static final String INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";

    /** Label with the Job's UID. */
    public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

    /** Label with the Job's name. */
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

    static final String LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
    static final String LEGACY_JOB_NAME_LABEL = "job-name";
    static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";
    static final String CONTROLLER_NAME = "kubernetes.io/job-controller";

    /** First delay before a failed pod is replaced. */
    public static final Duration POD_FAILURE_BACKOFF = Duration.ofSeconds(10);

    /** Cap of the doubling replacement delay ({@code MaxJobPodFailureBackOff}). */
    public static final Duration MAX_POD_FAILURE_BACKOFF = Duration.ofMinutes(10);

    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUSPENDED = "Suspended";

    private static final int MAX_GENERATED_NAME_PREFIX = 58;
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int NAME_SUFFIX_LENGTH = 5;

    private JobReconciler() {}

    /**
     * Computes what the Job controller does for one Job now.
     *
     * @param job the Job as stored, already defaulted by the API server
     * @param ownedPods the pods whose controller owner reference is this Job, with their status
     * @param backoff the {@link JobSync#backoff()} of this Job's previous sync, or {@link
     *     PodBackoff#NONE}
     * @param now the cluster's (virtual) time
     * @param random the source of pod name suffixes; seeded, so runs repeat
     * @return the pods to create and delete, finalizers to remove, the new status, events and the
     *     next time the controller wants to run
     */
    public static JobSync reconcile(
            Job job, List<Pod> ownedPods, PodBackoff backoff, Instant now, RandomGenerator random) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(ownedPods, "ownedPods");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(job.getSpec(), "job.spec");
        return new Sync(job, ownedPods, backoff, now, random).run();
    }

    /**
     * Computes what a freshly started Job controller does for one Job now: like {@link
     * #reconcile(Job, List, PodBackoff, Instant, RandomGenerator)} with no remembered failures, so
     * a failed pod is replaced without waiting (as after a kube-controller-manager restart).
     *
     * @param job the Job as stored, already defaulted by the API server
     * @param ownedPods the pods whose controller owner reference is this Job, with their status
     * @param now the cluster's (virtual) time
     * @param random the source of pod name suffixes
     * @return what the controller does
     */
    public static JobSync reconcile(Job job, List<Pod> ownedPods, Instant now, RandomGenerator random) {
        return reconcile(job, ownedPods, PodBackoff.NONE, now, random);
    }

    /** Whether a Job has a {@code Complete} or {@code Failed} condition that is {@code True}. */
    public static boolean isFinished(@Nullable JobStatus status) {
        JobCondition complete = findCondition(status, COMPLETE);
        JobCondition failed = findCondition(status, FAILED);
        return (complete != null && "True".equals(complete.getStatus()))
                || (failed != null && "True".equals(failed.getStatus()));
    }

    static @Nullable JobCondition findCondition(@Nullable JobStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        for (JobCondition condition : status.getConditions()) {
            if (type.equals(condition.getType())) {
                return condition;
            }
        }
        return null;
    }

    /** The Go-style default of an optional count. */
    private static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }

    /** Go's {@code omitempty}: zero counters are left out of the status. */
    private static @Nullable Integer omitZero(int value) {
        return value == 0 ? null : value;
    }

    /** One reconcile: the state of {@code syncJob} while it runs. */
    private static final class Sync {
        private final Job job;
        private final JobSpec spec;
        private final List<Pod> pods;
        private final Instant now;
        private final RandomGenerator random;
        private PodBackoff backoff;

        private final JobStatus oldStatus;
        private final JobStatus status;
        private final boolean indexed;
        private final boolean perIndex;
        private final @Nullable Integer completions;
        private final int parallelism;
        private final int backoffLimit;
        private final boolean suspended;
        private final boolean onlyReplaceFailed;

        private final List<Pod> activePods;
        private int ready;
        private int terminating;
        private int succeeded;
        private int failed;
        private IndexSet prevSucceededIndexes = IndexSet.empty();
        private IndexSet succeededIndexes = IndexSet.empty();
        private @Nullable IndexSet failedIndexes;
        private Map<Integer, Pod> delayedDeletionPerIndex = Map.of();
        private @Nullable JobCondition finished;

        private final List<Pod> creates = new ArrayList<>();
        private final List<PodDeletion> deletions = new ArrayList<>();
        private final Set<String> finalizerRemovals = new LinkedHashSet<>();
        private final List<JobEvent> events = new ArrayList<>();
        private final Set<String> usedNames = new HashSet<>();
        private @Nullable Instant requeueAt;

        Sync(Job job, List<Pod> pods, PodBackoff backoff, Instant now, RandomGenerator random) {
            this.job = job;
            this.backoff = backoff;
            this.spec = job.getSpec();
            this.pods = List.copyOf(pods);
            this.now = now;
            this.random = random;
            this.oldStatus = job.getStatus() == null ? new JobStatus() : job.getStatus();
            this.status = new JobStatusBuilder(oldStatus).build();
            this.indexed = "Indexed".equals(spec.getCompletionMode());
            this.perIndex = indexed && spec.getBackoffLimitPerIndex() != null;
            this.completions = spec.getCompletions();
            this.parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
            this.backoffLimit = spec.getBackoffLimit() != null
                    ? spec.getBackoffLimit()
                    : (spec.getBackoffLimitPerIndex() != null ? Integer.MAX_VALUE : 6);
            this.suspended = Boolean.TRUE.equals(spec.getSuspend());
            this.onlyReplaceFailed =
                    "Failed".equals(spec.getPodReplacementPolicy()) || spec.getPodFailurePolicy() != null;
            this.activePods = this.pods.stream().filter(JobPods::isActive).toList();
            for (Pod pod : this.pods) {
                usedNames.add(name(pod));
            }
        }

        JobSync run() {
            if (isFinished(oldStatus)) {
                // The real controller's orphan worker takes the finalizers off a finished Job's pods.
                for (Pod pod : pods) {
                    if (hasTrackingFinalizer(pod)) {
                        finalizerRemovals.add(name(pod));
                    }
                }
                backoff = PodBackoff.NONE;
                return result(false);
            }
            if (spec.getManagedBy() != null && !CONTROLLER_NAME.equals(spec.getManagedBy())) {
                return JobSync.nothing(backoff);
            }
            String mode = spec.getCompletionMode();
            if (mode != null && !"NonIndexed".equals(mode) && !"Indexed".equals(mode)) {
                events.add(JobEvent.warning(
                        "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown"));
                return result(false);
            }
            if (indexed && completions == null) {
                return JobSync.nothing(backoff); // the API server rejects this; nothing sensible to do
            }

            ready = (int) activePods.stream().filter(JobPods::isReady).count();
            terminating = (int) pods.stream().filter(JobPods::isTerminating).count();
            List<Pod> newSucceeded = uncountedPods(JobPods::isSucceeded);
            List<Pod> newFailed = uncountedPods(this::isPodFailed);
            succeeded = orZero(oldStatus.getSucceeded()) + newSucceeded.size();
            failed = orZero(oldStatus.getFailed())
                    + (int) newFailed.stream()
                            .filter(p -> PodFailurePolicies.match(spec.getPodFailurePolicy(), p)
                                    .countFailed())
                            .count();

            if (status.getStartTime() == null && !suspended) {
                status.setStartTime(formatTime(now));
            }
            backoff = backoff.after(newSucceeded, newFailed, now);

            decideFinishedByFailure();
            if (indexed) {
                trackIndexes();
            }

            int active = activePods.size();
            if (finished != null) {
                JobCondition target = finished;
                PodDeletion.Reason reason = SUCCESS_CRITERIA_MET.equals(target.getType())
                        ? PodDeletion.Reason.JOB_SUCCEEDED
                        : PodDeletion.Reason.JOB_FAILED;
                for (Pod pod : activePods) {
                    delete(pod, reason, false);
                }
                active = 0;
            } else {
                boolean manageJobCalled = false;
                if (job.getMetadata() == null || job.getMetadata().getDeletionTimestamp() == null) {
                    active = manageJob();
                    manageJobCalled = true;
                }
                boolean complete =
                        completions == null ? succeeded > 0 && active == 0 : succeeded >= completions && active == 0;
                if (complete) {
                    finished = condition(
                            SUCCESS_CRITERIA_MET, "CompletionsReached", "Reached expected number of succeeded pods");
                } else if (manageJobCalled) {
                    updateSuspendedCondition();
                }
            }

            status.setActive(omitZero(active));
            status.setReady(ready);
            status.setTerminating(terminating);
            status.setUncountedTerminatedPods(new UncountedTerminatedPods());
            trackStatusAndFinish();
            return result(true);
        }

        /** The FailureTarget decisions of {@code syncJob}, in the controller's order. */
        private void decideFinishedByFailure() {
            JobCondition successCriteriaMet = findCondition(oldStatus, SUCCESS_CRITERIA_MET);
            if (successCriteriaMet != null && "True".equals(successCriteriaMet.getStatus())) {
                finished = successCriteriaMet;
                return;
            }
            JobCondition failureTarget = findCondition(oldStatus, FAILURE_TARGET);
            if (failureTarget != null && "True".equals(failureTarget.getStatus())) {
                finished = condition(FAILED, failureTarget.getReason(), failureTarget.getMessage());
                return;
            }
            String failJobMessage = failJobMessage();
            if (failJobMessage != null) {
                finished = condition(FAILURE_TARGET, "PodFailurePolicy", failJobMessage);
            } else if (failed > backoffLimit || pastBackoffLimitOnFailure()) {
                finished = condition(
                        FAILURE_TARGET, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
            } else if (pastActiveDeadline()) {
                finished =
                        condition(FAILURE_TARGET, "DeadlineExceeded", "Job was active longer than specified deadline");
            } else if (spec.getActiveDeadlineSeconds() != null && !suspended) {
                Instant start = parseTime(status.getStartTime());
                if (start != null) {
                    requeue(start.plusSeconds(spec.getActiveDeadlineSeconds()));
                }
            }
        }

        private void trackIndexes() {
            int n = Objects.requireNonNull(completions);
            prevSucceededIndexes = IndexSet.parse(Objects.requireNonNullElse(oldStatus.getCompletedIndexes(), ""), n);
            List<Integer> newlySucceeded = new ArrayList<>();
            for (Pod pod : pods) {
                int ix = completionIndex(pod);
                if (JobPods.isSucceeded(pod) && ix != UNKNOWN_INDEX && ix < n && hasTrackingFinalizer(pod)) {
                    newlySucceeded.add(ix);
                }
            }
            succeededIndexes = prevSucceededIndexes.with(newlySucceeded);
            succeeded = succeededIndexes.size();
            if (perIndex) {
                List<Integer> newlyFailed = new ArrayList<>();
                for (Pod pod : pods) {
                    int ix = completionIndex(pod);
                    if (ix != UNKNOWN_INDEX && ix < n && hasTrackingFinalizer(pod) && isIndexFailed(pod)) {
                        newlyFailed.add(ix);
                    }
                }
                IndexSet failedSet = IndexSet.parse(Objects.requireNonNullElse(oldStatus.getFailedIndexes(), ""), n)
                        .with(newlyFailed);
                failedIndexes = failedSet;
                if (finished == null) {
                    if (spec.getMaxFailedIndexes() != null && failedSet.size() > spec.getMaxFailedIndexes()) {
                        finished = condition(
                                FAILURE_TARGET,
                                "MaxFailedIndexesExceeded",
                                "Job has exceeded the specified maximal number of failed indexes");
                    } else if (failedSet.size() > 0 && failedSet.size() + succeededIndexes.size() >= n) {
                        finished = condition(FAILURE_TARGET, "FailedIndexes", "Job has failed indexes");
                    }
                }
                delayedDeletionPerIndex = podsWithDelayedDeletionPerIndex();
            }
            if (finished == null) {
                String message = matchSuccessPolicy();
                if (message != null) {
                    finished = condition(SUCCESS_CRITERIA_MET, "SuccessPolicy", message);
                }
            }
        }

        /** {@code manageJob}: returns the number of active pods after this sync's changes. */
        private int manageJob() {
            int active = activePods.size();
            if (suspended) {
                for (Pod pod : activePodsForRemoval(active)) {
                    delete(pod, PodDeletion.Reason.SUSPENDED, true);
                    active--;
                }
                return active;
            }
            int wantActive;
            if (completions == null) {
                wantActive = succeeded > 0 ? active : parallelism;
            } else {
                wantActive = Math.max(0, Math.min(completions - succeeded, parallelism));
            }
            List<Pod> toDelete = activePodsForRemoval(Math.max(0, active - wantActive));
            if (!toDelete.isEmpty()) {
                for (Pod pod : toDelete) {
                    delete(pod, removalReason(pod), true);
                    active--;
                }
                // Like the controller, a sync either deletes or creates, never both.
                return active;
            }
            int diff = wantActive - (onlyReplaceFailed ? terminating : 0) - active;
            if (diff <= 0) {
                return active;
            }
            if (!perIndex) {
                Duration remaining = backoff.remaining(now);
                if (remaining.compareTo(Duration.ZERO) > 0) {
                    requeue(now.plus(remaining));
                    return active;
                }
            }
            List<Integer> indexesToAdd = null;
            if (indexed) {
                indexesToAdd = firstPendingIndexes(diff);
                if (perIndex) {
                    List<Integer> readyNow = new ArrayList<>();
                    Duration minRemaining = null;
                    for (int ix : indexesToAdd) {
                        Duration remaining = perIndexBackoffRemaining(delayedDeletionPerIndex.get(ix));
                        if (remaining.isZero()) {
                            readyNow.add(ix);
                        } else if (minRemaining == null || remaining.compareTo(minRemaining) < 0) {
                            minRemaining = remaining;
                        }
                    }
                    if (readyNow.isEmpty() && minRemaining != null) {
                        requeue(now.plus(minRemaining));
                        return active;
                    }
                    indexesToAdd = readyNow;
                }
                diff = indexesToAdd.size();
            }
            for (int i = 0; i < diff; i++) {
                createPod(indexesToAdd == null ? UNKNOWN_INDEX : indexesToAdd.get(i));
            }
            return active + diff;
        }

        private void updateSuspendedCondition() {
            if (suspended) {
                if (ensureCondition(SUSPENDED, "True", "JobSuspended", "Job suspended")) {
                    events.add(JobEvent.normal("Suspended", "Job suspended"));
                    // 1.36 clears startTime on suspension, so that resuming sets it afresh
                    status.setStartTime(null);
                }
            } else if (ensureCondition(SUSPENDED, "False", "JobResumed", "Job resumed")) {
                events.add(JobEvent.normal("Resumed", "Job resumed"));
                // activeDeadlineSeconds counts the time a Job is continuously active.
                status.setStartTime(formatTime(now));
            }
        }

        /** {@code trackJobStatusAndRemoveFinalizers} and {@code enactJobFinished}. */
        private void trackStatusAndFinish() {
            List<Integer> newSucceededIndexes = new ArrayList<>();
            int newSucceededCount = 0;
            int newFailedCount = 0;
            JobCondition target = finished;
            boolean jobFailing = target != null && !SUCCESS_CRITERIA_MET.equals(target.getType());
            for (Pod pod : pods) {
                if (!hasTrackingFinalizer(pod) || finalizerRemovals.contains(name(pod))) {
                    continue;
                }
                boolean considerFailed = isPodFailed(pod);
                if (!canRemoveFinalizer(pod, considerFailed)) {
                    continue;
                }
                finalizerRemovals.add(name(pod));
                int ix = completionIndex(pod);
                boolean validIndex = ix != UNKNOWN_INDEX && completions != null && ix < completions;
                if (JobPods.isSucceeded(pod)) {
                    if (indexed) {
                        if (validIndex && !prevSucceededIndexes.contains(ix)) {
                            newSucceededIndexes.add(ix);
                        }
                    } else {
                        newSucceededCount++;
                    }
                } else if ((considerFailed || jobFailing) && (!indexed || validIndex)) {
                    if (PodFailurePolicies.match(spec.getPodFailurePolicy(), pod)
                            .countFailed()) {
                        newFailedCount++;
                    }
                }
            }
            if (indexed) {
                succeededIndexes = succeededIndexes.with(newSucceededIndexes);
                String completed = succeededIndexes.toString();
                status.setCompletedIndexes(completed.isEmpty() ? null : completed);
                status.setSucceeded(omitZero(succeededIndexes.size()));
                IndexSet failedSet = failedIndexes;
                status.setFailedIndexes(failedSet == null ? null : failedSet.toString());
            } else {
                status.setSucceeded(omitZero(orZero(oldStatus.getSucceeded()) + newSucceededCount));
            }
            status.setFailed(omitZero(orZero(oldStatus.getFailed()) + newFailedCount));

            if (target == null) {
                return;
            }
            JobCondition terminal = target;
            if (FAILURE_TARGET.equals(target.getType())) {
                addCondition(target);
                terminal = condition(FAILED, target.getReason(), target.getMessage());
            } else if (SUCCESS_CRITERIA_MET.equals(target.getType())) {
                JobCondition existing = findCondition(status, SUCCESS_CRITERIA_MET);
                if (existing == null || !"True".equals(existing.getStatus())) {
                    addCondition(target);
                }
                terminal = condition(COMPLETE, target.getReason(), target.getMessage());
            }
            if (terminating > 0) {
                return; // the terminal condition waits until no pod is terminating
            }
            ensureCondition(terminal.getType(), "True", terminal.getReason(), terminal.getMessage());
            if (COMPLETE.equals(terminal.getType())) {
                status.setCompletionTime(terminal.getLastTransitionTime());
                if (completions != null && orZero(status.getSucceeded()) > completions) {
                    events.add(JobEvent.warning(
                            "TooManySucceededPods", "Too many succeeded pods running after completion count reached"));
                }
                events.add(JobEvent.normal("Completed", "Job completed"));
            } else {
                events.add(JobEvent.warning(
                        Objects.requireNonNullElse(terminal.getReason(), ""),
                        Objects.requireNonNullElse(terminal.getMessage(), "")));
            }
        }

        private boolean canRemoveFinalizer(Pod pod, boolean considerFailed) {
            boolean jobDeleting = job.getMetadata() != null && job.getMetadata().getDeletionTimestamp() != null;
            if (jobDeleting || finished != null || JobPods.isSucceeded(pod)) {
                return true;
            }
            if (!considerFailed) {
                return false;
            }
            if (perIndex) {
                int ix = completionIndex(pod);
                Pod delayed = delayedDeletionPerIndex.get(ix);
                return delayed == null || !name(delayed).equals(name(pod));
            }
            return true;
        }

        private JobSync result(boolean statusComputed) {
            JobStatus newStatus = statusComputed && !status.equals(oldStatus) ? status : null;
            return new JobSync(
                    creates,
                    deletions,
                    new ArrayList<>(finalizerRemovals),
                    newStatus,
                    events,
                    Optional.ofNullable(requeueAt),
                    backoff);
        }

        // ---- pods ----

        private boolean isPodFailed(Pod pod) {
            if ("Failed".equals(JobPods.phase(pod))) {
                return true;
            }
            if (onlyReplaceFailed) {
                return false;
            }
            // A deleted pod counts as failed: it may never reach the Failed phase.
            return JobPods.isDeleted(pod) && !JobPods.isSucceeded(pod);
        }

        /** Finished pods not counted yet: they still carry the finalizer (and a valid index). */
        private List<Pod> uncountedPods(java.util.function.Predicate<Pod> filter) {
            List<Pod> result = new ArrayList<>();
            for (Pod pod : pods) {
                if (!hasTrackingFinalizer(pod)) {
                    continue;
                }
                if (indexed) {
                    int ix = completionIndex(pod);
                    if (ix == UNKNOWN_INDEX || ix >= Objects.requireNonNull(completions)) {
                        continue;
                    }
                }
                if (filter.test(pod)) {
                    result.add(pod);
                }
            }
            return result;
        }

        private boolean isIndexFailed(Pod pod) {
            if (!isPodFailed(pod)) {
                return false;
            }
            PodFailurePolicies.Match match = PodFailurePolicies.match(spec.getPodFailurePolicy(), pod);
            if (PodFailurePolicies.FAIL_INDEX.equals(match.action())) {
                return true;
            }
            return match.countFailed()
                    && JobPods.intAnnotation(pod, INDEX_FAILURE_COUNT)
                            >= Objects.requireNonNull(spec.getBackoffLimitPerIndex());
        }

        private @Nullable String failJobMessage() {
            if (spec.getPodFailurePolicy() == null) {
                return null;
            }
            for (Pod pod : pods) {
                if (isPodFailed(pod)) {
                    String message = PodFailurePolicies.match(spec.getPodFailurePolicy(), pod)
                            .failJobMessage();
                    if (message != null) {
                        return message;
                    }
                }
            }
            return null;
        }

        /** With {@code restartPolicy: OnFailure}, container restarts of running pods count. */
        private boolean pastBackoffLimitOnFailure() {
            PodTemplateSpec template = spec.getTemplate();
            if (template == null
                    || template.getSpec() == null
                    || !"OnFailure".equals(template.getSpec().getRestartPolicy())) {
                return false;
            }
            int restarts = 0;
            for (Pod pod : pods) {
                String phase = JobPods.phase(pod);
                if ("Running".equals(phase) || "Pending".equals(phase)) {
                    restarts += JobPods.restarts(pod);
                }
            }
            return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
        }

        private boolean pastActiveDeadline() {
            Instant start = parseTime(status.getStartTime());
            if (spec.getActiveDeadlineSeconds() == null || start == null || suspended) {
                return false;
            }
            return !now.isBefore(start.plusSeconds(spec.getActiveDeadlineSeconds()));
        }

        private @Nullable String matchSuccessPolicy() {
            SuccessPolicy policy = spec.getSuccessPolicy();
            if (policy == null || policy.getRules() == null || succeededIndexes.isEmpty()) {
                return null;
            }
            int n = Objects.requireNonNull(completions);
            List<SuccessPolicyRule> rules = policy.getRules();
            for (int index = 0; index < rules.size(); index++) {
                SuccessPolicyRule rule = rules.get(index);
                if (rule.getSucceededIndexes() != null) {
                    IndexSet required = IndexSet.parse(rule.getSucceededIndexes(), n);
                    if (required.isEmpty()) {
                        continue;
                    }
                    int contains = required.countIn(succeededIndexes);
                    if (contains == required.size()
                            || (rule.getSucceededCount() != null && contains >= rule.getSucceededCount())) {
                        return "Matched rules at index " + index;
                    }
                } else if (rule.getSucceededCount() != null && succeededIndexes.size() >= rule.getSucceededCount()) {
                    return "Matched rules at index " + index;
                }
            }
            return null;
        }

        /** Lowest indexes not succeeded, failed, active (or terminating, when only failed pods are replaced). */
        private List<Integer> firstPendingIndexes(int count) {
            List<Integer> busy = new ArrayList<>();
            for (Pod pod : activePods) {
                busy.add(completionIndex(pod));
            }
            if (onlyReplaceFailed) {
                for (Pod pod : pods) {
                    if (JobPods.isTerminating(pod)) {
                        busy.add(completionIndex(pod));
                    }
                }
            }
            busy.removeIf(ix -> ix == UNKNOWN_INDEX);
            IndexSet nonPending = succeededIndexes.with(busy);
            IndexSet failedSet = failedIndexes;
            if (failedSet != null) {
                nonPending = nonPending.union(failedSet);
            }
            return nonPending.firstMissing(count, Objects.requireNonNull(completions));
        }

        /**
         * For each index that is not succeeded, failed or active, the failed pod kept (finalizer on)
         * until its replacement exists, so the replacement can carry the failure count.
         */
        private Map<Integer, Pod> podsWithDelayedDeletionPerIndex() {
            Set<Integer> activeIndexes = new HashSet<>();
            for (Pod pod : activePods) {
                activeIndexes.add(completionIndex(pod));
            }
            IndexSet failedSet = Objects.requireNonNull(failedIndexes);
            Map<Integer, Pod> result = new TreeMap<>();
            for (Pod pod : uncountedPods(this::isPodFailed)) {
                int ix = completionIndex(pod);
                if (succeededIndexes.contains(ix) || failedSet.contains(ix) || activeIndexes.contains(ix)) {
                    continue;
                }
                Pod last = result.get(ix);
                if (last == null
                        || (absoluteFailureCount(last) <= absoluteFailureCount(pod)
                                && !JobPods.finishedTime(pod, now).isBefore(JobPods.finishedTime(last, now)))) {
                    result.put(ix, pod);
                }
            }
            return result;
        }

        private static int absoluteFailureCount(Pod pod) {
            return JobPods.intAnnotation(pod, INDEX_FAILURE_COUNT)
                    + JobPods.intAnnotation(pod, INDEX_IGNORED_FAILURE_COUNT);
        }

        /**
         * Active pods to delete: for an indexed Job every pod without a valid index and all but one
         * pod per index, then at least {@code rmAtLeast} pods in deletion order.
         */
        private List<Pod> activePodsForRemoval(int rmAtLeast) {
            List<Pod> remove = new ArrayList<>();
            List<Pod> left = new ArrayList<>();
            if (indexed) {
                int n = Objects.requireNonNull(completions);
                Map<Integer, List<Pod>> byIndex = new TreeMap<>();
                for (Pod pod : activePods) {
                    int ix = completionIndex(pod);
                    if (ix == UNKNOWN_INDEX || ix >= n) {
                        remove.add(pod);
                    } else {
                        byIndex.computeIfAbsent(ix, k -> new ArrayList<>()).add(pod);
                    }
                }
                for (List<Pod> same : byIndex.values()) {
                    same.sort(JobPods.DELETION_ORDER);
                    remove.addAll(same.subList(0, same.size() - 1));
                    left.add(same.get(same.size() - 1));
                }
                remove.sort(Comparator.comparing(JobPods::name));
            } else {
                left.addAll(activePods);
            }
            if (remove.size() < rmAtLeast) {
                left.sort(JobPods.DELETION_ORDER);
                remove.addAll(left.subList(0, Math.min(left.size(), rmAtLeast - remove.size())));
            }
            return remove;
        }

        private PodDeletion.Reason removalReason(Pod pod) {
            if (!indexed) {
                return PodDeletion.Reason.EXCESS;
            }
            int ix = completionIndex(pod);
            if (ix == UNKNOWN_INDEX || ix >= Objects.requireNonNull(completions)) {
                return PodDeletion.Reason.DUPLICATE_INDEX;
            }
            long sameIndex =
                    activePods.stream().filter(p -> completionIndex(p) == ix).count();
            return sameIndex > 1 ? PodDeletion.Reason.DUPLICATE_INDEX : PodDeletion.Reason.EXCESS;
        }

        /**
         * Deletes an active pod. Pods the Job no longer wants (suspend, scale-down) lose the
         * finalizer first and are never counted; pods of a finishing Job keep it until counted.
         */
        private void delete(Pod pod, PodDeletion.Reason reason, boolean removeFinalizer) {
            if (removeFinalizer && hasTrackingFinalizer(pod)) {
                finalizerRemovals.add(name(pod));
            }
            deletions.add(new PodDeletion(name(pod), reason));
            events.add(JobEvent.normal("SuccessfulDelete", "Deleted pod: " + name(pod)));
            terminating++;
            if (isReady(pod)) {
                ready--;
            }
        }

        // ---- backoff ----

        private Duration perIndexBackoffRemaining(@Nullable Pod lastFailed) {
            if (lastFailed == null) {
                return Duration.ZERO;
            }
            return PodBackoff.remaining(
                    absoluteFailureCount(lastFailed) + 1, JobPods.finishedTime(lastFailed, now), now);
        }

        private void requeue(Instant at) {
            Instant current = requeueAt;
            if (current == null || at.isBefore(current)) {
                requeueAt = at;
            }
        }

        // ---- pod creation ----

        private void createPod(int index) {
            PodTemplateSpec template = Objects.requireNonNull(spec.getTemplate(), "job.spec.template");
            String jobName = job.getMetadata().getName();
            String jobUid = job.getMetadata().getUid();

            Map<String, String> labels = new LinkedHashMap<>();
            Map<String, String> annotations = new LinkedHashMap<>();
            List<String> finalizers = new ArrayList<>();
            if (template.getMetadata() != null) {
                if (template.getMetadata().getLabels() != null) {
                    labels.putAll(template.getMetadata().getLabels());
                }
                if (template.getMetadata().getAnnotations() != null) {
                    annotations.putAll(template.getMetadata().getAnnotations());
                }
                if (template.getMetadata().getFinalizers() != null) {
                    finalizers.addAll(template.getMetadata().getFinalizers());
                }
            }
            if (!Boolean.TRUE.equals(spec.getManualSelector())) {
                // The API server puts these on the template; repeated here so a Job that skipped
                // defaulting still yields pods its selector matches.
                labels.put(CONTROLLER_UID_LABEL, jobUid);
                labels.put(JOB_NAME_LABEL, jobName);
                labels.put(LEGACY_CONTROLLER_UID_LABEL, jobUid);
                labels.put(LEGACY_JOB_NAME_LABEL, jobName);
            }
            if (!finalizers.contains(TRACKING_FINALIZER)) {
                finalizers.add(TRACKING_FINALIZER);
            }
            PodSpec podSpec =
                    template.getSpec() == null ? new PodSpec() : new PodSpecBuilder(template.getSpec()).build();

            String prefix;
            if (index == UNKNOWN_INDEX) {
                prefix = jobName + "-";
            } else {
                annotations.put(COMPLETION_INDEX, Integer.toString(index));
                labels.put(COMPLETION_INDEX, Integer.toString(index));
                podSpec.setHostname(jobName + "-" + index);
                addCompletionIndexEnv(podSpec.getInitContainers());
                addCompletionIndexEnv(podSpec.getContainers());
                if (perIndex) {
                    addIndexFailureCounts(annotations, delayedDeletionPerIndex.get(index));
                }
                prefix = indexedPrefix(jobName, index);
            }
            String name = uniqueName(prefix);

            OwnerReference owner = new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(jobName)
                    .withUid(jobUid)
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build();
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withGenerateName(prefix)
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .withFinalizers(finalizers)
                    .withOwnerReferences(owner)
                    .endMetadata()
                    .withSpec(podSpec)
                    .build();
            creates.add(pod);
            events.add(JobEvent.normal("SuccessfulCreate", "Created pod: " + name));
        }

        private void addIndexFailureCounts(Map<String, String> annotations, @Nullable Pod replaced) {
            int failures = 0;
            int ignored = 0;
            if (replaced != null) {
                failures = JobPods.intAnnotation(replaced, INDEX_FAILURE_COUNT);
                ignored = JobPods.intAnnotation(replaced, INDEX_IGNORED_FAILURE_COUNT);
                if (PodFailurePolicies.match(spec.getPodFailurePolicy(), replaced)
                        .countFailed()) {
                    failures++;
                } else {
                    ignored++;
                }
            }
            annotations.put(INDEX_FAILURE_COUNT, Integer.toString(failures));
            if (ignored > 0) {
                annotations.put(INDEX_IGNORED_FAILURE_COUNT, Integer.toString(ignored));
            } else {
                annotations.remove(INDEX_IGNORED_FAILURE_COUNT);
            }
        }

        private String uniqueName(String prefix) {
            String base = prefix.length() > MAX_GENERATED_NAME_PREFIX
                    ? prefix.substring(0, MAX_GENERATED_NAME_PREFIX)
                    : prefix;
            while (true) {
                StringBuilder name = new StringBuilder(base);
                for (int i = 0; i < NAME_SUFFIX_LENGTH; i++) {
                    name.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
                }
                if (usedNames.add(name.toString())) {
                    return name.toString();
                }
            }
        }

        // ---- conditions ----

        private JobCondition condition(String type, @Nullable String reason, @Nullable String message) {
            String time = formatTime(now);
            return new JobConditionBuilder()
                    .withType(type)
                    .withStatus("True")
                    .withReason(reason)
                    .withMessage(message)
                    .withLastProbeTime(time)
                    .withLastTransitionTime(time)
                    .build();
        }

        private void addCondition(JobCondition condition) {
            List<JobCondition> conditions =
                    new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
            conditions.add(condition);
            status.setConditions(conditions);
        }

        /**
         * {@code ensureJobConditionStatus}: updates the condition of that type if anything differs,
         * or appends it unless it would be appended as {@code False}; returns whether it changed.
         */
        private boolean ensureCondition(
                String type, String conditionStatus, @Nullable String reason, @Nullable String message) {
            List<JobCondition> conditions =
                    new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
            JobCondition fresh = condition(type, reason, message);
            fresh.setStatus(conditionStatus);
            for (int i = 0; i < conditions.size(); i++) {
                JobCondition existing = conditions.get(i);
                if (type.equals(existing.getType())) {
                    if (Objects.equals(existing.getStatus(), conditionStatus)
                            && Objects.equals(existing.getReason(), reason)
                            && Objects.equals(existing.getMessage(), message)) {
                        return false;
                    }
                    conditions.set(i, fresh);
                    status.setConditions(conditions);
                    return true;
                }
            }
            if ("False".equals(conditionStatus)) {
                return false;
            }
            conditions.add(fresh);
            status.setConditions(conditions);
            return true;
        }
    }

    /** The {@code generateName} prefix of an indexed pod: the Job name is cut, the index kept. */
    static String indexedPrefix(String jobName, int index) {
        String appendIndex = "-" + index + "-";
        String prefix = jobName + appendIndex;
        if (prefix.length() > MAX_GENERATED_NAME_PREFIX) {
            prefix = prefix.substring(0, MAX_GENERATED_NAME_PREFIX - appendIndex.length()) + appendIndex;
        }
        return prefix;
    }

    private static void addCompletionIndexEnv(@Nullable List<Container> containers) {
        if (containers == null) {
            return;
        }
        for (Container container : containers) {
            List<EnvVar> env = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
            if (env.stream().anyMatch(e -> COMPLETION_INDEX_ENV.equals(e.getName()))) {
                continue;
            }
            env.add(new EnvVarBuilder()
                    .withName(COMPLETION_INDEX_ENV)
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.labels['" + COMPLETION_INDEX + "']")
                    .endFieldRef()
                    .endValueFrom()
                    .build());
            container.setEnv(env);
        }
    }
}
