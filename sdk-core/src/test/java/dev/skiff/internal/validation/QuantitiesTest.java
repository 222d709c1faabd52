package dev.skiff.core.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

    @ParameterizedTest
    @CsvSource({
        "1, 1",
        "250m, 0.25",
        "1Ki, 1024",
        "1.5Gi, 1610612736",
        "2k, 2000",
        "1e3, 1000",
        "1E3, 1000",
        "1E, 1000000000000000000",
        "+.5, 0.5",
        "5., 5",
        "-1, -1",
        "100n, 0.0000001",
        "3u, 0.000003",
        "1e-3, 0.001"
    })
    void parsesTheKubernetesGrammar(String text, String value) {
        assertThat(Quantities.parse(text)).isEqualByComparingTo(new BigDecimal(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5cores", "1K", "1Kib", "1e", "--1", ".", "1..2", "1 Gi", "1ki", "0x10"})
    void rejectsWhatTheServerRejects(String text) {
        assertThat(Quantities.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0", "1", "-1", "+1", "000", "1.5", ".5", "1.", "250m", "1Gi", "1.5Gi", "1e3", "1E3", "1e+3", "1e-3",
                "1E", "64Mi", " 2 ", "0.5"
            })
    void decodes(String text) {
        assertThat(Quantities.decodingError(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1.5cores | quantities must match the regular expression",
                "1Gb | quantities must match the regular expression",
                "1KiB | quantities must match the regular expression",
                "'' | quantities must match the regular expression",
                "1mm | unable to parse quantity's suffix",
                "1e | unable to parse quantity's suffix",
                "1e- | unable to parse quantity's suffix",
                "1Mm | unable to parse quantity's suffix"
            })
    void failsLikeTheServersDecoder(String text, String error) {
        assertThat(Quantities.decodingError(text)).startsWith(error);
    }
}
