package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.api.RootCa;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;

/**
 * The root-CA publisher of the controller manager: every namespace that is not terminating holds
 * ConfigMap {@code kube-root-ca.crt} with the cluster's CA certificate; it is created with the
 * namespace (and for every namespace there already), made again when deleted, and put back when
 * its certificate is changed.
 */
public final class RootCaPublisher implements Actor {
    private final ApiServer api;

    public RootCaPublisher(ApiServer api) {
        this.api = api;
    }

    @Override
    public void onChange(Change c) {
        if (c.resource() == ResourceTypes.NAMESPACES && c.type() != Change.Type.DELETED) {
            sync(c.object().getMetadata().getName());
        } else if (c.resource() == ResourceTypes.CONFIG_MAPS
                && c.type() != Change.Type.ADDED
                && RootCa.CONFIG_MAP.equals(c.object().getMetadata().getName())) {
            sync(c.object().getMetadata().getNamespace());
        }
    }

    private void sync(String namespace) {
        Namespace ns = api.find(Namespace.class, null, namespace);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        ConfigMap cm = api.find(ConfigMap.class, namespace, RootCa.CONFIG_MAP);
        if (cm == null) {
            api.create(RootCa.configMap(namespace));
        } else if (!RootCa.isCurrent(cm)) {
            ConfigMap next = (ConfigMap) api.copy(cm);
            RootCa.fill(next);
            api.update(next);
        }
    }
}
