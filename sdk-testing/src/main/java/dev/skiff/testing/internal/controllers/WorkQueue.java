package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.engine.Engine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A controller's work queue: keys ({@code namespace/name}) marked dirty while changes are being
 * delivered are reconciled once each, in the order first marked, before the engine settles.
 */
final class WorkQueue {
    private final Engine engine;
    private final Consumer<String> reconcile;
    private final Set<String> dirty = new LinkedHashSet<>();
    private boolean flushQueued;

    WorkQueue(Engine engine, Consumer<String> reconcile) {
        this.engine = engine;
        this.reconcile = reconcile;
    }

    void add(String key) {
        dirty.add(key);
        if (!flushQueued) {
            flushQueued = true;
            engine.defer(this::flush);
        }
    }

    /** Marks {@code key} dirty at virtual time {@code at}. */
    void addAt(java.time.Instant at, String key) {
        engine.schedule(at, () -> add(key));
    }

    private void flush() {
        flushQueued = false;
        List<String> keys = new ArrayList<>(dirty);
        dirty.clear();
        for (String key : keys) {
            reconcile.accept(key);
        }
    }
}
