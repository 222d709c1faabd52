package dev.skiff.core;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Works out why a Job is where it is, from its status, its pods and its events. */
final class Diagnoser {
    private static final Set<String> IMAGE_PULL =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");
    private static final Set<String> CONFIG_ERRORS =
            Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");
    private static final Pattern MISSING = Pattern.compile("(secret|configmap) \"([^\"]+)\" not found");
    private static final Pattern KEY_MISSING =
            Pattern.compile("couldn't find key \\S+ in (Secret|ConfigMap) [^/\\s]+/(\\S+)");
    private static final Pattern NODES = Pattern.compile("^\\d+/(\\d+) nodes are available: (.*)$", Pattern.DOTALL);
    private static final Pattern REASON = Pattern.compile("^(\\d+) (.+)$");

    private Diagnoser() {}

    static Diagnosis diagnose(ClientContext ctx, Job job) {
        JobStatus status = JobStatuses.status(job);
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        List<Diagnosis.Finding> findings = new ArrayList<>();
        Optional<Outcome> outcome = JobStatuses.outcome(job);
        if (outcome.isPresent()) {
            findings.add(finding(Diagnosis.Kind.FINISHED, "", outcome.get().explanation()));
            return new Diagnosis("Job " + status.job(), status.phase(), findings);
        }
        if (status.phase() == JobStatus.Phase.QUEUED) {
            findings.add(
                    finding(
                            Diagnosis.Kind.WAITING_FOR_QUEUE,
                            "",
                            "suspended until queue \"" + JobStatuses.queue(job)
                                    + "\" admits it (Kueue resumes admitted jobs; check the LocalQueue and its ClusterQueue's quota)"));
            return new Diagnosis("Job " + status.job(), status.phase(), findings);
        }
        if (status.phase() == JobStatus.Phase.SUSPENDED) {
            findings.add(
                    finding(
                            Diagnosis.Kind.SUSPENDED,
                            "",
                            "suspended (spec.suspend is true) and no queue label names a queue that would resume it; resume() starts it"));
            return new Diagnosis("Job " + status.job(), status.phase(), findings);
        }
        List<Pod> pods = JobPods.list(ctx, ns, name);
        findings.addAll(fromPods(pods));
        if (findings.stream().noneMatch(f -> f.kind().isStuck()) && status.active() < status.parallelism()) {
            // fewer pods than asked for: the Job controller may be failing to create them
            for (WorkloadEvent e : jobEvents(ctx, ns, name)) {
                if (e.isWarning() && "FailedCreate".equals(e.reason())) {
                    findings.add(0, finding(Diagnosis.Kind.POD_CREATION_FAILED, "job " + name, e.message()));
                    break;
                }
            }
        }
        if (findings.isEmpty()) {
            findings.add(finding(
                    Diagnosis.Kind.STARTING,
                    "",
                    pods.isEmpty() ? "waiting for the Job controller to create pods" : "waiting for pods to start"));
        }
        findings.sort(Comparator.comparing((Diagnosis.Finding f) -> !f.kind().isStuck()));
        return new Diagnosis("Job " + status.job(), status.phase(), findings);
    }

