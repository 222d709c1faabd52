package dev.skiff.testing;

import java.time.Instant;

/**
 * A request the {@link InMemoryCluster}'s API server answered, for tests that check what a client
 * sent.
 *
 * @param verb the API verb, such as {@code create}, {@code list} or {@code watch}
 * @param method the HTTP method
 * @param path the request path
 * @param status the HTTP status answered (0 when the connection was dropped)
 * @param at the wall-clock time of the answer
 */
public record RecordedRequest(String verb, String method, String path, int status, Instant at) {}
