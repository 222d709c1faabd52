package dev.skiff.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a pod, as read when the {@link ClusterAssert} navigation was called.
 *
 * <pre>{@code
 * assertThat(cluster).podsOf("default", "train").singleElement().hasSucceeded().isScheduledOn("gpu-1");
 * }</pre>
 *
 * <p>Failure messages give the pod's phase, node and conditions.
 */
public class PodAssert extends AbstractAssert<PodAssert, Pod> {
    String displayName;
    String whenMissing = "";

    /**
     * Creates assertions on {@code actual}; prefer {@link ClusterAssert#pods(String)}.
     *
     * <pre>{@code
     * new PodAssert(client.pods().withName("train-0-abcde").get()).isRunning();
     * }</pre>
     *
     * @param actual the pod, may be null (every assertion then fails)
     */
    public PodAssert(@Nullable Pod actual) {
        super(actual, PodAssert.class);
        this.displayName = actual == null
                ? "pod"
                : "pod " + actual.getMetadata().getNamespace() + "/"
                        + actual.getMetadata().getName();
    }

    /**
     * Verifies the pod's phase is {@code Running}.
     *
     * <pre>{@code
     * assertThat(cluster).pods("default").singleElement().isRunning();
     * }</pre>
     *
     * @return this assertion
     */
    public PodAssert isRunning() {
        return hasPhase("Running");
    }

    /**
     * Verifies the pod's phase is {@code Succeeded}.
     *
     * <pre>{@code
     * assertThat(cluster).pods("default").singleElement().hasSucceeded();
     * }</pre>
     *
     * @return this assertion
     */
    public PodAssert hasSucceeded() {
        return hasPhase("Succeeded");
    }

    /**
     * Verifies the pod's phase is {@code Failed}.
     *
     * <pre>{@code
     * assertThat(cluster).podsOf("default", "crash").singleElement().hasFailed();
     * }</pre>
     *
     * @return this assertion
     */
    public PodAssert hasFailed() {
        return hasPhase("Failed");
    }

    /**
     * Verifies the pod was bound to the node {@code node}.
     *
     * <pre>{@code
     * assertThat(cluster).podsOf("default", "train").singleElement().isScheduledOn("gpu-1");
     * }</pre>
     *
     * @param node the node's name
     * @return this assertion
     */
    public PodAssert isScheduledOn(String node) {
        Objects.requireNonNull(node, "node");
        Pod pod = pod();
        String actualNode = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (!node.equals(actualNode)) {
            failWithMessage("Expecting %s to be scheduled on node %s, but found %s", displayName, node, describe(pod));
        }
        return this;
    }

    /**
     * Verifies the pod is {@code Pending} and its {@code PodScheduled} condition is {@code False}
     * with a message containing {@code messagePart}, such as {@code Insufficient nvidia.com/gpu}.
     *
     * <pre>{@code
     * assertThat(cluster).pods("default").singleElement().isPendingWith("Insufficient nvidia.com/gpu");
     * }</pre>
     *
     * @param messagePart text the scheduler's message contains
     * @return this assertion
     */
    public PodAssert isPendingWith(String messagePart) {
        Objects.requireNonNull(messagePart, "messagePart");
        Pod pod = pod();
        boolean match = "Pending".equals(phase(pod))
                && conditions(pod).stream()
                        .anyMatch(c -> "PodScheduled".equals(c.getType())
                                && "False".equals(c.getStatus())
                                && c.getMessage() != null
                                && c.getMessage().contains(messagePart));
        if (!match) {
            failWithMessage(
                    "Expecting %s to be Pending with a PodScheduled=False message containing \"%s\", but found %s",
                    displayName, messagePart, describe(pod));
        }
        return this;
    }

    private PodAssert hasPhase(String phase) {
        Pod pod = pod();
        if (!phase.equals(phase(pod))) {
            failWithMessage("Expecting %s to be in phase %s, but found %s", displayName, phase, describe(pod));
        }
        return this;
    }

    private Pod pod() {
        if (actual == null) {
            failWithMessage("Expecting %s to exist, but it does not%s", displayName, whenMissing);
        }
        return actual;
    }

    private static @Nullable String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static List<PodCondition> conditions(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? List.of()
                : pod.getStatus().getConditions();
    }

    static String describe(Pod pod) {
        String node =
                Optional.ofNullable(pod.getSpec()).map(s -> s.getNodeName()).orElse("<none>");
        return "phase " + phase(pod) + ", node " + node + ", conditions "
                + conditions(pod).stream()
                        .map(c -> c.getType() + "=" + c.getStatus()
                                + (c.getMessage() == null || c.getMessage().isEmpty()
                                        ? ""
                                        : " (" + c.getReason() + ": " + c.getMessage() + ")"))
                        .collect(Collectors.joining(", ", "[", "]"));
    }
}
