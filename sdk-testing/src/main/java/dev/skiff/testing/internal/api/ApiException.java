package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An API error answered as a {@code Status} object, with the reason a real API server gives. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;

    private ApiException(Status status) {
        super(status.getMessage(), null, false, false);
        this.status = status;
    }

    /** Returns the {@code Status} to send. */
    public Status status() {
        return status;
    }

    /** Returns the HTTP status code. */
    public int code() {
        return status.getCode();
    }

    /** Returns the reason, such as {@code NotFound}. */
    public String reason() {
        return status.getReason();
    }

    static ApiException of(
            int code,
            String reason,
            String message,
            @Nullable ResourceType type,
            @Nullable String name,
            List<StatusCause> causes) {
        Status s = new Status();
        s.setApiVersion("v1");
        s.setKind("Status");
        s.setStatus("Failure");
        s.setCode(code);
        s.setReason(reason);
        s.setMessage(message);
        s.setMetadata(new io.fabric8.kubernetes.api.model.ListMeta());
        if (type != null || name != null || !causes.isEmpty()) {
            StatusDetails d = new StatusDetails();
            if (type != null) {
                d.setGroup(type.group().isEmpty() ? null : type.group());
                d.setKind(type.plural());
            }
            d.setName(name);
            if (!causes.isEmpty()) {
                d.setCauses(new ArrayList<>(causes));
            }
            s.setDetails(d);
        }
        return new ApiException(s);
    }

    /** {@code 404 NotFound}: {@code jobs.batch "x" not found}. */
    public static ApiException notFound(ResourceType type, String name) {
        return of(404, "NotFound", type + " \"" + name + "\" not found", type, name, List.of());
    }

    /** {@code 409 AlreadyExists}. */
    public static ApiException alreadyExists(ResourceType type, String name) {
        return of(409, "AlreadyExists", type + " \"" + name + "\" already exists", type, name, List.of());
    }

    /** {@code 409 Conflict} for a stale resourceVersion. */
    public static ApiException conflict(ResourceType type, String name) {
        return of(
                409,
                "Conflict",
                "Operation cannot be fulfilled on " + type + " \"" + name
                        + "\": the object has been modified; please apply your changes to the latest version and try again",
                type,
                name,
                List.of());
    }

    /** {@code 409 Conflict} with a custom message. */
    public static ApiException conflict(ResourceType type, String name, String message) {
        return of(409, "Conflict", message, type, name, List.of());
    }

    /** {@code 422 Invalid} with one cause per violation, worded like the API server. */
    public static ApiException invalid(
            ResourceType type, String name, List<dev.skiff.core.validation.Violation> violations) {
        List<StatusCause> causes = new ArrayList<>();
        StringBuilder msg = new StringBuilder(type.kind());
        if (!type.group().isEmpty()) {
            msg.append('.').append(type.group());
        }
        msg.append(" \"").append(name).append("\" is invalid: ");
        // Every violation is a cause; the message lists identical ones once (Go's ToAggregate).
        Set<String> texts = new LinkedHashSet<>();
        for (var v : violations) {
            String text = v.toString();
            texts.add(text);
            StatusCause c = new StatusCause();
            c.setField(v.field());
            c.setReason(causeReason(v.type()));
            c.setMessage(text.substring(Math.min(text.length(), v.field().length() + 2)));
            causes.add(c);
        }
        if (texts.size() > 1) {
            msg.append('[').append(String.join(", ", texts)).append(']');
        } else {
            msg.append(String.join("", texts));
        }
        ApiException e = of(422, "Invalid", msg.toString(), type, name, causes);
        // unlike the other answers, an Invalid names the kind, not the resource
        e.status.getDetails().setKind(type.kind());
        return e;
    }

    private static String causeReason(dev.skiff.core.validation.Violation.Type t) {
        return switch (t) {
            case REQUIRED -> "FieldValueRequired";
            case INVALID -> "FieldValueInvalid";
            case NOT_SUPPORTED -> "FieldValueNotSupported";
            case FORBIDDEN -> "FieldValueForbidden";
            case TOO_LONG -> "FieldValueTooLong";
            case TOO_MANY -> "FieldValueTooMany";
            case DUPLICATE -> "FieldValueDuplicate";
            case NOT_FOUND -> "FieldValueNotFound";
        };
    }

    /** Wraps an already built {@code Status}. */
    public static ApiException of(Status status) {
        return new ApiException(status);
    }

    /** {@code 400 BadRequest}. */
    public static ApiException badRequest(String message) {
        return of(400, "BadRequest", message, null, null, List.of());
    }

    /** {@code 403 Forbidden}: such as creating in a namespace that is terminating, or exceeding a quota. */
    public static ApiException forbidden(ResourceType type, String name, String message) {
        return of(403, "Forbidden", message, type, name, List.of());
    }

    /** {@code 405 MethodNotAllowed}. */
    public static ApiException methodNotAllowed(String message) {
        return of(405, "MethodNotAllowed", message, null, null, List.of());
    }

    /** {@code 410 Expired}: a watch or continue token too old. */
    public static ApiException gone(String message) {
        return of(410, "Expired", message, null, null, List.of());
    }

    /** {@code 404 NotFound} for a path that serves nothing. */
    public static ApiException noSuchPath(String path) {
        return of(404, "NotFound", "the server could not find the requested resource", null, null, List.of());
    }

    /** {@code 415 UnsupportedMediaType}. */
    public static ApiException unsupportedMediaType(String type) {
        return of(
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                null,
                null,
                List.of());
    }
}
