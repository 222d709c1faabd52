package dev.skiff.testing.internal.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.ResourceTypes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The recorder fed changes directly: GPU numbering, bounds, and a run of 10,000 pods. */
class TimelineRecorderTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final AtomicReference<Instant> clock = new AtomicReference<>(T0);
    long version = 1;

    void tick(Duration d) {
        clock.set(clock.get().plus(d));
    }

    static Node node(String name, int gpus) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withAllocatable(
                        Map.of("cpu", new Quantity("32"), "nvidia.com/gpu", new Quantity(Integer.toString(gpus))))
                .endStatus()
                .build();
    }

    static Pod pod(String name, int gpus, String nodeName, String phase) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("ns")
                .withUid("uid-" + name)
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .addNewContainer()
                .withName("main")
                .withNewResources()
                .withLimits(gpus == 0 ? Map.of() : Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus))))
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }

    void add(TimelineRecorder r, Node n) {
        r.accept(new Change(++version, Change.Type.ADDED, ResourceTypes.NODES, n, null));
    }

    void create(TimelineRecorder r, String name, int gpus) {
        r.accept(new Change(++version, Change.Type.ADDED, ResourceTypes.PODS, pod(name, gpus, null, "Pending"), null));
    }

    void modify(TimelineRecorder r, String name, int gpus, String node, String phase) {
        r.accept(new Change(++version, Change.Type.MODIFIED, ResourceTypes.PODS, pod(name, gpus, node, phase), null));
    }

    static Timeline.PodSpan span(Timeline t, String name) {
        return t.pods().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void givesEachPodTheLowestFreeGpusOfItsNodeAndFreesThemWhenItEnds() {
        TimelineRecorder r = new TimelineRecorder(clock::get);
        add(r, node("n", 4));
        create(r, "a", 2);
        create(r, "b", 1);
        modify(r, "a", 2, "n", "Pending");
        modify(r, "b", 1, "n", "Running");
        tick(Duration.ofSeconds(10));
        modify(r, "a", 2, "n", "Succeeded");
        create(r, "c", 2);
        create(r, "d", 2);
        modify(r, "c", 2, "n", "Running");
        // more than the node has: numbered on, and the node gets a lane for each
        modify(r, "d", 2, "n", "Running");
        Timeline t = r.snapshot();
        assertThat(span(t, "a").gpus()).containsExactly(0, 1);
        assertThat(span(t, "a").outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(span(t, "a").ended()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
        assertThat(span(t, "b").gpus()).containsExactly(2);
        assertThat(span(t, "c").gpus()).containsExactly(0, 1);
        assertThat(span(t, "d").gpus()).containsExactly(3, 4);
        assertThat(span(t, "d").outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(t.nodes()).containsExactly(new Timeline.Node("n", 5));
        // one step per instant, the last change at it winning: 3 GPUs from T0, 5 from T0 + 10 s
        assertThat(t.utilisation()).extracting(Timeline.UtilisationStep::inUse).containsExactly(3, 5);
        assertThat(t.utilisation()).extracting(Timeline.UtilisationStep::total).containsOnly(4);
    }

    @Test
    void forgetsTheOldestFinishedPodsAndMergesStepsPastItsBounds() {
        TimelineRecorder r = new TimelineRecorder(clock::get, 3, 8);
        add(r, node("n", 8));
        for (int i = 0; i < 40; i++) {
            String name = "p" + i;
            create(r, name, 1 + i % 8);
            modify(r, name, 1 + i % 8, "n", "Running");
            tick(Duration.ofSeconds(1));
            modify(r, name, 1 + i % 8, "n", i % 2 == 0 ? "Succeeded" : "Failed");
            tick(Duration.ofSeconds(1));
        }
        create(r, "live", 0);
        Timeline t = r.snapshot();
        assertThat(t.pods()).extracting(Timeline.PodSpan::name).containsExactly("p37", "p38", "p39", "live");
        assertThat(t.podsLeftOut()).isEqualTo(37);
        assertThat(t.utilisation()).hasSizeLessThanOrEqualTo(8);
        // merging keeps the peaks: every GPU was in use at some point
        assertThat(t.utilisation()).extracting(Timeline.UtilisationStep::inUse).contains(8);
        assertThat(TimelineHtml.render(t)).contains("37 earlier finished pods left out");
    }

    @Test
    void recordsAndRendersTenThousandPodsQuickly() {
        TimelineRecorder r = new TimelineRecorder(clock::get);
        for (int n = 0; n < 50; n++) {
            add(r, node("node-" + n, 8));
        }
        // the changes of 10,000 pods, each created, bound, started, and finished 200 pods later
        java.util.List<Change> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 10_200; i++) {
            if (i < 10_000) {
                String name = "pod-" + i;
                int gpus = i % 3 == 0 ? 0 : 1;
                String node = "node-" + (i % 50);
                changes.add(new Change(
                        ++version, Change.Type.ADDED, ResourceTypes.PODS, pod(name, gpus, null, "Pending"), null));
                changes.add(new Change(
                        ++version, Change.Type.MODIFIED, ResourceTypes.PODS, pod(name, gpus, node, "Pending"), null));
                changes.add(new Change(
                        ++version, Change.Type.MODIFIED, ResourceTypes.PODS, pod(name, gpus, node, "Running"), null));
            }
            if (i >= 200) {
                int j = i - 200;
                changes.add(new Change(
                        ++version,
                        Change.Type.MODIFIED,
                        ResourceTypes.PODS,
                        pod("pod-" + j, j % 3 == 0 ? 0 : 1, "node-" + (j % 50), "Succeeded"),
                        null));
            }
        }
        long began = System.nanoTime();
        int k = 0;
        for (Change c : changes) {
            if (++k % 4 == 0) {
                tick(Duration.ofSeconds(1));
            }
            r.accept(c);
        }
        long recorded = System.nanoTime();
        Timeline t = r.snapshot();
        String html = TimelineHtml.render(t);
        long rendered = System.nanoTime();
        assertThat(t.pods()).hasSize(10_000).allMatch(p -> p.outcome() == Outcome.SUCCEEDED);
        assertThat(html.split("<g class=\"pod ", -1)).hasSize(10_001);
        // generous bounds for a shared machine; on a quiet one both take a small fraction of this
        assertThat(Duration.ofNanos(recorded - began)).isLessThan(Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(rendered - recorded)).isLessThan(Duration.ofSeconds(5));
    }
}
