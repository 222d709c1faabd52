package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import org.junit.jupiter.api.Test;

/** The Javadoc examples of sdk-gpu's GPU types, compiled and checked. */
class GpuDocExamplesTest {

    @Test
    void gpuExamples() {
        BatchJob job = BatchJob.builder()
                .name("finetune")
                .container(Container.of("ghcr.io/acme/trainer:1.4"))
                .addTraits(Gpu.nvidia(8).model("H100", "A100-80GB").withSharedMemory("64Gi"))
                .build();
        assertThat(job.traits()).hasSize(1);
        assertThat(Gpu.nvidia(1).minMemory("40Gi").minMemory()).contains(DataSize.ofGibibytes(40));
        assertThat(Gpu.nvidia(2).mig("1g.10gb", 2).model("A100-80GB").migProfile())
                .contains("1g.10gb");
        assertThat(Gpu.nvidia(1)
                        .shared(GpuSharing.fraction(0.5).on(GpuSharing.Target.KAI))
                        .sharing())
                .isPresent();
        assertThat(Gpu.nvidia(4).model("H100").viaDra().dra()).isTrue();
        assertThat(Gpu.nvidia(8).model("H100").count()).isEqualTo(8);
        assertThat(Gpu.amd(4).model("MI300X").models()).containsExactly(GpuModel.MI300X);
        assertThat(Gpu.of("habana.ai/gaudi", 8).resource()).isEqualTo("habana.ai/gaudi");
        assertThat(Gpu.nvidia(8).model("H100", "H200").models()).hasSize(2);
        assertThat(Gpu.nvidia(1).mig("1g.10gb", 1).model("A100-80GB").migStrategy())
                .isEqualTo(MigStrategy.MIXED);
        assertThat(Gpu.nvidia(1).mig("3g.40gb", 1, MigStrategy.SINGLE).migStrategy())
                .isEqualTo(MigStrategy.SINGLE);
        assertThat(Gpu.nvidia(1).model("T4").shared(GpuSharing.timeSliced()).sharing())
                .isPresent();
        assertThat(Gpu.nvidia(1)
                        .shared(GpuSharing.memory("8Gi").on(GpuSharing.Target.HAMI))
                        .sharing())
                .isPresent();
        assertThat(Gpu.nvidia(2).model("H100").minMemory("79Gi").viaDra().celSelectors())
                .hasSize(2);
        assertThat(Gpu.nvidia(8).withSharedMemory("64Gi").sharedMemory()).contains("64Gi");
        assertThat(Gpu.nvidia(1).minMemory(DataSize.ofGibibytes(40)))
                .isEqualTo(Gpu.nvidia(1).minMemory("40Gi"));
    }

    @Test
    void sharingExamples() {
        assertThat(GpuSharing.timeSliced().isTimeSliced()).isTrue();
        assertThat(GpuSharing.timeSliced()
                        .on(GpuSharing.Target.TIME_SLICING_LABEL)
                        .target())
                .contains(GpuSharing.Target.TIME_SLICING_LABEL);
        assertThat(GpuSharing.fraction(0.5)
                        .on(GpuSharing.Target.KAI)
                        .inQueue("team-a")
                        .queue())
                .contains("team-a");
        assertThat(GpuSharing.memory("8Gi").on(GpuSharing.Target.HAMI).memory()).contains(DataSize.ofGibibytes(8));
    }

    @Test
    void modelAndSizeExamples() {
        GpuModel h100 = GpuModel.named("H100");
        assertThat(h100.memoryMiB()).isEqualTo(81559);
        assertThat(h100.migProfiles())
                .containsExactly("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb");
        assertThat(DataSize.parse("40Gi").toMebibytes()).isEqualTo(40960);
        assertThat(DataSize.ofGibibytes(40)).isEqualTo(DataSize.parse("40Gi"));
        assertThat(DataSize.ofMebibytes(81_559).toMebibytes()).isEqualTo(81_559);
    }
}
