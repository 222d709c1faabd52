package dev.skiff.testing.internal.api.podsecurity;

/**
 * A level at a policy version: {@code restricted:latest} or {@code baseline:v1.29}. The version is
 * a minor version of Kubernetes 1, or {@link #LATEST}.
 */
record LevelVersion(Level level, int minor) {
    /** The version {@code latest}, newer than every numbered one. */
    static final int LATEST = Integer.MAX_VALUE;

    static final LevelVersion PRIVILEGED_LATEST = new LevelVersion(Level.PRIVILEGED, LATEST);

    /** The version as written in a label and in messages: {@code latest} or {@code v1.29}. */
    String version() {
        return minor == LATEST ? "latest" : "v1." + minor;
    }

    @Override
    public String toString() {
        return level + ":" + version();
    }
}
