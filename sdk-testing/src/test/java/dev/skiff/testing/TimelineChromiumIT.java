package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads {@link InMemoryCluster#timeline()}'s page in headless Chromium (Debian's {@code chromium};
 * {@code .ci/run} installs it): it loads without a console message, and its screenshot shows the
 * bars. Fails, rather than skips, without Chromium; {@code -Dskiff.chromium=<path>} points to
 * another binary.
 */
class TimelineChromiumIT {
    static final Path CHROMIUM = Path.of(System.getProperty("skiff.chromium", "/usr/bin/chromium"));

    record Run(int exitCode, String stdout, String stderr) {
        /** The page's console messages: Chromium logs each as {@code INFO:CONSOLE:<line>] "..."}. */
        List<String> console() {
            List<String> out = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (line.contains(":CONSOLE")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    static Run chromium(Path dir, Path page, String... action) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("headless Chromium is needed at %s: apt-get install -y chromium (.ci/run does)", CHROMIUM)
                .isTrue();
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
                "--enable-logging=stderr",
                "--v=0"));
        command.addAll(List.of(action));
        command.add(page.toUri().toString());
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("Chromium did not exit within 120 s: " + Files.readString(err));
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void pageLoadsWithoutConsoleMessagesAndItsScreenshotShowsTheBars(@TempDir Path dir) throws Exception {
        Path page;
        try (InMemoryCluster cluster = TimelineIT.run()) {
            page = cluster.timeline(dir.resolve("timeline.html"));
        }
        Path shot = dir.resolve("timeline.png");
        Run run = chromium(dir, page, "--screenshot=" + shot, "--window-size=1440,900", "--hide-scrollbars");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.console()).as("console messages of the page").isEmpty();

        assertThat(shot).isRegularFile();
        // kept for people to look at: target/timeline/
        Path kept = Files.createDirectories(Path.of("target", "timeline"));
        Files.copy(page, kept.resolve("timeline.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(shot, kept.resolve("timeline.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] png = Files.readAllBytes(shot);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(png.length).isGreaterThan(5_000);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(1440);
        assertThat(image.getHeight()).isEqualTo(900);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
        // the bars' own colours: succeeded, failed, OOMKilled, running, deleted
        assertThat(colours).contains(0x2f9e58, 0xd64541, 0x8e44ad, 0x3a7bd5, 0x9aa0a6);

        Run dom = chromium(dir, page, "--dump-dom");
        assertThat(dom.exitCode()).as(dom.stderr()).isZero();
        assertThat(dom.console()).isEmpty();
        assertThat(dom.stdout())
                .contains("<svg", "<path class=\"utilisation\"", "data-pod=\"default/train-b\"")
                .contains("<g class=\"pod oomkilled\" data-pod=\"default/oom\">");
    }

    @Test
    void consoleErrorsOfAPageAreSeen(@TempDir Path dir) throws Exception {
        // the check above would pass on a browser that logged nothing: show that it logs errors
        Path page = dir.resolve("broken.html");
        Files.writeString(
                page,
                "<!DOCTYPE html><html><body><script>console.error('broken page'); notDefined();</script></body></html>");
        Run run = chromium(dir, page, "--dump-dom");
        assertThat(run.exitCode()).isZero();
        assertThat(String.join("\n", run.console())).contains("broken page", "notDefined");
    }
}
