package dev.skiff.testing.internal.api.podsecurity;

import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.api.podsecurity.Checks.Failure;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The PodSecurity admission plugin of a v1.36 API server, with its defaults (every mode {@code
 * privileged:latest}) and no exemptions.
 *
 * <ul>
 *   <li>Pods, on create and on an update that changes an image or the containers: a violation of
 *       the namespace's {@code enforce} level is {@code 403 Forbidden} ({@code pods "x" is
 *       forbidden: violates PodSecurity "restricted:latest": ...}); otherwise a violation of its
 *       {@code warn} level is a warning ({@code would violate PodSecurity ...}).
 *   <li>Kinds with a pod template (Job, CronJob, Deployment, ReplicaSet, StatefulSet, DaemonSet,
 *       ReplicationController, PodTemplate): never rejected; a warning for the {@code warn} level,
 *       which follows a stricter {@code enforce} level unless set itself.
 *   <li>Namespaces: labels with a bad level or version are {@code 422 Invalid}; raising the
 *       enforce level of a namespace warns about the pods already there that violate it.
 * </ul>
 *
 * The {@code audit} level only writes the audit log, which this cluster has not: it is read and
 * checked, and changes nothing visible.
 */
public final class PodSecurityAdmission {
    private PodSecurityAdmission() {}

    /**
     * Admits a create ({@code old} null) or an update (not of a subresource) of an object after
     * validation; gives warnings to {@code warnings}.
     *
     * @throws ApiException when the object is refused
     */
    public static void admit(
            ApiServer api,
            ResourceType type,
            HasMetadata object,
            @Nullable HasMetadata old,
            Consumer<String> warnings) {
        if (type == ResourceTypes.NAMESPACES) {
            admitNamespace(api, (Namespace) object, (Namespace) old, warnings);
        } else if (object instanceof Pod pod) {
            admitPod(api, type, pod, (Pod) old, warnings);
        } else if (hasTemplate(object)) {
            admitTemplate(api, object, warnings);
        }
    }

    private static void admitPod(
            ApiServer api, ResourceType type, Pod pod, @Nullable Pod old, Consumer<String> warnings) {
        NamespacePolicy.Parsed parsed = policyOf(api, pod.getMetadata().getNamespace());
        NamespacePolicy policy = parsed.policy();
        if (parsed.errors().isEmpty() && policy.fullyPrivileged()) {
            return;
        }
        if (old != null && !significantUpdate(pod, old)) {
            return;
        }
        List<Failure> enforced = Evaluator.evaluate(policy.enforce(), pod.getMetadata(), pod.getSpec());
        if (!enforced.isEmpty()) {
            String name = pod.getMetadata().getName();
            throw ApiException.forbidden(
                    type,
                    name,
                    type + " \"" + name + "\" is forbidden: violates PodSecurity \"" + policy.enforce() + "\": "
                            + Evaluator.detail(enforced));
        }
        warn(policy, pod.getMetadata(), pod.getSpec(), warnings);
    }

    private static void admitTemplate(ApiServer api, HasMetadata object, Consumer<String> warnings) {
        NamespacePolicy.Parsed parsed = policyOf(api, object.getMetadata().getNamespace());
        NamespacePolicy policy = parsed.policy();
        if (parsed.errors().isEmpty()
                && policy.warn().level() == Level.PRIVILEGED
                && policy.audit().level() == Level.PRIVILEGED) {
            return;
        }
        PodTemplateSpec template = template(object);
        if (template == null) {
            return;
        }
        warn(policy, template.getMetadata(), template.getSpec(), warnings);
    }

    private static void warn(
            NamespacePolicy policy, @Nullable ObjectMeta meta, @Nullable PodSpec spec, Consumer<String> warnings) {
        List<Failure> failures = Evaluator.evaluate(policy.warn(), meta, spec);
        if (!failures.isEmpty()) {
            warnings.accept("would violate PodSecurity \"" + policy.warn() + "\": " + Evaluator.detail(failures));
        }
    }

    private static NamespacePolicy.Parsed policyOf(ApiServer api, @Nullable String namespace) {
        Namespace ns = namespace == null ? null : api.find(Namespace.class, null, namespace);
        return NamespacePolicy.parse(ns == null ? null : ns.getMetadata().getLabels());
    }

