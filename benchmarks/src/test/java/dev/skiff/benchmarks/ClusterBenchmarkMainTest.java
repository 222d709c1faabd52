package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.InMemoryCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs tiny versions of {@link ClusterBenchmarkMain}'s parts, to check the harness, not the timings. */
class ClusterBenchmarkMainTest {
    @Test
    void twentyJobsOfFourPodsRunToCompletion() throws Exception {
        try (InMemoryCluster cluster = ClusterBenchmarkMain.clusterWithNodes(2)) {
            ClusterBenchmarkMain.RunResult r = ClusterBenchmarkMain.run(cluster, 20, 2, Duration.ofSeconds(60));
            assertThat(r.aborted()).isFalse();
            assertThat(r.complete()).isEqualTo(20);
            assertThat(cluster.kubernetesClient()
                            .pods()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .hasSize(80);
        }
    }

    @Test
    void bothServersFillCreateAndGet() {
        for (boolean inMemory : new boolean[] {true, false}) {
            try (ClusterBenchmarkMain.Server s =
                    inMemory ? ClusterBenchmarkMain.inMemory() : ClusterBenchmarkMain.crudMock()) {
                assertThat(ClusterBenchmarkMain.fill(s.client(), 0, 20, Long.MAX_VALUE))
                        .isTrue();
                ClusterBenchmarkMain.OpTimes t = ClusterBenchmarkMain.createAndGet(s.client(), "probe", 10, 2);
                assertThat(t.creates()).hasSize(5);
                assertThat(s.client()
                                .batch()
                                .v1()
                                .jobs()
                                .inNamespace("default")
                                .list()
                                .getItems())
                        .hasSize(20 + 2 + 5);
            }
        }
    }

    @Test
    void bothServersAnswerAfterStart() {
        assertThat(ClusterBenchmarkMain.startToFirstAnswer(true)).isPositive();
        assertThat(ClusterBenchmarkMain.startToFirstAnswer(false)).isPositive();
    }
}
