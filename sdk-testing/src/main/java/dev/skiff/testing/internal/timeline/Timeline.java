package dev.skiff.testing.internal.timeline;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the recorder saw, frozen: the input of {@link TimelineHtml}. Times are epoch milliseconds of
 * the cluster's virtual clock.
 *
 * @param start when the first pod was created (when recording began, if no pod was or some were
 *     left out)
 * @param end when the picture was taken
 * @param nodes the nodes in the order they appeared
 * @param pods the pods in the order they were created
 * @param utilisation the steps of GPU use, oldest first
 * @param podsLeftOut how many of the oldest finished pods were forgotten to bound memory
 */
public record Timeline(
        long start,
        long end,
        List<Node> nodes,
        List<PodSpan> pods,
        List<UtilisationStep> utilisation,
        long podsLeftOut) {

    /**
     * A node.
     *
     * @param name its name
     * @param gpus how many GPU lanes it has: its GPUs, or more if pods were given higher indices
     */
    public record Node(String name, int gpus) {}

    /**
     * One pod's life.
     *
     * @param namespace its namespace
     * @param name its name
     * @param job the Job (or other controller) it belongs to, if any
     * @param node the node it was bound to, null if never
     * @param gpus the GPU indices it held on that node, ascending
     * @param created when it was created
     * @param bound when it was bound to a node, -1 if never
     * @param ended when it finished or went away, -1 if it had not
     * @param outcome how it ended, or what it was doing at the end
     */
    public record PodSpan(
            String namespace,
            String name,
            @Nullable String job,
            @Nullable String node,
            int[] gpus,
            long created,
            long bound,
            long ended,
            Outcome outcome) {}

    /**
     * From {@code at} on (until the next step), {@code inUse} of {@code total} GPUs were held.
     *
     * @param at when
     * @param inUse GPUs held by pods
     * @param total GPUs of the cluster's nodes
     */
    public record UtilisationStep(long at, int inUse, int total) {}
}
