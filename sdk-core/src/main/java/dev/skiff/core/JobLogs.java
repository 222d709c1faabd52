package dev.skiff.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * The logs of a job's pods: choose what to read, then read a snapshot or follow. Each method
 * returns a new, narrower query; a query is immutable and can be reused.
 *
 * <pre>{@code
 * // the last 50 lines of index 2's previous (crashed) container
 * List<LogLine> lines = handle.logs().index(2).previous().tail(50).lines();
 *
 * // every pod, as it logs, until the job finishes
 * try (Subscription s = handle.logs().follow(line -> System.out.println(line.prefixed()))) {
 *     handle.await(Duration.ofHours(1));
 * }
 * }</pre>
 */
public interface JobLogs {
    /**
     * Only the pods of completion index {@code index} (of an indexed job).
     *
     * @param index the completion index
     * @return the narrower query
     */
    JobLogs index(int index);

    /**
     * Only the pod named {@code pod}.
     *
     * @param pod the pod's name
     * @return the narrower query
     */
    JobLogs pod(String pod);

    /**
     * Only the container named {@code container}; by default every container of each pod.
     *
     * @param container the container's name
     * @return the narrower query
     */
    JobLogs container(String container);

    /**
     * The previous instance of each container (the one before its last restart).
     *
     * @return the narrower query
     */
    JobLogs previous();

    /**
     * Only the last {@code lines} lines of each container.
     *
     * @param lines the number of lines, at least 0
     * @return the narrower query
     */
    JobLogs tail(int lines);

    /**
     * Reads what the selected containers have logged so far: for each index (or pod) its newest
     * pod, containers in pod order, lines in order.
     *
     * @return the lines
     */
    List<LogLine> lines();

    /**
     * Reads what the selected containers have logged so far as text, each line prefixed by its
     * index or pod when more than one pod is selected.
     *
     * @return the text, lines ending in {@code \n}
     */
    String text();

    /**
     * Follows the selected logs as they are written: waits for each container to start, and when
     * an index's pod fails and the Job controller replaces it, goes on with the new pod. Lines
     * reach {@code sink} on a Skiff thread, in order per container. Following ends when the job
     * has finished and every stream has ended, or when the subscription is closed.
     *
     * @param sink receives each line
     * @return a subscription that stops following
     */
    Subscription follow(Consumer<LogLine> sink);
}
