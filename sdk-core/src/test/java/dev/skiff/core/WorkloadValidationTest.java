package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.skiff.core.validation.Violation;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validation table: workloads a Kubernetes API server would reject, each with the field paths
 * the server reports, and edge cases it accepts. {@code build()} must reject the former with an
 * {@link InvalidWorkloadException} naming those fields, and accept the latter.
 */
class WorkloadValidationTest {
    private static final String NAME_63 = "a".repeat(63);
    private static final String TEMPLATE = "spec.template.spec.";
    private static final String C0 = TEMPLATE + "containers[0].";

    private static BatchJob.Builder job() {
        return BatchJob.builder().name("train").container(Container.of("busybox:1.36"));
    }

    private static BatchJob.Builder jobWith(Container c) {
        return BatchJob.builder().name("train").container(c);
    }

    private static Container busybox() {
        return Container.of("busybox:1.36");
    }

    private static BatchJob.Builder indexed(int completions) {
        return job().indexed(true).completions(completions).parallelism(Math.min(completions, 2));
    }

    private static ScheduledJob.Builder cron(String schedule) {
        return ScheduledJob.builder().job(job().build()).schedule(schedule);
    }

    private static InteractiveSession.Builder session() {
        return InteractiveSession.builder().name("notebook").container(Container.of("jupyter/base-notebook"));
    }

    private static Placement placement(NodeRequirement r) {
        return Placement.builder().addRequiredNodeAffinity(r).build();
    }

