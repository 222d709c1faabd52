package dev.skiff.testing.internal.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Drives the workload controllers the way the engine does: applies each sync to in-memory maps,
 * reconciles until nothing changes, and plays the kubelet (pods start Running and Ready when the
 * test says so, deleted pods linger as terminating until {@link #finishTerminating()}).
 */
final class AppsCluster {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String NS = "default";

    private Instant now = T0;
    private final Random random = new Random(7);
    private int uids;
    private Deployment deployment;
    private StatefulSet statefulSet;
    final Map<String, ReplicaSet> replicaSets = new LinkedHashMap<>();
    final Map<String, Pod> pods = new LinkedHashMap<>();
    final Map<String, PersistentVolumeClaim> claims = new LinkedHashMap<>();
    final Map<String, ControllerRevision> revisions = new LinkedHashMap<>();
    final List<AppsEvent> events = new ArrayList<>();
    /** Checked after every single write the controllers make. */
    private Consumer<AppsCluster> invariant = c -> {};
    /** Whether deleted pods vanish at once instead of lingering as terminating. */
    boolean instantDeletion;

    // ---- fixtures ----

    static PodTemplateSpec template(String app, String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("app", app)
                .endMetadata()
                .withNewSpec()
                .withContainers(
                        new ContainerBuilder().withName("main").withImage(image).build())
                .withRestartPolicy("Always")
                .endSpec()
                .build();
    }

    /** A Deployment as the API server defaults it: RollingUpdate 25%/25%, history 10, deadline 600. */
    static DeploymentBuilder deployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withUid("uid-" + name)
                .withGeneration(1L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template(name, "nginx:1.25"))
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString("25%"))
                .withMaxUnavailable(new IntOrString("25%"))
                .endRollingUpdate()
                .endStrategy()
                .withRevisionHistoryLimit(10)
                .withProgressDeadlineSeconds(600)
                .withMinReadySeconds(0)
                .endSpec();
    }

    static ReplicaSetBuilder replicaSet(String name, int replicas) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withUid("uid-" + name)
                .withGeneration(1L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template(name, "nginx:1.25"))
                .endSpec();
    }

    static StatefulSetBuilder statefulSet(String name, int replicas) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withUid("uid-" + name)
                .withGeneration(1L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(name + "-headless")
                .withPodManagementPolicy("OrderedReady")
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template(name, "postgres:16"))
                .addNewVolumeClaimTemplate()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .withNewUpdateStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withPartition(0)
                .endRollingUpdate()
                .endUpdateStrategy()
                .endSpec();
    }

    // ---- objects ----

    AppsCluster with(Deployment d) {
        this.deployment = d;
        return this;
    }

    AppsCluster with(ReplicaSet rs) {
        rs.getMetadata().setCreationTimestamp(Pods.formatTime(now));
        replicaSets.put(rs.getMetadata().getName(), rs);
        return this;
    }

    AppsCluster with(StatefulSet s) {
        this.statefulSet = s;
        return this;
    }

    AppsCluster invariant(Consumer<AppsCluster> check) {
        this.invariant = check;
        return this;
    }

    Deployment deployment() {
        return deployment;
    }

    StatefulSet statefulSet() {
        return statefulSet;
    }

    ReplicaSet rs(String name) {
        return replicaSets.get(name);
    }

    /** Changes the Deployment's spec as a user would, bumping its generation. */
    void updateDeployment(Consumer<Deployment> change) {
        change.accept(deployment);
        deployment.getMetadata().setGeneration(deployment.getMetadata().getGeneration() + 1);
    }

    void updateStatefulSet(Consumer<StatefulSet> change) {
        change.accept(statefulSet);
        statefulSet.getMetadata().setGeneration(statefulSet.getMetadata().getGeneration() + 1);
    }

    // ---- engine ----

    /** Runs every controller until none changes anything. */
    void settle() {
        for (int round = 0; round < 200; round++) {
            boolean changed = false;
            if (deployment != null) {
                changed |= syncDeployment();
            }
            for (String name : new ArrayList<>(replicaSets.keySet())) {
                changed |= syncReplicaSet(name);
            }
            if (statefulSet != null) {
                changed |= syncStatefulSet();
            }
            if (!changed) {
                return;
            }
        }
        throw new AssertionError("the controllers did not settle");
    }

    private boolean syncDeployment() {
        List<ReplicaSet> owned = new ArrayList<>(replicaSets.values());
        DeploymentSync sync = DeploymentReconciler.reconcile(deployment, owned, List.copyOf(pods.values()), now);
        for (ReplicaSet rs : sync.replicaSetsToCreate()) {
            assertThat(replicaSets).doesNotContainKey(rs.getMetadata().getName());
            ReplicaSet stored = new ReplicaSetBuilder(rs)
                    .editMetadata()
                    .withUid("uid-" + rs.getMetadata().getName())
                    .withCreationTimestamp(Pods.formatTime(now))
                    .withGeneration(1L)
                    .endMetadata()
                    .build();
            replicaSets.put(rs.getMetadata().getName(), stored);
            invariant.accept(this);
        }
        for (ReplicaSet rs : sync.replicaSetsToUpdate()) {
            ReplicaSet stored = replicaSets.get(rs.getMetadata().getName());
            assertThat(stored).isNotNull();
            boolean specChanged = !stored.getSpec().equals(rs.getSpec());
            stored.setSpec(rs.getSpec());
            stored.getMetadata().setAnnotations(rs.getMetadata().getAnnotations());
            if (specChanged) {
                stored.getMetadata().setGeneration(stored.getMetadata().getGeneration() + 1);
            }
            invariant.accept(this);
        }
        for (String name : sync.replicaSetsToDelete()) {
            assertThat(replicaSets.remove(name)).isNotNull();
            pods.values().removeIf(p -> Pods.isControlledBy(p, "uid-" + name));
        }
        sync.revision().ifPresent(r -> {
            if (deployment.getMetadata().getAnnotations() == null) {
                deployment.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            deployment.getMetadata().getAnnotations().put(DeploymentReconciler.REVISION, r);
        });
        if (sync.status() != null) {
            deployment.setStatus(sync.status());
        }
        events.addAll(sync.events());
        return !sync.changesNothing();
    }

    private boolean syncReplicaSet(String name) {
        ReplicaSet rs = replicaSets.get(name);
        List<Pod> owned = pods.values().stream()
                .filter(p -> Pods.isControlledBy(p, rs.getMetadata().getUid()))
                .collect(Collectors.toList());
        ReplicaSetSync sync = ReplicaSetReconciler.reconcile(rs, owned, now, random);
        sync.podsToCreate().forEach(this::createPod);
        sync.podsToDelete().forEach(this::deletePod);
        if (sync.status() != null) {
            rs.setStatus(sync.status());
        }
        events.addAll(sync.events());
        return !sync.changesNothing();
    }

    private boolean syncStatefulSet() {
        List<Pod> owned = pods.values().stream()
                .filter(p -> Pods.isControlledBy(p, statefulSet.getMetadata().getUid()))
                .collect(Collectors.toList());
        StatefulSetSync sync = StatefulSetReconciler.reconcile(
                statefulSet, owned, List.copyOf(claims.values()), List.copyOf(revisions.values()), now);
        sync.revisionToCreate().ifPresent(r -> {
            assertThat(revisions).doesNotContainKey(r.getMetadata().getName());
            revisions.put(
                    r.getMetadata().getName(),
                    new ControllerRevisionBuilder(r)
                            .editMetadata()
                            .withUid("uid-" + r.getMetadata().getName())
                            .withCreationTimestamp(Pods.formatTime(now))
                            .endMetadata()
                            .build());
        });
        sync.revisionToUpdate().ifPresent(r -> {
            assertThat(revisions).containsKey(r.getMetadata().getName());
            revisions.get(r.getMetadata().getName()).setRevision(r.getRevision());
        });
        for (PersistentVolumeClaim claim : sync.claimsToCreate()) {
            assertThat(claims).doesNotContainKey(claim.getMetadata().getName());
            claims.put(claim.getMetadata().getName(), claim);
        }
        for (PersistentVolumeClaim claim : sync.claimsToUpdate()) {
            assertThat(claims).containsKey(claim.getMetadata().getName());
            claims.get(claim.getMetadata().getName())
                    .getMetadata()
                    .setOwnerReferences(claim.getMetadata().getOwnerReferences());
        }
        sync.podsToCreate().forEach(this::createPod);
        sync.podsToDelete().forEach(this::deletePod);
        for (String name : sync.revisionsToDelete()) {
            assertThat(revisions.remove(name)).as("deleted revision %s", name).isNotNull();
        }
        if (sync.status() != null) {
            statefulSet.setStatus(sync.status());
        }
        events.addAll(sync.events());
        return !sync.changesNothing();
    }

    private void createPod(Pod pod) {
        assertThat(pods)
                .as("pod names are unique")
                .doesNotContainKey(pod.getMetadata().getName());
        Pod stored = new PodBuilder(pod)
                .editMetadata()
                .withUid("pod-uid-" + ++uids)
                .withCreationTimestamp(Pods.formatTime(now))
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
        pods.put(pod.getMetadata().getName(), stored);
        invariant.accept(this);
    }

    private void deletePod(String name) {
        Pod pod = pods.get(name);
        assertThat(pod).as("deleted pod %s", name).isNotNull();
        if (instantDeletion) {
            pods.remove(name);
            collectClaims();
        } else if (pod.getMetadata().getDeletionTimestamp() == null) {
            pod.getMetadata().setDeletionTimestamp(Pods.formatTime(now));
        }
        invariant.accept(this);
    }

    // ---- kubelet and clock ----

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    Instant now() {
        return now;
    }

    /** Every pending pod that is not being deleted starts Running and turns Ready now. */
    void runPending() {
        for (Pod pod : pods.values()) {
            if ("Pending".equals(Pods.phase(pod)) && !Pods.isDeleted(pod)) {
                run(pod.getMetadata().getName());
            }
        }
    }

    void run(String name) {
        Pod pod = pods.get(name);
        pod.getSpec().setNodeName("node-1");
        pod.getStatus().setPhase("Running");
        pod.getStatus()
                .setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                        .withType("Ready")
                        .withStatus("True")
                        .withLastTransitionTime(Pods.formatTime(now))
                        .build()));
        invariant.accept(this);
    }

    void fail(String name) {
        Pod pod = pods.get(name);
        pod.getStatus().setPhase("Failed");
        pod.getStatus().setConditions(List.of());
    }

    /**
     * Terminating pods finish their grace period and leave the store; the garbage collector then
     * removes the claims they owned.
     */
    void finishTerminating() {
        pods.values().removeIf(Pods::isDeleted);
        collectClaims();
    }

    /** The garbage collector: claims whose every owner is gone leave too. */
    void collectClaims() {
        java.util.Set<String> live = new java.util.HashSet<>();
        pods.values().forEach(p -> live.add(p.getMetadata().getUid()));
        if (statefulSet != null) {
            live.add(statefulSet.getMetadata().getUid());
        }
        claims.values()
                .removeIf(c -> c.getMetadata().getOwnerReferences() != null
                        && !c.getMetadata().getOwnerReferences().isEmpty()
                        && c.getMetadata().getOwnerReferences().stream().noneMatch(r -> live.contains(r.getUid())));
    }

    /** Deletes a pod as a user would (OnDelete updates). */
    void deleteByUser(String name) {
        deletePod(name);
    }

    // ---- views ----

    List<Pod> activePods() {
        return pods.values().stream().filter(Pods::isActive).collect(Collectors.toList());
    }

    List<String> podNames() {
        return new ArrayList<>(pods.keySet());
    }

    List<String> activePodNames() {
        return activePods().stream().map(Pods::name).sorted().collect(Collectors.toList());
    }

    long readyPods() {
        return pods.values().stream()
                .filter(p -> Pods.isReady(p) && !Pods.isDeleted(p))
                .count();
    }

    List<String> eventMessages(String reason) {
        return events.stream()
                .filter(e -> e.reason().equals(reason))
                .map(AppsEvent::message)
                .collect(Collectors.toList());
    }

    static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
