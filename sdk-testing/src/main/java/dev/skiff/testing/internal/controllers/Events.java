package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;

/** Records core/v1 Events the way controllers and the scheduler do. */
public final class Events {
    private Events() {}

    /**
     * Records an event about {@code involved}.
     *
     * @param type {@code Normal} or {@code Warning}
     * @param reason the machine-readable reason, such as {@code FailedScheduling}
     * @param message the human-readable message
     * @param component the reporting component, such as {@code job-controller}
     */
    public static void record(
            ApiServer api, HasMetadata involved, String type, String reason, String message, String component) {
        String ns = involved.getMetadata().getNamespace() == null
                ? "default"
                : involved.getMetadata().getNamespace();
        Event e = new Event();
        e.setApiVersion("v1");
        e.setKind("Event");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(involved.getMetadata().getName() + "."
                + Long.toHexString(
                        api.now().toEpochMilli() * 1_000_000L + api.random().nextInt(1_000_000)));
        meta.setNamespace(ns);
        e.setMetadata(meta);
        ObjectReference ref = new ObjectReference();
        ref.setApiVersion(involved.getApiVersion());
        ref.setKind(involved.getKind());
        ref.setName(involved.getMetadata().getName());
        ref.setNamespace(involved.getMetadata().getNamespace());
        ref.setUid(involved.getMetadata().getUid());
        ref.setResourceVersion(involved.getMetadata().getResourceVersion());
        e.setInvolvedObject(ref);
        e.setType(type);
        e.setReason(reason);
        e.setMessage(message);
        String now = ApiServer.timestamp(api.now());
        e.setFirstTimestamp(now);
        e.setLastTimestamp(now);
        e.setCount(1);
        EventSource source = new EventSource();
        source.setComponent(component);
        e.setSource(source);
        e.setReportingComponent(component);
        e.setReportingInstance(component);
        if (api.find(dev.skiff.testing.internal.api.ResourceTypes.NAMESPACES, null, ns) == null) {
            return;
        }
        api.create(e);
    }
}
