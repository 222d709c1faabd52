package dev.skiff.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why a job is where it is, in types and in words: what {@link JobHandle#diagnose()} reports
 * while a job waits, or what made it stop.
 *
 * <pre>{@code
 * Diagnosis d = handle.diagnose();
 * if (d.has(Diagnosis.Kind.UNSCHEDULABLE)) {
 *     System.err.println(d.explanation());   // "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
 * }
 * }</pre>
 *
 * @param job the job's namespace and name, as {@code namespace/name}
 * @param phase the job's phase when diagnosed
 * @param findings what was found, most blocking first; never empty
 */
public record Diagnosis(String job, JobStatus.Phase phase, List<Finding> findings) {

    /** What holds a job back, or what it is doing. */
    public enum Kind {
        /** No node can take a pod (resources, selector, affinity, taints), per {@code FailedScheduling}. */
        UNSCHEDULABLE(true),
        /** A container's image cannot be pulled ({@code ErrImagePull}, {@code ImagePullBackOff}, {@code InvalidImageName}). */
        IMAGE_PULL_FAILED(true),
        /** A Secret the pod needs does not exist. */
        MISSING_SECRET(true),
        /** A ConfigMap the pod needs does not exist. */
        MISSING_CONFIG_MAP(true),
        /** A container cannot be configured for another reason ({@code CreateContainerConfigError}). */
        CONTAINER_CONFIG_ERROR(true),
        /** The Job controller cannot create pods, for example over a ResourceQuota ({@code FailedCreate}). */
        POD_CREATION_FAILED(true),
        /** A container keeps crashing and is restarted with backoff ({@code CrashLoopBackOff}). */
        CRASH_LOOP(false),
        /** The job is suspended and nothing will resume it by itself. */
        SUSPENDED(false),
        /** The job is suspended until a queue (Kueue) admits it. */
        WAITING_FOR_QUEUE(false),
        /** Pods are being created, scheduled or started; nothing is wrong yet. */
        STARTING(false),
        /** Pods are running. */
        RUNNING(false),
        /** The job has finished. */
        FINISHED(false);

        private final boolean stuck;

        Kind(boolean stuck) {
            this.stuck = stuck;
        }

        /** Returns whether a job held back for this reason does not get better by waiting. */
        public boolean isStuck() {
            return stuck;
        }
    }

    /**
     * One thing found.
     *
     * @param kind what kind of thing
     * @param subject what it is about: a pod ({@code pod train-0-abcde}), container, or the job
     * @param message what the cluster said, such as {@code 0/3 nodes are available: 3 Insufficient
     *     nvidia.com/gpu.} or {@code secret "hf-token" not found}
     * @param nodeReasons for {@link Kind#UNSCHEDULABLE}: each reason with how many nodes gave it,
     *     such as {@code Insufficient nvidia.com/gpu -> 3}; empty otherwise
     * @param missingObject for {@link Kind#MISSING_SECRET} and {@link Kind#MISSING_CONFIG_MAP}:
     *     the name of the missing object
     */
    public record Finding(
            Kind kind,
            String subject,
            String message,
            Map<String, Integer> nodeReasons,
            Optional<String> missingObject) {
        /** Checks and copies the arguments. */
        public Finding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(message, "message");
            nodeReasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeReasons));
            Objects.requireNonNull(missingObject, "missingObject");
        }

        /** Returns the finding as one sentence. */
        public String explanation() {
            return subject.isEmpty() ? message : subject + ": " + message;
        }
    }

    /** Checks and copies the arguments. */
    public Diagnosis {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(phase, "phase");
        findings = List.copyOf(findings);
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("findings: must not be empty");
        }
    }

    /** Returns whether any finding is one that waiting will not cure. */
    public boolean isStuck() {
        return findings.stream().anyMatch(f -> f.kind().isStuck());
    }

    /** Returns whether a finding of {@code kind} was made. */
    public boolean has(Kind kind) {
        return findings.stream().anyMatch(f -> f.kind() == kind);
    }

    /** Returns the first finding of {@code kind}, if any. */
    public Optional<Finding> first(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).findFirst();
    }

    /** Returns the most blocking finding. */
    public Finding primary() {
        return findings.get(0);
    }

    /** Returns every finding as a sentence, one per line, after a line naming the job and its phase. */
    public String explanation() {
        return "Job " + job + " is " + phase.name().toLowerCase(java.util.Locale.ROOT) + ":\n"
                + findings.stream().map(f -> "  " + f.explanation()).collect(Collectors.joining("\n"));
    }
}
