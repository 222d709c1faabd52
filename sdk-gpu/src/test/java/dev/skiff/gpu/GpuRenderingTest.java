package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.NodeRequirement;
import dev.skiff.core.Placement;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.gpu.GpuSharing.Target;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file tests: every rendering of {@link Gpu} matches the YAML checked in under {@code
 * src/test/resources/golden}. Run with {@code -Dskiff.updateGolden=true} to rewrite the files after
 * an intended change, then review the diff. A missing file is written and the test fails, so a new
 * shape is reviewed before it counts.
 */
class GpuRenderingTest {

    static BatchJob job(Gpu gpu) {
        return job(gpu, Placement.builder().build());
    }

    static BatchJob job(Gpu gpu, Placement placement) {
        return BatchJob.builder()
                .name("train")
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withResources(Resources.cpu("8").memory("64Gi")))
                .placement(placement)
                .addTraits(gpu)
                .build();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("whole-gpus-with-shm", job(Gpu.nvidia(8).withSharedMemory("64Gi"))),
                Arguments.of("model-any-of", job(Gpu.nvidia(8).model("H100", "A100-80GB"))),
                Arguments.of(
                        "model-and-zone",
                        job(
                                Gpu.nvidia(1).model("L4"),
                                Placement.builder()
                                        .addRequiredNodeAffinity(
                                                NodeRequirement.in("topology.kubernetes.io/zone", "europe-west4-a"))
                                        .build())),
                Arguments.of("min-memory", job(Gpu.nvidia(1).minMemory("40Gi"))),
                Arguments.of(
                        "model-and-min-memory",
                        job(Gpu.nvidia(1).model("V100", "T4").minMemory("32Gi"))),
                Arguments.of("mig-mixed", job(Gpu.nvidia(2).mig("1g.10gb", 2).model("A100-40GB"))),
                Arguments.of(
                        "mig-single",
                        job(Gpu.nvidia(1).mig("3g.40gb", 1, MigStrategy.SINGLE).model("H100-SXM"))),
                Arguments.of("time-sliced", job(Gpu.nvidia(1).shared(GpuSharing.timeSliced()))),
                Arguments.of(
                        "time-sliced-label",
                        job(Gpu.nvidia(1)
                                .model("T4")
                                .shared(GpuSharing.timeSliced().on(Target.TIME_SLICING_LABEL)))),
                Arguments.of(
                        "time-sliced-label-any-model",
                        job(Gpu.nvidia(1).shared(GpuSharing.timeSliced().on(Target.TIME_SLICING_LABEL)))),
                Arguments.of(
                        "kai-fraction",
                        job(Gpu.nvidia(1)
                                .shared(GpuSharing.fraction(0.5).on(Target.KAI).inQueue("team-a")))),
                Arguments.of(
                        "kai-memory-two-gpus",
                        job(Gpu.nvidia(2)
                                .model("L40S")
                                .shared(GpuSharing.memory("8Gi").on(Target.KAI)))),
                Arguments.of(
                        "hami-fraction",
                        job(Gpu.nvidia(1).shared(GpuSharing.fraction(0.25).on(Target.HAMI)))),
                Arguments.of(
                        "hami-memory",
                        job(Gpu.nvidia(1).shared(GpuSharing.memory("10Gi").on(Target.HAMI)))),
                Arguments.of(
                        "dra", job(Gpu.nvidia(2).model("H100").minMemory("79Gi").viaDra())),
                Arguments.of("dra-any-gpu", job(Gpu.nvidia(1).viaDra())),
                Arguments.of("amd-model", job(Gpu.amd(4).model("MI300X"))),
                Arguments.of("amd-min-memory", job(Gpu.amd(1).minMemory("128Gi"))),
                Arguments.of("gaudi", job(Gpu.of("habana.ai/gaudi", 8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void rendersTheGoldenYaml(String name, BatchJob job) throws IOException {
        Golden.check(name, Skiff.toYaml(job));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void renderingIsTheSameEveryTime(String name, BatchJob job) {
        assertThat(Skiff.toYaml(job)).isEqualTo(Skiff.toYaml(job));
        assertThat(job).isEqualTo(job.toBuilder().build());
    }
}
