package dev.skiff.core;

import java.util.Optional;

/** A workload Skiff can render and run: a {@link BatchJob}, {@link InteractiveSession} or {@link ScheduledJob}. */
public interface Workload {
    /** Returns the workload's name, which is also the name of its main Kubernetes object. */
    String name();

    /** Returns the namespace; the client's default namespace is used when empty. */
    Optional<String> namespace();

    /** Returns the shape of the workload. */
    WorkloadKind kind();
}
