package dev.skiff.testing.internal.apps;

import static dev.skiff.testing.internal.apps.AppsCluster.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplicaSetReconcilerTest {

    @Test
    void createsTheMissingPodsWithGeneratedNamesTemplateLabelsAndAControllerReference() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.replicaSet("web", 3).build());

        cluster.settle();

        assertThat(cluster.pods).hasSize(3);
        for (Pod pod : cluster.pods.values()) {
            assertThat(pod.getMetadata().getName()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
            assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
            assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
            assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.25");
            OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
            assertThat(owner.getKind()).isEqualTo("ReplicaSet");
            assertThat(owner.getUid()).isEqualTo("uid-web");
            assertThat(owner.getController()).isTrue();
            assertThat(owner.getBlockOwnerDeletion()).isTrue();
        }
        assertThat(cluster.eventMessages("SuccessfulCreate"))
                .containsExactlyInAnyOrderElementsOf(cluster.podNames().stream()
                        .map(n -> "Created pod: " + n)
                        .toList());
        ReplicaSet rs = cluster.rs("web");
        assertThat(rs.getStatus().getReplicas()).isEqualTo(3);
        assertThat(rs.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
        assertThat(rs.getStatus().getReadyReplicas()).isZero();
        assertThat(rs.getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void countsReadyAndAvailablePodsOnceTheyRun() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.replicaSet("web", 2).build());
        cluster.settle();

        cluster.runPending();
        cluster.settle();

        ReplicaSet rs = cluster.rs("web");
        assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(rs.getStatus().getAvailableReplicas()).isEqualTo(2);
    }

    @Test
    void podsBecomeAvailableOnlyAfterMinReadySecondsAndTheControllerAsksToRunThen() {
        ReplicaSet rs = AppsCluster.replicaSet("web", 2)
                .editSpec()
                .withMinReadySeconds(10)
                .endSpec()
                .build();
        AppsCluster cluster = new AppsCluster().with(rs);
        cluster.settle();
        cluster.runPending();
        cluster.settle();

        assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(rs.getStatus().getAvailableReplicas()).isZero();
        ReplicaSetSync sync =
                ReplicaSetReconciler.reconcile(rs, List.copyOf(cluster.pods.values()), cluster.now(), new Random(1));
        assertThat(sync.requeueAt()).contains(cluster.now().plusSeconds(10));

        cluster.advance(Duration.ofSeconds(10));
        cluster.settle();

        assertThat(rs.getStatus().getAvailableReplicas()).isEqualTo(2);
    }

    @Test
    void scalingDownDeletesPendingPodsBeforeRunningOnes() {
        ReplicaSet rs = AppsCluster.replicaSet("web", 2).build();
        AppsCluster cluster = new AppsCluster().with(rs);
        cluster.settle();
        cluster.runPending();
        cluster.settle();
        List<String> running = cluster.activePodNames();

        rs.getSpec().setReplicas(4);
        cluster.settle();
        rs.getSpec().setReplicas(2);
        cluster.settle();

        assertThat(cluster.activePodNames()).containsExactlyElementsOf(running);
        assertThat(cluster.eventMessages("SuccessfulDelete"))
                .hasSize(2)
                .noneMatch(m -> running.stream().anyMatch(m::endsWith));
        assertThat(rs.getStatus().getReplicas()).isEqualTo(2);
    }

    @Test
    void scalingDownDeletesTheNewestOfEquallyReadyPods() {
        ReplicaSet rs = AppsCluster.replicaSet("web", 1).build();
        AppsCluster cluster = new AppsCluster().with(rs);
        cluster.settle();
        cluster.runPending();
        cluster.settle();
        String oldest = cluster.activePodNames().get(0);
        cluster.advance(Duration.ofMinutes(1));
        rs.getSpec().setReplicas(2);
        cluster.settle();
        cluster.advance(Duration.ofMinutes(1));
        cluster.runPending();
        cluster.settle();

        rs.getSpec().setReplicas(1);
        cluster.settle();

        assertThat(cluster.activePodNames()).containsExactly(oldest);
    }

    @Test
    void aFailedPodIsReplacedAndNoLongerCounted() {
        ReplicaSet rs = AppsCluster.replicaSet("web", 2).build();
        AppsCluster cluster = new AppsCluster().with(rs);
        cluster.settle();
        cluster.runPending();
        cluster.settle();
        String victim = cluster.activePodNames().get(0);

        cluster.fail(victim);
        cluster.settle();

        assertThat(cluster.pods).hasSize(3);
        assertThat(cluster.activePodNames()).hasSize(2).doesNotContain(victim);
        assertThat(count(rs.getStatus().getReplicas())).isEqualTo(2);
        assertThat(count(rs.getStatus().getReadyReplicas())).isEqualTo(1);
    }

    @Test
    void terminatingPodsAreNotCountedAndAreReplaced() {
        ReplicaSet rs = AppsCluster.replicaSet("web", 2).build();
        AppsCluster cluster = new AppsCluster().with(rs);
        cluster.settle();
        String victim = cluster.activePodNames().get(0);

        cluster.pods.get(victim).getMetadata().setDeletionTimestamp(Pods.formatTime(cluster.now()));
        cluster.settle();

        assertThat(cluster.activePodNames()).hasSize(2).doesNotContain(victim);
        assertThat(rs.getStatus().getReplicas()).isEqualTo(2);
    }

    @Test
    void aSettledReplicaSetChangesNothing() {
        ReplicaSet rs = AppsCluster.replicaSet("web", 2).build();
        AppsCluster cluster = new AppsCluster().with(rs);
        cluster.settle();
        cluster.runPending();
        cluster.settle();

        ReplicaSetSync sync =
                ReplicaSetReconciler.reconcile(rs, List.copyOf(cluster.pods.values()), cluster.now(), new Random(1));

        assertThat(sync.changesNothing()).isTrue();
    }

    @Test
    void podsBeingDeletedCountAsTerminatingUntilTheyAreGone() {
        AppsCluster cluster =
                new AppsCluster().with(AppsCluster.replicaSet("web", 3).build());
        cluster.settle();
        cluster.runPending();
        cluster.settle();
        assertThat(cluster.rs("web").getStatus().getTerminatingReplicas()).isZero();

        cluster.rs("web").getSpec().setReplicas(1);
        cluster.settle();

        assertThat(cluster.rs("web").getStatus().getReplicas()).isEqualTo(1);
        assertThat(cluster.rs("web").getStatus().getTerminatingReplicas()).isEqualTo(2);

        cluster.finishTerminating();
        cluster.settle();

        assertThat(cluster.rs("web").getStatus().getTerminatingReplicas()).isZero();
    }
}
