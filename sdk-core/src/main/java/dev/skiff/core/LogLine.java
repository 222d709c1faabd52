package dev.skiff.core;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One line a job's container logged.
 *
 * @param pod the pod's name
 * @param index the pod's completion index, for an indexed job
 * @param container the container's name
 * @param text the line, without its line break
 */
public record LogLine(String pod, OptionalInt index, String container, String text) {
    /** Checks the arguments. */
    public LogLine {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(text, "text");
    }

    /** Returns the line prefixed by its source: {@code [3] text} for an index, else {@code [pod] text}. */
    public String prefixed() {
        return (index.isPresent() ? "[" + index.getAsInt() + "] " : "[" + pod + "] ") + text;
    }
}
