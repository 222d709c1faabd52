package dev.skiff.core;

import io.fabric8.kubernetes.client.LocalPortForward;
import java.time.Duration;
import java.util.List;

/**
 * An interactive session submitted to a cluster: a StatefulSet (or Deployment) and its Service.
 * Wait for it to be ready, find its endpoint, scale it, suspend it to free its GPUs and resume it,
 * roll out a new image, read its logs and events, and delete it with everything it owns.
 *
 * <pre>{@code
 * SessionHandle notebook = skiff.submit(session);
 * notebook.awaitReady(Duration.ofMinutes(10));
 * System.out.println(notebook.endpoint().host());
 * notebook.suspend();   // replicas to zero, volumes kept, GPUs freed
 * notebook.resume();
 * }</pre>
 */
public interface SessionHandle {
    /** Returns the session's name. */
    String name();

    /** Returns the session's namespace. */
    String namespace();

    /**
     * Returns the session's replicas as the controller last reported them.
     *
     * @return the status
     * @throws NotFoundException if the session does not exist
     */
    SessionStatus status();

    /**
     * Waits until every replica runs the current template and is ready.
     *
     * @param timeout the longest time to wait
     * @return the status once ready
     * @throws AwaitTimeoutException if not ready within {@code timeout}; its message carries the
     *     {@link #diagnose() diagnosis} (unschedulable, image pull, missing Secret, ...)
     * @throws NotFoundException if the session does not exist
     */
    SessionStatus awaitReady(Duration timeout);

    /**
     * Says why the session's replicas are not ready, or that they are.
     *
     * @return the diagnosis
     */
    Diagnosis diagnose();

    /**
     * Returns where the session answers inside the cluster.
     *
     * @return the endpoint
     */
    Endpoint endpoint();

    /**
     * Forwards {@code localPort} on this machine to {@code remotePort} of the session's first
     * ready pod (a real cluster only; the in-memory cluster runs no containers). One forwarding
     * connection is opened and closed first, so a server that cannot forward fails this call rather
     * than the first client of the local port.
     *
     * @param localPort the local port, or 0 for any free one
     * @param remotePort the container port
     * @return the forward; close it when done
     * @throws SkiffException if no pod is ready or the API server does not forward the port
     */
    LocalPortForward portForward(int localPort, int remotePort);

    /**
     * Sets the number of replicas.
     *
     * @param replicas the replicas, 0 or more
     */
    void scale(int replicas);

    /**
     * Scales the session to zero, remembering its replicas: pods go, volumes and the Service
     * stay, GPUs are freed. Suspending a suspended session does nothing.
     */
    void suspend();

    /** Restores the replicas a {@link #suspend()} remembered. Resuming a running session does nothing. */
    void resume();

    /**
     * Rolls the session onto a new spec (image, resources, environment): the controller replaces
     * the pods as it does for any template change; follow it with {@link #status()} or {@link
     * #awaitReady}.
     *
     * @param session the new spec, with the same name and kind of storage
     */
    void update(InteractiveSession session);

    /**
     * Returns a query over the logs of the session's pods.
     *
     * @return the query
     */
    JobLogs logs();

    /**
     * Returns the events about the session's workload and its pods, oldest first.
     *
     * @return the events
     */
    List<WorkloadEvent> events();

    /** Deletes the session: its workload, pods and Service (per-replica claims stay, as Kubernetes keeps them). */
    void delete();
}
