package dev.skiff.testing.internal.timeline;

import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Listens to the store's changes and keeps, per pod, a few numbers and names: when it was created,
 * bound, and ended, on which node and GPUs, and how it ended. GPUs are given to a pod at bind time,
 * the lowest free indices of its node first, and freed when it ends.
 *
 * <p>Memory stays bounded: objects are never kept, only these compact records; past {@code
 * maxFinished} finished pods the oldest are forgotten (and counted), and past {@code maxSteps}
 * utilisation steps neighbouring steps are merged, keeping the higher use.
 *
 * <p>Not thread-safe: the store calls it on the engine thread, and {@link #snapshot} must run there
 * too.
 */
public final class TimelineRecorder implements Consumer<Change> {
    static final int DEFAULT_MAX_FINISHED = 100_000;
    static final int DEFAULT_MAX_STEPS = 100_000;

    private static final class NodeTrack {
        final String name;
        int gpus;
        boolean present = true;
        final BitSet used = new BitSet();
        int highest;

        NodeTrack(String name) {
            this.name = name;
        }
    }

    private static final class PodTrack {
        final String namespace;
        final String name;
        final @Nullable String job;
        final long created;

        @Nullable
        String node;

        int[] gpus = new int[0];
        long bound = -1;
        long ended = -1;

        @Nullable
        Outcome outcome;

        PodTrack(String namespace, String name, @Nullable String job, long created) {
            this.namespace = namespace;
            this.name = name;
            this.job = job;
            this.created = created;
        }

        Timeline.PodSpan span() {
            Outcome o = outcome != null ? outcome : node != null ? Outcome.RUNNING : Outcome.PENDING;
            return new Timeline.PodSpan(namespace, name, job, node, gpus.clone(), created, bound, ended, o);
        }
    }

    private final Supplier<Instant> clock;
    private final long start;
    private final int maxFinished;
    private final int maxSteps;
    private final Map<String, NodeTrack> nodes = new LinkedHashMap<>();
    /** Pods not yet ended, by uid, in creation order. */
    private final Map<String, PodTrack> live = new LinkedHashMap<>();

    private final ArrayDeque<PodTrack> finished = new ArrayDeque<>();
    private long podsLeftOut;
    private long[] stepAt;
    private int[] stepInUse;
    private int[] stepTotal;
    private int steps;
    private int inUse;
    private int total;

    /** Records from now on, with the default bounds. */
    public TimelineRecorder(Supplier<Instant> clock) {
        this(clock, DEFAULT_MAX_FINISHED, DEFAULT_MAX_STEPS);
    }

    TimelineRecorder(Supplier<Instant> clock, int maxFinished, int maxSteps) {
        this.clock = clock;
        this.start = clock.get().toEpochMilli();
        this.maxFinished = maxFinished;
        this.maxSteps = Math.max(4, maxSteps);
        int initial = Math.min(64, this.maxSteps);
        this.stepAt = new long[initial];
        this.stepInUse = new int[initial];
        this.stepTotal = new int[initial];
    }

    @Override
    public void accept(Change change) {
        if (change.resource() == ResourceTypes.PODS) {
            onPod(change);
        } else if (change.resource() == ResourceTypes.NODES) {
            onNode(change);
        }
    }

    private long now() {
        return clock.get().toEpochMilli();
    }

    private void onNode(Change change) {
        Node node = (Node) change.object();
        String name = node.getMetadata().getName();
        NodeTrack track = nodes.computeIfAbsent(name, NodeTrack::new);
        int before = track.present ? track.gpus : 0;
        if (change.type() == Change.Type.DELETED) {
            track.present = false;
        } else {
            track.present = true;
            track.gpus = node.getStatus() == null ? 0 : gpus(node.getStatus().getAllocatable());
            track.highest = Math.max(track.highest, track.gpus);
        }
        int after = track.present ? track.gpus : 0;
        if (before != after) {
            total += after - before;
            step();
        }
    }

    private void onPod(Change change) {
        Pod pod = (Pod) change.object();
        String uid = pod.getMetadata().getUid();
        PodTrack track = live.get(uid);
        if (track == null) {
            if (change.type() != Change.Type.ADDED) {
                return; // ended already, or created before recording began
            }
            track = new PodTrack(
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), job(pod), now());
            live.put(uid, track);
        }
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (track.node == null && nodeName != null) {
            bind(track, pod, nodeName);
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        if (change.type() == Change.Type.DELETED
                || (terminal && pod.getMetadata().getDeletionTimestamp() != null)) {
            // the kubelet stops a deleted pod's containers (phase Failed) before it goes: a deletion
            end(uid, track, Outcome.DELETED);
        } else if ("Succeeded".equals(phase)) {
            end(uid, track, Outcome.SUCCEEDED);
        } else if ("Failed".equals(phase)) {
            end(uid, track, oomKilled(pod) ? Outcome.OOMKILLED : Outcome.FAILED);
        }
    }

    private void bind(PodTrack track, Pod pod, String nodeName) {
        track.node = nodeName;
        track.bound = now();
        int wanted = podGpus(pod);
        if (wanted == 0) {
            return;
        }
        NodeTrack node = nodes.computeIfAbsent(nodeName, NodeTrack::new);
        int[] gpus = new int[wanted];
        int i = -1;
        for (int k = 0; k < wanted; k++) {
            i = node.used.nextClearBit(i + 1);
            gpus[k] = i;
            node.used.set(i);
        }
        node.highest = Math.max(node.highest, i + 1);
        track.gpus = gpus;
        inUse += wanted;
        step();
    }

    private void end(String uid, PodTrack track, Outcome outcome) {
        track.ended = now();
        track.outcome = outcome;
        live.remove(uid);
        if (track.gpus.length > 0 && track.node != null) {
            NodeTrack node = nodes.get(track.node);
            for (int g : track.gpus) {
                node.used.clear(g);
            }
            inUse -= track.gpus.length;
            step();
        }
        finished.addLast(track);
        while (finished.size() > maxFinished) {
            finished.removeFirst();
            podsLeftOut++;
        }
    }

    private void step() {
        long at = now();
        if (steps > 0 && stepAt[steps - 1] == at) {
            steps--; // a later change at the same instant replaces the step
        }
        if (steps >= maxSteps) {
            halveSteps();
        } else if (steps == stepAt.length) {
            int n = Math.min(maxSteps, steps * 2);
            stepAt = Arrays.copyOf(stepAt, n);
            stepInUse = Arrays.copyOf(stepInUse, n);
            stepTotal = Arrays.copyOf(stepTotal, n);
        }
        stepAt[steps] = at;
        stepInUse[steps] = inUse;
        stepTotal[steps] = total;
        steps++;
    }

    /** Merges each pair of steps into one, at the first's time, with the higher use of the two. */
    private void halveSteps() {
        int n = 0;
        for (int i = 0; i < steps; i += 2) {
            int j = Math.min(i + 1, steps - 1);
            boolean secondHigher =
                    (long) stepInUse[j] * Math.max(1, stepTotal[i]) > (long) stepInUse[i] * Math.max(1, stepTotal[j]);
            stepAt[n] = stepAt[i];
            stepInUse[n] = secondHigher ? stepInUse[j] : stepInUse[i];
            stepTotal[n] = secondHigher ? stepTotal[j] : stepTotal[i];
            n++;
        }
        steps = n;
    }

    /** Returns what was recorded until now. */
    public Timeline snapshot() {
        List<Timeline.Node> nodeList = new ArrayList<>();
        for (NodeTrack n : nodes.values()) {
            nodeList.add(new Timeline.Node(n.name, Math.max(n.gpus, n.highest)));
        }
        List<Timeline.PodSpan> pods = new ArrayList<>(finished.size() + live.size());
        for (PodTrack p : finished) {
            pods.add(p.span());
        }
        for (PodTrack p : live.values()) {
            pods.add(p.span());
        }
        pods.sort(Comparator.comparingLong(Timeline.PodSpan::created));
        List<Timeline.UtilisationStep> util = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            util.add(new Timeline.UtilisationStep(stepAt[i], stepInUse[i], stepTotal[i]));
        }
        // the picture starts with the first pod: a cluster idle before it is of no interest
        long from = pods.isEmpty() || podsLeftOut > 0
                ? start
                : Math.max(start, pods.get(0).created());
        return new Timeline(from, Math.max(from, now()), nodeList, pods, util, podsLeftOut);
    }

    private static @Nullable String job(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels != null) {
            String job = labels.get("batch.kubernetes.io/job-name");
            if (job == null) {
                job = labels.get("job-name");
            }
            if (job != null) {
                return job;
            }
        }
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        if (refs != null) {
            for (OwnerReference r : refs) {
                if (Boolean.TRUE.equals(r.getController())) {
                    return "Job".equals(r.getKind()) ? r.getName() : r.getKind() + "/" + r.getName();
                }
            }
        }
        return null;
    }

    private static boolean oomKilled(Pod pod) {
        if (pod.getStatus() == null) {
            return false;
        }
        if ("OOMKilled".equals(pod.getStatus().getReason())) {
            return true;
        }
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses != null) {
            for (ContainerStatus cs : statuses) {
                if (cs.getState() != null
                        && cs.getState().getTerminated() != null
                        && "OOMKilled".equals(cs.getState().getTerminated().getReason())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whole GPUs a pod holds: its containers' sum, or its largest init container if more. */
    static int podGpus(Pod pod) {
        if (pod.getSpec() == null) {
            return 0;
        }
        int sum = 0;
        if (pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                sum += containerGpus(c.getResources());
            }
        }
        int init = 0;
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                init = Math.max(init, containerGpus(c.getResources()));
            }
        }
        return Math.max(sum, init);
    }

    private static int containerGpus(@Nullable ResourceRequirements r) {
        if (r == null) {
            return 0;
        }
        // extended resources must have equal requests and limits; either one says it
        int limits = gpus(r.getLimits());
        return limits > 0 ? limits : gpus(r.getRequests());
    }

    /** Sums the whole-GPU resources ({@code nvidia.com/gpu}, {@code amd.com/gpu}, ...) of a list. */
    static int gpus(@Nullable Map<String, Quantity> list) {
        if (list == null) {
            return 0;
        }
        int n = 0;
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            if (e.getKey().endsWith("/gpu") && e.getValue() != null) {
                n += count(e.getValue());
            }
        }
        return n;
    }

    private static int count(Quantity q) {
        String amount = q.getAmount();
        if (amount != null && (q.getFormat() == null || q.getFormat().isEmpty())) {
            try {
                return Integer.parseInt(amount.trim());
            } catch (NumberFormatException e) {
                // not a plain integer: let the quantity parse it
            }
        }
        try {
            return q.getNumericalAmount().intValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
