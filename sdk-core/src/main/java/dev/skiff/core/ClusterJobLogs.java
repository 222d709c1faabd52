package dev.skiff.core;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link JobLogs} over the pod {@code log} endpoint. */
final class ClusterJobLogs implements JobLogs {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterJobLogs.class);

    /** What a query selects. */
    record Selection(
            OptionalInt index, Optional<String> pod, Optional<String> container, boolean previous, OptionalInt tail) {
        static final Selection ALL =
                new Selection(OptionalInt.empty(), Optional.empty(), Optional.empty(), false, OptionalInt.empty());

        boolean matches(Pod p) {
            if (pod.isPresent() && !pod.get().equals(p.getMetadata().getName())) {
                return false;
            }
            return index.isEmpty() || JobPods.index(p).equals(index);
        }
    }

    /**
     * Whose pods: a namespace, a label selector, a name for messages, and the Job whose end ends a
     * follow (none for a session: following ends when closed).
     */
    record Source(
            String namespace,
            Map<String, String> selector,
            String owner,
            @Nullable String job) {
        static Source ofJob(String namespace, String job) {
            return new Source(namespace, Map.of(JobPods.JOB_NAME_LABEL, job), "Job " + namespace + "/" + job, job);
        }
    }

    private final ClientContext ctx;
    private final Source source;
    private final Selection selection;

    ClusterJobLogs(ClientContext ctx, Source source, Selection selection) {
        this.ctx = ctx;
        this.source = source;
        this.selection = selection;
    }

    @Override
    public JobLogs index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: " + index + ": must be 0 or more");
        }
        return with(new Selection(
                OptionalInt.of(index), selection.pod(), selection.container(), selection.previous(), selection.tail()));
    }

    @Override
    public JobLogs pod(String pod) {
        return with(new Selection(
                selection.index(),
                Optional.of(Objects.requireNonNull(pod, "pod")),
                selection.container(),
                selection.previous(),
                selection.tail()));
    }

    @Override
    public JobLogs container(String container) {
        return with(new Selection(
                selection.index(),
                selection.pod(),
                Optional.of(Objects.requireNonNull(container, "container")),
                selection.previous(),
                selection.tail()));
    }

    @Override
    public JobLogs previous() {
        return with(new Selection(selection.index(), selection.pod(), selection.container(), true, selection.tail()));
    }

    @Override
    public JobLogs tail(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines: " + lines + ": must be 0 or more");
        }
        return with(new Selection(
                selection.index(),
                selection.pod(),
                selection.container(),
                selection.previous(),
                OptionalInt.of(lines)));
    }

    private JobLogs with(Selection s) {
        return new ClusterJobLogs(ctx, source, s);
    }

    /** The pods a snapshot reads: matching ones, and for an indexed job only the newest of each index. */
    private List<Pod> selectedPods() {
        List<Pod> pods = JobPods.list(ctx, source.namespace(), source.selector(), source.owner());
        Map<String, Pod> chosen = new LinkedHashMap<>();
        for (Pod p : pods) {
            if (!selection.matches(p)) {
                continue;
            }
            OptionalInt ix = JobPods.index(p);
            // sorted by index then age: a later pod of the same index replaces an earlier one
            String key = ix.isPresent() && selection.pod().isEmpty()
                    ? "#" + ix.getAsInt()
                    : p.getMetadata().getName();
            chosen.remove(key);
            chosen.put(key, p);
        }
        return new ArrayList<>(chosen.values());
    }

    private List<String> containers(Pod pod) {
        List<String> names = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                names.add(c.getName());
            }
        }
        for (Container c : pod.getSpec().getContainers()) {
            names.add(c.getName());
        }
        if (selection.container().isPresent()) {
            return names.contains(selection.container().get())
                    ? List.of(selection.container().get())
                    : List.of();
        }
        return names;
    }

    @Override
    public List<LogLine> lines() {
        List<LogLine> out = new ArrayList<>();
        for (Pod pod : selectedPods()) {
            OptionalInt index = JobPods.index(pod);
            for (String container : containers(pod)) {
                if (!hasStarted(pod, container, selection.previous())) {
                    continue;
                }
                String text;
                try {
                    text = JobPods.log(
                            ctx,
                            source.namespace(),
                            pod.getMetadata().getName(),
                            container,
                            selection.previous(),
                            selection.tail().isPresent() ? selection.tail().getAsInt() : null);
                } catch (SubmissionException e) {
                    if (e.statusCode() == 400) {
                        continue; // not started, or no previous instance
                    }
                    throw e;
                } catch (NotFoundException e) {
                    continue; // the pod went away meanwhile
                }
                for (String line : JobPods.lines(text)) {
                    out.add(new LogLine(pod.getMetadata().getName(), index, container, line));
                }
            }
        }
        return out;
    }

    @Override
    public String text() {
        List<LogLine> lines = lines();
        long sources = lines.stream().map(LogLine::pod).distinct().count();
        StringBuilder sb = new StringBuilder();
        for (LogLine line : lines) {
            sb.append(sources > 1 ? line.prefixed() : line.text()).append('\n');
        }
        return sb.toString();
    }

    private static boolean hasStarted(Pod pod, String container, boolean previous) {
        for (ContainerStatus cs : JobPods.statuses(pod)) {
            if (cs.getName().equals(container)) {
                if (previous) {
                    return cs.getLastState() != null && cs.getLastState().getTerminated() != null;
                }
                return cs.getState() != null
                        && (cs.getState().getRunning() != null || cs.getState().getTerminated() != null);
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ follow

    @Override
    public Subscription follow(Consumer<LogLine> sink) {
        Objects.requireNonNull(sink, "sink");
        Follow follow = new Follow(sink);
        follow.start();
        return follow::close;
    }

    /**
     * Follows every matching container instance: a pod watch finds containers as they start
     * (replacement pods and restarts included), each gets a streaming reader, and the whole ends
     * once the Job has finished and every stream has ended.
     */
    private final class Follow implements JobTracker.Follower, Watcher<Pod> {
        private final Consumer<LogLine> sink;
        private final Set<String> started = ConcurrentHashMap.newKeySet();
        private final Map<String, LogWatch> streams = new ConcurrentHashMap<>();
        private volatile boolean closed;
        private volatile boolean jobDone;
        private volatile boolean listed;
        private final java.util.concurrent.atomic.AtomicInteger pending =
                new java.util.concurrent.atomic.AtomicInteger();
        private @Nullable Watch podWatch; // guarded by this
        private JobTracker.@Nullable Registration registration; // guarded by this

        Follow(Consumer<LogLine> sink) {
            this.sink = sink;
        }

        void start() {
            if (source.job() != null) {
                JobTracker.Registration reg = ctx.tracker.follow(source.namespace(), source.job(), true, this);
                synchronized (this) {
                    registration = reg;
                }
                reg.synced().thenRunAsync(() -> reg.cached().ifPresent(this::onJob), ctx.workers);
            }
            ctx.workers.execute(this::watchPods);
        }

        private void watchPods() {
            if (closed) {
                return;
            }
            try {
                for (Pod p : JobPods.list(ctx, source.namespace(), source.selector(), source.owner())) {
                    consider(p);
                }
                listed = true;
                maybeFinish();
                Watch w = ctx.client
                        .pods()
                        .inNamespace(source.namespace())
                        .withLabels(source.selector())
                        .watch(this);
                synchronized (this) {
                    if (closed) {
                        w.close();
                    } else {
                        podWatch = w;
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("following the logs of {}: {}", source.owner(), e.toString());
            }
        }

        @Override
        public void eventReceived(Action action, Pod pod) {
            if (action != Action.DELETED) {
                consider(pod);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            if (!closed) {
                LOG.debug("pod watch of {} closed ({}); starting over", source.owner(), cause.getMessage());
                ctx.workers.execute(this::watchPods);
            }
        }

        @Override
        public void onJob(Job job) {
            if (JobStatuses.outcome(job).isPresent()) {
                jobDone = true;
                maybeFinish();
            }
        }

        @Override
        public void onDeleted(Job lastKnown) {
            jobDone = true;
            maybeFinish();
        }

        private void consider(Pod pod) {
            if (closed || !selection.matches(pod)) {
                return;
            }
            for (String container : containers(pod)) {
                for (ContainerStatus cs : JobPods.statuses(pod)) {
                    if (!cs.getName().equals(container) || cs.getState() == null) {
                        continue;
                    }
                    if (cs.getState().getRunning() == null && cs.getState().getTerminated() == null) {
                        continue;
                    }
                    String key = pod.getMetadata().getUid() + "/" + container + "/" + cs.getRestartCount();
                    if (started.add(key)) {
                        boolean first = started.stream()
                                .noneMatch(k -> !k.equals(key)
                                        && k.startsWith(pod.getMetadata().getUid() + "/" + container + "/"));
                        pending.incrementAndGet();
                        ctx.streams.execute(() -> stream(pod, container, key, first));
                    }
                }
            }
        }

        private void stream(Pod pod, String container, String key, boolean first) {
            String podName = pod.getMetadata().getName();
            OptionalInt index = JobPods.index(pod);
            ContainerResource resource = ctx.client
                    .pods()
                    .inNamespace(source.namespace())
                    .withName(podName)
                    .inContainer(container);
            LogWatch watch = null;
            try {
                watch = first && selection.tail().isPresent()
                        ? resource.tailingLines(selection.tail().getAsInt()).watchLog()
                        : resource.watchLog();
                streams.put(key, watch);
                if (closed) {
                    return;
                }
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                    String line;
                    while (!closed && (line = reader.readLine()) != null) {
                        LogLine l = new LogLine(podName, index, container, line);
                        synchronized (sink) {
                            sink.accept(l);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("log stream of {} [{}] ended: {}", podName, container, e.toString());
                }
            } finally {
                streams.remove(key);
                if (watch != null) {
                    watch.close();
                }
                pending.decrementAndGet();
                maybeFinish();
            }
        }

        private void maybeFinish() {
            if (jobDone && listed && pending.get() == 0) {
                // let the pod watch deliver containers that ended just now before closing
                ctx.timers.schedule(
                        () -> {
                            if (pending.get() == 0) {
                                close();
                            }
                        },
                        200,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        void close() {
            Watch w;
            JobTracker.Registration reg;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                w = podWatch;
                reg = registration;
            }
            if (w != null) {
                w.close();
            }
            if (reg != null) {
                reg.close();
            }
            for (LogWatch s : streams.values()) {
                s.close();
            }
        }
    }
}
