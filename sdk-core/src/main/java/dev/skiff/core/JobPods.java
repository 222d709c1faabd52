package dev.skiff.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** Reads the pods of a Job and their logs. */
final class JobPods {
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    static final String INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";

    private JobPods() {}

    /** The Job's pods, by completion index then creation time (oldest first). */
    static List<Pod> list(ClientContext ctx, String namespace, String job) {
        return list(ctx, namespace, Map.of(JOB_NAME_LABEL, job), "Job " + namespace + "/" + job);
    }

    /** The pods matching {@code selector}, sorted as {@link #list(ClientContext, String, String)} sorts them. */
    static List<Pod> list(ClientContext ctx, String namespace, Map<String, String> selector, String owner) {
        String what = "list the pods of " + owner;
        List<Pod> pods;
        try {
            pods = ctx.calls.call(
                    what,
                    () -> ctx.client
                            .pods()
                            .inNamespace(namespace)
                            .withLabels(selector)
                            .list()
                            .getItems());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparingInt((Pod p) -> index(p).orElse(Integer.MAX_VALUE))
                .thenComparing(p -> nz(p.getMetadata().getCreationTimestamp()))
                .thenComparing(p -> p.getMetadata().getName()));
        return sorted;
    }

    static OptionalInt index(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(INDEX_ANNOTATION);
        if (value == null) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            value = labels == null ? null : labels.get(INDEX_ANNOTATION);
        }
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Reads one container's log; {@code tail} null reads it all. */
    static String log(
            ClientContext ctx,
            String namespace,
            String pod,
            String container,
            boolean previous,
            @Nullable Integer tail) {
        String what = "read the log of " + namespace + "/" + pod + " [" + container + "]";
        try {
            return ctx.calls.call(what, () -> {
                ContainerResource resource =
                        ctx.client.pods().inNamespace(namespace).withName(pod).inContainer(container);
                TimeTailPrettyLoggable source = previous ? resource.terminated() : resource;
                Loggable loggable = tail == null ? source : source.tailingLines(tail);
                String text = loggable.getLog();
                return text == null ? "" : text;
            });
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
    }

    /** The pod's init and main container statuses, in that order; empty before the kubelet reports. */
    static List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses(Pod pod) {
        List<io.fabric8.kubernetes.api.model.ContainerStatus> out = new ArrayList<>();
        if (pod.getStatus() == null) {
            return out;
        }
        if (pod.getStatus().getInitContainerStatuses() != null) {
            out.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            out.addAll(pod.getStatus().getContainerStatuses());
        }
        return out;
    }

    static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(trimmed.split("\n", -1));
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }
}
