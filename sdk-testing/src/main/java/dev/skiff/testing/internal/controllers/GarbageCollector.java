package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes dependents whose owners are gone (background propagation), deletes dependents before
 * their owner under foreground propagation, and strips owner references under orphan propagation,
 * as the garbage collector of kube-controller-manager does.
 */
public final class GarbageCollector implements Actor {
    private record Ref(ResourceType type, String namespace, String name) {}

    private final ApiServer api;
    /** owner uid → dependents. */
    private final Map<String, Set<Ref>> dependents = new HashMap<>();
    /** uid → ref, for every live object. */
    private final Map<String, Ref> live = new HashMap<>();

    public GarbageCollector(ApiServer api) {
        this.api = api;
    }

    @Override
    public void onChange(Change c) {
        HasMetadata o = c.object();
        String uid = o.getMetadata().getUid();
        Ref ref = new Ref(
                c.resource(),
                o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace(),
                o.getMetadata().getName());
        if (c.old() != null) {
            unindex(c.old(), ref);
        }
        if (c.type() == Change.Type.DELETED) {
            live.remove(uid);
            collectDependentsOf(uid);
            onDependentGone(o);
            return;
        }
        live.put(uid, ref);
        index(o, ref);
        // a dependent whose owner no longer exists is collected right away
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        if (owners != null && !owners.isEmpty() && o.getMetadata().getDeletionTimestamp() == null) {
            boolean anyAlive = false;
            for (OwnerReference r : owners) {
                if (live.containsKey(r.getUid())) {
                    anyAlive = true;
                    break;
                }
            }
            if (!anyAlive && c.type() == Change.Type.ADDED) {
                api.delete(
                        c.resource(), ref.namespace(), ref.name(), ApiServer.DeleteOptions.propagation("Background"));
                return;
            }
        }
        List<String> finalizers = o.getMetadata().getFinalizers();
        if (o.getMetadata().getDeletionTimestamp() != null && finalizers != null) {
            if (finalizers.contains("foregroundDeletion")) {
                foreground(c.resource(), o, ref);
            } else if (finalizers.contains("orphan")) {
                orphan(c.resource(), o);
            }
        }
    }

    private void index(HasMetadata o, Ref ref) {
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        if (owners != null) {
            for (OwnerReference r : owners) {
                dependents
                        .computeIfAbsent(r.getUid(), k -> new LinkedHashSet<>())
                        .add(ref);
            }
        }
    }

    private void unindex(HasMetadata o, Ref ref) {
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        if (owners != null) {
            for (OwnerReference r : owners) {
                Set<Ref> set = dependents.get(r.getUid());
                if (set != null) {
                    set.remove(ref);
                    if (set.isEmpty()) {
                        dependents.remove(r.getUid());
                    }
                }
            }
        }
    }

    private void collectDependentsOf(String ownerUid) {
        Set<Ref> deps = dependents.get(ownerUid);
        if (deps == null) {
            return;
        }
        for (Ref d : new ArrayList<>(deps)) {
            HasMetadata dep = api.find(d.type(), d.namespace(), d.name());
            if (dep == null || dep.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            boolean otherOwnerAlive = false;
            for (OwnerReference r : dep.getMetadata().getOwnerReferences()) {
                if (!r.getUid().equals(ownerUid) && live.containsKey(r.getUid())) {
                    otherOwnerAlive = true;
                    break;
                }
            }
            if (!otherOwnerAlive) {
                api.delete(d.type(), d.namespace(), d.name(), ApiServer.DeleteOptions.propagation("Background"));
            } else {
                // a dependent with a solid owner left keeps only the references to live owners
                HasMetadata copy = api.copy(dep);
                List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
                refs.removeIf(r -> !live.containsKey(r.getUid()));
                copy.getMetadata().setOwnerReferences(refs);
                api.update(d.type(), d.namespace(), d.name(), copy, false, ApiServer.WriteOptions.NONE);
            }
        }
    }

    private void foreground(ResourceType type, HasMetadata owner, Ref ref) {
        String uid = owner.getMetadata().getUid();
        Set<Ref> deps = dependents.get(uid);
        boolean blocking = false;
        if (deps != null) {
            for (Ref d : new ArrayList<>(deps)) {
                HasMetadata dep = api.find(d.type(), d.namespace(), d.name());
                if (dep == null) {
                    continue;
                }
                blocking = true;
                if (dep.getMetadata().getDeletionTimestamp() == null) {
                    api.delete(d.type(), d.namespace(), d.name(), ApiServer.DeleteOptions.propagation("Foreground"));
                }
            }
        }
        if (!blocking) {
            removeFinalizer(type, owner, "foregroundDeletion");
        }
    }

    private void orphan(ResourceType type, HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        Set<Ref> deps = dependents.get(uid);
        if (deps != null) {
            for (Ref d : new ArrayList<>(deps)) {
                HasMetadata dep = api.find(d.type(), d.namespace(), d.name());
                if (dep == null) {
                    continue;
                }
                HasMetadata copy = api.copy(dep);
                List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
                refs.removeIf(r -> uid.equals(r.getUid()));
                copy.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
                api.update(d.type(), d.namespace(), d.name(), copy, false, ApiServer.WriteOptions.NONE);
            }
        }
        removeFinalizer(type, owner, "orphan");
    }

    private void removeFinalizer(ResourceType type, HasMetadata owner, String finalizer) {
        HasMetadata current = api.find(
                type, owner.getMetadata().getNamespace(), owner.getMetadata().getName());
        if (current == null
                || current.getMetadata().getFinalizers() == null
                || !current.getMetadata().getFinalizers().contains(finalizer)) {
            return;
        }
        HasMetadata copy = api.copy(current);
        List<String> f = new ArrayList<>(copy.getMetadata().getFinalizers());
        f.remove(finalizer);
        copy.getMetadata().setFinalizers(f.isEmpty() ? null : f);
        api.update(
                type,
                copy.getMetadata().getNamespace(),
                copy.getMetadata().getName(),
                copy,
                false,
                ApiServer.WriteOptions.NONE);
    }

    /** Re-checks foreground owners when a dependent goes away. */
    public void onDependentGone(HasMetadata dependent) {
        List<OwnerReference> owners = dependent.getMetadata().getOwnerReferences();
        if (owners == null) {
            return;
        }
        for (OwnerReference r : owners) {
            Ref owner = live.get(r.getUid());
            if (owner == null) {
                continue;
            }
            HasMetadata o = api.find(owner.type(), owner.namespace(), owner.name());
            if (o != null
                    && o.getMetadata().getDeletionTimestamp() != null
                    && o.getMetadata().getFinalizers() != null
                    && o.getMetadata().getFinalizers().contains("foregroundDeletion")) {
                foreground(owner.type(), o, owner);
            }
        }
    }
}
