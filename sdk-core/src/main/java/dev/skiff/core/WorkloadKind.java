package dev.skiff.core;

/** The shapes of AI work Skiff runs. */
public enum WorkloadKind {
    /** A run-to-completion {@link BatchJob}, rendered as a {@code batch/v1} Job. */
    BATCH_JOB("batch-job"),
    /** A long-running {@link InteractiveSession}, rendered as a StatefulSet or Deployment and a Service. */
    INTERACTIVE_SESSION("session"),
    /** A {@link ScheduledJob}, rendered as a {@code batch/v1} CronJob. */
    SCHEDULED_JOB("scheduled-job");

    private final String component;

    WorkloadKind(String component) {
        this.component = component;
    }

    /** Returns the value of the {@code app.kubernetes.io/component} label on rendered objects. */
    public String component() {
        return component;
    }
}
