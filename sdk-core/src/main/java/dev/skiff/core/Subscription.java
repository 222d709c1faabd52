package dev.skiff.core;

/**
 * Stops a {@link JobHandle#watch watch} or a followed log stream. Closing twice does nothing.
 *
 * <pre>{@code
 * try (Subscription s = handle.watch(status -> System.out.println(status.summary()))) {
 *     handle.await(Duration.ofHours(1));
 * }
 * }</pre>
 */
public interface Subscription extends AutoCloseable {
    /** Stops delivering; never throws. */
    @Override
    void close();
}
