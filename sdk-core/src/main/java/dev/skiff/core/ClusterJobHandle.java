package dev.skiff.core;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A {@link JobHandle} that reads the Job from the API server and waits on a watch. */
final class ClusterJobHandle implements JobHandle {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    ClusterJobHandle(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    private Resource<Job> resource() {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name);
    }

    @Override
    public Outcome await(Duration timeout) {
        String ref = namespace + "/" + name;
        Job initial = resource().get();
        if (initial == null) {
            throw new NotFoundException("Job " + ref + " does not exist", null);
        }
        Optional<Outcome> done = outcome(ref, initial);
        if (done.isPresent()) {
            return done.get();
        }
        Job last;
        try {
            last = resource()
                    .waitUntilCondition(
                            j -> j == null || outcome(ref, j).isPresent(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new AwaitTimeoutException("Job " + ref + " did not finish within " + timeout, e);
        }
        if (last == null) {
            return new Outcome.Cancelled(ref);
        }
        return outcome(ref, last).orElseThrow();
    }

    @Override
    public void cancel() {
        resource()
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                .delete();
    }

    static Optional<Outcome> outcome(String ref, Job job) {
        JobStatus status = job.getStatus();
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        for (JobCondition c : status.getConditions()) {
            if (!"True".equals(c.getStatus())) {
                continue;
            }
            if ("Complete".equals(c.getType())) {
                return Optional.of(new Outcome.Succeeded(ref, orZero(status.getSucceeded())));
            }
            if ("Failed".equals(c.getType())) {
                String reason = c.getReason() == null ? "" : c.getReason();
                String message = c.getMessage() == null ? "" : c.getMessage();
                if ("DeadlineExceeded".equals(reason)) {
                    return Optional.of(new Outcome.DeadlineExceeded(ref, message));
                }
                return Optional.of(new Outcome.Failed(
                        ref, reason, message, orZero(status.getFailed()), parseIndexes(status.getFailedIndexes())));
            }
        }
        return Optional.empty();
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    /** Parses the compressed index form {@code 1,3-5,7}. */
    static List<Integer> parseIndexes(String compressed) {
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
}
