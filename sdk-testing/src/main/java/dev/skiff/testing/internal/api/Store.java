package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The versioned object store: per kind, objects keyed by {@code namespace/name} in key order (as
 * etcd lists them), a global resourceVersion, and a bounded log of changes for watches that resume
 * from a version. Objects in the store are never mutated: a write replaces the instance.
 *
 * <p>Not thread-safe: only the engine thread touches it.
 */
public final class Store {
    private final Map<ResourceType, TreeMap<String, HasMetadata>> data = new HashMap<>();
    private final ArrayDeque<Change> log = new ArrayDeque<>();
    private final int logCapacity;
    private final List<Consumer<Change>> listeners = new ArrayList<>();
    private long resourceVersion = 1;
    /** Every change up to this version has left the log (or never was in it). */
    private long compactedThrough = 1;

    public Store(int logCapacity) {
        this.logCapacity = logCapacity;
        for (ResourceType t : ResourceTypes.all()) {
            data.put(t, new TreeMap<>());
        }
    }

    /** The objects of a kind; custom kinds get theirs on first use. */
    private TreeMap<String, HasMetadata> bucket(ResourceType type) {
        return data.computeIfAbsent(type, t -> new TreeMap<>());
    }

    /** Returns the current resourceVersion. */
    public long resourceVersion() {
        return resourceVersion;
    }

    /** Reserves the next resourceVersion for a write. */
    public long nextVersion() {
        return ++resourceVersion;
    }

    /** Registers a listener called after every committed change, on the engine thread. */
    public void addListener(Consumer<Change> listener) {
        listeners.add(listener);
    }

    public static String key(@Nullable String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public @Nullable HasMetadata get(ResourceType type, @Nullable String namespace, String name) {
        return bucket(type).get(key(type.namespaced() ? namespace : null, name));
    }

    /**
     * Returns the objects of a kind, in key order, from {@code afterKey} (exclusive) on; a null
     * namespace lists all namespaces.
     */
    public Collection<HasMetadata> list(ResourceType type, @Nullable String namespace, @Nullable String afterKey) {
        NavigableMap<String, HasMetadata> map = bucket(type);
        if (type.namespaced() && namespace != null && !namespace.isEmpty()) {
            map = map.subMap(namespace + "/", true, namespace + "0", false);
        }
        if (afterKey != null) {
            map = map.tailMap(afterKey, false);
        }
        return map.values();
    }

    /** Returns how many objects of a kind are stored. */
    public int count(ResourceType type) {
        return bucket(type).size();
    }

    /** Stores {@code object} (its resourceVersion already set to {@code version}) and records the change. */
    public Change put(ResourceType type, HasMetadata object, long version) {
        String k = key(
                type.namespaced() ? object.getMetadata().getNamespace() : null,
                object.getMetadata().getName());
        HasMetadata old = bucket(type).put(k, object);
        return record(new Change(version, old == null ? Change.Type.ADDED : Change.Type.MODIFIED, type, object, old));
    }

    /** Removes an object; {@code last} is its final state (with the deletion's resourceVersion). */
    public Change remove(ResourceType type, HasMetadata last, long version) {
        String k = key(
                type.namespaced() ? last.getMetadata().getNamespace() : null,
                last.getMetadata().getName());
        HasMetadata old = bucket(type).remove(k);
        return record(new Change(version, Change.Type.DELETED, type, last, old));
    }

    private Change record(Change change) {
        log.addLast(change);
        while (log.size() > logCapacity) {
            Change dropped = log.removeFirst();
            compactedThrough = dropped.resourceVersion();
        }
        for (Consumer<Change> l : listeners) {
            l.accept(change);
        }
        return change;
    }

    /** Forgets the change log, so that every watch resuming from an older version gets 410 Gone. */
    public void compact() {
        log.clear();
        compactedThrough = resourceVersion;
    }

    /**
     * Returns the changes after {@code version}, oldest first.
     *
     * @throws ApiException 410 when changes after that version have already left the log
     */
    public List<Change> changesSince(long version) {
        if (version < compactedThrough) {
            throw ApiException.gone("too old resource version: " + version + " (" + (compactedThrough + 1) + ")");
        }
        List<Change> out = new ArrayList<>();
        Iterator<Change> it = log.descendingIterator();
        while (it.hasNext()) {
            Change c = it.next();
            if (c.resourceVersion() <= version) {
                break;
            }
            out.add(c);
        }
        java.util.Collections.reverse(out);
        return out;
    }
}
