package dev.skiff.testing.internal.apps;

import static dev.skiff.testing.internal.apps.AppsCluster.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeploymentReconcilerTest {

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no " + type + " in " + d.getStatus().getConditions()));
    }

    private static AppsCluster rolledOut(Deployment d) {
        AppsCluster cluster = new AppsCluster().with(d);
        cluster.instantDeletion = true;
        cluster.settle();
        cluster.runPending();
        cluster.settle();
        return cluster;
    }

    private static ReplicaSet newest(AppsCluster cluster) {
        String hash = TemplateHash.of(cluster.deployment().getSpec().getTemplate(), null);
        return cluster.rs(cluster.deployment().getMetadata().getName() + "-" + hash);
    }

    private static void changeImage(AppsCluster cluster, String image) {
        cluster.advance(Duration.ofSeconds(1));
        cluster.updateDeployment(
                d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image));
    }

    /** Runs the kubelet and the controllers until the rollout is complete. */
    private static void finishRollout(AppsCluster cluster) {
        for (int i = 0; i < 50; i++) {
            cluster.settle();
            Deployment d = cluster.deployment();
            if ("NewReplicaSetAvailable".equals(condition(d, "Progressing").getReason())) {
                return;
            }
            cluster.advance(Duration.ofSeconds(1));
            cluster.runPending();
            cluster.finishTerminating();
        }
        throw new AssertionError(
                "the rollout did not finish: " + cluster.deployment().getStatus());
    }

    @Test
    void createsAReplicaSetNamedAfterThePodTemplateHash() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.deployment("web", 4).build());

        cluster.settle();

        assertThat(cluster.replicaSets).hasSize(1);
        ReplicaSet rs = cluster.replicaSets.values().iterator().next();
        String hash = rs.getSpec().getTemplate().getMetadata().getLabels().get("pod-template-hash");
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(rs.getMetadata().getLabels())
                .containsEntry("pod-template-hash", hash)
                .containsEntry("app", "web");
        assertThat(rs.getSpec().getSelector().getMatchLabels())
                .containsEntry("pod-template-hash", hash)
                .containsEntry("app", "web");
        assertThat(rs.getSpec().getReplicas()).isEqualTo(4);
        assertThat(rs.getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "1")
                .containsEntry("deployment.kubernetes.io/desired-replicas", "4")
                .containsEntry("deployment.kubernetes.io/max-replicas", "5");
        assertThat(rs.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Deployment");
        assertThat(cluster.deployment().getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "1");
        assertThat(cluster.eventMessages("ScalingReplicaSet"))
                .containsExactly("Scaled up replica set web-" + hash + " from 0 to 4");
        assertThat(cluster.activePods()).hasSize(4);
        assertThat(cluster.activePods())
                .allMatch(p -> hash.equals(p.getMetadata().getLabels().get("pod-template-hash")));
    }

    @Test
    void theTemplateHashIsStableAndFollowsTheTemplate() {
        PodTemplateSpec a = AppsCluster.template("web", "nginx:1.25");
        PodTemplateSpec same = AppsCluster.template("web", "nginx:1.25");
        PodTemplateSpec other = AppsCluster.template("web", "nginx:1.26");
        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("tier", "front");
        reordered.put("app", "web");
        same.getMetadata().setLabels(reordered);
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("app", "web");
        ordered.put("tier", "front");
        a.getMetadata().setLabels(ordered);

        assertThat(TemplateHash.of(a, null)).isEqualTo(TemplateHash.of(same, null));
        assertThat(TemplateHash.of(a, null)).isNotEqualTo(TemplateHash.of(other, null));
        assertThat(TemplateHash.of(a, null)).isNotEqualTo(TemplateHash.of(a, 1));
        assertThat(TemplateHash.safeEncode("0123456789"))
                .as("byte value modulo the 27-letter alphabet")
                .isEqualTo("456789bcdf");
    }

    @Test
    void aCompleteRolloutReportsItsCountsAndConditions() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 4).build());

        Deployment d = cluster.deployment();
        assertThat(d.getStatus().getReplicas()).isEqualTo(4);
        assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(4);
        assertThat(d.getStatus().getReadyReplicas()).isEqualTo(4);
        assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(4);
        assertThat(d.getStatus().getUnavailableReplicas()).isNull();
        assertThat(d.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(condition(d, "Available").getStatus()).isEqualTo("True");
        assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(condition(d, "Progressing").getStatus()).isEqualTo("True");
        assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(condition(d, "Progressing").getMessage())
                .isEqualTo(
                        "ReplicaSet \"" + newest(cluster).getMetadata().getName() + "\" has successfully progressed.");
    }

    @Test
    void podsThatNeverBecomeReadyLeaveTheDeploymentWithoutMinimumAvailability() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.deployment("web", 4).build());

        cluster.settle();

        Deployment d = cluster.deployment();
        assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(4);
        assertThat(condition(d, "Available").getStatus()).isEqualTo("False");
        assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(condition(d, "Progressing").getReason())
                .as("pods were created, so the rollout progresses")
                .isEqualTo("ReplicaSetUpdated");
        assertThat(condition(d, "Progressing").getMessage())
                .isEqualTo("ReplicaSet \"" + newest(cluster).getMetadata().getName() + "\" is progressing.");
    }

    @Test
    void rollingUpdateOfFourReplicasKeepsAtMostFivePodsAndAtLeastThreeAvailable() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 4).build());
        ReplicaSet old = newest(cluster);
        int[] extremes = {Integer.MIN_VALUE, Integer.MAX_VALUE};
        Set<String> progressingReasons = new HashSet<>();
        cluster.invariant(c -> {
            extremes[0] = Math.max(extremes[0], c.activePods().size());
            extremes[1] = (int) Math.min(extremes[1], c.readyPods());
            if (c.deployment().getStatus() != null) {
                progressingReasons.add(condition(c.deployment(), "Progressing").getReason());
                assertThat(condition(c.deployment(), "Available").getStatus()).isEqualTo("True");
            }
        });

        changeImage(cluster, "nginx:1.26");
        finishRollout(cluster);

        assertThat(extremes[0]).as("most pods at once").isEqualTo(5);
        assertThat(extremes[1]).as("fewest ready pods at once").isEqualTo(3);
        ReplicaSet updated = newest(cluster);
        assertThat(updated.getMetadata().getName())
                .isNotEqualTo(old.getMetadata().getName());
        assertThat(updated.getSpec().getReplicas()).isEqualTo(4);
        assertThat(cluster.rs(old.getMetadata().getName()).getSpec().getReplicas())
                .isZero();
        assertThat(cluster.activePods())
                .hasSize(4)
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("nginx:1.26"));
        assertThat(updated.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(cluster.deployment().getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(progressingReasons).contains("NewReplicaSetCreated", "ReplicaSetUpdated");
        assertThat(cluster.eventMessages("ScalingReplicaSet"))
                .contains(
                        "Scaled up replica set " + updated.getMetadata().getName() + " from 0 to 1",
                        "Scaled down replica set " + old.getMetadata().getName() + " from 4 to 3");
    }

    @Test
    void rollingUpdateWithoutSurgeNeverExceedsTheReplicaCount() {
        Deployment d = AppsCluster.deployment("web", 4)
                .editSpec()
                .editStrategy()
                .editRollingUpdate()
                .withMaxSurge(new IntOrString(0))
                .withMaxUnavailable(new IntOrString(2))
                .endRollingUpdate()
                .endStrategy()
                .endSpec()
                .build();
        AppsCluster cluster = rolledOut(d);
        int[] most = {0};
        int[] fewestReady = {Integer.MAX_VALUE};
        cluster.invariant(c -> {
            most[0] = Math.max(most[0], c.activePods().size());
            fewestReady[0] = (int) Math.min(fewestReady[0], c.readyPods());
        });

        changeImage(cluster, "nginx:1.26");
        finishRollout(cluster);

        assertThat(most[0]).isEqualTo(4);
        assertThat(fewestReady[0]).isEqualTo(2);
    }

    @Test
    void fenceposts() {
        assertThat(DeploymentReconciler.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 4))
                .containsExactly(1, 1);
        assertThat(DeploymentReconciler.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 10))
                .as("surge rounds up, unavailable rounds down")
                .containsExactly(3, 2);
        assertThat(DeploymentReconciler.resolveFenceposts(new IntOrString(0), new IntOrString("10%"), 5))
                .as("both zero: one may be unavailable")
                .containsExactly(0, 1);
        assertThat(DeploymentReconciler.resolveFenceposts(new IntOrString(2), new IntOrString(0), 5))
                .containsExactly(2, 0);
    }

    @Test
    void recreateScalesOldReplicaSetsToZeroAndWaitsForTheirPodsToGoBeforeScalingUp() {
        Deployment d = AppsCluster.deployment("db", 3)
                .editSpec()
                .withNewStrategy()
                .withType("Recreate")
                .endStrategy()
                .endSpec()
                .build();
        AppsCluster cluster = new AppsCluster().with(d);
        cluster.settle();
        cluster.runPending();
        cluster.settle();
        ReplicaSet old = newest(cluster);
        cluster.invariant(c -> {
            Set<String> templates = c.pods.values().stream()
                    .filter(p -> !Pods.isTerminal(p))
                    .map(p -> p.getMetadata().getLabels().get("pod-template-hash"))
                    .collect(Collectors.toSet());
            assertThat(templates).as("old and new pods never overlap").hasSizeLessThanOrEqualTo(1);
        });

        changeImage(cluster, "nginx:1.26");
        cluster.settle();

        assertThat(cluster.rs(old.getMetadata().getName()).getSpec().getReplicas())
                .isZero();
        assertThat(cluster.replicaSets)
                .as("no new ReplicaSet while old pods terminate")
                .hasSize(1);
        assertThat(cluster.pods)
                .hasSize(3)
                .allSatisfy((n, p) -> assertThat(Pods.isDeleted(p)).isTrue());

        cluster.finishTerminating();
        cluster.settle();

        ReplicaSet updated = newest(cluster);
        assertThat(updated.getSpec().getReplicas()).isEqualTo(3);
        assertThat(cluster.activePods()).hasSize(3);
        assertThat(cluster.eventMessages("ScalingReplicaSet"))
                .containsSubsequence(
                        "Scaled down replica set " + old.getMetadata().getName() + " from 3 to 0",
                        "Scaled up replica set " + updated.getMetadata().getName() + " from 0 to 3");
    }

    @Test
    void revisionHistoryLimitDeletesTheOldestScaledDownReplicaSets() {
        Deployment d = AppsCluster.deployment("web", 2)
                .editSpec()
                .withRevisionHistoryLimit(1)
                .endSpec()
                .build();
        AppsCluster cluster = rolledOut(d);
        List<String> names = new ArrayList<>();
        names.add(newest(cluster).getMetadata().getName());
        for (String image : List.of("nginx:2", "nginx:3", "nginx:4")) {
            changeImage(cluster, image);
            finishRollout(cluster);
            names.add(newest(cluster).getMetadata().getName());
        }
        cluster.settle();

        assertThat(cluster.replicaSets.keySet()).containsExactlyInAnyOrder(names.get(2), names.get(3));
        assertThat(cluster.rs(names.get(2)).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "3");
        assertThat(cluster.rs(names.get(3)).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "4");
    }

    @Test
    void rollingBackToAnEarlierTemplateReusesItsReplicaSetWithANewRevision() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 2).build());
        String first = newest(cluster).getMetadata().getName();
        changeImage(cluster, "nginx:1.26");
        finishRollout(cluster);

        changeImage(cluster, "nginx:1.25");
        finishRollout(cluster);

        assertThat(newest(cluster).getMetadata().getName()).isEqualTo(first);
        assertThat(cluster.replicaSets).hasSize(2);
        assertThat(cluster.rs(first).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "3");
    }

    @Test
    void scalingASteadyDeploymentResizesItsReplicaSet() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 2).build());
        String rs = newest(cluster).getMetadata().getName();

        cluster.updateDeployment(d -> d.getSpec().setReplicas(5));
        cluster.settle();

        assertThat(cluster.rs(rs).getSpec().getReplicas()).isEqualTo(5);
        assertThat(cluster.rs(rs).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/desired-replicas", "5");
        assertThat(cluster.eventMessages("ScalingReplicaSet")).contains("Scaled up replica set " + rs + " from 2 to 5");
        assertThat(count(cluster.deployment().getStatus().getReplicas())).isEqualTo(5);
    }

    @Test
    void aSettledDeploymentChangesNothing() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 2).build());

        DeploymentSync sync = DeploymentReconciler.reconcile(
                cluster.deployment(),
                List.copyOf(cluster.replicaSets.values()),
                List.copyOf(cluster.pods.values()),
                cluster.now().plusSeconds(3600));

        assertThat(sync.changesNothing()).as("%s", sync).isTrue();
    }

    @Test
    void aRolloutThatStallsPastItsProgressDeadlineReportsProgressDeadlineExceeded() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.deployment("web", 2).build());
        cluster.settle();
        DeploymentSync stalled = DeploymentReconciler.reconcile(
                cluster.deployment(),
                List.copyOf(cluster.replicaSets.values()),
                List.copyOf(cluster.pods.values()),
                cluster.now());
        assertThat(stalled.requeueAt()).contains(cluster.now().plusSeconds(601));

        cluster.advance(Duration.ofSeconds(601));
        cluster.settle();

        DeploymentCondition progressing = condition(cluster.deployment(), "Progressing");
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(progressing.getMessage())
                .isEqualTo("ReplicaSet \"" + newest(cluster).getMetadata().getName() + "\" has timed out progressing.");
    }

    @Test
    void aPausedDeploymentDoesNotRollOutATemplateChange() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 2).build());

        cluster.updateDeployment(d -> d.getSpec().setPaused(true));
        changeImage(cluster, "nginx:1.26");
        cluster.settle();

        assertThat(cluster.replicaSets).hasSize(1);
        assertThat(condition(cluster.deployment(), "Progressing").getReason()).isEqualTo("DeploymentPaused");

        cluster.updateDeployment(d -> d.getSpec().setPaused(false));
        finishRollout(cluster);

        assertThat(cluster.replicaSets).hasSize(2);
    }

    /** Ten replicas, surge 3 and unavailable 2, rolled out to an image whose pods never start. */
    private static AppsCluster stuckRollout() {
        Deployment d = AppsCluster.deployment("web", 10)
                .editSpec()
                .editStrategy()
                .editRollingUpdate()
                .withMaxSurge(new IntOrString(3))
                .withMaxUnavailable(new IntOrString(2))
                .endRollingUpdate()
                .endStrategy()
                .endSpec()
                .build();
        AppsCluster cluster = rolledOut(d);
        changeImage(cluster, "nginx:does-not-exist");
        cluster.settle();
        return cluster;
    }

    private static ReplicaSet oldest(AppsCluster cluster) {
        String hash = TemplateHash.of(AppsCluster.template("web", "nginx:1.25"), null);
        return cluster.rs("web-" + hash);
    }

    @Test
    void aStuckRollingUpdateStopsAtSurgeAndUnavailabilityLimits() {
        AppsCluster cluster = stuckRollout();

        assertThat(oldest(cluster).getSpec().getReplicas()).isEqualTo(8);
        assertThat(newest(cluster).getSpec().getReplicas()).isEqualTo(5);
        assertThat(newest(cluster).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/desired-replicas", "10")
                .containsEntry("deployment.kubernetes.io/max-replicas", "13")
                .containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(cluster.deployment().getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(count(cluster.deployment().getStatus().getUpdatedReplicas())).isEqualTo(5);
        assertThat(count(cluster.deployment().getStatus().getAvailableReplicas()))
                .isEqualTo(8);
        assertThat(count(cluster.deployment().getStatus().getUnavailableReplicas()))
                .isEqualTo(5);
        assertThat(condition(cluster.deployment(), "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
    }

    @Test
    void scalingMidRolloutSharesTheNewReplicasInProportion() {
        AppsCluster cluster = stuckRollout();

        // 15 replicas + 3 surge = 18 allowed, 13 exist: 5 to add, 3 to the larger old set, 2 to the new one
        cluster.updateDeployment(d -> d.getSpec().setReplicas(15));
        cluster.settle();

        ReplicaSet old = oldest(cluster);
        ReplicaSet current = newest(cluster);
        assertThat(old.getSpec().getReplicas()).isEqualTo(11);
        assertThat(current.getSpec().getReplicas()).isEqualTo(7);
        assertThat(old.getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/desired-replicas", "15")
                .containsEntry("deployment.kubernetes.io/max-replicas", "18");
        assertThat(cluster.eventMessages("ScalingReplicaSet"))
                .contains(
                        "Scaled up replica set " + old.getMetadata().getName() + " from 8 to 11",
                        "Scaled up replica set " + current.getMetadata().getName() + " from 5 to 7");
    }

    @Test
    void scalingDownMidRolloutTakesFromTheLargerSetFirst() {
        AppsCluster cluster = stuckRollout();

        // 5 + 3 surge = 8 allowed, 13 exist: 5 to remove; old 8*8/13 = 4.9 -> 5 (-3), new 5*8/13 = 3.1 -> 3 (-2)
        cluster.updateDeployment(d -> d.getSpec().setReplicas(5));
        DeploymentSync sync = DeploymentReconciler.reconcile(
                cluster.deployment(),
                List.copyOf(cluster.replicaSets.values()),
                List.copyOf(cluster.pods.values()),
                cluster.now());

        Map<String, Integer> sizes = sync.replicaSetsToUpdate().stream()
                .collect(Collectors.toMap(
                        rs -> rs.getMetadata().getName(), rs -> rs.getSpec().getReplicas()));
        assertThat(sizes)
                .containsOnly(
                        Map.entry(oldest(cluster).getMetadata().getName(), 5),
                        Map.entry(newest(cluster).getMetadata().getName(), 3));
    }

    @Test
    void aPausedDeploymentStillScales() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 2).build());
        cluster.updateDeployment(d -> d.getSpec().setPaused(true));
        cluster.settle();

        cluster.updateDeployment(d -> d.getSpec().setReplicas(4));
        cluster.settle();

        assertThat(cluster.replicaSets).hasSize(1);
        assertThat(newest(cluster).getSpec().getReplicas()).isEqualTo(4);
        assertThat(condition(cluster.deployment(), "Progressing").getReason()).isEqualTo("DeploymentPaused");
    }

    @Test
    void pausingATimedOutDeploymentKeepsProgressDeadlineExceeded() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.deployment("web", 2).build());
        cluster.settle();
        cluster.advance(Duration.ofSeconds(601));
        cluster.settle();

        cluster.updateDeployment(d -> d.getSpec().setPaused(true));
        cluster.settle();

        assertThat(condition(cluster.deployment(), "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void aRollbackKeepsTheRevisionsItHadBefore() {
        AppsCluster cluster = rolledOut(AppsCluster.deployment("web", 2).build());
        String first = newest(cluster).getMetadata().getName();
        changeImage(cluster, "nginx:1.26");
        finishRollout(cluster);
        changeImage(cluster, "nginx:1.25");
        finishRollout(cluster);
        changeImage(cluster, "nginx:1.26");
        finishRollout(cluster);
        changeImage(cluster, "nginx:1.25");
        finishRollout(cluster);

        assertThat(cluster.rs(first).getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "5")
                .containsEntry("deployment.kubernetes.io/revision-history", "1,3");
        assertThat(cluster.deployment().getMetadata().getAnnotations())
                .containsEntry("deployment.kubernetes.io/revision", "5")
                .doesNotContainKey("deployment.kubernetes.io/revision-history");
    }

    @Test
    void availabilityWaitsForMinReadySeconds() {
        Deployment d = AppsCluster.deployment("web", 2)
                .editSpec()
                .withMinReadySeconds(30)
                .endSpec()
                .build();
        AppsCluster cluster = new AppsCluster().with(d);
        cluster.settle();
        cluster.runPending();
        cluster.settle();

        assertThat(count(cluster.deployment().getStatus().getReadyReplicas())).isEqualTo(2);
        assertThat(count(cluster.deployment().getStatus().getAvailableReplicas()))
                .isZero();
        assertThat(count(cluster.deployment().getStatus().getUnavailableReplicas()))
                .isEqualTo(2);
        assertThat(condition(cluster.deployment(), "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");

        cluster.advance(Duration.ofSeconds(30));
        cluster.settle();

        assertThat(count(cluster.deployment().getStatus().getAvailableReplicas()))
                .isEqualTo(2);
        assertThat(condition(cluster.deployment(), "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(condition(cluster.deployment(), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void terminatingReplicasAddUpOverTheReplicaSets() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.deployment("web", 4).build());
        cluster.settle();
        cluster.runPending();
        cluster.settle();

        cluster.updateDeployment(d -> d.getSpec().setReplicas(1));
        cluster.settle();

        assertThat(cluster.deployment().getStatus().getReplicas()).isEqualTo(1);
        assertThat(cluster.deployment().getStatus().getTerminatingReplicas()).isEqualTo(3);
        cluster.finishTerminating();
        cluster.settle();
        assertThat(cluster.deployment().getStatus().getTerminatingReplicas()).isZero();
    }

    @Test
    void aProgressDeadlineSetLaterStartsFromTheReplicaSetFound() {
        Deployment d = AppsCluster.deployment("web", 2)
                .editSpec()
                .withProgressDeadlineSeconds(Integer.MAX_VALUE)
                .endSpec()
                .build();
        AppsCluster cluster = new AppsCluster().with(d);
        cluster.settle();
        assertThat(cluster.deployment().getStatus().getConditions())
                .extracting(DeploymentCondition::getType)
                .containsExactly("Available");

        cluster.advance(Duration.ofSeconds(5));
        cluster.updateDeployment(dep -> dep.getSpec().setProgressDeadlineSeconds(600));
        cluster.settle();

        DeploymentCondition progressing = condition(cluster.deployment(), "Progressing");
        assertThat(progressing.getReason()).isEqualTo("FoundNewReplicaSet");
        assertThat(progressing.getMessage())
                .isEqualTo("Found new replica set \""
                        + newest(cluster).getMetadata().getName() + "\"");
        assertThat(progressing.getLastUpdateTime()).isEqualTo(Pods.formatTime(cluster.now()));
    }
}
