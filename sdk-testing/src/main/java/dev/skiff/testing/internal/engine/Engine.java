package dev.skiff.testing.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread runs the whole cluster: it takes requests, delivers their changes to the actors until
 * nothing changes (quiescence), and fires timers in virtual-time order. Every run with the same
 * inputs and seed gives the same history.
 *
 * <p>Other threads only {@link #call} into it and wait for the answer.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private record Timer(Instant at, long seq, Runnable action) {}

    private final ExecutorService thread;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> {
        int c = a.at().compareTo(b.at());
        return c != 0 ? c : Long.compare(a.seq(), b.seq());
    });
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private volatile Instant now;
    private long timerSeq;
    private volatile Thread engineThread;
    private volatile boolean closed;

    public Engine(Instant start) {
        this.now = start;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "skiff-cluster");
            t.setDaemon(true);
            engineThread = t;
            return t;
        });
    }

    /** Returns the virtual time. Safe from any thread. */
    public Instant now() {
        return now;
    }

    /** Returns whether the caller is the engine thread. */
    public boolean onEngineThread() {
        return Thread.currentThread() == engineThread;
    }

    /**
     * Runs {@code task} on the engine thread, then runs the cluster to quiescence, and returns the
     * task's result. From the engine thread itself the task runs inline.
     */
    public <T> T call(Callable<T> task) {
        if (onEngineThread()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (closed) {
            throw new IllegalStateException("the in-memory cluster is closed");
        }
        Future<T> f = thread.submit(() -> {
            T result = task.call();
            drain();
            return result;
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the in-memory cluster", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Runs {@code task} on the engine thread without waiting. */
    public CompletableFuture<Void> post(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the in-memory cluster is closed"));
            return done;
        }
        thread.execute(() -> {
            try {
                task.run();
                drain();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                LOG.warn("engine task failed", e);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Queues work to run before the current step ends (actors reacting to a change). Engine thread only. */
    public void defer(Runnable work) {
        pending.addLast(work);
    }

    /** Schedules {@code action} at virtual time {@code at}. Engine thread only. */
    public void schedule(Instant at, Runnable action) {
        timers.add(new Timer(at.isBefore(now) ? now : at, timerSeq++, action));
    }

    /** Schedules {@code action} after {@code delay} of virtual time. Engine thread only. */
    public void scheduleAfter(Duration delay, Runnable action) {
        schedule(now.plus(delay), action);
    }

    /** Returns the time of the next timer, if any. Engine thread only. */
    public java.util.Optional<Instant> nextTimer() {
        Timer t = timers.peek();
        return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.at());
    }

    private void drain() {
        int guard = 0;
        Runnable r;
        while ((r = pending.pollFirst()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a controller's failure never reaches the request that triggered it; like a real
                // controller, it is logged and the work is retried on the next change
                LOG.warn("a controller of the in-memory cluster failed: {}", e.toString(), e);
            }
            if (++guard > 50_000_000) {
                throw new IllegalStateException("the in-memory cluster did not settle: an actor keeps changing state");
            }
        }
    }

    /**
     * Moves virtual time forward by {@code duration}, firing every timer due on the way in order,
     * settling after each. Engine thread only (use {@link #call}).
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, but was " + duration);
        }
        Instant target = now.plus(duration);
        fireUntil(target);
        now = target;
    }

    /** Fires the timers due at or before {@code target}; engine thread only. */
    public void fireUntil(Instant target) {
        drain();
        Timer t;
        while ((t = timers.peek()) != null && !t.at().isAfter(target)) {
            timers.poll();
            if (t.at().isAfter(now)) {
                now = t.at();
            }
            try {
                t.action().run();
            } catch (RuntimeException e) {
                LOG.warn("a timer of the in-memory cluster failed: {}", e.toString(), e);
            }
            drain();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
