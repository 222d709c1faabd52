package dev.skiff.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A long-running, interactive workload run as replicas: a notebook, a debugging shell, a
 * TensorBoard, an inference endpoint under development.
 *
 * <p>Rendered as a StatefulSet when it asks for {@linkplain #perReplicaStorage() storage per
 * replica} (each replica keeps its own volume), otherwise as a Deployment; plus a Service for its
 * {@linkplain #ports() ports} (headless for a StatefulSet, so replica {@code i} is reachable as
 * {@code <name>-<i>.<name>}). A session with zero replicas is suspended: it holds no CPU or GPU but
 * keeps its volumes.
 *
 * <pre>{@code
 * InteractiveSession notebook = InteractiveSession.builder()
 *     .name("alice-notebook")
 *     .namespace("ml")
 *     .container(Container.of("quay.io/jupyter/pytorch-notebook:2024-10-07")
 *         .withResources(Resources.cpu("4").memory("32Gi")))
 *     .addPort(Port.of("http", 8888))
 *     .addPerReplicaStorage(PersistentStorage.of("home", "50Gi", "/home/jovyan"))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class InteractiveSession implements PodWorkload {
    InteractiveSession() {}

    /** Returns the session's name (a DNS label), also the name of its StatefulSet or Deployment and Service. */
    @Override
    @Value.Default
    public String name() {
        return "";
    }

    @Override
    public abstract Optional<String> namespace();

    /** Returns {@link WorkloadKind#INTERACTIVE_SESSION}. */
    @Override
    public final WorkloadKind kind() {
        return WorkloadKind.INTERACTIVE_SESSION;
    }

    /** Returns labels set on every object of the session and on its pods. */
    @Override
    public abstract Map<String, String> labels();

    /** Returns annotations set on the session's objects. */
    @Override
    public abstract Map<String, String> annotations();

    /** Returns annotations set on the pods. */
    @Override
    public abstract Map<String, String> podAnnotations();

    /** Returns the main containers; at least one. */
    @Override
    public abstract List<Container> containers();

    /** Returns the init containers. */
    @Override
    public abstract List<Container> initContainers();

    /** Returns the volumes shared by all containers of a pod. */
    @Override
    public abstract List<Volume> volumes();

    /** Returns how many replicas run; 1 by default, 0 to suspend. */
    @Value.Default
    public int replicas() {
        return 1;
    }

    /**
     * Returns the ports the session serves, exposed through its Service. Ports listed here that
     * no container declares are added to the first container.
     */
    public abstract List<Port> ports();

    /** Returns the volumes each replica gets for itself; non-empty makes the session a StatefulSet. */
    public abstract List<PersistentStorage> perReplicaStorage();

    /** Returns where the pods may run. */
    @Override
    @Value.Default
    public Placement placement() {
        return Placement.anywhere();
    }

    /** Returns the ServiceAccount the pods run as; the namespace's default if empty. */
    @Override
    public abstract Optional<String> serviceAccount();

    /** Returns the pod security defaults; {@link PodSecurity#RESTRICTED} by default. */
    @Override
    @Value.Default
    public PodSecurity podSecurity() {
        return PodSecurity.RESTRICTED;
    }

    /** Returns the traits that shape the rendered pods, in order. */
    @Override
    public abstract List<Trait> traits();

    /** Returns whether the session renders to a StatefulSet (it has per-replica storage). */
    public final boolean isStateful() {
        return !perReplicaStorage().isEmpty();
    }

    @Value.Check
    void check() {
        Renderer.checkSession(this);
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised from this session. */
    public Builder toBuilder() {
        return builder().from(this);
    }

    /** Builds {@link InteractiveSession}; {@code build()} validates and throws {@link InvalidWorkloadException}. */
    public static final class Builder extends ImmutableInteractiveSession.Builder {
        Builder() {}

        /**
         * Adds a main container; same as {@code addContainer}.
         *
         * @param container the container
         * @return this builder
         */
        public Builder container(Container container) {
            addContainer(container);
            return this;
        }
    }
}
