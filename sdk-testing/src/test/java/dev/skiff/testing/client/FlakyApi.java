package dev.skiff.testing.client;

import dev.skiff.testing.FaultRule;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A mix of the failures an API server under stress shows, injected on a share of requests: {@code
 * 429} with {@code Retry-After}, {@code 500}, {@code 503}, dropped connections, and {@code 500} /
 * {@code 503} after the write was committed.
 */
final class FlakyApi {
    private FlakyApi() {}

    /**
     * Injects the mix on {@code verb} requests for {@code resource} ({@code "*"} for any); each
     * rule draws its share of the requests the rules before it let pass, so about 29% fail in all.
     */
    static void inject(InMemoryCluster cluster, String verb, String resource) {
        FaultRule on = FaultRule.on(verb, resource);
        cluster.injectFault(on.respond(429).retryAfter(Duration.ofSeconds(1)).probability(0.05));
        cluster.injectFault(on.respond(500).probability(0.07));
        cluster.injectFault(on.respond(503).probability(0.07));
        cluster.injectFault(on.dropConnection().probability(0.06));
        cluster.injectFault(on.respond(500).afterCommit().probability(0.04));
        cluster.injectFault(on.respond(503).afterCommit().probability(0.04));
    }

    /** The requests answered so far that {@code which} selects, counted by status (0: dropped). */
    static Map<Integer, Long> statuses(InMemoryCluster cluster, Predicate<RecordedRequest> which) {
        Map<Integer, Long> counts = new TreeMap<>();
        List<RecordedRequest> requests = cluster.requests();
        for (RecordedRequest r : requests) {
            if (which.test(r)) {
                counts.merge(r.status(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Selects the requests with {@code verb} on paths containing {@code pathPart}. */
    static Predicate<RecordedRequest> requests(String verb, String pathPart) {
        return r -> r.verb().equals(verb) && r.path().contains(pathPart);
    }
}
