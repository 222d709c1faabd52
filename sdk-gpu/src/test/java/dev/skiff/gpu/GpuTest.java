package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

class GpuTest {

    private static PodSpec render(Gpu gpu) {
        BatchJob job = BatchJob.builder()
                .name("train")
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withResources(Resources.cpu("8").memory("64Gi")))
                .addTraits(gpu)
                .build();
        return ((Job) Skiff.render(job).get(0)).getSpec().getTemplate().getSpec();
    }

    @Test
    void wholeGpusAreLimitsEqualToRequestsWithTheVendorToleration() {
        PodSpec spec = render(Gpu.nvidia(8));
        var resources = spec.getContainers().get(0).getResources();
        assertThat(resources.getLimits()).containsEntry("nvidia.com/gpu", new Quantity("8"));
        assertThat(resources.getRequests()).containsEntry("nvidia.com/gpu", new Quantity("8"));
        assertThat(resources.getRequests()).containsEntry("cpu", new Quantity("8"));
        assertThat(spec.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(spec.getAffinity()).isNull();
    }

    @Test
    void vendorsUseTheirOwnExtendedResource() {
        assertThat(render(Gpu.amd(2)).getContainers().get(0).getResources().getLimits())
                .containsKey("amd.com/gpu");
        assertThat(render(Gpu.intel(1)).getContainers().get(0).getResources().getLimits())
                .containsKey("gpu.intel.com/i915");
        assertThat(render(Gpu.of("habana.ai/gaudi", 8))
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits())
                .containsKey("habana.ai/gaudi");
    }

    @Test
    void modelsBecomeRequiredAffinityOnTheProductLabelIncludingSharedVariants() {
        PodSpec spec = render(Gpu.nvidia(1).model("H100", "a100-80gb"));
        var expressions = spec.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions();
        assertThat(expressions).singleElement().satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(Gpu.PRODUCT_LABEL);
            assertThat(r.getOperator()).isEqualTo("In");
            assertThat(r.getValues())
                    .contains("NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-80GB-HBM3-SHARED", "NVIDIA-A100-SXM4-80GB")
                    .doesNotContain("NVIDIA-A100-SXM4-40GB");
        });
    }

    @Test
    void unknownModelsAreRejectedListingTheKnownOnes() {
        assertThatThrownBy(() -> Gpu.nvidia(1).model("H1OO"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"H1OO\"")
                .hasMessageContaining("H100")
                .hasMessageContaining("A100-80GB");
    }

    @Test
    void sharedMemoryMountsAMemoryBackedDevShm() {
        PodSpec spec = render(Gpu.nvidia(1).withSharedMemory("16Gi"));
        assertThat(spec.getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
            assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("16Gi"));
        });
        assertThat(spec.getContainers().get(0).getVolumeMounts())
                .singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/dev/shm"));
    }

    @Test
    void aGpuCountBelowOneIsRejected() {
        assertThatThrownBy(() -> Gpu.nvidia(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GPU count must be >= 1, but was 0");
    }

    @Test
    void gpusAreValuesSoEqualSpecsHashEqually() {
        assertThat(Gpu.nvidia(2).model("H100")).isEqualTo(Gpu.nvidia(2).model("H100"));
        assertThat(Gpu.nvidia(2).model("H100")).isNotEqualTo(Gpu.nvidia(2).model("L4"));
    }
}
