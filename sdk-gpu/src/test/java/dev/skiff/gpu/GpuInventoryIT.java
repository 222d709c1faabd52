package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Diagnosis;
import dev.skiff.core.JobHandle;
import dev.skiff.core.JobStatus;
import dev.skiff.core.Resources;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inventory and plans on an in-memory cluster with real GPU node shapes. */
class GpuInventoryIT {
    private InMemoryCluster cluster;

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1"))
                .node(FakeNode.named("h100-1")
                        .withCpu("192")
                        .withMemory("2Ti")
                        .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                        .withGpuMemoryMiB(81559)
                        .withTaint("nvidia.com/gpu", "present", "NoSchedule"))
                .node(FakeNode.named("h100-2")
                        .withCpu("192")
                        .withMemory("2Ti")
                        .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                        .withGpuMemoryMiB(81559)
                        .withTaint("nvidia.com/gpu", "present", "NoSchedule"))
                .node(FakeNode.named("a100-mig")
                        .withCpu("96")
                        .withMemory("1Ti")
                        .withMig("1g.5gb", 14)
                        .withLabel("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB-MIG-1g.5gb"))
                .seed(11)
                .start();
        cluster.onPods("app.kubernetes.io/name=busy", PodScript.runForever());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static BatchJob gpuJob(String name, int pods, int gpus) {
        return BatchJob.builder()
                .name(name)
                .namespace("default")
                .container(Container.of("trainer:1")
                        .withResources(Resources.cpu("4").memory("16Gi")))
                .parallelism(pods)
                .completions(pods)
                .addTraits(Gpu.nvidia(gpus).model("H100"))
                .build();
    }

    @Test
    void theInventoryCountsAllocatableUsedAndFreePerNode() {
        cluster.skiff().submit(gpuJob("busy", 3, 2));
        cluster.advanceUntilIdle(Duration.ofSeconds(30));
        GpuInventory inventory = GpuInventory.read(cluster.skiff());
        assertThat(inventory.nodes())
                .extracting(NodeGpus::node)
                .containsExactly("a100-mig", "cpu-1", "h100-1", "h100-2");
        NodeGpus h1 = inventory.nodes().get(2);
        NodeGpus h2 = inventory.nodes().get(3);
        assertThat(h1.product()).hasValue("NVIDIA-H100-80GB-HBM3");
        assertThat(h1.model()).isPresent();
        assertThat(h1.memoryMiB()).hasValue(81559);
        assertThat(h1.gpus()).isEqualTo(8);
        assertThat(h1.freeGpus() + h2.freeGpus()).isEqualTo(10);
        assertThat(inventory.free("nvidia.com/gpu")).isEqualTo(10);
        assertThat(inventory.nodes().get(0).migSlices()).containsEntry("1g.5gb", 14);
        assertThat(inventory.byProduct()).containsKeys("NVIDIA-H100-80GB-HBM3", "NVIDIA-A100-SXM4-40GB-MIG-1g.5gb");
        assertThat(inventory.summary()).contains("h100-1: NVIDIA-H100-80GB-HBM3, nvidia.com/gpu");
    }

    @Test
    void aSixteenGpuPodCanNeverFitAndThePlanSaysWhy() {
        Plan plan = GpuInventory.read(cluster.skiff()).plan(gpuJob("huge", 1, 16));
        assertThat(plan.fitsEver()).isFalse();
        Plan.Shape shape = plan.shapes().get(0);
        assertThat(shape.nodesNow()).isEmpty();
        assertThat(shape.reasons())
                .extracting(Plan.Reason::message)
                .contains("Insufficient nvidia.com/gpu: needs 16, the largest node has 8");
        assertThat(shape.reasons())
                .filteredOn(r -> r.kind() == Plan.ReasonKind.SELECTOR_MISMATCH)
                .singleElement()
                .satisfies(r -> assertThat(r.nodes()).containsExactly("a100-mig", "cpu-1"));
        assertThat(plan.explanation()).startsWith("Job default/huge: can never fit as asked");
    }

