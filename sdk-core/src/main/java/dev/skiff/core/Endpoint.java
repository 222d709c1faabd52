package dev.skiff.core;

import java.util.List;
import java.util.Objects;

/**
 * Where an interactive session answers inside the cluster: its Service's DNS name and ports, and
 * for a StatefulSet each replica's own name.
 *
 * <pre>{@code
 * Endpoint e = session.endpoint();
 * String url = "http://" + e.host() + ":" + e.ports().get(0);  // notebook.ml.svc.cluster.local:8888
 * }</pre>
 *
 * @param host the Service's DNS name, {@code <name>.<namespace>.svc.cluster.local}
 * @param ports the Service's ports
 * @param replicaHosts for a StatefulSet, each replica's DNS name ({@code <name>-0.<name>.<namespace>.svc.cluster.local}); empty otherwise
 */
public record Endpoint(String host, List<Integer> ports, List<String> replicaHosts) {
    /** Checks and copies the arguments. */
    public Endpoint {
        Objects.requireNonNull(host, "host");
        ports = List.copyOf(ports);
        replicaHosts = List.copyOf(replicaHosts);
    }
}
