package dev.skiff.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The distributed-training sample, run to its outcome on the embedded cluster. */
class DistributedTrainingSampleTest {
    @Test
    void twoRanksOfEightH100sFindRankZeroAndSucceed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = DistributedTrainingSample.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out)
                .contains("MASTER_ADDR=llama-finetune-0.llama-finetune MASTER_PORT=29500 WORLD_SIZE=16")
                .containsPattern(
                        "rank 0: pod llama-finetune-0-[a-z0-9]{5} on gpu-[12] as llama-finetune-0.llama-finetune")
                .containsPattern(
                        "rank 1: pod llama-finetune-1-[a-z0-9]{5} on gpu-[12] as llama-finetune-1.llama-finetune")
                .contains("Succeeded: Job default/llama-finetune succeeded (2 pods succeeded).");
    }
}
