package dev.skiff.testing.internal.http;

import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Status;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/** {@code pods/binding} (what a scheduler posts) and {@code pods/eviction} (a disruption). */
final class PodSubresources {
    private PodSubresources() {}

    static Object handle(
            ApiServer api, @Nullable String namespace, String name, String sub, String body, boolean dryRun) {
        Pod pod = (Pod) api.get(ResourceTypes.PODS, namespace, name);
        if (sub.equals("binding")) {
            Binding binding = api.serialization().unmarshal(body, Binding.class);
            if (binding.getTarget() == null || binding.getTarget().getName() == null) {
                throw ApiException.badRequest("Binding target is required");
            }
            if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
                throw ApiException.conflict(
                        ResourceTypes.PODS,
                        name,
                        "Operation cannot be fulfilled on pods/binding \"" + name + "\": pod " + name
                                + " is already assigned to node \""
                                + pod.getSpec().getNodeName() + "\"");
            }
            if (!dryRun) {
                bind(api, pod, binding.getTarget().getName());
            }
            return success();
        }
        // eviction: mark the pod disrupted, then delete it gracefully
        if (!dryRun) {
            Pod copy = (Pod) api.copy(pod);
            PodStatus status = copy.getStatus() == null
                    ? new PodStatus()
                    : new io.fabric8.kubernetes.api.model.PodStatusBuilder(copy.getStatus()).build();
            PodCondition c = new PodCondition();
            c.setType("DisruptionTarget");
            c.setStatus("True");
            c.setReason("EvictionByEvictionAPI");
            c.setMessage("Eviction API: evicting");
            c.setLastTransitionTime(ApiServer.timestamp(api.now()));
            var conditions = status.getConditions() == null
                    ? new ArrayList<PodCondition>()
                    : new ArrayList<>(status.getConditions());
            conditions.add(c);
            status.setConditions(conditions);
            copy.setStatus(status);
            api.updateStatus(copy);
            api.delete(ResourceTypes.PODS, namespace, name, ApiServer.DeleteOptions.DEFAULT);
        }
        return success();
    }

    /** Binds a pod to a node: sets spec.nodeName and the PodScheduled condition. */
    static void bind(ApiServer api, Pod pod, String node) {
        api.bind(pod, node);
    }

    private static Status success() {
        Status s = new Status();
        s.setApiVersion("v1");
        s.setKind("Status");
        s.setStatus("Success");
        s.setCode(201);
        s.setMetadata(new io.fabric8.kubernetes.api.model.ListMeta());
        return s;
    }
}
