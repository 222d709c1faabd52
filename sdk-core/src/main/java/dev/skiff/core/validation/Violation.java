package dev.skiff.core.validation;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One broken rule in a Kubernetes object: where, what value, and which rule.
 *
 * <p>Mirrors the API server's {@code field.Error}: {@link #field()} is the path the server
 * reports (such as {@code spec.template.spec.restartPolicy}), {@link #type()} its error type,
 * {@link #value()} the offending value as the server prints it (absent for {@code Required}),
 * and {@link #detail()} the rule. {@link #toString()} reads like the server's message:
 * {@code spec.parallelism: Invalid value: -1: must be greater than or equal to 0}.
 *
 * @param field the field path, as the API server names it
 * @param type the kind of error
 * @param value the bad value rendered as the API server renders it, or {@code null} when none
 * @param detail the rule that was broken; may be empty for {@code Required} and {@code Duplicate}
 */
public record Violation(String field, Type type, @Nullable String value, String detail) {

    /** The error types of the API server's {@code field.ErrorType}. */
    public enum Type {
        /** A required field is missing ({@code Required value}). */
        REQUIRED("Required value"),
        /** A value is malformed or out of range ({@code Invalid value}). */
        INVALID("Invalid value"),
        /** A value is not one of the supported ones ({@code Unsupported value}). */
        NOT_SUPPORTED("Unsupported value"),
        /** A value is set where it is not allowed ({@code Forbidden}). */
        FORBIDDEN("Forbidden"),
        /** A value is too long ({@code Too long}). */
        TOO_LONG("Too long"),
        /** A list has too many items ({@code Too many}). */
        TOO_MANY("Too many"),
        /** A value is duplicated ({@code Duplicate value}). */
        DUPLICATE("Duplicate value"),
        /** A referenced item does not exist, such as a volume mount naming no volume ({@code Not found}). */
        NOT_FOUND("Not found");

        private final String text;

        Type(String text) {
            this.text = text;
        }

        /** Returns the phrase the API server prints for this type, such as {@code Invalid value}. */
        public String text() {
            return text;
        }
    }

    /** Checks the arguments. */
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
    }

    /** Returns the bad value, if the violation has one. */
    public Optional<String> badValue() {
        return Optional.ofNullable(value);
    }

    /** A {@code Required value} violation. */
    public static Violation required(String field, String detail) {
        return new Violation(field, Type.REQUIRED, null, detail);
    }

    /** An {@code Invalid value} violation; {@code value} is quoted when it is a string. */
    public static Violation invalid(String field, @Nullable Object value, String detail) {
        return new Violation(field, Type.INVALID, render(value), detail);
    }

    /** An {@code Unsupported value} violation listing the supported values. */
    public static Violation notSupported(String field, @Nullable Object value, java.util.Collection<String> supported) {
        StringBuilder detail = new StringBuilder("supported values: ");
        int i = 0;
        for (String s : supported) {
            if (i++ > 0) {
                detail.append(", ");
            }
            detail.append('"').append(s).append('"');
        }
        return new Violation(field, Type.NOT_SUPPORTED, render(value), detail.toString());
    }

    /** A {@code Forbidden} violation. */
    public static Violation forbidden(String field, String detail) {
        return new Violation(field, Type.FORBIDDEN, null, detail);
    }

    /** A {@code Too long} violation. */
    public static Violation tooLong(String field, @Nullable Object value, int max) {
        return new Violation(field, Type.TOO_LONG, render(value), "may not be more than " + max + " bytes");
    }

    /** A {@code Duplicate value} violation. */
    public static Violation duplicate(String field, @Nullable Object value) {
        return new Violation(field, Type.DUPLICATE, render(value), "");
    }

    /** A {@code Too many} violation: a list has {@code actual} items where at most {@code max} are allowed. */
    public static Violation tooMany(String field, int actual, int max) {
        return new Violation(field, Type.TOO_MANY, String.valueOf(actual), "must have at most " + max + " items");
    }

    /** A {@code Not found} violation: {@code value} names something that does not exist. */
    public static Violation notFound(String field, @Nullable Object value) {
        return new Violation(field, Type.NOT_FOUND, render(value), "");
    }

    private static @Nullable String render(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence) {
            return "\"" + value + "\"";
        }
        return String.valueOf(value);
    }

    /** Returns the violation as the API server words it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(field).append(": ").append(type.text());
        if (value != null) {
            sb.append(": ").append(value);
        }
        if (!detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }
}
