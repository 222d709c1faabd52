package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/** Thrown when waiting for a workload took longer than allowed. */
public class AwaitTimeoutException extends SkiffException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the workload
     * @param cause the underlying exception, or {@code null}
     */
    public AwaitTimeoutException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
