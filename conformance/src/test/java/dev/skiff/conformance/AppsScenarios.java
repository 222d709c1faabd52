package dev.skiff.conformance;

import static dev.skiff.conformance.ScenarioKit.WAIT;
import static dev.skiff.conformance.ScenarioKit.allPods;
import static dev.skiff.conformance.ScenarioKit.awaitEvents;
import static dev.skiff.conformance.ScenarioKit.eventMessages;
import static dev.skiff.conformance.ScenarioKit.names;
import static dev.skiff.conformance.ScenarioKit.node;
import static dev.skiff.conformance.ScenarioKit.pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Deployment and StatefulSet controllers on both targets: rolling updates and rollbacks,
 * conditions and events, pausing, Recreate, the scale subresource, ordered and parallel pod
 * management, scale-down order, claims from volumeClaimTemplates, revisions.
 */
class AppsScenarios {
    static Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    // ---- Deployments -----------------------------------------------------------------------------

    private static Deployment deployment(String name, int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Deployment getDeployment(Target t, String name) {
        return t.client()
                .apps()
                .deployments()
                .inNamespace(t.namespace())
                .withName(name)
                .get();
    }

    private static Deployment editDeployment(Target t, String name, UnaryOperator<Deployment> edit) {
        return ScenarioKit.retryOnConflict(() -> t.client()
                .apps()
                .deployments()
                .inNamespace(t.namespace())
                .withName(name)
                .edit(edit));
    }

    private static Deployment setImage(Target t, String name, String image) {
        return editDeployment(t, name, d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
            return d;
        });
    }

    private static List<ReplicaSet> replicaSets(Target t) {
        return t.client().apps().replicaSets().inNamespace(t.namespace()).list().getItems().stream()
                .sorted(Comparator.comparing((ReplicaSet r) ->
                        Integer.parseInt(revision(r.getMetadata().getAnnotations()))))
                .toList();
    }

    private static String revision(Map<String, String> annotations) {
        return annotations == null ? "0" : annotations.getOrDefault("deployment.kubernetes.io/revision", "0");
    }

    private static ReplicaSet withImage(Target t, String image) {
        return replicaSets(t).stream()
                .filter(r -> r.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()
                        .equals(image))
                .findFirst()
                .orElseThrow();
    }

    /** Rolled out: the latest generation observed, every replica updated and available, nothing else. */
    private static boolean rolledOut(Target t, String name, int replicas) {
        Deployment d = getDeployment(t, name);
        var s = d.getStatus();
        return s != null
                && d.getMetadata().getGeneration().equals(s.getObservedGeneration())
                && Integer.valueOf(replicas).equals(s.getUpdatedReplicas())
                && Integer.valueOf(replicas).equals(s.getAvailableReplicas())
                && Integer.valueOf(replicas).equals(s.getReplicas())
                && allPods(t).stream()
                                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                                .count()
                        == replicas;
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private static String hashOf(ReplicaSet rs) {
        return rs.getMetadata().getLabels().get("pod-template-hash");
    }

    @ParameterizedTest(name = "[{0}] apps/deployment rolling update: new ReplicaSet, old scaled to 0, revision 2")
    @MethodSource("kinds")
    void rollingUpdate(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            t.client()
                    .apps()
                    .deployments()
                    .inNamespace(t.namespace())
                    .resource(deployment("web", 2, "busybox:1.36"))
                    .create();
            t.await("rolled out", WAIT, () -> rolledOut(t, "web", 2));
            setImage(t, "web", "busybox:1.37");
            t.await(
                    "rolled out again",
                    WAIT,
                    () -> rolledOut(t, "web", 2) && replicaSets(t).size() == 2);
            Deployment d = getDeployment(t, "web");
            assertThat(d.getMetadata().getGeneration()).isEqualTo(2L);
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(2L);
            assertThat(revision(d.getMetadata().getAnnotations())).isEqualTo("2");
            ReplicaSet old = withImage(t, "busybox:1.36");
            ReplicaSet fresh = withImage(t, "busybox:1.37");
            assertThat(revision(old.getMetadata().getAnnotations())).isEqualTo("1");
            assertThat(revision(fresh.getMetadata().getAnnotations())).isEqualTo("2");
            assertThat(old.getSpec().getReplicas()).isZero();
            assertThat(fresh.getSpec().getReplicas()).isEqualTo(2);
            assertThat(fresh.getMetadata().getName()).isEqualTo("web-" + hashOf(fresh));
            t.await("old pods gone", WAIT, () -> allPods(t).size() == 2);
            assertThat(allPods(t))
                    .allMatch(p ->
                            hashOf(fresh).equals(p.getMetadata().getLabels().get("pod-template-hash")));
            assertThat(fresh.getMetadata().getAnnotations())
                    .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
                    .containsEntry("deployment.kubernetes.io/max-replicas", "3");
        }
    }

