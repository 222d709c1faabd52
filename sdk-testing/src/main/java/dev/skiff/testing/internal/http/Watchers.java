package dev.skiff.testing.internal.http;

import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.EventsV1View;
import dev.skiff.testing.internal.api.FieldSelector;
import dev.skiff.testing.internal.api.LabelSelector;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** The open watches; the store calls {@link #dispatch} on the engine thread after each change. */
final class Watchers {
    /** One open watch: its filter and the queue its HTTP thread drains. */
    static final class Watch {
        final ResourceType type;
        final @Nullable String namespace;
        final LabelSelector labels;
        final FieldSelector fields;
        final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        volatile boolean closed;
        private final UnaryOperator<HasMetadata> copy;

        /** {@code copy} gives an object a metadata of its own, to be changed without changing the store's. */
        Watch(
                ResourceType type,
                @Nullable String namespace,
                LabelSelector labels,
                FieldSelector fields,
                UnaryOperator<HasMetadata> copy) {
            this.type = type;
            this.namespace = namespace;
            this.labels = labels;
            this.fields = fields;
            this.copy = copy;
        }

        boolean matches(@Nullable HasMetadata o) {
            if (o == null) {
                return false;
            }
            if (namespace != null && !namespace.equals(o.getMetadata().getNamespace())) {
                return false;
            }
            return labels.matches(o.getMetadata().getLabels()) && fields.matches(o);
        }

        /**
         * Filters a change as the API server's watch cache does: leaving the selector is a DELETED of
         * the object as it last matched.
         */
        void offer(Change c) {
            if (closed) {
                return;
            }
            if (type == ResourceTypes.EVENTS_V1 && c.resource() == ResourceTypes.EVENTS) {
                // events.k8s.io/v1 is a view of the core Events
                c = new Change(
                        c.resourceVersion(),
                        c.type(),
                        type,
                        EventsV1View.of(c.object()),
                        c.old() == null ? null : EventsV1View.of(c.old()));
            }
            if (c.resource() != type) {
                return;
            }
            boolean now = matches(c.object());
            boolean before = c.old() != null && matches(c.old());
            switch (c.type()) {
                case ADDED -> {
                    if (now) {
                        queue.add(new Event("ADDED", c.object()));
                    }
                }
                case MODIFIED -> {
                    if (now && before) {
                        queue.add(new Event("MODIFIED", c.object()));
                    } else if (now) {
                        queue.add(new Event("ADDED", c.object()));
                    } else if (before) {
                        // the object as it was while it matched, at the version it left
                        HasMetadata left = copy.apply(c.old());
                        left.getMetadata().setResourceVersion(Long.toString(c.resourceVersion()));
                        queue.add(new Event("DELETED", left));
                    }
                }
                case DELETED -> {
                    if (now || before) {
                        queue.add(new Event("DELETED", c.object()));
                    }
                }
            }
        }

        void close() {
            closed = true;
            queue.add(Event.CLOSE);
        }
    }

    /** A watch event to write; {@code object} is a HasMetadata or a Status. */
    record Event(String type, @Nullable Object object) {
        static final Event CLOSE = new Event("", null);
    }

    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    void add(Watch w) {
        watches.add(w);
    }

    void remove(Watch w) {
        watches.remove(w);
    }

    void dispatch(Change c) {
        for (Watch w : watches) {
            w.offer(c);
        }
    }

    /** Closes every watch whose kind matches (all when null); used by fault injection and close. */
    int closeAll(@Nullable ResourceType type) {
        int n = 0;
        for (Watch w : watches) {
            if (type == null || w.type == type) {
                w.close();
                watches.remove(w);
                n++;
            }
        }
        return n;
    }

    int size() {
        return watches.size();
    }
}
