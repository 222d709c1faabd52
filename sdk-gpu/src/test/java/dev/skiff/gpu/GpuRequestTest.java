package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.NodeRequirement;
import dev.skiff.core.Placement;
import dev.skiff.core.Skiff;
import dev.skiff.gpu.GpuSharing.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request shapes of {@link Gpu} beyond whole GPUs, and the errors for bad input. */
class GpuRequestTest {

    private static PodSpec render(Gpu gpu) {
        return ((Job) Skiff.render(GpuRenderingTest.job(gpu)).get(0))
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    private static List<NodeSelectorTerm> terms(PodSpec spec) {
        return spec.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
    }

    @Test
    void aModelMatchesGfdProductSpellingsOrTheGkeAcceleratorInTwoTerms() {
        List<NodeSelectorTerm> terms = terms(render(Gpu.nvidia(1).model("A100-40GB")));
        assertThat(terms).hasSize(2);
        assertThat(terms.get(0).getMatchExpressions()).singleElement().satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(Gpu.PRODUCT_LABEL);
            assertThat(r.getValues())
                    .contains("NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB", "NVIDIA-A100-SXM4-40GB-SHARED")
                    // on a single-strategy MIG node nvidia.com/gpu is a slice, not a whole GPU
                    .doesNotContain(
                            "NVIDIA-A100-SXM4-80GB",
                            "NVIDIA-A100-SXM4-40GB-MIG-1g.5gb",
                            "NVIDIA-A100-SXM4-40GB-MIG-3g.20gb-SHARED");
        });
        assertThat(terms.get(1).getMatchExpressions()).singleElement().satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(Gpu.GKE_ACCELERATOR_LABEL);
            assertThat(r.getValues()).containsExactly("nvidia-tesla-a100");
        });
    }

    @Test
    void existingNodeAffinityIsKeptInEveryAlternative() {
        var job = GpuRenderingTest.job(
                Gpu.nvidia(1).model("H100"),
                Placement.builder()
                        .addRequiredNodeAffinity(NodeRequirement.in("zone", "a"))
                        .build());
        PodSpec spec = ((Job) Skiff.render(job).get(0)).getSpec().getTemplate().getSpec();
        assertThat(terms(spec))
                .hasSize(2)
                .allSatisfy(
                        t -> assertThat(t.getMatchExpressions().get(0).getKey()).isEqualTo("zone"));
    }

    @Test
    void minMemoryIsAStrictBoundOneMibBelowTheSize() {
        List<NodeSelectorTerm> terms = terms(render(Gpu.nvidia(1).minMemory(DataSize.ofGibibytes(80))));
        assertThat(terms.get(0).getMatchExpressions()).singleElement().satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(Gpu.MEMORY_LABEL);
            assertThat(r.getOperator()).isEqualTo("Gt");
            assertThat(r.getValues()).containsExactly("81919");
        });
        // an "80GB" H100 reports 81559 MiB: less than 80Gi, so GKE's H100 is left out too
        assertThat(terms.get(1).getMatchExpressions().get(0).getValues())
                .contains("nvidia-a100-80gb", "nvidia-h200-141gb")
                .doesNotContain("nvidia-h100-80gb");
    }

    @Test
    void migMixedAsksForTheProfileResourceAndSingleForTheSuffixedProduct() {
        PodSpec mixed = render(Gpu.nvidia(1).mig("1g.10gb", 3));
        assertThat(mixed.getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/mig-1g.10gb", new Quantity("3"))
                .doesNotContainKey("nvidia.com/gpu");
        assertThat(mixed.getAffinity()).isNull();
        assertThat(mixed.getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));

        PodSpec single = render(Gpu.nvidia(1).mig("1g.10gb", 1, MigStrategy.SINGLE));
        assertThat(single.getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(terms(single))
                .singleElement()
                .satisfies(t -> assertThat(t.getMatchExpressions().get(0).getValues())
                        .contains(
                                "NVIDIA-A100-SXM4-40GB-MIG-1g.10gb",
                                "NVIDIA-A100-SXM4-80GB-MIG-1g.10gb",
                                "NVIDIA-H100-80GB-HBM3-MIG-1g.10gb")
                        .doesNotContain("NVIDIA-H200-MIG-1g.10gb", "NVIDIA-A100-SXM4-40GB"));
    }

    @Test
    void timeSlicingWithTheLabelRequiresSharedProductsOnly() {
        PodSpec spec =
                render(Gpu.nvidia(1).model("T4").shared(GpuSharing.timeSliced().on(Target.TIME_SLICING_LABEL)));
        assertThat(terms(spec))
                .singleElement()
                .satisfies(t ->
                        assertThat(t.getMatchExpressions().get(0).getValues()).containsExactly("Tesla-T4-SHARED"));
        assertThat(render(Gpu.nvidia(2).shared(GpuSharing.timeSliced()))
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits())
                .containsEntry("nvidia.com/gpu.shared", new Quantity("2"));
    }

    @Test
    void kaiFractionsAreAnnotationsWithItsSchedulerAndQueueAndNoExtendedResource() {
        Job job = (Job) Skiff.render(GpuRenderingTest.job(Gpu.nvidia(1)
                        .shared(GpuSharing.fraction(0.5).on(Target.KAI).inQueue("team-a"))))
                .get(0);
        var template = job.getSpec().getTemplate();
        assertThat(template.getMetadata().getAnnotations()).containsEntry("gpu-fraction", "0.5");
        assertThat(template.getMetadata().getLabels()).containsEntry("kai.scheduler/queue", "team-a");
        assertThat(template.getSpec().getSchedulerName()).isEqualTo("kai-scheduler");
        assertThat(template.getSpec().getContainers().get(0).getResources().getLimits())
                .doesNotContainKey("nvidia.com/gpu");
    }

    @Test
    void kaiFractionsAreWrittenAsPlainDecimals() {
        Job job = (Job) Skiff.render(GpuRenderingTest.job(
                        Gpu.nvidia(1).shared(GpuSharing.fraction(0.0001).on(Target.KAI))))
                .get(0);
        assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("gpu-fraction", "0.0001");
    }

    @Test
    void hamiMemoryIsMebibytes() {
        assertThat(render(Gpu.nvidia(1).shared(GpuSharing.memory("3000Mi").on(Target.HAMI)))
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"))
                .containsEntry("nvidia.com/gpumem", new Quantity("3000"));
    }

    @Test
    void draRendersAClaimTemplateReferencedFromPodAndContainer() {
        List<HasMetadata> objects = Skiff.render(
                GpuRenderingTest.job(Gpu.nvidia(4).model("H100", "H200").viaDra()));
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Job", "ResourceClaimTemplate");
        var template = (ResourceClaimTemplate) objects.get(1);
        assertThat(template.getMetadata().getName()).isEqualTo("train-gpu");
        var request = template.getSpec().getSpec().getDevices().getRequests().get(0);
        assertThat(request.getExactly().getDeviceClassName()).isEqualTo("gpu.nvidia.com");
        assertThat(request.getExactly().getCount()).isEqualTo(4L);
        assertThat(request.getExactly().getSelectors())
                .singleElement()
                .satisfies(s -> assertThat(s.getCel().getExpression())
                        .contains("productName in ['NVIDIA H100 80GB HBM3'", "'NVIDIA H200'"));
        PodSpec spec = ((Job) objects.get(0)).getSpec().getTemplate().getSpec();
        assertThat(spec.getResourceClaims())
                .singleElement()
                .satisfies(c -> assertThat(c.getResourceClaimTemplateName()).isEqualTo("train-gpu"));
        assertThat(spec.getContainers().get(0).getResources().getClaims())
                .singleElement()
                .satisfies(c -> assertThat(c.getName()).isEqualTo("gpu"));
        assertThat(spec.getContainers().get(0).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(spec.getAffinity()).isNull();
    }

    @Test
    void amdModelsMatchTheDeviceId() {
        assertThat(terms(render(Gpu.amd(4).model("MI300X", "MI325X"))))
                .singleElement()
                .satisfies(t -> assertThat(t.getMatchExpressions())
                        .singleElement()
                        .satisfies(r -> {
                            assertThat(r.getKey()).isEqualTo(Gpu.AMD_DEVICE_ID_LABEL);
                            assertThat(r.getValues()).containsExactly("74a1", "74a9", "74bd", "74a5");
                        }));
    }

    @Test
    void theCatalogKnowsCurrentDataCentreModelsWithTheirMemory() {
        assertThat(GpuModel.knownNames())
                .contains(
                        "H200",
                        "H100",
                        "H100-SXM",
                        "H100-PCIe",
                        "H100-NVL",
                        "GH200",
                        "B200",
                        "GB200",
                        "A100-80GB",
                        "A100-40GB",
                        "L40S",
                        "L4",
                        "A10",
                        "T4",
                        "V100",
                        "MI300X",
                        "MI325X",
                        "MI250X",
                        "MI210");
        assertThat(GpuModel.named("h100").memoryMiB()).isEqualTo(81_559);
        assertThat(GpuModel.named("MI300X").memoryMiB()).isEqualTo(192 * 1024);
        assertThat(GpuModel.named("A100")).isEqualTo(GpuModel.A100_40GB);
        assertThat(GpuModel.named("T4").productLabels()).containsExactly("Tesla-T4", "Tesla-T4-SHARED");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aFractionOutsideZeroToOneIsRejected() {
        assertThatThrownBy(() -> GpuSharing.fraction(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GPU fraction must be > 0 and < 1, but was 1.5");
        assertThatThrownBy(() -> GpuSharing.fraction(0)).hasMessage("GPU fraction must be > 0 and < 1, but was 0.0");
    }

    @Test
    void migOnAModelWithoutMigIsRejectedNamingTheModelsThatHaveIt() {
        assertThatThrownBy(() -> Gpu.nvidia(1).model("T4").mig("1g.10gb", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("GPU mig is not available on T4: MIG needs one of [")
                .hasMessageContaining("A100-40GB")
                .hasMessageContaining("H200");
    }

    @Test
    void anInvalidMigProfileIsRejectedListingTheModelsProfiles() {
        assertThatThrownBy(() -> Gpu.nvidia(1).mig("1g.5gb", 1).model("A100-80GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GPU mig profile must be one of [1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb]"
                        + " for A100-80GB, but was \"1g.5gb\"");
        assertThatThrownBy(() -> Gpu.nvidia(1).mig("1g.11gb", 1))
                .hasMessageStartingWith("GPU mig profile must be one of [1g.18gb,")
                .hasMessageContaining("but was \"1g.11gb\"");
        assertThatThrownBy(() -> Gpu.nvidia(1).model("H200").mig("7g.80gb", 1)).hasMessageContaining("for H200");
    }

    @Test
    void aCountBelowOneIsRejectedForSlicesToo() {
        assertThatThrownBy(() -> Gpu.nvidia(1).mig("1g.10gb", 0)).hasMessage("GPU count must be >= 1, but was 0");
    }

    @Test
    void migNeedsNvidiaAndCannotBeShared() {
        assertThatThrownBy(() -> Gpu.amd(1).mig("1g.10gb", 1))
                .hasMessage("GPU mig needs NVIDIA GPUs (nvidia.com/gpu), but the resource is amd.com/gpu");
        assertThatThrownBy(() -> Gpu.nvidia(1).mig("1g.10gb", 1).shared(GpuSharing.timeSliced()))
                .hasMessageContaining("GPU mig and shared cannot be combined");
        assertThatThrownBy(() -> Gpu.nvidia(1).mig("1g.10gb", 1).minMemory("10Gi"))
                .hasMessageContaining("GPU minMemory cannot be combined with mig");
    }

    @Test
    void modelWithoutNamesIsRejected() {
        assertThatThrownBy(() -> Gpu.nvidia(1).model())
                .hasMessageStartingWith("GPU model needs at least one name of [B200,")
                .hasMessageEndingWith("but none was given");
    }

    @Test
    void aModelOfAnotherVendorIsRejected() {
        assertThatThrownBy(() -> Gpu.nvidia(1).model("MI300X"))
                .hasMessage(
                        "GPU model MI300X is an AMD GPU, so the resource must be amd.com/gpu, but was nvidia.com/gpu");
        assertThatThrownBy(() -> Gpu.of("habana.ai/gaudi", 1).model("H100"))
                .hasMessageContaining("so the resource must be nvidia.com/gpu, but was habana.ai/gaudi");
    }

    @Test
    void aMinimumNoChosenModelHasIsRejected() {
        assertThatThrownBy(() -> Gpu.nvidia(1).model("T4", "L4").minMemory("40Gi"))
                .hasMessage("GPU minMemory must be at most the memory of a chosen model (T4: 15360 MiB, L4: 23034 MiB),"
                        + " but was 40Gi (40960 MiB)");
        assertThatThrownBy(() -> Gpu.nvidia(1).minMemory("lots"))
                .hasMessage("memory must be a quantity such as \"40Gi\", but was \"lots\"");
        assertThatThrownBy(() -> Gpu.of("habana.ai/gaudi", 1).minMemory("40Gi"))
                .hasMessageStartingWith("GPU minMemory needs NVIDIA (nvidia.com/gpu) or AMD (amd.com/gpu) GPUs");
    }

    @Test
    void aFractionWithoutTargetOrWithTheWrongTargetIsRejected() {
        assertThatThrownBy(() -> Gpu.nvidia(1).shared(GpuSharing.fraction(0.5)))
                .hasMessage("GPU shared fraction needs a target, but none was chosen:"
                        + " call on(GpuSharing.Target.KAI) or on(GpuSharing.Target.HAMI)");
        assertThatThrownBy(() -> GpuSharing.fraction(0.5).on(Target.TIME_SLICING))
                .hasMessageContaining(
                        "GPU sharing target for a fraction request must be KAI or HAMI, but was TIME_SLICING");
        assertThatThrownBy(() -> GpuSharing.timeSliced().on(Target.KAI))
                .hasMessageContaining("must be TIME_SLICING or TIME_SLICING_LABEL, but was KAI");
        assertThatThrownBy(() -> GpuSharing.memory("8Gi").on(Target.HAMI).inQueue("a"))
                .hasMessageContaining("so the target must be KAI, but was HAMI");
        assertThatThrownBy(() -> Gpu.nvidia(1).shared(GpuSharing.fraction(0.001).on(Target.HAMI)))
                .hasMessage("GPU fraction must be >= 0.01 for HAMI (it is rendered in percent), but was 0.001");
    }

    @Test
    void draClaimsWholeNvidiaGpusOnly() {
        assertThatThrownBy(() -> Gpu.amd(1).viaDra())
                .hasMessage(
                        "GPU viaDra needs NVIDIA GPUs (DeviceClass gpu.nvidia.com), but the resource is amd.com/gpu");
        assertThatThrownBy(() -> Gpu.nvidia(1).mig("1g.10gb", 1).viaDra())
                .hasMessage("GPU viaDra claims whole GPUs, so it cannot be combined with mig");
    }

    @Test
    void dataSizesParseKubernetesQuantities() {
        assertThat(DataSize.parse("40Gi")).isEqualTo(DataSize.ofGibibytes(40)).hasToString("40Gi");
        assertThat(DataSize.parse("40Gi").toMebibytes()).isEqualTo(40_960);
        assertThat(DataSize.parse("1G").toMebibytes()).isEqualTo(954); // 10^9 bytes, rounded up
        assertThat(DataSize.ofMebibytes(81_559).toQuantity()).isEqualTo("81559Mi");
        assertThatThrownBy(() -> DataSize.parse("-1Gi")).hasMessage("memory must be > 0, but was \"-1Gi\"");
    }
}
