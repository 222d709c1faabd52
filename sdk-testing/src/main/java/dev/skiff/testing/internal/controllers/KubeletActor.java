package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.PodScript;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.LabelSelector;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.common.PodPhases;
import dev.skiff.testing.internal.engine.Engine;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The simulated kubelet of every node: runs each pod bound to a node through Pending → Running →
 * an outcome, as kwok's stages do. By default pods owned by a Job succeed at once and other pods
 * run until deleted. kwok's annotations (or labels) choose another outcome, so one manifest behaves
 * the same here and on a real control plane with kwok:
 *
 * <ul>
 *   <li>{@code pod-complete.stage.kwok.x-k8s.io/delay: 30s}: succeed after a delay;
 *   <li>{@code pod-container-running-failed.stage.kwok.x-k8s.io: "true"} with optional {@code
 *       .../exit-code}, {@code .../reason} and {@code .../delay}: the containers fail, or with
 *       {@code .../container-name} only that one (the others keep running).
 * </ul>
 *
 * <p>Deleting a running pod stops its containers (exit code 143) and removes it once its
 * finalizers are gone. {@code OnFailure} and {@code Always} restart failed containers with the
 * kubelet's back-off (10 s doubling to 5 minutes).
 */
public final class KubeletActor implements Actor {
    static final String COMPLETE_DELAY = "pod-complete.stage.kwok.x-k8s.io/delay";
    static final String FAIL = "pod-container-running-failed.stage.kwok.x-k8s.io";
    static final String FAIL_EXIT_CODE = FAIL + "/exit-code";
    static final String FAIL_REASON = FAIL + "/reason";
    static final String FAIL_DELAY = FAIL + "/delay";
    static final String FAIL_CONTAINER = FAIL + "/container-name";

    private final ApiServer api;
    private final Engine engine;
    /** Pods that have started, by uid, with a generation counter to cancel stale timers. */
    private final Map<String, Integer> started = new HashMap<>();

    /** Scripts by label selector; the most recently added match wins. */
    private final List<Map.Entry<LabelSelector, PodScript>> scripts = new ArrayList<>();
    /** Log lines by pod uid. */
    private final Map<String, List<String>> logs = new HashMap<>();
    /** Log lines of the previous container instance, by pod uid. */
    private final Map<String, List<String>> previousLogs = new HashMap<>();
    /** Pods waiting for a Secret or ConfigMap, by uid → namespace/name. */
    private final Map<String, String> blocked = new java.util.LinkedHashMap<>();

    private int ipCounter = 1;

    public KubeletActor(ApiServer api, Engine engine) {
        this.api = api;
        this.engine = engine;
    }

    /** Adds a script for the pods matching {@code selector}; engine thread only. */
    public void addScript(LabelSelector selector, PodScript script) {
        scripts.add(0, Map.entry(selector, script));
    }

