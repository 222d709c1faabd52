package dev.skiff.gpu;

import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.RenderContext;
import dev.skiff.core.Trait;
import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Submission through a <a href="https://kueue.sigs.k8s.io">Kueue</a> queue: a {@link Trait}.
 *
 * <p>The Job gets the {@code kueue.x-k8s.io/queue-name} label naming a LocalQueue of its namespace
 * and, with {@link #priorityClass(String)}, the {@code kueue.x-k8s.io/priority-class} label naming
 * a WorkloadPriorityClass. It is created suspended ({@code spec.suspend: true}): Kueue resumes it
 * when the queue's ClusterQueue has quota for all of its pods at once, so a distributed job is
 * admitted whole or not at all. Until then Skiff reports the job as {@code QUEUED}, and {@code
 * diagnose()} says it is waiting for queue admission.
 *
 * <p>A {@link dev.skiff.core.ScheduledJob} gets the label and suspension on its job template, so
 * every run is queued; an {@link dev.skiff.core.InteractiveSession} gets the label on its
 * StatefulSet or Deployment and on their pod template (Kueue's StatefulSet and Deployment
 * integrations read the former, its plain-pod integration the latter); it is not suspended, Kueue
 * gates its pods instead.
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("finetune")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4"))
 *     .addTraits(Queue.kueue("team-a").priorityClass("high"))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Queue implements Trait {
    /** The label naming the LocalQueue. */
    public static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

    /** The label naming the WorkloadPriorityClass. */
    public static final String PRIORITY_CLASS_LABEL = "kueue.x-k8s.io/priority-class";

    Queue() {}

    /** Returns the name of the LocalQueue, in the workload's namespace. */
    public abstract String name();

    /** Returns the name of the Kueue WorkloadPriorityClass, if one is set. */
    public abstract Optional<String> priorityClass();

    @Value.Check
    void check() {
        if (name().isBlank()) {
            throw new IllegalArgumentException("queue name must not be blank");
        }
    }

    /**
     * Submission through the Kueue LocalQueue {@code localQueue}.
     *
     * @param localQueue the LocalQueue's name, in the workload's namespace
     * @return the trait
     */
    public static Queue kueue(String localQueue) {
        return ImmutableQueue.builder()
                .name(Objects.requireNonNull(localQueue, "localQueue"))
                .build();
    }

    /**
     * Returns a copy with Kueue's priority taken from the WorkloadPriorityClass {@code name}.
     *
     * @param name the WorkloadPriorityClass
     * @return the copy
     */
    public Queue priorityClass(String name) {
        return ImmutableQueue.builder()
                .from(this)
                .priorityClass(Objects.requireNonNull(name, "name"))
                .build();
    }

    /** Labels the workload (or the CronJob's job template) and suspends the Job. */
    @Override
    public void apply(RenderContext context) {
        switch (context.kind()) {
            case BATCH_JOB -> {
                label(context, context.workloadLabels());
                context.jobSpec().orElseThrow().setSuspend(true);
            }
            case SCHEDULED_JOB -> {
                JobTemplateSpec template =
                        ((CronJob) context.workload()).getSpec().getJobTemplate();
                if (template.getMetadata() == null) {
                    template.setMetadata(new ObjectMeta());
                }
                if (template.getMetadata().getLabels() == null) {
                    template.getMetadata().setLabels(new LinkedHashMap<>());
                }
                label(context, template.getMetadata().getLabels());
                context.jobSpec().orElseThrow().setSuspend(true);
            }
            case INTERACTIVE_SESSION -> {
                label(context, context.workloadLabels());
                label(context, context.podLabels());
            }
        }
    }

    private void label(RenderContext context, Map<String, String> labels) {
        String existing = labels.get(QUEUE_LABEL);
        if (existing != null && !existing.equals(name())) {
            throw new InvalidWorkloadException(
                    context.workload().getKind(),
                    context.workloadName(),
                    List.of(Violation.invalid(
                            "metadata.labels[" + QUEUE_LABEL + "]",
                            existing,
                            "the Queue trait sets it to \"" + name() + "\"; a workload has one queue")));
        }
        labels.put(QUEUE_LABEL, name());
        priorityClass().ifPresent(p -> labels.put(PRIORITY_CLASS_LABEL, p));
    }
}
