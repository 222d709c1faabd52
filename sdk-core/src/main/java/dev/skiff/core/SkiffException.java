package dev.skiff.core;

import org.jspecify.annotations.Nullable;

/**
 * The root of every unchecked exception Skiff throws.
 *
 * <p>Subclasses carry structured details (violations, HTTP codes, names) so callers can react
 * without parsing messages. When Skiff wraps an exception from the Kubernetes client, that
 * exception is the {@linkplain #getCause() cause}, never the declared type.
 */
public class SkiffException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming the object and the rule
     */
    public SkiffException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, naming the object and the rule
     * @param cause the underlying exception, or {@code null}
     */
    public SkiffException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
