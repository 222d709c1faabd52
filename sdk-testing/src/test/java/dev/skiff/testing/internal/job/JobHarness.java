package dev.skiff.testing.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Drives {@link JobReconciler} the way the engine does: applies each {@link JobSync} to an
 * in-memory list of pods, reconciles again until nothing changes, and moves a fake clock to the
 * requested requeue time. Tests play the kubelet: they run, finish, fail and delete pods.
 */
final class JobHarness {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Job job;
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Random random;
    private Instant now = T0;
    private int uids;
    private Optional<Instant> requeueAt = Optional.empty();
    private PodBackoff backoff = PodBackoff.NONE;
    final List<JobEvent> events = new ArrayList<>();
    final List<PodDeletion> deletions = new ArrayList<>();
    final List<Pod> created = new ArrayList<>();

    JobHarness(Job job, long seed) {
        this.job = job;
        this.random = new Random(seed);
    }

    JobHarness(Job job) {
        this(job, 42);
    }

    // ---- engine ----

    JobSync syncOnce() {
        JobSync sync = JobReconciler.reconcile(job, List.copyOf(pods.values()), backoff, now, random);
        apply(sync);
        return sync;
    }

    /** Reconciles until a sync changes nothing; returns the syncs that ran. */
    List<JobSync> settle() {
        List<JobSync> syncs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            JobSync sync = syncOnce();
            syncs.add(sync);
            if (sync.changesNothing()) {
                return syncs;
            }
        }
        throw new AssertionError("the Job controller did not settle: " + syncs);
    }

    private void apply(JobSync sync) {
        for (String name : sync.finalizerRemovals()) {
            Pod pod = pods.get(name);
            if (pod != null) {
                List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers());
                finalizers.remove(JobReconciler.TRACKING_FINALIZER);
                pod.getMetadata().setFinalizers(finalizers);
            }
        }
        for (PodDeletion deletion : sync.podsToDelete()) {
            Pod pod = pods.get(deletion.name());
            assertThat(pod).as("deleted pod %s", deletion.name()).isNotNull();
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                pod.getMetadata().setDeletionTimestamp(JobPods.formatTime(now));
                pod.getMetadata().setDeletionGracePeriodSeconds(30L);
            }
            deletions.add(deletion);
        }
        for (Pod pod : sync.podsToCreate()) {
            assertThat(pods)
                    .as("pod names are unique")
                    .doesNotContainKey(pod.getMetadata().getName());
            Pod stored = new PodBuilder(pod)
                    .editMetadata()
                    .withUid("pod-uid-" + ++uids)
                    .withCreationTimestamp(JobPods.formatTime(now))
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Pending")
                    .endStatus()
                    .build();
            pods.put(pod.getMetadata().getName(), stored);
            created.add(pod);
        }
        if (sync.status() != null) {
            job.setStatus(sync.status());
        }
        events.addAll(sync.events());
        requeueAt = sync.requeueAt();
        backoff = sync.backoff();
        collectGarbage();
    }

    /** Deleted pods leave the store once terminal and without finalizers. */
    private void collectGarbage() {
        pods.values()
                .removeIf(p -> p.getMetadata().getDeletionTimestamp() != null
                        && JobPods.isTerminal(p)
                        && p.getMetadata().getFinalizers().isEmpty());
    }

    Optional<Instant> requeueAt() {
        return requeueAt;
    }

    /** Moves the clock to the requested requeue time and reconciles. */
    Instant advanceToRequeue() {
        Instant at = requeueAt.orElseThrow(() -> new AssertionError("no requeue requested"));
        assertThat(at).isAfterOrEqualTo(now);
        now = at;
        settle();
        return at;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    Instant now() {
        return now;
    }

    // ---- the Job ----

    Job job() {
        return job;
    }

    JobStatus status() {
        return job.getStatus();
    }

    int active() {
        return count(job.getStatus().getActive());
    }

    int succeeded() {
        return count(job.getStatus().getSucceeded());
    }

    int failed() {
        return count(job.getStatus().getFailed());
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

    List<String> conditionTypes() {
        return conditions().stream().map(JobCondition::getType).collect(Collectors.toList());
    }

    List<JobCondition> conditions() {
        return job.getStatus() == null || job.getStatus().getConditions() == null
                ? List.of()
                : job.getStatus().getConditions();
    }

    JobCondition condition(String type) {
        return conditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + conditions()));
    }

    void suspend(boolean suspend) {
        job.getSpec().setSuspend(suspend);
    }

    List<String> eventReasons() {
        return events.stream().map(JobEvent::reason).collect(Collectors.toList());
    }

    // ---- pods ----

    List<Pod> pods() {
        return List.copyOf(pods.values());
    }

    List<Pod> pods(Predicate<Pod> filter) {
        return pods.values().stream().filter(filter).collect(Collectors.toList());
    }

    List<Pod> activePods() {
        return pods(JobPods::isActive);
    }

    Pod pod(String name) {
        Pod pod = pods.get(name);
        assertThat(pod).as("pod %s", name).isNotNull();
        return pod;
    }

    /** The one active pod with this completion index. */
    Pod activePodWithIndex(int index) {
        List<Pod> matching = pods(p -> JobPods.isActive(p) && JobPods.completionIndex(p) == index);
        assertThat(matching).as("active pods with index %d", index).hasSize(1);
        return matching.get(0);
    }

    String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    void runAll() {
        for (Pod pod : activePods()) {
            run(name(pod));
        }
    }

    void run(String name) {
        Pod pod = pod(name);
        pod.getStatus().setPhase("Running");
        pod.getStatus().setConditions(List.of(readyCondition("True")));
        pod.getStatus()
                .setContainerStatuses(List.of(new ContainerStatusBuilder()
                        .withName("main")
                        .withRestartCount(0)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt(JobPods.formatTime(now))
                        .endRunning()
                        .endState()
                        .build()));
    }

    void succeed(String name) {
        terminate(name, "Succeeded", 0);
    }

    void fail(String name, int exitCode) {
        terminate(name, "Failed", exitCode);
    }

    /** The pod is evicted or preempted: {@code DisruptionTarget}, then Failed. */
    void disrupt(String name) {
        terminate(name, "Failed", 137);
        List<PodCondition> conditions = new ArrayList<>(pod(name).getStatus().getConditions());
        conditions.add(new PodConditionBuilder()
                .withType("DisruptionTarget")
                .withStatus("True")
                .withReason("PreemptionByScheduler")
                .withLastTransitionTime(JobPods.formatTime(now))
                .build());
        pod(name).getStatus().setConditions(conditions);
    }

    /** With {@code restartPolicy: OnFailure} the kubelet restarts the container in place. */
    void restartContainer(String name) {
        ContainerStatus container = pod(name).getStatus().getContainerStatuses().get(0);
        container.setRestartCount(container.getRestartCount() + 1);
    }

    /** Someone else (a user, the eviction API) deletes the pod gracefully. */
    void deleteByUser(String name) {
        pod(name).getMetadata().setDeletionTimestamp(JobPods.formatTime(now));
        pod(name).getMetadata().setDeletionGracePeriodSeconds(30L);
    }

    /** The kubelet finishes killing every terminating pod: it ends Failed, then leaves if it can. */
    void finishTerminations() {
        for (Pod pod : pods(JobPods::isTerminating)) {
            terminate(name(pod), "Failed", 137);
        }
        collectGarbage();
    }

    private void terminate(String name, String phase, int exitCode) {
        Pod pod = pod(name);
        pod.getStatus().setPhase(phase);
        pod.getStatus().setConditions(List.of(readyCondition("False")));
        pod.getStatus()
                .setContainerStatuses(List.of(new ContainerStatusBuilder()
                        .withName("main")
                        .withRestartCount(0)
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason(exitCode == 0 ? "Completed" : "Error")
                        .withFinishedAt(JobPods.formatTime(now))
                        .endTerminated()
                        .endState()
                        .build()));
    }

    private PodCondition readyCondition(String status) {
        return new PodConditionBuilder()
                .withType("Ready")
                .withStatus(status)
                .withLastTransitionTime(JobPods.formatTime(now))
                .build();
    }
}
