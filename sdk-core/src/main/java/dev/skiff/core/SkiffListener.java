package dev.skiff.core;

/**
 * Receives the {@link SkiffEvent}s of a {@link Skiff} client: register one with {@link
 * SkiffConfig.Builder#addListener(SkiffListener)}. This is how Skiff reports on itself without
 * depending on a metrics library; {@link MicrometerMetrics#bind} is one listener, for Micrometer.
 *
 * <pre>{@code
 * SkiffConfig config = SkiffConfig.builder()
 *     .addListener(event -> {
 *         if (event instanceof SkiffEvent.Refused r) {
 *             alerts.send(r.namespace() + "/" + r.name() + " was refused: " + r.reason());
 *         }
 *     })
 *     .build();
 * }</pre>
 *
 * <h2>Threads</h2>
 * Events are delivered synchronously, on the thread that caused them: the submitting thread for
 * submissions, refusals and retries, the client's watch threads for the job's life. A listener
 * must therefore be thread-safe and quick, and must not block or call back into the client. An
 * exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface SkiffListener {
    /**
     * Called for every event.
     *
     * @param event the event
     */
    void onEvent(SkiffEvent event);
}
