package dev.skiff.core;

import java.time.Duration;

/** The workload shapes the golden-file tests render; one of each shape Skiff supports. */
final class Workloads {
    private Workloads() {}

    /** A trait as users write them: labels the pods and requests a device. */
    record Accelerator(String resource, int count) implements Trait {
        @Override
        public void apply(RenderContext context) {
            var main = context.containers().get(0);
            if (main.getResources() == null) {
                main.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirements());
            }
            if (main.getResources().getLimits() == null) {
                main.getResources().setLimits(new java.util.LinkedHashMap<>());
            }
            main.getResources()
                    .getLimits()
                    .put(resource, new io.fabric8.kubernetes.api.model.Quantity(Integer.toString(count)));
            context.addToleration(Toleration.exists(resource).withEffect(Toleration.Effect.NO_SCHEDULE));
            context.requireNodeLabel(NodeRequirement.exists(resource + ".product"));
            context.podLabels().put("example.com/accelerated", "true");
        }
    }

    static BatchJob minimalJob() {
        return BatchJob.builder()
                .name("hello")
                .container(Container.of("busybox:1.36").withCommand("echo", "hello"))
                .build();
    }

    static BatchJob indexedTrainingJob() {
        return BatchJob.builder()
                .name("resnet-train")
                .namespace("ml")
                .putLabel("team", "vision")
                .putAnnotation("example.com/owner", "alice")
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withArgs("--epochs", "10")
                        .withEnv("WANDB_PROJECT", "resnet")
                        .withEnv(EnvVar.fromSecret("HF_TOKEN", "hf-credentials", "token"))
                        .withEnv(EnvVar.fromField("POD_NAME", "metadata.name"))
                        .withResources(Resources.cpu("8").memory("64Gi"))
                        .withVolumeMount("data", "/data")
                        .withVolumeMount("dshm", "/dev/shm"))
                .addVolume(Volume.persistentClaim("data", "imagenet").asReadOnly())
                .addVolume(Volume.memory("dshm", "16Gi"))
                .parallelism(4)
                .completions(4)
                .indexed(true)
                .backoffLimitPerIndex(2)
                .maxFailedIndexes(1)
                .addPodFailurePolicy(PodFailureRule.onDisruption(PodFailureRule.Action.IGNORE))
                .addPodFailurePolicy(PodFailureRule.onExitCodes(PodFailureRule.Action.FAIL_INDEX, 42))
                .activeDeadline(Duration.ofHours(6))
                .ttlAfterFinished(Duration.ofDays(1))
                .podReplacementPolicy(BatchJob.PodReplacementPolicy.FAILED)
                .addTraits(new Accelerator("example.com/npu", 2))
                .build();
    }

    static BatchJob leaderSuccessJob() {
        return BatchJob.builder()
                .name("leader-eval")
                .namespace("ml")
                .container(Container.of("ghcr.io/acme/eval:2.0"))
                .addInitContainer(Container.of("ghcr.io/acme/fetch:1.0").withArgs("s3://bucket/model"))
                .parallelism(3)
                .completions(3)
                .indexed(true)
                .addSuccessPolicy(SuccessRule.indexes("0"))
                .suspend(true)
                .podSecurity(PodSecurity.UNRESTRICTED)
                .placement(Placement.builder()
                        .putNodeSelector("pool", "eval")
                        .addRequiredNodeAffinity(
                                NodeRequirement.in("topology.kubernetes.io/zone", "eu-west-1a", "eu-west-1b"))
                        .addTolerations(Toleration.equal("dedicated", "ml", Toleration.Effect.NO_SCHEDULE))
                        .priorityClass("batch-high")
                        .schedulerName("custom-scheduler")
                        .build())
                .serviceAccount("evaluator")
                .build();
    }

    static BatchJob workQueueJob() {
        return BatchJob.builder()
                .name("preprocess")
                .namespace("data")
                .container(Container.of("python:3.12-slim")
                        .withCommand("python", "-m", "worker")
                        .withEnv(EnvVar.fromConfigMap("QUEUE_URL", "queue-config", "url"))
                        .withResources(Resources.cpu("2").memory("4Gi").withCpuLimit("4")))
                .parallelism(8)
                .backoffLimit(20)
                .restartPolicy(RestartPolicy.ON_FAILURE)
                .build();
    }

    static InteractiveSession notebookWithStorage() {
        return InteractiveSession.builder()
                .name("alice-notebook")
                .namespace("ml")
                .container(Container.of("quay.io/jupyter/pytorch-notebook:2024-10-07")
                        .withResources(Resources.cpu("4").memory("32Gi"))
                        .withReadinessProbe(Probe.http("/api", 8888).withPeriod(Duration.ofSeconds(5))))
                .addPort(Port.of("http", 8888))
                .addPerReplicaStorage(
                        PersistentStorage.of("home", "50Gi", "/home/jovyan").withStorageClass("premium-rwo"))
                .build();
    }

    static InteractiveSession tensorboard() {
        return InteractiveSession.builder()
                .name("tensorboard")
                .namespace("ml")
                .container(Container.of("tensorflow/tensorflow:2.17.0")
                        .withCommand("tensorboard", "--logdir", "/logs", "--bind_all")
                        .withPorts(Port.of("http", 6006))
                        .withVolumeMount("logs", "/logs"))
                .addVolume(Volume.persistentClaim("logs", "training-logs"))
                .replicas(2)
                .build();
    }

    static ScheduledJob nightlyRetraining() {
        return ScheduledJob.builder()
                .job(BatchJob.builder()
                        .name("nightly-retrain")
                        .namespace("ml")
                        .container(Container.of("ghcr.io/acme/trainer:1.4").withArgs("--incremental"))
                        .backoffLimit(2)
                        .build())
                .schedule("30 2 * * *")
                .timeZone("Europe/Berlin")
                .concurrencyPolicy(ScheduledJob.ConcurrencyPolicy.FORBID)
                .startingDeadline(Duration.ofMinutes(30))
                .successfulJobsHistoryLimit(5)
                .failedJobsHistoryLimit(2)
                .build();
    }

    static BatchJob jobWithMetrics() {
        return BatchJob.builder()
                .name("finetune")
                .namespace("ml")
                .container(Container.of("ghcr.io/acme/trainer:1.4"))
                .addTraits(Metrics.on(9090))
                .build();
    }

    static InteractiveSession sessionWithMetrics() {
        return InteractiveSession.builder()
                .name("vllm")
                .namespace("ml")
                .container(Container.of("vllm/vllm-openai:v0.6.4").withPorts(Port.of("http", 8000)))
                .addTraits(Metrics.on(8000).path("/metrics/"))
                .build();
    }

    static ScheduledJob scheduledJobWithMetrics() {
        return ScheduledJob.builder()
                .job(BatchJob.builder()
                        .name("nightly-eval")
                        .namespace("ml")
                        .container(Container.of("ghcr.io/acme/eval:2.0"))
                        .addTraits(Metrics.on(9100).path("/stats"))
                        .build())
                .schedule("0 3 * * *")
                .build();
    }
}
