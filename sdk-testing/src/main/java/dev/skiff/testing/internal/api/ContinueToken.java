package dev.skiff.testing.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque {@code continue} token of a paginated list: the last key returned and the list's version. */
final class ContinueToken {
    /** The version of a token offered with a 410: continuing it gives an inconsistent list. */
    static final long INCONSISTENT = -1;

    private ContinueToken() {}

    static String encode(String lastKey, long resourceVersion) {
        String raw = "{\"v\":\"meta.k8s.io/v1\",\"rv\":" + resourceVersion + ",\"start\":\"" + lastKey + "\\u0000\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the last key of the previous page; 410 when the token's version has been compacted. */
    static String decode(String token, Store store) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
        }
        int rvAt = raw.indexOf("\"rv\":");
        int startAt = raw.indexOf("\"start\":\"");
        if (rvAt < 0 || startAt < 0) {
            throw ApiException.badRequest(
                    "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
        long rv = Long.parseLong(raw.substring(rvAt + 5, raw.indexOf(',', rvAt)).trim());
        String start = raw.substring(startAt + 9);
        int end = start.indexOf("\\u0000");
        String lastKey = end >= 0 ? start.substring(0, end) : start.substring(0, start.lastIndexOf('"'));
        if (rv == INCONSISTENT) {
            return lastKey; // the caller accepted a list that is not a consistent snapshot
        }
        try {
            store.changesSince(rv);
        } catch (ApiException e) {
            ApiException gone =
                    ApiException.gone("The provided continue parameter is too old to display a consistent list result. "
                            + "You can start a new list without the continue parameter, or use the continue token in this "
                            + "response to retrieve the remainder of the results. Continuing with the provided token results "
                            + "in an inconsistent list - objects that were created, modified, or deleted between the time "
                            + "the first chunk was returned and now may show up in the list.");
            // as the API server does: a token that goes on from the same key, at no version in particular
            gone.status().getMetadata().setContinue(encode(lastKey, INCONSISTENT));
            throw gone;
        }
        return lastKey;
    }
}
