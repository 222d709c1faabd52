package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gives every new namespace its {@code default} ServiceAccount, and empties a terminating
 * namespace before removing it, as the namespace and service-account controllers do.
 */
public final class NamespaceController implements Actor {
    private final ApiServer api;

    public NamespaceController(ApiServer api) {
        this.api = api;
    }

    @Override
    public void onChange(Change c) {
        if (c.resource() == ResourceTypes.NAMESPACES) {
            Namespace ns = (Namespace) c.object();
            if (c.type() == Change.Type.ADDED && ns.getMetadata().getDeletionTimestamp() == null) {
                ServiceAccount sa = new ServiceAccount();
                sa.setApiVersion("v1");
                sa.setKind("ServiceAccount");
                sa.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                        .withName("default")
                        .withNamespace(ns.getMetadata().getName())
                        .build());
                if (api.find(ResourceTypes.SERVICE_ACCOUNTS, ns.getMetadata().getName(), "default") == null) {
                    api.create(sa);
                }
            } else if (c.type() != Change.Type.DELETED && ns.getMetadata().getDeletionTimestamp() != null) {
                drain(ns.getMetadata().getName());
            }
        } else if (c.type() == Change.Type.DELETED && c.resource().namespaced()) {
            String name = c.object().getMetadata().getNamespace();
            HasMetadata ns = name == null ? null : api.find(ResourceTypes.NAMESPACES, null, name);
            if (ns != null && ns.getMetadata().getDeletionTimestamp() != null) {
                drain(name);
            }
        }
    }

    private void drain(String namespace) {
        boolean empty = true;
        for (ResourceType t : api.servedTypes()) {
            if (!t.namespaced()) {
                continue;
            }
            List<HasMetadata> items = new ArrayList<>(api.store().list(t, namespace, null));
            for (HasMetadata o : items) {
                empty = false;
                if (o.getMetadata().getDeletionTimestamp() == null) {
                    api.delete(
                            t, namespace, o.getMetadata().getName(), ApiServer.DeleteOptions.propagation("Background"));
                }
            }
        }
        if (empty || nothingLeft(namespace)) {
            HasMetadata ns = api.find(ResourceTypes.NAMESPACES, null, namespace);
            if (ns != null) {
                api.finalizeDeletion(ResourceTypes.NAMESPACES, ns);
            }
        } else {
            reportRemaining(namespace);
        }
    }

    /**
     * Writes the namespace controller's five deletion conditions: discovery, parsing and deletion
     * went well; whether content remains ({@code configmaps. has 1 resource instances}, by resource
     * and group), and which finalizers hold it.
     */
    private void reportRemaining(String namespace) {
        Map<String, Integer> resources = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        for (ResourceType t : api.servedTypes()) {
            if (!t.namespaced()) {
                continue;
            }
            for (HasMetadata o : api.store().list(t, namespace, null)) {
                resources.merge(t.plural() + "." + t.group(), 1, Integer::sum);
                if (o.getMetadata().getFinalizers() != null) {
                    for (String f : o.getMetadata().getFinalizers()) {
                        finalizers.merge(f, 1, Integer::sum);
                    }
                }
            }
        }
        Namespace ns = api.find(Namespace.class, null, namespace);
        if (ns == null) {
            return;
        }
        List<NamespaceCondition> conditions = new ArrayList<>();
        conditions.add(condition(
                ns,
                "NamespaceDeletionDiscoveryFailure",
                "False",
                "ResourcesDiscovered",
                "All resources successfully discovered"));
        conditions.add(condition(
                ns,
                "NamespaceDeletionGroupVersionParsingFailure",
                "False",
                "ParsedGroupVersions",
                "All legacy kube types successfully parsed"));
        conditions.add(condition(
                ns,
                "NamespaceDeletionContentFailure",
                "False",
                "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization"));
        conditions.add(
                resources.isEmpty()
                        ? condition(
                                ns,
                                "NamespaceContentRemaining",
                                "False",
                                "ContentRemoved",
                                "All content successfully removed")
                        : condition(
                                ns,
                                "NamespaceContentRemaining",
                                "True",
                                "SomeResourcesRemain",
                                "Some resources are remaining: " + counted(resources, " has ")));
        conditions.add(
                finalizers.isEmpty()
                        ? condition(
                                ns,
                                "NamespaceFinalizersRemaining",
                                "False",
                                "ContentHasNoFinalizers",
                                "All content-preserving finalizers finished")
                        : condition(
                                ns,
                                "NamespaceFinalizersRemaining",
                                "True",
                                "SomeFinalizersRemain",
                                "Some content in the namespace has finalizers remaining: "
                                        + counted(finalizers, " in ")));
        List<NamespaceCondition> old = ns.getStatus() == null || ns.getStatus().getConditions() == null
                ? List.of()
                : ns.getStatus().getConditions();
        if (old.equals(conditions)) {
            return;
        }
        Namespace copy = (Namespace) api.copy(ns);
        copy.getStatus().setConditions(conditions);
        api.updateStatus(copy);
    }

    private static String counted(Map<String, Integer> counts, String joiner) {
        List<String> parts = new ArrayList<>();
        counts.forEach((what, n) -> parts.add(what + joiner + n + " resource instances"));
        return String.join(", ", parts);
    }

    /** A condition, keeping the old transition time when the status did not change. */
    private NamespaceCondition condition(Namespace ns, String type, String status, String reason, String message) {
        String since =
                api.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        if (ns.getStatus() != null && ns.getStatus().getConditions() != null) {
            for (NamespaceCondition c : ns.getStatus().getConditions()) {
                if (c.getType().equals(type) && c.getStatus().equals(status)) {
                    since = c.getLastTransitionTime();
                }
            }
        }
        return new NamespaceConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(since)
                .build();
    }

    private boolean nothingLeft(String namespace) {
        for (ResourceType t : api.servedTypes()) {
            if (t.namespaced() && !api.store().list(t, namespace, null).isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
