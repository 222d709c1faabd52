package dev.skiff.conformance;

import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real control plane of {@code conformance/controlplane}, started once per JVM by its {@code up}
 * script and shared by every test; stopped by {@code down} when the JVM exits, unless the system
 * property {@code skiff.conformance.keep} is {@code true}.
 *
 * <p>Without Go on the machine this fails with a message saying how to get it: the real-cluster
 * leg is never skipped.
 */
final class RealControlPlane {
    private static final String GO_MISSING = "The real control plane is built from Kubernetes' Go modules and needs Go"
            + " 1.26 or newer, which was not found on PATH, at /usr/local/go/bin/go or in $GO. Get it from"
            + " https://go.dev/dl/ (for example: curl -sSL https://go.dev/dl/go1.26.0.linux-amd64.tar.gz | tar -C"
            + " /usr/local -xz) and run again; the first build takes about 10 minutes.";

    private static RealControlPlane instance;

    private final Path kubeconfig;
    private final KubernetesClient client;
    private final Skiff skiff;

    private RealControlPlane(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig, StandardCharsets.UTF_8));
            config.setRequestRetryBackoffLimit(0);
            this.client = new KubernetesClientBuilder()
                    .withConfig(config)
                    .withHttpClientFactory(new JdkHttpClientFactory())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.skiff = Skiff.using(client);
    }

    /** Returns the control plane, starting it on first use. */
    static synchronized RealControlPlane get() {
        if (instance == null) {
            Path dir = controlPlaneDir();
            requireGo();
            Path kubeconfig = up(dir);
            instance = new RealControlPlane(kubeconfig);
            if (!Boolean.getBoolean("skiff.conformance.keep")) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    instance.client.close();
                    run(dir.resolve("down"));
                }));
            }
        }
        return instance;
    }

    /** Returns the kubeconfig {@code up} wrote. */
    Path kubeconfig() {
        return kubeconfig;
    }

    /** Returns an administrator's client, shared; do not close it. */
    KubernetesClient client() {
        return client;
    }

    /** Returns a {@link Skiff} on {@link #client()}. */
    Skiff skiff() {
        return skiff;
    }

    /**
     * Compacts etcd up to {@code revision} (a resourceVersion the caller has seen), through etcd's
     * own HTTP gateway on the port {@code up} wrote to the run directory's {@code env}: older
     * resourceVersions of resources the API server does not cache ({@code podtemplates}, see {@code
     * up}) are then answered with 410. Compacting no further than that, and not to etcd's newest
     * revision, spares the API server's own watches of etcd, which may lag a little behind.
     */
    void compactEtcd(long revision) {
        try {
            String port = Files.readAllLines(kubeconfig.resolveSibling("env"), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("ETCD_PORT="))
                    .map(l -> l.substring("ETCD_PORT=".length()).strip())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no ETCD_PORT in the run directory's env"));
            var http = java.net.http.HttpClient.newHttpClient();
            post(
                    http,
                    "http://127.0.0.1:" + port + "/v3/kv/compaction",
                    "{\"revision\":" + revision + ",\"physical\":true}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String post(java.net.http.HttpClient http, String url, String body)
            throws IOException, InterruptedException {
        var response = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static Path controlPlaneDir() {
        String root = System.getProperty("skiff.conformance.root");
        Path start =
                Path.of(root != null ? root : System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            for (Path candidate : List.of(p.resolve("controlplane"), p.resolve("conformance/controlplane"))) {
                if (Files.isExecutable(candidate.resolve("up"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("conformance/controlplane/up not found above " + start);
    }

    private static void requireGo() {
        List<Path> candidates = new ArrayList<>();
        String go = System.getenv("GO");
        if (go != null && !go.isBlank()) {
            candidates.add(Path.of(go));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "go"));
            }
        }
        candidates.add(Path.of("/usr/local/go/bin/go"));
        if (candidates.stream().noneMatch(Files::isExecutable)) {
            throw new IllegalStateException(GO_MISSING);
        }
    }

    private static Path up(Path dir) {
        String output = run(dir.resolve("up"));
        String[] lines = output.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (!last.startsWith("KUBECONFIG=")) {
            throw new IllegalStateException("controlplane/up did not print KUBECONFIG=<path> last:\n" + output);
        }
        return Path.of(last.substring("KUBECONFIG=".length()));
    }

    private static String run(Path script) {
        try {
            Process p = new ProcessBuilder(script.toString())
                    .redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        script.getFileName() + " failed:\n" + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
