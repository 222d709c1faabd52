package dev.skiff.conformance;

import dev.skiff.testing.FakeNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Builders, reads and raw requests the scenario classes share. */
final class ScenarioKit {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String FAIL = "pod-container-running-failed.stage.kwok.x-k8s.io";
    static final String DELAY = "pod-complete.stage.kwok.x-k8s.io/delay";

    private ScenarioKit() {}

    static Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    static FakeNode node(Target t) {
        return FakeNode.named("gpu-" + t.namespace()).withGpus(8, "NVIDIA-H100-80GB-HBM3");
    }

    /** A Job of one busybox container, {@code restartPolicy: Never}, {@code backoffLimit: 0}. */
    static Job job(String name, int completions, int parallelism) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCompletions(completions)
                .withParallelism(parallelism)
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static Job indexed(Job j) {
        j.getSpec().setCompletionMode("Indexed");
        return j;
    }

    /** Pods that run until someone else ends them (the kwok completion ten minutes away). */
    static Job running(Job j) {
        return withPodAnnotations(j, Map.of(DELAY, "10m"));
    }

    static Job failing(Job j) {
        return withPodAnnotations(j, Map.of(FAIL, "true"));
    }

    static Job withPodAnnotations(Job j, Map<String, String> annotations) {
        var meta = j.getSpec().getTemplate().getMetadata();
        if (meta == null) {
            j.getSpec().getTemplate().setMetadata(new ObjectMetaBuilder().build());
            meta = j.getSpec().getTemplate().getMetadata();
        }
        var all = new java.util.HashMap<String, String>();
        if (meta.getAnnotations() != null) {
            all.putAll(meta.getAnnotations());
        }
        all.putAll(annotations);
        meta.setAnnotations(all);
        return j;
    }

    static Job create(Target t, Job job) {
        return t.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(t.namespace())
                .resource(job)
                .create();
    }

    static Job get(Target t, String name) {
        return t.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(t.namespace())
                .withName(name)
                .get();
    }

    static List<Job> jobs(Target t) {
        return t.client().batch().v1().jobs().inNamespace(t.namespace()).list().getItems();
    }

    /**
     * Runs a read-modify-write again when it meets a 409 Conflict: a controller or kwok wrote the
     * object between the read and the write.
     */
    static <T> T retryOnConflict(java.util.function.Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static Job editJob(Target t, String name, java.util.function.UnaryOperator<Job> edit) {
        return retryOnConflict(() -> t.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(t.namespace())
                .withName(name)
                .edit(edit));
    }

    static Optional<JobCondition> condition(Job j, String type) {
        if (j == null || j.getStatus() == null || j.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return j.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }

    static boolean hasCondition(Job j, String type) {
        return condition(j, type).map(c -> c.getStatus().equals("True")).orElse(false);
    }

    static void awaitCondition(Target t, String job, String type) {
        t.await(job + " " + type, WAIT, () -> hasCondition(get(t, job), type));
    }

    /** The Job's pods, oldest first (then by name). */
    static List<Pod> pods(Target t, String job) {
        return t
                .client()
                .pods()
                .inNamespace(t.namespace())
                .withLabel("batch.kubernetes.io/job-name", job)
                .list()
                .getItems()
                .stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
    }

    static List<Pod> allPods(Target t) {
        return t.client().pods().inNamespace(t.namespace()).list().getItems();
    }

    static boolean isRunning(Pod p) {
        return "Running".equals(p.getStatus().getPhase()) && p.getMetadata().getDeletionTimestamp() == null;
    }

    static List<Pod> runningPods(Target t, String job) {
        return pods(t, job).stream().filter(ScenarioKit::isRunning).toList();
    }

    static String index(Pod p) {
        return p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
    }

    static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    /** Ends a running pod as the kubelet would: phase, one container terminated, extra conditions. */
    static void finishPod(Target t, Pod pod, String phase, int exitCode, PodCondition... conditions) {
        retryOnConflict(() -> t.client()
                .pods()
                .inNamespace(t.namespace())
                .withName(pod.getMetadata().getName())
                .editStatus(p -> {
                    p.getStatus().setPhase(phase);
                    var now = Instant.now().toString();
                    List<PodCondition> all = new ArrayList<>();
                    for (PodCondition c : p.getStatus().getConditions()) {
                        if (c.getType().equals("Ready") || c.getType().equals("ContainersReady")) {
                            c.setStatus("False");
                            c.setReason(phase.equals("Succeeded") ? "PodCompleted" : "PodFailed");
                        }
                        all.add(c);
                    }
                    all.addAll(List.of(conditions));
                    p.getStatus().setConditions(all);
                    for (var cs : p.getStatus().getContainerStatuses()) {
                        cs.setReady(false);
                        cs.setStarted(false);
                        cs.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                                .withNewTerminated()
                                .withExitCode(exitCode)
                                .withReason(exitCode == 0 ? "Completed" : "Error")
                                .withStartedAt(now)
                                .withFinishedAt(now)
                                .endTerminated()
                                .build());
                    }
                    return p;
                }));
    }

    static PodCondition podCondition(String type, String reason) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus("True")
                .withReason(reason)
                .withMessage("set by the scenario")
                .withLastTransitionTime(Instant.now().toString())
                .build();
    }

