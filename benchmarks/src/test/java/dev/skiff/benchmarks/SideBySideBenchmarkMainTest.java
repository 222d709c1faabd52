package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs a tiny in-memory-only {@link SideBySideBenchmarkMain}, to check the harness, not the timings. */
class SideBySideBenchmarkMainTest {
    @Test
    void twentyJobsSucceedAndTheTableIsPrinted() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            SideBySideBenchmarkMain.main(new String[] {"--jobs 20 --rounds 1"});
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("in-memory round 1: submitAll").contains("all 20 succeeded");
        assertThat(out).containsPattern("\\| in-memory \\(realTime 1\\) \\| [0-9.]+ ");
        assertThat(out).doesNotContain("real v1.36.3");
    }
}
