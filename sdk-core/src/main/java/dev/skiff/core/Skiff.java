package dev.skiff.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Objects;

/**
 * Skiff's entry point.
 *
 * <h2>Rendering</h2>
 * {@link #render(Workload)} turns a workload into the Kubernetes objects Skiff would submit, and
 * {@link #toYaml(Workload)} prints them as YAML, for review or for GitOps. Both are pure and
 * deterministic: the same workload always gives byte-identical YAML.
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("resnet-train")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4"))
 *     .build();
 * String yaml = Skiff.toYaml(job);
 * }</pre>
 */
public final class Skiff {
    private Skiff() {}

    /**
     * Renders {@code workload} to the Kubernetes objects that represent it: a Job for a {@link
     * BatchJob}; a StatefulSet or Deployment and a Service for an {@link InteractiveSession}; a
     * CronJob for a {@link ScheduledJob}; plus any objects its traits add. The main object comes
     * first.
     *
     * <p>The objects are new on every call; changing them does not change the workload.
     *
     * @param workload the workload, already validated by its {@code build()}
     * @return the objects, main object first
     */
    public static List<HasMetadata> render(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        return Renderer.render(workload);
    }

    /**
     * Renders {@code workload} as a multi-document YAML stream, one document per object, in the
     * order of {@link #render(Workload)}.
     *
     * @param workload the workload
     * @return the YAML, byte-identical for equal workloads
     */
    public static String toYaml(Workload workload) {
        StringBuilder sb = new StringBuilder();
        for (HasMetadata object : render(workload)) {
            String doc = Serialization.asYaml(object);
            if (!doc.startsWith("---")) {
                sb.append("---\n");
            }
            sb.append(doc);
            if (!doc.endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
