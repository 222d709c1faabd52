package dev.skiff.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The quick start as the README runs it: on the embedded cluster, to its outcomes. */
class QuickstartTest {
    @Test
    void runsBothJobsToTheirOutcomesAndExplainsTheFailure() {
        assumeTrue(System.getenv("KUBECONFIG") == null, "KUBECONFIG is set: the quick start would use that cluster");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Quickstart.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out)
                .contains("kind: \"Job\"")
                .contains("metadata.name: Invalid value: \"Bad_Name\"")
                .contains("resnet-train [--------------------] 0/4 succeeded")
                .contains("resnet-train [####################] 4/4 succeeded")
                .contains("# resnet-train: Succeeded - Job ml/resnet-train succeeded (4 pods succeeded).")
                .contains("# resnet-eval: Failed - Job ml/resnet-eval failed: BackoffLimitExceeded")
                .contains("exit 2")
                .contains("| FileNotFoundError: [Errno 2] No such file or directory: '/data/val.parquet'");
        // a picture of the run, written after it
        java.util.regex.Matcher timeline =
                java.util.regex.Pattern.compile("# timeline: (.+)").matcher(out);
        assertThat(timeline.find()).as(out).isTrue();
        java.nio.file.Path file = java.nio.file.Path.of(timeline.group(1).trim());
        assertThat(file).isRegularFile();
        assertThat(file).content(StandardCharsets.UTF_8).contains("<svg", "data-pod=\"ml/resnet-train-");
    }

    @Test
    void theProgressLineShowsABar() {
        var status = new dev.skiff.core.JobStatus(
                "ml/train",
                dev.skiff.core.JobStatus.Phase.RUNNING,
                4,
                4,
                2,
                2,
                2,
                0,
                0,
                "0-1",
                "",
                java.util.List.of(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                false);
        assertThat(Quickstart.progressLine(status))
                .isEqualTo("train [##########----------] 2/4 succeeded, 2 running, 0 failed (running)");
    }
}