    @ParameterizedTest(name = "[{0}] apps/deployment rollback by template: the old ReplicaSet is reused as revision 3")
    @MethodSource("kinds")
    void rollback(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            t.client()
                    .apps()
                    .deployments()
                    .inNamespace(t.namespace())
                    .resource(deployment("web", 1, "busybox:1.36"))
                    .create();
            t.await("rolled out", WAIT, () -> rolledOut(t, "web", 1));
            setImage(t, "web", "busybox:1.37");
            t.await(
                    "revision 2",
                    WAIT,
                    () -> rolledOut(t, "web", 1) && replicaSets(t).size() == 2);
            String firstName = withImage(t, "busybox:1.36").getMetadata().getName();
            setImage(t, "web", "busybox:1.36");
            t.await(
                    "revision 3",
                    WAIT,
                    () -> rolledOut(t, "web", 1)
                            && "3"
                                    .equals(revision(getDeployment(t, "web")
                                            .getMetadata()
                                            .getAnnotations())));
            assertThat(replicaSets(t)).hasSize(2);
            ReplicaSet reused = withImage(t, "busybox:1.36");
            assertThat(reused.getMetadata().getName()).isEqualTo(firstName);
            assertThat(reused.getMetadata().getAnnotations())
                    .containsEntry("deployment.kubernetes.io/revision", "3")
                    .containsEntry("deployment.kubernetes.io/revision-history", "1");
            assertThat(reused.getSpec().getReplicas()).isEqualTo(1);
            assertThat(withImage(t, "busybox:1.37").getSpec().getReplicas()).isZero();
        }
    }

    @ParameterizedTest(name = "[{0}] apps/deployment conditions and ScalingReplicaSet events")
    @MethodSource("kinds")
    void deploymentConditions(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            t.client()
                    .apps()
                    .deployments()
                    .inNamespace(t.namespace())
                    .resource(deployment("web", 2, "busybox:1.36"))
                    .create();
            t.await(
                    "NewReplicaSetAvailable",
                    WAIT,
                    () -> rolledOut(t, "web", 2)
                            && "NewReplicaSetAvailable"
                                    .equals(condition(getDeployment(t, "web"), "Progressing")
                                            .getReason()));
            Deployment d = getDeployment(t, "web");
            String rs = replicaSets(t).get(0).getMetadata().getName();
            DeploymentCondition available = condition(d, "Available");
            assertThat(available.getStatus()).isEqualTo("True");
            assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
            assertThat(available.getMessage()).isEqualTo("Deployment has minimum availability.");
            DeploymentCondition progressing = condition(d, "Progressing");
            assertThat(progressing.getStatus()).isEqualTo("True");
            assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"" + rs + "\" has successfully progressed.");
            assertThat(awaitEvents(t, "Deployment", "web", "ScalingReplicaSet", 1))
                    .containsExactly("Scaled up replica set " + rs + " from 0 to 2");
            t.await(
                    "SuccessfulCreate events",
                    WAIT,
                    () -> eventMessages(t, "ReplicaSet", rs, "SuccessfulCreate").size() == 2);
            assertThat(eventMessages(t, "ReplicaSet", rs, "SuccessfulCreate"))
                    .allMatch(m -> m.startsWith("Created pod: " + rs + "-"));
        }
    }

    @ParameterizedTest(name = "[{0}] apps/paused deployment: no new ReplicaSet, Progressing DeploymentPaused")
    @MethodSource("kinds")
    void pausedDeployment(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            t.client()
                    .apps()
                    .deployments()
                    .inNamespace(t.namespace())
                    .resource(deployment("web", 1, "busybox:1.36"))
                    .create();
            t.await("rolled out", WAIT, () -> rolledOut(t, "web", 1));
            editDeployment(t, "web", d -> {
                d.getSpec().setPaused(true);
                return d;
            });
            setImage(t, "web", "busybox:1.37");
            t.await(
                    "DeploymentPaused",
                    WAIT,
                    () -> "DeploymentPaused"
                            .equals(condition(getDeployment(t, "web"), "Progressing")
                                    .getReason()));
            DeploymentCondition c = condition(getDeployment(t, "web"), "Progressing");
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getMessage()).isEqualTo("Deployment is paused");
            pass(t, java.time.Duration.ofSeconds(2));
            assertThat(replicaSets(t)).hasSize(1);
            editDeployment(t, "web", d -> {
                d.getSpec().setPaused(false);
                return d;
            });
            t.await(
                    "rolled out after resume",
                    WAIT,
                    () -> rolledOut(t, "web", 1) && replicaSets(t).size() == 2);
        }
    }

    @ParameterizedTest(name = "[{0}] apps/deployment Recreate: old ReplicaSet scaled down before the new one up")
    @MethodSource("kinds")
    void recreate(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            Deployment d = deployment("web", 2, "busybox:1.36");
            d.getSpec()
                    .setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                            .withType("Recreate")
                            .build());
            t.client()
                    .apps()
                    .deployments()
                    .inNamespace(t.namespace())
                    .resource(d)
                    .create();
            t.await("rolled out", WAIT, () -> rolledOut(t, "web", 2));
            String oldRs = replicaSets(t).get(0).getMetadata().getName();
            setImage(t, "web", "busybox:1.37");
            List<String> seen = new ArrayList<>();
            t.await("rolled out again", WAIT, () -> {
                // never old and new pods running together
                var hashes = allPods(t).stream()
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .map(p -> p.getMetadata().getLabels().get("pod-template-hash"))
                        .distinct()
                        .count();
                if (hashes > 1) {
                    seen.add("mixed");
                }
                return rolledOut(t, "web", 2) && replicaSets(t).size() == 2;
            });
            assertThat(seen).isEmpty();
            String newRs = withImage(t, "busybox:1.37").getMetadata().getName();
            assertThat(awaitEvents(t, "Deployment", "web", "ScalingReplicaSet", 3))
                    .contains(
                            "Scaled down replica set " + oldRs + " from 2 to 0",
                            "Scaled up replica set " + newRs + " from 0 to 2");
        }
    }

    @ParameterizedTest(name = "[{0}] apps/deployment scale subresource")
    @MethodSource("kinds")
    void scaleSubresource(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            t.client()
                    .apps()
                    .deployments()
                    .inNamespace(t.namespace())
                    .resource(deployment("web", 1, "busybox:1.36"))
                    .create();
            t.await("rolled out", WAIT, () -> rolledOut(t, "web", 1));
            var a = ScenarioKit.send(
                    t,
                    "PATCH",
                    "apis/apps/v1/namespaces/" + t.namespace() + "/deployments/web/scale",
                    "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":3}}");
            assertThat(a.code()).isEqualTo(200);
            assertThat(a.body()).contains("\"kind\":\"Scale\"").contains("\"replicas\":3");
            t.await("three", WAIT, () -> rolledOut(t, "web", 3));
            var scale = ScenarioKit.send(
                    t, "GET", "apis/apps/v1/namespaces/" + t.namespace() + "/deployments/web/scale", null, null);
            assertThat(scale.body()).contains("\"selector\":\"app=web\"");
            assertThat(getDeployment(t, "web").getSpec().getReplicas()).isEqualTo(3);
        }
    }

    // ---- StatefulSets ----------------------------------------------------------------------------

    private static StatefulSet statefulSet(String name, int replicas, String policy) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(name)
                .withPodManagementPolicy(policy)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static void createSet(Target t, StatefulSet s) {
        t.client().apps().statefulSets().inNamespace(t.namespace()).resource(s).create();
    }

    private static StatefulSet getSet(Target t, String name) {
        return t.client()
                .apps()
                .statefulSets()
                .inNamespace(t.namespace())
                .withName(name)
                .get();
    }

    /** Watches the namespace's pods and records the order in which they are deleted. */
    private static final class Deletions implements AutoCloseable {
        private final List<String> deleted = java.util.Collections.synchronizedList(new ArrayList<>());
        private final io.fabric8.kubernetes.client.Watch watch;

        Deletions(Target t) {
            String rv = t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .list()
                    .getMetadata()
                    .getResourceVersion();
            watch = t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .withResourceVersion(rv)
                    .watch(new io.fabric8.kubernetes.client.Watcher<Pod>() {
                        @Override
                        public void eventReceived(Action action, Pod pod) {
                            String name = pod.getMetadata().getName();
                            if (action == Action.DELETED && !deleted.contains(name)) {
                                deleted.add(name);
                            }
                        }

                        @Override
                        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                    });
        }

        List<String> order() {
            return List.copyOf(deleted);
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    private static List<String> podNames(Target t) {
        return names(allPods(t));
    }

    private static boolean readyReplicas(Target t, String name, int n) {
        StatefulSet s = getSet(t, name);
        return s.getStatus() != null
                && Integer.valueOf(n).equals(s.getStatus().getReadyReplicas())
                && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration());
    }

    @ParameterizedTest(name = "[{0}] apps/statefulset OrderedReady: web-1 waits until web-0 is Ready")
    @MethodSource("kinds")
    void orderedReady(Target.Kind kind) {
        try (Target t = kind.open()) {
            // no node yet: web-0 stays Pending and not Ready
            createSet(t, statefulSet("web", 3, "OrderedReady"));
            t.await("web-0", WAIT, () -> podNames(t).contains("web-0"));
            pass(t, java.time.Duration.ofSeconds(3));
            assertThat(podNames(t)).containsExactly("web-0");
            t.addNode(node(t));
            t.await("three ready", WAIT, () -> readyReplicas(t, "web", 3));
            assertThat(podNames(t)).containsExactly("web-0", "web-1", "web-2");
            assertThat(awaitEvents(t, "StatefulSet", "web", "SuccessfulCreate", 3))
                    .containsExactlyInAnyOrder(
                            "Create Pod web-0 in StatefulSet web successful",
                            "Create Pod web-1 in StatefulSet web successful",
                            "Create Pod web-2 in StatefulSet web successful");
        }
    }

    @ParameterizedTest(name = "[{0}] apps/statefulset Parallel: every pod at once")
    @MethodSource("kinds")
    void parallelPods(Target.Kind kind) {
        try (Target t = kind.open()) {
            createSet(t, statefulSet("web", 3, "Parallel"));
            t.await("three pods", WAIT, () -> podNames(t).size() == 3);
            assertThat(podNames(t)).containsExactly("web-0", "web-1", "web-2");
            assertThat(allPods(t)).allMatch(p -> "Pending".equals(p.getStatus().getPhase()));
        }
    }

    @ParameterizedTest(name = "[{0}] apps/statefulset scale down: highest ordinal first, one at a time")
    @MethodSource("kinds")
    void scaleDownOrder(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            createSet(t, statefulSet("web", 3, "OrderedReady"));
            t.await("three ready", WAIT, () -> readyReplicas(t, "web", 3));
            try (var deletions = new Deletions(t)) {
                ScenarioKit.retryOnConflict(() -> t.client()
                        .apps()
                        .statefulSets()
                        .inNamespace(t.namespace())
                        .withName("web")
                        .scale(1));
                t.await("one left", WAIT, () -> podNames(t).equals(List.of("web-0")) && readyReplicas(t, "web", 1));
                t.await("two deletions seen", WAIT, () -> deletions.order().size() >= 2);
                assertThat(deletions.order()).containsExactly("web-2", "web-1");
            }
            assertThat(awaitEvents(t, "StatefulSet", "web", "SuccessfulDelete", 2))
                    .containsExactlyInAnyOrder(
                            "Delete Pod web-2 in StatefulSet web successful",
                            "Delete Pod web-1 in StatefulSet web successful");
        }
    }

    @ParameterizedTest(name = "[{0}] apps/statefulset volumeClaimTemplates: one claim per pod, retained")
    @MethodSource("kinds")
    void volumeClaims(Target.Kind kind) {
        try (Target t = kind.open()) {
            StatefulSet s = statefulSet("db", 2, "Parallel");
            s.getSpec()
                    .setVolumeClaimTemplates(List.of(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                            .withNewMetadata()
                            .withName("data")
                            .addToLabels("disk", "fast")
                            .endMetadata()
                            .withNewSpec()
                            .withAccessModes("ReadWriteOnce")
                            .withNewResources()
                            .addToRequests("storage", new Quantity("1Gi"))
                            .endResources()
                            .endSpec()
                            .build()));
            createSet(t, s);
            t.await("two pods", WAIT, () -> podNames(t).size() == 2);
            var claims = t.client()
                    .persistentVolumeClaims()
                    .inNamespace(t.namespace())
                    .list()
                    .getItems();
            assertThat(names(claims)).containsExactly("data-db-0", "data-db-1");
            assertThat(claims).allSatisfy(c -> {
                assertThat(c.getMetadata().getLabels())
                        .containsEntry("app", "db")
                        .containsEntry("disk", "fast");
                assertThat(c.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
                assertThat(c.getSpec().getResources().getRequests().get("storage"))
                        .isEqualTo(new Quantity("1Gi"));
                assertThat(c.getMetadata().getOwnerReferences()).isNullOrEmpty();
            });
            Pod p0 = t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .withName("db-0")
                    .get();
            assertThat(p0.getSpec().getVolumes())
                    .anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                            .isEqualTo("data-db-0"));
            assertThat(awaitEvents(t, "StatefulSet", "db", "SuccessfulCreate", 4))
                    .contains("Create Claim data-db-0 Pod db-0 in StatefulSet db success");
        }
    }

    @ParameterizedTest(name = "[{0}] apps/statefulset pod identity labels, hostname and revisions")
    @MethodSource("kinds")
    void podIdentity(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            createSet(t, statefulSet("web", 2, "OrderedReady"));
            t.await("two ready", WAIT, () -> readyReplicas(t, "web", 2));
            StatefulSet s = getSet(t, "web");
            String revision = s.getStatus().getCurrentRevision();
            assertThat(revision).startsWith("web-");
            assertThat(s.getStatus().getUpdateRevision()).isEqualTo(revision);
            assertThat(s.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(s.getStatus().getCurrentReplicas()).isEqualTo(2);
            assertThat(s.getStatus().getUpdatedReplicas()).isEqualTo(2);
            Pod p1 = t.client()
                    .pods()
                    .inNamespace(t.namespace())
                    .withName("web-1")
                    .get();
            assertThat(p1.getMetadata().getLabels())
                    .containsEntry("controller-revision-hash", revision)
                    .containsEntry("statefulset.kubernetes.io/pod-name", "web-1")
                    .containsEntry("apps.kubernetes.io/pod-index", "1");
            assertThat(p1.getSpec().getHostname()).isEqualTo("web-1");
            assertThat(p1.getSpec().getSubdomain()).isEqualTo("web");
            List<ControllerRevision> revisions = t.client()
                    .apps()
                    .controllerRevisions()
                    .inNamespace(t.namespace())
                    .list()
                    .getItems();
            assertThat(revisions).singleElement().satisfies(r -> {
                assertThat(r.getMetadata().getName()).isEqualTo(revision);
                assertThat(r.getRevision()).isEqualTo(1L);
                assertThat(r.getMetadata().getLabels()).containsEntry("app", "web");
            });
        }
    }

    @ParameterizedTest(
            name = "[{0}] apps/statefulset rolling update: pods replaced from the highest ordinal, revision 2")
    @MethodSource("kinds")
    void statefulRollingUpdate(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            createSet(t, statefulSet("web", 2, "OrderedReady"));
            t.await("two ready", WAIT, () -> readyReplicas(t, "web", 2));
            String before = getSet(t, "web").getStatus().getCurrentRevision();
            try (var deletions = new Deletions(t)) {
                ScenarioKit.retryOnConflict(() -> t.client()
                        .apps()
                        .statefulSets()
                        .inNamespace(t.namespace())
                        .withName("web")
                        .edit(s -> {
                            s.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .setImage("busybox:1.37");
                            return s;
                        }));
                t.await("updated", WAIT, () -> {
                    StatefulSet s = getSet(t, "web");
                    return readyReplicas(t, "web", 2)
                            && !before.equals(s.getStatus().getUpdateRevision())
                            && s.getStatus()
                                    .getUpdateRevision()
                                    .equals(s.getStatus().getCurrentRevision())
                            && Integer.valueOf(2).equals(s.getStatus().getUpdatedReplicas());
                });
                // the highest ordinal is replaced first
                t.await("two deletions seen", WAIT, () -> deletions.order().size() >= 2);
                assertThat(deletions.order()).containsExactly("web-1", "web-0");
            }
            StatefulSet s = getSet(t, "web");
            assertThat(allPods(t))
                    .allMatch(p -> s.getStatus()
                            .getUpdateRevision()
                            .equals(p.getMetadata().getLabels().get("controller-revision-hash")));
            assertThat(t.client()
                            .apps()
                            .controllerRevisions()
                            .inNamespace(t.namespace())
                            .list()
                            .getItems())
                    .extracting(ControllerRevision::getRevision)
                    .containsExactlyInAnyOrder(1L, 2L);
            assertThat(awaitEvents(t, "StatefulSet", "web", "SuccessfulDelete", 2))
                    .containsExactlyInAnyOrder(
                            "Delete Pod web-1 in StatefulSet web successful",
                            "Delete Pod web-0 in StatefulSet web successful");
        }
    }
}
