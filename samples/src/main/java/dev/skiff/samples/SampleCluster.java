package dev.skiff.samples;

import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffConfig;
import dev.skiff.gpu.GpuInventory;
import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Where a sample runs: by default an embedded in-memory cluster the sample declares, or with
 * {@code --kubeconfig <file>} (or the {@code KUBECONFIG} environment variable, read by {@link
 * #main}) the cluster that file points to. {@code --namespace <namespace>} picks the namespace;
 * the embedded cluster creates it, a real cluster must have it.
 *
 * <p>Only the embedded cluster's clock can be moved: {@link #advanceClock} does nothing on a real
 * cluster, where the samples wait with timeouts instead.
 */
final class SampleCluster implements AutoCloseable {
    static final String USAGE = "[--kubeconfig <file>] [--namespace <namespace>]";

    /** A sample's body: runs on the cluster its arguments name and returns the exit status. */
    @FunctionalInterface
    interface Sample {
        int run(String[] args, PrintStream out);
    }

    /** The arguments or the cluster cannot be used; the message says why. */
    static final class UnusableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnusableException(String message) {
            super(message);
        }
    }

    private final InMemoryCluster embedded;
    private final Skiff skiff;
    private final String namespace;
    private final String description;

    private SampleCluster(InMemoryCluster embedded, Skiff skiff, String namespace, String description) {
        this.embedded = embedded;
        this.skiff = skiff;
        this.namespace = namespace;
        this.description = description;
    }

    /**
     * Runs {@code sample} as a program: {@code KUBECONFIG}, when set and no {@code --kubeconfig}
     * is given, selects that cluster; exits with the sample's status, or 2 with a message when the
     * arguments or the cluster cannot be used.
     */
    static void main(String[] args, Sample sample) {
        List<String> all = new ArrayList<>(List.of(args));
        String env = System.getenv("KUBECONFIG");
        if (!all.contains("--kubeconfig") && env != null && !env.isBlank()) {
            all.add("--kubeconfig");
            all.add(env.split(File.pathSeparator)[0]);
        }
        int status;
        try {
            status = sample.run(all.toArray(new String[0]), System.out);
        } catch (UnusableException e) {
            System.err.println(e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    /**
     * Opens the cluster {@code args} name: {@code --kubeconfig <file>} for a real one, else the
     * embedded cluster {@code embedded} starts.
     *
     * @throws UnusableException if an argument is unknown, or the real cluster lacks the namespace
     */
    static SampleCluster open(String[] args, String defaultNamespace, Supplier<InMemoryCluster> embedded) {
        String kubeconfig = option(args, "--kubeconfig", null);
        String namespace = option(args, "--namespace", defaultNamespace);
        if (kubeconfig != null) {
            return real(Path.of(kubeconfig), namespace);
        }
        InMemoryCluster cluster = embedded.get();
        KubernetesClient kube = cluster.kubernetesClient();
        if (kube.namespaces().withName(namespace).get() == null) {
            kube.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
        }
        return new SampleCluster(cluster, cluster.skiff(), namespace, "an embedded in-memory cluster");
    }

    /**
     * Connects to a real cluster only: {@code --kubeconfig <file>}, else as {@code kubectl} does
     * ({@code KUBECONFIG}, {@code ~/.kube/config}, or the in-cluster service account).
     */
    static SampleCluster connect(String[] args, String defaultNamespace) {
        String kubeconfig = option(args, "--kubeconfig", null);
        String namespace = option(args, "--namespace", defaultNamespace);
        return real(kubeconfig == null ? null : Path.of(kubeconfig), namespace);
    }

    private static SampleCluster real(Path kubeconfig, String namespace) {
        SkiffConfig.Builder config = SkiffConfig.builder().namespace(namespace);
        String where = "the cluster of the current kubeconfig";
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new UnusableException("kubeconfig " + kubeconfig + " cannot be read");
            }
            config.kubeconfig(kubeconfig);
            where = "the cluster of " + kubeconfig;
        }
        Skiff skiff = Skiff.connect(config.build());
        try {
            if (skiff.kubernetesClient().namespaces().withName(namespace).get() == null) {
                throw new UnusableException("namespace " + namespace + " does not exist on " + where
                        + ": create it (kubectl create namespace " + namespace
                        + ") or name another with --namespace");
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) { // allowed in the namespace but not to read it: go on
                skiff.close();
                throw new UnusableException("cannot reach " + where + ": " + e.getMessage());
            }
        } catch (UnusableException e) {
            skiff.close();
            throw e;
        }
        return new SampleCluster(null, skiff, namespace, where);
    }

    private static String option(String[] args, String name, String otherwise) {
        String value = otherwise;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals("--kubeconfig") && !args[i].equals("--namespace")) {
                throw new UnusableException("unknown argument " + args[i] + "; usage: " + USAGE);
            }
            if (i + 1 == args.length) {
                throw new UnusableException(args[i] + " needs a value; usage: " + USAGE);
            }
            if (args[i].equals(name)) {
                value = args[i + 1];
            }
            i++;
        }
        return value;
    }

    /** Returns the Skiff client; closed with this cluster. */
    Skiff skiff() {
        return skiff;
    }

    /** Returns the fabric8 client Skiff sends through, for reads Skiff does not cover. */
    KubernetesClient kube() {
        return skiff.kubernetesClient();
    }

    /** Returns the namespace the sample works in. */
    String namespace() {
        return namespace;
    }

    /** Returns whether this is the embedded in-memory cluster. */
    boolean embedded() {
        return embedded != null;
    }

    /**
     * Returns the embedded cluster.
     *
     * @throws IllegalStateException on a real cluster
     */
    InMemoryCluster inMemory() {
        if (embedded == null) {
            throw new IllegalStateException("not an embedded cluster: " + description);
        }
        return embedded;
    }

    /** Moves the embedded cluster's virtual clock; on a real cluster time passes by itself. */
    void advanceClock(Duration duration) {
        if (embedded != null) {
            embedded.advanceClock(duration);
        }
    }

    /** Returns the cluster's time: the embedded cluster's virtual clock, or this machine's. */
    Instant now() {
        return embedded != null ? embedded.now() : Instant.now();
    }

    /**
     * Waits until {@code done} holds: on the embedded cluster by moving its clock a second at a
     * time, on a real one by looking again every quarter second.
     *
     * @throws IllegalStateException if it does not hold within {@code timeout}
     */
    void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration moved = Duration.ZERO;
        while (!done.getAsBoolean()) {
            if (embedded != null ? moved.compareTo(timeout) >= 0 : System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + timeout + ": " + what);
            }
            if (embedded != null) {
                embedded.advanceClock(Duration.ofSeconds(1));
                moved = moved.plusSeconds(1);
            } else {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for " + what, e);
                }
            }
        }
    }

    /** Returns one line per node with GPUs, free and allocatable, or a line saying there are none. */
    String gpus() {
        String summary = GpuInventory.read(skiff).summary();
        return summary.isEmpty() ? "(no node with GPUs)\n" : summary;
    }

    /** Returns {@code an embedded in-memory cluster} or {@code the cluster of <kubeconfig>}. */
    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close(); // closes its Skiff client first
        } else {
            skiff.close();
        }
    }
}
