package dev.skiff.core;

/**
 * Thrown before sending a workload that uses a field the connected API server is too old for; a
 * server that does not know a field silently drops it, so the workload would not run as written.
 */
public class ServerVersionException extends SkiffException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String requiredVersion;
    private final String serverVersion;

    /**
     * Creates the exception.
     *
     * @param workload the workload's kind and name, such as {@code Job ml/train}
     * @param field the field path, such as {@code spec.successPolicy}
     * @param requiredVersion the oldest Kubernetes version that serves it, such as {@code 1.31}
     * @param serverVersion the server's version, such as {@code 1.29}
     */
    public ServerVersionException(String workload, String field, String requiredVersion, String serverVersion) {
        super(
                workload + " uses " + field + ", which needs Kubernetes " + requiredVersion
                        + " or newer; the API server is version " + serverVersion + " and would drop it",
                null);
        this.field = field;
        this.requiredVersion = requiredVersion;
        this.serverVersion = serverVersion;
    }

    /** Returns the field path. */
    public String field() {
        return field;
    }

    /** Returns the oldest Kubernetes version that serves the field. */
    public String requiredVersion() {
        return requiredVersion;
    }

    /** Returns the server's version. */
    public String serverVersion() {
        return serverVersion;
    }
}
