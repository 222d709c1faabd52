package dev.skiff.testing.internal.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Store;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Events are correlated as client-go's recorder does it. */
class EventsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final ApiServer api = new ApiServer(new Store(100), now::get, new Random(1), new KubernetesSerialization());

    private List<Event> events() {
        return api.list(Event.class, "default");
    }

    @Test
    void anIdenticalEventCountsOnTheFirstOneAndDifferentMessagesStayApart() {
        api.create(new NamespaceBuilder()
                .withNewMetadata()
                .withName("default")
                .endMetadata()
                .build());
        HasMetadata cm = api.create(new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("default")
                .endMetadata()
                .build());

        Events.record(api, cm, "Warning", "Broken", "the same text", "test-controller");
        now.set(now.get().plusSeconds(30));
        Events.record(api, cm, "Warning", "Broken", "the same text", "test-controller");
        now.set(now.get().plusSeconds(30));
        Events.record(api, cm, "Warning", "Broken", "the same text", "test-controller");

        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(3);
            assertThat(e.getFirstTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(e.getLastTimestamp()).isEqualTo("2026-01-01T00:01:00Z");
        });

        // another message, reason or component is another event
        Events.record(api, cm, "Warning", "Broken", "another text", "test-controller");
        Events.record(api, cm, "Warning", "Fixed", "the same text", "test-controller");
        Events.record(api, cm, "Warning", "Broken", "the same text", "another-controller");
        assertThat(events()).hasSize(4);

        // an event deleted meanwhile is recorded afresh
        Event first =
                events().stream().filter(e -> e.getCount() == 3).findFirst().orElseThrow();
        api.delete(
                dev.skiff.testing.internal.api.ResourceTypes.EVENTS,
                "default",
                first.getMetadata().getName(),
                ApiServer.DeleteOptions.now());
        Events.record(api, cm, "Warning", "Broken", "the same text", "test-controller");
        assertThat(events())
                .filteredOn(e -> e.getMessage().equals("the same text")
                        && e.getReason().equals("Broken")
                        && e.getSource().getComponent().equals("test-controller"))
                .singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    }
}
