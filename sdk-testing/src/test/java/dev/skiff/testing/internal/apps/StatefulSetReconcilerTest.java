package dev.skiff.testing.internal.apps;

import static dev.skiff.testing.internal.apps.AppsCluster.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetReconcilerTest {

    private static AppsCluster running(StatefulSet s) {
        AppsCluster cluster = new AppsCluster().with(s);
        for (int i = 0; i < 20; i++) {
            cluster.settle();
            if (cluster.activePods().size() == s.getSpec().getReplicas()
                    && cluster.readyPods() == s.getSpec().getReplicas()) {
                return cluster;
            }
            cluster.runPending();
        }
        throw new AssertionError("the StatefulSet did not come up: " + cluster.podNames());
    }

    @Test
    void orderedReadyCreatesEachOrdinalOnlyOnceThePreviousOneIsRunningAndReady() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.statefulSet("db", 3).build());
        List<List<String>> steps = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            cluster.settle();
            steps.add(cluster.activePodNames());
            cluster.runPending();
        }

        assertThat(steps)
                .containsExactly(
                        List.of("db-0"),
                        List.of("db-0", "db-1"),
                        List.of("db-0", "db-1", "db-2"),
                        List.of("db-0", "db-1", "db-2"));
    }

    @Test
    void parallelCreatesEveryOrdinalAtOnce() {
        AppsCluster cluster = new AppsCluster()
                .with(AppsCluster.statefulSet("db", 3)
                        .editSpec()
                        .withPodManagementPolicy("Parallel")
                        .endSpec()
                        .build());

        cluster.settle();

        assertThat(cluster.activePodNames()).containsExactly("db-0", "db-1", "db-2");
        assertThat(cluster.claims).containsOnlyKeys("data-db-0", "data-db-1", "data-db-2");
    }

    @Test
    void podsGetTheirOrdinalIdentityAndAClaimCreatedBeforeThem() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.statefulSet("db", 1).build());

        cluster.settle();

        Pod pod = cluster.pods.get("db-0");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("app", "db")
                .containsEntry("statefulset.kubernetes.io/pod-name", "db-0")
                .containsEntry("apps.kubernetes.io/pod-index", "0")
                .containsKey("controller-revision-hash");
        assertThat(pod.getSpec().getHostname()).isEqualTo("db-0");
        assertThat(pod.getSpec().getSubdomain()).isEqualTo("db-headless");
        assertThat(pod.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("StatefulSet");
        assertThat(pod.getMetadata().getOwnerReferences().get(0).getController())
                .isTrue();
        Volume data = pod.getSpec().getVolumes().get(0);
        assertThat(data.getName()).isEqualTo("data");
        assertThat(data.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-db-0");
        PersistentVolumeClaim claim = cluster.claims.get("data-db-0");
        assertThat(claim.getMetadata().getLabels()).containsEntry("app", "db");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
                .isEqualTo("1Gi");
        assertThat(cluster.events)
                .extracting(AppsEvent::reason, AppsEvent::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "SuccessfulCreate", "create Claim data-db-0 Pod db-0 in StatefulSet db success"),
                        org.assertj.core.groups.Tuple.tuple(
                                "SuccessfulCreate", "create Pod db-0 in StatefulSet db successful"));
    }

    @Test
    void orderedReadyScalesDownFromTheHighestOrdinalOneAtATimeAndKeepsTheClaims() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3).build());

        cluster.updateStatefulSet(s -> s.getSpec().setReplicas(1));
        cluster.settle();
        List<String> afterFirst = cluster.activePodNames();
        cluster.finishTerminating();
        cluster.settle();
        List<String> afterSecond = cluster.activePodNames();
        cluster.finishTerminating();
        cluster.settle();

        assertThat(afterFirst).containsExactly("db-0", "db-1");
        assertThat(afterSecond).containsExactly("db-0");
        assertThat(cluster.podNames()).containsExactly("db-0");
        assertThat(cluster.eventMessages("SuccessfulDelete"))
                .containsExactly(
                        "delete Pod db-2 in StatefulSet db successful", "delete Pod db-1 in StatefulSet db successful");
        assertThat(cluster.claims).containsOnlyKeys("data-db-0", "data-db-1", "data-db-2");
        assertThat(cluster.statefulSet().getStatus().getReplicas()).isEqualTo(1);
    }

    @Test
    void parallelScalesDownEveryCondemnedPodAtOnce() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3)
                .editSpec()
                .withPodManagementPolicy("Parallel")
                .endSpec()
                .build());

        cluster.updateStatefulSet(s -> s.getSpec().setReplicas(1));
        cluster.settle();

        assertThat(cluster.activePodNames()).containsExactly("db-0");
    }

    @Test
    void aFailedPodIsDeletedAndRecreatedUnderTheSameName() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 2).build());
        String oldUid = cluster.pods.get("db-1").getMetadata().getUid();

        cluster.fail("db-1");
        cluster.settle();
        assertThat(Pods.isDeleted(cluster.pods.get("db-1"))).isTrue();
        cluster.finishTerminating();
        cluster.settle();

        Pod replacement = cluster.pods.get("db-1");
        assertThat(replacement.getMetadata().getUid()).isNotEqualTo(oldUid);
        assertThat(Pods.phase(replacement)).isEqualTo("Pending");
        assertThat(cluster.claims).hasSize(2);
    }

    @Test
    void statusCountsReadyPodsAndSettlesTheRevision() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3).build());

        StatefulSetStatus status = cluster.statefulSet().getStatus();
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getReadyReplicas()).isEqualTo(3);
        assertThat(status.getAvailableReplicas()).isEqualTo(3);
        assertThat(status.getCurrentReplicas()).isEqualTo(3);
        assertThat(status.getUpdatedReplicas()).isEqualTo(3);
        assertThat(status.getUpdateRevision()).startsWith("db-");
        assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(cluster.pods.get("db-2").getMetadata().getLabels())
                .containsEntry("controller-revision-hash", status.getUpdateRevision());
    }

    @Test
    void rollingUpdateReplacesPodsFromTheHighestOrdinalDown() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3).build());
        String oldRevision = cluster.statefulSet().getStatus().getUpdateRevision();

        cluster.updateStatefulSet(
                s -> s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:17"));
        for (int i = 0; i < 20; i++) {
            cluster.settle();
            cluster.finishTerminating();
            cluster.settle();
            cluster.runPending();
        }
        cluster.settle();

        assertThat(cluster.eventMessages("SuccessfulDelete"))
                .containsExactly(
                        "delete Pod db-2 in StatefulSet db successful",
                        "delete Pod db-1 in StatefulSet db successful",
                        "delete Pod db-0 in StatefulSet db successful");
        StatefulSetStatus status = cluster.statefulSet().getStatus();
        assertThat(status.getUpdateRevision()).isNotEqualTo(oldRevision);
        assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
        assertThat(count(status.getUpdatedReplicas())).isEqualTo(3);
        assertThat(cluster.activePods())
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("postgres:17"));
    }

    @Test
    void aPartitionKeepsLowerOrdinalsOnTheOldRevision() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3).build());

        cluster.updateStatefulSet(s -> {
            s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(2);
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:17");
        });
        for (int i = 0; i < 10; i++) {
            cluster.settle();
            cluster.finishTerminating();
            cluster.settle();
            cluster.runPending();
        }
        cluster.settle();

        assertThat(cluster.eventMessages("SuccessfulDelete"))
                .containsExactly("delete Pod db-2 in StatefulSet db successful");
        assertThat(cluster.pods.get("db-0").getSpec().getContainers().get(0).getImage())
                .isEqualTo("postgres:16");
        assertThat(cluster.statefulSet().getStatus().getUpdatedReplicas()).isEqualTo(1);
        assertThat(cluster.statefulSet().getStatus().getCurrentRevision())
                .isNotEqualTo(cluster.statefulSet().getStatus().getUpdateRevision());
    }

    @Test
    void claimNamesJoinTemplateSetAndOrdinal() {
        assertThat(StatefulSetReconciler.claimName("data", "db", 7)).isEqualTo("data-db-7");
        assertThat(StatefulSetReconciler.ordinal("db", "db-12")).isEqualTo(12);
        assertThat(StatefulSetReconciler.ordinal("db", "other-1")).isEqualTo(-1);
        assertThat(StatefulSetReconciler.ordinal("db", "db-x")).isEqualTo(-1);
    }

    @Test
    void aSettledStatefulSetChangesNothing() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 2).build());

        StatefulSetSync sync = StatefulSetReconciler.reconcile(
                cluster.statefulSet(),
                List.copyOf(cluster.pods.values()),
                List.copyOf(cluster.claims.values()),
                cluster.now());

        assertThat(sync.changesNothing()).as("%s", sync).isTrue();
    }
}
