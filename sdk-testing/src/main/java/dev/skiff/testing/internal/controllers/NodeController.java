package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulates every node, as kwok does with {@code --manage-all-nodes}: a node created without a
 * status becomes Ready, with allocatable equal to capacity and sensible defaults for pods.
 */
public final class NodeController implements Actor {
    private final ApiServer api;

    public NodeController(ApiServer api) {
        this.api = api;
    }

    @Override
    public void onChange(Change c) {
        if (c.resource() != ResourceTypes.NODES || c.type() == Change.Type.DELETED) {
            return;
        }
        Node node = api.find(Node.class, null, c.object().getMetadata().getName());
        if (node == null) {
            return;
        }
        NodeStatus status = node.getStatus();
        if (status != null
                && status.getConditions() != null
                && !status.getConditions().isEmpty()
                && status.getAllocatable() != null
                && !status.getAllocatable().isEmpty()) {
            return;
        }
        Node copy = (Node) api.copy(node);
        NodeStatus next = status == null
                ? new NodeStatus()
                : new io.fabric8.kubernetes.api.model.NodeStatusBuilder(status).build();
        Map<String, Quantity> capacity =
                next.getCapacity() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(next.getCapacity());
        capacity.putIfAbsent("cpu", new Quantity("32"));
        capacity.putIfAbsent("memory", new Quantity("128Gi"));
        capacity.putIfAbsent("pods", new Quantity("110"));
        capacity.putIfAbsent("ephemeral-storage", new Quantity("1Ti"));
        next.setCapacity(capacity);
        if (next.getAllocatable() == null || next.getAllocatable().isEmpty()) {
            next.setAllocatable(new LinkedHashMap<>(capacity));
        }
        if (next.getConditions() == null || next.getConditions().isEmpty()) {
            String now = ApiServer.timestamp(api.now());
            List<NodeCondition> conditions = new ArrayList<>();
            for (String[] c2 : new String[][] {
                {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
                {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
                {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
                {"Ready", "True", "KubeletReady", "kubelet is posting ready status"}
            }) {
                NodeCondition cond = new NodeCondition();
                cond.setType(c2[0]);
                cond.setStatus(c2[1]);
                cond.setReason(c2[2]);
                cond.setMessage(c2[3]);
                cond.setLastHeartbeatTime(now);
                cond.setLastTransitionTime(now);
                conditions.add(cond);
            }
            next.setConditions(conditions);
        }
        if (next.getNodeInfo() == null) {
            NodeSystemInfo info = new NodeSystemInfo();
            info.setArchitecture("amd64");
            info.setOperatingSystem("linux");
            info.setKubeletVersion("v1.34.0-skiff");
            info.setContainerRuntimeVersion("skiff://simulated");
            info.setOsImage("Skiff in-memory node");
            info.setKernelVersion("simulated");
            info.setKubeProxyVersion("");
            info.setMachineID("");
            info.setSystemUUID("");
            info.setBootID("");
            next.setNodeInfo(info);
        }
        copy.setStatus(next);
        api.updateStatus(copy);
    }
}
