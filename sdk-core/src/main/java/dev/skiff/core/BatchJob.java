package dev.skiff.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A run-to-completion workload, rendered as a {@code batch/v1} Job: training, evaluation,
 * preprocessing, batch inference.
 *
 * <p>A batch job runs {@link #parallelism()} pods at a time until {@link #completions()} of them
 * have succeeded. In {@linkplain #indexed() indexed} mode each pod gets an index (0 to
 * completions−1, in the {@code JOB_COMPLETION_INDEX} environment variable), the usual shape of
 * data-parallel and distributed training. Retries are bounded by {@link #backoffLimit()} or, per
 * index, by {@link #backoffLimitPerIndex()}; a {@linkplain #podFailurePolicy() pod failure policy}
 * decides which failures are retried at all.
 *
 * <p>{@code build()} checks everything a Kubernetes API server would check for the rendered Job
 * and throws {@link InvalidWorkloadException} listing every violation with its field path.
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("resnet-train")
 *     .namespace("ml")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4")
 *         .withArgs("--epochs", "10")
 *         .withResources(Resources.cpu("8").memory("64Gi")))
 *     .parallelism(4)
 *     .completions(4)
 *     .indexed(true)
 *     .backoffLimitPerIndex(2)
 *     .addPodFailurePolicy(PodFailureRule.onDisruption(PodFailureRule.Action.IGNORE))
 *     .activeDeadline(Duration.ofHours(6))
 *     .ttlAfterFinished(Duration.ofDays(1))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class BatchJob implements PodWorkload {
    BatchJob() {}

    /** When the Job controller creates a replacement pod. */
    public enum PodReplacementPolicy {
        /** As soon as the old pod is terminating or failed (Kubernetes' default without a pod failure policy). */
        TERMINATING_OR_FAILED("TerminatingOrFailed"),
        /** Only once the old pod has fully terminated, so two never run at once (needed by some frameworks). */
        FAILED("Failed");

        private final String wire;

        PodReplacementPolicy(String wire) {
            this.wire = wire;
        }

        /** Returns the name Kubernetes uses. */
        public String wireName() {
            return wire;
        }
    }

    /**
     * Returns the Job's name: a DNS subdomain of at most 63 characters, since pods carry it as a
     * label. When only a {@link #namePrefix()} is given, {@code build()} picks the name once:
     * the prefix and five random characters, as {@code generateName} would, but fixed before
     * anything is sent, so a retried or repeated submission of this value never creates a second
     * Job.
     */
    @Override
    @Value.Default
    public String name() {
        return "";
    }

    /**
     * Returns the prefix of a generated name ({@code train-} gives {@code train-x7k2p}); only
     * when no {@link #name()} is given.
     *
     * <pre>{@code
     * BatchJob job = BatchJob.builder().namePrefix("sweep-").container(Container.of("trainer:1")).build();
     * job.name(); // "sweep-" and five characters, fixed from now on
     * }</pre>
     */
    public abstract Optional<String> namePrefix();

    @Override
    public abstract Optional<String> namespace();

    /** Returns {@link WorkloadKind#BATCH_JOB}. */
    @Override
    public final WorkloadKind kind() {
        return WorkloadKind.BATCH_JOB;
    }

    /** Returns labels set on the Job and on its pods. */
    @Override
    public abstract Map<String, String> labels();

    /** Returns annotations set on the Job. */
    @Override
    public abstract Map<String, String> annotations();

    /** Returns annotations set on the pods. */
    @Override
    public abstract Map<String, String> podAnnotations();

    /** Returns the main containers of each pod; at least one. */
    @Override
    public abstract List<Container> containers();

    /** Returns the init containers, run in order before the main containers. */
    @Override
    public abstract List<Container> initContainers();

    /** Returns the volumes of each pod. */
    @Override
    public abstract List<Volume> volumes();

    /** Returns how many pods run at once; 1 by default. */
    @Value.Default
    public int parallelism() {
        return 1;
    }

    /**
     * Returns how many pods must succeed. When empty, the Job is a work queue: it succeeds when
     * any pod succeeds and all have finished.
     */
    public abstract OptionalInt completions();

    /** Returns whether each pod gets a completion index ({@code completionMode: Indexed}). */
    @Value.Default
    public boolean indexed() {
        return false;
    }

    /** Returns how many pod failures the Job tolerates before failing; Kubernetes' default is 6. */
    public abstract OptionalInt backoffLimit();

    /** Returns how many failures each index tolerates (indexed jobs); other indexes keep running. */
    public abstract OptionalInt backoffLimitPerIndex();

    /** Returns how many indexes may fail before the whole Job fails (with per-index backoff). */
    public abstract OptionalInt maxFailedIndexes();

    /** Returns the pod failure policy's rules, checked in order. */
    public abstract List<PodFailureRule> podFailurePolicy();

    /** Returns the success policy's rules (indexed jobs); the Job succeeds when any rule holds. */
    public abstract List<SuccessRule> successPolicy();

    /** Returns how long the Job may run, counted from its start, before it fails with {@code DeadlineExceeded}. */
    public abstract Optional<Duration> activeDeadline();

    /** Returns how long a finished Job is kept before Kubernetes deletes it and its pods. */
    public abstract Optional<Duration> ttlAfterFinished();

    /** Returns whether the Job is created suspended: no pods run until it is resumed. */
    @Value.Default
    public boolean suspend() {
        return false;
    }

    /** Returns when replacement pods are created, if set. */
    public abstract Optional<PodReplacementPolicy> podReplacementPolicy();

    /** Returns the pods' restart policy; {@link RestartPolicy#NEVER} by default. */
    @Value.Default
    public RestartPolicy restartPolicy() {
        return RestartPolicy.NEVER;
    }

    /** Returns where the pods may run. */
    @Override
    @Value.Default
    public Placement placement() {
        return Placement.anywhere();
    }

    /** Returns the ServiceAccount the pods run as; the namespace's default if empty. */
    @Override
    public abstract Optional<String> serviceAccount();

    /** Returns the pod security defaults; {@link PodSecurity#RESTRICTED} by default. */
    @Override
    @Value.Default
    public PodSecurity podSecurity() {
        return PodSecurity.RESTRICTED;
    }

    /** Returns the traits that shape the rendered pods, in order. */
    @Override
    public abstract List<Trait> traits();

    @Value.Check
    BatchJob normalize() {
        if (name().isEmpty() && namePrefix().isPresent()) {
            return ImmutableBatchJob.builder()
                    .from(this)
                    .name(namePrefix().get() + Renderer.randomSuffix())
                    .build();
        }
        if (!name().isEmpty()
                && namePrefix().isPresent()
                && !name().startsWith(namePrefix().get())) {
            throw new InvalidWorkloadException(
                    "Job",
                    name(),
                    List.of(dev.skiff.core.validation.Violation.invalid(
                            "metadata.generateName",
                            namePrefix().get(),
                            "a name prefix may only be given without a name, or as the start of the name")));
        }
        Renderer.checkBatchJob(this);
        return this;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised from this job, to derive a variant. */
    public Builder toBuilder() {
        return builder().from(this);
    }

    /** Builds {@link BatchJob}; {@code build()} validates and throws {@link InvalidWorkloadException}. */
    public static final class Builder extends ImmutableBatchJob.Builder {
        Builder() {}

        /**
         * Adds a main container; same as {@code addContainer}.
         *
         * @param container the container
         * @return this builder
         */
        public Builder container(Container container) {
            addContainer(container);
            return this;
        }
    }
}
