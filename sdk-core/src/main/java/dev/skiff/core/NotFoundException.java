package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/** Thrown when a workload does not exist. */
public class NotFoundException extends SkiffException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the workload
     * @param cause the underlying exception, or {@code null}
     */
    public NotFoundException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