    @Test
    void aJobThatFitsOnceGpusAreFreeSaysSoWithTheLargestFreeBlock() {
        cluster.skiff().submit(gpuJob("busy", 2, 6));
        cluster.advanceUntilIdle(Duration.ofSeconds(30));
        Plan plan = GpuInventory.read(cluster.skiff()).plan(gpuJob("next", 1, 8));
        assertThat(plan.fitsNow()).isFalse();
        assertThat(plan.fitsEver()).isTrue();
        assertThat(plan.shapes().get(0).nodesOnceFree()).containsExactly("h100-1", "h100-2");
        assertThat(plan.shapes().get(0).reasons())
                .extracting(Plan.Reason::message)
                .contains("Insufficient free nvidia.com/gpu now: needs 8, the largest free block is 2");
        assertThat(GpuInventory.read(cluster.skiff())
                        .plan(gpuJob("small", 1, 2))
                        .fitsNow())
                .isTrue();
    }

    @Test
    void untoleratedTaintsAndQuotasAreReasons() {
        BatchJob noToleration = BatchJob.builder()
                .name("raw")
                .namespace("default")
                .container(Container.of("trainer:1").withResources(Resources.cpu("1")))
                .build();
        Plan plan = GpuInventory.read(cluster.skiff()).plan(noToleration);
        assertThat(plan.shapes().get(0).reasons())
                .filteredOn(r -> r.kind() == Plan.ReasonKind.TAINT_NOT_TOLERATED)
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.message()).isEqualTo("untolerated taint {nvidia.com/gpu: present}");
                    assertThat(r.nodes()).containsExactly("h100-1", "h100-2");
                });
        assertThat(plan.shapes().get(0).nodesNow()).containsExactly("a100-mig", "cpu-1");

        cluster.kubernetesClient()
                .resourceQuotas()
                .inNamespace("default")
                .resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("gpus")
                        .endMetadata()
                        .withNewSpec()
                        .addToHard("requests.nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
                        .endSpec()
                        .build())
                .create();
        cluster.advanceUntilIdle(Duration.ofSeconds(5));
        Plan overQuota = GpuInventory.read(cluster.skiff()).plan(gpuJob("wide", 4, 2));
        assertThat(overQuota.fitsEver()).isFalse();
        assertThat(overQuota.shapes().get(0).reasons())
                .extracting(Plan.Reason::message)
                .contains("ResourceQuota default/gpus: requests.nvidia.com/gpu: needs 8, 4 of 4 left");
    }

    @Test
    void theCoreDiagnosisOfAPendingGpuJobNamesTheGpuShortage() {
        JobHandle handle = cluster.skiff().submit(gpuJob("greedy", 1, 16));
        cluster.advanceUntilIdle(Duration.ofSeconds(30));
        Diagnosis d = handle.diagnose();
        assertThat(d.phase()).isEqualTo(JobStatus.Phase.PENDING);
        assertThat(d.primary().kind()).isEqualTo(Diagnosis.Kind.UNSCHEDULABLE);
        assertThat(d.primary().nodeReasons()).containsKey("Insufficient nvidia.com/gpu");

        Diagnosis gpu = GpuInventory.read(cluster.skiff()).diagnose(cluster.skiff(), handle);
        assertThat(gpu.primary().subject()).isEqualTo("GPUs");
        assertThat(gpu.primary().message()).isEqualTo("Insufficient nvidia.com/gpu: needs 16, the largest node has 8");
        assertThat(gpu.findings()).containsAll(d.findings());
    }

    @Test
    void theGpuDiagnosisSaysWhenNoNodeHasTheModel() {
        BatchJob b200 = BatchJob.builder()
                .name("b200")
                .namespace("default")
                .container(Container.of("trainer:1"))
                .addTraits(Gpu.nvidia(1).model("B200"))
                .build();
        JobHandle handle = cluster.skiff().submit(b200);
        cluster.advanceUntilIdle(Duration.ofSeconds(30));
        Diagnosis gpu = GpuInventory.read(cluster.skiff()).diagnose(cluster.skiff(), handle);
        assertThat(gpu.primary().message())
                .startsWith("no node has the requested GPU model (NVIDIA-B200")
                .endsWith("the cluster has NVIDIA-A100-SXM4-40GB-MIG-1g.5gb, NVIDIA-H100-80GB-HBM3");
    }
}