    /** Findings from the pods that have not finished, merged when several pods say the same thing. */
    static List<Diagnosis.Finding> fromPods(List<Pod> pods) {
        Map<String, List<String>> subjects = new LinkedHashMap<>();
        Map<String, Diagnosis.Finding> byKey = new LinkedHashMap<>();
        int running = 0;
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String phase = pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            String podName = pod.getMetadata().getName();
            List<Diagnosis.Finding> own = new ArrayList<>();
            unschedulable(pod).ifPresent(own::add);
            own.addAll(containerProblems(pod));
            if (own.isEmpty() && "Running".equals(phase)) {
                running++;
            }
            for (Diagnosis.Finding f : own) {
                String key = f.kind() + "\u0000" + f.message();
                byKey.putIfAbsent(key, f);
                subjects.computeIfAbsent(key, k -> new ArrayList<>()).add(podName);
            }
        }
        List<Diagnosis.Finding> out = new ArrayList<>();
        for (Map.Entry<String, Diagnosis.Finding> e : byKey.entrySet()) {
            Diagnosis.Finding f = e.getValue();
            out.add(new Diagnosis.Finding(
                    f.kind(), subject(subjects.get(e.getKey())), f.message(), f.nodeReasons(), f.missingObject()));
        }
        if (running > 0) {
            out.add(finding(
                    Diagnosis.Kind.RUNNING, "", running + (running == 1 ? " pod is" : " pods are") + " running"));
        }
        return out;
    }

    private static String subject(List<String> pods) {
        if (pods.size() == 1) {
            return "pod " + pods.get(0);
        }
        if (pods.size() <= 3) {
            return "pods " + String.join(", ", pods);
        }
        return pods.size() + " pods (" + String.join(", ", pods.subList(0, 3)) + ", ...)";
    }

    static Optional<Diagnosis.Finding> unschedulable(Pod pod) {
        if (pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason())) {
                String message = c.getMessage() == null ? "no node can take the pod" : c.getMessage();
                return Optional.of(new Diagnosis.Finding(
                        Diagnosis.Kind.UNSCHEDULABLE, "", message, nodeReasons(message), Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /**
     * Parses the scheduler's {@code 0/3 nodes are available: 1 node(s) had untolerated taint
     * {a: b}, 2 Insufficient nvidia.com/gpu. preemption: ...} into reason to node count.
     */
    static Map<String, Integer> nodeReasons(String message) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = NODES.matcher(message.strip());
        if (!m.matches()) {
            return out;
        }
        // the reasons end at the first sentence end: "... 2 Insufficient cpu. no new claims to
        // deallocate, preemption: 0/3 nodes are available: ..."
        for (String part : splitOutsideBraces(firstSentence(m.group(2)))) {
            Matcher r = REASON.matcher(part.strip());
            if (r.matches()) {
                out.merge(r.group(2).strip(), Integer.parseInt(r.group(1)), Integer::sum);
            }
        }
        return out;
    }

    private static String firstSentence(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == '.' && depth == 0 && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static List<String> splitOutsideBraces(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    static List<Diagnosis.Finding> containerProblems(Pod pod) {
        List<Diagnosis.Finding> out = new ArrayList<>();
        for (ContainerStatus cs : JobPods.statuses(pod)) {
            ContainerStateWaiting w =
                    cs.getState() == null ? null : cs.getState().getWaiting();
            if (w == null || w.getReason() == null) {
                continue;
            }
            String reason = w.getReason();
            String message = w.getMessage() == null ? "" : w.getMessage();
            String detail = "container " + cs.getName() + ": " + reason + (message.isEmpty() ? "" : ": " + message);
            if (IMAGE_PULL.contains(reason)) {
                out.add(finding(
                        Diagnosis.Kind.IMAGE_PULL_FAILED,
                        "",
                        "container " + cs.getName() + " cannot pull image " + cs.getImage() + " (" + reason
                                + (message.isEmpty() ? "" : ": " + message) + ")"));
            } else if (CONFIG_ERRORS.contains(reason)) {
                out.add(configError(detail, message));
            } else if ("CrashLoopBackOff".equals(reason)) {
                Integer exit = cs.getLastState() != null && cs.getLastState().getTerminated() != null
                        ? cs.getLastState().getTerminated().getExitCode()
                        : null;
                out.add(finding(
                        Diagnosis.Kind.CRASH_LOOP,
                        "",
                        "container " + cs.getName() + " keeps crashing"
                                + (exit == null ? "" : " (last exit code " + exit + ")") + ", restarted "
                                + cs.getRestartCount() + " times"));
            }
        }
        return out;
    }

    private static Diagnosis.Finding configError(String detail, String message) {
        Matcher m = MISSING.matcher(message);
        Matcher k = KEY_MISSING.matcher(message);
        @Nullable String kind = null;
        @Nullable String object = null;
        if (m.find()) {
            kind = m.group(1);
            object = m.group(2);
        } else if (k.find()) {
            kind = k.group(1).toLowerCase(java.util.Locale.ROOT);
            object = k.group(2);
        }
        if (kind == null) {
            return finding(Diagnosis.Kind.CONTAINER_CONFIG_ERROR, "", detail);
        }
        return new Diagnosis.Finding(
                "secret".equals(kind) ? Diagnosis.Kind.MISSING_SECRET : Diagnosis.Kind.MISSING_CONFIG_MAP,
                "",
                detail,
                Map.of(),
                Optional.of(object));
    }

    private static Diagnosis.Finding finding(Diagnosis.Kind kind, String subject, String message) {
        return new Diagnosis.Finding(kind, subject, message, Map.of(), Optional.empty());
    }

    // ------------------------------------------------------------------ events

    private static List<WorkloadEvent> jobEvents(ClientContext ctx, String ns, String name) {
        return list(ctx, ns, "Job", name);
    }

    /** Events about the Job and its pods (present or already deleted), oldest first. */
    static List<WorkloadEvent> events(ClientContext ctx, String ns, String name) {
        Set<String> podNames = new HashSet<>();
        for (Pod p : JobPods.list(ctx, ns, name)) {
            podNames.add(p.getMetadata().getName());
        }
        Pattern jobPod = Pattern.compile(Pattern.quote(name) + "-(\\d+-)?[a-z0-9]{5}");
        List<WorkloadEvent> out = new ArrayList<>(jobEvents(ctx, ns, name));
        for (WorkloadEvent e : list(ctx, ns, "Pod", null)) {
            if (podNames.contains(e.objectName())
                    || jobPod.matcher(e.objectName()).matches()) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing((WorkloadEvent e) -> e.time().orElse(java.time.Instant.EPOCH)));
        return out;
    }

    /** Events about objects of {@code kind}, and of that {@code name} when one is given. */
    static List<WorkloadEvent> list(ClientContext ctx, String ns, String kind, @Nullable String name) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("involvedObject.kind", kind);
        if (name != null) {
            fields.put("involvedObject.name", name);
        }
        String what = "list events in " + ns + " (" + fields + ")";
        List<Event> events;
        try {
            events = ctx.calls.call(
                    what,
                    () -> ctx.client
                            .v1()
                            .events()
                            .inNamespace(ns)
                            .withFields(fields)
                            .list()
                            .getItems());
        } catch (RuntimeException e) {
            throw ClientContext.translate(what, e);
        }
        List<WorkloadEvent> out = new ArrayList<>(events.size());
        for (Event e : events) {
            String time = e.getLastTimestamp() != null
                    ? e.getLastTimestamp()
                    : e.getEventTime() != null ? e.getEventTime().getTime() : e.getFirstTimestamp();
            out.add(new WorkloadEvent(
                    JobStatuses.time(time),
                    JobStatuses.nz(e.getType()),
                    JobStatuses.nz(e.getReason()),
                    JobStatuses.nz(e.getMessage()),
                    e.getInvolvedObject() == null
                            ? ""
                            : JobStatuses.nz(e.getInvolvedObject().getKind()),
                    e.getInvolvedObject() == null
                            ? ""
                            : JobStatuses.nz(e.getInvolvedObject().getName()),
                    e.getCount() == null ? 1 : e.getCount()));
        }
        return out;
    }
}
