package dev.skiff.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a node, as read when {@link ClusterAssert#node(String)} was called.
 *
 * <pre>{@code
 * assertThat(cluster).node("gpu-1").isReady();
 * }</pre>
 */
public class NodeAssert extends AbstractAssert<NodeAssert, Node> {
    String displayName;

    /**
     * Creates assertions on {@code actual}; prefer {@link ClusterAssert#node(String)}.
     *
     * <pre>{@code
     * new NodeAssert(client.nodes().withName("node-1").get()).isReady();
     * }</pre>
     *
     * @param actual the node, may be null (every assertion then fails)
     */
    public NodeAssert(@Nullable Node actual) {
        super(actual, NodeAssert.class);
        this.displayName =
                actual == null ? "node" : "node " + actual.getMetadata().getName();
    }

    /**
     * Verifies the node's {@code Ready} condition is {@code True}.
     *
     * <pre>{@code
     * assertThat(cluster).node("node-1").isReady();
     * }</pre>
     *
     * @return this assertion
     */
    public NodeAssert isReady() {
        if (actual == null) {
            failWithMessage("Expecting %s to exist, but it does not", displayName);
        }
        List<NodeCondition> conditions =
                actual.getStatus() == null || actual.getStatus().getConditions() == null
                        ? List.of()
                        : actual.getStatus().getConditions();
        boolean ready = conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (!ready) {
            failWithMessage(
                    "Expecting %s to be ready (condition Ready=True), but its conditions were %s",
                    displayName,
                    conditions.stream()
                            .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ")")
                            .collect(Collectors.toList()));
        }
        return this;
    }
}
