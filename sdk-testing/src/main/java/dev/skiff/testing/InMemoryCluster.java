package dev.skiff.testing;

import dev.skiff.core.Skiff;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.LabelSelector;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.api.Store;
import dev.skiff.testing.internal.controllers.Actor;
import dev.skiff.testing.internal.controllers.AppsActor;
import dev.skiff.testing.internal.controllers.CronJobActor;
import dev.skiff.testing.internal.controllers.GarbageCollector;
import dev.skiff.testing.internal.controllers.JobActor;
import dev.skiff.testing.internal.controllers.KubeletActor;
import dev.skiff.testing.internal.controllers.NamespaceController;
import dev.skiff.testing.internal.controllers.NodeController;
import dev.skiff.testing.internal.controllers.ResourceQuotaController;
import dev.skiff.testing.internal.controllers.RootCaPublisher;
import dev.skiff.testing.internal.controllers.SchedulerActor;
import dev.skiff.testing.internal.engine.Engine;
import dev.skiff.testing.internal.http.HttpAdapter;
import dev.skiff.testing.internal.timeline.TimelineHtml;
import dev.skiff.testing.internal.timeline.TimelineRecorder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory Kubernetes cluster for tests: it starts in milliseconds, needs no binaries, and
 * behaves like a real cluster. It serves the Kubernetes REST API over HTTP on a loopback port, so
 * fabric8's client, Skiff and {@code kubectl} talk to it unchanged; it validates and defaults every
 * write with the API server's rules, and it runs on a virtual clock that only moves when the test
 * says so.
 *
 * <pre>{@code
 * try (InMemoryCluster cluster = InMemoryCluster.builder()
 *         .node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"))
 *         .start()) {
 *     KubernetesClient client = cluster.kubernetesClient();
 *     client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ml").endMetadata().build()).create();
 *     cluster.advanceClock(Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Every change runs on one engine thread, in order, so runs with the same inputs
 * and seed give the same history. Close it to stop the server and its client.
 */
public final class InMemoryCluster implements AutoCloseable {
    private final Engine engine;
    private final ApiServer api;
    private final HttpAdapter http;
    private final List<Actor> actors = new ArrayList<>();
    private final KubeletActor kubelet;
    private final TimelineRecorder timeline;
    private final java.util.concurrent.CopyOnWriteArrayList<ActiveFault> faults =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<RecordedRequest> requests =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final long seed;
    private final java.util.concurrent.atomic.AtomicLong faultsInjected = new java.util.concurrent.atomic.AtomicLong();

    private static final class ActiveFault {
        final FaultRule rule;
        final java.util.concurrent.atomic.AtomicInteger left;
        final Random draws;

        ActiveFault(FaultRule rule, long seed) {
            this.rule = rule;
            this.left =
                    new java.util.concurrent.atomic.AtomicInteger(rule.times().orElse(Integer.MAX_VALUE));
            this.draws = new Random(seed);
        }

        /** Whether the rule affects this matching request: a draw under its probability. */
        boolean applies() {
            return rule.probability() >= 1.0 || draws.nextDouble() < rule.probability();
        }
    }

    private final Object clientLock = new Object();
    private @Nullable KubernetesClient client;
    private final CompletableFuture<KubernetesClient> clientFuture;
    private @Nullable Skiff skiff;
    private final java.util.concurrent.@Nullable ScheduledExecutorService realTime;

    private InMemoryCluster(Builder b) {
        // Most of a first start in a JVM is class loading: Jackson and fabric8's serialization
        // (about a third of it), the fabric8 client (a fifth), the two HTTP stacks. A start-up thread
        // builds the serialization and then the client, while this one builds the engine, binds
        // the port, then (once the serialization is there) the API server, and seeds the cluster.
        CompletableFuture<KubernetesSerialization> serialization =
                CompletableFuture.supplyAsync(KubernetesSerialization::new, InMemoryCluster::startUpThread);
        Instant start = b.startTime != null ? b.startTime : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        this.seed = b.seed;
        this.engine = new Engine(start);
        try {
            this.http = new HttpAdapter(engine, new HttpAdapter.Extensions() {
                @Override
                public @Nullable String podLog(
                        String namespace,
                        String pod,
                        @Nullable String container,
                        boolean previous,
                        @Nullable Long tailLines) {
                    return engine.call(() -> kubelet.log(namespace, pod, previous, tailLines));
                }

                @Override
                public HttpAdapter.@Nullable Fault fault(
                        String verb, ResourceType type, @Nullable String namespace, @Nullable String name) {
                    return matchFault(verb, type, namespace, name);
                }

                @Override
                public void served(String verb, String method, String path, int code) {
                    requests.add(new RecordedRequest(verb, method, path, code, Instant.now()));
                }
            });
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException("the in-memory cluster could not open a port", e);
        }
        // the client needs only the URL and the serialization
        this.clientFuture = serialization.thenApplyAsync(this::newClient, InMemoryCluster::startUpThread);
        try {
            Store store = new Store(b.watchHistory);
            this.api = new ApiServer(store, engine::now, new Random(b.seed), join(serialization));
            this.kubelet = new KubeletActor(api, engine);
            this.timeline = new TimelineRecorder(engine::now);
            engine.call(() -> {
                b.scripts.forEach((selector, script) -> kubelet.addScript(LabelSelector.parse(selector), script));
                actors.add(new NodeController(api));
                actors.add(new NamespaceController(api));
                actors.add(new RootCaPublisher(api));
                actors.add(new ResourceQuotaController(api, engine));
                actors.add(new GarbageCollector(api));
                actors.add(new SchedulerActor(api, engine));
                actors.add(kubelet);
                actors.add(new JobActor(api, engine));
                actors.add(new CronJobActor(api, engine));
                actors.add(new AppsActor(api, engine));
                store.addListener(this::deliver);
                store.addListener(timeline);
                for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
                    Namespace n = new Namespace();
                    n.setApiVersion("v1");
                    n.setKind("Namespace");
                    n.setMetadata(new ObjectMetaBuilder().withName(ns).build());
                    api.create(n);
                }
                api.createSystemPriorityClasses();
                for (FakeNode node : b.nodes.isEmpty() && b.defaultNode ? List.of(FakeNode.named("node-1")) : b.nodes) {
                    api.create(node.toNode());
                }
                return null;
            });
            http.start(api);
        } catch (RuntimeException | Error e) {
            // the port is bound and the client on its way: release both
            clientFuture.thenAccept(KubernetesClient::close);
            http.close();
            engine.close();
            throw e;
        }
        if (b.speed > 0) {
            realTime = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "skiff-cluster-clock");
                t.setDaemon(true);
                return t;
            });
            long stepMillis = 100;
            Duration step = Duration.ofNanos((long) (stepMillis * 1_000_000L * b.speed));
            realTime.scheduleAtFixedRate(
                    () -> engine.post(() -> engine.advance(step)),
                    stepMillis,
                    stepMillis,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            realTime = null;
        }
    }

    private void deliver(Change change) {
        for (Actor actor : actors) {
            engine.defer(() -> actor.onChange(change));
        }
    }

    /** Starts a cluster with one node (32 CPU, 128Gi, 110 pods, no GPUs) and the usual namespaces. */
    public static InMemoryCluster start() {
        return builder().start();
    }

    /** Returns a builder to declare nodes, the seed and the start time. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the base URL of the API server, such as {@code http://127.0.0.1:41234}. */
    public String url() {
        return http.url();
    }

    /**
     * Returns a fabric8 client connected to this cluster over HTTP, with the {@code default}
     * namespace. The cluster owns it: it is closed with the cluster.
     */
    public KubernetesClient kubernetesClient() {
        synchronized (clientLock) {
            if (client == null) {
                client = join(clientFuture);
            }
            return client;
        }
    }

    private KubernetesClient newClient(KubernetesSerialization serialization) {
        // the JDK's HTTP client starts in a fraction of Vert.x's time, and sharing the cluster's
        // serialization saves the client from scanning the model again
        return new KubernetesClientBuilder()
                .withConfig(config())
                .withHttpClientFactory(new io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory())
                .withKubernetesSerialization(serialization)
                .build();
    }

    private static void startUpThread(Runnable task) {
        Thread t = new Thread(task, "skiff-cluster-start");
        t.setDaemon(true);
        t.start();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Returns a {@link Skiff} client on {@link #kubernetesClient()}; closed with the cluster. */
    public Skiff skiff() {
        synchronized (clientLock) {
            if (skiff == null) {
                skiff = Skiff.using(kubernetesClient());
            }
            return skiff;
        }
    }

    /** Returns a fabric8 configuration for this cluster, to build clients of your own. */
    public Config config() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .withTrustCerts(true)
                .withRequestRetryBackoffLimit(0)
                .withOnlyHttpWatches(true)
                .withConnectionTimeout(10_000)
                .withRequestTimeout(30_000)
                .build();
    }

    /**
     * Writes a kubeconfig for this cluster, so that {@code kubectl --kubeconfig <path>} works.
     *
     * @param path the file to write
     * @return {@code path}
     */
    public Path writeKubeconfig(Path path) {
        String yaml =
                "apiVersion: v1\nkind: Config\nclusters:\n- name: skiff-in-memory\n  cluster:\n    server: " + url()
                        + "\ncontexts:\n- name: skiff-in-memory\n  context:\n    cluster: skiff-in-memory\n    user: skiff\n    namespace: default\n"
                        + "current-context: skiff-in-memory\nusers:\n- name: skiff\n  user:\n    token: skiff-in-memory\n";
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /** Returns the cluster's virtual time. */
    public Instant now() {
        return engine.now();
    }

    /**
     * Moves the virtual clock forward, running everything that comes due on the way in order
     * (pod scripts, backoffs, deadlines, cron schedules), and returns when the cluster has settled.
     *
     * @param duration how far to move, not negative
     */
    public void advanceClock(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        engine.call(() -> {
            engine.advance(duration);
            return null;
        });
    }

    /**
     * Runs the cluster until nothing is left to do within {@code limit} of virtual time: jumps
     * from one pending timer to the next (pod scripts, back-offs, deadlines, schedules) and
     * returns when none is due before now + {@code limit}. A recurring schedule keeps the cluster
     * busy until the limit.
     *
     * @param limit the most virtual time to move
     * @return the virtual time moved
     */
    public Duration advanceUntilIdle(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        return engine.call(() -> {
            Instant start = engine.now();
            Instant end = start.plus(limit);
            java.util.Optional<Instant> next;
            while ((next = engine.nextTimer()).isPresent() && !next.get().isAfter(end)) {
                engine.fireUntil(next.get());
            }
            return Duration.between(start, engine.now());
        });
    }

    /**
     * Adds a node.
     *
     * @param node the node
     */
    public void addNode(FakeNode node) {
        engine.call(() -> api.create(node.toNode()));
    }

    private HttpAdapter.@Nullable Fault matchFault(
            String verb, ResourceType type, @Nullable String namespace, @Nullable String name) {
        for (ActiveFault f : faults) {
            FaultRule r = f.rule;
            if (!(r.verb().equals("*") || r.verb().equals(verb))
                    || !(r.resource().equals("*") || r.resource().equals(type.plural()))
                    || (r.namespace().isPresent() && !r.namespace().get().equals(namespace))
                    || (r.name().isPresent() && !r.name().get().equals(name))) {
                continue;
            }
            if (!f.applies()) {
                continue;
            }
            if (f.left.getAndDecrement() <= 0) {
                faults.remove(f);
                continue;
            }
            return new HttpAdapter.Fault(
                    r.status().orElse(0),
                    r.retryAfter()
                            .map(d -> Long.toString(Math.max(1, d.toSeconds())))
                            .orElse(null),
                    r.delay().toMillis(),
                    r.dropsConnection(),
                    r.commitsFirst());
        }
        return null;
    }

    /**
     * Scripts the pods whose labels match {@code labelSelector} (the {@code ?labelSelector=} syntax,
     * such as {@code app=trainer} or {@code batch.kubernetes.io/job-name in (a,b)}); the most
     * recently added matching script wins. Applies to pods that start from now on.
     *
     * @param labelSelector which pods
     * @param script what they do
     */
    public void onPods(String labelSelector, PodScript script) {
        LabelSelector selector = LabelSelector.parse(labelSelector);
        Objects.requireNonNull(script, "script");
        engine.call(() -> {
            kubelet.addScript(selector, script);
            return null;
        });
    }

    /**
     * Injects a fault into matching API requests until it has been used {@link FaultRule#times()}
     * times (or until {@link #clearFaults()}). A request is answered by the first rule, in the
     * order injected, that matches it and (see {@link FaultRule#probability(double)}) draws it.
     *
     * @param rule the fault
     */
    public void injectFault(FaultRule rule) {
        Objects.requireNonNull(rule, "rule");
        // each rule draws from its own generator, seeded by the cluster's seed and its position
        long ruleSeed = seed * 1_000_003L + faultsInjected.incrementAndGet();
        faults.add(new ActiveFault(rule, ruleSeed));
    }

    /** Removes every injected fault. */
    public void clearFaults() {
        faults.clear();
    }

    /** Closes every open watch, as a dropped connection or an API server restart would; returns how many. */
    public int closeWatches() {
        return http.closeWatches(null);
    }

    /** Forgets the change history, so that watches resuming from an older resourceVersion get 410 Gone. */
    public void expireWatchHistory() {
        engine.call(() -> {
            api.store().compact();
            return null;
        });
    }

    /**
     * Returns a picture of the run so far as a self-contained HTML page (inline SVG and CSS, no
     * script, nothing fetched): GPU utilisation over virtual time on top, then one lane per node and
     * one per GPU of each node, with each pod a bar from its binding to its end, coloured by outcome
     * (succeeded, failed, OOMKilled, running at the end, deleted), led in by a hatched stretch for
     * the time it waited to be scheduled; pods never scheduled get a lane of their own.
     *
     * <p>The cluster records every pod's transitions as they happen, from its start, keeping a few
     * numbers per pod rather than the objects; the page is drawn only when asked for, and starts
     * when the first pod was created. A pod's GPUs are numbered at binding, the lowest free indices
     * of its node first. Past 100,000 finished pods the oldest are left out (the page says how many).
     *
     * @return the HTML page
     * @throws IllegalStateException if the cluster is closed
     * @see #timeline(Path)
     */
    public String timeline() {
        return TimelineHtml.render(engine.call(timeline::snapshot));
    }

    /**
     * Writes {@link #timeline()} to a file, creating its directory if needed; open it in a browser.
     *
     * @param path the file to write, such as {@code target/timeline.html}
     * @return {@code path}
     * @throws IllegalStateException if the cluster is closed
     */
    public Path timeline(Path path) {
        Objects.requireNonNull(path, "path");
        String html = timeline();
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /** Returns the requests answered so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Stops the server and closes the clients it handed out. */
    @Override
    public void close() {
        if (realTime != null) {
            realTime.shutdownNow();
        }
        synchronized (clientLock) {
            if (skiff != null) {
                skiff.close(); // stops its informers before their connection goes
            }
            // the client is built at start whether or not it was asked for: close it either way
            try {
                join(clientFuture).close();
            } catch (RuntimeException e) {
                // it could not be built: nothing to close
            }
        }
        http.close();
        engine.close();
    }

    /** Returns how many objects of all kinds are stored; for diagnostics. */
    public int objectCount() {
        return engine.call(() -> {
            int n = 0;
            for (var t : ResourceTypes.all()) {
                n += api.store().count(t);
            }
            return n;
        });
    }

    /** Builds an {@link InMemoryCluster}. */
    public static final class Builder {
        private final List<FakeNode> nodes = new ArrayList<>();
        private boolean defaultNode = true;
        private long seed = 1;
        private @Nullable Instant startTime;
        private int watchHistory = 100_000;
        private final java.util.Map<String, PodScript> scripts = new java.util.LinkedHashMap<>();
        private double speed;

        private Builder() {}

        /** Declares a node; without any, the cluster has one default node. */
        public Builder node(FakeNode node) {
            nodes.add(Objects.requireNonNull(node, "node"));
            return this;
        }

        /** Starts with no node at all (pods stay Pending until one is added). */
        public Builder withoutNodes() {
            defaultNode = false;
            nodes.clear();
            return this;
        }

        /** Sets the seed of all randomness (uids, generated names); 1 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets the virtual clock's start; the current time (whole seconds) by default. */
        public Builder startTime(Instant start) {
            this.startTime = Objects.requireNonNull(start, "start");
            return this;
        }

        /** Sets how many changes watches can resume from before answering 410 Gone; 100,000 by default. */
        public Builder watchHistory(int changes) {
            if (changes < 1) {
                throw new IllegalArgumentException("watchHistory must be >= 1, but was " + changes);
            }
            this.watchHistory = changes;
            return this;
        }

        /**
         * Scripts the pods whose labels match {@code labelSelector}; see {@link
         * InMemoryCluster#onPods(String, PodScript)}.
         */
        public Builder podScript(String labelSelector, PodScript script) {
            LabelSelector.parse(labelSelector);
            scripts.put(labelSelector, Objects.requireNonNull(script, "script"));
            return this;
        }

        /**
         * Lets the virtual clock follow the wall clock at {@code speed} times real time (for demos
         * and manual exploration: 60 makes a minute pass every second). Tests should leave this
         * off and move time with {@link InMemoryCluster#advanceClock(Duration)}.
         */
        public Builder realTime(double speed) {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be > 0, but was " + speed);
            }
            this.speed = speed;
            return this;
        }

        /** Starts the cluster. */
        public InMemoryCluster start() {
            return new InMemoryCluster(this);
        }
    }
}
