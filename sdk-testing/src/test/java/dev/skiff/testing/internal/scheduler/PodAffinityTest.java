package dev.skiff.testing.internal.scheduler;

import static dev.skiff.testing.internal.scheduler.Fixtures.boundNode;
import static dev.skiff.testing.internal.scheduler.Fixtures.boundTo;
import static dev.skiff.testing.internal.scheduler.Fixtures.message;
import static dev.skiff.testing.internal.scheduler.Fixtures.noVictims;
import static dev.skiff.testing.internal.scheduler.Fixtures.node;
import static dev.skiff.testing.internal.scheduler.Fixtures.notHelpful;
import static dev.skiff.testing.internal.scheduler.Fixtures.pod;
import static dev.skiff.testing.internal.scheduler.Fixtures.schedule;
import static dev.skiff.testing.internal.scheduler.Fixtures.unschedulable;
import static dev.skiff.testing.internal.scheduler.Fixtures.withLabels;
import static dev.skiff.testing.internal.scheduler.Fixtures.withPriority;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodAffinityTest {
    static final String HOST = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";
    private static final String ANTI = "node(s) didn't match pod anti-affinity rules";
    private static final String AFFINITY = "node(s) didn't match pod affinity rules";
    private static final String EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules";

    /** A 4-cpu, 8Gi node labelled with its hostname and the given zone (none if null). */
    static Node host(String name, String zone) {
        Node n = withLabels(node(name, "cpu", "4", "memory", "8Gi"), HOST, name);
        return zone == null ? n : withLabels(n, ZONE, zone);
    }

    static LabelSelector app(String value) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of("app", value)).build();
    }

    static Pod labelled(String name, String namespace, String... labels) {
        Map<String, String> l = new java.util.LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return new PodBuilder(pod(name))
                .editMetadata()
                .withNamespace(namespace)
                .withLabels(l)
                .endMetadata()
                .build();
    }

    static Pod app(String name, String value) {
        return labelled(name, "default", "app", value);
    }

    static PodAffinityTerm term(LabelSelector selector, String topologyKey) {
        return new PodAffinityTermBuilder()
                .withLabelSelector(selector)
                .withTopologyKey(topologyKey)
                .build();
    }

    static Pod requiredAnti(Pod pod, PodAffinityTerm... terms) {
        return new PodBuilder(pod)
                .editSpec()
                .editOrNewAffinity()
                .withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(terms)
                .endPodAntiAffinity()
                .endAffinity()
                .endSpec()
                .build();
    }

    static Pod requiredAffinity(Pod pod, PodAffinityTerm... terms) {
        return new PodBuilder(pod)
                .editSpec()
                .editOrNewAffinity()
                .withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(terms)
                .endPodAffinity()
                .endAffinity()
                .endSpec()
                .build();
    }

    static Pod preferredAffinity(Pod pod, int weight, PodAffinityTerm term) {
        return new PodBuilder(pod)
                .editSpec()
                .editOrNewAffinity()
                .withNewPodAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term, weight))
                .endPodAffinity()
                .endAffinity()
                .endSpec()
                .build();
    }

    static Pod preferredAnti(Pod pod, int weight, PodAffinityTerm term) {
        return new PodBuilder(pod)
                .editSpec()
                .editOrNewAffinity()
                .withNewPodAntiAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term, weight))
                .endPodAntiAffinity()
                .endAffinity()
                .endSpec()
                .build();
    }

    private static final List<Node> TWO = List.of(host("n1", null), host("n2", null));

    @Test
    void requiredAntiAffinityAvoidsTheNodeOfAMatchingPod() {
        Pod rank = requiredAnti(app("rank-1", "rank"), term(app("rank"), HOST));
        assertThat(boundNode(schedule(rank, TWO, boundTo(app("rank-0", "rank"), "n1"))))
                .isEqualTo("n2");
    }

    @Test
    void requiredAntiAffinityEverywhereGivesItsMessageAndPreemptionFindsNoVictims() {
        Pod rank = requiredAnti(app("rank-2", "rank"), term(app("rank"), HOST));
        var d = schedule(rank, TWO, boundTo(app("rank-0", "rank"), "n1"), boundTo(app("rank-1", "rank"), "n2"));
        assertThat(message(d)).isEqualTo(noVictims(2, "2 " + ANTI));
        assertThat(unschedulable(d).reasonCounts()).containsExactly(Map.entry(ANTI, 2));
    }

    @Test
    void antiAffinityCanBeResolvedByEvictingALowerPriorityPod() {
        Pod rank = withPriority(requiredAnti(app("rank-1", "rank"), term(app("rank"), HOST)), 100);
        var d = schedule(rank, List.of(host("n1", null)), boundTo(app("rank-0", "rank"), "n1"));
        assertThat(unschedulable(d).preemptionNodes()).containsExactly("n1");
        assertThat(message(d)).isEqualTo("0/1 nodes are available: 1 " + ANTI + ".");
    }

    @Test
    void antiAffinityBySomeoneElsesSelectorIgnoresOtherPods() {
        Pod rank = requiredAnti(app("rank-1", "rank"), term(app("rank"), HOST));
        assertThat(boundNode(schedule(rank, List.of(host("n1", null)), boundTo(app("web", "web"), "n1"))))
                .isEqualTo("n1");
    }

    @Test
    void antiAffinityOverZonesKeepsTheWholeZoneFree() {
        List<Node> nodes = List.of(host("n1", "a"), host("n2", "a"), host("n3", "b"));
        Pod rank = requiredAnti(app("rank-1", "rank"), term(app("rank"), ZONE));
        assertThat(boundNode(schedule(rank, nodes, boundTo(app("rank-0", "rank"), "n1"))))
                .isEqualTo("n3");
    }

    @Test
    void antiAffinityIgnoresNodesWithoutTheTopologyKey() {
        Pod rank = requiredAnti(app("rank-1", "rank"), term(app("rank"), ZONE));
        assertThat(boundNode(schedule(rank, List.of(host("n1", null)), boundTo(app("rank-0", "rank"), "n1"))))
                .isEqualTo("n1");
    }

    @Test
    void existingPodsAntiAffinityKeepsMatchingPodsAway() {
        Pod loner = requiredAnti(app("loner", "loner"), term(app("web"), HOST));
        var d = schedule(app("web", "web"), List.of(host("n1", null)), boundTo(loner, "n1"));
        assertThat(message(d)).isEqualTo(noVictims(1, "1 " + EXISTING));
        assertThat(boundNode(schedule(app("web", "web"), TWO, boundTo(loner, "n1"))))
                .isEqualTo("n2");
    }

    @Test
    void existingPodsAntiAffinityOnlyCoversItsOwnNamespaceByDefault() {
        Pod loner = requiredAnti(labelled("loner", "other", "app", "loner"), term(app("web"), HOST));
        assertThat(boundNode(schedule(app("web", "web"), List.of(host("n1", null)), boundTo(loner, "n1"))))
                .isEqualTo("n1");
    }

    @Test
    void namedNamespacesWidenTheTerm() {
        PodAffinityTerm t = term(app("rank"), HOST);
        t.setNamespaces(List.of("other"));
        Pod rank = requiredAnti(app("rank-1", "rank"), t);
        var d = schedule(rank, List.of(host("n1", null)), boundTo(labelled("rank-0", "other", "app", "rank"), "n1"));
        assertThat(message(d)).isEqualTo(noVictims(1, "1 " + ANTI));
        // and leave out the pod's own namespace
        assertThat(boundNode(schedule(rank, List.of(host("n1", null)), boundTo(app("rank-0", "rank"), "n1"))))
                .isEqualTo("n1");
    }

    @Test
    void namespaceSelectorPicksNamespacesByLabel() {
        PodAffinityTerm t = term(app("rank"), HOST);
        t.setNamespaceSelector(
                new LabelSelectorBuilder().withMatchLabels(Map.of("team", "a")).build());
        Pod rank = requiredAnti(app("rank-1", "rank"), t);
        ClusterState state = ClusterState.of(
                List.of(host("n1", null), host("n2", null)),
                List.of(
                        boundTo(labelled("a-0", "team-a", "app", "rank"), "n1"),
                        boundTo(labelled("b-0", "team-b", "app", "rank"), "n2")));
        state.putNamespace("team-a", Map.of("team", "a"));
        state.putNamespace("team-b", Map.of("team", "b"));
        assertThat(boundNode(state.schedule(rank))).isEqualTo("n2");
        state.putNamespace("team-b", Map.of("team", "a"));
        assertThat(message(state.schedule(rank))).isEqualTo(noVictims(2, "2 " + ANTI));
        state.removeNamespace("team-a");
        assertThat(boundNode(state.schedule(rank))).isEqualTo("n1");
    }

    @Test
    void emptyNamespaceSelectorMeansAllNamespaces() {
        PodAffinityTerm t = term(app("rank"), HOST);
        t.setNamespaceSelector(new LabelSelector());
        Pod rank = requiredAnti(app("rank-1", "rank"), t);
        var d = schedule(
                rank, List.of(host("n1", null)), boundTo(labelled("rank-0", "elsewhere", "app", "rank"), "n1"));
        assertThat(message(d)).isEqualTo(noVictims(1, "1 " + ANTI));
    }

    @Test
    void requiredAffinityFollowsTheMatchingPod() {
        Pod sidecar = requiredAffinity(app("sidecar", "sidecar"), term(app("leader"), HOST));
        assertThat(boundNode(schedule(sidecar, TWO, boundTo(app("leader", "leader"), "n2"))))
                .isEqualTo("n2");
    }

    @Test
    void requiredAffinityWithoutAMatchingPodIsUnresolvable() {
        Pod sidecar = requiredAffinity(app("sidecar", "sidecar"), term(app("leader"), HOST));
        var d = schedule(sidecar, TWO, boundTo(app("web", "web"), "n1"));
        assertThat(message(d)).isEqualTo(notHelpful(2, "2 " + AFFINITY));
    }

    @Test
    void theFirstPodOfASelfAffineGroupLandsAnywhereAndTheNextFollow() {
        Pod first = requiredAffinity(app("rank-0", "rank"), term(app("rank"), HOST));
        assertThat(boundNode(schedule(first, TWO))).isEqualTo("n1");
        Pod second = requiredAffinity(app("rank-1", "rank"), term(app("rank"), HOST));
        assertThat(boundNode(schedule(second, TWO, boundTo(app("rank-0", "rank"), "n2"))))
                .isEqualTo("n2");
    }

    @Test
    void requiredAffinityNeedsTheTopologyKeyOnTheNode() {
        List<Node> nodes = List.of(host("n1", "a"), host("n2", null));
        Pod first = requiredAffinity(app("rank-0", "rank"), term(app("rank"), ZONE));
        var d = schedule(first, List.of(host("n2", null)));
        assertThat(message(d)).isEqualTo(notHelpful(1, "1 " + AFFINITY));
        assertThat(boundNode(schedule(first, nodes))).isEqualTo("n1");
    }

    @Test
    void zoneAffinityAcceptsEveryNodeOfTheZone() {
        List<Node> nodes = List.of(host("n1", "a"), host("n2", "b"), host("n3", "b"));
        Pod sidecar = requiredAffinity(app("sidecar", "sidecar"), term(app("leader"), ZONE));
        var d = schedule(
                sidecar,
                nodes,
                boundTo(app("leader", "leader"), "n2"),
                boundTo(labelled("filler", "default", "x", "y"), "n2"));
        assertThat(boundNode(d)).isEqualTo("n3");
    }

    @Test
    void matchLabelKeysNarrowsTheSelectorToThePodsOwnValue() {
        PodAffinityTerm t = term(app("rank"), HOST);
        t.setMatchLabelKeys(List.of("job"));
        Pod rank = requiredAnti(labelled("a-1", "default", "app", "rank", "job", "a"), t);
        Pod otherJob = labelled("b-0", "default", "app", "rank", "job", "b");
        Pod sameJob = labelled("a-0", "default", "app", "rank", "job", "a");
        assertThat(boundNode(schedule(rank, List.of(host("n1", null)), boundTo(otherJob, "n1"))))
                .isEqualTo("n1");
        assertThat(message(schedule(rank, List.of(host("n1", null)), boundTo(sameJob, "n1"))))
                .isEqualTo(noVictims(1, "1 " + ANTI));
    }

    @Test
    void mismatchLabelKeysExcludesThePodsOwnValue() {
        PodAffinityTerm t = term(app("rank"), HOST);
        t.setMismatchLabelKeys(List.of("job"));
        Pod rank = requiredAnti(labelled("a-1", "default", "app", "rank", "job", "a"), t);
        Pod otherJob = labelled("b-0", "default", "app", "rank", "job", "b");
        Pod sameJob = labelled("a-0", "default", "app", "rank", "job", "a");
        assertThat(boundNode(schedule(rank, List.of(host("n1", null)), boundTo(sameJob, "n1"))))
                .isEqualTo("n1");
        assertThat(message(schedule(rank, List.of(host("n1", null)), boundTo(otherJob, "n1"))))
                .isEqualTo(noVictims(1, "1 " + ANTI));
    }

    /** n2 is busier than n1, so resource scoring alone picks n1. */
    private static Pod busy() {
        return boundTo(
                new PodBuilder(pod("busy", "cpu", "2", "memory", "4Gi"))
                        .editMetadata()
                        .withLabels(Map.of("app", "busy"))
                        .endMetadata()
                        .build(),
                "n2");
    }

    @Test
    void preferredAffinityOutweighsResourceScoring() {
        Pod cache = boundTo(app("cache", "cache"), "n2");
        assertThat(boundNode(schedule(app("plain", "x"), TWO, busy(), cache))).isEqualTo("n1");
        Pod near = preferredAffinity(app("near", "x"), 100, term(app("cache"), HOST));
        assertThat(boundNode(schedule(near, TWO, busy(), cache))).isEqualTo("n2");
    }

    @Test
    void preferredAntiAffinityOutweighsResourceScoring() {
        Pod cache = boundTo(app("cache", "cache"), "n1");
        Pod apart = preferredAnti(app("apart", "x"), 100, term(app("cache"), HOST));
        assertThat(boundNode(schedule(apart, TWO, busy(), cache))).isEqualTo("n2");
    }

    @Test
    void existingPodsPreferredAntiAffinityRepelsTheIncomingPod() {
        Pod shy = boundTo(preferredAnti(app("shy", "shy"), 100, term(app("x"), HOST)), "n1");
        assertThat(boundNode(schedule(app("incoming", "x"), TWO, busy(), shy))).isEqualTo("n2");
    }

    @Test
    void existingPodsRequiredAffinityAttractsTheIncomingPodWithWeightOne() {
        // hardPodAffinityWeight 1 normalizes to 100 on n2, worth 200 points against the resource
        // difference between an idle node and a half-used one
        Pod follower = boundTo(requiredAffinity(app("follower", "f"), term(app("x"), HOST)), "n2");
        assertThat(boundNode(schedule(app("incoming", "x"), TWO, busy(), follower)))
                .isEqualTo("n2");
    }
}
