package dev.skiff.testing.internal.http;

import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.Store;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the API server checks of a list's {@code resourceVersion} and {@code resourceVersionMatch}
 * before listing: the match needs a version; a version newer than the store's is {@code 504 Too
 * large resource version} (the real server answers so after waiting three seconds for it; here at
 * once, nothing else can write meanwhile); an {@code Exact} version the store has compacted is
 * {@code 410 Expired}.
 */
final class ListVersions {
    private ListVersions() {}

    static void check(Map<String, String> query, Store store) {
        String match = query.get("resourceVersionMatch");
        String rv = query.get("resourceVersion");
        boolean hasMatch = match != null && !match.isEmpty();
        if (hasMatch && (rv == null || rv.isEmpty())) {
            throw ApiException.of(status(
                    422,
                    "Invalid",
                    "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is"
                            + " forbidden unless resourceVersion is provided",
                    details(
                            "meta.k8s.io",
                            "ListOptions",
                            cause(
                                    "FieldValueForbidden",
                                    "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
                                    "resourceVersionMatch"))));
        }
        if (rv == null || rv.isEmpty() || rv.equals("0")) {
            return;
        }
        long version;
        try {
            version = Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return; // the list itself answers for a version it cannot read
        }
        long current = store.resourceVersion();
        if (version > current) {
            StatusDetails d = details(null, null, cause("ResourceVersionTooLarge", "Too large resource version", null));
            d.setRetryAfterSeconds(1);
            throw ApiException.of(status(
                    504, "Timeout", "Timeout: Too large resource version: " + version + ", current: " + current, d));
        }
        if ("Exact".equals(match) && version < current) {
            try {
                store.changesSince(version);
            } catch (ApiException e) {
                throw ApiException.gone("The resourceVersion for the provided list is too old.");
            }
        }
    }

    private static StatusCause cause(String reason, String message, @Nullable String field) {
        StatusCause c = new StatusCause();
        c.setReason(reason);
        c.setMessage(message);
        c.setField(field);
        return c;
    }

    private static StatusDetails details(@Nullable String group, @Nullable String kind, StatusCause cause) {
        StatusDetails d = new StatusDetails();
        d.setGroup(group);
        d.setKind(kind);
        d.setCauses(List.of(cause));
        return d;
    }

    private static Status status(int code, String reason, String message, StatusDetails details) {
        Status s = new Status();
        s.setApiVersion("v1");
        s.setKind("Status");
        s.setStatus("Failure");
        s.setMetadata(new ListMeta());
        s.setCode(code);
        s.setReason(reason);
        s.setMessage(message);
        s.setDetails(details);
        return s;
    }
}
