package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.common.PodPhases;
import dev.skiff.testing.internal.engine.Engine;
import dev.skiff.testing.internal.scheduler.ClusterState;
import dev.skiff.testing.internal.scheduler.Decision;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The default scheduler: binds each pending pod that names {@code default-scheduler} to a node, or
 * marks it unschedulable with kube-scheduler's {@code FailedScheduling} wording and tries again when
 * the cluster changes (a node added or changed, a pod finishing or going away). Pods for other
 * schedulers are left alone.
 */
public final class SchedulerActor implements Actor {
    static final String SCHEDULER = "default-scheduler";

    private final ApiServer api;
    private final Engine engine;
    private final ClusterState state = new ClusterState();
    /** Unschedulable pods, by namespace/name, with their last message. */
    private final Map<String, String> unschedulable = new LinkedHashMap<>();
    /**
     * The unschedulable pods that pod affinity, anti-affinity or topology spread held back: a pod
     * bound or relabelled elsewhere may let them in (kube-scheduler requeues them on assigned-pod
     * add and label update events).
     */
    private final Set<String> waitingOnPods = new LinkedHashSet<>();

    private final Map<String, Pod> queue = new LinkedHashMap<>();
    private boolean flushQueued;

    public SchedulerActor(ApiServer api, Engine engine) {
        this.api = api;
        this.engine = engine;
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    @Override
    public void onChange(Change c) {
        if (c.resource() == ResourceTypes.NODES) {
            if (c.type() == Change.Type.DELETED) {
                state.removeNode(c.object().getMetadata().getName());
            } else {
                state.putNode((Node) c.object());
            }
            retryUnschedulable();
            return;
        }
        if (c.resource() == ResourceTypes.NAMESPACES) {
            String name = c.object().getMetadata().getName();
            if (c.type() == Change.Type.DELETED) {
                state.removeNamespace(name);
            } else {
                state.putNamespace(name, c.object().getMetadata().getLabels());
            }
            return;
        }
        if (c.resource() != ResourceTypes.PODS) {
            return;
        }
        Pod pod = (Pod) c.object();
        String key = key(pod);
        boolean bound = pod.getSpec() != null && pod.getSpec().getNodeName() != null;
        if (c.type() == Change.Type.DELETED) {
            unschedulable.remove(key);
            waitingOnPods.remove(key);
            queue.remove(key);
            if (state.unbind(pod)) {
                retryUnschedulable();
            }
            return;
        }
        if (bound) {
            boolean terminal = PodPhases.isTerminal(pod);
            state.bind(pod);
            if (terminal && c.old() instanceof Pod old && !PodPhases.isTerminal(old)) {
                retryUnschedulable();
            } else if (!waitingOnPods.isEmpty() && !terminal && newlyBoundOrRelabelled(pod, c.old())) {
                retry(waitingOnPods);
            }
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String scheduler = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        if (scheduler != null && !scheduler.equals(SCHEDULER)) {
            return;
        }
        if (c.type() == Change.Type.ADDED) {
            enqueue(pod);
        }
    }

    private void enqueue(Pod pod) {
        queue.put(key(pod), pod);
        if (!flushQueued) {
            flushQueued = true;
            engine.defer(this::flush);
        }
    }

    private static boolean newlyBoundOrRelabelled(Pod pod, Object old) {
        if (!(old instanceof Pod before)
                || before.getSpec() == null
                || before.getSpec().getNodeName() == null) {
            return true;
        }
        return !Objects.equals(
                before.getMetadata().getLabels(), pod.getMetadata().getLabels());
    }

    private void retryUnschedulable() {
        retry(unschedulable.keySet());
    }

    private void retry(Set<String> keys) {
        for (String k : new ArrayList<>(keys)) {
            String[] p = k.split("/", 2);
            Pod pod = api.find(Pod.class, p[0], p[1]);
            if (pod != null) {
                enqueue(pod);
            }
        }
    }

    private void flush() {
        flushQueued = false;
        List<Pod> pods = new ArrayList<>(queue.values());
        queue.clear();
        for (Pod queued : pods) {
            Pod pod = api.find(
                    Pod.class,
                    queued.getMetadata().getNamespace(),
                    queued.getMetadata().getName());
            if (pod == null
                    || (pod.getSpec() != null && pod.getSpec().getNodeName() != null)
                    || pod.getMetadata().getDeletionTimestamp() != null) {
                unschedulable.remove(key(queued));
                waitingOnPods.remove(key(queued));
                continue;
            }
            scheduleOne(pod);
        }
    }

    private void scheduleOne(Pod pod) {
        Decision d = state.schedule(pod, spreadSelectors(pod));
        String key = key(pod);
        if (d instanceof Decision.Bound bound) {
            unschedulable.remove(key);
            waitingOnPods.remove(key);
            Pod stored = api.bind(pod, bound.nodeName());
            Pod status = (Pod) api.copy(stored);
            status.setStatus(withScheduled(stored.getStatus(), "True", null, null));
            api.updateStatus(status);
            state.bind(stored);
            Events.record(
                    api,
                    stored,
                    "Normal",
                    "Scheduled",
                    "Successfully assigned " + key + " to " + bound.nodeName(),
                    SCHEDULER);
        } else if (d instanceof Decision.Unschedulable u) {
            String previous = unschedulable.put(key, u.message());
            if (u.reasonCounts().keySet().stream().anyMatch(SchedulerActor::dependsOnPods)) {
                waitingOnPods.add(key);
            } else {
                waitingOnPods.remove(key);
            }
            if (u.message().equals(previous)) {
                return;
            }
            Pod copy = (Pod) api.copy(pod);
            copy.setStatus(withScheduled(pod.getStatus(), "False", "Unschedulable", u.message()));
            api.updateStatus(copy);
            Events.record(api, pod, "Warning", "FailedScheduling", u.message(), SCHEDULER);
        }
    }

    /** Whether a FailedScheduling reason comes from InterPodAffinity or PodTopologySpread. */
    private static boolean dependsOnPods(String reason) {
        return reason.contains("pod affinity rules")
                || reason.contains("anti-affinity rules")
                || reason.contains("pod topology spread constraints");
    }

    /**
     * kube-scheduler's {@code DefaultSelector}, for the system default topology spreading: the
     * selectors of the Services that select the pod and of the ReplicaSet, StatefulSet or
     * ReplicationController that controls it. Only needed for pods without spread constraints.
     */
    private List<LabelSelector> spreadSelectors(Pod pod) {
        if (pod.getSpec().getTopologySpreadConstraints() != null
                && !pod.getSpec().getTopologySpreadConstraints().isEmpty()) {
            return List.of();
        }
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> labels = pod.getMetadata().getLabels() == null
                ? Map.of()
                : pod.getMetadata().getLabels();
        List<LabelSelector> out = new ArrayList<>();
        for (Service s : api.list(Service.class, ns)) {
            Map<String, String> selector =
                    s.getSpec() == null ? null : s.getSpec().getSelector();
            if (selector != null
                    && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                out.add(new LabelSelectorBuilder().withMatchLabels(selector).build());
            }
        }
        OwnerReference owner = pod.getMetadata().getOwnerReferences() == null
                ? null
                : pod.getMetadata().getOwnerReferences().stream()
                        .filter(o -> Boolean.TRUE.equals(o.getController()))
                        .findFirst()
                        .orElse(null);
        if (owner != null) {
            String kind = owner.getApiVersion() + "/" + owner.getKind();
            if (kind.equals("apps/v1/ReplicaSet")) {
                ReplicaSet rs = api.find(ReplicaSet.class, ns, owner.getName());
                if (rs != null && rs.getSpec() != null && rs.getSpec().getSelector() != null) {
                    out.add(rs.getSpec().getSelector());
                }
            } else if (kind.equals("apps/v1/StatefulSet")) {
                StatefulSet ss = api.find(StatefulSet.class, ns, owner.getName());
                if (ss != null && ss.getSpec() != null && ss.getSpec().getSelector() != null) {
                    out.add(ss.getSpec().getSelector());
                }
            }
        }
        return out;
    }

    private PodStatus withScheduled(PodStatus status, String value, String reason, String message) {
        PodStatus s =
                status == null ? new PodStatus() : new io.fabric8.kubernetes.api.model.PodStatusBuilder(status).build();
        List<PodCondition> conditions =
                s.getConditions() == null ? new ArrayList<>() : new ArrayList<>(s.getConditions());
        conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
        PodCondition c = new PodCondition();
        c.setType("PodScheduled");
        c.setStatus(value);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(ApiServer.timestamp(api.now()));
        conditions.add(0, c);
        s.setConditions(conditions);
        return s;
    }
}
