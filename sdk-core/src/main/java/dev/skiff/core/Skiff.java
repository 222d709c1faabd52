package dev.skiff.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final AtomicBoolean closed = new AtomicBoolean();

    private Skiff(KubernetesClient client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
    }

    /**
     * Connects to the cluster the way {@code kubectl} would: the {@code KUBECONFIG} file or
     * {@code ~/.kube/config}, else the in-cluster service account.
     *
     * @return a client that owns its connection; close it when done
     */
    public static Skiff connect() {
        return new Skiff(new KubernetesClientBuilder().build(), true);
    }

    /**
     * Wraps a fabric8 client. Closing the returned {@code Skiff} does not close {@code client}.
     *
     * @param client the client to submit through
     * @return the Skiff client
     */
    public static Skiff using(KubernetesClient client) {
        return new Skiff(Objects.requireNonNull(client, "client"), false);
    }

    /**
     * Submits a batch job, or returns the one already submitted with the same spec.
     *
     * @param job the job
     * @return a handle to follow the job
     * @throws ConflictException if a job of that name exists with a different spec
     * @throws SubmissionException if the API server refuses the job
     */
    public JobHandle submit(BatchJob job) {
        Objects.requireNonNull(job, "job");
        ensureOpen();
        String namespace = job.namespace().orElseGet(this::defaultNamespace);
        List<HasMetadata> objects = render(job);
        String hash = hash(objects); // before the namespace and annotation below are set

        Job main = (Job) objects.get(0);
        main.getMetadata().setNamespace(namespace);
        if (main.getMetadata().getAnnotations() == null) {
            main.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        main.getMetadata().getAnnotations().put(SPEC_HASH_ANNOTATION, hash);
        String ref = namespace + "/" + job.name();
        try {
            Job created = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .resource(main)
                    .create();
            LOG.debug("created Job {} (spec {})", ref, hash);
            createOwned(objects.subList(1, objects.size()), created, namespace);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw new SubmissionException(
                        "Job " + ref + " was not created: HTTP " + e.getCode() + ": " + e.getMessage(), e);
            }
            Job existing = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(job.name())
                    .get();
            String existingHash = existing == null || existing.getMetadata().getAnnotations() == null
                    ? null
                    : existing.getMetadata().getAnnotations().get(SPEC_HASH_ANNOTATION);
            if (!hash.equals(existingHash)) {
                throw new ConflictException(
                        "Job " + ref + " already exists with spec hash " + existingHash
                                + ", but the submitted spec has hash " + hash,
                        e);
            }
            LOG.debug("Job {} already exists with the same spec {}", ref, hash);
        }
        return new ClusterJobHandle(client, namespace, job.name());
    }

    /** Creates the objects traits added, owned by the workload so that deleting it removes them. */
    private void createOwned(List<HasMetadata> extras, HasMetadata owner, String namespace) {
        for (HasMetadata extra : extras) {
            extra.getMetadata().setNamespace(namespace);
            io.fabric8.kubernetes.api.model.OwnerReference ref = new io.fabric8.kubernetes.api.model.OwnerReference();
            ref.setApiVersion(owner.getApiVersion());
            ref.setKind(owner.getKind());
            ref.setName(owner.getMetadata().getName());
            ref.setUid(owner.getMetadata().getUid());
            ref.setController(true);
            ref.setBlockOwnerDeletion(true);
            extra.getMetadata().setOwnerReferences(new java.util.ArrayList<>(List.of(ref)));
            try {
                client.resource(extra).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new SubmissionException(
                            extra.getKind() + " " + namespace + "/"
                                    + extra.getMetadata().getName() + " was not created: HTTP " + e.getCode() + ": "
                                    + e.getMessage(),
                            e);
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
                client, Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(name, "name"));
    }

    /**
     * Returns the hash Skiff stores in the {@value #SPEC_HASH_ANNOTATION} annotation: the SHA-256
     * of the workload's rendered YAML, in hex.
     *
     * @param workload the workload
     * @return 64 hex digits
     */
    public static String specHash(Workload workload) {
        return hash(render(workload));
    }

    private static String hash(List<HasMetadata> rendered) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(yaml(rendered).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Closes the connection if this client opened it; a client passed to {@link #using} stays open. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Skiff client is closed");
        }
    }

    private String defaultNamespace() {
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
