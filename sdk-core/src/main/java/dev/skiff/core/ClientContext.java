package dev.skiff.core;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What the handles of one {@link Skiff} share: the client, the resilient calls, the tracker and threads. */
final class ClientContext implements AutoCloseable {
    /** Threads for short reads: enough to overlap requests, few enough that a burst of failures cannot spawn thousands. */
    private static final int WORKERS = 8;

    final KubernetesClient client;
    final SkiffConfig config;
    final ApiCalls calls;
    /** Where {@link SkiffEvent}s go. */
    final Events events;
    /** The jobs ({@code namespace/name}) whose life is being reported to {@link #events}, each once. */
    final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    final JobTracker tracker;
    /** Timers: stuck-job checks, idle informer stops. */
    final ScheduledExecutorService timers;
    /** Listener calls, in order. */
    final ExecutorService callbacks;
    /** Short reads that follow an event (pod failures, diagnoses, first reads); bounded. */
    final ExecutorService workers;
    /** Long-lived blocking reads: followed log streams, one thread each. */
    final ExecutorService streams;

    ClientContext(KubernetesClient client, SkiffConfig config) {
        this.client = client;
        this.config = config;
        this.events = new Events(config.listeners());
        this.calls = new ApiCalls(config, String.valueOf(client.getMasterUrl()), events);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, threads("skiff-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
        this.callbacks = Executors.newSingleThreadExecutor(threads("skiff-listener"));
        ThreadPoolExecutor w = new ThreadPoolExecutor(
                WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("skiff-worker"));
        w.allowCoreThreadTimeOut(true);
        this.workers = w;
        this.streams = Executors.newCachedThreadPool(threads("skiff-log"));
        this.tracker = new JobTracker(client, timers, config.followIdleTimeout());
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Turns a failed request into Skiff's exception: {@link NotFoundException} for {@code 404}, else
     * a {@link SubmissionException} with the status code.
     */
    static SkiffException translate(String what, RuntimeException e) {
        if (e instanceof SkiffException s) {
            return s;
        }
        if (e instanceof KubernetesClientException k) {
            if (k.getCode() == 404) {
                return new NotFoundException(what + ": not found", k);
            }
            return failure(what + " failed: ", k);
        }
        return new SubmissionException(what + " failed: " + e, e);
    }

    /** A {@link SubmissionException} of {@code prefix}, the HTTP status if there was one, and the server's message. */
    static SubmissionException failure(String prefix, KubernetesClientException k) {
        String detail = k.getStatus() != null && k.getStatus().getMessage() != null
                ? k.getStatus().getMessage()
                : k.getMessage();
        return new SubmissionException(
                prefix + (k.getCode() > 0 ? "HTTP " + k.getCode() + ": " : "") + detail,
                Math.max(0, k.getCode()), // fabric8 says -1 when no answer came
                k);
    }

    @Override
    public void close() {
        tracker.close();
        timers.shutdownNow();
        callbacks.shutdown();
        workers.shutdownNow();
        streams.shutdownNow();
        try {
            callbacks.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
