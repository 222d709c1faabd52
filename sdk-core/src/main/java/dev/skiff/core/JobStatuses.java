package dev.skiff.core;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads a fabric8 Job into Skiff's {@link JobStatus} and {@link Outcome}. */
final class JobStatuses {
    /** The label Kueue reads the queue from. */
    static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

    private JobStatuses() {}

    static String ref(Job job) {
        return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    }

    static JobStatus status(Job job) {
        io.fabric8.kubernetes.api.model.batch.v1.JobStatus s = job.getStatus();
        JobSpec spec = job.getSpec();
        List<JobStatus.Condition> conditions = new ArrayList<>();
        if (s != null && s.getConditions() != null) {
            for (JobCondition c : s.getConditions()) {
                conditions.add(new JobStatus.Condition(
                        nz(c.getType()),
                        nz(c.getStatus()),
                        nz(c.getReason()),
                        nz(c.getMessage()),
                        time(c.getLastTransitionTime())));
            }
        }
        int active = s == null ? 0 : orZero(s.getActive());
        @Nullable Integer readyField = s == null ? null : s.getReady();
        int ready = readyField == null ? 0 : readyField;
        boolean suspended = spec != null && Boolean.TRUE.equals(spec.getSuspend());
        JobStatus.Phase phase;
        if (isTrue(conditions, "Complete")) {
            phase = JobStatus.Phase.SUCCEEDED;
        } else if (isTrue(conditions, "Failed")) {
            phase = JobStatus.Phase.FAILED;
        } else if (suspended) {
            phase = queue(job) != null ? JobStatus.Phase.QUEUED : JobStatus.Phase.SUSPENDED;
        } else if (ready > 0 || (readyField == null && active > 0)) {
            phase = JobStatus.Phase.RUNNING;
        } else {
            phase = JobStatus.Phase.PENDING;
        }
        int completions = spec == null || spec.getCompletions() == null ? 1 : spec.getCompletions();
        int parallelism = spec == null || spec.getParallelism() == null ? 1 : spec.getParallelism();
        return new JobStatus(
                ref(job),
                phase,
                completions,
                parallelism,
                active,
                ready,
                s == null ? 0 : orZero(s.getSucceeded()),
                s == null ? 0 : orZero(s.getFailed()),
                s == null ? 0 : orZero(s.getTerminating()),
                s == null ? "" : nz(s.getCompletedIndexes()),
                s == null ? "" : nz(s.getFailedIndexes()),
                conditions,
                s == null ? Optional.empty() : time(s.getStartTime()),
                s == null ? Optional.empty() : time(s.getCompletionTime()),
                job.getMetadata().getDeletionTimestamp() != null);
    }

    static @Nullable String queue(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        return labels == null ? null : labels.get(KUEUE_QUEUE_LABEL);
    }

    /** The outcome decided by the Job's {@code Complete} or {@code Failed} condition, if it has finished. */
    static Optional<Outcome> outcome(Job job) {
        io.fabric8.kubernetes.api.model.batch.v1.JobStatus status = job.getStatus();
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        String ref = ref(job);
        for (JobCondition c : status.getConditions()) {
            if (!"True".equals(c.getStatus())) {
                continue;
            }
            if ("Complete".equals(c.getType())) {
                return Optional.of(new Outcome.Succeeded(ref, orZero(status.getSucceeded())));
            }
            if ("Failed".equals(c.getType())) {
                String reason = nz(c.getReason());
                String message = nz(c.getMessage());
                if ("DeadlineExceeded".equals(reason)) {
                    return Optional.of(new Outcome.DeadlineExceeded(ref, message));
                }
                return Optional.of(new Outcome.Failed(
                        ref, reason, message, orZero(status.getFailed()), parseIndexes(status.getFailedIndexes())));
            }
        }
        return Optional.empty();
    }

    /** Parses the compressed index form {@code 1,3-5,7}. */
    static List<Integer> parseIndexes(@Nullable String compressed) {
        List<Integer> out = new ArrayList<>();
        if (compressed == null || compressed.isBlank()) {
            return out;
        }
        for (String part : compressed.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash > 0) {
                int from = Integer.parseInt(p.substring(0, dash));
                int to = Integer.parseInt(p.substring(dash + 1));
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } else {
                out.add(Integer.parseInt(p));
            }
        }
        return out;
    }

    private static boolean isTrue(List<JobStatus.Condition> conditions, String type) {
        for (JobStatus.Condition c : conditions) {
            if (c.type().equals(type) && c.isTrue()) {
                return true;
            }
        }
        return false;
    }

    static Optional<Instant> time(@Nullable String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static int orZero(@Nullable Integer i) {
        return i == null ? 0 : i;
    }

    static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }
}
