package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.Skiff;
import dev.skiff.core.Workload;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file tests: every rendering of the distributed-training, queue and gang traits matches
 * the YAML checked in under {@code src/test/resources/golden}. Run with {@code
 * -Dskiff.updateGolden=true} to rewrite the files after an intended change, then review the diff.
 */
class TraitRenderingTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("distributed-training", (Supplier<Workload>) TraitWorkloads::distributedTraining),
                Arguments.of("distributed-leader-success", (Supplier<Workload>) TraitWorkloads::leaderSuccessTraining),
                Arguments.of("kueue-job", (Supplier<Workload>) TraitWorkloads::kueueJob),
                Arguments.of("kueue-cronjob", (Supplier<Workload>) TraitWorkloads::kueueCronJob),
                Arguments.of("volcano-gang", (Supplier<Workload>) TraitWorkloads::volcanoGang),
                Arguments.of("kai-job", (Supplier<Workload>) TraitWorkloads::kaiJob),
                Arguments.of("coscheduling-gang", (Supplier<Workload>) TraitWorkloads::coschedulingGang));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void rendersTheGoldenYaml(String name, Supplier<Workload> workload) throws IOException {
        Golden.check(name, Skiff.toYaml(workload.get()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void renderingIsStableAcrossBuildsAndCalls(String name, Supplier<Workload> workload) {
        Workload a = workload.get();
        Workload b = workload.get();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(Skiff.toYaml(a)).isEqualTo(Skiff.toYaml(b));
    }
}
