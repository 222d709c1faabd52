package dev.skiff.core.validation;

import static dev.skiff.core.validation.Fixtures.configMap;
import static dev.skiff.core.validation.Fixtures.cronJob;
import static dev.skiff.core.validation.Fixtures.deployment;
import static dev.skiff.core.validation.Fixtures.job;
import static dev.skiff.core.validation.Fixtures.main;
import static dev.skiff.core.validation.Fixtures.map;
import static dev.skiff.core.validation.Fixtures.namespace;
import static dev.skiff.core.validation.Fixtures.pod;
import static dev.skiff.core.validation.Fixtures.podObject;
import static dev.skiff.core.validation.Fixtures.pvc;
import static dev.skiff.core.validation.Fixtures.quantities;
import static dev.skiff.core.validation.Fixtures.repeat;
import static dev.skiff.core.validation.Fixtures.secret;
import static dev.skiff.core.validation.Fixtures.service;
import static dev.skiff.core.validation.Fixtures.spec;
import static dev.skiff.core.validation.Fixtures.statefulSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ContainerRestartRuleBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplateBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of invalid and valid objects: each invalid case names the exact field paths and error
 * types the API server reports; each valid case is an edge the server accepts.
 */
class ValidatorCasesTest {
    private static final String T = "spec.template.spec.";
    private static final String C = T + "containers[0].";
    private static final String JT = "spec.jobTemplate.spec.template.spec.";

    /**
     * How a real API server (v1.36.3) answers a case's create, for the conformance suite, which
     * sends every case: the Validator reports its violations either way.
     */
    enum Server {
        /** {@code 422 Invalid} with exactly the case's violations as causes; {@code 201} for a valid case. */
        VALIDATES,
        /**
         * {@code 400 BadRequest} while decoding the body, before validation, without causes: the
         * body cannot become the Go object (a quantity that does not parse).
         */
        REJECTS_WHILE_DECODING,
        /**
         * {@code 403 Forbidden} from an admission plugin, which runs before validation and looks the
         * named object up in the cluster (a ServiceAccount, a PriorityClass).
         */
        REJECTS_AT_ADMISSION,
        /** Client-side only: the case cannot be sent as it is; the reason says why. */
        NOT_SENT
    }

    private static Arguments bad(String name, HasMetadata object, String... expected) {
        return Arguments.of(name, object, List.of(expected), Server.VALIDATES, "");
    }

    private static Arguments ok(String name, HasMetadata object) {
        return Arguments.of(name, object, List.of(), Server.VALIDATES, "");
    }

