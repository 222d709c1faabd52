package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.QuotaUsage;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.engine.Engine;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The resource-quota controller: keeps each quota's {@code status.hard} equal to its spec and
 * {@code status.used} equal to what the namespace's objects are charged. A change in a namespace
 * with quotas recounts that namespace once, after the changes of the current step.
 */
public final class ResourceQuotaController implements Actor {
    private final ApiServer api;
    private final Engine engine;
    private final Set<String> pending = new HashSet<>();

    public ResourceQuotaController(ApiServer api, Engine engine) {
        this.api = api;
        this.engine = engine;
    }

    @Override
    public void onChange(Change c) {
        String ns = c.object().getMetadata().getNamespace();
        if (ns == null || !c.resource().namespaced() || c.resource() == ResourceTypes.EVENTS) {
            return;
        }
        if (c.resource() == ResourceTypes.RESOURCE_QUOTAS && c.type() == Change.Type.MODIFIED) {
            ResourceQuota q = (ResourceQuota) c.object();
            ResourceQuota before = (ResourceQuota) c.old();
            if (before != null && Objects.equals(q.getSpec(), before.getSpec())) {
                return; // a status write: the controller's own, or admission charging a new object
            }
        }
        if (api.store().list(ResourceTypes.RESOURCE_QUOTAS, ns, null).isEmpty() || !pending.add(ns)) {
            return;
        }
        engine.defer(() -> {
            pending.remove(ns);
            sync(ns);
        });
    }

    private void sync(String ns) {
        List<ResourceQuota> quotas = api.list(ResourceQuota.class, ns);
        for (ResourceQuota q : quotas) {
            if (q.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            ResourceQuotaStatus status = QuotaUsage.status(api, q);
            if (!status.equals(q.getStatus())) {
                ResourceQuota next = (ResourceQuota) api.copy(q);
                next.setStatus(status);
                api.updateStatus(next);
            }
        }
    }
}