    /** Returns a pod's log text, or null when there is no such pod; engine thread only. */
    public @Nullable String log(String namespace, String name, boolean previous, @Nullable Long tailLines) {
        Pod pod = api.find(Pod.class, namespace, name);
        if (pod == null) {
            return null;
        }
        List<String> lines =
                (previous ? previousLogs : logs).get(pod.getMetadata().getUid());
        if (lines == null || lines.isEmpty()) {
            return "";
        }
        int from = tailLines == null ? 0 : (int) Math.max(0, lines.size() - tailLines);
        StringBuilder sb = new StringBuilder();
        for (String line : lines.subList(from, lines.size())) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void onChange(Change c) {
        if ((c.resource() == ResourceTypes.SECRETS || c.resource() == ResourceTypes.CONFIG_MAPS)
                && c.type() == Change.Type.ADDED
                && !blocked.isEmpty()) {
            retryBlocked(c.object().getMetadata().getNamespace());
            return;
        }
        if (c.resource() != ResourceTypes.PODS) {
            return;
        }
        Pod changed = (Pod) c.object();
        String uid = changed.getMetadata().getUid();
        if (c.type() == Change.Type.DELETED) {
            started.remove(uid);
            logs.remove(uid);
            previousLogs.remove(uid);
            blocked.remove(uid);
            return;
        }
        // act on the pod as it is now: later changes may already be stored
        Pod pod = api.find(
                Pod.class,
                changed.getMetadata().getNamespace(),
                changed.getMetadata().getName());
        if (pod == null || !uid.equals(pod.getMetadata().getUid())) {
            return;
        }
        if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
            return;
        }
        boolean terminal = PodPhases.isTerminal(pod);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            if (!terminal) {
                stop(pod, 143, "Error", "Failed", null);
            } else {
                api.delete(
                        ResourceTypes.PODS,
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        ApiServer.DeleteOptions.now());
            }
            return;
        }
        if (!terminal && !started.containsKey(uid) && "Pending".equals(PodPhases.phase(pod))) {
            started.put(uid, 0);
            start(pod);
        }
    }

    private void retryBlocked(@Nullable String namespace) {
        for (Map.Entry<String, String> e : new ArrayList<>(blocked.entrySet())) {
            String[] p = e.getValue().split("/", 2);
            if (!p[0].equals(namespace)) {
                continue;
            }
            Pod pod = api.find(Pod.class, p[0], p[1]);
            blocked.remove(e.getKey());
            if (pod != null
                    && "Pending".equals(PodPhases.phase(pod))
                    && pod.getMetadata().getDeletionTimestamp() == null) {
                start(pod);
            }
        }
    }

    /** Returns why the pod's containers cannot be created: a missing Secret or ConfigMap. */
    private @Nullable String missingReference(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        for (Container c : all) {
            if (c.getEnv() != null) {
                for (var env : c.getEnv()) {
                    var from = env.getValueFrom();
                    if (from == null) {
                        continue;
                    }
                    if (from.getSecretKeyRef() != null
                            && !Boolean.TRUE.equals(from.getSecretKeyRef().getOptional())) {
                        var secret = api.find(
                                io.fabric8.kubernetes.api.model.Secret.class,
                                ns,
                                from.getSecretKeyRef().getName());
                        if (secret == null) {
                            return "secret \"" + from.getSecretKeyRef().getName() + "\" not found";
                        }
                        boolean has = (secret.getData() != null
                                        && secret.getData()
                                                .containsKey(
                                                        from.getSecretKeyRef().getKey()))
                                || (secret.getStringData() != null
                                        && secret.getStringData()
                                                .containsKey(
                                                        from.getSecretKeyRef().getKey()));
                        if (!has) {
                            return "couldn't find key " + from.getSecretKeyRef().getKey() + " in Secret " + ns + "/"
                                    + from.getSecretKeyRef().getName();
                        }
                    }
                    if (from.getConfigMapKeyRef() != null
                            && !Boolean.TRUE.equals(from.getConfigMapKeyRef().getOptional())) {
                        var cm = api.find(
                                io.fabric8.kubernetes.api.model.ConfigMap.class,
                                ns,
                                from.getConfigMapKeyRef().getName());
                        if (cm == null) {
                            return "configmap \"" + from.getConfigMapKeyRef().getName() + "\" not found";
                        }
                        if (cm.getData() == null
                                || !cm.getData()
                                        .containsKey(from.getConfigMapKeyRef().getKey())) {
                            return "couldn't find key "
                                    + from.getConfigMapKeyRef().getKey() + " in ConfigMap " + ns + "/"
                                    + from.getConfigMapKeyRef().getName();
                        }
                    }
                }
            }
        }
        return null;
    }

    private @Nullable PodScript scriptFor(Pod pod) {
        for (Map.Entry<LabelSelector, PodScript> e : scripts) {
            if (e.getKey().matches(pod.getMetadata().getLabels())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The pod cannot start: its containers wait with {@code reason}; it stays Pending. */
    private void waiting(Pod pod, String reason, String message, String eventReason) {
        String now = ApiServer.timestamp(api.now());
        Pod copy = (Pod) api.copy(pod);
        PodStatus s = pod.getStatus() == null
                ? new PodStatus()
                : new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            ContainerState state = new ContainerState();
            ContainerStateWaiting w = new ContainerStateWaiting();
            w.setReason(reason);
            w.setMessage(message);
            state.setWaiting(w);
            ContainerStatus cs = status(c, false, 0, state, null);
            statuses.add(cs);
        }
        s.setContainerStatuses(statuses);
        s.setHostIP("10.0.0.1");
        s.setStartTime(s.getStartTime() == null ? now : s.getStartTime());
        s.setConditions(conditions(s.getConditions(), "False", now, "ContainersNotReady"));
        copy.setStatus(s);
        Pod stored = api.updateStatus(copy);
        Events.record(api, stored, "Warning", eventReason, message, "kubelet");
    }

    private void start(Pod pod) {
        String missing = missingReference(pod);
        if (missing != null) {
            blocked.put(
                    pod.getMetadata().getUid(),
                    pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
            waiting(pod, "CreateContainerConfigError", missing, "Failed");
            return;
        }
        PodScript script = scriptFor(pod);
        if (script != null && script.ending() == PodScript.Ending.IMAGE_PULL_FAILURE) {
            String image = pod.getSpec().getContainers().get(0).getImage();
            waiting(pod, "ImagePullBackOff", "Back-off pulling image \"" + image + "\"", "Failed");
            Events.record(
                    api,
                    pod,
                    "Warning",
                    "Failed",
                    "Failed to pull image \"" + image
                            + "\": rpc error: code = NotFound desc = failed to pull and unpack image \"" + image
                            + "\": not found",
                    "kubelet");
            return;
        }
        if (script != null && !script.logLines().isEmpty()) {
            logs.computeIfAbsent(pod.getMetadata().getUid(), k -> new ArrayList<>())
                    .addAll(script.logLines());
        }
        String now = ApiServer.timestamp(api.now());
        Pod copy = (Pod) api.copy(pod);
        PodStatus s = pod.getStatus() == null
                ? new PodStatus()
                : new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        s.setPhase("Running");
        s.setStartTime(now);
        String ip = "10.244." + (ipCounter / 250) + "." + (ipCounter % 250 + 2);
        ipCounter++;
        s.setPodIP(ip);
        s.setPodIPs(new ArrayList<>(List.of(new PodIP(ip))));
        s.setHostIP("10.0.0.1");
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            statuses.add(running(c, 0, now, null));
        }
        s.setContainerStatuses(statuses);
        if (pod.getSpec().getInitContainers() != null
                && !pod.getSpec().getInitContainers().isEmpty()) {
            List<ContainerStatus> init = new ArrayList<>();
            for (Container c : pod.getSpec().getInitContainers()) {
                init.add(terminated(c, 0, 0, "Completed", now, now, null));
            }
            s.setInitContainerStatuses(init);
        }
        s.setConditions(conditions(s.getConditions(), "True", now, null));
        copy.setStatus(s);
        Pod stored = api.updateStatus(copy);
        runScript(stored);
    }

    private void runScript(Pod pod) {
        Map<String, String> hints = new HashMap<>();
        if (pod.getMetadata().getLabels() != null) {
            hints.putAll(pod.getMetadata().getLabels());
        }
        if (pod.getMetadata().getAnnotations() != null) {
            hints.putAll(pod.getMetadata().getAnnotations());
        }
        String uid = pod.getMetadata().getUid();
        int generation = started.getOrDefault(uid, 0);
        PodScript script = scriptFor(pod);
        if (script != null) {
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            switch (script.ending()) {
                case SUCCEED -> later(script.runFor(), () -> finish(ns, name, uid, generation, 0, "Completed", null));
                case FAIL ->
                    later(script.runFor(), () -> finish(ns, name, uid, generation, script.exitCode(), "Error", null));
                case OOM_KILLED ->
                    later(script.runFor(), () -> finish(ns, name, uid, generation, 137, "OOMKilled", null));
                default -> {
                    // runs until deleted
                }
            }
            return;
        }
        if ("true".equals(hints.get(FAIL))) { // kwok's stage matches the value "true" only
            int code = parseInt(hints.get(FAIL_EXIT_CODE), 1);
            String reason = hints.getOrDefault(FAIL_REASON, "Error");
            Duration delay = GoDuration.parse(hints.get(FAIL_DELAY));
            String only = hints.get(FAIL_CONTAINER);
            later(
                    delay,
                    () -> finish(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            uid,
                            generation,
                            code,
                            reason,
                            only));
            return;
        }
        boolean jobPod = ownedByJob(pod);
        if (hints.containsKey(COMPLETE_DELAY) || jobPod) {
            Duration delay = GoDuration.parse(hints.get(COMPLETE_DELAY));
            later(
                    delay,
                    () -> finish(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            uid,
                            generation,
                            0,
                            "Completed",
                            null));
        }
        // other pods run until deleted
    }

    private void later(Duration delay, Runnable action) {
        if (delay.isZero()) {
            engine.defer(action);
        } else {
            engine.scheduleAfter(delay, action);
        }
    }

    private static boolean ownedByJob(Pod pod) {
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        if (refs == null) {
            return false;
        }
        for (OwnerReference r : refs) {
            if ("Job".equals(r.getKind()) && Boolean.TRUE.equals(r.getController())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The containers (or only the container {@code only}) ended with {@code exitCode}: the pod
     * finishes or they restart.
     */
    private void finish(
            String namespace,
            String name,
            String uid,
            int generation,
            int exitCode,
            String reason,
            @Nullable String only) {
        Pod pod = api.find(Pod.class, namespace, name);
        if (pod == null
                || !uid.equals(pod.getMetadata().getUid())
                || PodPhases.isTerminal(pod)
                || started.getOrDefault(uid, -1) != generation
                || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String policy = pod.getSpec().getRestartPolicy() == null
                ? "Always"
                : pod.getSpec().getRestartPolicy();
        boolean restart = "Always".equals(policy) || ("OnFailure".equals(policy) && exitCode != 0);
        if (!restart) {
            stop(pod, exitCode, reason, exitCode == 0 ? "Succeeded" : "Failed", only);
            return;
        }
        // the container restarts after the kubelet's back-off; the pod stays Running
        String now = ApiServer.timestamp(api.now());
        Pod copy = (Pod) api.copy(pod);
        PodStatus s = new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        List<ContainerStatus> statuses = new ArrayList<>();
        int restarts = 0;
        for (ContainerStatus cs : s.getContainerStatuses()) {
            if (only == null || only.equals(cs.getName())) {
                restarts = Math.max(restarts, cs.getRestartCount() == null ? 0 : cs.getRestartCount());
            }
        }
        restarts++;
        Duration backoff = Duration.ofSeconds(Math.min(300, 10L << Math.min(5, restarts - 1)));
        for (ContainerStatus cs : s.getContainerStatuses()) {
            if (only != null && !only.equals(cs.getName())) {
                statuses.add(cs); // the other containers keep running
                continue;
            }
            ContainerStatus next = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder(cs).build();
            ContainerState last = new ContainerState();
            ContainerStateTerminated t = new ContainerStateTerminated();
            t.setExitCode(exitCode);
            t.setReason(reason);
            t.setStartedAt(
                    cs.getState() != null && cs.getState().getRunning() != null
                            ? cs.getState().getRunning().getStartedAt()
                            : now);
            t.setFinishedAt(now);
            last.setTerminated(t);
            next.setLastState(last);
            ContainerState waiting = new ContainerState();
            ContainerStateWaiting w = new ContainerStateWaiting();
            w.setReason("CrashLoopBackOff");
            w.setMessage("back-off " + backoff.toSeconds() + "s restarting failed container=" + cs.getName() + " pod="
                    + name + "_" + namespace + "(" + uid + ")");
            waiting.setWaiting(w);
            next.setState(waiting);
            next.setReady(false);
            next.setRestartCount(restarts);
            statuses.add(next);
        }
        s.setContainerStatuses(statuses);
        s.setConditions(conditions(s.getConditions(), "False", now, "ContainersNotReady"));
        copy.setStatus(s);
        api.updateStatus(copy);
        int nextGeneration = generation + 1;
        started.put(uid, nextGeneration);
        int finalRestarts = restarts;
        engine.scheduleAfter(backoff, () -> restart(namespace, name, uid, nextGeneration, finalRestarts, only));
    }

    private void restart(
            String namespace, String name, String uid, int generation, int restarts, @Nullable String only) {
        Pod pod = api.find(Pod.class, namespace, name);
        if (pod == null
                || !uid.equals(pod.getMetadata().getUid())
                || PodPhases.isTerminal(pod)
                || started.getOrDefault(uid, -1) != generation
                || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String now = ApiServer.timestamp(api.now());
        Pod copy = (Pod) api.copy(pod);
        PodStatus s = new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (int i = 0; i < pod.getSpec().getContainers().size(); i++) {
            ContainerStatus old = s.getContainerStatuses().get(i);
            Container c = pod.getSpec().getContainers().get(i);
            statuses.add(
                    only == null || only.equals(c.getName()) ? running(c, restarts, now, old.getLastState()) : old);
        }
        s.setContainerStatuses(statuses);
        s.setConditions(conditions(s.getConditions(), "True", now, null));
        copy.setStatus(s);
        // the new container instance prints its lines again; the old ones become "previous"
        previousLogs.put(uid, logs.getOrDefault(uid, List.of()));
        PodScript script = scriptFor(pod);
        logs.put(uid, script == null ? new ArrayList<>() : new ArrayList<>(script.logLines()));
        runScript(api.updateStatus(copy));
    }

    /**
     * Stops every container, or only the container {@code only} (the others keep running, not
     * ready, as kwok's stage leaves them): the pod ends in {@code phase}.
     */
    private void stop(Pod pod, int exitCode, String reason, String phase, @Nullable String only) {
        String now = ApiServer.timestamp(api.now());
        Pod copy = (Pod) api.copy(pod);
        PodStatus s = pod.getStatus() == null
                ? new PodStatus()
                : new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        s.setPhase(phase);
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            String started = now;
            int restarts = 0;
            ContainerState last = null;
            if (s.getContainerStatuses() != null) {
                for (ContainerStatus cs : s.getContainerStatuses()) {
                    if (c.getName().equals(cs.getName())) {
                        restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                        last = cs.getLastState();
                        if (cs.getState() != null && cs.getState().getRunning() != null) {
                            started = cs.getState().getRunning().getStartedAt();
                        }
                    }
                }
            }
            if (only != null && !only.equals(c.getName())) {
                ContainerStatus keeps = running(c, restarts, started, last);
                keeps.setReady(false);
                statuses.add(keeps);
                continue;
            }
            statuses.add(terminated(c, exitCode, restarts, reason, started, now, last));
        }
        s.setContainerStatuses(statuses);
        // the kubelet's Ready reason for a finished pod: PodCompleted after success, PodFailed after failure
        s.setConditions(
                conditions(s.getConditions(), "False", now, "Failed".equals(phase) ? "PodFailed" : "PodCompleted"));
        copy.setStatus(s);
        started.remove(pod.getMetadata().getUid());
        Pod stored = api.updateStatus(copy);
        if (stored.getMetadata().getDeletionTimestamp() != null
                && api.find(
                                Pod.class,
                                stored.getMetadata().getNamespace(),
                                stored.getMetadata().getName())
                        != null) {
            api.delete(
                    ResourceTypes.PODS,
                    stored.getMetadata().getNamespace(),
                    stored.getMetadata().getName(),
                    ApiServer.DeleteOptions.now());
        }
    }

    private static ContainerStatus running(Container c, int restarts, String now, @Nullable ContainerState last) {
        ContainerState state = new ContainerState();
        ContainerStateRunning r = new ContainerStateRunning();
        r.setStartedAt(now);
        state.setRunning(r);
        return status(c, true, restarts, state, last);
    }

    private static ContainerStatus terminated(
            Container c,
            int exitCode,
            int restarts,
            String reason,
            String started,
            String finished,
            @Nullable ContainerState last) {
        ContainerState state = new ContainerState();
        ContainerStateTerminated t = new ContainerStateTerminated();
        t.setExitCode(exitCode);
        t.setReason(reason);
        t.setStartedAt(started);
        t.setFinishedAt(finished);
        t.setContainerID("skiff://" + c.getName());
        state.setTerminated(t);
        return status(c, false, restarts, state, last);
    }

    private static ContainerStatus status(
            Container c, boolean running, int restarts, ContainerState state, @Nullable ContainerState last) {
        ContainerStatus cs = new ContainerStatus();
        cs.setName(c.getName());
        cs.setImage(c.getImage());
        cs.setImageID("docker.io/library/" + c.getImage()
                + "@sha256:0000000000000000000000000000000000000000000000000000000000000000");
        cs.setContainerID("skiff://" + c.getName());
        cs.setReady(running);
        cs.setStarted(running);
        cs.setRestartCount(restarts);
        cs.setState(state);
        if (last != null) {
            cs.setLastState(last);
        }
        return cs;
    }

    private static List<PodCondition> conditions(
            @Nullable List<PodCondition> existing, String ready, String now, @Nullable String reason) {
        Map<String, PodCondition> byType = new java.util.LinkedHashMap<>();
        if (existing != null) {
            for (PodCondition c : existing) {
                byType.put(c.getType(), c);
            }
        }
        put(byType, "PodReadyToStartContainers", "True", now, null);
        put(byType, "Initialized", "True", now, null);
        put(byType, "Ready", ready, now, reason);
        put(byType, "ContainersReady", ready, now, reason);
        if (!byType.containsKey("PodScheduled")) {
            put(byType, "PodScheduled", "True", now, null);
        }
        return new ArrayList<>(byType.values());
    }

    private static void put(
            Map<String, PodCondition> byType, String type, String status, String now, @Nullable String reason) {
        PodCondition old = byType.get(type);
        if (old != null && status.equals(old.getStatus()) && java.util.Objects.equals(reason, old.getReason())) {
            return;
        }
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setLastTransitionTime(now);
        byType.put(type, c);
    }

    private static int parseInt(@Nullable String s, int fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
