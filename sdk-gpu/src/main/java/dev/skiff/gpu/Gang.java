package dev.skiff.gpu;

import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.RenderContext;
import dev.skiff.core.Trait;
import dev.skiff.core.WorkloadKind;
import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * Scheduling by a batch scheduler that places a Job's pods together: a {@link Trait}.
 *
 * <p>The default scheduler places pods one at a time, so a distributed job on a busy cluster can
 * hold half its GPUs while waiting for the rest. Gang scheduling places all of a pod group's
 * members or none. Each factory renders what its scheduler reads:
 *
 * <dl>
 *   <dt>{@link #volcano()}</dt>
 *   <dd>{@code schedulerName: volcano}; a {@code scheduling.volcano.sh/v1beta1} PodGroup named
 *       after the Job, owned by it, with {@code minMember} and, with {@link #queue(String)}, the
 *       Volcano queue (and the pods' priority class, if they have one); the pods carry the {@code
 *       scheduling.k8s.io/group-name} annotation naming the group, so Volcano's controller does not
 *       make a group per pod, and the {@code scheduling.volcano.sh/queue-name} annotation.</dd>
 *   <dt>{@link #coscheduling()}</dt>
 *   <dd>the scheduler-plugins Coscheduling plugin: a {@code scheduling.x-k8s.io/v1alpha1} PodGroup
 *       with {@code minMember} (and {@code scheduleTimeoutSeconds} with {@link
 *       #scheduleTimeout(Duration)}), the pods labelled {@code scheduling.x-k8s.io/pod-group}, and
 *       {@code schedulerName: scheduler-plugins-scheduler}, the name of the plugins' scheduler when
 *       it runs beside the default one (change it with {@link #schedulerName(String)}).</dd>
 *   <dt>{@link #kai()}</dt>
 *   <dd>NVIDIA KAI Scheduler: {@code schedulerName: kai-scheduler} and, with {@link #queue(String)},
 *       the {@code kai.scheduler/queue} label on the Job and its pods. KAI's pod grouper makes the
 *       pod groups itself and overwrites any a pod names; for a {@code batch/v1} Job it gives each
 *       pod a group of its own ({@code minMember: 1}), so on KAI a plain Job gets KAI's queues,
 *       quotas and fair sharing but not all-or-nothing placement. Put the Job behind a {@link
 *       Queue} (Kueue admits all of its pods at once) when it must start whole.</dd>
 * </dl>
 *
 * <p>{@code minMember} is the Job's {@code parallelism} when the trait is applied, unless set with
 * {@link #minMember(int)}; add the trait after {@link DistributedTraining}, which sets the
 * parallelism to the number of nodes. The PodGroup objects need the scheduler's custom resource
 * definitions in the cluster.
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("llama-pretrain")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4").withCommand("torchrun", "train.py"))
 *     .addTraits(
 *         DistributedTraining.nodes(4).gpusPerNode(Gpu.nvidia(8).model("H100")),
 *         Gang.volcano().queue("research"))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Gang implements Trait {
    /** The pod annotation naming a pod's Volcano PodGroup. */
    public static final String VOLCANO_GROUP_ANNOTATION = "scheduling.k8s.io/group-name";

    /** The pod annotation naming a pod's Volcano queue. */
    public static final String VOLCANO_QUEUE_ANNOTATION = "scheduling.volcano.sh/queue-name";

    /** The pod label naming a pod's scheduler-plugins PodGroup. */
    public static final String COSCHEDULING_LABEL = "scheduling.x-k8s.io/pod-group";

    /** The label naming a workload's KAI queue. */
    public static final String KAI_QUEUE_LABEL = "kai.scheduler/queue";

    /** The batch schedulers a gang can be rendered for. */
    public enum Scheduler {
        /** Volcano ({@code volcano.sh}). */
        VOLCANO("volcano"),
        /** NVIDIA KAI Scheduler. */
        KAI("kai-scheduler"),
        /** The Coscheduling plugin of kubernetes-sigs/scheduler-plugins. */
        COSCHEDULING("scheduler-plugins-scheduler");

        private final String defaultName;

        Scheduler(String defaultName) {
            this.defaultName = defaultName;
        }

        /** Returns the {@code schedulerName} the scheduler is installed under by default. */
        public String defaultSchedulerName() {
            return defaultName;
        }
    }

    Gang() {}

    /** Returns the scheduler the gang is rendered for. */
    public abstract Scheduler scheduler();

    /** Returns the scheduler's queue, if one is named. */
    public abstract Optional<String> queue();

    /** Returns the minimum number of pods to place together, if set; else the Job's parallelism. */
    public abstract OptionalInt minMember();

    /** Returns the {@code schedulerName} set explicitly, if any. */
    abstract Optional<String> explicitSchedulerName();

    /** Returns how long a coscheduled group may wait for its members, if set. */
    public abstract Optional<Duration> scheduleTimeout();

    /** Returns the pods' {@code schedulerName}: as set, else the scheduler's default. */
    public String schedulerName() {
        return explicitSchedulerName().orElse(scheduler().defaultSchedulerName());
    }

    @Value.Check
    void check() {
        if (minMember().isPresent() && minMember().getAsInt() < 1) {
            throw new IllegalArgumentException(
                    "minMember must be >= 1, but was " + minMember().getAsInt());
        }
        if (scheduler() == Scheduler.COSCHEDULING && queue().isPresent()) {
            throw new IllegalArgumentException(
                    "the Coscheduling plugin has no queues, but queue \"" + queue().get() + "\" was given");
        }
        if (scheduler() == Scheduler.KAI && minMember().isPresent()) {
            throw new IllegalArgumentException("KAI's pod grouper sets a plain Job's minMember itself (1 per pod),"
                    + " but minMember " + minMember().getAsInt() + " was given");
        }
        if (scheduleTimeout().isPresent()) {
            Duration t = scheduleTimeout().get();
            if (scheduler() != Scheduler.COSCHEDULING) {
                throw new IllegalArgumentException(
                        "scheduleTimeout is a Coscheduling setting, but the scheduler is " + scheduler());
            }
            if (t.isNegative() || t.isZero() || t.getNano() != 0) {
                throw new IllegalArgumentException(
                        "scheduleTimeout must be a positive whole number of seconds, but was " + t);
            }
        }
    }

    /**
     * Gang scheduling by Volcano.
     *
     * @return the trait
     */
    public static Gang volcano() {
        return ImmutableGang.builder().scheduler(Scheduler.VOLCANO).build();
    }

    /**
     * Scheduling by NVIDIA KAI Scheduler; see the class description for what KAI does with a
     * plain Job.
     *
     * @return the trait
     */
    public static Gang kai() {
        return ImmutableGang.builder().scheduler(Scheduler.KAI).build();
    }

    /**
     * Gang scheduling by the scheduler-plugins Coscheduling plugin.
     *
     * @return the trait
     */
    public static Gang coscheduling() {
        return ImmutableGang.builder().scheduler(Scheduler.COSCHEDULING).build();
    }

    /**
     * Returns a copy that submits to the scheduler's queue {@code name} (Volcano and KAI).
     *
     * @param name the queue
     * @return the copy
     * @throws IllegalArgumentException for Coscheduling, which has no queues
     */
    public Gang queue(String name) {
        return ImmutableGang.builder()
                .from(this)
                .queue(Objects.requireNonNull(name, "name"))
                .build();
    }

    /**
     * Returns a copy whose pod group starts once {@code count} pods can be placed together
     * (Volcano and Coscheduling).
     *
     * @param count at least 1, at most the Job's parallelism
     * @return the copy
     * @throws IllegalArgumentException for KAI, which sets it itself
     */
    public Gang minMember(int count) {
        return ImmutableGang.builder().from(this).minMember(count).build();
    }

    /**
     * Returns a copy whose pods name the scheduler {@code name}, for a scheduler installed under
     * another name.
     *
     * @param name the {@code schedulerName}
     * @return the copy
     */
    public Gang schedulerName(String name) {
        return ImmutableGang.builder()
                .from(this)
                .explicitSchedulerName(Objects.requireNonNull(name, "name"))
                .build();
    }

    /**
     * Returns a copy whose coscheduled group gives up waiting for its members after {@code
     * timeout} and retries later.
     *
     * @param timeout a positive whole number of seconds
     * @return the copy
     * @throws IllegalArgumentException for other schedulers than Coscheduling
     */
    public Gang scheduleTimeout(Duration timeout) {
        return ImmutableGang.builder()
                .from(this)
                .scheduleTimeout(Objects.requireNonNull(timeout, "timeout"))
                .build();
    }

    /** Sets the scheduler name, the pod-group references and queue, and adds the PodGroup. */
    @Override
    public void apply(RenderContext context) {
        String job = context.workloadName();
        if (context.kind() != WorkloadKind.BATCH_JOB || context.jobSpec().isEmpty()) {
            throw new InvalidWorkloadException(
                    context.workload().getKind(),
                    job,
                    List.of(Violation.invalid(
                            "traits",
                            "Gang",
                            "gang scheduling is rendered for a BatchJob only, but the workload is a "
                                    + context.workload().getKind())));
        }
        JobSpec spec = context.jobSpec().get();
        int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
        List<Violation> violations = new ArrayList<>();
        PodSpec pod = context.podSpec();
        String name = schedulerName();
        if (pod.getSchedulerName() != null && !pod.getSchedulerName().equals(name)) {
            violations.add(Violation.invalid(
                    "spec.template.spec.schedulerName",
                    pod.getSchedulerName(),
                    "must be \"" + name + "\" for " + scheduler() + " gang scheduling"));
        }
        int min = minMember().orElse(parallelism);
        if (min > parallelism) {
            violations.add(Violation.invalid(
                    "minMember", min, "must be <= parallelism (" + parallelism + "), or the group can never start"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidWorkloadException("Job", job, violations);
        }
        pod.setSchedulerName(name);
        switch (scheduler()) {
            case VOLCANO -> {
                context.podAnnotations().put(VOLCANO_GROUP_ANNOTATION, job);
                queue().ifPresent(q -> context.podAnnotations().put(VOLCANO_QUEUE_ANNOTATION, q));
                Map<String, Object> pgSpec = new LinkedHashMap<>();
                pgSpec.put("minMember", min);
                queue().ifPresent(q -> pgSpec.put("queue", q));
                if (pod.getPriorityClassName() != null) {
                    pgSpec.put("priorityClassName", pod.getPriorityClassName());
                }
                context.addObject(podGroup("scheduling.volcano.sh/v1beta1", job, pgSpec));
            }
            case COSCHEDULING -> {
                context.podLabels().put(COSCHEDULING_LABEL, job);
                Map<String, Object> pgSpec = new LinkedHashMap<>();
                pgSpec.put("minMember", min);
                scheduleTimeout().ifPresent(t -> pgSpec.put("scheduleTimeoutSeconds", t.getSeconds()));
                context.addObject(podGroup("scheduling.x-k8s.io/v1alpha1", job, pgSpec));
            }
            case KAI ->
                queue().ifPresent(q -> {
                    context.workloadLabels().put(KAI_QUEUE_LABEL, q);
                    context.podLabels().put(KAI_QUEUE_LABEL, q);
                });
        }
    }

    private static GenericKubernetesResource podGroup(String apiVersion, String name, Map<String, Object> spec) {
        GenericKubernetesResource group = new GenericKubernetesResource();
        group.setApiVersion(apiVersion);
        group.setKind("PodGroup");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        group.setMetadata(meta);
        group.setAdditionalProperty("spec", spec);
        return group;
    }
}
