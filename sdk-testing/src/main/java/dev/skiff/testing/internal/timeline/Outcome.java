package dev.skiff.testing.internal.timeline;

import java.util.Locale;

/** How a pod's bar ends. */
public enum Outcome {
    /** Phase Succeeded. */
    SUCCEEDED,
    /** Phase Failed, for any reason but running out of memory. */
    FAILED,
    /** Phase Failed with a container terminated as {@code OOMKilled}. */
    OOMKILLED,
    /** Still bound and not finished when the picture was taken. */
    RUNNING,
    /** Removed before it finished. */
    DELETED,
    /** Never scheduled, and not gone, when the picture was taken. */
    PENDING;

    /** Returns the CSS class of the bar: the name in lower case. */
    public String cssClass() {
        return name().toLowerCase(Locale.ROOT);
    }
}
