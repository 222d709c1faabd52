package dev.skiff.testing.internal.http;

import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The discovery documents: {@code /api}, {@code /apis}, and one resource list per group version. */
final class Discovery {
    private static final String VERBS =
            "[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]";

    /** The kinds {@code kubectl get all} lists, as on a real cluster. */
    private static final Set<ResourceType> ALL_CATEGORY = Set.of(
            ResourceTypes.PODS,
            ResourceTypes.SERVICES,
            ResourceTypes.DEPLOYMENTS,
            ResourceTypes.REPLICA_SETS,
            ResourceTypes.STATEFUL_SETS,
            ResourceTypes.JOBS,
            ResourceTypes.CRON_JOBS);

    private Discovery() {}

    static String apiVersions(String url) {
        String host = url.substring(url.indexOf("//") + 2);
        return "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\""
                + host + "\"}]}";
    }

    private static Map<String, List<String>> groups(Map<String, List<ResourceType>> served) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String gv : served.keySet()) {
            if (!gv.contains("/")) {
                continue;
            }
            String[] p = gv.split("/");
            groups.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
        }
        return groups;
    }

    static String apiGroupList(Map<String, List<ResourceType>> served) {
        StringBuilder sb = new StringBuilder("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[");
        boolean first = true;
        for (Map.Entry<String, List<String>> g : groups(served).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(group(g.getKey(), g.getValue()));
        }
        return sb.append("]}").toString();
    }

    static @Nullable String apiGroup(Map<String, List<ResourceType>> served, String group) {
        List<String> versions = groups(served).get(group);
        if (versions == null) {
            return null;
        }
        String g = group(group, versions);
        return "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\"," + g.substring(1);
    }

    private static String group(String name, List<String> versions) {
        StringBuilder sb = new StringBuilder("{\"name\":\"").append(name).append("\",\"versions\":[");
        for (int i = 0; i < versions.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"groupVersion\":\"")
                    .append(name)
                    .append('/')
                    .append(versions.get(i))
                    .append("\",\"version\":\"")
                    .append(versions.get(i))
                    .append("\"}");
        }
        String preferred = versions.get(0);
        return sb.append("],\"preferredVersion\":{\"groupVersion\":\"")
                .append(name)
                .append('/')
                .append(preferred)
                .append("\",\"version\":\"")
                .append(preferred)
                .append("\"}}")
                .toString();
    }

    static @Nullable String resourceListOrNull(Map<String, List<ResourceType>> served, String groupVersion) {
        return served.containsKey(groupVersion) ? resourceList(served, groupVersion) : null;
    }

    /** Lists the kinds of a group version; {@code served} holds every served kind by API version. */
    static String resourceList(Map<String, List<ResourceType>> served, String groupVersion) {
        StringBuilder sb = new StringBuilder("{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"")
                .append(groupVersion)
                .append("\",\"resources\":[");
        boolean first = true;
        for (ResourceType t : served.getOrDefault(groupVersion, List.of())) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"name\":\"")
                    .append(t.plural())
                    .append("\",\"singularName\":\"")
                    .append(t.singular())
                    .append("\",\"namespaced\":")
                    .append(t.namespaced())
                    .append(",\"kind\":\"")
                    .append(t.kind())
                    .append("\",\"verbs\":")
                    .append(VERBS);
            if (!t.shortNames().isEmpty()) {
                sb.append(",\"shortNames\":[");
                for (int i = 0; i < t.shortNames().size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append('"').append(t.shortNames().get(i)).append('"');
                }
                sb.append(']');
            }
            if (ALL_CATEGORY.contains(t)) {
                sb.append(",\"categories\":[\"all\"]");
            }
            sb.append('}');
            if (t.hasStatus()) {
                sb.append(",{\"name\":\"")
                        .append(t.plural())
                        .append("/status\",\"singularName\":\"\",\"namespaced\":")
                        .append(t.namespaced())
                        .append(",\"kind\":\"")
                        .append(t.kind())
                        .append("\",\"verbs\":[\"get\",\"patch\",\"update\"]}");
            }
            if (Scales.supports(t)) {
                sb.append(",{\"name\":\"")
                        .append(t.plural())
                        .append(
                                "/scale\",\"singularName\":\"\",\"namespaced\":true,\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\",\"verbs\":[\"get\",\"patch\",\"update\"]}");
            }
            if (t == ResourceTypes.PODS) {
                sb.append(
                        ",{\"name\":\"pods/log\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\"]}");
                sb.append(
                        ",{\"name\":\"pods/binding\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Binding\",\"verbs\":[\"create\"]}");
                sb.append(
                        ",{\"name\":\"pods/eviction\",\"singularName\":\"\",\"namespaced\":true,\"group\":\"policy\",\"version\":\"v1\",\"kind\":\"Eviction\",\"verbs\":[\"create\"]}");
            }
        }
        return sb.append("]}").toString();
    }
}
