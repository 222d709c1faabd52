package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/** Thrown when waiting for a workload took longer than allowed. */
public class AwaitTimeoutException extends SkiffException {
    private static final long serialVersionUID = 1L;

    private final transient @Nullable JobStatus lastStatus;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the workload
     * @param cause the underlying exception, or {@code null}
     */
    public AwaitTimeoutException(String message, @Nullable Throwable cause) {
        this(message, null, cause);
    }

    /**
     * Creates the exception with the last status seen.
     *
     * @param message what happened, naming the workload
     * @param lastStatus the workload's last known status, or {@code null}
     * @param cause the underlying exception, or {@code null}
     */
    public AwaitTimeoutException(String message, @Nullable JobStatus lastStatus, @Nullable Throwable cause) {
        super(lastStatus == null ? message : message + "; last status: " + lastStatus.summary(), cause);
        this.lastStatus = lastStatus;
    }

    /** Returns the workload's last known status, if one was seen. */
    public java.util.Optional<JobStatus> lastStatus() {
        return java.util.Optional.ofNullable(lastStatus);
    }
}
