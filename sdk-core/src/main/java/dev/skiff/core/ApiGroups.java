package dev.skiff.core;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional APIs the cluster serves, asked once per {@link Skiff}: an object that a trait adds
 * for an optional integration (a Prometheus Operator PodMonitor) is left out of a submission when
 * the cluster does not serve its kind, instead of failing the submission.
 *
 * <p>An answer is remembered for the life of the Skiff; a failed discovery request is not, so the
 * next submission asks again.
 */
final class ApiGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGroups.class);

    /** The kinds of optional integrations, by API version. */
    private static final Map<String, Set<String>> OPTIONAL =
            Map.of(Metrics.POD_MONITOR_API_VERSION, Set.of(Metrics.POD_MONITOR_KIND));

    private final ClientContext ctx;
    /** The kinds each asked-about API version serves (empty when the cluster does not serve it). */
    private final Map<String, Set<String>> served = new ConcurrentHashMap<>();

    ApiGroups(ClientContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Returns the rendered objects without those of optional kinds the cluster does not serve; the
     * main object (the first) is always kept.
     */
    List<HasMetadata> withoutUnserved(List<HasMetadata> objects) {
        List<HasMetadata> out = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            HasMetadata o = objects.get(i);
            Set<String> kinds = OPTIONAL.get(o.getApiVersion());
            if (i > 0 && kinds != null && kinds.contains(o.getKind()) && !serves(o.getApiVersion(), o.getKind())) {
                LOG.debug(
                        "the cluster does not serve {} {}; {} is not created",
                        o.getApiVersion(),
                        o.getKind(),
                        o.getMetadata().getName());
                continue;
            }
            out.add(o);
        }
        return out;
    }

    /** Returns whether the cluster serves {@code kind} in {@code apiVersion}, asking once. */
    boolean serves(String apiVersion, String kind) {
        Set<String> kinds = served.get(apiVersion);
        if (kinds == null) {
            try {
                kinds = discover(apiVersion);
            } catch (RuntimeException e) {
                LOG.debug("could not discover {}: {}", apiVersion, e.toString());
                return false;
            }
            served.put(apiVersion, kinds);
        }
        return kinds.contains(kind);
    }

    private Set<String> discover(String apiVersion) {
        APIResourceList list;
        try {
            list = ctx.calls.call("discover " + apiVersion, () -> ctx.client.getApiResources(apiVersion));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Set.of();
            }
            throw e;
        }
        if (list == null || list.getResources() == null) {
            return Set.of();
        }
        Set<String> kinds = ConcurrentHashMap.newKeySet();
        for (APIResource r : list.getResources()) {
            if (r.getName() != null && !r.getName().contains("/")) {
                kinds.add(r.getKind());
            }
        }
        return kinds;
    }
}
