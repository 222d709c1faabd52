package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * {@code events.k8s.io/v1} Events are a second view of the core {@code v1} Events, as in a real
 * API server (one storage, two versions): this converts between the two.
 */
final class EventsV1 {
    private EventsV1() {}

    static io.fabric8.kubernetes.api.model.events.v1.Event toV1(Event e) {
        var v = new io.fabric8.kubernetes.api.model.events.v1.Event();
        v.setApiVersion("events.k8s.io/v1");
        v.setMetadata(new ObjectMetaBuilder(e.getMetadata()).build());
        v.setRegarding(e.getInvolvedObject());
        v.setRelated(e.getRelated());
        v.setReason(e.getReason());
        v.setNote(e.getMessage());
        v.setType(e.getType());
        v.setAction(e.getAction() != null ? e.getAction() : e.getReason());
        String time = e.getEventTime() != null && e.getEventTime().getTime() != null
                ? e.getEventTime().getTime()
                : e.getFirstTimestamp() != null ? microTime(e.getFirstTimestamp()) : null;
        if (time != null) {
            v.setEventTime(new MicroTime(time));
        }
        v.setReportingController(
                e.getReportingComponent() != null
                        ? e.getReportingComponent()
                        : e.getSource() == null ? null : e.getSource().getComponent());
        v.setReportingInstance(e.getReportingInstance());
        v.setDeprecatedSource(e.getSource());
        v.setDeprecatedFirstTimestamp(e.getFirstTimestamp());
        v.setDeprecatedLastTimestamp(e.getLastTimestamp());
        v.setDeprecatedCount(e.getCount());
        return v;
    }

    static Event toCore(io.fabric8.kubernetes.api.model.events.v1.Event v) {
        Event e = new Event();
        e.setApiVersion("v1");
        e.setMetadata(
                v.getMetadata() == null
                        ? new io.fabric8.kubernetes.api.model.ObjectMeta()
                        : new ObjectMetaBuilder(v.getMetadata()).build());
        e.setInvolvedObject(v.getRegarding());
        e.setRelated(v.getRelated());
        e.setReason(v.getReason());
        e.setMessage(v.getNote());
        e.setType(v.getType());
        e.setAction(v.getAction());
        e.setEventTime(v.getEventTime());
        e.setReportingComponent(v.getReportingController());
        e.setReportingInstance(v.getReportingInstance());
        if (v.getDeprecatedSource() != null) {
            e.setSource(v.getDeprecatedSource());
        } else if (v.getReportingController() != null) {
            EventSource s = new EventSource();
            s.setComponent(v.getReportingController());
            e.setSource(s);
        }
        e.setFirstTimestamp(v.getDeprecatedFirstTimestamp());
        e.setLastTimestamp(v.getDeprecatedLastTimestamp());
        e.setCount(v.getDeprecatedCount());
        return e;
    }

    static HasMetadata view(ResourceType type, HasMetadata stored) {
        return type == ResourceTypes.EVENTS_V1 && stored instanceof Event e ? toV1(e) : stored;
    }

    private static String microTime(String rfc3339) {
        return rfc3339.endsWith("Z") && !rfc3339.contains(".") ? rfc3339.replace("Z", ".000000Z") : rfc3339;
    }
}
