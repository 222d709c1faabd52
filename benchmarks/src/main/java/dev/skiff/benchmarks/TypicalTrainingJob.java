package dev.skiff.benchmarks;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.PodFailureRule;
import dev.skiff.core.Resources;
import dev.skiff.gpu.Gpu;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;

/**
 * The typical GPU training job the rendering goal is measured on, written twice: once with Skiff
 * and once with raw fabric8 builders, producing the same Job.
 *
 * <p>{@code TypicalTrainingJobTest} proves both render to identical YAML; when Skiff's rendering
 * changes (a new default label, a security setting, ...), that test fails and the fabric8 side must
 * be updated, so the comparison stays like for like.
 *
 * <p>Each call builds everything anew, the container and the GPU trait included, as a user's code
 * would for each job it submits.
 */
final class TypicalTrainingJob {
    static final String NAME = "resnet-train";
    static final String NAMESPACE = "ml";

    /**
     * Every {@code nvidia.com/gpu.product} value GPU Feature Discovery writes for a whole H100:
     * each device name, as is and time-sliced ({@code -SHARED}). A constant, as a user would keep
     * it.
     */
    private static final String[] H100_PRODUCTS = h100Products();

    private TypicalTrainingJob() {}

    private static String[] h100Products() {
        String[] devices = {"NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe", "NVIDIA-H100-NVL"};
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String d : devices) {
            out.add(d);
        }
        for (String d : devices) {
            out.add(d + "-SHARED");
        }
        return out.toArray(new String[0]);
    }

    /**
     * Builds the job with Skiff; {@code build()} renders and validates it.
     *
     * @return the job
     */
    static BatchJob withSkiff() {
        return BatchJob.builder()
                .name(NAME)
                .namespace(NAMESPACE)
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withArgs("--epochs", "10")
                        .withEnv("WANDB_PROJECT", "resnet")
                        .withResources(Resources.cpu("8").memory("64Gi")))
                .parallelism(4)
                .completions(4)
                .indexed(true)
                .backoffLimitPerIndex(2)
                .addPodFailurePolicy(PodFailureRule.onDisruption(PodFailureRule.Action.IGNORE))
                .activeDeadline(Duration.ofHours(6))
                .ttlAfterFinished(Duration.ofDays(1))
                .addTraits(Gpu.nvidia(8).model("H100").withSharedMemory("64Gi"))
                .build();
    }

    /**
     * Builds the same Job with fabric8's {@link JobBuilder}, spelling out what Skiff adds: its
     * labels, the restricted security contexts, the GPU limits, toleration, node affinity and
     * {@code /dev/shm} volume.
     *
     * @return the Job
     */
    static Job withFabric8() {
        return new JobBuilder() // sets apiVersion batch/v1 and kind Job
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", NAME)
                .addToLabels("app.kubernetes.io/instance", NAME)
                .addToLabels("app.kubernetes.io/component", "batch-job")
                .addToLabels("app.kubernetes.io/managed-by", "skiff")
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withActiveDeadlineSeconds(Duration.ofHours(6).toSeconds())
                .withBackoffLimitPerIndex(2)
                .withCompletionMode("Indexed")
                .withCompletions(4)
                .withParallelism(4)
                .withNewPodFailurePolicy()
                .addNewRule()
                .withAction("Ignore")
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .withStatus("True")
                .endOnPodCondition()
                .endRule()
                .endPodFailurePolicy()
                .withTtlSecondsAfterFinished((int) Duration.ofDays(1).toSeconds())
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", NAME)
                .addToLabels("app.kubernetes.io/instance", NAME)
                .addToLabels("app.kubernetes.io/component", "batch-job")
                .addToLabels("app.kubernetes.io/managed-by", "skiff")
                .endMetadata()
                .withNewSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey("nvidia.com/gpu.product")
                .withOperator("In")
                .withValues(H100_PRODUCTS)
                .endMatchExpression()
                .endNodeSelectorTerm()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey("cloud.google.com/gke-accelerator")
                .withOperator("In")
                .withValues("nvidia-h100-80gb", "nvidia-h100-mega-80gb")
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .endAffinity()
                .addNewContainer()
                .withName("trainer")
                .withImage("ghcr.io/acme/trainer:1.4")
                .withArgs("--epochs", "10")
                .addNewEnv()
                .withName("WANDB_PROJECT")
                .withValue("resnet")
                .endEnv()
                .withNewResources()
                .addToLimits("memory", new Quantity("64Gi"))
                .addToLimits("nvidia.com/gpu", new Quantity("8"))
                .addToRequests("cpu", new Quantity("8"))
                .addToRequests("memory", new Quantity("64Gi"))
                .addToRequests("nvidia.com/gpu", new Quantity("8"))
                .endResources()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("dshm")
                .withMountPath("/dev/shm")
                .endVolumeMount()
                .endContainer()
                .withRestartPolicy("Never")
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewToleration()
                .withEffect("NoSchedule")
                .withKey("nvidia.com/gpu")
                .withOperator("Exists")
                .endToleration()
                .addNewVolume()
                .withName("dshm")
                .withNewEmptyDir()
                .withMedium("Memory")
                .withSizeLimit(new Quantity("64Gi"))
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
