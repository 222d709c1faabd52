package dev.skiff.core.internal.validation;

import org.jspecify.annotations.Nullable;

/**
 * A field path such as {@code spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]},
 * built as a chain of cheap nodes and only turned into a string when a violation is reported.
 */
public final class Path {
    private static final int CHILD = 0;
    private static final int INDEX = 1;
    private static final int KEY = 2;

    private final @Nullable Path parent;
    private final int kind;
    private final String name;
    private final int index;

    private Path(@Nullable Path parent, int kind, String name, int index) {
        this.parent = parent;
        this.kind = kind;
        this.name = name;
        this.index = index;
    }

    /** Starts a path at a top-level field such as {@code metadata} or {@code spec}. */
    public static Path root(String name) {
        return new Path(null, CHILD, name, 0);
    }

    /**
     * The path the server reports for an error about the whole object, such as a ConfigMap over 1
     * MiB: Go prints its {@code field.NewPath("")} as {@code []}.
     */
    public static Path wholeObject() {
        return new Path(null, KEY, "", 0);
    }

    /** Returns the path of a named child field. */
    public Path child(String field) {
        return new Path(this, CHILD, field, 0);
    }

    /** Returns the path of nested named fields, such as {@code child("template", "spec")}. */
    public Path child(String first, String... more) {
        Path p = child(first);
        for (String m : more) {
            p = p.child(m);
        }
        return p;
    }

    /** Returns the path of a list element: {@code containers[2]}. */
    public Path index(int i) {
        return new Path(this, INDEX, "", i);
    }

    /** Returns the path of a map entry: {@code limits[nvidia.com/gpu]}. */
    public Path key(String key) {
        return new Path(this, KEY, key, 0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        append(sb);
        return sb.toString();
    }

    private void append(StringBuilder sb) {
        if (parent != null) {
            parent.append(sb);
        }
        switch (kind) {
            case INDEX -> sb.append('[').append(index).append(']');
            case KEY -> sb.append('[').append(name).append(']');
            default -> {
                if (parent != null) {
                    sb.append('.');
                }
                sb.append(name);
            }
        }
    }
}
