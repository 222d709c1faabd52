package dev.skiff.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The nightly retraining sample: three nights on the virtual clock, each run with its outcome. */
class NightlyRetrainingTest {
    @Test
    void printsThreeNightsOfRunsWithTheirOutcomes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = NightlyRetraining.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out)
                .contains("# retrain runs at 02:30 in Europe/Berlin; it is now Mon 1 Jun 14:00 CEST. Next runs:\n"
                        + "#   Tue 2 Jun 02:30 CEST\n#   Wed 3 Jun 02:30 CEST\n#   Thu 4 Jun 02:30 CEST\n")
                .contains("# Three days later (Thu 4 Jun 14:00 CEST), newest first:\n"
                        + "#   retrain-29675550 scheduled Thu 4 Jun 02:30 CEST: Succeeded - Job ml/retrain-29675550"
                        + " succeeded (1 pods succeeded).\n"
                        + "#   retrain-29674110 scheduled Wed 3 Jun 02:30 CEST: Failed - Job ml/retrain-29674110"
                        + " failed: BackoffLimitExceeded")
                .contains("#     exit 1, last log line: KeyError: 'clicks_7d'\n"
                        + "#   retrain-29672670 scheduled Tue 2 Jun 02:30 CEST: Succeeded")
                .contains("# the last successful run finished Thu 4 Jun 03:10 CEST");
    }
}
