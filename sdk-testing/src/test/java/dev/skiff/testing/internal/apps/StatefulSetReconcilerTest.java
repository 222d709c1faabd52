package dev.skiff.testing.internal.apps;

import static dev.skiff.testing.internal.apps.AppsCluster.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
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
                                "SuccessfulCreate", "Create Claim data-db-0 Pod db-0 in StatefulSet db success"),
                        org.assertj.core.groups.Tuple.tuple(
                                "SuccessfulCreate", "Create Pod db-0 in StatefulSet db successful"));
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
                        "Delete Pod db-2 in StatefulSet db successful", "Delete Pod db-1 in StatefulSet db successful");
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
                        "Delete Pod db-2 in StatefulSet db successful",
                        "Delete Pod db-1 in StatefulSet db successful",
                        "Delete Pod db-0 in StatefulSet db successful");
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
                .containsExactly("Delete Pod db-2 in StatefulSet db successful");
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
                List.copyOf(cluster.revisions.values()),
                cluster.now());

        assertThat(sync.changesNothing()).as("%s", sync).isTrue();
    }

    /** Lets the kubelet and the controllers work for a while: pods start, terminating pods leave. */
    private static void work(AppsCluster cluster, int rounds) {
        for (int i = 0; i < rounds; i++) {
            cluster.settle();
            cluster.finishTerminating();
            cluster.settle();
            cluster.runPending();
        }
        cluster.settle();
    }

    private static void image(AppsCluster cluster, String image) {
        cluster.updateStatefulSet(
                s -> s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image));
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().get(0).getImage();
    }

    private static ControllerRevision revision(AppsCluster cluster, String name) {
        ControllerRevision revision = cluster.revisions.get(name);
        assertThat(revision)
                .as("revision %s in %s", name, cluster.revisions.keySet())
                .isNotNull();
        return revision;
    }

    @Test
    void eachTemplateIsAControllerRevisionOwnedByTheSet() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 2).build());
        String first = cluster.statefulSet().getStatus().getUpdateRevision();

        ControllerRevision revision = revision(cluster, first);
        assertThat(revision.getRevision()).isEqualTo(1L);
        assertThat(revision.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("StatefulSet");
            assertThat(ref.getUid()).isEqualTo("uid-db");
            assertThat(ref.getController()).isTrue();
        });
        assertThat(revision.getMetadata().getLabels())
                .containsEntry("app", "db")
                .containsEntry("controller.kubernetes.io/hash", first.substring("db-".length()));
        assertThat(Revisions.template(revision))
                .isEqualTo(cluster.statefulSet().getSpec().getTemplate());

        image(cluster, "postgres:17");
        work(cluster, 10);

        StatefulSetStatus status = cluster.statefulSet().getStatus();
        assertThat(cluster.revisions).hasSize(2);
        assertThat(revision(cluster, status.getUpdateRevision()).getRevision()).isEqualTo(2L);
        assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
        assertThat(cluster.activePods())
                .allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                        .containsEntry("controller-revision-hash", status.getUpdateRevision()));
    }

    @Test
    void goingBackToAnEarlierTemplateRenumbersItsRevision() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 2).build());
        String first = cluster.statefulSet().getStatus().getUpdateRevision();
        image(cluster, "postgres:17");
        work(cluster, 10);

        image(cluster, "postgres:16");
        work(cluster, 10);

        assertThat(cluster.revisions).hasSize(2);
        assertThat(cluster.statefulSet().getStatus().getUpdateRevision()).isEqualTo(first);
        assertThat(revision(cluster, first).getRevision()).isEqualTo(3L);
        assertThat(cluster.activePods()).allSatisfy(p -> assertThat(image(p)).isEqualTo("postgres:16"));
    }

    @Test
    void revisionsBeyondTheHistoryLimitThatNoPodUsesAreDeleted() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 2)
                .editSpec()
                .withRevisionHistoryLimit(1)
                .endSpec()
                .build());
        String first = cluster.statefulSet().getStatus().getUpdateRevision();
        image(cluster, "postgres:17");
        work(cluster, 10);
        String second = cluster.statefulSet().getStatus().getUpdateRevision();
        image(cluster, "postgres:18");
        work(cluster, 10);
        String third = cluster.statefulSet().getStatus().getUpdateRevision();

        // the third is live; one historic revision is kept, the oldest goes
        assertThat(cluster.revisions.keySet()).containsExactlyInAnyOrder(second, third);
        assertThat(first).isNotIn(second, third);
    }

    @Test
    void aPodRecreatedBelowThePartitionKeepsTheCurrentRevision() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3).build());
        String old = cluster.statefulSet().getStatus().getCurrentRevision();
        cluster.updateStatefulSet(s -> {
            s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(2);
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:17");
        });
        work(cluster, 10);

        cluster.fail("db-0");
        work(cluster, 10);

        Pod recreated = cluster.pods.get("db-0");
        assertThat(image(recreated)).isEqualTo("postgres:16");
        assertThat(recreated.getMetadata().getLabels()).containsEntry("controller-revision-hash", old);
        assertThat(image(cluster.pods.get("db-2"))).isEqualTo("postgres:17");
        StatefulSetStatus status = cluster.statefulSet().getStatus();
        assertThat(status.getCurrentRevision()).isEqualTo(old);
        assertThat(status.getCurrentReplicas()).isEqualTo(2);
        assertThat(status.getUpdatedReplicas()).isEqualTo(1);
    }

    @Test
    void lettingThePartitionDownFinishesTheRollout() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3).build());
        cluster.updateStatefulSet(s -> {
            s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(2);
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:17");
        });
        work(cluster, 10);

        cluster.updateStatefulSet(
                s -> s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(0));
        work(cluster, 10);

        assertThat(cluster.eventMessages("SuccessfulDelete"))
                .containsExactly(
                        "Delete Pod db-2 in StatefulSet db successful",
                        "Delete Pod db-1 in StatefulSet db successful",
                        "Delete Pod db-0 in StatefulSet db successful");
        StatefulSetStatus status = cluster.statefulSet().getStatus();
        assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
        assertThat(status.getCurrentReplicas()).isEqualTo(3);
    }

    @Test
    void onDeleteReplacesOnlyThePodsSomeoneDeletes() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3)
                .editSpec()
                .withNewUpdateStrategy()
                .withType("OnDelete")
                .endUpdateStrategy()
                .endSpec()
                .build());
        String old = cluster.statefulSet().getStatus().getCurrentRevision();
        image(cluster, "postgres:17");
        work(cluster, 5);
        assertThat(cluster.eventMessages("SuccessfulDelete")).isEmpty();

        cluster.deleteByUser("db-1");
        work(cluster, 5);

        assertThat(image(cluster.pods.get("db-0"))).isEqualTo("postgres:16");
        assertThat(image(cluster.pods.get("db-1"))).isEqualTo("postgres:17");
        assertThat(image(cluster.pods.get("db-2"))).isEqualTo("postgres:16");
        StatefulSetStatus status = cluster.statefulSet().getStatus();
        assertThat(status.getCurrentRevision()).isEqualTo(old);
        assertThat(status.getUpdatedReplicas()).isEqualTo(1);
        assertThat(status.getCurrentReplicas()).isEqualTo(2);
    }

    @Test
    void maxUnavailableReplacesThatManyPodsAtOnce() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 4)
                .editSpec()
                .editUpdateStrategy()
                .editRollingUpdate()
                .withMaxUnavailable(new IntOrString(2))
                .endRollingUpdate()
                .endUpdateStrategy()
                .endSpec()
                .build());
        image(cluster, "postgres:17");

        cluster.settle();

        assertThat(cluster.eventMessages("SuccessfulDelete"))
                .containsExactly(
                        "Delete Pod db-3 in StatefulSet db successful", "Delete Pod db-2 in StatefulSet db successful");
        assertThat(StatefulSetReconciler.maxUnavailable(new IntOrString("10%"), 4))
                .isEqualTo(1);
        assertThat(StatefulSetReconciler.maxUnavailable(new IntOrString("50%"), 5))
                .isEqualTo(2);
        assertThat(StatefulSetReconciler.maxUnavailable(null, 5)).isEqualTo(1);
    }

    private static StatefulSet withRetention(int replicas, String whenDeleted, String whenScaled) {
        return AppsCluster.statefulSet("db", replicas)
                .editSpec()
                .withNewPersistentVolumeClaimRetentionPolicy(whenDeleted, whenScaled)
                .endSpec()
                .build();
    }

    private static List<String> owners(PersistentVolumeClaim claim) {
        List<String> owners = new ArrayList<>();
        if (claim.getMetadata().getOwnerReferences() != null) {
            claim.getMetadata()
                    .getOwnerReferences()
                    .forEach(r -> owners.add(r.getKind() + "/" + r.getName() + "/" + r.getController()));
        }
        return owners;
    }

    @Test
    void retainedClaimsHaveNoOwner() {
        AppsCluster cluster = running(withRetention(2, "Retain", "Retain"));
        cluster.updateStatefulSet(s -> s.getSpec().setReplicas(1));
        work(cluster, 5);

        assertThat(cluster.claims.keySet()).containsExactly("data-db-0", "data-db-1");
        assertThat(cluster.claims.values())
                .allSatisfy(c -> assertThat(owners(c)).isEmpty());
    }

    @Test
    void claimsDeletedWithTheSetAreOwnedByIt() {
        AppsCluster cluster = running(withRetention(2, "Delete", "Retain"));

        assertThat(cluster.claims.values())
                .allSatisfy(c -> assertThat(owners(c)).containsExactly("StatefulSet/db/true"));

        cluster.updateStatefulSet(s -> s.getSpec().setReplicas(1));
        work(cluster, 5);
        assertThat(cluster.claims.keySet()).containsExactly("data-db-0", "data-db-1");
    }

    @Test
    void claimsDeletedOnScaleDownPassToThePodAndGoWithIt() {
        AppsCluster cluster = running(withRetention(3, "Delete", "Delete"));
        assertThat(owners(cluster.claims.get("data-db-2"))).containsExactly("StatefulSet/db/true");

        cluster.updateStatefulSet(s -> s.getSpec().setReplicas(1));
        cluster.settle();

        // the condemned pods' claims now belong to them, before they are deleted
        assertThat(owners(cluster.claims.get("data-db-2"))).containsExactly("Pod/db-2/true");
        assertThat(owners(cluster.claims.get("data-db-1"))).containsExactly("Pod/db-1/true");
        assertThat(owners(cluster.claims.get("data-db-0"))).containsExactly("StatefulSet/db/true");

        work(cluster, 5);
        assertThat(cluster.claims.keySet()).containsExactly("data-db-0");
        assertThat(cluster.activePodNames()).containsExactly("db-0");
    }

    @Test
    void changingTheRetentionPolicyRewritesTheClaimOwners() {
        AppsCluster cluster = running(withRetention(2, "Retain", "Retain"));

        cluster.updateStatefulSet(
                s -> s.getSpec().getPersistentVolumeClaimRetentionPolicy().setWhenDeleted("Delete"));
        cluster.settle();

        assertThat(cluster.claims.values())
                .allSatisfy(c -> assertThat(owners(c)).containsExactly("StatefulSet/db/true"));
    }

    @Test
    void withAStartOrdinalThePartitionCountsFromTheFirstReplica() {
        AppsCluster cluster = running(AppsCluster.statefulSet("db", 3)
                .editSpec()
                .withNewOrdinals(5)
                .endSpec()
                .build());
        assertThat(cluster.activePodNames()).containsExactly("db-5", "db-6", "db-7");

        cluster.updateStatefulSet(s -> {
            s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(2);
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:17");
        });
        work(cluster, 10);

        assertThat(cluster.eventMessages("SuccessfulDelete"))
                .containsExactly("Delete Pod db-7 in StatefulSet db successful");
        assertThat(image(cluster.pods.get("db-6"))).isEqualTo("postgres:16");
        assertThat(image(cluster.pods.get("db-7"))).isEqualTo("postgres:17");
    }
}
