package dev.skiff.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The GPU notebook sample on its embedded cluster: ready, suspended with the GPU freed, resumed. */
class NotebookSessionTest {
    @Test
    void runsTheNotebookSuspendsItAndResumesIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = NotebookSession.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out)
                .containsSubsequence(
                        "# StatefulSet ml/alice-notebook Ready: 1/1 ready, 1/1 updated",
                        "# endpoint: http://alice-notebook.ml.svc.cluster.local:8888",
                        "#   replica: alice-notebook-0.alice-notebook.ml.svc.cluster.local",
                        "# gpu-1: 1/1 GPUs in use",
                        "# suspended: StatefulSet ml/alice-notebook Suspended: 0/0 ready",
                        "# gpu-1: 0/1 GPUs in use",
                        "# volume kept: home-alice-notebook-0",
                        "# resumed: StatefulSet ml/alice-notebook Ready: 1/1 ready, 1/1 updated",
                        "# gpu-1: 1/1 GPUs in use");
    }
}
