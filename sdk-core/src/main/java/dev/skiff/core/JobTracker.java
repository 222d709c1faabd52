package dev.skiff.core;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Jobs without polling: one shared informer per namespace over the Jobs Skiff manages
 * (label {@code app.kubernetes.io/managed-by=skiff}), started when the first Job there is
 * followed and stopped once none has been for a while. A Job Skiff did not create gets an
 * informer of its own, by name. Informers list, then watch; a dropped watch or a {@code 410 Gone}
 * relists, and what changed meanwhile (deletions included) is delivered, so no terminal state is
 * missed.
 *
 * <p>The cache keeps only what statuses need (labels, deletion time, suspend, counts, status), so
 * ten thousand followed Jobs fit in a few megabytes.
 */
final class JobTracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobTracker.class);
    private static final String[] KEPT_FIELDS = {
        "metadata.labels",
        "metadata.deletionTimestamp",
        "spec.suspend",
        "spec.completions",
        "spec.parallelism",
        "status"
    };

    /** Receives a followed Job's changes; called on the informer's thread, in order, and must not block. */
    interface Follower {
        void onJob(Job job);

        void onDeleted(Job lastKnown);
    }

    private final KubernetesClient client;
    private final ScheduledExecutorService timers;
    private final Duration idleTimeout;
    private final Map<String, Feed> feeds = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    JobTracker(KubernetesClient client, ScheduledExecutorService timers, Duration idleTimeout) {
        this.client = client;
        this.timers = timers;
        this.idleTimeout = idleTimeout;
    }

    /** A follower's registration: the feed's sync, the cached Job, and {@link #close()} to stop. */
    final class Registration implements AutoCloseable {
        private final Feed feed;
        private final String name;
        private final Follower follower;
        private boolean open = true; // guarded by JobTracker.this

        Registration(Feed feed, String name, Follower follower) {
            this.feed = feed;
            this.name = name;
            this.follower = follower;
        }

        /** Completes once the feed has listed its Jobs. */
        CompletableFuture<Void> synced() {
            return feed.synced;
        }

        /** The Job as last seen by the feed, once synced. */
        Optional<Job> cached() {
            return Optional.ofNullable(feed.informer.getStore().getByKey(feed.namespace + "/" + name));
        }

        /** Whether the feed only sees Jobs Skiff manages. */
        boolean managedOnly() {
            return feed.managedOnly;
        }

        @Override
        public void close() {
            synchronized (JobTracker.this) {
                if (!open) {
                    return;
                }
                open = false;
                Set<Follower> set = feed.followers.get(name);
                if (set != null) {
                    set.remove(follower);
                    if (set.isEmpty()) {
                        feed.followers.remove(name);
                    }
                }
                feed.count--;
                if (feed.count == 0) {
                    scheduleIdleStop(feed);
                }
            }
        }
    }

    /**
     * Starts following {@code namespace/name}.
     *
     * @param namespace the Job's namespace
     * @param name the Job's name
     * @param managed whether the Job carries Skiff's managed-by label (else a feed of its own is used)
     * @param follower receives changes
     * @return the registration; close it to stop
     */
    synchronized Registration follow(String namespace, String name, boolean managed, Follower follower) {
        if (closed) {
            throw new IllegalStateException("this Skiff client is closed");
        }
        String key = managed ? namespace : namespace + "/" + name;
        Feed feed = feeds.get(key);
        if (feed == null) {
            feed = new Feed(key, namespace, managed ? null : name);
            feeds.put(key, feed);
        }
        if (feed.idleStop != null) {
            feed.idleStop.cancel(false);
            feed.idleStop = null;
        }
        feed.count++;
        feed.followers.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(follower);
        return new Registration(feed, name, follower);
    }

    /** The Job as cached by a running feed of its namespace, without a request. */
    synchronized Optional<Job> cached(String namespace, String name) {
        for (Feed feed : new Feed[] {feeds.get(namespace), feeds.get(namespace + "/" + name)}) {
            if (feed != null && feed.synced.isDone() && !feed.synced.isCompletedExceptionally()) {
                Job job = feed.informer.getStore().getByKey(namespace + "/" + name);
                if (job != null) {
                    return Optional.of(job);
                }
            }
        }
        return Optional.empty();
    }

    /** How many informers run (for tests and benchmarks). */
    synchronized int runningFeeds() {
        return feeds.size();
    }

    private void scheduleIdleStop(Feed feed) {
        if (closed) {
            return; // every feed was stopped on close; the timers are gone
        }
        if (idleTimeout.isZero()) {
            stop(feed);
            return;
        }
        feed.idleStop = timers.schedule(
                () -> {
                    synchronized (JobTracker.this) {
                        if (feed.count == 0 && feeds.get(feed.key) == feed) {
                            stop(feed);
                        }
                    }
                },
                idleTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void stop(Feed feed) {
        feeds.remove(feed.key);
        LOG.debug("stopping the Job informer of {}: nothing is followed there", feed.key);
        feed.informer.stop();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Feed feed : feeds.values()) {
            feed.informer.stop();
            feed.synced.completeExceptionally(new IllegalStateException("this Skiff client is closed"));
        }
        feeds.clear();
    }

    /** One informer and the followers it feeds. */
    private final class Feed implements ResourceEventHandler<Job> {
        final String key;
        final String namespace;
        final boolean managedOnly;
        final SharedIndexInformer<Job> informer;
        final CompletableFuture<Void> synced = new CompletableFuture<>();
        final Map<String, Set<Follower>> followers = new ConcurrentHashMap<>();
        int count; // guarded by JobTracker.this

        @Nullable
        ScheduledFuture<?> idleStop; // guarded by JobTracker.this

        Feed(String key, String namespace, @Nullable String name) {
            this.key = key;
            this.namespace = namespace;
            this.managedOnly = name == null;
            var jobs = client.batch().v1().jobs().inNamespace(namespace);
            this.informer = name == null
                    ? jobs.withLabel(Renderer.LABEL_MANAGED_BY, Renderer.MANAGED_BY)
                            .runnableInformer(0)
                    : jobs.withName(name).runnableInformer(0);
            informer.itemStore(new ReducedStateItemStore<>(
                    ReducedStateItemStore.NAME_KEY_STATE, Job.class, client.getKubernetesSerialization(), KEPT_FIELDS));
            informer.exceptionHandler((started, t) -> {
                LOG.debug("Job informer of {}: {}; it retries", key, t.toString());
                return true;
            });
            informer.addEventHandler(this);
            LOG.debug("starting the Job informer of {}", key);
            informer.start().whenComplete((v, t) -> {
                if (t != null) {
                    synced.completeExceptionally(t);
                } else {
                    synced.complete(null);
                }
            });
        }

        @Override
        public void onAdd(Job job) {
            dispatch(job, false);
        }

        @Override
        public void onUpdate(Job oldJob, Job newJob) {
            dispatch(newJob, false);
        }

        @Override
        public void onDelete(Job job, boolean finalStateUnknown) {
            dispatch(job, true);
        }

        private void dispatch(Job job, boolean deleted) {
            Set<Follower> set = followers.get(job.getMetadata().getName());
            if (set == null) {
                return;
            }
            for (Follower f : set.toArray(new Follower[0])) {
                try {
                    if (deleted) {
                        f.onDeleted(job);
                    } else {
                        f.onJob(job);
                    }
                } catch (RuntimeException e) {
                    LOG.warn(
                            "a follower of Job {}/{} failed",
                            namespace,
                            job.getMetadata().getName(),
                            e);
                }
            }
        }
    }
}
