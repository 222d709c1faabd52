package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at once, without a request, while the API server is considered down: too many recent
 * calls failed (see {@link CircuitBreakerPolicy}). Calls go through again by themselves once the
 * server answers.
 */
public class ClusterUnavailableException extends SkiffException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and when calls resume
     * @param cause the underlying exception, or {@code null}
     */
    public ClusterUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
