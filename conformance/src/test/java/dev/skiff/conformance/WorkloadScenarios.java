package dev.skiff.conformance;

import static dev.skiff.conformance.ScenarioKit.create;
import static dev.skiff.conformance.ScenarioKit.get;
import static dev.skiff.conformance.ScenarioKit.hasCondition;
import static dev.skiff.conformance.ScenarioKit.job;
import static dev.skiff.conformance.ScenarioKit.names;
import static dev.skiff.conformance.ScenarioKit.withPodAnnotations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.skiff.testing.FakeNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Job controller, scheduling and API behaviour on both targets: each scenario states what both
 * must do, so that a failure on one target is a difference between them.
 */
class WorkloadScenarios {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FAIL = "pod-container-running-failed.stage.kwok.x-k8s.io";

    static java.util.stream.Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    private static List<Pod> pods(Target t) {
        return t.client().pods().inNamespace(t.namespace()).list().getItems();
    }

    private static FakeNode gpuNode(Target t, int gpus) {
        return FakeNode.named("gpu-" + t.namespace()).withGpus(gpus, "NVIDIA-H100-80GB-HBM3");
    }

    @ParameterizedTest(name = "[{0}] job/parallel job completes")
    @MethodSource("kinds")
    void parallelJobCompletes(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            create(t, job("train", 4, 2));
            t.await("Complete", WAIT, () -> hasCondition(get(t, "train"), "Complete"));
            Job done = get(t, "train");
            assertThat(done.getStatus().getSucceeded()).isEqualTo(4);
            assertThat(hasCondition(done, "SuccessCriteriaMet")).isTrue();
            assertThat(pods(t))
                    .hasSize(4)
                    .allMatch(p -> p.getStatus().getPhase().equals("Succeeded"));
        }
    }

    @ParameterizedTest(name = "[{0}] job/indexed job completes every index")
    @MethodSource("kinds")
    void indexedJobCompletesEveryIndex(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            Job j = job("ranks", 3, 3);
            j.getSpec().setCompletionMode("Indexed");
            create(t, j);
            t.await("Complete", WAIT, () -> hasCondition(get(t, "ranks"), "Complete"));
            assertThat(get(t, "ranks").getStatus().getCompletedIndexes()).isEqualTo("0-2");
            assertThat(pods(t))
                    .extracting(p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"))
                    .containsExactlyInAnyOrder("0", "1", "2");
            assertThat(pods(t)).allMatch(p -> p.getSpec().getHostname().startsWith("ranks-"));
        }
    }

    @ParameterizedTest(name = "[{0}] job/failure hint fails the job at backoffLimit 0")
    @MethodSource("kinds")
    void failureHintFailsTheJob(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            Job j = job("crash", 1, 1);
            j.getSpec()
                    .getTemplate()
                    .setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                            .withAnnotations(Map.of(FAIL, "true"))
                            .build());
            create(t, j);
            t.await("Failed", WAIT, () -> hasCondition(get(t, "crash"), "Failed"));
            var failed = get(t, "crash").getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("Failed"))
                    .findFirst()
                    .orElseThrow();
            assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
            assertThat(get(t, "crash").getStatus().getFailed()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] job/suspended job creates no pods until resumed")
    @MethodSource("kinds")
    void suspendAndResume(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            Job j = job("later", 1, 1);
            j.getSpec().setSuspend(true);
            create(t, j);
            t.await("Suspended", WAIT, () -> hasCondition(get(t, "later"), "Suspended"));
            assertThat(pods(t)).isEmpty();
            t.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(t.namespace())
                    .withName("later")
                    .edit(x -> {
                        x.getSpec().setSuspend(false);
                        return x;
                    });
            t.await("Complete", WAIT, () -> hasCondition(get(t, "later"), "Complete"));
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/too few GPUs: FailedScheduling text")
    @MethodSource("kinds")
    void tooFewGpus(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 2));
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withName("big")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox:1.36")
                    .withNewResources()
                    .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
                    .endResources()
                    .endContainer()
                    .endSpec()
                    .build();
            t.client().pods().inNamespace(t.namespace()).resource(pod).create();
            t.await("FailedScheduling event", WAIT, () -> failedScheduling(t).isPresent());
            assertThat(failedScheduling(t).orElseThrow().getMessage())
                    .isEqualTo("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. no new claims to deallocate,"
                            + " preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
            var scheduled = t
                    .client()
                    .pods()
                    .inNamespace(t.namespace())
                    .withName("big")
                    .get()
                    .getStatus()
                    .getConditions()
                    .stream()
                    .filter(c -> c.getType().equals("PodScheduled"))
                    .findFirst()
                    .orElseThrow();
            assertThat(scheduled.getStatus()).isEqualTo("False");
            assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
        }
    }

    private static java.util.Optional<Event> failedScheduling(Target t) {
        return t.client().v1().events().inNamespace(t.namespace()).list().getItems().stream()
                .filter(e -> "FailedScheduling".equals(e.getReason()))
                .findFirst();
    }

    @ParameterizedTest(name = "[{0}] scheduling/GPU pod lands on the GPU node")
    @MethodSource("kinds")
    void gpuPodLandsOnGpuNode(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named("cpu-" + t.namespace()));
            t.addNode(gpuNode(t, 8));
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withName("gpu")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox:1.36")
                    .withNewResources()
                    .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("8"))
                    .endResources()
                    .endContainer()
                    .endSpec()
                    .build();
            t.client().pods().inNamespace(t.namespace()).resource(pod).create();
            t.await(
                    "Running",
                    WAIT,
                    () -> "Running"
                            .equals(t.client()
                                    .pods()
                                    .inNamespace(t.namespace())
                                    .withName("gpu")
                                    .get()
                                    .getStatus()
                                    .getPhase()));
            Pod running =
                    t.client().pods().inNamespace(t.namespace()).withName("gpu").get();
            assertThat(running.getSpec().getNodeName()).isEqualTo("gpu-" + t.namespace());
            assertThat(running.getStatus().getPodIP()).startsWith("10.244.");
        }
    }

    private static String conditionReason(Job j, String type) {
        return j.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow()
                .getReason();
    }

    @ParameterizedTest(name = "[{0}] job/backoffLimit 1 retries once, then BackoffLimitExceeded")
    @MethodSource("kinds")
    void backoffRetriesOnce(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            Job j = withPodAnnotations(job("flaky", 1, 1), Map.of(FAIL, "true"));
            j.getSpec().setBackoffLimit(1);
            create(t, j);
            t.await("Failed", WAIT, () -> hasCondition(get(t, "flaky"), "Failed"));
            assertThat(conditionReason(get(t, "flaky"), "Failed")).isEqualTo("BackoffLimitExceeded");
            assertThat(get(t, "flaky").getStatus().getFailed()).isEqualTo(2);
            assertThat(pods(t))
                    .hasSize(2)
                    .allMatch(p -> p.getStatus().getPhase().equals("Failed"));
        }
    }

    @ParameterizedTest(name = "[{0}] job/exit code and reason from the failure hint")
    @MethodSource("kinds")
    void exitCodeFromHint(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            create(
                    t,
                    withPodAnnotations(
                            job("oom", 1, 1),
                            Map.of(FAIL, "true", FAIL + "/exit-code", "137", FAIL + "/reason", "OOMKilled")));
            t.await("Failed", WAIT, () -> hasCondition(get(t, "oom"), "Failed"));
            Pod pod = pods(t).get(0);
            var terminated =
                    pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
            assertThat(terminated.getExitCode()).isEqualTo(137);
            assertThat(terminated.getReason()).isEqualTo("OOMKilled");
            var ready = pod.getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("Ready"))
                    .findFirst()
                    .orElseThrow();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("PodFailed");
        }
    }

    @ParameterizedTest(name = "[{0}] job/failure hint other than \"true\" is ignored")
    @MethodSource("kinds")
    void failureHintNotTrue(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            create(t, withPodAnnotations(job("maybe", 1, 1), Map.of(FAIL, "yes")));
            // kwok's stage matches the value "true" only, and so does the in-memory cluster
            t.await("Complete", WAIT, () -> hasCondition(get(t, "maybe"), "Complete"));
        }
    }

    @ParameterizedTest(name = "[{0}] job/activeDeadlineSeconds: DeadlineExceeded")
    @MethodSource("kinds")
    void activeDeadline(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            Job j = withPodAnnotations(job("slow", 1, 1), Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "10m"));
            j.getSpec().setActiveDeadlineSeconds(3L);
            create(t, j);
            t.await("Failed", WAIT, () -> hasCondition(get(t, "slow"), "Failed"));
            assertThat(conditionReason(get(t, "slow"), "Failed")).isEqualTo("DeadlineExceeded");
            t.await(
                    "pod gone or failed",
                    WAIT,
                    () -> pods(t).stream()
                            .allMatch(p -> p.getStatus().getPhase().equals("Failed")
                                    || p.getMetadata().getDeletionTimestamp() != null));
        }
    }

    @ParameterizedTest(name = "[{0}] job/ttlSecondsAfterFinished 0 deletes the finished job")
    @MethodSource("kinds")
    void ttlDeletes(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            Job j = job("short", 1, 1);
            j.getSpec().setTtlSecondsAfterFinished(0);
            create(t, j);
            t.await("deleted", WAIT, () -> get(t, "short") == null);
        }
    }

    @ParameterizedTest(name = "[{0}] job/pod failure policy FailJob on exit code 42")
    @MethodSource("kinds")
    void podFailurePolicyFailJob(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            Job j = withPodAnnotations(job("fatal", 1, 1), Map.of(FAIL, "true", FAIL + "/exit-code", "42"));
            j.getSpec().setBackoffLimit(6);
            j.getSpec()
                    .setPodFailurePolicy(new io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder()
                            .addNewRule()
                            .withAction("FailJob")
                            .withNewOnExitCodes()
                            .withOperator("In")
                            .withValues(42)
                            .endOnExitCodes()
                            .endRule()
                            .build());
            create(t, j);
            t.await("Failed", WAIT, () -> hasCondition(get(t, "fatal"), "Failed"));
            assertThat(conditionReason(get(t, "fatal"), "Failed")).isEqualTo("PodFailurePolicy");
            assertThat(get(t, "fatal").getStatus().getFailed()).isEqualTo(1);
        }
    }

    private static Pod pod(String name, Map<String, String> nodeSelector) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .endSpec()
                .build();
    }

    @ParameterizedTest(name = "[{0}] scheduling/node selector matching no node: FailedScheduling text")
    @MethodSource("kinds")
    void nodeSelectorMismatch(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .resource(pod("a100", Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB")))
                    .create();
            t.await("FailedScheduling event", WAIT, () -> failedScheduling(t).isPresent());
            assertThat(failedScheduling(t).orElseThrow().getMessage())
                    .isEqualTo("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. no new"
                            + " claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not"
                            + " helpful for scheduling.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/untolerated taint: FailedScheduling text")
    @MethodSource("kinds")
    void untoleratedTaint(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8).withTaint("nvidia.com/gpu", "present", "NoSchedule"));
            t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .resource(pod("plain", Map.of()))
                    .create();
            t.await("FailedScheduling event", WAIT, () -> failedScheduling(t).isPresent());
            assertThat(failedScheduling(t).orElseThrow().getMessage())
                    .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint(s). no new claims to"
                            + " deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for"
                            + " scheduling.");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/node kubelet version (documented difference)")
    @MethodSource("kinds")
    void kubeletVersion(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            String version = t.client()
                    .nodes()
                    .withName("gpu-" + t.namespace())
                    .get()
                    .getStatus()
                    .getNodeInfo()
                    .getKubeletVersion();
            // kwok reports its own version; the in-memory cluster reports a Kubernetes version
            if (kind == Target.Kind.REAL) {
                assertThat(version).startsWith("kwok-");
            } else {
                assertThat(version).startsWith("v1.");
            }
        }
    }

    @ParameterizedTest(name = "[{0}] api/watch from resourceVersion 0 starts with the current objects")
    @MethodSource("kinds")
    void watchFromZero(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.client()
                    .configMaps()
                    .inNamespace(t.namespace())
                    .resource(configMap("w", Map.of()))
                    .create();
            // "0" means any version: the server starts with a synthetic ADDED per current object.
            // (A watch from an old version such as 1 is answered from the watch cache's window,
            // which depends on what else the server has seen: ApiSemanticsScenarios provokes the 410.)
            String body = t.client()
                    .raw(t.client().getMasterUrl() + "api/v1/namespaces/" + t.namespace()
                            + "/configmaps?watch=true&resourceVersion=0&timeoutSeconds=2");
            assertThat(body)
                    .contains("{\"type\":\"ADDED\"")
                    .contains("\"name\":\"w\"")
                    .doesNotContain("\"ERROR\"");
        }
    }

    @ParameterizedTest(name = "[{0}] scheduling/two 4-GPU pods fill an 8-GPU node, a third waits")
    @MethodSource("kinds")
    void gpuPacking(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            for (String name : List.of("a", "b", "c")) {
                Pod p = pod(name, Map.of());
                p.getSpec()
                        .getContainers()
                        .get(0)
                        .setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                                .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
                                .build());
                t.client().pods().inNamespace(t.namespace()).resource(p).create();
            }
            t.await("one FailedScheduling", WAIT, () -> failedScheduling(t).isPresent());
            t.await(
                    "two running",
                    WAIT,
                    () -> pods(t).stream()
                                    .filter(p -> "Running".equals(p.getStatus().getPhase()))
                                    .count()
                            == 2);
            assertThat(pods(t).stream()
                            .filter(p -> "Pending".equals(p.getStatus().getPhase()))
                            .count())
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] api/deleting a Job in the background deletes its pods")
    @MethodSource("kinds")
    void garbageCollection(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            create(t, withPodAnnotations(job("gc", 2, 2), Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "10m")));
            t.await("two pods", WAIT, () -> pods(t).size() == 2);
            t.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(t.namespace())
                    .withName("gc")
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                    .delete();
            t.await("pods gone", WAIT, () -> pods(t).isEmpty());
            assertThat(get(t, "gc")).isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] api/deployment becomes available with ready pods")
    @MethodSource("kinds")
    void deploymentAvailable(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            var d = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                    .withNewMetadata()
                    .withName("serve")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(2)
                    .withNewSelector()
                    .addToMatchLabels("app", "serve")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "serve")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox:1.36")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build();
            var ops = t.client().apps().deployments().inNamespace(t.namespace());
            ops.resource(d).create();
            t.await("available", WAIT, () -> {
                var s = ops.withName("serve").get().getStatus();
                return s != null && Integer.valueOf(2).equals(s.getAvailableReplicas());
            });
            assertThat(t.client()
                            .apps()
                            .replicaSets()
                            .inNamespace(t.namespace())
                            .list()
                            .getItems())
                    .hasSize(1);
            assertThat(pods(t))
                    .hasSize(2)
                    .allMatch(p -> p.getMetadata().getName().startsWith("serve-"));
        }
    }

    @ParameterizedTest(name = "[{0}] api/server-side apply: a second manager conflicts")
    @MethodSource("kinds")
    void serverSideApplyConflict(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ops.resource(configMap("applied", Map.of())).fieldManager("alice").serverSideApply();
            ConfigMap other = configMap("applied", Map.of());
            other.getData().put("k", "w");
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> ops.resource(other).fieldManager("bob").serverSideApply());
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
            ops.resource(other).fieldManager("bob").forceConflicts().serverSideApply();
            assertThat(ops.withName("applied").get().getData()).containsEntry("k", "w");
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/every minute: job named after the scheduled minute")
    @MethodSource("kinds")
    void cronJobNamesItsJobs(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            var cron = new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder()
                    .withNewMetadata()
                    .withName("tick")
                    .endMetadata()
                    .withNewSpec()
                    .withSchedule("* * * * *")
                    .withNewJobTemplate()
                    .withSpec(job("unused", 1, 1).getSpec())
                    .endJobTemplate()
                    .endSpec()
                    .build();
            var crons = t.client().batch().v1().cronjobs().inNamespace(t.namespace());
            crons.resource(cron).create();
            t.await(
                    "a job",
                    Duration.ofSeconds(90),
                    () -> !t.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(t.namespace())
                            .list()
                            .getItems()
                            .isEmpty());
            Job j = t.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(t.namespace())
                    .list()
                    .getItems()
                    .get(0);
            t.await("lastScheduleTime", WAIT, () -> {
                var st = crons.withName("tick").get().getStatus();
                return st != null && st.getLastScheduleTime() != null;
            });
            long minute = java.time.Instant.parse(
                                    crons.withName("tick").get().getStatus().getLastScheduleTime())
                            .getEpochSecond()
                    / 60;
            assertThat(j.getMetadata().getName()).isEqualTo("tick-" + minute);
            assertThat(j.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getKind()).isEqualTo("CronJob"));
            assertThat(j.getMetadata().getAnnotations()).containsKey("batch.kubernetes.io/cronjob-scheduled-timestamp");
        }
    }

    @ParameterizedTest(name = "[{0}] api/resource quota: 403 exceeded quota text")
    @MethodSource("kinds")
    void quotaExceeded(Target.Kind kind) {
        try (Target t = kind.open()) {
            var quota = new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                    .withNewMetadata()
                    .withName("q")
                    .endMetadata()
                    .withNewSpec()
                    .addToHard("configmaps", new io.fabric8.kubernetes.api.model.Quantity("2"))
                    .endSpec()
                    .build();
            var quotas = t.client().resourceQuotas().inNamespace(t.namespace());
            quotas.resource(quota).create();
            // admission checks only once the quota controller has filled in status.hard
            t.await("quota status", WAIT, () -> quotaHard(t).containsKey("configmaps"));
            var ops = t.client().configMaps().inNamespace(t.namespace());
            // the namespace already holds kube-root-ca.crt, which counts
            assertThat(ops.list().getItems())
                    .extracting(c -> c.getMetadata().getName())
                    .containsExactly("kube-root-ca.crt");
            ops.resource(configMap("fill-1", Map.of())).create();
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> ops.resource(configMap("over", Map.of())).create());
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
            assertThat(e.getStatus().getMessage())
                    .isEqualTo("configmaps \"over\" is forbidden: exceeded quota: q, requested: configmaps=1, used:"
                            + " configmaps=2, limited: configmaps=2");
        }
    }

    private static Map<String, io.fabric8.kubernetes.api.model.Quantity> quotaHard(Target t) {
        var st = t.client()
                .resourceQuotas()
                .inNamespace(t.namespace())
                .withName("q")
                .get()
                .getStatus();
        return st == null || st.getHard() == null ? Map.of() : st.getHard();
    }

    @ParameterizedTest(name = "[{0}] api/resource quota status shows hard and used")
    @MethodSource("kinds")
    void quotaStatus(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.client()
                    .resourceQuotas()
                    .inNamespace(t.namespace())
                    .resource(new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                            .withNewMetadata()
                            .withName("q")
                            .endMetadata()
                            .withNewSpec()
                            .addToHard("secrets", new io.fabric8.kubernetes.api.model.Quantity("5"))
                            .endSpec()
                            .build())
                    .create();
            // a secret created before the controller's first count would be missed until its
            // periodic resync (admission charges only quotas with status.hard, and the controller
            // recounts on deletes, not creates), so wait for the first count
            t.await("quota status", WAIT, () -> quotaHard(t).containsKey("secrets"));
            t.client()
                    .secrets()
                    .inNamespace(t.namespace())
                    .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                            .withNewMetadata()
                            .withName("one")
                            .endMetadata()
                            .build())
                    .create();
            t.await("status.used secrets=1", WAIT, () -> {
                var st = t.client()
                        .resourceQuotas()
                        .inNamespace(t.namespace())
                        .withName("q")
                        .get()
                        .getStatus();
                return st != null
                        && st.getUsed() != null
                        && st.getUsed().containsKey("secrets")
                        && st.getUsed().get("secrets").toString().equals("1");
            });
            assertThat(quotaHard(t).get("secrets").toString()).isEqualTo("5");
        }
    }

    @ParameterizedTest(name = "[{0}] api/dry-run delete keeps the object")
    @MethodSource("kinds")
    void dryRunDelete(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ops.resource(configMap("kept", Map.of())).create();
            ops.withName("kept").dryRun().delete();
            assertThat(ops.withName("kept").get()).isNotNull();
        }
    }

    @ParameterizedTest(name = "[{0}] api/pods by field selector status.phase and spec.nodeName")
    @MethodSource("kinds")
    void podFieldSelectors(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            create(t, job("done", 2, 2));
            t.await("Complete", WAIT, () -> hasCondition(get(t, "done"), "Complete"));
            t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .resource(pod("waiting", Map.of("none", "x")))
                    .create();
            var pods = t.client().pods().inNamespace(t.namespace());
            assertThat(pods.withField("status.phase", "Succeeded").list().getItems())
                    .hasSize(2);
            assertThat(names(pods.withField("status.phase", "Pending").list().getItems()))
                    .containsExactly("waiting");
            assertThat(pods.withField("spec.nodeName", "gpu-" + t.namespace())
                            .list()
                            .getItems())
                    .hasSize(2);
            assertThat(names(pods.withField("spec.nodeName", "").list().getItems()))
                    .containsExactly("waiting");
        }
    }

    private static ConfigMap configMap(String name, Map<String, String> labels) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .addToData("k", "v")
                .build();
    }

    @ParameterizedTest(name = "[{0}] api/dry run stores nothing")
    @MethodSource("kinds")
    void dryRunStoresNothing(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap answer = t.client()
                    .configMaps()
                    .inNamespace(t.namespace())
                    .resource(configMap("dry", Map.of()))
                    .dryRun()
                    .create();
            assertThat(answer.getMetadata().getUid()).isNotEmpty();
            assertThat(t.client()
                            .configMaps()
                            .inNamespace(t.namespace())
                            .withName("dry")
                            .get())
                    .isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] api/generateName appends five characters")
    @MethodSource("kinds")
    void generateName(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap cm = configMap(null, Map.of());
            cm.getMetadata().setGenerateName("run-");
            ConfigMap created = t.client()
                    .configMaps()
                    .inNamespace(t.namespace())
                    .resource(cm)
                    .create();
            assertThat(created.getMetadata().getName()).matches("run-[bcdfghjklmnpqrstvwxz2456789]{5}");
        }
    }

    @ParameterizedTest(name = "[{0}] api/create twice: 409 AlreadyExists")
    @MethodSource("kinds")
    void conflictOnSecondCreate(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ops.resource(configMap("once", Map.of())).create();
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> ops.resource(configMap("once", Map.of())).create());
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
            assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"once\" already exists");
        }
    }

    @ParameterizedTest(name = "[{0}] api/get missing: 404 NotFound message")
    @MethodSource("kinds")
    void notFound(Target.Kind kind) {
        try (Target t = kind.open()) {
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> t.client()
                            .configMaps()
                            .inNamespace(t.namespace())
                            .withName("absent")
                            .edit(c -> c));
            assertThat(e.getCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "[{0}] api/label selectors")
    @MethodSource("kinds")
    void labelSelectors(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ops.resource(configMap("a", Map.of("team", "ml", "tier", "gpu"))).create();
            ops.resource(configMap("b", Map.of("team", "ml"))).create();
            ops.resource(configMap("c", Map.of("team", "web"))).create();
            assertThat(names(ops.withLabel("team", "ml").list().getItems())).containsExactly("a", "b");
            assertThat(names(ops.withLabelIn("team", "ml", "web")
                            .withoutLabel("tier")
                            .list()
                            .getItems()))
                    .containsExactly("b", "c");
            assertThat(names(ops.withLabelNotIn("team", "ml").list().getItems()))
                    .contains("c")
                    .doesNotContain("a", "b");
            assertThat(names(ops.withLabel("tier").list().getItems())).containsExactly("a");
        }
    }

    @ParameterizedTest(name = "[{0}] api/field selector metadata.name")
    @MethodSource("kinds")
    void fieldSelector(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ops.resource(configMap("a", Map.of())).create();
            ops.resource(configMap("b", Map.of())).create();
            assertThat(names(ops.withField("metadata.name", "b").list().getItems()))
                    .containsExactly("b");
            assertThat(names(ops.withoutField("metadata.name", "b").list().getItems()))
                    .contains("a")
                    .doesNotContain("b");
        }
    }

    @ParameterizedTest(name = "[{0}] api/pagination with limit and continue")
    @MethodSource("kinds")
    void pagination(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            for (int i = 0; i < 5; i++) {
                ops.resource(configMap("cm-" + i, Map.of("page", "yes"))).create();
            }
            var first = ops.withLabel("page")
                    .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                            .withLimit(2L)
                            .build());
            assertThat(names(first.getItems())).containsExactly("cm-0", "cm-1");
            assertThat(first.getMetadata().getContinue()).isNotEmpty();
            // the API server counts the rest only for lists without a label or field selector
            assertThat(first.getMetadata().getRemainingItemCount()).isNull();
            var second = ops.withLabel("page")
                    .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                            .withLimit(10L)
                            .withContinue(first.getMetadata().getContinue())
                            .build());
            assertThat(names(second.getItems())).containsExactly("cm-2", "cm-3", "cm-4");
            assertThat(second.getMetadata().getContinue()).isNullOrEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}] api/pagination without a selector counts the rest")
    @MethodSource("kinds")
    void paginationCountsTheRest(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().secrets().inNamespace(t.namespace());
            for (int i = 0; i < 4; i++) {
                ops.resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                                .withNewMetadata()
                                .withName("s-" + i)
                                .endMetadata()
                                .build())
                        .create();
            }
            var first = ops.list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                    .withLimit(1L)
                    .build());
            assertThat(names(first.getItems())).containsExactly("s-0");
            assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(3L);
        }
    }

    @ParameterizedTest(name = "[{0}] api/a new namespace gets kube-root-ca.crt and the default ServiceAccount")
    @MethodSource("kinds")
    void newNamespaceContents(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.await(
                    "kube-root-ca.crt",
                    Duration.ofSeconds(20),
                    () -> t.client()
                                    .configMaps()
                                    .inNamespace(t.namespace())
                                    .withName("kube-root-ca.crt")
                                    .get()
                            != null);
            assertThat(t.client()
                            .serviceAccounts()
                            .inNamespace(t.namespace())
                            .withName("default")
                            .get())
                    .isNotNull();
        }
    }

    @ParameterizedTest(name = "[{0}] api/merge patch and optimistic concurrency")
    @MethodSource("kinds")
    void patchAndConflict(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ConfigMap created = ops.resource(configMap("p", Map.of())).create();
            ops.withName("p").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"x\":\"1\",\"k\":null}}");
            assertThat(ops.withName("p").get().getData()).containsExactly(Map.entry("x", "1"));
            created.getData().put("y", "2");
            var e = catchThrowableOfType(
                    KubernetesClientException.class, () -> ops.resource(created).update());
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
        }
    }

    @ParameterizedTest(name = "[{0}] api/an update with another uid: 409 precondition failed")
    @MethodSource("kinds")
    void updateWithAnotherUid(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ConfigMap created = ops.resource(configMap("u", Map.of())).create();
            String uid = created.getMetadata().getUid();
            created.getMetadata().setUid("00000000-0000-4000-8000-000000000001");
            var e = catchThrowableOfType(
                    KubernetesClientException.class, () -> ops.resource(created).update());
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
            assertThat(e.getStatus().getMessage())
                    .isEqualTo("Operation cannot be fulfilled on configmaps \"u\": StorageError: invalid object,"
                            + " Code: 4, Key: /registry/configmaps/" + t.namespace() + "/u, ResourceVersion: 0,"
                            + " AdditionalErrorMsg: Precondition failed: UID in precondition:"
                            + " 00000000-0000-4000-8000-000000000001, UID in object meta: " + uid);
        }
    }

    /** A pod of two containers, {@code main} and {@code sidecar}, whose failure hint names {@code main}. */
    private static Pod twoContainers(String name, String restartPolicy) {
        Pod p = pod(name, Map.of());
        p.getMetadata()
                .setAnnotations(Map.of(FAIL, "true", FAIL + "/container-name", "main", FAIL + "/exit-code", "3"));
        p.getSpec().setRestartPolicy(restartPolicy);
        p.getSpec()
                .getContainers()
                .add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                        .withName("sidecar")
                        .withImage("busybox:1.36")
                        .build());
        return p;
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(Pod p, String name) {
        return p.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest(name = "[{0}] job/failure hint naming one container: only it fails (restartPolicy Never)")
    @MethodSource("kinds")
    void failureHintNamingOneContainer(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            var pods = t.client().pods().inNamespace(t.namespace());
            pods.resource(twoContainers("pair", "Never")).create();
            t.await(
                    "pair Failed",
                    WAIT,
                    () -> "Failed"
                            .equals(pods.withName("pair").get().getStatus().getPhase()));
            Pod p = pods.withName("pair").get();
            var main = containerStatus(p, "main");
            assertThat(main.getState().getTerminated().getExitCode()).isEqualTo(3);
            assertThat(main.getState().getTerminated().getReason()).isEqualTo("Error");
            var sidecar = containerStatus(p, "sidecar");
            assertThat(sidecar.getState().getRunning()).isNotNull();
            assertThat(sidecar.getReady()).isFalse();
        }
    }

    @ParameterizedTest(name = "[{0}] job/failure hint naming one container: only it restarts (restartPolicy Always)")
    @MethodSource("kinds")
    void failureHintRestartsOneContainer(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(gpuNode(t, 8));
            var pods = t.client().pods().inNamespace(t.namespace());
            pods.resource(twoContainers("pair", "Always")).create();
            t.await("main restarted or backing off", WAIT, () -> {
                Pod p = pods.withName("pair").get();
                return p.getStatus().getContainerStatuses() != null
                        && p.getStatus().getContainerStatuses().size() == 2
                        && containerStatus(p, "main").getRestartCount() >= 1;
            });
            Pod p = pods.withName("pair").get();
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            var main = containerStatus(p, "main");
            assertThat(main.getLastState().getTerminated().getExitCode()).isEqualTo(3);
            var sidecar = containerStatus(p, "sidecar");
            assertThat(sidecar.getRestartCount()).isZero();
            assertThat(sidecar.getState().getRunning()).isNotNull();
        }
    }

    @ParameterizedTest(name = "[{0}] api/watch from a resourceVersion sees later changes")
    @MethodSource("kinds")
    void watchFromResourceVersion(Target.Kind kind) throws Exception {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ConfigMap first = ops.resource(configMap("w1", Map.of())).create();
            ops.resource(configMap("w2", Map.of())).create();
            CompletableFuture<String> seen = new CompletableFuture<>();
            try (Watch w = ops.withResourceVersion(first.getMetadata().getResourceVersion())
                    .watch(new Watcher<ConfigMap>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap resource) {
                            seen.complete(action + " " + resource.getMetadata().getName());
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            seen.completeExceptionally(cause);
                        }
                    })) {
                assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo("ADDED w2");
            }
        }
    }
}
