package dev.skiff.testing.internal.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Terse builders for the nodes and pods the scheduler tests need. */
final class Fixtures {
    static final String GPU = "nvidia.com/gpu";

    private Fixtures() {}

    /** Resources from alternating name/quantity strings: {@code res("cpu", "2", "memory", "4Gi")}. */
    static Map<String, Quantity> res(String... pairs) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], new Quantity(pairs[i + 1]));
        }
        return m;
    }

    static NodeBuilder nodeBuilder(String name, String... allocatable) {
        Map<String, Quantity> alloc = res(allocatable);
        alloc.putIfAbsent("pods", new Quantity("110"));
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .withAllocatable(alloc)
                .endStatus();
    }

    static Node node(String name, String... allocatable) {
        return nodeBuilder(name, allocatable).build();
    }

    /** An 8-GPU node with 64 cpu and 512Gi, untainted. */
    static Node gpuNode(String name) {
        return node(name, "cpu", "64", "memory", "512Gi", GPU, "8");
    }

    static Node withLabels(Node node, String... pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return new NodeBuilder(node)
                .editMetadata()
                .addToLabels(labels)
                .endMetadata()
                .build();
    }

    static Node withTaints(Node node, Taint... taints) {
        return new NodeBuilder(node).editSpec().addToTaints(taints).endSpec().build();
    }

    static Node cordoned(Node node) {
        return new NodeBuilder(node)
                .editSpec()
                .withUnschedulable(true)
                .endSpec()
                .build();
    }

    static Node withCondition(Node node, String type, String status) {
        return new NodeBuilder(node)
                .editStatus()
                .addToConditions(new NodeConditionBuilder()
                        .withType(type)
                        .withStatus(status)
                        .build())
                .endStatus()
                .build();
    }

    static Taint taint(String key, String value, String effect) {
        return new TaintBuilder()
                .withKey(key)
                .withValue(value)
                .withEffect(effect)
                .build();
    }

    static Toleration toleration(String key, String operator, String value, String effect) {
        return new TolerationBuilder()
                .withKey(key)
                .withOperator(operator)
                .withValue(value)
                .withEffect(effect)
                .build();
    }

    static Container container(String name, Map<String, Quantity> requests) {
        return new ContainerBuilder()
                .withName(name)
                .withImage("busybox")
                .withNewResources()
                .withRequests(requests)
                .endResources()
                .build();
    }

    static PodBuilder podBuilder(String name, String... requests) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withContainers(container("main", res(requests)))
                .endSpec();
    }

    static Pod pod(String name, String... requests) {
        return podBuilder(name, requests).build();
    }

    /** A pod that asks for {@code gpus} GPUs the way Skiff renders it: in limits only. */
    static Pod gpuPod(String name, int gpus) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder()
                        .withName("main")
                        .withImage("trainer")
                        .withNewResources()
                        .withLimits(res(GPU, String.valueOf(gpus)))
                        .endResources()
                        .build())
                .endSpec()
                .build();
    }

    static Pod boundTo(Pod pod, String node) {
        return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
    }

    static Pod withPriority(Pod pod, int priority) {
        return new PodBuilder(pod).editSpec().withPriority(priority).endSpec().build();
    }

    static Pod withPhase(Pod pod, String phase) {
        return new PodBuilder(pod).withNewStatus().withPhase(phase).endStatus().build();
    }

    static Pod withTolerations(Pod pod, Toleration... tolerations) {
        return new PodBuilder(pod)
                .editSpec()
                .addToTolerations(tolerations)
                .endSpec()
                .build();
    }

    static Pod withNodeSelector(Pod pod, String... pairs) {
        Map<String, String> selector = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            selector.put(pairs[i], pairs[i + 1]);
        }
        return new PodBuilder(pod)
                .editSpec()
                .withNodeSelector(selector)
                .endSpec()
                .build();
    }

    static Pod withHostPort(Pod pod, int port) {
        return new PodBuilder(pod)
                .editSpec()
                .editFirstContainer()
                .addToPorts(new ContainerPortBuilder()
                        .withContainerPort(port)
                        .withHostPort(port)
                        .build())
                .endContainer()
                .endSpec()
                .build();
    }

    static NodeSelectorRequirement expr(String key, String operator, String... values) {
        return new NodeSelectorRequirementBuilder()
                .withKey(key)
                .withOperator(operator)
                .withValues(values)
                .build();
    }

    static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
        return new NodeSelectorTermBuilder().withMatchExpressions(expressions).build();
    }

    static NodeSelectorTerm fieldTerm(NodeSelectorRequirement... fields) {
        return new NodeSelectorTermBuilder().withMatchFields(fields).build();
    }

    static Pod withRequiredAffinity(Pod pod, NodeSelectorTerm... terms) {
        return new PodBuilder(pod)
                .editSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(terms)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .endAffinity()
                .endSpec()
                .build();
    }

    static Decision schedule(Pod pod, List<Node> nodes, Pod... bound) {
        return Scheduler.schedule(pod, nodes, List.of(bound));
    }

    static String boundNode(Decision d) {
        if (d instanceof Decision.Bound) {
            return ((Decision.Bound) d).nodeName();
        }
        throw new AssertionError("expected Bound but was " + d);
    }

    static Decision.Unschedulable unschedulable(Decision d) {
        if (d instanceof Decision.Unschedulable) {
            return (Decision.Unschedulable) d;
        }
        throw new AssertionError("expected Unschedulable but was " + d);
    }

    static String message(Decision d) {
        return unschedulable(d).message();
    }

    /** The message for pods without claims when no lower-priority pod can be evicted anywhere. */
    static String noVictims(int nodes, String reasons) {
        return "0/" + nodes + " nodes are available: " + reasons + ". no new claims to deallocate, preemption: 0/"
                + nodes + " nodes are available: " + nodes + " No preemption victims found for incoming pod.";
    }

    /** The message when preemption can help on no node. */
    static String notHelpful(int nodes, String reasons) {
        return "0/" + nodes + " nodes are available: " + reasons + ". no new claims to deallocate, preemption: 0/"
                + nodes + " nodes are available: " + nodes + " Preemption is not helpful for scheduling.";
    }
}
