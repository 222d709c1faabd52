package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.ArrayList;
import java.util.List;

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
        }
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
