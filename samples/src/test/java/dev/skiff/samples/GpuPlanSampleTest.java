package dev.skiff.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GpuPlanSampleTest {
    @Test
    void explainsWhySixteenGpusInOnePodNeverFitAndTwoPodsOfEightDo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = GpuPlanSample.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out)
                .contains("h100-1: NVIDIA-H100-80GB-HBM3, nvidia.com/gpu 8/8 free")
                .contains("Job default/llm-pretrain: can never fit as asked")
                .contains("Insufficient nvidia.com/gpu: needs 16, the largest node has 8 (h100-1, h100-2)")
                .contains("Job default/llm-pretrain: fits now")
                .contains("fits now on: h100-1, h100-2");
    }
}
