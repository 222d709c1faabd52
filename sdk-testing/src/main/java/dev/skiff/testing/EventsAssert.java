package dev.skiff.testing;

import io.fabric8.kubernetes.api.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on Kubernetes events, as read when {@link ClusterAssert#events(String)} was
 * called; every list assertion of AssertJ works too.
 *
 * <pre>{@code
 * assertThat(cluster).events("default").hasEventWithReason("FailedScheduling", "Insufficient nvidia.com/gpu");
 * }</pre>
 *
 * <p>Failure messages list the events found as {@code reason: message (kind/name)}.
 */
public class EventsAssert extends AbstractListAssert<EventsAssert, List<? extends Event>, Event, ObjectAssert<Event>> {
    String displayName = "events";

    /**
     * Creates assertions on {@code actual}; prefer {@link ClusterAssert#events(String)}.
     *
     * <pre>{@code
     * new EventsAssert(client.v1().events().inNamespace("default").list().getItems()).hasEventWithReason("Scheduled");
     * }</pre>
     *
     * @param actual the events
     */
    public EventsAssert(@Nullable List<? extends Event> actual) {
        super(actual, EventsAssert.class);
    }

    /**
     * Verifies there is an event with the reason {@code reason}, such as {@code FailedScheduling}.
     *
     * <pre>{@code
     * assertThat(cluster).events("default").hasEventWithReason("FailedScheduling");
     * }</pre>
     *
     * @param reason the expected reason
     * @return this assertion
     */
    public EventsAssert hasEventWithReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        isNotNull();
        if (actual.stream().noneMatch(e -> reason.equals(e.getReason()))) {
            failWithMessage(
                    "Expecting %s to contain an event with reason %s, but found %s", displayName, reason, list());
        }
        return this;
    }

    /**
     * Verifies there is an event with the reason {@code reason} whose message contains {@code
     * messagePart}.
     *
     * <pre>{@code
     * assertThat(cluster).events("default").hasEventWithReason("FailedScheduling", "Insufficient nvidia.com/gpu");
     * }</pre>
     *
     * @param reason the expected reason
     * @param messagePart text the message contains
     * @return this assertion
     */
    public EventsAssert hasEventWithReason(String reason, String messagePart) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(messagePart, "messagePart");
        isNotNull();
        if (actual.stream()
                .noneMatch(e -> reason.equals(e.getReason())
                        && e.getMessage() != null
                        && e.getMessage().contains(messagePart))) {
            failWithMessage(
                    "Expecting %s to contain an event with reason %s and a message containing \"%s\", but found %s",
                    displayName, reason, messagePart, list());
        }
        return this;
    }

    /**
     * Verifies there is an event whose message contains {@code messagePart}.
     *
     * <pre>{@code
     * assertThat(cluster).events("default").hasEventWithMessageContaining("nodes are available");
     * }</pre>
     *
     * @param messagePart text the message contains
     * @return this assertion
     */
    public EventsAssert hasEventWithMessageContaining(String messagePart) {
        Objects.requireNonNull(messagePart, "messagePart");
        isNotNull();
        if (actual.stream()
                .noneMatch(e -> e.getMessage() != null && e.getMessage().contains(messagePart))) {
            failWithMessage(
                    "Expecting %s to contain an event with a message containing \"%s\", but found %s",
                    displayName, messagePart, list());
        }
        return this;
    }

    private List<String> list() {
        return actual.stream()
                .map(e -> e.getReason() + ": " + e.getMessage() + " ("
                        + (e.getInvolvedObject() == null
                                ? "?"
                                : e.getInvolvedObject().getKind() + "/"
                                        + e.getInvolvedObject().getName())
                        + ")")
                .collect(Collectors.toList());
    }

    /**
     * Creates the assertion that element navigation returns.
     *
     * <pre>{@code
     * assertThat(cluster).events("default").first().isNotNull();
     * }</pre>
     */
    @Override
    protected ObjectAssert<Event> toAssert(Event value, String description) {
        return new ObjectAssert<>(value).as(description);
    }

    /**
     * Creates a list assertion of the same type on other events, for AssertJ's filters.
     *
     * <pre>{@code
     * assertThat(cluster).events("default").filteredOn(e -> "Warning".equals(e.getType())).hasEventWithReason("FailedScheduling");
     * }</pre>
     */
    @Override
    protected EventsAssert newAbstractIterableAssert(Iterable<? extends Event> iterable) {
        List<Event> events = new ArrayList<>();
        iterable.forEach(events::add);
        EventsAssert copy = new EventsAssert(events);
        copy.displayName = displayName;
        return copy;
    }
}
