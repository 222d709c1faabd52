package dev.skiff.testing.internal.apps;

import dev.skiff.testing.internal.common.KubeTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory cluster's ReplicaSet controller, as a pure function from a ReplicaSet, its pods and
 * the time to the changes the controller makes ({@link ReplicaSetSync}).
 *
 * <p>It follows kubernetes/kubernetes {@code pkg/controller/replicaset} ({@code syncReplicaSet},
 * {@code manageReplicas}, {@code calculateStatus}): active pods are those neither terminal nor
 * being deleted, so failed pods are replaced; excess pods are deleted in the controller's ranking.
 *
 * <h2>Where it differs from the real controller, on purpose</h2>
 *
 * <ul>
 *   <li>Expectations, slow-start creation batches and the 500-pod cap per sync are left out: the
 *       engine applies one whole sync before the next reconcile.
 *   <li>Adoption and orphaning by label selector are left to the engine: it passes the pods whose
 *       controller owner reference is this ReplicaSet.
 *   <li>Pod names are chosen here with the API server's {@code generateName} rule.
 *   <li>The ranking of pods to delete leaves out the "related pods on the same node" term, which
 *       needs the pods of sibling ReplicaSets.
 *   <li>The {@code ReplicaFailure} condition is not reported.
 * </ul>
 *
 * <p>Thread-safe: it keeps no state.
 */
public final class ReplicaSetReconciler {

    private ReplicaSetReconciler() {}

    /**
     * Computes what the ReplicaSet controller does for one ReplicaSet now.
     *
     * @param rs the ReplicaSet as stored, already defaulted by the API server
     * @param ownedPods the pods whose controller owner reference is this ReplicaSet
     * @param now the cluster's (virtual) time
     * @param random the source of pod name suffixes; seeded, so runs repeat
     * @return the pods to create and delete, the new status and events
     */
    public static ReplicaSetSync reconcile(ReplicaSet rs, List<Pod> ownedPods, Instant now, RandomGenerator random) {
        Objects.requireNonNull(rs, "rs");
        Objects.requireNonNull(ownedPods, "ownedPods");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(rs.getSpec(), "rs.spec");

        List<Pod> active = new ArrayList<>();
        for (Pod pod : ownedPods) {
            if (Pods.isActive(pod)) {
                active.add(pod);
            }
        }
        int replicas = Pods.orZero(rs.getSpec().getReplicas());
        int minReadySeconds = Pods.orZero(rs.getSpec().getMinReadySeconds());
        List<Pod> toCreate = new ArrayList<>();
        List<String> toDelete = new ArrayList<>();
        List<AppsEvent> events = new ArrayList<>();
        boolean deleting = rs.getMetadata().getDeletionTimestamp() != null;
        int diff = active.size() - replicas;
        if (!deleting && diff < 0) {
            Set<String> used = new HashSet<>();
            for (Pod pod : ownedPods) {
                used.add(Pods.name(pod));
            }
            for (int i = 0; i < -diff; i++) {
                Pod pod = newPod(rs, used, random);
                used.add(Pods.name(pod));
                toCreate.add(pod);
                events.add(AppsEvent.normal("SuccessfulCreate", "Created pod: " + Pods.name(pod)));
            }
        } else if (!deleting && diff > 0) {
            List<Pod> ranked = new ArrayList<>(active);
            ranked.sort(deletionOrder(now));
            for (Pod pod : ranked.subList(0, diff)) {
                toDelete.add(Pods.name(pod));
                events.add(AppsEvent.normal("SuccessfulDelete", "Deleted pod: " + Pods.name(pod)));
            }
        }

        ReplicaSetStatus status = calculateStatus(rs, ownedPods, active, minReadySeconds, now);
        Instant requeueAt = null;
        for (Pod pod : active) {
            Instant at = Pods.availableAt(pod, minReadySeconds, now);
            if (at != null && (requeueAt == null || at.isBefore(requeueAt))) {
                requeueAt = at;
            }
        }
        return new ReplicaSetSync(
                toCreate,
                toDelete,
                status.equals(rs.getStatus()) ? null : status,
                events,
                Optional.ofNullable(requeueAt));
    }

    private static ReplicaSetStatus calculateStatus(
            ReplicaSet rs, List<Pod> owned, List<Pod> active, int minReadySeconds, Instant now) {
        PodTemplateSpec template = rs.getSpec().getTemplate();
        Map<String, String> templateLabels = template == null || template.getMetadata() == null
                ? Map.of()
                : template.getMetadata().getLabels();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod pod : active) {
            if (Pods.hasLabels(pod.getMetadata().getLabels(), templateLabels)) {
                fullyLabeled++;
            }
            if (Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReadySeconds, now)) {
                    available++;
                }
            }
        }
        // DeploymentReplicaSetTerminatingReplicas (beta, on by default since 1.35)
        int terminating = 0;
        for (Pod pod : owned) {
            if (Pods.isDeleted(pod) && !Pods.isTerminal(pod)) {
                terminating++;
            }
        }
        ReplicaSetStatus previous = rs.getStatus();
        return new ReplicaSetStatusBuilder()
                .withReplicas(active.size())
                .withTerminatingReplicas(terminating)
                .withFullyLabeledReplicas(fullyLabeled)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .withConditions(previous == null ? List.of() : previous.getConditions())
                .build();
    }

    private static Pod newPod(ReplicaSet rs, Set<String> used, RandomGenerator random) {
        ObjectMeta rsMeta = rs.getMetadata();
        PodTemplateSpec template = rs.getSpec().getTemplate();
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        String name = Pods.generateName(rsMeta.getName() + "-", used, random);
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withGenerateName(rsMeta.getName() + "-")
                .withNamespace(rsMeta.getNamespace())
                .withLabels(copy(templateMeta.getLabels()))
                .withAnnotations(copy(templateMeta.getAnnotations()))
                .withFinalizers(templateMeta.getFinalizers() == null ? List.of() : templateMeta.getFinalizers())
                .withOwnerReferences(Pods.controllerRef("ReplicaSet", rsMeta.getName(), rsMeta.getUid()))
                .endMetadata()
                .withSpec(template.getSpec() == null ? null : new PodSpecBuilder(template.getSpec()).build())
                .build();
    }

    private static Map<String, String> copy(@Nullable Map<String, String> map) {
        return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
    }

    /**
     * The order in which the controller deletes excess pods ({@code controller.ActivePodsWithRanks}):
     * unscheduled before scheduled, Pending before Unknown before Running, not ready before ready,
     * ready for less time before more, more restarts before fewer, newer before older; the name
     * breaks ties so runs repeat.
     */
    static Comparator<Pod> deletionOrder(Instant now) {
        return Comparator.comparing(Pods::isScheduled)
                .thenComparingInt(p -> phaseRank(Pods.phase(p)))
                .thenComparing(Pods::isReady)
                .thenComparing(p -> Objects.requireNonNullElse(Pods.readySince(p), now), Comparator.reverseOrder())
                .thenComparing(Comparator.comparingInt(Pods::restarts).reversed())
                .thenComparing(
                        p -> Objects.requireNonNullElse(
                                Pods.parseTime(p.getMetadata().getCreationTimestamp()), now),
                        Comparator.reverseOrder())
                .thenComparing(Pods::name);
    }

    private static int phaseRank(String phase) {
        return KubeTime.phaseRank(phase);
    }
}
