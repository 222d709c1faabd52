package dev.skiff.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skiff's entry point: submits workloads to a Kubernetes cluster and follows them.
 *
 * <h2>Connecting</h2>
 * {@link #connect()} finds the cluster as {@code kubectl} does (the {@code KUBECONFIG} file, or the
 * in-cluster service account); {@link #using(KubernetesClient)} wraps a fabric8 client you already
 * have. A {@code Skiff} is thread-safe; close it when done. It never closes a client it was given.
 *
 * <pre>{@code
 * try (Skiff skiff = Skiff.connect()) {
 *     JobHandle handle = skiff.submit(job);
 *     Outcome outcome = handle.await(Duration.ofHours(2));
 * }
 * }</pre>
 *
 * <h2>Submitting</h2>
 * {@link #submit(BatchJob)} is idempotent: the job's name is fixed before the request, and a hash
 * of its rendered spec is stored in the {@value #SPEC_HASH_ANNOTATION} annotation. Submitting the
 * same spec again returns the existing job; a different spec under the same name is a {@link
 * ConflictException} naming both hashes.
 *
 * <h2>Rendering</h2>
 * {@link #render(Workload)} turns a workload into the Kubernetes objects Skiff would submit, and
 * {@link #toYaml(Workload)} prints them as YAML, for review or for GitOps. Both are pure and
 * deterministic: the same workload always gives byte-identical YAML.
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("resnet-train")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4"))
 *     .build();
 * String yaml = Skiff.toYaml(job);
 * }</pre>
 */
public final class Skiff implements AutoCloseable {
    /** The annotation holding the hash of a workload's rendered spec. */
    public static final String SPEC_HASH_ANNOTATION = "skiff.dev/spec-hash";

    private static final Logger LOG = LoggerFactory.getLogger(Skiff.class);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final SkiffConfig config;
    private final ClientContext ctx;
    private final ServerFeatures features;
    private final ApiGroups apiGroups;
    private final ExecutorService submitters;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Skiff(KubernetesClient client, boolean ownsClient, SkiffConfig config) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.config = config;
        this.ctx = new ClientContext(client, config);
        this.features = new ServerFeatures(ctx);
        this.apiGroups = new ApiGroups(ctx);
        AtomicInteger n = new AtomicInteger();
        this.submitters = Executors.newFixedThreadPool(config.submitConcurrency(), r -> {
            Thread t = new Thread(r, "skiff-submit-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to the cluster the way {@code kubectl} would: the {@code KUBECONFIG} file or
     * {@code ~/.kube/config}, else the in-cluster service account; with every default of {@link
     * SkiffConfig}.
     *
     * @return a client that owns its connection; close it when done
     */
    public static Skiff connect() {
        return connect(SkiffConfig.defaults());
    }

    /**
     * Connects as {@link #connect()} does, or to the kubeconfig file and context {@code config}
     * names, and behaves as {@code config} says.
     *
     * <pre>{@code
     * try (Skiff skiff = Skiff.connect(SkiffConfig.builder().namespace("ml").build())) {
     *     skiff.submit(job).await(Duration.ofHours(1));
     * }
     * }</pre>
     *
     * @param config the configuration
     * @return a client that owns its connection; close it when done
     */
    public static Skiff connect(SkiffConfig config) {
        Objects.requireNonNull(config, "config");
        Config fabric8;
        if (config.kubeconfig().isPresent()) {
            Path path = config.kubeconfig().get();
            try {
                fabric8 = Config.fromKubeconfig(config.context().orElse(null), Files.readString(path), path.toString());
            } catch (IOException e) {
                throw new SkiffException("kubeconfig: " + path + ": cannot be read: " + e.getMessage(), e);
            }
        } else {
            fabric8 = Config.autoConfigure(config.context().orElse(null));
        }
        // Skiff retries itself; fabric8's own retries would multiply with them
        fabric8.setRequestRetryBackoffLimit(0);
        fabric8.setRequestTimeout(
                (int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
        config.namespace().ifPresent(fabric8::setNamespace);
        return new Skiff(new KubernetesClientBuilder().withConfig(fabric8).build(), true, config);
    }

    /**
     * Wraps a fabric8 client. Closing the returned {@code Skiff} does not close {@code client}.
     *
     * <p>Skiff retries failed requests itself; if {@code client} was built with fabric8's own
     * request retries on ({@code requestRetryBackoffLimit} above 0), each of Skiff's attempts may
     * be retried by fabric8 too. Build it with {@code withRequestRetryBackoffLimit(0)} to avoid that.
     *
     * @param client the client to submit through
     * @return the Skiff client
     */
    public static Skiff using(KubernetesClient client) {
        return using(client, SkiffConfig.defaults());
    }

    /**
     * Wraps a fabric8 client and behaves as {@code config} says ({@link SkiffConfig#kubeconfig()}
     * and {@link SkiffConfig#context()} are ignored: the client is already connected).
     *
     * @param client the client to submit through; not closed by {@link #close()}
     * @param config the configuration
     * @return the Skiff client
     */
    public static Skiff using(KubernetesClient client, SkiffConfig config) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(config, "config");
        Integer fabric8Retries = client.getConfiguration().getRequestRetryBackoffLimit();
        if (fabric8Retries != null && fabric8Retries > 0) {
            LOG.debug(
                    "the fabric8 client retries requests itself ({} times); Skiff's retries come on top",
                    fabric8Retries);
        }
        return new Skiff(client, false, config);
    }

    /**
     * Returns the fabric8 client this {@code Skiff} sends through, for reads Skiff does not cover.
     * Do not close it; {@link #close()} does when this {@code Skiff} opened it.
     *
     * @return the client
     */
    public KubernetesClient kubernetesClient() {
        return client;
    }

    /** Returns the configuration this client runs with. */
    public SkiffConfig config() {
        return config;
    }

    /**
     * Submits a batch job, or returns the one already submitted with the same spec.
     *
     * <p>The job's name is fixed before the first request and its spec hash stored in the {@value
     * #SPEC_HASH_ANNOTATION} annotation, so a retried request (after a timeout, or a {@code 5xx}
     * that came after the server had committed the Job) finds the Job it created instead of
     * creating another.
     *
     * @param job the job
     * @return a handle to follow the job
     * @throws ConflictException if a job of that name exists with a different spec
     * @throws ServerVersionException if the job uses a field the server is too old for
     * @throws SubmissionException if the API server refuses the job
     * @throws ClusterUnavailableException if the API server is considered down
     */
    public JobHandle submit(BatchJob job) {
        Objects.requireNonNull(job, "job");
        ensureOpen();
        BatchJob withDefaults = withDefaultLabels(job);
        String namespace = withDefaults.namespace().orElseGet(this::defaultNamespace);
        List<HasMetadata> objects = render(withDefaults);
        String hash = hash(objects); // before the namespace and annotation below are set
        long submittedAt = System.nanoTime();
        submitObjects(withDefaults, namespace, objects, hash, "Job " + namespace + "/" + withDefaults.name());
        ClusterJobHandle handle = new ClusterJobHandle(ctx, namespace, withDefaults.name());
        if (ctx.events.enabled()) {
            handle.reportLifecycle(submittedAt, (Job) objects.get(0));
        }
        return handle;
    }

    /**
     * Submits an interactive session, or returns the one already submitted with the same spec: a
     * StatefulSet (with per-replica storage) or a Deployment, and a Service owned by it when the
     * session has ports.
     *
     * <pre>{@code
     * SessionHandle notebook = skiff.submit(InteractiveSession.builder()
     *     .name("notebook")
     *     .container(Container.of("quay.io/jupyter/pytorch-notebook:2024-12-02"))
     *     .addPort(Port.of("http", 8888))
     *     .build());
     * notebook.awaitReady(Duration.ofMinutes(10));
     * }</pre>
     *
     * @param session the session
     * @return a handle to follow and control the session
     * @throws ConflictException if a session of that name exists with a different spec
     * @throws SubmissionException if the API server refuses it
     */
    public SessionHandle submit(InteractiveSession session) {
        Objects.requireNonNull(session, "session");
        ensureOpen();
        InteractiveSession withDefaults = session;
        Map<String, String> missing = missingDefaultLabels(session.labels());
        if (!missing.isEmpty()) {
            withDefaults = session.toBuilder().putAllLabels(missing).build();
        }
        String namespace = withDefaults.namespace().orElseGet(this::defaultNamespace);
        List<HasMetadata> objects = render(withDefaults);
        String hash = hash(objects);
        submitObjects(
                withDefaults,
                namespace,
                objects,
                hash,
                objects.get(0).getKind() + " " + namespace + "/" + withDefaults.name());
        return new ClusterSessionHandle(ctx, namespace, withDefaults.name(), withDefaults.isStateful());
    }

    /**
     * Submits a scheduled job as a CronJob, or returns the one already submitted with the same
     * spec.
     *
     * <pre>{@code
     * ScheduleHandle nightly = skiff.submit(ScheduledJob.builder()
     *     .job(job)                      // the CronJob takes the job's name and namespace
     *     .schedule("0 2 * * *")
     *     .timeZone("Europe/Berlin")
     *     .build());
     * }</pre>
     *
     * @param scheduled the scheduled job
     * @return a handle to its runs and schedule
     * @throws ConflictException if a CronJob of that name exists with a different spec
     * @throws ServerVersionException if it uses a field the server is too old for
     * @throws SubmissionException if the API server refuses it
     */
    public ScheduleHandle submit(ScheduledJob scheduled) {
        Objects.requireNonNull(scheduled, "scheduled");
        ensureOpen();
        String namespace = scheduled.namespace().orElseGet(this::defaultNamespace);
        List<HasMetadata> objects = render(scheduled);
        if (!config.defaultLabels().isEmpty()) {
            Map<String, String> labels = objects.get(0).getMetadata().getLabels();
            config.defaultLabels().forEach(labels::putIfAbsent);
        }
        String hash = hash(objects);
        submitObjects(scheduled, namespace, objects, hash, "CronJob " + namespace + "/" + scheduled.name());
        return new ClusterScheduleHandle(ctx, namespace, scheduled.name());
    }

    /**
     * Returns a handle to an interactive session submitted earlier, by this or another process.
     *
     * @param namespace the session's namespace
     * @param name the session's name
     * @return the handle; whether it is a StatefulSet or a Deployment is found on first use
     */
    public SessionHandle session(String namespace, String name) {
        ensureOpen();
        return new ClusterSessionHandle(ctx, namespace, name, null);
    }

    /**
     * Returns a handle to a scheduled job submitted earlier, by this or another process.
     *
     * @param namespace the CronJob's namespace
     * @param name the CronJob's name
     * @return the handle
     */
    public ScheduleHandle schedule(String namespace, String name) {
        ensureOpen();
        return new ClusterScheduleHandle(ctx, namespace, name);
    }

    private Map<String, String> missingDefaultLabels(Map<String, String> labels) {
        Map<String, String> missing = new LinkedHashMap<>();
        config.defaultLabels().forEach((k, v) -> {
            if (!labels.containsKey(k)) {
                missing.put(k, v);
            }
        });
        return missing;
    }

    /**
     * Submits a batch job on one of the client's submission threads ({@link
     * SkiffConfig#submitConcurrency()} at most run at once).
     *
     * @param job the job
     * @return a future completed with the handle, or exceptionally with what {@link
     *     #submit(BatchJob)} would throw
     */
    public CompletableFuture<JobHandle> submitAsync(BatchJob job) {
        Objects.requireNonNull(job, "job");
        ensureOpen();
        return CompletableFuture.supplyAsync(() -> submit(job), submitters);
    }

    /**
     * Submits many jobs, {@link SkiffConfig#submitConcurrency()} at a time, each idempotently as
     * {@link #submit(BatchJob)} does. Every job gets a result, in the order given: a refusal of one
     * does not stop the others.
     *
     * <pre>{@code
     * List<Submission> results = skiff.submitAll(jobs);
     * long refused = results.stream().filter(s -> !s.isSubmitted()).count();
     * }</pre>
     *
     * @param jobs the jobs
     * @return one result per job, in the order of {@code jobs}
     */
    public List<Submission> submitAll(List<BatchJob> jobs) {
        Objects.requireNonNull(jobs, "jobs");
        ensureOpen();
        List<CompletableFuture<Submission>> futures = new ArrayList<>(jobs.size());
        for (BatchJob job : jobs) {
            Objects.requireNonNull(job, "jobs contains null");
            futures.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return (Submission) new Submission.Submitted(job, submit(job));
                        } catch (SkiffException e) {
                            return new Submission.Refused(job, e);
                        } catch (RuntimeException e) {
                            return new Submission.Refused(
                                    job, new SubmissionException("Job " + job.name() + " was not submitted: " + e, e));
                        }
                    },
                    submitters));
        }
        List<Submission> out = new ArrayList<>(jobs.size());
        for (CompletableFuture<Submission> f : futures) {
            out.add(f.join());
        }
        return out;
    }

    /**
     * Checks the rendered objects against the server version and creates them idempotently,
     * reporting the submission or its refusal to the listeners.
     */
    private void submitObjects(
            Workload workload, String namespace, List<HasMetadata> objects, String hash, String ref) {
        boolean created;
        try {
            if (config.checkServerVersion()) {
                features.check(objects, ref);
            }
            created = createIdempotently(objects, namespace, hash);
        } catch (SkiffException e) {
            if (ctx.events.enabled()) {
                ctx.events.emit(new SkiffEvent.Refused(
                        workload.kind(), namespace, workload.name(), SkiffEvent.Refused.reasonOf(e), e));
            }
            throw e;
        }
        if (ctx.events.enabled()) {
            ctx.events.emit(new SkiffEvent.Submitted(workload.kind(), namespace, workload.name(), created));
        }
    }

    /**
     * Creates the main object and the objects its traits added, or finds the main object already
     * created with the same spec. If an added object cannot be created, the main object is deleted
     * again (its owned objects with it), so nothing half-submitted is left behind.
     *
     * @return whether the main object was created by this call ({@code false}: it existed already)
     */
    private boolean createIdempotently(List<HasMetadata> rendered, String namespace, String hash) {
        List<HasMetadata> objects = apiGroups.withoutUnserved(rendered); // optional integrations
        HasMetadata main = objects.get(0);
        main.getMetadata().setNamespace(namespace);
        if (main.getMetadata().getAnnotations() == null) {
            main.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        main.getMetadata().getAnnotations().put(SPEC_HASH_ANNOTATION, hash);
        String ref = main.getKind() + " " + namespace + "/" + main.getMetadata().getName();
        HasMetadata created;
        boolean createdHere;
        try {
            created = ctx.calls.call(
                    "create " + ref,
                    () -> client.resource(main).inNamespace(namespace).create());
            createdHere = true;
            LOG.debug("created {} (spec {})", ref, hash);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw submissionFailure(ref, e);
            }
            created = existingWithSameSpec(main, namespace, ref, hash, e);
            createdHere = false;
        } catch (ClusterUnavailableException e) {
            throw e;
        }
        List<HasMetadata> extras = objects.subList(1, objects.size());
        if (!extras.isEmpty()) {
            try {
                createOwned(extras, created, namespace);
            } catch (SkiffException e) {
                LOG.debug("rolling back {}: {}", ref, e.getMessage());
                try {
                    ctx.calls.run(
                            "delete " + ref,
                            () -> client.resource(main)
                                    .inNamespace(namespace)
                                    .withPropagationPolicy(
                                            io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                                    .delete());
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
        return createdHere;
    }

    private HasMetadata existingWithSameSpec(
            HasMetadata main, String namespace, String ref, String hash, KubernetesClientException cause) {
        HasMetadata existing;
        try {
            existing = ctx.calls.call(
                    "get " + ref,
                    () -> client.resource(main).inNamespace(namespace).get());
        } catch (KubernetesClientException e) {
            throw submissionFailure(ref, e);
        }
        String existingHash = existing == null || existing.getMetadata().getAnnotations() == null
                ? null
                : existing.getMetadata().getAnnotations().get(SPEC_HASH_ANNOTATION);
        if (existing == null || !hash.equals(existingHash)) {
            throw new ConflictException(
                    ref + " already exists with spec hash " + existingHash + ", but the submitted spec has hash "
                            + hash,
                    cause);
        }
        LOG.debug("{} already exists with the same spec {}", ref, hash);
        return existing;
    }

    private static SkiffException submissionFailure(String ref, KubernetesClientException e) {
        return ClientContext.failure(ref + " was not created: ", e);
    }

    private BatchJob withDefaultLabels(BatchJob job) {
        Map<String, String> missing = missingDefaultLabels(job.labels());
        return missing.isEmpty() ? job : job.toBuilder().putAllLabels(missing).build();
    }

    /** Creates the objects traits added, owned by the workload so that deleting it removes them. */
    private void createOwned(List<HasMetadata> extras, HasMetadata owner, String namespace) {
        for (HasMetadata extra : extras) {
            extra.getMetadata().setNamespace(namespace);
            OwnerReference ref = new OwnerReference();
            ref.setApiVersion(owner.getApiVersion());
            ref.setKind(owner.getKind());
            ref.setName(owner.getMetadata().getName());
            ref.setUid(owner.getMetadata().getUid());
            ref.setController(true);
            ref.setBlockOwnerDeletion(true);
            extra.getMetadata().setOwnerReferences(new ArrayList<>(List.of(ref)));
            String what = extra.getKind() + " " + namespace + "/"
                    + extra.getMetadata().getName();
            try {
                ctx.calls.call("create " + what, () -> client.resource(extra).create());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw submissionFailure(what, e);
                }
            }
        }
    }

    /**
     * Returns a handle to a job submitted earlier, by this or another process. The job is not
     * read until the handle is used.
     *
     * @param namespace the job's namespace
     * @param name the job's name
     * @return the handle
     */
    public JobHandle job(String namespace, String name) {
        ensureOpen();
        return new ClusterJobHandle(
                ctx, Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(name, "name"));
    }

    /**
     * Lists the batch jobs Skiff manages in {@code namespace} that carry every label in {@code
     * labels}.
     *
     * <pre>{@code
     * for (JobHandle h : skiff.jobs("ml", Map.of("team", "vision"))) {
     *     System.out.println(h.name() + ": " + h.status().phase());
     * }
     * }</pre>
     *
     * @param namespace the namespace
     * @param labels labels the jobs must carry (equality); empty lists every Skiff job there
     * @return handles, by name
     */
    public List<JobHandle> jobs(String namespace, Map<String, String> labels) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(labels, "labels");
        ensureOpen();
        Map<String, String> selector = new LinkedHashMap<>(labels);
        selector.put(Renderer.LABEL_MANAGED_BY, Renderer.MANAGED_BY);
        String what = "list Jobs in " + namespace;
        List<Job> items;
        try {
            items = ctx.calls.call(
                    what,
                    () -> client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(namespace)
                            .withLabels(selector)
                            .list()
                            .getItems());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        return items.stream()
                .map(j -> j.getMetadata().getName())
                .sorted()
                .map(n -> (JobHandle) new ClusterJobHandle(ctx, namespace, n))
                .toList();
    }

    /**
     * Returns the hash Skiff stores in the {@value #SPEC_HASH_ANNOTATION} annotation: the SHA-256,
     * in hex, of the workload's rendered objects, each as compact JSON with every object's keys
     * sorted (arrays keep their order), followed by a newline. Equal workloads give equal hashes,
     * whatever order their labels or annotations were given in; the hash of a given spec does not
     * change between Skiff versions that render it the same.
     *
     * @param workload the workload
     * @return 64 hex digits
     */
    public static String specHash(Workload workload) {
        return hash(render(workload));
    }

    /**
     * Hashes the JSON rather than the YAML of {@link #toYaml}: the same content, but JSON costs about
     * a tenth as much to write (the YAML goes through a tree and a second serializer), and every
     * submit pays for the hash.
     */
    private static String hash(List<HasMetadata> rendered) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        StringBuilder canonical = new StringBuilder();
        for (HasMetadata object : rendered) {
            // map keys sorted: labels or annotations given in another order are the same spec
            canonicalJson(Serialization.jsonMapper().valueToTree(object), canonical);
            canonical.append('\n');
        }
        digest.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Writes {@code node} as JSON with every object's keys sorted; arrays keep their order. */
    static void canonicalJson(tools.jackson.databind.JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            java.util.TreeMap<String, tools.jackson.databind.JsonNode> sorted = new java.util.TreeMap<>();
            for (Map.Entry<String, tools.jackson.databind.JsonNode> e : node.properties()) {
                sorted.put(e.getKey(), e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, tools.jackson.databind.JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(tools.jackson.databind.node.StringNode.valueOf(e.getKey())
                                .toString())
                        .append(':');
                canonicalJson(e.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonicalJson(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    /**
     * Stops following workloads (pending {@link JobHandle#awaitAsync()} futures are left
     * uncompleted), and closes the connection if this client opened it; a client passed to {@link
     * #using} stays open.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            submitters.shutdownNow();
            ctx.close();
            if (ownsClient) {
                client.close();
            }
        }
    }

    /** Returns how many Job informers run now (one per namespace followed); for tests and benchmarks. */
    int runningInformers() {
        return ctx.tracker.runningFeeds();
    }

    /** Returns how many requests went through the retry policy; for tests and benchmarks. */
    long requestsSent() {
        return ctx.calls.requests();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Skiff client is closed");
        }
    }

    private String defaultNamespace() {
        if (config.namespace().isPresent()) {
            return config.namespace().get();
        }
        String ns = client.getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    /**
     * Renders {@code workload} to the Kubernetes objects that represent it: a Job for a {@link
     * BatchJob}; a StatefulSet or Deployment and a Service for an {@link InteractiveSession}; a
     * CronJob for a {@link ScheduledJob}; plus any objects its traits add. The main object comes
     * first.
     *
     * <p>The objects are new on every call; changing them does not change the workload.
     *
     * @param workload the workload, already validated by its {@code build()}
     * @return the objects, main object first
     */
    public static List<HasMetadata> render(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        return Renderer.render(workload);
    }

    /**
     * Renders {@code workload} as a multi-document YAML stream, one document per object, in the
     * order of {@link #render(Workload)}.
     *
     * @param workload the workload
     * @return the YAML, byte-identical for equal workloads
     */
    public static String toYaml(Workload workload) {
        return yaml(render(workload));
    }

    private static String yaml(List<HasMetadata> objects) {
        StringBuilder sb = new StringBuilder();
        for (HasMetadata object : objects) {
            String doc = Serialization.asYaml(object);
            if (!doc.startsWith("---")) {
                sb.append("---\n");
            }
            sb.append(doc);
            if (!doc.endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