    static List<Event> events(Target t, String reason) {
        return t.client().v1().events().inNamespace(t.namespace()).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    static List<String> eventMessages(Target t, String kind, String name, String reason) {
        return t.client().v1().events().inNamespace(t.namespace()).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())
                        && kind.equals(e.getInvolvedObject().getKind())
                        && name.equals(e.getInvolvedObject().getName()))
                .map(Event::getMessage)
                .toList();
    }

    /** Waits until {@code count} events of {@code reason} are recorded for the object (events lag a little). */
    static List<String> awaitEvents(Target t, String kind, String name, String reason, int count) {
        t.await(
                count + " " + reason + " events of " + name,
                WAIT,
                () -> eventMessages(t, kind, name, reason).size() >= count);
        return eventMessages(t, kind, name, reason);
    }

    static List<String> names(List<? extends HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
    }

    static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** A raw answer: status code, body, and the texts of its {@code Warning} headers. */
    record Answer(int code, String body, List<String> warnings) {
        Status status(Target t) {
            return t.client().getKubernetesSerialization().unmarshal(body, Status.class);
        }
    }

    /** Sends a request as the administrator; {@code path} starts after the server URL, without a slash. */
    static Answer send(Target t, String method, String path, String contentType, String body) {
        HttpClient http = t.client().getHttpClient();
        String url = t.client().getMasterUrl() + path;
        var builder = http.newHttpRequestBuilder().uri(url);
        if (body != null) {
            builder.method(method, contentType, body);
        } else {
            builder.method(method, null, (String) null);
        }
        try {
            HttpResponse<String> response =
                    http.sendAsync(builder.build(), String.class).get(30, TimeUnit.SECONDS);
            List<String> warnings = new java.util.ArrayList<>();
            for (String h : response.headers("Warning")) {
                warnings.add(warningText(h));
            }
            return new Answer(response.code(), response.body(), warnings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(method + " " + url, e);
        }
    }

    /** The text of a {@code Warning} header: {@code 299 - "text"} with the text's quotes escaped. */
    static String warningText(String header) {
        int start = header.indexOf('"');
        String quoted = header.substring(start + 1, header.lastIndexOf('"'));
        return quoted.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** Sleeps in real time on the real target, advances the clock on the in-memory one. */
    static void pass(Target t, Duration d) {
        if (t instanceof Target.InMemory m) {
            for (long s = 0; s < d.toSeconds(); s++) {
                m.cluster().advanceClock(Duration.ofSeconds(1));
            }
        } else {
            Target.sleep(d.toMillis(), d + " to pass");
        }
    }
}
