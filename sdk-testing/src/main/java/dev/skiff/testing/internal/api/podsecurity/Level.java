package dev.skiff.testing.internal.api.podsecurity;

import java.util.Locale;

/** A level of the Pod Security Standards, from the least to the most strict. */
enum Level {
    PRIVILEGED,
    BASELINE,
    RESTRICTED;

    /** The value of a namespace label, such as {@code restricted}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
