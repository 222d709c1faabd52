package dev.skiff.testing.internal.scheduler;

import static dev.skiff.testing.internal.scheduler.Fixtures.boundNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.boundTo;
import static dev.skiff.testing.internal.scheduler.Fixtures.message;
import static dev.skiff.testing.internal.scheduler.Fixtures.noVictims;
import static dev.skiff.testing.internal.scheduler.Fixtures.notHelpful;
import static dev.skiff.testing.internal.scheduler.Fixtures.pod;
import static dev.skiff.testing.internal.scheduler.Fixtures.schedule;
import static dev.skiff.testing.internal.scheduler.Fixtures.taint;
import static dev.skiff.testing.internal.scheduler.Fixtures.withLabels;
import static dev.skiff.testing.internal.scheduler.Fixtures.withNodeSelector;
import static dev.skiff.testing.internal.scheduler.Fixtures.withTaints;
import static dev.skiff.testing.internal.scheduler.PodAffinityTest.HOST;
import static dev.skiff.testing.internal.scheduler.PodAffinityTest.ZONE;
import static dev.skiff.testing.internal.scheduler.PodAffinityTest.app;
import static dev.skiff.testing.internal.scheduler.PodAffinityTest.host;
import static dev.skiff.testing.internal.scheduler.PodAffinityTest.labelled;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TopologySpreadTest {
    private static final String SKEW = "node(s) didn't match pod topology spread constraints";
    private static final String MISSING = SKEW + " (missing required label)";
    private static final List<Node> TWO = List.of(host("n1", null), host("n2", null));

    private static TopologySpreadConstraint constraint(
            String key, String when, LabelSelector selector, UnaryOperator<TopologySpreadConstraintBuilder> more) {
        return more.apply(new TopologySpreadConstraintBuilder()
                        .withMaxSkew(1)
                        .withTopologyKey(key)
                        .withWhenUnsatisfiable(when)
                        .withLabelSelector(selector))
                .build();
    }

    private static Pod spread(Pod pod, TopologySpreadConstraint... constraints) {
        return new PodBuilder(pod)
                .editSpec()
                .withTopologySpreadConstraints(constraints)
                .endSpec()
                .build();
    }

    private static Pod worker(String name, String key) {
        return spread(app(name, "worker"), constraint(key, "DoNotSchedule", app("worker"), b -> b));
    }

    @Test
    void maxSkewOneAlternatesOverHostnames() {
        ClusterState state = ClusterState.of(TWO, List.of());
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Pod w = worker("w-" + i, HOST);
            String n = boundNode(state.schedule(w));
            placed.add(n);
            state.bind(boundTo(w, n));
        }
        assertThat(placed).containsExactly("n1", "n2", "n1", "n2");
    }

    @Test
    void tooMuchSkewGivesItsMessageAndPreemptionFindsNoVictims() {
        // n2 cannot take the pod for lack of cpu, n1 would be 2 ahead of n2
        List<Node> nodes = List.of(host("n1", null), withLabels(Fixtures.node("n2", "cpu", "1"), HOST, "n2"));
        Pod w = spread(
                new PodBuilder(pod("w-1", "cpu", "2"))
                        .editMetadata()
                        .withLabels(Map.of("app", "worker"))
                        .endMetadata()
                        .build(),
                constraint(HOST, "DoNotSchedule", app("worker"), b -> b));
        var d = schedule(w, nodes, boundTo(app("w-0", "worker"), "n1"));
        assertThat(message(d))
                .isEqualTo("0/2 nodes are available: 1 Insufficient cpu, 1 " + SKEW
                        + ". no new claims to deallocate, preemption: 0/2 nodes are available:"
                        + " 1 No preemption victims found for incoming pod,"
                        + " 1 Preemption is not helpful for scheduling.");
    }

    @Test
    void nodesWithoutTheKeyAreUnresolvable() {
        assertThat(message(schedule(worker("w-0", ZONE), TWO))).isEqualTo(notHelpful(2, "2 " + MISSING));
        List<Node> mixed = List.of(host("n1", "a"), host("n2", null));
        assertThat(boundNode(schedule(worker("w-0", ZONE), mixed))).isEqualTo("n1");
        var d = schedule(
                worker("w-1", ZONE),
                List.of(host("n1", "a"), host("n2", null), host("n3", "b")),
                boundTo(app("w-0", "worker"), "n1"));
        assertThat(boundNode(d)).isEqualTo("n3");
    }

    @Test
    void minDomainsCountsMissingDomainsAsEmpty() {
        Pod w = spread(
                app("w-2", "worker"), constraint(HOST, "DoNotSchedule", app("worker"), b -> b.withMinDomains(3)));
        Pod[] bound = {boundTo(app("w-0", "worker"), "n1"), boundTo(app("w-1", "worker"), "n2")};
        assertThat(message(schedule(w, TWO, bound))).isEqualTo(noVictims(2, "2 " + SKEW));
        Pod plain = spread(app("w-2", "worker"), constraint(HOST, "DoNotSchedule", app("worker"), b -> b));
        assertThat(boundNode(schedule(plain, TWO, bound))).isEqualTo("n1");
    }

    @Test
    void nodeAffinityPolicyHonorLeavesOutNodesThePodCannotUse() {
        List<Node> nodes = List.of(
                withLabels(host("n1", null), "pool", "a"),
                withLabels(host("n2", null), "pool", "a"),
                withLabels(host("n3", null), "pool", "b"));
        Pod[] bound = {boundTo(app("w-0", "worker"), "n1"), boundTo(app("w-1", "worker"), "n2")};
        Pod honor = withNodeSelector(worker("w-2", HOST), "pool", "a");
        assertThat(boundNode(schedule(honor, nodes, bound))).isEqualTo("n1");
        Pod ignore = withNodeSelector(
                spread(
                        app("w-2", "worker"),
                        constraint(HOST, "DoNotSchedule", app("worker"), b -> b.withNodeAffinityPolicy("Ignore"))),
                "pool",
                "a");
        assertThat(message(schedule(ignore, nodes, bound)))
                .isEqualTo("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 " + SKEW
                        + ". no new claims to deallocate, preemption: 0/3 nodes are available:"
                        + " 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming"
                        + " pod.");
    }

    @Test
    void nodeTaintsPolicyHonorLeavesOutTaintedNodes() {
        List<Node> nodes = List.of(
                host("n1", null), host("n2", null), withTaints(host("n3", null), taint("gpu", "x", "NoSchedule")));
        Pod[] bound = {boundTo(app("w-0", "worker"), "n1"), boundTo(app("w-1", "worker"), "n2")};
        assertThat(message(schedule(worker("w-2", HOST), nodes, bound)))
                .startsWith("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 " + SKEW + ".");
        Pod honor = spread(
                app("w-2", "worker"),
                constraint(HOST, "DoNotSchedule", app("worker"), b -> b.withNodeTaintsPolicy("Honor")));
        assertThat(boundNode(schedule(honor, nodes, bound))).isEqualTo("n1");
    }

    @Test
    void aPodOutsideTheSelectorAddsNoSkew() {
        Pod outsider = spread(app("o", "other"), constraint(HOST, "DoNotSchedule", app("worker"), b -> b));
        Pod[] bound = {boundTo(app("w-0", "worker"), "n1"), boundTo(app("w-1", "worker"), "n1")};
        // n1 is 2 ahead, but the pod does not count itself: 2 + 0 - 0 > 1 still fails there
        assertThat(boundNode(schedule(outsider, TWO, bound))).isEqualTo("n2");
        // counting n2 (nodeAffinityPolicy Ignore) keeps the minimum at 0: one pod on n1 is a skew of 1,
        // fine for a pod outside the selector, one too many for a pod inside it
        UnaryOperator<TopologySpreadConstraintBuilder> ignore = b -> b.withNodeAffinityPolicy("Ignore");
        Pod[] one = {boundTo(app("w-0", "worker"), "n1")};
        Pod outsiderOnN1 = withNodeSelector(
                spread(app("o", "other"), constraint(HOST, "DoNotSchedule", app("worker"), ignore)), HOST, "n1");
        assertThat(boundNode(schedule(outsiderOnN1, TWO, one))).isEqualTo("n1");
        Pod insiderOnN1 = withNodeSelector(
                spread(app("w-1", "worker"), constraint(HOST, "DoNotSchedule", app("worker"), ignore)), HOST, "n1");
        assertThat(message(schedule(insiderOnN1, TWO, one)))
                .startsWith("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 " + SKEW
                        + ".");
    }

    @Test
    void podsOfOtherNamespacesAndTerminatingPodsDoNotCount() {
        Pod elsewhere = boundTo(labelled("w-0", "other", "app", "worker"), "n1");
        Pod leaving = boundTo(
                new PodBuilder(app("w-1", "worker"))
                        .editMetadata()
                        .withDeletionTimestamp("2026-01-01T00:00:00Z")
                        .endMetadata()
                        .build(),
                "n1");
        Pod counted = boundTo(app("w-2", "worker"), "n2");
        // counted, they would make n1 2 and n2 1, sending the pod to n2; only n2's pod counts
        assertThat(boundNode(schedule(worker("w-3", HOST), TWO, elsewhere, leaving, counted)))
                .isEqualTo("n1");
    }

    @Test
    void anEmptySelectorCountsNothing() {
        Pod w = spread(app("w-2", "worker"), constraint(HOST, "DoNotSchedule", new LabelSelector(), b -> b));
        Pod[] bound = {boundTo(app("w-0", "worker"), "n1"), boundTo(app("w-1", "worker"), "n1")};
        assertThat(boundNode(schedule(w, List.of(host("n1", null), host("n2", null)), bound)))
                .isEqualTo("n2");
        assertThat(boundNode(schedule(w, List.of(host("n1", null)), bound))).isEqualTo("n1");
    }

    @Test
    void matchLabelKeysSpreadsEachJobOnItsOwn() {
        UnaryOperator<TopologySpreadConstraintBuilder> keys = b -> b.withMatchLabelKeys("job");
        Pod w = spread(
                labelled("a-1", "default", "app", "worker", "job", "a"),
                constraint(HOST, "DoNotSchedule", app("worker"), keys));
        // n2 is half used, so n1 wins unless the skew rules it out
        Pod busy = busyAndLight()[0];
        Pod[] otherJob = {
            busy,
            boundTo(labelled("b-0", "default", "app", "worker", "job", "b"), "n1"),
            boundTo(labelled("b-1", "default", "app", "worker", "job", "b"), "n1")
        };
        assertThat(boundNode(schedule(w, TWO, otherJob))).isEqualTo("n1");
        Pod[] sameJob = {
            busy,
            boundTo(labelled("a-0", "default", "app", "worker", "job", "a"), "n1"),
            boundTo(labelled("a-2", "default", "app", "worker", "job", "a"), "n1")
        };
        assertThat(boundNode(schedule(w, TWO, sameJob))).isEqualTo("n2");
    }

    /** n2 is busier than n1, and n1 holds two small worker pods. */
    private static Pod[] busyAndLight() {
        return new Pod[] {
            boundTo(
                    new PodBuilder(pod("busy", "cpu", "2", "memory", "4Gi"))
                            .editMetadata()
                            .withLabels(Map.of("app", "busy"))
                            .endMetadata()
                            .build(),
                    "n2"),
            boundTo(app("w-0", "worker"), "n1"),
            boundTo(app("w-1", "worker"), "n1")
        };
    }

    @Test
    void scheduleAnywayOutweighsResourceScoring() {
        assertThat(boundNode(schedule(app("plain", "worker"), TWO, busyAndLight())))
                .isEqualTo("n1");
        Pod soft = spread(app("w-2", "worker"), constraint(HOST, "ScheduleAnyway", app("worker"), b -> b));
        assertThat(boundNode(schedule(soft, TWO, busyAndLight()))).isEqualTo("n2");
    }

    @Test
    void scheduleAnywayIsNeverAFilter() {
        Pod soft = spread(app("w-2", "worker"), constraint(ZONE, "ScheduleAnyway", app("worker"), b -> b));
        assertThat(boundNode(schedule(soft, List.of(host("n1", null)), busyAndLight()[1])))
                .isEqualTo("n1");
    }

    @Test
    void defaultSpreadingAppliesOnlyWithASelector() {
        ClusterState state = ClusterState.of(TWO, List.of(busyAndLight()));
        Pod replica = app("w-2", "worker");
        assertThat(boundNode(state.schedule(replica))).isEqualTo("n1");
        assertThat(boundNode(state.schedule(replica, List.of(app("worker"))))).isEqualTo("n2");
        // a selector that matches none of the pods leaves resource scoring in charge
        assertThat(boundNode(state.schedule(replica, List.of(app("nobody"))))).isEqualTo("n1");
        // an explicit constraint switches the defaults off
        Pod hard = spread(app("w-2", "worker"), constraint(HOST, "DoNotSchedule", app("nobody"), b -> b));
        assertThat(boundNode(state.schedule(hard, List.of(app("worker"))))).isEqualTo("n1");
    }
}