    /** Adds an extended resource the way a device trait does; {@code requests} may be null. */
    record Device(String resource, String limit, String request) implements Trait {
        @Override
        public void apply(RenderContext context) {
            var main = context.containers().get(0);
            if (main.getResources() == null) {
                main.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirements());
            }
            var r = main.getResources();
            if (limit != null) {
                if (r.getLimits() == null) {
                    r.setLimits(new java.util.LinkedHashMap<>());
                }
                r.getLimits().put(resource, new io.fabric8.kubernetes.api.model.Quantity(limit));
            }
            if (request != null) {
                if (r.getRequests() == null) {
                    r.setRequests(new java.util.LinkedHashMap<>());
                }
                r.getRequests().put(resource, new io.fabric8.kubernetes.api.model.Quantity(request));
            }
        }
    }

    private static Arguments bad(String rule, Supplier<Workload> spec, String... fields) {
        return Arguments.of(rule, spec, List.of(fields));
    }

    private static Arguments ok(String rule, Supplier<Workload> spec) {
        return Arguments.of(rule, spec);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // metadata
                bad(
                        "name is required",
                        () -> BatchJob.builder().container(busybox()).build(),
                        "metadata.name"),
                bad("name is a DNS subdomain", () -> job().name("Bad_Name").build(), "metadata.name"),
                bad("name ends alphanumeric", () -> job().name("train-").build(), "metadata.name"),
                bad(
                        "job name fits a label value",
                        () -> job().name("a".repeat(64)).build(),
                        "spec.template.labels"),
                bad("namespace is lowercase", () -> job().namespace("ML").build(), "metadata.namespace"),
                bad(
                        "namespace starts alphanumeric",
                        () -> job().namespace("-ml").build(),
                        "metadata.namespace"),
                bad(
                        "label key is a qualified name",
                        () -> job().putLabel("bad key", "x").build(),
                        "metadata.labels"),
                bad(
                        "label value at most 63",
                        () -> job().putLabel("team", "v".repeat(64)).build(),
                        "metadata.labels"),
                bad(
                        "label value starts alphanumeric",
                        () -> job().putLabel("team", "-x").build(),
                        "metadata.labels"),
                bad(
                        "label prefix needs a name",
                        () -> job().putLabel("example.com/", "x").build(),
                        "metadata.labels"),
                bad(
                        "annotation key is a qualified name",
                        () -> job().putAnnotation("a b", "x").build(),
                        "metadata.annotations"),
                bad(
                        "pod annotation key is a qualified name",
                        () -> job().putPodAnnotation("a b", "x").build(),
                        "spec.template.annotations"),
                // counts and modes
                bad("parallelism >= 0", () -> job().parallelism(-1).build(), "spec.parallelism"),
                bad("completions >= 0", () -> job().completions(-1).build(), "spec.completions"),
                bad("backoffLimit >= 0", () -> job().backoffLimit(-1).build(), "spec.backoffLimit"),
                bad("indexed needs completions", () -> job().indexed(true).build(), "spec.completions"),
                bad(
                        "per-index backoff needs indexed",
                        () -> job().completions(2).backoffLimitPerIndex(1).build(),
                        "spec.backoffLimitPerIndex"),
                bad(
                        "per-index backoff >= 0",
                        () -> indexed(2).backoffLimitPerIndex(-1).build(),
                        "spec.backoffLimitPerIndex"),
                bad(
                        "maxFailedIndexes needs per-index backoff",
                        () -> indexed(4).maxFailedIndexes(1).build(),
                        "spec.backoffLimitPerIndex"),
                bad(
                        "maxFailedIndexes <= completions",
                        () -> indexed(4)
                                .backoffLimitPerIndex(1)
                                .maxFailedIndexes(5)
                                .build(),
                        "spec.maxFailedIndexes"),
                bad(
                        "activeDeadline >= 0",
                        () -> job().activeDeadline(Duration.ofSeconds(-1)).build(),
                        "spec.activeDeadlineSeconds"),
                bad(
                        "activeDeadline whole seconds",
                        () -> job().activeDeadline(Duration.ofMillis(1500)).build(),
                        "spec.activeDeadlineSeconds"),
                bad(
                        "ttlAfterFinished >= 0",
                        () -> job().ttlAfterFinished(Duration.ofSeconds(-1)).build(),
                        "spec.ttlSecondsAfterFinished"),
                bad(
                        "parallelism at most 10000 above 100000 completions with per-index backoff",
                        () -> job().indexed(true)
                                .completions(100_001)
                                .backoffLimitPerIndex(1)
                                .maxFailedIndexes(10)
                                .parallelism(10_001)
                                .build(),
                        "spec.parallelism"),
                bad(
                        "maxFailedIndexes required above 100000 completions with per-index backoff",
                        () -> job().indexed(true)
                                .completions(100_001)
                                .backoffLimitPerIndex(1)
                                .parallelism(10)
                                .build(),
                        "spec.maxFailedIndexes"),
                bad(
                        "indexed parallelism at most 100000",
                        () -> job().indexed(true)
                                .completions(100_000)
                                .parallelism(100_001)
                                .build(),
                        "spec.parallelism"),
                // restart policy
                bad(
                        "pod failure policy needs Never",
                        () -> job().restartPolicy(RestartPolicy.ON_FAILURE)
                                .addPodFailurePolicy(PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB, 1))
                                .build(),
                        TEMPLATE + "restartPolicy"),
                // pod failure policy
                bad(
                        "exit code 0 not with In",
                        () -> job().addPodFailurePolicy(PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB, 0))
                                .build(),
                        "spec.podFailurePolicy.rules[0].onExitCodes.values[0]"),
                bad(
                        "exit codes unique",
                        () -> job().addPodFailurePolicy(
                                        PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB, 3, 3))
                                .build(),
                        "spec.podFailurePolicy.rules[0].onExitCodes.values[1]"),
                bad(
                        "exit codes ordered",
                        () -> job().addPodFailurePolicy(
                                        PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB, 5, 3))
                                .build(),
                        "spec.podFailurePolicy.rules[0].onExitCodes.values"),
                bad(
                        "exit codes not empty",
                        () -> job().addPodFailurePolicy(PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB))
                                .build(),
                        "spec.podFailurePolicy.rules[0].onExitCodes.values"),
                bad(
                        "FailIndex needs per-index backoff",
                        () -> indexed(2)
                                .addPodFailurePolicy(PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_INDEX, 1))
                                .build(),
                        "spec.podFailurePolicy.rules[0].action"),
                bad(
                        "rule's container exists",
                        () -> job().addPodFailurePolicy(PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB, 1)
                                        .forContainer("sidecar"))
                                .build(),
                        "spec.podFailurePolicy.rules[0].onExitCodes.containerName"),
                bad(
                        "condition type is a qualified name",
                        () -> job().addPodFailurePolicy(
                                        PodFailureRule.onPodCondition(PodFailureRule.Action.IGNORE, "bad type!"))
                                .build(),
                        "spec.podFailurePolicy.rules[0].onPodConditions[0].type"),
                bad(
                        "replacement TerminatingOrFailed not with a failure policy",
                        () -> job().addPodFailurePolicy(PodFailureRule.onDisruption(PodFailureRule.Action.IGNORE))
                                .podReplacementPolicy(BatchJob.PodReplacementPolicy.TERMINATING_OR_FAILED)
                                .build(),
                        "spec.podReplacementPolicy"),
                // success policy
                bad(
                        "success policy needs indexed",
                        () -> job().completions(2)
                                .addSuccessPolicy(SuccessRule.count(1))
                                .build(),
                        "spec.successPolicy"),
                bad(
                        "succeededCount <= completions",
                        () -> indexed(3).addSuccessPolicy(SuccessRule.count(4)).build(),
                        "spec.successPolicy.rules[0].succeededCount"),
                bad(
                        "succeededCount >= 0",
                        () -> indexed(3).addSuccessPolicy(SuccessRule.count(-1)).build(),
                        "spec.successPolicy.rules[0].succeededCount"),
                bad(
                        "succeededIndexes within completions",
                        () -> indexed(3)
                                .addSuccessPolicy(SuccessRule.indexes("5"))
                                .build(),
                        "spec.successPolicy.rules[0].succeededIndexes"),
                bad(
                        "succeededIndexes well formed",
                        () -> indexed(3)
                                .addSuccessPolicy(SuccessRule.indexes("a-b"))
                                .build(),
                        "spec.successPolicy.rules[0].succeededIndexes"),
                bad(
                        "succeededCount <= size of succeededIndexes",
                        () -> indexed(5)
                                .addSuccessPolicy(SuccessRule.of("0-1", 3))
                                .build(),
                        "spec.successPolicy.rules[0].succeededCount"),
                // containers
                bad(
                        "containers are required",
                        () -> BatchJob.builder().name("train").build(),
                        TEMPLATE + "containers"),
                bad("image is required", () -> jobWith(Container.of("")).build(), C0 + "image"),
                bad(
                        "container name is a DNS label",
                        () -> jobWith(busybox().withName("Main")).build(),
                        C0 + "name"),
                bad(
                        "container names unique",
                        () -> jobWith(busybox().withName("main"))
                                .container(busybox().withName("main"))
                                .build(),
                        TEMPLATE + "containers[1].name"),
                bad(
                        "init and main container names unique",
                        () -> jobWith(busybox().withName("main"))
                                .addInitContainer(busybox().withName("main"))
                                .build(),
                        TEMPLATE + "initContainers[0].name"),
                bad("container port >= 1", () -> jobWith(busybox().withPort(0)).build(), C0 + "ports[0].containerPort"),
                bad(
                        "container port <= 65535",
                        () -> jobWith(busybox().withPort(70_000)).build(),
                        C0 + "ports[0].containerPort"),
                bad(
                        "port name at most 15",
                        () -> jobWith(busybox().withPorts(Port.of("jupyter-notebook-http", 8888)))
                                .build(),
                        C0 + "ports[0].name"),
                bad(
                        "port names unique",
                        () -> jobWith(busybox().withPorts(Port.of("http", 80), Port.of("http", 81)))
                                .build(),
                        C0 + "ports[1].name"),
                bad(
                        "env name has no =",
                        () -> jobWith(busybox().withEnv("A=B", "x")).build(),
                        C0 + "env[0].name"),
                bad(
                        "env name required",
                        () -> jobWith(busybox().withEnv("", "x")).build(),
                        C0 + "env[0].name"),
                bad(
                        "secret key required",
                        () -> jobWith(busybox().withEnv(EnvVar.fromSecret("TOKEN", "creds", "")))
                                .build(),
                        C0 + "env[0].valueFrom.secretKeyRef.key"),
                bad(
                        "secret key is a config key",
                        () -> jobWith(busybox().withEnv(EnvVar.fromSecret("TOKEN", "creds", "a/b")))
                                .build(),
                        C0 + "env[0].valueFrom.secretKeyRef.key"),
                bad(
                        "config map name required",
                        () -> jobWith(busybox().withEnv(EnvVar.fromConfigMap("URL", "", "url")))
                                .build(),
                        C0 + "env[0].valueFrom.configMapKeyRef.name"),
                bad(
                        "field path supported",
                        () -> jobWith(busybox().withEnv(EnvVar.fromField("X", "spec.foo")))
                                .build(),
                        C0 + "env[0].valueFrom.fieldRef.fieldPath"),
                // resources
                bad(
                        "cpu is a quantity",
                        () -> jobWith(busybox().withResources(Resources.cpu("eight")))
                                .build(),
                        C0 + "resources.requests[cpu]"),
                bad(
                        "memory is a quantity",
                        () -> jobWith(busybox().withResources(Resources.none().memory("64GB")))
                                .build(),
                        C0 + "resources.requests[memory]"),
                bad(
                        "cpu is not negative",
                        () -> jobWith(busybox().withResources(Resources.cpu("-1")))
                                .build(),
                        C0 + "resources.requests[cpu]"),
                bad(
                        "cpu request <= limit",
                        () -> jobWith(busybox().withResources(Resources.cpu("4").withCpuLimit("2")))
                                .build(),
                        C0 + "resources.requests"),
                bad(
                        "memory request <= limit",
                        () -> jobWith(busybox()
                                        .withResources(
                                                Resources.none().memory("2Gi").withMemoryLimit("1Gi")))
                                .build(),
                        C0 + "resources.requests"),
                bad(
                        "extended resources are whole",
                        () -> job().addTraits(new Device("nvidia.com/gpu", "0.5", null))
                                .build(),
                        C0 + "resources.limits[nvidia.com/gpu]"),
                bad(
                        "extended resources need a limit",
                        () -> job().addTraits(new Device("nvidia.com/gpu", null, "1"))
                                .build(),
                        C0 + "resources.limits"),
                bad(
                        "extended resource request equals limit",
                        () -> job().addTraits(new Device("nvidia.com/gpu", "2", "1"))
                                .build(),
                        C0 + "resources.requests"),
                // volumes and mounts
                bad(
                        "mount names a volume",
                        () -> jobWith(busybox().withVolumeMount("data", "/data"))
                                .build(),
                        C0 + "volumeMounts[0].name"),
                bad(
                        "mount paths unique",
                        () -> jobWith(busybox().withVolumeMount("a", "/data").withVolumeMount("b", "/data"))
                                .addVolume(Volume.emptyDir("a"))
                                .addVolume(Volume.emptyDir("b"))
                                .build(),
                        C0 + "volumeMounts[1].mountPath"),
                bad(
                        "mount path required",
                        () -> jobWith(busybox().withVolumeMount("a", ""))
                                .addVolume(Volume.emptyDir("a"))
                                .build(),
                        C0 + "volumeMounts[0].mountPath"),
                bad(
                        "subPath is relative",
                        () -> jobWith(busybox()
                                        .withVolumeMounts(
                                                VolumeMount.of("a", "/a").withSubPath("/abs")))
                                .addVolume(Volume.emptyDir("a"))
                                .build(),
                        C0 + "volumeMounts.subPath"),
                bad(
                        "subPath has no ..",
                        () -> jobWith(busybox()
                                        .withVolumeMounts(
                                                VolumeMount.of("a", "/a").withSubPath("x/../y")))
                                .addVolume(Volume.emptyDir("a"))
                                .build(),
                        C0 + "volumeMounts.subPath"),
                bad(
                        "volume name is a DNS label",
                        () -> job().addVolume(Volume.emptyDir("Data")).build(),
                        TEMPLATE + "volumes[0].name"),
                bad(
                        "volume names unique",
                        () -> job().addVolume(Volume.emptyDir("a"))
                                .addVolume(Volume.emptyDir("a"))
                                .build(),
                        TEMPLATE + "volumes[1].name"),
                bad(
                        "claim name required",
                        () -> job().addVolume(Volume.persistentClaim("data", ""))
                                .build(),
                        TEMPLATE + "volumes[0].persistentVolumeClaim.claimName"),
                bad(
                        "emptyDir size is a quantity",
                        () -> job().addVolume(Volume.emptyDir("a", "lots")).build(),
                        TEMPLATE + "volumes[0].emptyDir.sizeLimit"),
                bad(
                        "config map volume names one",
                        () -> job().addVolume(Volume.configMap("cfg", "")).build(),
                        TEMPLATE + "volumes[0].configMap.name"),
                bad(
                        "secret volume names one",
                        () -> job().addVolume(Volume.secret("creds", "")).build(),
                        TEMPLATE + "volumes[0].secret.secretName"),
                // probes
                bad(
                        "probe port in range",
                        () -> jobWith(busybox().withReadinessProbe(Probe.tcp(0)))
                                .build(),
                        C0 + "readinessProbe.tcpSocket.port"),
                bad(
                        "probe failure threshold >= 0",
                        () -> jobWith(busybox()
                                        .withReadinessProbe(Probe.http("/", 80).withFailureThreshold(-1)))
                                .build(),
                        C0 + "readinessProbe.failureThreshold"),
                bad(
                        "exec probe needs a command",
                        () -> jobWith(busybox().withLivenessProbe(Probe.exec())).build(),
                        C0 + "livenessProbe.exec.command"),
                // placement
                bad(
                        "toleration key is a qualified name",
                        () -> job().placement(Placement.builder()
                                        .addToleration(Toleration.exists("bad key"))
                                        .build())
                                .build(),
                        TEMPLATE + "tolerations[0].key"),
                bad(
                        "Equal toleration needs a key",
                        () -> job().placement(Placement.builder()
                                        .addToleration(Toleration.equal("", "x", Toleration.Effect.NO_SCHEDULE))
                                        .build())
                                .build(),
                        TEMPLATE + "tolerations[0].operator"),
                bad(
                        "tolerationSeconds only with NoExecute",
                        () -> job().placement(Placement.builder()
                                        .addToleration(Toleration.equal("k", "v", Toleration.Effect.NO_SCHEDULE)
                                                .withTolerationSeconds(30))
                                        .build())
                                .build(),
                        TEMPLATE + "tolerations[0].effect"),
                bad(
                        "In needs values",
                        () -> job().placement(placement(NodeRequirement.in("zone")))
                                .build(),
                        TEMPLATE
                                + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values"),
                bad(
                        "Gt takes one value",
                        () -> job().placement(
                                        placement(NodeRequirement.of("mem", NodeRequirement.Operator.GT, "1", "2")))
                                .build(),
                        TEMPLATE
                                + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values"),
                bad(
                        "Exists takes no values",
                        () -> job().placement(
                                        placement(NodeRequirement.of("gpu", NodeRequirement.Operator.EXISTS, "x")))
                                .build(),
                        TEMPLATE
                                + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values"),
                bad(
                        "affinity key is a qualified name",
                        () -> job().placement(placement(NodeRequirement.exists("bad key")))
                                .build(),
                        TEMPLATE
                                + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key"),
                bad(
                        "node selector key is a qualified name",
                        () -> job().placement(Placement.builder()
                                        .putNodeSelector("bad key", "x")
                                        .build())
                                .build(),
                        TEMPLATE + "nodeSelector"),
                bad(
                        "priority class is a subdomain",
                        () -> job().placement(Placement.builder()
                                        .priorityClass("High_Priority")
                                        .build())
                                .build(),
                        TEMPLATE + "priorityClassName"),
                bad(
                        "service account is a subdomain",
                        () -> job().serviceAccount("Trainer_SA").build(),
                        TEMPLATE + "serviceAccountName"),
                // scheduled jobs
                bad(
                        "cron job name at most 52",
                        () -> ScheduledJob.builder()
                                .job(job().name("n".repeat(53)).build())
                                .schedule("@daily")
                                .build(),
                        "metadata.name"),
                bad("schedule has five fields", () -> cron("* * *").build(), "spec.schedule"),
                bad("schedule values in range", () -> cron("60 * * * *").build(), "spec.schedule"),
                bad("schedule has no TZ", () -> cron("TZ=UTC 0 * * * *").build(), "spec.schedule"),
                bad(
                        "schedule has no CRON_TZ",
                        () -> cron("CRON_TZ=Europe/Berlin 0 * * * *").build(),
                        "spec.schedule"),
                bad("schedule required", () -> cron("").build(), "spec.schedule"),
                bad(
                        "time zone is known",
                        () -> cron("@daily").timeZone("Mars/Olympus").build(),
                        "spec.timeZone"),
                bad(
                        "starting deadline >= 0",
                        () -> cron("@daily")
                                .startingDeadline(Duration.ofSeconds(-5))
                                .build(),
                        "spec.startingDeadlineSeconds"),
                bad(
                        "successful history >= 0",
                        () -> cron("@daily").successfulJobsHistoryLimit(-1).build(),
                        "spec.successfulJobsHistoryLimit"),
                bad(
                        "failed history >= 0",
                        () -> cron("@daily").failedJobsHistoryLimit(-1).build(),
                        "spec.failedJobsHistoryLimit"),
                // sessions
                bad("replicas >= 0", () -> session().replicas(-1).build(), "spec.replicas"),
                bad(
                        "session name fits a Service (a DNS label: no dots)",
                        () -> session().name("note.book").addPort(Port.of(8888)).build(),
                        "metadata.name"),
                bad(
                        "per-replica storage size is a quantity",
                        () -> session()
                                .addPerReplicaStorage(PersistentStorage.of("home", "big", "/home"))
                                .build(),
                        "spec.volumeClaimTemplates[0].spec.resources[storage]"),
                bad(
                        "per-replica storage name is a DNS label",
                        () -> session()
                                .addPerReplicaStorage(PersistentStorage.of("Home", "1Gi", "/home"))
                                .build(),
                        "spec.volumeClaimTemplates[0].metadata.name"),
                bad("session port in range", () -> session().addPort(Port.of(0)).build(), "spec.ports[0].port"),
                bad(
                        "session ports unique",
                        () -> session()
                                .addPort(Port.of("a", 80))
                                .addPort(Port.of("b", 80))
                                .build(),
                        "spec.ports[1]"));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                ok("63-character job name", () -> job().name(NAME_63).build()),
                ok("dotted job name", () -> job().name("train.v2").build()),
                ok("one-character name", () -> job().name("a").build()),
                ok(
                        "indexed with parallelism below completions",
                        () -> job().indexed(true).completions(8).parallelism(2).build()),
                ok("parallelism 0 (paused)", () -> job().parallelism(0).build()),
                ok("completions 0", () -> job().completions(0).build()),
                ok("backoffLimit 0", () -> job().backoffLimit(0).build()),
                ok(
                        "NotIn may list 0",
                        () -> job().addPodFailurePolicy(
                                        PodFailureRule.onExitCodesNotIn(PodFailureRule.Action.FAIL_JOB, 0, 1))
                                .build()),
                ok(
                        "ordered exit codes",
                        () -> job().addPodFailurePolicy(
                                        PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_JOB, 1, 2, 3))
                                .build()),
                ok(
                        "FailIndex with per-index backoff",
                        () -> indexed(4)
                                .backoffLimitPerIndex(1)
                                .addPodFailurePolicy(PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_INDEX, 42))
                                .build()),
                ok(
                        "maxFailedIndexes equal to completions",
                        () -> indexed(4)
                                .backoffLimitPerIndex(1)
                                .maxFailedIndexes(4)
                                .build()),
                ok(
                        "succeededCount equal to completions",
                        () -> indexed(3).addSuccessPolicy(SuccessRule.count(3)).build()),
                ok(
                        "succeededIndexes ranges",
                        () -> indexed(5)
                                .addSuccessPolicy(SuccessRule.of("0,2-4", 2))
                                .build()),
                ok(
                        "OnFailure without a failure policy",
                        () -> job().restartPolicy(RestartPolicy.ON_FAILURE).build()),
                ok("empty label value", () -> job().putLabel("team", "").build()),
                ok(
                        "prefixed label",
                        () -> job().putLabel("example.com/team", "vision").build()),
                ok(
                        "extended resource in limits only",
                        () -> job().addTraits(new Device("nvidia.com/gpu", "8", null))
                                .build()),
                ok(
                        "extended resource limits equal requests",
                        () -> job().addTraits(new Device("nvidia.com/gpu", "8", "8"))
                                .build()),
                ok(
                        "quantity forms",
                        () -> jobWith(busybox()
                                        .withResources(Resources.cpu("500m")
                                                .memory("1e9")
                                                .withEphemeralStorage("100M")))
                                .build()),
                ok(
                        "zero quantities",
                        () -> jobWith(busybox().withResources(Resources.cpu("0").memory("0")))
                                .build()),
                ok(
                        "NoExecute toleration with seconds",
                        () -> job().placement(Placement.builder()
                                        .addToleration(Toleration.equal("k", "v", Toleration.Effect.NO_EXECUTE)
                                                .withTolerationSeconds(30))
                                        .build())
                                .build()),
                ok(
                        "Gt with an integer",
                        () -> job().placement(placement(NodeRequirement.gt("nvidia.com/gpu.memory", 40_000)))
                                .build()),
                ok(
                        "DoesNotExist without values",
                        () -> job().placement(placement(NodeRequirement.doesNotExist("spot")).toBuilder()
                                        .addRequiredNodeAffinity(NodeRequirement.notIn("zone", "a"))
                                        .build())
                                .build()),
                ok(
                        "dotted env name",
                        () -> jobWith(busybox().withEnv("my.var", "x")).build()),
                ok(
                        "downward API fields",
                        () -> jobWith(busybox()
                                        .withEnv(
                                                EnvVar.fromField("IP", "status.podIP"),
                                                EnvVar.fromField("NS", "metadata.namespace")))
                                .build()),
                ok(
                        "read-only mount of a sub path",
                        () -> jobWith(busybox()
                                        .withVolumeMounts(VolumeMount.of("data", "/data")
                                                .withSubPath("sub/dir")
                                                .asReadOnly()))
                                .addVolume(Volume.persistentClaim("data", "dataset"))
                                .build()),
                ok(
                        "memory-backed emptyDir",
                        () -> job().addVolume(Volume.memory("dshm", "16Gi")).build()),
                ok("suspended", () -> job().suspend(true).build()),
                ok(
                        "ttlAfterFinished 0",
                        () -> job().ttlAfterFinished(Duration.ZERO).build()),
                ok(
                        "activeDeadline one second",
                        () -> job().activeDeadline(Duration.ofSeconds(1)).build()),
                ok(
                        "activeDeadline 0 (the server accepts it)",
                        () -> job().activeDeadline(Duration.ZERO).build()),
                ok(
                        "indexed completions above 100000 with bounded parallelism",
                        () -> job().indexed(true)
                                .completions(100_001)
                                .parallelism(100)
                                .build()),
                ok(
                        "env name starting with a digit (relaxed rule)",
                        () -> jobWith(busybox().withEnv("1VAR", "x")).build()),
                ok(
                        "Gt with any single value",
                        () -> job().placement(placement(NodeRequirement.of("mem", NodeRequirement.Operator.GT, "big")))
                                .build()),
                ok(
                        "probe failure threshold 0 (defaulted to 3)",
                        () -> jobWith(busybox().withReadinessProbe(Probe.tcp(80).withFailureThreshold(0)))
                                .build()),
                ok(
                        "52-character cron job name",
                        () -> ScheduledJob.builder()
                                .job(job().name("n".repeat(52)).build())
                                .schedule("@hourly")
                                .build()),
                ok(
                        "cron ranges and steps",
                        () -> cron("0 */2 * * 1-5").timeZone("America/New_York").build()),
                ok("cron names", () -> cron("15 3 1 JAN-JUN MON").build()),
                ok(
                        "cron macro",
                        () -> cron("@weekly").startingDeadline(Duration.ZERO).build()),
                ok("suspended session", () -> session().replicas(0).build()),
                ok("session without ports has no Service", () -> session().build()),
                ok(
                        "tcp probe",
                        () -> jobWith(busybox().withReadinessProbe(Probe.tcp(8080)))
                                .build()),
                ok(
                        "Failed replacement with a failure policy",
                        () -> job().podReplacementPolicy(BatchJob.PodReplacementPolicy.FAILED)
                                .addPodFailurePolicy(PodFailureRule.onDisruption(PodFailureRule.Action.IGNORE))
                                .build()),
                ok(
                        "15-character port name",
                        () -> jobWith(busybox().withPorts(Port.of("abcdefghijklmno", 80)))
                                .build()),
                ok(
                        "stateful session with storage class",
                        () -> session()
                                .addPerReplicaStorage(PersistentStorage.of("home", "50Gi", "/home")
                                        .withStorageClass("premium-rwo")
                                        .withAccessMode(PersistentStorage.AccessMode.READ_WRITE_ONCE_POD))
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWhatTheApiServerRejects(String rule, Supplier<Workload> spec, List<String> fields) {
        InvalidWorkloadException e = catchThrowableOfType(InvalidWorkloadException.class, spec::get);
        assertThat(e).as("%s must be rejected", rule).isNotNull();
        assertThat(e.violations())
                .extracting(Violation::field)
                .as(e.getMessage())
                .containsAll(fields);
        for (Violation v : e.violations()) {
            assertThat(v.detail().isEmpty() && v.type() == Violation.Type.INVALID)
                    .as("violation %s names its rule", v)
                    .isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsWhatTheApiServerAccepts(String rule, Supplier<Workload> spec) {
        assertThatCode(spec::get).as(rule).doesNotThrowAnyException();
    }

    @Test
    void oneExceptionCarriesEveryViolation() {
        InvalidWorkloadException e = catchThrowableOfType(
                InvalidWorkloadException.class,
                () -> BatchJob.builder()
                        .name("Bad_Name")
                        .container(Container.of("busybox").withPort(0))
                        .parallelism(-1)
                        .build());
        assertThat(e.violations())
                .extracting(Violation::field)
                .contains("metadata.name", "spec.parallelism", C0 + "ports[0].containerPort");
        assertThat(e.getMessage()).contains("Bad_Name", "spec.parallelism", "Invalid value: -1");
        assertThat(e.kind()).isEqualTo("Job");
    }

    @Test
    void theTableIsAsLargeAsPromised() {
        assertThat(invalid().count()).isGreaterThanOrEqualTo(80);
        assertThat(valid().count()).isGreaterThanOrEqualTo(30);
    }
}
