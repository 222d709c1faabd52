package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.benchmarks.ClientBenchmarkMain.Side;
import dev.skiff.core.Skiff;
import dev.skiff.testing.InMemoryCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs tiny versions of {@link ClientBenchmarkMain}'s parts, to check the harness, not the timings. */
class ClientBenchmarkMainTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The Job stored for {@code name} after {@code create} ran on a fresh cluster with a fixed clock and seed. */
    private static Job storedAfter(java.util.function.Consumer<InMemoryCluster> create, String name) {
        try (InMemoryCluster cluster =
                InMemoryCluster.builder().startTime(START).seed(7).start()) {
            create.accept(cluster);
            return cluster.kubernetesClient()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(ClientBenchmarkMain.NAMESPACE)
                    .withName(name)
                    .get();
        }
    }

    @Test
    void theRawSideStoresTheJobSubmitStores() {
        Job bySkiff = storedAfter(c -> c.skiff().submit(ClientBenchmarkMain.job("same", true)), "same");
        Job byRaw = storedAfter(
                c -> ClientBenchmarkMain.rawCreate(
                        c.kubernetesClient(), ClientBenchmarkMain.rawJob(ClientBenchmarkMain.job("same", true))),
                "same");
        assertThat(byRaw.getSpec()).isEqualTo(bySkiff.getSpec());
        assertThat(byRaw.getMetadata().getLabels())
                .isEqualTo(bySkiff.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "skiff");
        assertThat(byRaw.getMetadata().getAnnotations())
                .isEqualTo(bySkiff.getMetadata().getAnnotations())
                .containsKey(Skiff.SPEC_HASH_ANNOTATION);
    }

    @Test
    void everySideIsTimedInEveryRound() {
        List<ClientBenchmarkMain.Times> round = ClientBenchmarkMain.submitRound(1, 6, 2, 4);
        assertThat(round).extracting(ClientBenchmarkMain.Times::side).containsExactlyInAnyOrder(Side.values());
        for (ClientBenchmarkMain.Times t : round) {
            assertThat(t.micros()).hasSize(6);
            assertThat(java.util.Arrays.stream(t.micros()).min().orElseThrow()).isPositive();
        }
    }

    @Test
    void submitAllAndTheRawLoopCreateEveryJob() throws Exception {
        ClientBenchmarkMain.AllRound r = ClientBenchmarkMain.submitAllRound(2, 20, 5);
        assertThat(r.rawSeconds()).isPositive();
        assertThat(r.skiffSeconds()).isPositive();
        assertThat(r.unlimitedSeconds()).isPositive();
        assertThat(r.rawParallelSeconds()).isPositive();
    }

    @Test
    void followingCountsTheWatchAndEveryOtherRequest() throws Exception {
        ClientBenchmarkMain.FollowResult skiff = ClientBenchmarkMain.followWithSkiff(20, Duration.ofMillis(300));
        assertThat(skiff.finished()).isEqualTo(20);
        assertThat(skiff.creates()).isEqualTo(20);
        assertThat(skiff.watches()).isPositive();
        assertThat(skiff.byVerb()).containsKeys("list", "watch");
        assertThat(skiff.others())
                .isEqualTo(skiff.byVerb().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum());

        ClientBenchmarkMain.FollowResult poll =
                ClientBenchmarkMain.followByPolling(20, Duration.ofMillis(300), Duration.ofMillis(200));
        assertThat(poll.finished()).isEqualTo(20);
        assertThat(poll.creates()).isEqualTo(20);
        assertThat(poll.watches()).isZero();
        // at least one GET per job before the end, and one that sees it Complete
        assertThat(poll.byVerb().get("get")).isGreaterThanOrEqualTo(40);
    }

    @Test
    void theHeapPartFollowsEveryJobWithoutReadingThemOneByOne() throws Exception {
        ClientBenchmarkMain.HeapResult h = ClientBenchmarkMain.heap(200, Duration.ofSeconds(2));
        assertThat(h.jobs()).isEqualTo(200);
        assertThat(h.pending()).isEqualTo(200);
        assertThat(h.gets()).isZero();
        assertThat(h.before()).isPositive();
        assertThat(h.following()).isPositive();
        assertThat(h.peakThreads()).isPositive();
    }
}
