package dev.skiff.core;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands {@link SkiffEvent}s to the configured listeners, shielding the client from their failures. */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final List<SkiffListener> listeners;

    Events(List<SkiffListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Whether anyone listens: when not, the client does no work to produce events. */
    boolean enabled() {
        return !listeners.isEmpty();
    }

    void emit(SkiffEvent event) {
        for (SkiffListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("a Skiff listener threw on {}", event.getClass().getSimpleName(), e);
            }
        }
    }
}
