package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/** Thrown when the API server refused or failed a request. */
public class SubmissionException extends SkiffException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the workload
     * @param cause the underlying exception, or {@code null}
     */
    public SubmissionException(String message, @Nullable Throwable cause) {
        this(message, 0, cause);
    }

    /**
     * Creates the exception with the HTTP status of the answer.
     *
     * @param message what happened, naming the workload
     * @param statusCode the HTTP status code, or 0 if there was no answer
     * @param cause the underlying exception, or {@code null}
     */
    public SubmissionException(String message, int statusCode, @Nullable Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /** Returns the HTTP status code of the API server's answer, or 0 if there was none. */
    public int statusCode() {
        return statusCode;
    }
}
