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
}