    /** A case the server rejects otherwise than with {@code 422} and these causes; {@code why} says how. */
    private static Arguments bad(Server server, String why, String name, HasMetadata object, String... expected) {
        return Arguments.of(name, object, List.of(expected), server, why);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({
        "metadata",
        "jobs",
        "cronJobs",
        "containers",
        "resources",
        "volumes",
        "scheduling",
        "pods",
        "apps",
        "services",
        "storage",
        "devices",
        "valid"
    })
    void reportsExactlyTheServersViolations(
            String name, HasMetadata object, List<String> expected, Server server, String why) {
        if (server != Server.VALIDATES) {
            // Skiff refuses it before sending, though the server says no at another stage.
            assertThat(expected).as(name).isNotEmpty();
            assertThat(why).as(name).isNotBlank();
        }
        List<String> actual = new ArrayList<>();
        for (Violation v : Validator.validate(object)) {
            actual.add(v.type() + " " + v.field());
        }
        assertThat(actual).as(name + ": " + Validator.validate(object)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> metadata() {
        return Stream.of(
                bad("name required", job(j -> j.getMetadata().setName(null)), "REQUIRED metadata.name"),
                bad("name with uppercase", job(j -> j.getMetadata().setName("Train")), "INVALID metadata.name"),
                bad(
                        "name with underscore",
                        configMap(c -> c.getMetadata().setName("my_config")),
                        "INVALID metadata.name"),
                bad(
                        "subdomain name over 253 chars",
                        configMap(c -> c.getMetadata().setName(repeat('a', 254))),
                        "INVALID metadata.name"),
                bad(
                        Server.NOT_SENT,
                        "the namespace is part of the request path; a namespace that is not a DNS label cannot"
                                + " exist, so the server answers 404 NotFound for it before validating",
                        "namespace not a DNS label",
                        job(j -> j.getMetadata().setNamespace("ml.team")),
                        "INVALID metadata.namespace"),
                bad(
                        "generateName with uppercase",
                        job(j -> {
                            j.getMetadata().setName(null);
                            j.getMetadata().setGenerateName("Train-");
                        }),
                        "INVALID metadata.generateName",
                        "INVALID metadata.name"),
                bad(
                        "label key with two slashes",
                        configMap(c -> c.getMetadata().setLabels(map("a/b/c", "x"))),
                        "INVALID metadata.labels"),
                bad(
                        "label key name part over 63",
                        configMap(c -> c.getMetadata().setLabels(map("example.com/" + repeat('k', 64), "x"))),
                        "INVALID metadata.labels"),
                bad(
                        "label key prefix not a subdomain",
                        configMap(c -> c.getMetadata().setLabels(map("Example.com/k", "x"))),
                        "INVALID metadata.labels"),
                bad(
                        "label value over 63",
                        configMap(c -> c.getMetadata().setLabels(map("k", repeat('v', 64)))),
                        "INVALID metadata.labels"),
                bad(
                        "label value ending in a dash",
                        configMap(c -> c.getMetadata().setLabels(map("k", "v-"))),
                        "INVALID metadata.labels"),
                bad(
                        "annotation key with space",
                        configMap(c -> c.getMetadata().setAnnotations(map("bad key", "x"))),
                        "INVALID metadata.annotations"),
                bad(
                        "annotations over 256KiB",
                        configMap(c -> c.getMetadata().setAnnotations(map("big", repeat('x', 256 * 1024)))),
                        "TOO_LONG metadata.annotations"),
                bad(
                        "unqualified finalizer",
                        configMap(c -> c.getMetadata().setFinalizers(List.of("cleanup"))),
                        "INVALID metadata.finalizers[0]"),
                bad(
                        "namespace name with dots",
                        namespace(n -> n.getMetadata().setName("team.a")),
                        "INVALID metadata.name"),
                bad(
                        "service name with a dot",
                        service(s -> s.getMetadata().setName("trainer.v1")),
                        "INVALID metadata.name"),
                bad(
                        "service name over 63",
                        service(s -> s.getMetadata().setName(repeat('s', 64))),
                        "INVALID metadata.name"),
                bad(
                        "statefulset name with dots",
                        statefulSet(s -> s.getMetadata().setName("etcd.main")),
                        "INVALID metadata.name"),
                bad(
                        "a kind without rules of its own still has its name checked",
                        new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                                .withNewMetadata()
                                .withName("Trainer")
                                .endMetadata()
                                .build(),
                        "INVALID metadata.name"),
                bad(
                        "device request name not a DNS label",
                        new ResourceClaimTemplateBuilder()
                                .withNewMetadata()
                                .withName("gpu")
                                .endMetadata()
                                .withNewSpec()
                                .withNewSpec()
                                .withNewDevices()
                                .addNewRequest()
                                .withName("GPU")
                                .withNewExactly()
                                .withDeviceClassName("gpu.nvidia.com")
                                .endExactly()
                                .endRequest()
                                .addNewRequest()
                                .withNewExactly()
                                .withDeviceClassName("gpu.nvidia.com")
                                .endExactly()
                                .endRequest()
                                .endDevices()
                                .endSpec()
                                .endSpec()
                                .build(),
                        "INVALID spec.spec.devices.requests[0].name",
                        "INVALID spec.spec.devices.requests[1].name"));
    }

    static Stream<Arguments> jobs() {
        return Stream.of(
                bad(
                        "job name over 63 becomes an invalid pod label",
                        job(j -> j.getMetadata().setName(repeat('a', 64))),
                        // once for each generated job-name label: job-name, batch.kubernetes.io/job-name
                        "INVALID spec.template.labels",
                        "INVALID spec.template.labels"),
                bad(
                        "template label invalid on a job without labels is reported for both",
                        job(j -> {
                            j.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
                            j.getSpec().getTemplate().getMetadata().setLabels(map("bad key", "x"));
                        }),
                        "INVALID metadata.labels",
                        "INVALID spec.template.labels"),
                bad("negative parallelism", job(j -> spec(j).setParallelism(-1)), "INVALID spec.parallelism"),
                bad("negative completions", job(j -> spec(j).setCompletions(-2)), "INVALID spec.completions"),
                bad("negative backoffLimit", job(j -> spec(j).setBackoffLimit(-1)), "INVALID spec.backoffLimit"),
                bad(
                        "negative activeDeadlineSeconds",
                        job(j -> spec(j).setActiveDeadlineSeconds(-5L)),
                        "INVALID spec.activeDeadlineSeconds"),
                bad(
                        "negative ttlSecondsAfterFinished",
                        job(j -> spec(j).setTtlSecondsAfterFinished(-1)),
                        "INVALID spec.ttlSecondsAfterFinished"),
                bad(
                        "indexed with parallelism but without completions",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setParallelism(2);
                        }),
                        "REQUIRED spec.completions"),
                bad(
                        "unknown completion mode",
                        job(j -> spec(j).setCompletionMode("Ordered")),
                        "NOT_SUPPORTED spec.completionMode"),
                bad(
                        "indexed parallelism over 100000",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(10);
                            spec(j).setParallelism(100_001);
                        }),
                        "INVALID spec.parallelism"),
                bad(
                        "indexed pod hostname not a DNS label",
                        job(j -> {
                            j.getMetadata().setName(repeat('a', 62));
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(10);
                        }),
                        "INVALID metadata.name"),
                bad(
                        "restartPolicy unset is defaulted to Always",
                        job(j -> pod(j).setRestartPolicy(null)),
                        "REQUIRED spec.template.spec.restartPolicy"),
                bad(
                        "restartPolicy Always",
                        job(j -> pod(j).setRestartPolicy("Always")),
                        "REQUIRED spec.template.spec.restartPolicy"),
                bad(
                        "restartPolicy unknown is reported twice",
                        job(j -> pod(j).setRestartPolicy("Sometimes")),
                        "NOT_SUPPORTED spec.template.spec.restartPolicy",
                        "NOT_SUPPORTED spec.template.spec.restartPolicy"),
                bad(
                        "backoffLimitPerIndex without indexed mode",
                        job(j -> spec(j).setBackoffLimitPerIndex(1)),
                        "INVALID spec.backoffLimitPerIndex"),
                bad(
                        "maxFailedIndexes without backoffLimitPerIndex",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(4);
                            spec(j).setMaxFailedIndexes(1);
                        }),
                        "REQUIRED spec.backoffLimitPerIndex"),
                bad(
                        "maxFailedIndexes above completions",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(4);
                            spec(j).setBackoffLimitPerIndex(1);
                            spec(j).setMaxFailedIndexes(5);
                        }),
                        "INVALID spec.maxFailedIndexes"),
                bad(
                        "high completions with per-index backoff need maxFailedIndexes",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(200_000);
                            spec(j).setParallelism(20_000);
                            spec(j).setBackoffLimitPerIndex(1);
                        }),
                        "REQUIRED spec.maxFailedIndexes",
                        "INVALID spec.parallelism"),
                bad(
                        "pod failure policy needs restartPolicy Never",
                        job(j -> {
                            pod(j).setRestartPolicy("OnFailure");
                            spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                    .addNewRule()
                                    .withAction("FailJob")
                                    .withNewOnExitCodes()
                                    .withOperator("In")
                                    .withValues(42)
                                    .endOnExitCodes()
                                    .endRule()
                                    .build());
                        }),
                        "INVALID spec.template.spec.restartPolicy"),
                bad(
                        "pod failure rule with neither exit codes nor conditions",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("Ignore")
                                .endRule()
                                .build())),
                        "INVALID spec.podFailurePolicy.rules[0]"),
                bad(
                        "pod failure rule with both exit codes and conditions",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("Ignore")
                                .withNewOnExitCodes()
                                .withOperator("In")
                                .withValues(1)
                                .endOnExitCodes()
                                .addNewOnPodCondition()
                                .withType("DisruptionTarget")
                                .endOnPodCondition()
                                .endRule()
                                .build())),
                        "INVALID spec.podFailurePolicy.rules[0]"),
                bad(
                        "exit code 0 with In, duplicates and unsorted values",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("FailJob")
                                .withNewOnExitCodes()
                                .withOperator("In")
                                .withValues(3, 0, 3)
                                .endOnExitCodes()
                                .endRule()
                                .build())),
                        "INVALID spec.podFailurePolicy.rules[0].onExitCodes.values[1]",
                        "DUPLICATE spec.podFailurePolicy.rules[0].onExitCodes.values[2]",
                        "INVALID spec.podFailurePolicy.rules[0].onExitCodes.values"),
                bad(
                        "exit code operator unsupported",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("FailJob")
                                .withNewOnExitCodes()
                                .withOperator("Equals")
                                .withValues(1)
                                .endOnExitCodes()
                                .endRule()
                                .build())),
                        "NOT_SUPPORTED spec.podFailurePolicy.rules[0].onExitCodes.operator"),
                bad(
                        "exit code rule without values",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("FailJob")
                                .withNewOnExitCodes()
                                .withOperator("NotIn")
                                .endOnExitCodes()
                                .endRule()
                                .build())),
                        "INVALID spec.podFailurePolicy.rules[0].onExitCodes.values"),
                bad(
                        "exit code rule naming an unknown container",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("FailJob")
                                .withNewOnExitCodes()
                                .withContainerName("sidecar")
                                .withOperator("In")
                                .withValues(1)
                                .endOnExitCodes()
                                .endRule()
                                .build())),
                        "INVALID spec.podFailurePolicy.rules[0].onExitCodes.containerName"),
                bad(
                        "more than 255 exit codes",
                        job(j -> {
                            List<Integer> codes = new ArrayList<>();
                            for (int i = 1; i <= 256; i++) {
                                codes.add(i);
                            }
                            spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                    .addNewRule()
                                    .withAction("FailJob")
                                    .withNewOnExitCodes()
                                    .withOperator("In")
                                    .withValues(codes)
                                    .endOnExitCodes()
                                    .endRule()
                                    .build());
                        }),
                        "TOO_MANY spec.podFailurePolicy.rules[0].onExitCodes.values"),
                bad(
                        "more than 20 pod failure rules",
                        job(j -> {
                            PodFailurePolicyBuilder b = new PodFailurePolicyBuilder();
                            for (int i = 0; i < 21; i++) {
                                b.addToRules(new PodFailurePolicyRuleBuilder()
                                        .withAction("Ignore")
                                        .addNewOnPodCondition()
                                        .withType("DisruptionTarget")
                                        .endOnPodCondition()
                                        .build());
                            }
                            spec(j).setPodFailurePolicy(b.build());
                        }),
                        "TOO_MANY spec.podFailurePolicy.rules"),
                bad(
                        "pod failure action missing and unknown",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .addNewOnPodCondition()
                                .withType("DisruptionTarget")
                                .endOnPodCondition()
                                .endRule()
                                .addNewRule()
                                .withAction("Retry")
                                .addNewOnPodCondition()
                                .withType("DisruptionTarget")
                                .endOnPodCondition()
                                .endRule()
                                .build())),
                        "REQUIRED spec.podFailurePolicy.rules[0].action",
                        "NOT_SUPPORTED spec.podFailurePolicy.rules[1].action"),
                bad(
                        "FailIndex without backoffLimitPerIndex",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("FailIndex")
                                .withNewOnExitCodes()
                                .withOperator("In")
                                .withValues(1)
                                .endOnExitCodes()
                                .endRule()
                                .build())),
                        "INVALID spec.podFailurePolicy.rules[0].action"),
                bad(
                        "pod condition status unsupported",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("Ignore")
                                .addNewOnPodCondition()
                                .withType("DisruptionTarget")
                                .withStatus("Maybe")
                                .endOnPodCondition()
                                .endRule()
                                .build())),
                        "NOT_SUPPORTED spec.podFailurePolicy.rules[0].onPodConditions[0].status"),
                bad(
                        "podReplacementPolicy must be Failed with a pod failure policy",
                        job(j -> {
                            spec(j).setPodReplacementPolicy("TerminatingOrFailed");
                            spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                    .addNewRule()
                                    .withAction("Ignore")
                                    .addNewOnPodCondition()
                                    .withType("DisruptionTarget")
                                    .endOnPodCondition()
                                    .endRule()
                                    .build());
                        }),
                        "NOT_SUPPORTED spec.podReplacementPolicy"),
                bad(
                        "podReplacementPolicy unknown",
                        job(j -> spec(j).setPodReplacementPolicy("Never")),
                        "NOT_SUPPORTED spec.podReplacementPolicy"),
                bad(
                        "success policy on a non-indexed job",
                        job(j -> spec(j).setSuccessPolicy(new SuccessPolicyBuilder()
                                .addNewRule()
                                .withSucceededCount(1)
                                .endRule()
                                .build())),
                        "INVALID spec.successPolicy"),
                bad(
                        "success policy rule without count or indexes",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(4);
                            spec(j).setSuccessPolicy(new SuccessPolicyBuilder()
                                    .addNewRule()
                                    .endRule()
                                    .build());
                        }),
                        "REQUIRED spec.successPolicy.rules[0]"),
                bad(
                        "success policy without rules",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(4);
                            spec(j).setSuccessPolicy(new SuccessPolicyBuilder().build());
                        }),
                        "REQUIRED spec.successPolicy.rules"),
                bad(
                        "succeededCount above completions and indexes",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(4);
                            spec(j).setSuccessPolicy(new SuccessPolicyBuilder()
                                    .addNewRule()
                                    .withSucceededCount(5)
                                    .withSucceededIndexes("0-1")
                                    .endRule()
                                    .build());
                        }),
                        "INVALID spec.successPolicy.rules[0].succeededCount",
                        "INVALID spec.successPolicy.rules[0].succeededCount"),
                bad(
                        "succeededIndexes out of range",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(4);
                            spec(j).setSuccessPolicy(new SuccessPolicyBuilder()
                                    .addNewRule()
                                    .withSucceededIndexes("1,3-5")
                                    .endRule()
                                    .build());
                        }),
                        "INVALID spec.successPolicy.rules[0].succeededIndexes"),
                bad(
                        "succeededIndexes not increasing",
                        job(j -> {
                            spec(j).setCompletionMode("Indexed");
                            spec(j).setCompletions(8);
                            spec(j).setSuccessPolicy(new SuccessPolicyBuilder()
                                    .addNewRule()
                                    .withSucceededIndexes("3,1")
                                    .endRule()
                                    .build());
                        }),
                        "INVALID spec.successPolicy.rules[0].succeededIndexes"),
                bad(
                        "selector without manualSelector is not auto-generated",
                        job(j -> {
                            spec(j).setSelector(new LabelSelectorBuilder()
                                    .addToMatchLabels("app", "train")
                                    .build());
                            j.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
                            j.getSpec().getTemplate().getMetadata().setLabels(map("app", "train"));
                        }),
                        "INVALID spec.selector"),
                bad(
                        "manual selector missing",
                        job(j -> spec(j).setManualSelector(true)),
                        "REQUIRED spec.selector",
                        "INVALID spec.template.metadata.labels"),
                bad(
                        "manual selector not matching template labels",
                        job(j -> {
                            spec(j).setManualSelector(true);
                            spec(j).setSelector(new LabelSelectorBuilder()
                                    .addToMatchLabels("app", "train")
                                    .build());
                        }),
                        "INVALID spec.template.metadata.labels"),
                bad(
                        "template job-name label that is not the job name",
                        job(j -> {
                            j.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
                            j.getSpec().getTemplate().getMetadata().setLabels(map("job-name", "other"));
                        }),
                        "INVALID spec.template.metadata.labels[job-name]"),
                bad(
                        "managedBy not domain-prefixed",
                        job(j -> spec(j).setManagedBy("kueue")),
                        "INVALID spec.managedBy"));
    }

    static Stream<Arguments> cronJobs() {
        return Stream.of(
                bad("schedule required", cronJob(c -> c.getSpec().setSchedule("")), "REQUIRED spec.schedule"),
                bad(
                        "TZ in schedule",
                        cronJob(c -> c.getSpec().setSchedule("TZ=UTC 0 3 * * *")),
                        "INVALID spec.schedule"),
                bad(
                        "CRON_TZ in schedule",
                        cronJob(c -> c.getSpec().setSchedule("CRON_TZ=Europe/Paris 0 3 * * *")),
                        "INVALID spec.schedule"),
                bad(
                        "concurrencyPolicy unsupported",
                        cronJob(c -> c.getSpec().setConcurrencyPolicy("Queue")),
                        "NOT_SUPPORTED spec.concurrencyPolicy"),
                bad(
                        "negative startingDeadlineSeconds",
                        cronJob(c -> c.getSpec().setStartingDeadlineSeconds(-1L)),
                        "INVALID spec.startingDeadlineSeconds"),
                bad(
                        "negative history limits",
                        cronJob(c -> {
                            c.getSpec().setSuccessfulJobsHistoryLimit(-1);
                            c.getSpec().setFailedJobsHistoryLimit(-1);
                        }),
                        "INVALID spec.successfulJobsHistoryLimit",
                        "INVALID spec.failedJobsHistoryLimit"),
                bad(
                        "cronjob name over 52",
                        cronJob(c -> c.getMetadata().setName(repeat('n', 53))),
                        "INVALID metadata.name"),
                bad(
                        "job template restartPolicy Always",
                        cronJob(c -> c.getSpec()
                                .getJobTemplate()
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .setRestartPolicy("Always")),
                        "REQUIRED " + JT + "restartPolicy"),
                bad(
                        "job template negative parallelism",
                        cronJob(c -> c.getSpec().getJobTemplate().getSpec().setParallelism(-1)),
                        "INVALID spec.jobTemplate.spec.parallelism"),
                bad(
                        "job template with selector",
                        cronJob(c -> c.getSpec()
                                .getJobTemplate()
                                .getSpec()
                                .setSelector(new LabelSelectorBuilder()
                                        .addToMatchLabels("a", "b")
                                        .build())),
                        "INVALID spec.jobTemplate.spec.selector"),
                bad(
                        "indexed job template without completions (a template gets no Job defaults)",
                        cronJob(c -> c.getSpec().getJobTemplate().getSpec().setCompletionMode("Indexed")),
                        "REQUIRED spec.jobTemplate.spec.completions"),
                bad(
                        "job template with manualSelector",
                        cronJob(c -> c.getSpec().getJobTemplate().getSpec().setManualSelector(true)),
                        "NOT_SUPPORTED spec.jobTemplate.spec.manualSelector"),
                bad(
                        "job template container without image",
                        cronJob(c -> c.getSpec()
                                .getJobTemplate()
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .setImage(null)),
                        "REQUIRED " + JT + "containers[0].image"));
    }

    static Stream<Arguments> containers() {
        return Stream.of(
                bad(
                        "containers required",
                        job(j -> pod(j).setContainers(new ArrayList<>())),
                        "REQUIRED " + T + "containers"),
                bad("container name required", job(j -> main(j).setName("")), "REQUIRED " + C + "name"),
                bad("container name not a DNS label", job(j -> main(j).setName("Main")), "INVALID " + C + "name"),
                bad("image required", job(j -> main(j).setImage("")), "REQUIRED " + C + "image"),
                bad(
                        "duplicate container names",
                        job(j -> pod(j).getContainers()
                                .add(new ContainerBuilder()
                                        .withName("main")
                                        .withImage("busybox")
                                        .build())),
                        "DUPLICATE " + T + "containers[1].name"),
                bad(
                        "init container named like a container",
                        job(j -> pod(j).getInitContainers()
                                .add(new ContainerBuilder()
                                        .withName("main")
                                        .withImage("busybox")
                                        .build())),
                        "DUPLICATE " + T + "initContainers[0].name"),
                bad(
                        "init container with a probe",
                        job(j -> pod(j).getInitContainers()
                                .add(new ContainerBuilder()
                                        .withName("fetch")
                                        .withImage("busybox")
                                        .withLivenessProbe(new ProbeBuilder()
                                                .withNewExec()
                                                .withCommand("true")
                                                .endExec()
                                                .build())
                                        .build())),
                        "FORBIDDEN " + T + "initContainers[0].livenessProbe"),
                bad(
                        "container port 0",
                        job(j -> main(j).getPorts().add(new ContainerPortBuilder().build())),
                        "REQUIRED " + C + "ports[0].containerPort"),
                bad(
                        "container port over 65535",
                        job(j -> main(j).getPorts()
                                .add(new ContainerPortBuilder()
                                        .withContainerPort(70000)
                                        .build())),
                        "INVALID " + C + "ports[0].containerPort"),
                bad(
                        "port name over 15 chars",
                        job(j -> main(j).getPorts()
                                .add(new ContainerPortBuilder()
                                        .withName("metrics-endpoint-x")
                                        .withContainerPort(9090)
                                        .build())),
                        "INVALID " + C + "ports[0].name"),
                bad(
                        "port name all digits",
                        job(j -> main(j).getPorts()
                                .add(new ContainerPortBuilder()
                                        .withName("9090")
                                        .withContainerPort(9090)
                                        .build())),
                        "INVALID " + C + "ports[0].name"),
                bad(
                        "duplicate port names",
                        job(j -> {
                            main(j).getPorts()
                                    .add(new ContainerPortBuilder()
                                            .withName("http")
                                            .withContainerPort(80)
                                            .build());
                            main(j).getPorts()
                                    .add(new ContainerPortBuilder()
                                            .withName("http")
                                            .withContainerPort(81)
                                            .build());
                        }),
                        "DUPLICATE " + C + "ports[1].name"),
                bad(
                        "protocol unsupported",
                        job(j -> main(j).getPorts()
                                .add(new ContainerPortBuilder()
                                        .withContainerPort(80)
                                        .withProtocol("HTTP")
                                        .build())),
                        "NOT_SUPPORTED " + C + "ports[0].protocol"),
                bad(
                        "conflicting host ports",
                        job(j -> {
                            main(j).getPorts()
                                    .add(new ContainerPortBuilder()
                                            .withContainerPort(80)
                                            .withHostPort(8080)
                                            .build());
                            main(j).getPorts()
                                    .add(new ContainerPortBuilder()
                                            .withContainerPort(81)
                                            .withHostPort(8080)
                                            .build());
                        }),
                        "DUPLICATE " + C + "ports[1].hostPort"),
                bad(
                        "env name with equals sign",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A=B")
                                        .withValue("x")
                                        .build())),
                        "INVALID " + C + "env[0].name"),
                bad(
                        "env name required",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder().withValue("x").build())),
                        "REQUIRED " + C + "env[0].name"),
                bad(
                        "env valueFrom with no source",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A")
                                        .withNewValueFrom()
                                        .endValueFrom()
                                        .build())),
                        "INVALID " + C + "env[0].valueFrom"),
                bad(
                        "env valueFrom with two sources",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A")
                                        .withNewValueFrom()
                                        .withNewSecretKeyRef("token", "creds", false)
                                        .withNewConfigMapKeyRef("key", "settings", false)
                                        .endValueFrom()
                                        .build())),
                        "INVALID " + C + "env[0].valueFrom"),
                bad(
                        "env value and valueFrom",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A")
                                        .withValue("x")
                                        .withNewValueFrom()
                                        .withNewSecretKeyRef("token", "creds", false)
                                        .endValueFrom()
                                        .build())),
                        "INVALID " + C + "env[0].valueFrom"),
                bad(
                        "secretKeyRef without key and with a bad name",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A")
                                        .withNewValueFrom()
                                        .withNewSecretKeyRef(null, "Creds", false)
                                        .endValueFrom()
                                        .build())),
                        "INVALID " + C + "env[0].valueFrom.secretKeyRef.name",
                        "REQUIRED " + C + "env[0].valueFrom.secretKeyRef.key"),
                bad(
                        "configMapKeyRef key with a slash",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A")
                                        .withNewValueFrom()
                                        .withNewConfigMapKeyRef("a/b", "settings", false)
                                        .endValueFrom()
                                        .build())),
                        "INVALID " + C + "env[0].valueFrom.configMapKeyRef.key"),
                bad(
                        "fieldRef to a path pods cannot expose in env",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A")
                                        .withNewValueFrom()
                                        .withNewFieldRef("v1", "status.phase")
                                        .endValueFrom()
                                        .build())),
                        "NOT_SUPPORTED " + C + "env[0].valueFrom.fieldRef.fieldPath"),
                bad(
                        "fieldRef to an unknown path",
                        job(j -> main(j).getEnv()
                                .add(new EnvVarBuilder()
                                        .withName("A")
                                        .withNewValueFrom()
                                        .withNewFieldRef("v1", "spec.gpus")
                                        .endValueFrom()
                                        .build())),
                        "INVALID " + C + "env[0].valueFrom.fieldRef.fieldPath"),
                bad(
                        "envFrom without a source",
                        job(j -> main(j).getEnvFrom().add(new io.fabric8.kubernetes.api.model.EnvFromSource())),
                        "INVALID " + C + "envFrom"),
                bad(
                        "imagePullPolicy unsupported",
                        job(j -> main(j).setImagePullPolicy("Sometimes")),
                        "NOT_SUPPORTED " + C + "imagePullPolicy"),
                bad(
                        "probe without a handler",
                        job(j -> main(j).setReadinessProbe(new ProbeBuilder().build())),
                        "REQUIRED " + C + "readinessProbe"),
                bad(
                        "probe with two handlers",
                        job(j -> main(j).setLivenessProbe(new ProbeBuilder()
                                .withNewExec()
                                .withCommand("true")
                                .endExec()
                                .withNewTcpSocket()
                                .withPort(new IntOrString(80))
                                .endTcpSocket()
                                .build())),
                        "FORBIDDEN " + C + "livenessProbe.tcpSocket"),
                bad(
                        "liveness successThreshold must be 1",
                        job(j -> main(j).setLivenessProbe(new ProbeBuilder()
                                .withNewExec()
                                .withCommand("true")
                                .endExec()
                                .withSuccessThreshold(2)
                                .build())),
                        "INVALID " + C + "livenessProbe.successThreshold"),
                bad(
                        "probe port out of range and negative period",
                        job(j -> main(j).setReadinessProbe(new ProbeBuilder()
                                .withNewHttpGet()
                                .withPort(new IntOrString(0))
                                .endHttpGet()
                                .withPeriodSeconds(-1)
                                .build())),
                        "INVALID " + C + "readinessProbe.httpGet.port",
                        "INVALID " + C + "readinessProbe.periodSeconds"),
                bad(
                        "readiness probe with terminationGracePeriodSeconds",
                        job(j -> main(j).setReadinessProbe(new ProbeBuilder()
                                .withNewExec()
                                .withCommand("true")
                                .endExec()
                                .withTerminationGracePeriodSeconds(10L)
                                .build())),
                        "INVALID " + C + "readinessProbe.terminationGracePeriodSeconds"),
                bad(
                        "exec probe without command",
                        job(j -> main(j).setStartupProbe(new ProbeBuilder()
                                .withNewExec()
                                .endExec()
                                .build())),
                        "REQUIRED " + C + "startupProbe.exec.command"),
                bad(
                        "runAsUser negative",
                        job(j -> main(j).setSecurityContext(new SecurityContextBuilder()
                                .withRunAsUser(-1L)
                                .build())),
                        "INVALID " + C + "securityContext.runAsUser"),
                bad(
                        "seccomp type unsupported",
                        job(j -> main(j).setSecurityContext(new SecurityContextBuilder()
                                .withNewSeccompProfile()
                                .withType("Strict")
                                .endSeccompProfile()
                                .build())),
                        "NOT_SUPPORTED " + C + "securityContext.seccompProfile.type"),
                bad(
                        "seccomp Localhost without profile",
                        job(j -> main(j).setSecurityContext(new SecurityContextBuilder()
                                .withNewSeccompProfile()
                                .withType("Localhost")
                                .endSeccompProfile()
                                .build())),
                        "REQUIRED " + C + "securityContext.seccompProfile.localhostProfile"),
                bad(
                        "privileged without privilege escalation",
                        job(j -> main(j).setSecurityContext(new SecurityContextBuilder()
                                .withPrivileged(true)
                                .withAllowPrivilegeEscalation(false)
                                .build())),
                        "INVALID " + C + "securityContext"),
                bad(
                        "CAP_SYS_ADMIN without privilege escalation",
                        job(j -> main(j).setSecurityContext(new SecurityContextBuilder()
                                .withAllowPrivilegeEscalation(false)
                                .withNewCapabilities()
                                .withAdd("CAP_SYS_ADMIN")
                                .endCapabilities()
                                .build())),
                        "INVALID " + C + "securityContext"),
                bad(
                        "container restartPolicy unsupported",
                        job(j -> main(j).setRestartPolicy("Sometimes")),
                        "NOT_SUPPORTED " + C + "restartPolicy"),
                bad(
                        "container restart rules without restartPolicy",
                        job(j -> main(j).setRestartPolicyRules(List.of(restartRule("Restart", "In", 42)))),
                        "REQUIRED " + C + "restartPolicy"),
                bad(
                        "container restart rule with an unknown action, without exit codes, with a bad operator",
                        job(j -> {
                            main(j).setRestartPolicy("Never");
                            main(j).setRestartPolicyRules(List.of(
                                    new ContainerRestartRuleBuilder()
                                            .withAction("Retry")
                                            .build(),
                                    restartRule("Restart", "Equals", 1)));
                        }),
                        "NOT_SUPPORTED " + C + "restartPolicyRules[0].action",
                        "REQUIRED " + C + "restartPolicyRules[0].exitCodes",
                        "NOT_SUPPORTED " + C + "restartPolicyRules[1].exitCodes.operator"),
                bad(
                        "init container restart rules without restartPolicy are reported once",
                        job(j -> pod(j).getInitContainers()
                                .add(new ContainerBuilder()
                                        .withName("fetch")
                                        .withImage("busybox")
                                        .withRestartPolicyRules(new ContainerRestartRuleBuilder()
                                                .withAction("Retry")
                                                .build())
                                        .build())),
                        "REQUIRED " + T + "initContainers[0].restartPolicy"),
                bad(
                        "more than 20 container restart rules",
                        job(j -> {
                            List<io.fabric8.kubernetes.api.model.ContainerRestartRule> rules = new ArrayList<>();
                            for (int i = 0; i < 21; i++) {
                                rules.add(restartRule("Restart", "In", i + 1));
                            }
                            main(j).setRestartPolicy("Never");
                            main(j).setRestartPolicyRules(rules);
                        }),
                        "TOO_MANY " + C + "restartPolicyRules"));
    }

    private static io.fabric8.kubernetes.api.model.ContainerRestartRule restartRule(
            String action, String operator, int... codes) {
        List<Integer> values = new ArrayList<>();
        for (int c : codes) {
            values.add(c);
        }
        return new ContainerRestartRuleBuilder()
                .withAction(action)
                .withNewExitCodes()
                .withOperator(operator)
                .withValues(values)
                .endExitCodes()
                .build();
    }

    static Stream<Arguments> resources() {
        return Stream.of(
                bad(
                        "fractional GPU",
                        job(j -> main(j).getResources().setLimits(quantities("nvidia.com/gpu", "0.5"))),
                        "INVALID " + C + "resources.limits[nvidia.com/gpu]"),
                bad(
                        "GPU request without limit",
                        job(j -> main(j).getResources().setRequests(quantities("nvidia.com/gpu", "1"))),
                        "REQUIRED " + C + "resources.limits"),
                bad(
                        "GPU request below limit",
                        job(j -> {
                            main(j).getResources().setLimits(quantities("nvidia.com/gpu", "2"));
                            main(j).getResources().setRequests(quantities("nvidia.com/gpu", "1"));
                        }),
                        "INVALID " + C + "resources.requests"),
                bad(
                        "cpu request above limit",
                        job(j -> {
                            main(j).getResources().setLimits(quantities("cpu", "1"));
                            main(j).getResources().setRequests(quantities("cpu", "1500m"));
                        }),
                        "INVALID " + C + "resources.requests"),
                bad(
                        "memory request above limit",
                        job(j -> {
                            main(j).getResources().setLimits(quantities("memory", "1Gi"));
                            main(j).getResources().setRequests(quantities("memory", "2Gi"));
                        }),
                        "INVALID " + C + "resources.requests"),
                bad(
                        "negative memory",
                        job(j -> main(j).getResources().setLimits(quantities("memory", "-1Gi"))),
                        "INVALID " + C + "resources.limits[memory]"),
                bad(
                        Server.REJECTS_WHILE_DECODING,
                        "the decoder cannot parse the quantity: \"quantities must match the regular expression ...\"",
                        "quantity syntax",
                        job(j -> main(j).getResources().setRequests(quantities("cpu", "1.5cores"))),
                        "INVALID " + C + "resources.requests[cpu]"),
                bad(
                        "unqualified unknown resource",
                        job(j -> main(j).getResources().setLimits(quantities("gpu", "1"))),
                        "INVALID " + C + "resources.limits[gpu]",
                        "INVALID " + C + "resources.limits[gpu]"),
                bad(
                        "standard but not a container resource",
                        job(j -> main(j).getResources().setLimits(quantities("pods", "1"))),
                        "INVALID " + C + "resources.limits[pods]"),
                bad(
                        "hugepages without cpu or memory",
                        job(j -> main(j).getResources().setLimits(quantities("hugepages-2Mi", "4Mi"))),
                        "FORBIDDEN " + C + "resources"),
                bad(
                        "hugepages not a multiple of the page size",
                        job(j -> main(j).getResources().setLimits(quantities("hugepages-2Mi", "3Mi", "memory", "1Gi"))),
                        "INVALID " + C + "resources.limits[hugepages-2Mi]"),
                bad(
                        "resource claim not in pod resourceClaims",
                        job(j -> main(j).getResources()
                                .setClaims(List.of(new ResourceClaimBuilder()
                                        .withName("gpu")
                                        .build()))),
                        "NOT_FOUND " + C + "resources.claims[0]"),
                bad(
                        "resource claim listed twice",
                        job(j -> {
                            pod(j).getResourceClaims()
                                    .add(new PodResourceClaimBuilder()
                                            .withName("gpu")
                                            .withResourceClaimTemplateName("gpu-template")
                                            .build());
                            main(j).getResources()
                                    .setClaims(List.of(
                                            new ResourceClaimBuilder()
                                                    .withName("gpu")
                                                    .build(),
                                            new ResourceClaimBuilder()
                                                    .withName("gpu")
                                                    .build()));
                        }),
                        "DUPLICATE " + C + "resources.claims[1]"),
                bad(
                        "pod resource claim without a source",
                        job(j -> pod(j).getResourceClaims()
                                .add(new PodResourceClaimBuilder()
                                        .withName("gpu")
                                        .build())),
                        "INVALID " + T + "resourceClaims[0]"));
    }

    static Stream<Arguments> volumes() {
        return Stream.of(
                bad(
                        "volume name not a DNS label",
                        job(j -> pod(j).getVolumes()
                                .add(new VolumeBuilder()
                                        .withName("Data")
                                        .withNewEmptyDir()
                                        .endEmptyDir()
                                        .build())),
                        "INVALID " + T + "volumes[0].name"),
                bad(
                        "duplicate volume names",
                        job(j -> {
                            pod(j).getVolumes()
                                    .add(new VolumeBuilder()
                                            .withName("data")
                                            .withNewEmptyDir()
                                            .endEmptyDir()
                                            .build());
                            pod(j).getVolumes()
                                    .add(new VolumeBuilder()
                                            .withName("data")
                                            .withNewEmptyDir()
                                            .endEmptyDir()
                                            .build());
                        }),
                        "DUPLICATE " + T + "volumes[1].name"),
                bad(
                        "volume with two sources",
                        job(j -> pod(j).getVolumes()
                                .add(new VolumeBuilder()
                                        .withName("data")
                                        .withNewEmptyDir()
                                        .endEmptyDir()
                                        .withNewConfigMap()
                                        .withName("settings")
                                        .endConfigMap()
                                        .build())),
                        "FORBIDDEN " + T + "volumes[0].configMap"),
                bad(
                        "negative emptyDir sizeLimit",
                        job(j -> pod(j).getVolumes()
                                .add(new VolumeBuilder()
                                        .withName("shm")
                                        .withNewEmptyDir()
                                        .withMedium("Memory")
                                        .withSizeLimit(new Quantity("-1Gi"))
                                        .endEmptyDir()
                                        .build())),
                        "FORBIDDEN " + T + "volumes[0].emptyDir.sizeLimit"),
                bad(
                        "pvc volume without claimName",
                        job(j -> pod(j).getVolumes()
                                .add(new VolumeBuilder()
                                        .withName("data")
                                        .withNewPersistentVolumeClaim()
                                        .endPersistentVolumeClaim()
                                        .build())),
                        "REQUIRED " + T + "volumes[0].persistentVolumeClaim.claimName"),
                bad(
                        "secret volume without name and with a bad mode",
                        job(j -> pod(j).getVolumes()
                                .add(new VolumeBuilder()
                                        .withName("creds")
                                        .withNewSecret()
                                        .withDefaultMode(01000)
                                        .endSecret()
                                        .build())),
                        "REQUIRED " + T + "volumes[0].secret.secretName",
                        "INVALID " + T + "volumes[0].secret.defaultMode"),
                bad(
                        "configMap item path escaping the volume",
                        job(j -> pod(j).getVolumes()
                                .add(new VolumeBuilder()
                                        .withName("cfg")
                                        .withNewConfigMap()
                                        .withName("settings")
                                        .addNewItem()
                                        .withKey("a")
                                        .withPath("../a")
                                        .endItem()
                                        .endConfigMap()
                                        .build())),
                        "INVALID " + T + "volumes[0].configMap.items[0].path"),
                bad(
                        "mount of an unknown volume",
                        job(j -> main(j).getVolumeMounts()
                                .add(new VolumeMountBuilder()
                                        .withName("data")
                                        .withMountPath("/data")
                                        .build())),
                        "NOT_FOUND " + C + "volumeMounts[0].name"),
                bad(
                        "mount without mountPath",
                        job(j -> {
                            pod(j).getVolumes()
                                    .add(new VolumeBuilder()
                                            .withName("data")
                                            .withNewEmptyDir()
                                            .endEmptyDir()
                                            .build());
                            main(j).getVolumeMounts()
                                    .add(new VolumeMountBuilder()
                                            .withName("data")
                                            .build());
                        }),
                        "REQUIRED " + C + "volumeMounts[0].mountPath"),
                bad(
                        "mountPath used twice",
                        job(j -> {
                            pod(j).getVolumes()
                                    .add(new VolumeBuilder()
                                            .withName("data")
                                            .withNewEmptyDir()
                                            .endEmptyDir()
                                            .build());
                            main(j).getVolumeMounts()
                                    .add(new VolumeMountBuilder()
                                            .withName("data")
                                            .withMountPath("/data")
                                            .build());
                            main(j).getVolumeMounts()
                                    .add(new VolumeMountBuilder()
                                            .withName("data")
                                            .withMountPath("/data")
                                            .build());
                        }),
                        "INVALID " + C + "volumeMounts[1].mountPath"),
                bad(
                        "absolute subPath, reported at the server's unindexed path",
                        job(j -> {
                            pod(j).getVolumes()
                                    .add(new VolumeBuilder()
                                            .withName("data")
                                            .withNewEmptyDir()
                                            .endEmptyDir()
                                            .build());
                            main(j).getVolumeMounts()
                                    .add(new VolumeMountBuilder()
                                            .withName("data")
                                            .withMountPath("/data")
                                            .withSubPath("/abs")
                                            .build());
                        }),
                        "INVALID " + C + "volumeMounts.subPath"),
                bad(
                        "subPath with backsteps",
                        job(j -> {
                            pod(j).getVolumes()
                                    .add(new VolumeBuilder()
                                            .withName("data")
                                            .withNewEmptyDir()
                                            .endEmptyDir()
                                            .build());
                            main(j).getVolumeMounts()
                                    .add(new VolumeMountBuilder()
                                            .withName("data")
                                            .withMountPath("/data")
                                            .withSubPath("a/../../b")
                                            .build());
                        }),
                        "INVALID " + C + "volumeMounts.subPath"));
    }

    static Stream<Arguments> scheduling() {
        return Stream.of(
                bad(
                        "toleration Exists with a value",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withKey("nvidia.com/gpu")
                                        .withOperator("Exists")
                                        .withValue("present")
                                        .build())),
                        "INVALID " + T + "tolerations[0].operator"),
                bad(
                        "toleration without key must be Exists",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withOperator("Equal")
                                        .build())),
                        "INVALID " + T + "tolerations[0].operator"),
                bad(
                        "toleration operator unsupported",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withKey("k")
                                        .withOperator("Matches")
                                        .build())),
                        "NOT_SUPPORTED " + T + "tolerations[0].operator"),
                bad(
                        "toleration effect unsupported",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withKey("k")
                                        .withOperator("Exists")
                                        .withEffect("NoEvict")
                                        .build())),
                        "NOT_SUPPORTED " + T + "tolerations[0].effect"),
                bad(
                        "tolerationSeconds without NoExecute",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withKey("k")
                                        .withOperator("Exists")
                                        .withEffect("NoSchedule")
                                        .withTolerationSeconds(60L)
                                        .build())),
                        "INVALID " + T + "tolerations[0].effect"),
                bad(
                        "toleration key not a qualified name",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withKey("bad key")
                                        .withOperator("Exists")
                                        .build())),
                        "INVALID " + T + "tolerations[0].key"),
                bad(
                        "nodeSelector value invalid",
                        job(j -> pod(j).setNodeSelector(map("nvidia.com/gpu.product", "NVIDIA H100"))),
                        "INVALID " + T + "nodeSelector"),
                bad(
                        "required node affinity without terms",
                        job(j -> pod(j).setAffinity(new AffinityBuilder()
                                .withNewNodeAffinity()
                                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                                .endRequiredDuringSchedulingIgnoredDuringExecution()
                                .endNodeAffinity()
                                .build())),
                        "REQUIRED " + T
                                + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"),
                bad(
                        "node affinity In without values, Exists with values, bad operator",
                        job(j -> pod(j).setAffinity(new AffinityBuilder()
                                .withNewNodeAffinity()
                                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                                .addNewNodeSelectorTerm()
                                .addNewMatchExpression()
                                .withKey("a")
                                .withOperator("In")
                                .endMatchExpression()
                                .addNewMatchExpression()
                                .withKey("b")
                                .withOperator("Exists")
                                .withValues("x")
                                .endMatchExpression()
                                .addNewMatchExpression()
                                .withKey("c")
                                .withOperator("Like")
                                .endMatchExpression()
                                .endNodeSelectorTerm()
                                .endRequiredDuringSchedulingIgnoredDuringExecution()
                                .endNodeAffinity()
                                .build())),
                        "REQUIRED " + T + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                                + ".nodeSelectorTerms[0].matchExpressions[0].values",
                        "FORBIDDEN " + T + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                                + ".nodeSelectorTerms[0].matchExpressions[1].values",
                        "INVALID " + T + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                                + ".nodeSelectorTerms[0].matchExpressions[2].operator"),
                bad(
                        "node affinity Gt with two values",
                        job(j -> pod(j).setAffinity(new AffinityBuilder()
                                .withNewNodeAffinity()
                                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                                .addNewNodeSelectorTerm()
                                .addNewMatchExpression()
                                .withKey("nvidia.com/gpu.memory")
                                .withOperator("Gt")
                                .withValues("40000", "80000")
                                .endMatchExpression()
                                .endNodeSelectorTerm()
                                .endRequiredDuringSchedulingIgnoredDuringExecution()
                                .endNodeAffinity()
                                .build())),
                        "REQUIRED " + T + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                                + ".nodeSelectorTerms[0].matchExpressions[0].values"),
                bad(
                        "preferred node affinity weight 0",
                        job(j -> pod(j).setAffinity(new AffinityBuilder()
                                .withNewNodeAffinity()
                                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                                .withWeight(0)
                                .withNewPreference()
                                .endPreference()
                                .endPreferredDuringSchedulingIgnoredDuringExecution()
                                .endNodeAffinity()
                                .build())),
                        "INVALID " + T
                                + "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight"),
                bad(
                        "pod anti-affinity without topologyKey",
                        job(j -> pod(j).setAffinity(new AffinityBuilder()
                                .withNewPodAntiAffinity()
                                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                                .endRequiredDuringSchedulingIgnoredDuringExecution()
                                .endPodAntiAffinity()
                                .build())),
                        "REQUIRED " + T
                                + "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey",
                        "INVALID " + T
                                + "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey",
                        "INVALID " + T
                                + "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey"));
    }

    static Stream<Arguments> pods() {
        return Stream.of(
                bad(
                        "pod restartPolicy unsupported",
                        podObject(p -> p.getSpec().setRestartPolicy("Sometimes")),
                        "NOT_SUPPORTED spec.restartPolicy"),
                bad(
                        "pod dnsPolicy unsupported",
                        podObject(p -> p.getSpec().setDnsPolicy("Google")),
                        "NOT_SUPPORTED spec.dnsPolicy"),
                bad(
                        "dnsPolicy None without dnsConfig",
                        podObject(p -> p.getSpec().setDnsPolicy("None")),
                        "REQUIRED spec.dnsConfig"),
                bad(
                        "activeDeadlineSeconds zero",
                        podObject(p -> p.getSpec().setActiveDeadlineSeconds(0L)),
                        "INVALID spec.activeDeadlineSeconds"),
                bad(
                        "subdomain not a DNS label",
                        podObject(p -> p.getSpec().setSubdomain("train.svc")),
                        "INVALID spec.subdomain"),
                bad(
                        "hostname not a DNS label",
                        podObject(p -> p.getSpec().setHostname("Worker")),
                        "INVALID spec.hostname"),
                bad(
                        Server.REJECTS_AT_ADMISSION,
                        "the ServiceAccount admission plugin finds no ServiceAccount of that name",
                        "serviceAccountName invalid",
                        podObject(p -> p.getSpec().setServiceAccountName("Trainer")),
                        "INVALID spec.serviceAccountName"),
                bad(
                        Server.REJECTS_AT_ADMISSION,
                        "the Priority admission plugin finds no PriorityClass of that name",
                        "priorityClassName invalid",
                        podObject(p -> p.getSpec().setPriorityClassName("High_Priority")),
                        "INVALID spec.priorityClassName"),
                bad(
                        "image with trailing whitespace in a pod",
                        podObject(p -> p.getSpec().getContainers().get(0).setImage("busybox ")),
                        "INVALID spec.containers[0].image"),
                bad(
                        "ephemeral containers on create",
                        podObject(p -> p.getSpec()
                                .getEphemeralContainers()
                                .add(new io.fabric8.kubernetes.api.model.EphemeralContainerBuilder()
                                        .withName("debug")
                                        .withImage("busybox")
                                        .build())),
                        "FORBIDDEN spec.ephemeralContainers"),
                bad(
                        "pod GPU request above its defaulted limit",
                        podObject(p -> {
                            p.getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getResources()
                                    .setLimits(quantities("nvidia.com/gpu", "1"));
                            p.getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getResources()
                                    .setRequests(quantities("nvidia.com/gpu", "2"));
                        }),
                        "INVALID spec.containers[0].resources.requests"),
                bad(
                        "hostNetwork with a different hostPort",
                        podObject(p -> {
                            p.getSpec().setHostNetwork(true);
                            p.getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getPorts()
                                    .add(new ContainerPortBuilder()
                                            .withContainerPort(80)
                                            .withHostPort(8080)
                                            .build());
                        }),
                        "INVALID spec.containers[0].ports[0].hostPort"));
    }

    static Stream<Arguments> apps() {
        return Stream.of(
                bad("negative replicas", deployment(d -> d.getSpec().setReplicas(-1)), "INVALID spec.replicas"),
                bad(
                        "deployment selector required",
                        deployment(d -> d.getSpec().setSelector(null)),
                        "REQUIRED spec.selector",
                        "INVALID spec.template.metadata.labels"),
                bad(
                        "deployment empty selector",
                        deployment(d -> d.getSpec().setSelector(new LabelSelectorBuilder().build())),
                        "INVALID spec.selector"),
                bad(
                        "deployment selector not matching template",
                        deployment(d -> d.getSpec().getTemplate().getMetadata().setLabels(map("app", "other"))),
                        "INVALID spec.template.metadata.labels"),
                bad(
                        "deployment template restartPolicy Never",
                        deployment(d -> d.getSpec().getTemplate().getSpec().setRestartPolicy("Never")),
                        "NOT_SUPPORTED spec.template.spec.restartPolicy"),
                bad(
                        "deployment strategy unsupported",
                        deployment(d -> d.getSpec()
                                .setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                                        .withType("BlueGreen")
                                        .build())),
                        "NOT_SUPPORTED spec.strategy"),
                bad(
                        "deployment maxSurge and maxUnavailable both 0",
                        deployment(d -> d.getSpec()
                                .setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                                        .withType("RollingUpdate")
                                        .withNewRollingUpdate()
                                        .withMaxSurge(new IntOrString(0))
                                        .withMaxUnavailable(new IntOrString(0))
                                        .endRollingUpdate()
                                        .build())),
                        "INVALID spec.strategy.rollingUpdate.maxUnavailable"),
                bad(
                        "deployment Recreate with rollingUpdate",
                        deployment(d -> d.getSpec()
                                .setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                                        .withType("Recreate")
                                        .withNewRollingUpdate()
                                        .endRollingUpdate()
                                        .build())),
                        "FORBIDDEN spec.strategy.rollingUpdate"),
                bad(
                        "minReadySeconds beyond the defaulted progress deadline",
                        deployment(d -> d.getSpec().setMinReadySeconds(600)),
                        "INVALID spec.progressDeadlineSeconds"),
                bad(
                        "negative revisionHistoryLimit",
                        deployment(d -> d.getSpec().setRevisionHistoryLimit(-1)),
                        "INVALID spec.revisionHistoryLimit"),
                bad(
                        "deployment container without image",
                        deployment(d -> d.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .setImage(null)),
                        "REQUIRED spec.template.spec.containers[0].image"),
                bad(
                        "statefulset podManagementPolicy unknown",
                        statefulSet(s -> s.getSpec().setPodManagementPolicy("Random")),
                        "INVALID spec.podManagementPolicy"),
                bad(
                        "statefulset selector not matching template",
                        statefulSet(s -> s.getSpec().getTemplate().getMetadata().setLabels(map("app", "x"))),
                        "INVALID spec.template.metadata.labels"),
                bad(
                        "statefulset restartPolicy OnFailure",
                        statefulSet(s -> s.getSpec().getTemplate().getSpec().setRestartPolicy("OnFailure")),
                        "NOT_SUPPORTED spec.template.spec.restartPolicy"),
                bad(
                        "statefulset negative replicas and minReadySeconds",
                        statefulSet(s -> {
                            s.getSpec().setReplicas(-1);
                            s.getSpec().setMinReadySeconds(-1);
                        }),
                        "INVALID spec.replicas",
                        "INVALID spec.minReadySeconds"),
                bad(
                        "statefulset update strategy unknown",
                        statefulSet(s -> s.getSpec()
                                .setUpdateStrategy(
                                        new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
                                                .withType("Canary")
                                                .build())),
                        "INVALID spec.updateStrategy"),
                bad(
                        "statefulset claim template without accessModes or storage",
                        statefulSet(s -> s.getSpec()
                                .getVolumeClaimTemplates()
                                .add(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                                        .withNewMetadata()
                                        .withName("data")
                                        .endMetadata()
                                        .build())),
                        "REQUIRED spec.volumeClaimTemplates[0].spec.accessModes",
                        "REQUIRED spec.volumeClaimTemplates[0].spec.resources[storage]"),
                bad(
                        "statefulset serviceName not a DNS label",
                        statefulSet(s -> s.getSpec().setServiceName("etcd_peers")),
                        "INVALID spec.serviceName"),
                bad(
                        "statefulset selector required",
                        statefulSet(s -> s.getSpec().setSelector(null)),
                        "REQUIRED spec.selector",
                        "INVALID spec.template.metadata.labels"),
                bad(
                        "statefulset template label invalid is reported twice",
                        statefulSet(s ->
                                s.getSpec().getTemplate().getMetadata().setLabels(map("app", "etcd", "bad key", "x"))),
                        "INVALID spec.template.labels",
                        "INVALID spec.template.labels"),
                bad(
                        "statefulset container without image",
                        statefulSet(s -> s.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .setImage(null)),
                        "REQUIRED spec.template.spec.containers[0].image"),
                bad(
                        "statefulset mount of a volume that is neither a template volume nor a claim",
                        statefulSet(s -> s.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getVolumeMounts()
                                .add(new VolumeMountBuilder()
                                        .withName("data")
                                        .withMountPath("/var/lib/etcd")
                                        .build())),
                        "NOT_FOUND spec.template.spec.containers[0].volumeMounts[0].name"));
    }

    static Stream<Arguments> devices() {
        return Stream.of(
                bad(
                        "claim metadata with a name, a finalizer and a bad label",
                        new ResourceClaimTemplateBuilder(claimTemplate(r -> r.withName("gpu")
                                        .withNewExactly()
                                        .withDeviceClassName("gpu.nvidia.com")
                                        .endExactly()))
                                .editSpec()
                                .withNewMetadata()
                                .withName("claim")
                                .withFinalizers("example.com/keep")
                                .addToLabels("bad key", "x")
                                .endMetadata()
                                .endSpec()
                                .build(),
                        "INVALID spec.metadata.labels",
                        "FORBIDDEN spec.metadata.name",
                        "FORBIDDEN spec.metadata.finalizers"),
                bad(
                        "device request with neither exactly nor firstAvailable",
                        claimTemplate(r -> r.withName("gpu")),
                        "REQUIRED spec.spec.devices.requests[0]"),
                bad(
                        "device request with both exactly and firstAvailable",
                        claimTemplate(r -> r.withName("gpu")
                                .withNewExactly()
                                .withDeviceClassName("gpu.nvidia.com")
                                .endExactly()
                                .addNewFirstAvailable()
                                .withName("h100")
                                .withDeviceClassName("gpu.nvidia.com")
                                .endFirstAvailable()),
                        "INVALID spec.spec.devices.requests[0]"),
                bad(
                        "exact request without a class, with a selector without cel, a negative count",
                        claimTemplate(r -> r.withName("gpu")
                                .withNewExactly()
                                .addNewSelector()
                                .endSelector()
                                .withAllocationMode("ExactCount")
                                .withCount(-1L)
                                .endExactly()),
                        "REQUIRED spec.spec.devices.requests[0].exactly.deviceClassName",
                        "REQUIRED spec.spec.devices.requests[0].exactly.selectors[0].cel",
                        "INVALID spec.spec.devices.requests[0].exactly.count"),
                bad(
                        "exact request with a bad class name, an unknown allocation mode",
                        claimTemplate(r -> r.withName("gpu")
                                .withNewExactly()
                                .withDeviceClassName("GPU_Class")
                                .withAllocationMode("Some")
                                .endExactly()),
                        "INVALID spec.spec.devices.requests[0].exactly.deviceClassName",
                        "NOT_SUPPORTED spec.spec.devices.requests[0].exactly.allocationMode"),
                bad(
                        "allocation mode All with a count",
                        claimTemplate(r -> r.withName("gpu")
                                .withNewExactly()
                                .withDeviceClassName("gpu.nvidia.com")
                                .withAllocationMode("All")
                                .withCount(2L)
                                .endExactly()),
                        "INVALID spec.spec.devices.requests[0].exactly.count"),
                bad(
                        "firstAvailable alternatives with a duplicate name, a bad name, no class",
                        claimTemplate(r -> r.withName("gpu")
                                .addNewFirstAvailable()
                                .withName("h100")
                                .withDeviceClassName("gpu.nvidia.com")
                                .endFirstAvailable()
                                .addNewFirstAvailable()
                                .withName("h100")
                                .endFirstAvailable()
                                .addNewFirstAvailable()
                                .withName("A100")
                                .withDeviceClassName("gpu.nvidia.com")
                                .endFirstAvailable()),
                        "REQUIRED spec.spec.devices.requests[0].firstAvailable[1].deviceClassName",
                        "INVALID spec.spec.devices.requests[0].firstAvailable[2].name",
                        "DUPLICATE spec.spec.devices.requests[0].firstAvailable[1]"),
                bad(
                        "duplicate device request names",
                        new ResourceClaimTemplateBuilder(claimTemplate(r -> r.withName("gpu")
                                        .withNewExactly()
                                        .withDeviceClassName("gpu.nvidia.com")
                                        .endExactly()))
                                .editSpec()
                                .editSpec()
                                .editDevices()
                                .addNewRequest()
                                .withName("gpu")
                                .withNewExactly()
                                .withDeviceClassName("gpu.nvidia.com")
                                .endExactly()
                                .endRequest()
                                .endDevices()
                                .endSpec()
                                .endSpec()
                                .build(),
                        "DUPLICATE spec.spec.devices.requests[1]"),
                ok(
                        "firstAvailable alternatives",
                        claimTemplate(r -> r.withName("gpu")
                                .addNewFirstAvailable()
                                .withName("h100")
                                .withDeviceClassName("gpu.nvidia.com")
                                .endFirstAvailable()
                                .addNewFirstAvailable()
                                .withName("any")
                                .withDeviceClassName("gpu.nvidia.com")
                                .withAllocationMode("All")
                                .endFirstAvailable())),
                ok(
                        "exact request for all devices of a class, with a CEL selector",
                        claimTemplate(r -> r.withName("gpu")
                                .withNewExactly()
                                .withDeviceClassName("gpu.nvidia.com")
                                .withAllocationMode("All")
                                .addNewSelector()
                                .withCel(new io.fabric8.kubernetes.api.model.resource.v1.CELDeviceSelector(
                                        "device.driver == \"gpu.nvidia.com\""))
                                .endSelector()
                                .endExactly())));
    }

    /** A ResourceClaimTemplate {@code h100} with one device request, built by {@code request}. */
    private static io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate claimTemplate(
            java.util.function.Consumer<io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestBuilder> request) {
        io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestBuilder r =
                new io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestBuilder();
        request.accept(r);
        return new ResourceClaimTemplateBuilder()
                .withNewMetadata()
                .withName("h100")
                .endMetadata()
                .withNewSpec()
                .withNewSpec()
                .withNewDevices()
                .addToRequests(r.build())
                .endDevices()
                .endSpec()
                .endSpec()
                .build();
    }

    static Stream<Arguments> services() {
        return Stream.of(
                bad("ports required", service(s -> s.getSpec().setPorts(new ArrayList<>())), "REQUIRED spec.ports"),
                bad(
                        "port out of range",
                        service(s -> s.getSpec().getPorts().get(0).setPort(0)),
                        "INVALID spec.ports[0].port",
                        // the unset targetPort is defaulted to the port, then validated
                        "INVALID spec.ports[0].targetPort"),
                bad(
                        "targetPort out of range",
                        service(s -> s.getSpec().getPorts().get(0).setTargetPort(new IntOrString(70000))),
                        "INVALID spec.ports[0].targetPort"),
                bad(
                        "port names required when there are two ports",
                        service(s -> s.getSpec()
                                .getPorts()
                                .add(new ServicePortBuilder()
                                        .withName("metrics")
                                        .withPort(9090)
                                        .build())),
                        "REQUIRED spec.ports[0].name"),
                bad(
                        "duplicate port names and ports",
                        service(s -> {
                            s.getSpec().getPorts().get(0).setName("a");
                            s.getSpec()
                                    .getPorts()
                                    .add(new ServicePortBuilder()
                                            .withName("a")
                                            .withPort(29500)
                                            .build());
                        }),
                        "DUPLICATE spec.ports[1].name",
                        "DUPLICATE spec.ports[1]"),
                bad(
                        "targetPort name invalid",
                        service(s -> s.getSpec().getPorts().get(0).setTargetPort(new IntOrString("Rendezvous"))),
                        "INVALID spec.ports[0].targetPort"),
                bad("type unsupported", service(s -> s.getSpec().setType("Internal")), "NOT_SUPPORTED spec.type"),
                bad(
                        "headless NodePort",
                        service(s -> {
                            s.getSpec().setType("NodePort");
                            s.getSpec().setClusterIP("None");
                        }),
                        "INVALID spec.clusterIPs[0]"),
                bad(
                        "nodePort on a ClusterIP service",
                        service(s -> s.getSpec().getPorts().get(0).setNodePort(30000)),
                        "FORBIDDEN spec.ports[0].nodePort"),
                bad(
                        "ExternalName without externalName",
                        service(s -> {
                            s.getSpec().setType("ExternalName");
                            s.getSpec().setPorts(new ArrayList<>());
                        }),
                        "REQUIRED spec.externalName"),
                bad(
                        "selector label value invalid",
                        service(s -> s.getSpec().setSelector(map("app", "trainer!"))),
                        "INVALID spec.selector"),
                bad(
                        "sessionAffinity unsupported",
                        service(s -> s.getSpec().setSessionAffinity("Cookie")),
                        "NOT_SUPPORTED spec.sessionAffinity"),
                bad(
                        "externalTrafficPolicy on ClusterIP",
                        service(s -> s.getSpec().setExternalTrafficPolicy("Local")),
                        "INVALID spec.externalTrafficPolicy"));
    }

    static Stream<Arguments> storage() {
        return Stream.of(
                bad(
                        "pvc accessModes required",
                        pvc(p -> p.getSpec().setAccessModes(new ArrayList<>())),
                        "REQUIRED spec.accessModes"),
                bad(
                        "pvc accessMode unsupported",
                        pvc(p -> p.getSpec().setAccessModes(List.of("ReadWriteAlways"))),
                        "NOT_SUPPORTED spec.accessModes"),
                bad(
                        "pvc ReadWriteOncePod with another mode",
                        pvc(p -> p.getSpec().setAccessModes(List.of("ReadWriteOncePod", "ReadOnlyMany"))),
                        "FORBIDDEN spec.accessModes"),
                bad(
                        "pvc storage request required, at the server's odd path",
                        pvc(p -> p.getSpec().getResources().setRequests(null)),
                        "REQUIRED spec.resources[storage]"),
                bad(
                        "pvc storage request zero",
                        pvc(p -> p.getSpec().getResources().setRequests(quantities("storage", "0"))),
                        "INVALID spec.resources[storage]"),
                bad(
                        "pvc storageClassName invalid",
                        pvc(p -> p.getSpec().setStorageClassName("Fast_SSD")),
                        "INVALID spec.storageClassName"),
                bad("configmap key with slash", configMap(c -> c.setData(map("a/b", "x"))), "INVALID data[a/b]"),
                bad(
                        "configmap key in data and binaryData",
                        configMap(c -> c.setBinaryData(map("config.yaml", "eA=="))),
                        "INVALID data[config.yaml]"),
                bad(
                        "configmap over 1MiB",
                        configMap(c -> c.setData(map("big", repeat('x', 1024 * 1024 + 1)))),
                        // Go's field.NewPath(""): the whole object
                        "TOO_LONG []"),
                bad("secret key '..'", secret(s -> s.setStringData(map("..", "x"))), "INVALID data[..]"),
                bad(
                        "tls secret without key",
                        secret(s -> {
                            s.setType("kubernetes.io/tls");
                            s.setStringData(map("tls.crt", "x"));
                        }),
                        "REQUIRED data[tls.key]"),
                bad(
                        "dockerconfigjson secret without its key",
                        secret(s -> s.setType("kubernetes.io/dockerconfigjson")),
                        "REQUIRED data[.dockerconfigjson]"),
                bad(
                        "namespace finalizer unqualified",
                        namespace(n -> n.setSpec(new io.fabric8.kubernetes.api.model.NamespaceSpecBuilder()
                                .withFinalizers("cleanup")
                                .build())),
                        "INVALID spec.finalizers"));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                ok("a minimal job", job(j -> {})),
                ok("a 63-character job name", job(j -> j.getMetadata().setName(repeat('a', 63)))),
                ok("generateName only", job(j -> {
                    j.getMetadata().setName(null);
                    j.getMetadata().setGenerateName("train-");
                })),
                ok("a long generateName is cut to fit", job(j -> {
                    j.getMetadata().setName(null);
                    j.getMetadata().setGenerateName(repeat('g', 100) + "-");
                })),
                ok("indexed with parallelism below completions", job(j -> {
                    spec(j).setCompletionMode("Indexed");
                    spec(j).setCompletions(8);
                    spec(j).setParallelism(2);
                })),
                ok(
                        "NotIn with exit code 0",
                        job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                                .addNewRule()
                                .withAction("FailJob")
                                .withNewOnExitCodes()
                                .withOperator("NotIn")
                                .withValues(0, 1)
                                .endOnExitCodes()
                                .endRule()
                                .addNewRule()
                                .withAction("Ignore")
                                .addNewOnPodCondition()
                                .withType("DisruptionTarget")
                                .endOnPodCondition()
                                .endRule()
                                .build()))),
                ok("per-index backoff with FailIndex", job(j -> {
                    spec(j).setCompletionMode("Indexed");
                    spec(j).setCompletions(4);
                    spec(j).setBackoffLimitPerIndex(1);
                    spec(j).setMaxFailedIndexes(4);
                    spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                            .addNewRule()
                            .withAction("FailIndex")
                            .withNewOnExitCodes()
                            .withOperator("In")
                            .withValues(42)
                            .endOnExitCodes()
                            .endRule()
                            .build());
                    spec(j).setPodReplacementPolicy("Failed");
                })),
                ok("success policy with indexes and count", job(j -> {
                    spec(j).setCompletionMode("Indexed");
                    spec(j).setCompletions(8);
                    spec(j).setSuccessPolicy(new SuccessPolicyBuilder()
                            .addNewRule()
                            .withSucceededIndexes("0,2-4,7")
                            .withSucceededCount(5)
                            .endRule()
                            .build());
                })),
                ok("GPU in limits only", job(j -> main(j).getResources().setLimits(quantities("nvidia.com/gpu", "2")))),
                ok("GPU requests equal to limits", job(j -> {
                    main(j).getResources().setLimits(quantities("nvidia.com/gpu", "8", "cpu", "16", "memory", "64Gi"));
                    main(j).getResources().setRequests(quantities("nvidia.com/gpu", "8", "cpu", "8", "memory", "64Gi"));
                })),
                ok(
                        "zero quantities",
                        job(j -> main(j).getResources().setRequests(quantities("cpu", "0", "memory", "0")))),
                ok(
                        "millicores and exponents",
                        job(j -> main(j).getResources()
                                .setRequests(
                                        quantities("cpu", "250m", "memory", "1e9", "ephemeral-storage", "1.5Gi")))),
                ok(
                        "hugepages with memory",
                        job(j ->
                                main(j).getResources().setLimits(quantities("hugepages-2Mi", "4Mi", "memory", "1Gi")))),
                ok(
                        "MIG extended resource",
                        job(j -> main(j).getResources().setLimits(quantities("nvidia.com/mig-1g.10gb", "1")))),
                ok(
                        "toleration Exists without key",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withOperator("Exists")
                                        .build()))),
                ok(
                        "GPU taint toleration",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withKey("nvidia.com/gpu")
                                        .withOperator("Exists")
                                        .withEffect("NoSchedule")
                                        .build()))),
                ok(
                        "NoExecute toleration with seconds",
                        job(j -> pod(j).getTolerations()
                                .add(new TolerationBuilder()
                                        .withKey("node.kubernetes.io/unreachable")
                                        .withOperator("Exists")
                                        .withEffect("NoExecute")
                                        .withTolerationSeconds(300L)
                                        .build()))),
                ok("empty label value", configMap(c -> c.getMetadata().setLabels(map("example.com/flag", "")))),
                ok(
                        "node affinity Gt with one value",
                        job(j -> pod(j).setAffinity(new AffinityBuilder()
                                .withNewNodeAffinity()
                                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                                .addNewNodeSelectorTerm()
                                .addNewMatchExpression()
                                .withKey("nvidia.com/gpu.memory")
                                .withOperator("Gt")
                                .withValues("40000")
                                .endMatchExpression()
                                .endNodeSelectorTerm()
                                .endRequiredDuringSchedulingIgnoredDuringExecution()
                                .endNodeAffinity()
                                .build()))),
                ok("shm emptyDir mounted", job(j -> {
                    pod(j).getVolumes()
                            .add(new VolumeBuilder()
                                    .withName("dshm")
                                    .withNewEmptyDir()
                                    .withMedium("Memory")
                                    .withSizeLimit(new Quantity("16Gi"))
                                    .endEmptyDir()
                                    .build());
                    main(j).getVolumeMounts()
                            .add(new VolumeMountBuilder()
                                    .withName("dshm")
                                    .withMountPath("/dev/shm")
                                    .build());
                })),
                ok("env from fieldRef, secret and downward label", job(j -> {
                    main(j).getEnv()
                            .add(new EnvVarBuilder()
                                    .withName("POD_NAME")
                                    .withNewValueFrom()
                                    .withNewFieldRef(null, "metadata.name")
                                    .endValueFrom()
                                    .build());
                    main(j).getEnv()
                            .add(new EnvVarBuilder()
                                    .withName("TOKEN")
                                    .withNewValueFrom()
                                    .withNewSecretKeyRef("token", "creds", false)
                                    .endValueFrom()
                                    .build());
                    main(j).getEnv()
                            .add(new EnvVarBuilder()
                                    .withName("INDEX")
                                    .withNewValueFrom()
                                    .withNewFieldRef(
                                            null, "metadata.labels['batch.kubernetes.io/job-completion-index']")
                                    .endValueFrom()
                                    .build());
                    main(j).getEnv()
                            .add(new EnvVarBuilder()
                                    .withName("1_STARTS_WITH_DIGIT")
                                    .withValue("x")
                                    .build());
                })),
                ok("DRA claim referenced by a container", job(j -> {
                    pod(j).getResourceClaims()
                            .add(new PodResourceClaimBuilder()
                                    .withName("gpu")
                                    .withResourceClaimTemplateName("h100")
                                    .build());
                    main(j).getResources()
                            .setClaims(List.of(
                                    new ResourceClaimBuilder().withName("gpu").build()));
                })),
                ok(
                        "probes with zero thresholds that are defaulted",
                        job(j -> main(j).setLivenessProbe(new ProbeBuilder()
                                .withNewHttpGet()
                                .withPort(new IntOrString("http"))
                                .endHttpGet()
                                .withSuccessThreshold(0)
                                .withFailureThreshold(0)
                                .build()))),
                ok(
                        "restartable init container with a probe",
                        job(j -> pod(j).getInitContainers()
                                .add(new ContainerBuilder()
                                        .withName("proxy")
                                        .withImage("envoy")
                                        .withRestartPolicy("Always")
                                        .withStartupProbe(new ProbeBuilder()
                                                .withNewTcpSocket()
                                                .withPort(new IntOrString(15000))
                                                .endTcpSocket()
                                                .build())
                                        .build()))),
                ok("selector with manualSelector matching labels", job(j -> {
                    spec(j).setManualSelector(true);
                    spec(j).setSelector(new LabelSelectorBuilder()
                            .addToMatchLabels("app", "train")
                            .build());
                    j.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
                    j.getSpec().getTemplate().getMetadata().setLabels(map("app", "train"));
                })),
                ok("activeDeadlineSeconds zero on a job", job(j -> spec(j).setActiveDeadlineSeconds(0L))),
                ok(
                        "a cronjob with 52-character name",
                        cronJob(c -> c.getMetadata().setName(repeat('c', 52)))),
                ok("a cronjob with every field", cronJob(c -> {
                    c.getSpec().setConcurrencyPolicy("Forbid");
                    c.getSpec().setStartingDeadlineSeconds(0L);
                    c.getSpec().setSuccessfulJobsHistoryLimit(0);
                    c.getSpec().setFailedJobsHistoryLimit(0);
                    c.getSpec().setSuspend(true);
                })),
                ok("a pod with defaults left out", podObject(p -> {})),
                ok("a deployment", deployment(d -> {})),
                ok(
                        "a deployment with percentages",
                        deployment(d -> d.getSpec()
                                .setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                                        .withType("RollingUpdate")
                                        .withNewRollingUpdate()
                                        .withMaxSurge(new IntOrString("0%"))
                                        .withMaxUnavailable(new IntOrString(1))
                                        .endRollingUpdate()
                                        .build()))),
                ok("a statefulset with volumeClaimTemplates mounted by its container", statefulSet(s -> {
                    s.getSpec()
                            .getVolumeClaimTemplates()
                            .add(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                                    .withNewMetadata()
                                    .withName("data")
                                    .endMetadata()
                                    .withNewSpec()
                                    .withAccessModes("ReadWriteOnce")
                                    .withNewResources()
                                    .addToRequests("storage", new Quantity("1Gi"))
                                    .endResources()
                                    .endSpec()
                                    .build());
                    s.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getVolumeMounts()
                            .add(new VolumeMountBuilder()
                                    .withName("data")
                                    .withMountPath("/var/lib/etcd")
                                    .build());
                })),
                ok(
                        "a statefulset template's hostname is not validated (the controller sets it)",
                        statefulSet(s -> s.getSpec().getTemplate().getSpec().setHostname("Etcd"))),
                ok("a headless service without ports", service(s -> {
                    s.getSpec().setClusterIP("None");
                    s.getSpec().setPorts(new ArrayList<>());
                })),
                ok("a service with named target port", service(s -> {
                    s.getSpec().getPorts().get(0).setName("c10d");
                    s.getSpec().getPorts().get(0).setTargetPort(new IntOrString("c10d"));
                    s.getSpec()
                            .getPorts()
                            .add(new ServicePortBuilder()
                                    .withName("metrics")
                                    .withPort(9090)
                                    .build());
                })),
                ok("a pvc", pvc(p -> {})),
                ok("a configmap with binary data", configMap(c -> c.setBinaryData(map("model.bin", "AAEC")))),
                ok("a tls secret", secret(s -> {
                    s.setType("kubernetes.io/tls");
                    s.setStringData(map("tls.crt", "x", "tls.key", "y"));
                })),
                ok("a namespace", namespace(n -> {})),
                ok(
                        "a namespace object with a namespace (the server clears it)",
                        namespace(n -> n.getMetadata().setNamespace("default"))),
                ok(
                        "a service name starting with a digit (RelaxedServiceNameValidation, on in 1.36)",
                        service(s -> s.getMetadata().setName("1trainer"))),
                ok("a volume without a source becomes an emptyDir", job(j -> {
                    pod(j).getVolumes().add(new VolumeBuilder().withName("data").build());
                    main(j).getVolumeMounts()
                            .add(new VolumeMountBuilder()
                                    .withName("data")
                                    .withMountPath("/data")
                                    .build());
                })),
                ok(
                        "indexed without completions or parallelism (both default to 1)",
                        job(j -> spec(j).setCompletionMode("Indexed"))),
                ok("restartPolicy and restart rules on regular and init containers", job(j -> {
                    main(j).setRestartPolicy("Never");
                    main(j).setRestartPolicyRules(List.of(
                            restartRule("Restart", "In", 42), restartRule("RestartAllContainers", "NotIn", 0, 1)));
                    pod(j).getInitContainers()
                            .add(new ContainerBuilder()
                                    .withName("fetch")
                                    .withImage("busybox")
                                    .withRestartPolicy("OnFailure")
                                    .build());
                })),
                ok(
                        "a resource claim template",
                        new ResourceClaimTemplateBuilder()
                                .withNewMetadata()
                                .withName("h100")
                                .endMetadata()
                                .withNewSpec()
                                .withNewSpec()
                                .withNewDevices()
                                .addNewRequest()
                                .withName("gpu")
                                .withNewExactly()
                                .withDeviceClassName("gpu.nvidia.com")
                                .endExactly()
                                .endRequest()
                                .endDevices()
                                .endSpec()
                                .endSpec()
                                .build()),
                ok(
                        "a kind without rules of its own gets metadata rules only",
                        new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                                .withNewMetadata()
                                .withName("trainer")
                                .endMetadata()
                                .build()));
    }
}
