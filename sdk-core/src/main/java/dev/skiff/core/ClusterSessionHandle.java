package dev.skiff.core;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.PortForward;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link SessionHandle} over a StatefulSet or Deployment and its Service. */
final class ClusterSessionHandle implements SessionHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSessionHandle.class);
    /** Where {@link #suspend()} keeps the replicas {@link #resume()} restores. */
    static final String SUSPENDED_REPLICAS = "skiff.dev/suspended-replicas";
    /** How long {@link #portForward} waits for the API server to refuse a forwarding connection. */
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

    private final ClientContext ctx;
    private final String namespace;
    private final String name;
    private volatile @Nullable Boolean stateful;

    ClusterSessionHandle(ClientContext ctx, String namespace, String name, @Nullable Boolean stateful) {
        this.ctx = ctx;
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        this.stateful = stateful;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public String toString() {
        return "SessionHandle[" + namespace + "/" + name + "]";
    }

    private Map<String, String> selector() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(Renderer.LABEL_INSTANCE, name);
        s.put(Renderer.LABEL_MANAGED_BY, Renderer.MANAGED_BY);
        return s;
    }

    private Resource<? extends HasMetadata> resource() {
        return isStateful()
                ? ctx.client.apps().statefulSets().inNamespace(namespace).withName(name)
                : ctx.client.apps().deployments().inNamespace(namespace).withName(name);
    }

    private boolean isStateful() {
        Boolean s = stateful;
        if (s != null) {
            return s;
        }
        String what = "find session " + namespace + "/" + name;
        StatefulSet sts;
        try {
            sts = ctx.calls.call(
                    what,
                    () -> ctx.client
                            .apps()
                            .statefulSets()
                            .inNamespace(namespace)
                            .withName(name)
                            .get());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        if (sts != null) {
            stateful = true;
            return true;
        }
        Deployment d;
        try {
            d = ctx.calls.call(
                    what,
                    () -> ctx.client
                            .apps()
                            .deployments()
                            .inNamespace(namespace)
                            .withName(name)
                            .get());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        if (d == null) {
            throw new NotFoundException(
                    "session " + namespace + "/" + name + " does not exist (no StatefulSet or Deployment)", null);
        }
        stateful = false;
        return false;
    }

    private String ref() {
        return (isStateful() ? "StatefulSet " : "Deployment ") + namespace + "/" + name;
    }

    private HasMetadata read() {
        String what = "get " + ref();
        HasMetadata object;
        try {
            object = ctx.calls.call(what, () -> resource().get());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        if (object == null) {
            throw new NotFoundException(ref() + " does not exist", null);
        }
        return object;
    }

    @Override
    public SessionStatus status() {
        return status(read());
    }

    SessionStatus status(HasMetadata object) {
        int replicas;
        int ready;
        int updated;
        int available;
        Long observedGeneration;
        // pods of an older template are left
        boolean oldLeft;
        // a changed template is being rolled out
        boolean rolling;
        if (object instanceof StatefulSet sts) {
            replicas = orZero(sts.getSpec().getReplicas(), 1);
            var s = sts.getStatus();
            ready = s == null ? 0 : orZero(s.getReadyReplicas(), 0);
            updated = s == null ? 0 : orZero(s.getUpdatedReplicas(), 0);
            available = s == null ? 0 : orZero(s.getAvailableReplicas(), 0);
            observedGeneration = s == null ? null : s.getObservedGeneration();
            // the controller names the revision it rolls away from and the one it rolls to
            oldLeft = s != null
                    && s.getCurrentRevision() != null
                    && s.getUpdateRevision() != null
                    && !s.getCurrentRevision().equals(s.getUpdateRevision());
            rolling = oldLeft;
        } else {
            Deployment d = (Deployment) object;
            replicas = orZero(d.getSpec().getReplicas(), 1);
            var s = d.getStatus();
            ready = s == null ? 0 : orZero(s.getReadyReplicas(), 0);
            updated = s == null ? 0 : orZero(s.getUpdatedReplicas(), 0);
            available = s == null ? 0 : orZero(s.getAvailableReplicas(), 0);
            observedGeneration = s == null ? null : s.getObservedGeneration();
            oldLeft = s != null && orZero(s.getReplicas(), 0) > updated;
            // or the template has changed since the first one (revision 2 on): with Recreate the old
            // pods go before the new ones come, so none is left while the new ones start
            rolling = oldLeft || deploymentRevision(d) > 1;
        }
        Long generation = object.getMetadata().getGeneration();
        boolean observed = observedGeneration != null && (generation == null || observedGeneration >= generation);
        SessionStatus.Phase phase;
        if (replicas == 0) {
            phase = SessionStatus.Phase.SUSPENDED;
        } else if (observed && updated >= replicas && ready >= replicas && !oldLeft) {
            phase = SessionStatus.Phase.READY;
        } else if (observed && rolling) {
            phase = SessionStatus.Phase.UPDATING;
        } else {
            phase = SessionStatus.Phase.PENDING;
        }
        return new SessionStatus(
                object.getKind() + " " + namespace + "/" + name, phase, replicas, ready, updated, available, observed);
    }

    private static int deploymentRevision(Deployment d) {
        Map<String, String> a = d.getMetadata().getAnnotations();
        String revision = a == null ? null : a.get("deployment.kubernetes.io/revision");
        if (revision == null) {
            return 0;
        }
        try {
            return Integer.parseInt(revision);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int orZero(@Nullable Integer i, int otherwise) {
        return i == null ? otherwise : i;
    }

    @Override
    public SessionStatus awaitReady(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        // a session that does not exist will not become ready: say so now, not at the timeout
        SessionStatus now = status(read());
        if (now.phase() == SessionStatus.Phase.READY) {
            return now;
        }
        try {
            HasMetadata ready = resource()
                    .waitUntilCondition(
                            o -> o != null && status(o).phase() == SessionStatus.Phase.READY,
                            Math.max(1, timeout.toMillis()),
                            TimeUnit.MILLISECONDS);
            return status(ready);
        } catch (KubernetesClientTimeoutException e) {
            String diagnosis;
            try {
                diagnosis = diagnose().explanation();
            } catch (SkiffException d) {
                diagnosis = "(no diagnosis: " + d.getMessage() + ")";
            }
            throw new AwaitTimeoutException(ref() + " was not ready within " + timeout + ". " + diagnosis, e);
        }
    }

    @Override
    public Diagnosis diagnose() {
        HasMetadata object = read();
        SessionStatus status = status(object);
        JobStatus.Phase phase = switch (status.phase()) {
            case READY, UPDATING -> JobStatus.Phase.RUNNING;
            case SUSPENDED -> JobStatus.Phase.SUSPENDED;
            case PENDING -> JobStatus.Phase.PENDING;
        };
        List<Diagnosis.Finding> findings = new ArrayList<>();
        if (status.phase() == SessionStatus.Phase.SUSPENDED) {
            findings.add(new Diagnosis.Finding(
                    Diagnosis.Kind.SUSPENDED,
                    "",
                    "scaled to zero"
                            + (annotation(object) != null
                                    ? " by suspend(); resume() restores " + annotation(object) + " replicas"
                                    : ""),
                    Map.of(),
                    java.util.Optional.empty()));
        } else {
            List<Pod> pods = JobPods.list(ctx, namespace, selector(), ref());
            findings.addAll(Diagnoser.fromPods(pods));
            findings.removeIf(f -> f.kind() == Diagnosis.Kind.RUNNING);
            if (findings.isEmpty()) {
                findings.add(new Diagnosis.Finding(
                        status.phase() == SessionStatus.Phase.READY ? Diagnosis.Kind.RUNNING : Diagnosis.Kind.STARTING,
                        "",
                        status.phase() == SessionStatus.Phase.READY
                                ? "all " + status.replicas() + " replicas are ready"
                                : status.readyReplicas() + " of " + status.replicas() + " replicas are ready ("
                                        + status.updatedReplicas() + " updated)",
                        Map.of(),
                        java.util.Optional.empty()));
            }
            findings.sort(
                    Comparator.comparing((Diagnosis.Finding f) -> !f.kind().isStuck()));
        }
        return new Diagnosis(status.session(), phase, findings);
    }

    private static @Nullable String annotation(HasMetadata object) {
        Map<String, String> a = object.getMetadata().getAnnotations();
        return a == null ? null : a.get(SUSPENDED_REPLICAS);
    }

    @Override
    public Endpoint endpoint() {
        String what = "get Service " + namespace + "/" + name;
        Service service;
        try {
            service = ctx.calls.call(
                    what,
                    () -> ctx.client
                            .services()
                            .inNamespace(namespace)
                            .withName(name)
                            .get());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        List<Integer> ports = new ArrayList<>();
        if (service != null && service.getSpec().getPorts() != null) {
            for (ServicePort p : service.getSpec().getPorts()) {
                ports.add(p.getPort());
            }
        }
        String host = name + "." + namespace + ".svc.cluster.local";
        List<String> replicas = new ArrayList<>();
        if (isStateful()) {
            int n = status().replicas();
            for (int i = 0; i < n; i++) {
                replicas.add(name + "-" + i + "." + host);
            }
        }
        return new Endpoint(host, ports, replicas);
    }

    @Override
    public LocalPortForward portForward(int localPort, int remotePort) {
        Pod pod = JobPods.list(ctx, namespace, selector(), ref()).stream()
                .filter(ClusterSessionHandle::isReady)
                .findFirst()
                .orElseThrow(() -> new SkiffException(ref() + " has no ready pod to forward to"));
        String podName = pod.getMetadata().getName();
        String what = "forward local port " + localPort + " to " + podName + ":" + remotePort;
        // A LocalPortForward connects only when a client connects to the local port, so a server
        // that cannot forward would fail the first client, not this call: probe one connection first.
        probeForward(podName, remotePort, what);
        try {
            return ctx.client.pods().inNamespace(namespace).withName(podName).portForward(remotePort, localPort);
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
    }

    /** Opens one forwarding connection and closes it; throws if the API server refuses or drops it. */
    private void probeForward(String podName, int remotePort, String what) {
        Pipe in;
        try {
            in = Pipe.open();
        } catch (IOException e) {
            throw new SkiffException("cannot " + what + ": " + e.getMessage(), e);
        }
        PortForward probe;
        try {
            probe = ctx.client
                    .pods()
                    .inNamespace(namespace)
                    .withName(podName)
                    .portForward(remotePort, in.source(), Channels.newChannel(OutputStream.nullOutputStream()));
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        try {
            long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
            while (System.nanoTime() < deadline && probe.isAlive() && !probe.errorOccurred()) {
                Thread.sleep(20);
            }
            if (probe.errorOccurred() || !probe.isAlive()) {
                List<Throwable> errors = new ArrayList<>(probe.getClientThrowables());
                errors.addAll(probe.getServerThrowables());
                String cause = errors.isEmpty() ? "the connection was closed" : describe(errors.get(0));
                SkiffException e = new SkiffException("cannot " + what + ": the API server did not forward the"
                        + " port (" + cause + "); port forwarding needs a cluster whose nodes run containers");
                errors.forEach(e::addSuppressed);
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("interrupted while trying to " + what, e);
        } finally {
            try {
                probe.close();
                in.sink().close();
                in.source().close();
            } catch (IOException ignored) {
                // closing the probe is best effort
            }
        }
    }

    /** A forwarding error in a few words: the handshake's HTTP status and the server's reason. */
    private static String describe(Throwable error) {
        if (error instanceof WebSocketHandshakeException handshake) {
            String text = "the server answered HTTP " + handshake.getResponse().code()
                    + " instead of 101 Switching Protocols";
            Throwable cause = handshake.getCause();
            return cause == null || cause.getMessage() == null ? text : text + ": " + cause.getMessage();
        }
        return error.getMessage() == null ? error.toString() : error.getMessage();
    }

    private static boolean isReady(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void scale(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas: " + replicas + ": must be 0 or more");
        }
        patch("scale " + ref() + " to " + replicas, "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    @Override
    public void suspend() {
        SessionStatus s = status();
        if (s.replicas() == 0) {
            return;
        }
        patch(
                "suspend " + ref(),
                "{\"metadata\":{\"annotations\":{\"" + SUSPENDED_REPLICAS + "\":\"" + s.replicas()
                        + "\"}},\"spec\":{\"replicas\":0}}");
        LOG.debug("suspended {} ({} replicas)", ref(), s.replicas());
    }

    @Override
    public void resume() {
        HasMetadata object = read();
        String remembered = annotation(object);
        if (remembered == null) {
            return;
        }
        int replicas;
        try {
            replicas = Integer.parseInt(remembered);
        } catch (NumberFormatException e) {
            replicas = 1;
        }
        patch(
                "resume " + ref(),
                "{\"metadata\":{\"annotations\":{\"" + SUSPENDED_REPLICAS + "\":null}},\"spec\":{\"replicas\":"
                        + replicas + "}}");
    }

    private void patch(String what, String mergePatch) {
        try {
            ctx.calls.run(what, () -> resource().patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch));
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
    }

    @Override
    public void update(InteractiveSession session) {
        Objects.requireNonNull(session, "session");
        if (!session.name().equals(name)) {
            throw new IllegalArgumentException(
                    "session.name: \"" + session.name() + "\": must be the handle's name \"" + name + "\"");
        }
        if (session.isStateful() != isStateful()) {
            throw new IllegalArgumentException("session.perReplicaStorage: a session cannot change between"
                    + " StatefulSet (per-replica storage) and Deployment; delete it and submit again");
        }
        List<HasMetadata> objects = Renderer.render(session);
        HasMetadata main = objects.get(0);
        Object template = main instanceof StatefulSet sts
                ? sts.getSpec().getTemplate()
                : ((Deployment) main).getSpec().getTemplate();
        String json = ctx.client.getKubernetesSerialization().asJson(template);
        String hash = Skiff.specHash(session);
        String patch = "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":" + json + "},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":"
                + annotationsJson(read(), hash) + "}]";
        String what = "update " + ref();
        try {
            ctx.calls.run(what, () -> resource().patch(PatchContext.of(PatchType.JSON), patch));
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
    }

    private String annotationsJson(HasMetadata current, String hash) {
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(current.getMetadata().getAnnotations());
        annotations.put(Skiff.SPEC_HASH_ANNOTATION, hash);
        return ctx.client.getKubernetesSerialization().asJson(annotations);
    }

    @Override
    public JobLogs logs() {
        return new ClusterJobLogs(
                ctx, new ClusterJobLogs.Source(namespace, selector(), ref(), null), ClusterJobLogs.Selection.ALL);
    }

    @Override
    public List<WorkloadEvent> events() {
        String kind = isStateful() ? "StatefulSet" : "Deployment";
        List<WorkloadEvent> out = new ArrayList<>(Diagnoser.list(ctx, namespace, kind, name));
        Pattern own = Pattern.compile(Pattern.quote(name) + "-[a-z0-9]+(-[a-z0-9]{5})?");
        if (!isStateful()) {
            for (WorkloadEvent e : Diagnoser.list(ctx, namespace, "ReplicaSet", null)) {
                if (own.matcher(e.objectName()).matches()) {
                    out.add(e);
                }
            }
        }
        for (WorkloadEvent e : Diagnoser.list(ctx, namespace, "Pod", null)) {
            if (own.matcher(e.objectName()).matches()) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing((WorkloadEvent e) -> e.time().orElse(Instant.EPOCH)));
        return out;
    }

    @Override
    public void delete() {
        String what = "delete " + ref();
        try {
            ctx.calls.run(
                    what,
                    () -> resource()
                            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                            .delete());
        } catch (RuntimeException e) {
            SkiffException s = ClientContext.translate(what, e);
            if (!(s instanceof NotFoundException)) {
                throw s;
            }
        }
    }
}
