package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The golden files of sdk-gpu's rendering tests, under {@code src/test/resources/golden}. With
 * {@code -Dskiff.updateGolden=true} they are rewritten; a missing one is written and fails the
 * test, so that every new shape is reviewed.
 */
final class Golden {
    private static final Path DIR = Paths.get("src/test/resources/golden");

    private Golden() {}

    static void check(String name, String yaml) throws IOException {
        Path file = DIR.resolve(name + ".yaml");
        boolean missing = !Files.exists(file);
        if (Boolean.getBoolean("skiff.updateGolden") || missing) {
            Files.createDirectories(DIR);
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        }
        assertThat(missing)
                .as("golden file %s was missing; it has been written, review it", file)
                .isFalse();
        assertThat(yaml).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