    private static void admitNamespace(
            ApiServer api, Namespace namespace, @Nullable Namespace old, Consumer<String> warnings) {
        NamespacePolicy.Parsed next =
                NamespacePolicy.parse(namespace.getMetadata().getLabels());
        String name = namespace.getMetadata().getName();
        if (old == null) {
            if (!next.errors().isEmpty()) {
                throw ApiException.invalid(ResourceTypes.NAMESPACES, name, next.errors());
            }
            return;
        }
        NamespacePolicy.Parsed before = NamespacePolicy.parse(old.getMetadata().getLabels());
        if (!next.errors().isEmpty()
                && (before.errors().isEmpty() || !before.errors().equals(next.errors()))) {
            throw ApiException.invalid(ResourceTypes.NAMESPACES, name, next.errors());
        }
        LevelVersion enforce = next.policy().enforce();
        LevelVersion previous = before.policy().enforce();
        if (enforce.equals(previous) || enforce.level() == Level.PRIVILEGED) {
            return;
        }
        if (enforce.minor() == previous.minor() && enforce.level().compareTo(previous.level()) <= 0) {
            return; // not stricter
        }
        existingPods(api, name, enforce).forEach(warnings);
    }

    /** The warnings about the pods of a namespace that violate a new enforce level. */
    static List<String> existingPods(ApiServer api, String namespace, LevelVersion enforce) {
        Map<String, String> firstPod = new LinkedHashMap<>(); // reasons -> smallest pod name
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Pod pod : api.list(Pod.class, namespace)) {
            List<Failure> failures = Evaluator.evaluate(enforce, pod.getMetadata(), pod.getSpec());
            if (failures.isEmpty()) {
                continue;
            }
            String reasons = Evaluator.reasons(failures);
            String podName = pod.getMetadata().getName();
            firstPod.merge(reasons, podName, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            counts.merge(reasons, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        if (firstPod.isEmpty()) {
            return out;
        }
        out.add("existing pods in namespace \"" + namespace + "\" violate the new PodSecurity enforce level \""
                + enforce + "\"");
        List<String> pods = new ArrayList<>();
        firstPod.forEach((reasons, pod) -> {
            int n = counts.get(reasons);
            String who = switch (n) {
                case 1 -> pod;
                case 2 -> pod + " (and 1 other pod)";
                default -> pod + " (and " + (n - 1) + " other pods)";
            };
            pods.add(who + ": " + reasons);
        });
        pods.sort(null);
        out.addAll(pods);
        return out;
    }

    /** Whether an update of a pod is one the checks see: a changed image or set of containers. */
    private static boolean significantUpdate(Pod pod, Pod old) {
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodSpec before = old.getSpec() == null ? new PodSpec() : old.getSpec();
        if (changedImages(Checks.list(spec.getContainers()), Checks.list(before.getContainers()))
                || changedImages(Checks.list(spec.getInitContainers()), Checks.list(before.getInitContainers()))) {
            return true;
        }
        for (EphemeralContainer c : Checks.list(spec.getEphemeralContainers())) {
            EphemeralContainer match = null;
            for (EphemeralContainer o : Checks.list(before.getEphemeralContainers())) {
                if (Objects.equals(o.getName(), c.getName())) {
                    match = o;
                    break;
                }
            }
            if (match == null || !Objects.equals(match.getImage(), c.getImage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean changedImages(List<Container> now, List<Container> before) {
        if (now.size() != before.size()) {
            return true;
        }
        for (int i = 0; i < now.size(); i++) {
            if (!Objects.equals(now.get(i).getImage(), before.get(i).getImage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasTemplate(HasMetadata o) {
        return o instanceof Job
                || o instanceof CronJob
                || o instanceof Deployment
                || o instanceof ReplicaSet
                || o instanceof StatefulSet
                || o instanceof DaemonSet
                || o instanceof ReplicationController
                || o instanceof PodTemplate;
    }

    private static @Nullable PodTemplateSpec template(HasMetadata o) {
        if (o instanceof Job j) {
            return j.getSpec() == null ? null : j.getSpec().getTemplate();
        } else if (o instanceof CronJob c) {
            return c.getSpec() == null
                            || c.getSpec().getJobTemplate() == null
                            || c.getSpec().getJobTemplate().getSpec() == null
                    ? null
                    : c.getSpec().getJobTemplate().getSpec().getTemplate();
        } else if (o instanceof Deployment d) {
            return d.getSpec() == null ? null : d.getSpec().getTemplate();
        } else if (o instanceof ReplicaSet r) {
            return r.getSpec() == null ? null : r.getSpec().getTemplate();
        } else if (o instanceof StatefulSet s) {
            return s.getSpec() == null ? null : s.getSpec().getTemplate();
        } else if (o instanceof DaemonSet d) {
            return d.getSpec() == null ? null : d.getSpec().getTemplate();
        } else if (o instanceof ReplicationController r) {
            return r.getSpec() == null ? null : r.getSpec().getTemplate();
        } else if (o instanceof PodTemplate t) {
            return t.getTemplate();
        }
        return null;
    }
}
