package dev.skiff.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MigNotebookSampleTest {
    @Test
    void theNotebookTakesOneMigSlice() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = MigNotebookSample.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        assertThat(out)
                .contains("nvidia.com/mig-1g.10gb 7/7 free")
                .contains("Ready: 1/1 ready")
                .contains("endpoint: http://notebook-ana.default.svc.cluster.local:8888")
                .contains("runs on a100-mig")
                .contains("nvidia.com/mig-1g.10gb 6/7 free");
    }
}
