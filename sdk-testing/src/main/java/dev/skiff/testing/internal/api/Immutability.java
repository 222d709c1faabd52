package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The update rules of the API server for fields that may not change after create. */
final class Immutability {
    private Immutability() {}

    static List<Violation> check(ResourceType type, HasMetadata old, HasMetadata next) {
        List<Violation> out = new ArrayList<>();
        if (old instanceof Job o && next instanceof Job n) {
            JobSpec os = o.getSpec();
            JobSpec ns = n.getSpec();
            if (!Objects.equals(os.getSelector(), ns.getSelector())) {
                out.add(Violation.invalid("spec.selector", String.valueOf(ns.getSelector()), "field is immutable"));
            }
            if (!Objects.equals(os.getCompletionMode(), ns.getCompletionMode())) {
                out.add(Violation.invalid("spec.completionMode", ns.getCompletionMode(), "field is immutable"));
            }
            boolean elastic = "Indexed".equals(ns.getCompletionMode())
                    && Objects.equals(ns.getCompletions(), ns.getParallelism())
                    && Objects.equals(os.getCompletions(), os.getParallelism());
            if (!Objects.equals(os.getCompletions(), ns.getCompletions()) && !elastic) {
                out.add(Violation.invalid("spec.completions", ns.getCompletions(), "field is immutable"));
            }
            if (!Objects.equals(os.getTemplate(), ns.getTemplate()) && !templateChangeAllowed(os, ns)) {
                out.add(Violation.invalid("spec.template", "core.PodTemplateSpec{...}", "field is immutable"));
            }
        } else if (old instanceof io.fabric8.kubernetes.api.model.Pod o
                && next instanceof io.fabric8.kubernetes.api.model.Pod n) {
            if (!Objects.equals(comparable(o.getSpec()), comparable(n.getSpec()))) {
                out.add(Violation.forbidden(
                        "spec",
                        "pod updates may not change fields other than `spec.containers[*].image`,"
                                + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
                                + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                                + "(allow it to be set to 1 if it was previously negative)"));
            }
        } else if (old instanceof Deployment o && next instanceof Deployment n) {
            if (!Objects.equals(o.getSpec().getSelector(), n.getSpec().getSelector())) {
                out.add(Violation.invalid(
                        "spec.selector", String.valueOf(n.getSpec().getSelector()), "field is immutable"));
            }
        } else if (old instanceof StatefulSet o && next instanceof StatefulSet n) {
            var os = o.getSpec();
            var ns = n.getSpec();
            boolean onlyAllowed = Objects.equals(os.getSelector(), ns.getSelector())
                    && Objects.equals(os.getServiceName(), ns.getServiceName())
                    && Objects.equals(os.getVolumeClaimTemplates(), ns.getVolumeClaimTemplates())
                    && Objects.equals(os.getPodManagementPolicy(), ns.getPodManagementPolicy());
            if (!onlyAllowed) {
                out.add(
                        Violation.forbidden(
                                "spec",
                                "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                                        + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
            }
        }
        return out;
    }

    /** A pod spec with the fields an update may change blanked out. */
    private static io.fabric8.kubernetes.api.model.@org.jspecify.annotations.Nullable PodSpec comparable(
            io.fabric8.kubernetes.api.model.@org.jspecify.annotations.Nullable PodSpec spec) {
        if (spec == null) {
            return null;
        }
        var b = new io.fabric8.kubernetes.api.model.PodSpecBuilder(spec)
                .withActiveDeadlineSeconds(null)
                .withTolerations()
                .withTerminationGracePeriodSeconds(null)
                .withSchedulingGates();
        var copy = b.build();
        if (copy.getContainers() != null) {
            copy.getContainers().forEach(c -> c.setImage(null));
        }
        if (copy.getInitContainers() != null) {
            copy.getInitContainers().forEach(c -> c.setImage(null));
        }
        return copy;
    }

    /** A suspended Job that never started may change its pod scheduling directives. */
    private static boolean templateChangeAllowed(JobSpec old, JobSpec next) {
        if (!Boolean.TRUE.equals(old.getSuspend())) {
            return false;
        }
        var a = old.getTemplate();
        var b = next.getTemplate();
        if (a == null || b == null || a.getSpec() == null || b.getSpec() == null) {
            return false;
        }
        var sa = new io.fabric8.kubernetes.api.model.PodSpecBuilder(a.getSpec())
                .withNodeSelector(null)
                .withAffinity(null)
                .withTolerations()
                .withSchedulingGates()
                .build();
        var sb = new io.fabric8.kubernetes.api.model.PodSpecBuilder(b.getSpec())
                .withNodeSelector(null)
                .withAffinity(null)
                .withTolerations()
                .withSchedulingGates()
                .build();
        return Objects.equals(sa, sb)
                && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
    }
}
