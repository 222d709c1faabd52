package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.ApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Records core/v1 Events the way controllers and the scheduler do, with client-go's correlation:
 * an event identical to one already recorded (same source, object, type, reason and message)
 * increments that event's {@code count} and moves its {@code lastTimestamp} instead of adding
 * another.
 */
public final class Events {
    /** The last events recorded per server, by correlation key; as client-go's LRU cache of 4,096. */
    private static final Map<ApiServer, Map<String, String>> RECORDED = new WeakHashMap<>();

    private static final int CACHE_SIZE = 4096;

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
        String key = String.join(
                "\u0000",
                component,
                String.valueOf(involved.getKind()),
                ns,
                involved.getMetadata().getName(),
                String.valueOf(involved.getMetadata().getUid()),
                type,
                reason,
                message);
        Map<String, String> recorded;
        synchronized (RECORDED) {
            recorded = RECORDED.computeIfAbsent(api, a -> new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > CACHE_SIZE;
                }
            });
        }
        synchronized (recorded) {
            String seen = recorded.get(key);
            Event earlier = seen == null ? null : api.find(Event.class, ns, seen);
            if (earlier != null) {
                Event again = (Event) api.copy(earlier);
                again.setCount((earlier.getCount() == null ? 1 : earlier.getCount()) + 1);
                again.setLastTimestamp(ApiServer.timestamp(api.now()));
                api.update(again);
                return;
            }
            String name = create(api, involved, ns, type, reason, message, component);
            if (name != null) {
                recorded.put(key, name);
            }
        }
    }

    private static @Nullable String create(
            ApiServer api,
            HasMetadata involved,
            String ns,
            String type,
            String reason,
            String message,
            String component) {
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
            return null;
        }
        api.create(e);
        return meta.getName();
    }
}
