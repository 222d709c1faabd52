package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/** Thrown when the API server refused or failed a request. */
public class SubmissionException extends SkiffException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the workload
     * @param cause the underlying exception, or {@code null}
     */
    public SubmissionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
