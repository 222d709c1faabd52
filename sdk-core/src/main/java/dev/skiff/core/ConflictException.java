package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/** Thrown when a workload of the same name exists with a different spec. */
public class ConflictException extends SkiffException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the workload
     * @param cause the underlying exception, or {@code null}
     */
    public ConflictException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
