package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The {@code events.k8s.io/v1} view of a stored core Event, for watches. */
public final class EventsV1View {
    private EventsV1View() {}

    /** Returns the v1 view of a core Event; other objects unchanged. */
    public static HasMetadata of(HasMetadata stored) {
        return EventsV1.view(ResourceTypes.EVENTS_V1, stored);
    }
}
