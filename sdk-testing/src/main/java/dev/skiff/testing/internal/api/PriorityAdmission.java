package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Priority admission plugin: a new pod gets the priority (and preemption policy) of its {@code
 * priorityClassName}, or of the global default class, or {@code 0} and {@code PreemptLowerPriority}
 * without one; an unknown class is a 403. An update keeps what creation set. A PriorityClass may be
 * the global default only if no other is.
 */
final class PriorityAdmission {
    static final String PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";

    private PriorityAdmission() {}

    /** The classes every cluster starts with, as the API server creates them at bootstrap. */
    static List<PriorityClass> systemClasses() {
        return List.of(
                systemClass(
                        "system-node-critical",
                        2_000_001_000,
                        "Used for system critical pods that must not be moved from their current node."),
                systemClass(
                        "system-cluster-critical",
                        2_000_000_000,
                        "Used for system critical pods that must run in the cluster, but can be moved to another"
                                + " node if necessary."));
    }

    private static PriorityClass systemClass(String name, int value, String description) {
        PriorityClass pc = new PriorityClass();
        pc.setApiVersion("scheduling.k8s.io/v1");
        pc.setKind("PriorityClass");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        pc.setMetadata(meta);
        pc.setValue(value);
        pc.setDescription(description);
        pc.setPreemptionPolicy(PREEMPT_LOWER_PRIORITY);
        return pc;
    }

    /** Admits a pod; {@code old} is the stored pod on an update, null on a create. */
    static void admit(ApiServer api, Pod pod, @Nullable Pod old, String name) {
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return;
        }
        if (old != null) {
            if (old.getSpec() != null) {
                if (spec.getPriority() == null) {
                    spec.setPriority(old.getSpec().getPriority());
                }
                if (spec.getPreemptionPolicy() == null) {
                    spec.setPreemptionPolicy(old.getSpec().getPreemptionPolicy());
                }
            }
            return;
        }
        int priority;
        String policy;
        String className = spec.getPriorityClassName();
        if (className == null || className.isEmpty()) {
            PriorityClass global = globalDefault(api);
            if (global != null) {
                spec.setPriorityClassName(global.getMetadata().getName());
                priority = global.getValue();
                policy = global.getPreemptionPolicy();
            } else {
                priority = 0;
                policy = PREEMPT_LOWER_PRIORITY;
            }
        } else {
            PriorityClass pc = api.find(PriorityClass.class, null, className);
            if (pc == null) {
                throw forbidden(name, "no PriorityClass with name " + className + " was found");
            }
            priority = pc.getValue();
            policy = pc.getPreemptionPolicy();
        }
        if (spec.getPriority() != null && spec.getPriority() != priority) {
            throw forbidden(
                    name,
                    "the integer value of priority (" + spec.getPriority()
                            + ") must not be provided in pod spec; priority admission controller computed " + priority
                            + " from the given PriorityClass name");
        }
        spec.setPriority(priority);
        if (policy != null) {
            if (spec.getPreemptionPolicy() != null
                    && !spec.getPreemptionPolicy().equals(policy)) {
                throw forbidden(
                        name,
                        "the string value of PreemptionPolicy (" + spec.getPreemptionPolicy()
                                + ") must not be provided in pod spec; priority admission controller computed "
                                + policy + " from the given PriorityClass name");
            }
            spec.setPreemptionPolicy(policy);
        }
    }

    /** Validates a PriorityClass being created or updated: at most one global default. */
    static void validateClass(ApiServer api, HasMetadata object, boolean create, String name) {
        if (!(object instanceof PriorityClass pc) || !Boolean.TRUE.equals(pc.getGlobalDefault())) {
            return;
        }
        PriorityClass global = globalDefault(api);
        if (global != null && (create || !Objects.equals(global.getMetadata().getName(), name))) {
            throw ApiException.forbidden(
                    ResourceTypes.PRIORITY_CLASSES,
                    name,
                    ResourceTypes.PRIORITY_CLASSES + " \"" + name + "\" is forbidden: PriorityClass "
                            + global.getMetadata().getName() + " is already marked as default. Only one default can"
                            + " exist");
        }
    }

    /** The global default class; the lowest value wins if several claim it. */
    private static @Nullable PriorityClass globalDefault(ApiServer api) {
        PriorityClass found = null;
        for (PriorityClass pc : api.list(PriorityClass.class, null)) {
            if (Boolean.TRUE.equals(pc.getGlobalDefault()) && (found == null || found.getValue() > pc.getValue())) {
                found = pc;
            }
        }
        return found;
    }

    private static ApiException forbidden(String name, String message) {
        return ApiException.forbidden(ResourceTypes.PODS, name, "pods \"" + name + "\" is forbidden: " + message);
    }
}
