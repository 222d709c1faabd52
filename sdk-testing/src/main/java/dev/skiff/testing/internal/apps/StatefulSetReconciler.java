package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory cluster's StatefulSet controller, as a pure function from a StatefulSet, its pods,
 * the namespace's claims and the time to the changes the controller makes ({@link
 * StatefulSetSync}).
 *
 * <p>It follows kubernetes/kubernetes {@code pkg/controller/statefulset} ({@code
 * stateful_set_control.go} {@code updateStatefulSet}, {@code processReplica}, {@code
 * processCondemned}): pods are named {@code <set>-<ordinal>}; with {@code OrderedReady} the
 * controller creates ordinal {@code i} only once every lower ordinal is Running, Ready and
 * available, and removes pods one at a time from the highest ordinal; with {@code Parallel} it
 * creates and deletes them all at once. Failed or succeeded pods are deleted, and recreated on the
 * next sync once they are gone. Claims from {@code volumeClaimTemplates} are created before their
 * pod. A {@code RollingUpdate} deletes pods of an older revision from the highest ordinal down to
 * the partition, one at a time, waiting for each to come back healthy.
 *
 * <h2>Where it differs from the real controller, on purpose</h2>
 *
 * <ul>
 *   <li>No ControllerRevision objects: the update revision is {@code <set>-<hash>} with the hash of
 *       {@link TemplateHash}, and {@code status.currentRevision} is trusted as stored. New pods
 *       always get the update revision's template, even below a rolling update's partition.
 *   <li>{@code persistentVolumeClaimRetentionPolicy} (claim owner references and deletion),
 *       {@code maxUnavailable} above 1, identity and storage repair of existing pods, and the
 *       {@code AvailableReplicas}-style conditions are not implemented.
 *   <li>Adoption and orphaning by selector are left to the engine: it passes the pods whose
 *       controller owner reference is this StatefulSet.
 * </ul>
 *
 * <p>Thread-safe: it keeps no state.
 */
public final class StatefulSetReconciler {

    /** Label with the pod's name. */
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

    /** Label with the pod's ordinal. */
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

    /** Label with the name of the revision the pod was made from. */
    public static final String REVISION_LABEL = "controller-revision-hash";

    private static final Pattern ORDINAL_NAME = Pattern.compile("(.*)-([0-9]+)$");

    private StatefulSetReconciler() {}

    /**
     * Computes what the StatefulSet controller does for one StatefulSet now.
     *
     * @param s the StatefulSet as stored, already defaulted by the API server
     * @param ownedPods the pods whose controller owner reference is this StatefulSet
     * @param claims the PersistentVolumeClaims of the StatefulSet's namespace (at least those its
     *     templates name)
     * @param now the cluster's (virtual) time
     * @return the claims and pods to create, the pods to delete, the new status and events
     */
    public static StatefulSetSync reconcile(
            StatefulSet s, List<Pod> ownedPods, List<PersistentVolumeClaim> claims, Instant now) {
        Objects.requireNonNull(s, "s");
        Objects.requireNonNull(ownedPods, "ownedPods");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(s.getSpec(), "s.spec");
        return new Sync(s, ownedPods, claims, now).run();
    }

    /** The ordinal in a pod name {@code <set>-<ordinal>}, or -1 when the name is not the set's. */
    static int ordinal(String setName, String podName) {
        Matcher matcher = ORDINAL_NAME.matcher(podName);
        if (!matcher.matches() || !setName.equals(matcher.group(1))) {
            return -1;
        }
        try {
            return Integer.parseInt(matcher.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The claim name for a template and ordinal: {@code <template>-<set>-<ordinal>}. */
    static String claimName(String templateName, String setName, int ordinal) {
        return templateName + "-" + setName + "-" + ordinal;
    }

    private static final class Sync {
        private final StatefulSet set;
        private final StatefulSetSpec spec;
        private final String setName;
        private final Instant now;
        private final int minReadySeconds;
        private final boolean monotonic;
        private final String updateRevision;
        private final String currentRevision;
        private final int start;
        /** Slot {@code i} holds ordinal {@code start + i}; null where no pod exists. */
        private final @Nullable Pod[] replicas;

        private final List<Pod> condemned = new ArrayList<>();
        private final Set<String> existingClaims = new HashSet<>();
        private final List<PersistentVolumeClaim> claimsToCreate = new ArrayList<>();
        private final List<Pod> podsToCreate = new ArrayList<>();
        private final Set<String> createdNames = new HashSet<>();
        private final List<String> podsToDelete = new ArrayList<>();
        private final List<AppsEvent> events = new ArrayList<>();

        Sync(StatefulSet set, List<Pod> pods, List<PersistentVolumeClaim> claims, Instant now) {
            this.set = set;
            this.spec = set.getSpec();
            this.setName = set.getMetadata().getName();
            this.now = now;
            this.minReadySeconds = Pods.orZero(spec.getMinReadySeconds());
            this.monotonic = !"Parallel".equals(spec.getPodManagementPolicy());
            Integer collisions =
                    set.getStatus() == null ? null : set.getStatus().getCollisionCount();
            // The controller always hashes a collision count, 0 until a collision happened.
            this.updateRevision =
                    setName + "-" + TemplateHash.of(spec.getTemplate(), collisions == null ? 0 : collisions);
            String stored = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
            this.currentRevision = stored == null || stored.isEmpty() ? updateRevision : stored;
            this.start = spec.getOrdinals() == null
                    ? 0
                    : Pods.orZero(spec.getOrdinals().getStart());
            this.replicas = new Pod[Pods.orZero(spec.getReplicas())];
            for (Pod pod : pods) {
                int ordinal = ordinal(setName, Pods.name(pod));
                if (ordinal < 0) {
                    continue;
                }
                if (ordinal >= start && ordinal < start + replicas.length) {
                    replicas[ordinal - start] = pod;
                } else {
                    condemned.add(pod);
                }
            }
            condemned.sort((a, b) -> Integer.compare(ordinal(setName, Pods.name(b)), ordinal(setName, Pods.name(a))));
            for (PersistentVolumeClaim claim : claims) {
                existingClaims.add(claim.getMetadata().getName());
            }
        }

        StatefulSetSync run() {
            StatefulSetStatus status = status();
            if (set.getMetadata().getDeletionTimestamp() == null) {
                manage();
            }
            Instant requeueAt = null;
            for (Pod pod : existingPods()) {
                Instant at = "Running".equals(Pods.phase(pod)) ? Pods.availableAt(pod, minReadySeconds, now) : null;
                if (at != null && (requeueAt == null || at.isBefore(requeueAt))) {
                    requeueAt = at;
                }
            }
            return new StatefulSetSync(
                    claimsToCreate,
                    podsToCreate,
                    podsToDelete,
                    status.equals(set.getStatus()) ? null : status,
                    events,
                    Optional.ofNullable(requeueAt));
        }

        private void manage() {
            @Nullable Pod firstUnhealthy = null;
            for (Pod pod : replicas) {
                if (pod != null && !isHealthy(pod)) {
                    firstUnhealthy = pod;
                    break;
                }
            }
            if (firstUnhealthy == null) {
                for (Pod pod : condemned) {
                    if (!isHealthy(pod)) {
                        firstUnhealthy = pod;
                        break;
                    }
                }
            }
            for (int i = 0; i < replicas.length; i++) {
                if (processReplica(i) && monotonic) {
                    return;
                }
            }
            for (Pod pod : condemned) {
                if (processCondemned(pod, firstUnhealthy) && monotonic) {
                    return;
                }
            }
            String strategy =
                    spec.getUpdateStrategy() == null || spec.getUpdateStrategy().getType() == null
                            ? "RollingUpdate"
                            : spec.getUpdateStrategy().getType();
            if (!"RollingUpdate".equals(strategy)) {
                return;
            }
            int partition = spec.getUpdateStrategy().getRollingUpdate() == null
                    ? 0
                    : Pods.orZero(spec.getUpdateStrategy().getRollingUpdate().getPartition());
            for (int target = replicas.length - 1; target >= partition - start && target >= 0; target--) {
                Pod pod = replicas[target];
                if (pod == null || createdNames.contains(Pods.name(pod))) {
                    return;
                }
                if (!updateRevision.equals(revision(pod)) && !Pods.isDeleted(pod)) {
                    delete(pod);
                    return;
                }
                if (!isHealthy(pod)) {
                    return;
                }
            }
        }

        /** {@code processReplica}; true when a monotonic set must stop here. */
        private boolean processReplica(int i) {
            Pod pod = replicas[i];
            if (pod != null && Pods.isTerminal(pod)) {
                if (!Pods.isDeleted(pod) && !podsToDelete.contains(Pods.name(pod))) {
                    delete(pod);
                }
                // The replacement comes on the next sync, once the old pod is gone.
                return true;
            }
            if (pod == null) {
                Pod created = newPod(start + i);
                createClaims(start + i, created);
                podsToCreate.add(created);
                createdNames.add(Pods.name(created));
                replicas[i] = created;
                events.add(AppsEvent.normal(
                        "SuccessfulCreate",
                        "create Pod " + Pods.name(created) + " in StatefulSet " + setName + " successful"));
                return true;
            }
            if ("Pending".equals(Pods.phase(pod))) {
                createClaims(start + i, pod);
            }
            if (Pods.isDeleted(pod)) {
                return true;
            }
            return !isHealthy(pod);
        }

        /** {@code processCondemned}; true when a monotonic set must stop here. */
        private boolean processCondemned(Pod pod, @Nullable Pod firstUnhealthy) {
            if (Pods.isDeleted(pod)) {
                return true;
            }
            if (monotonic && !isHealthy(pod) && pod != firstUnhealthy) {
                return true;
            }
            delete(pod);
            return true;
        }

        private void delete(Pod pod) {
            podsToDelete.add(Pods.name(pod));
            events.add(AppsEvent.normal(
                    "SuccessfulDelete", "delete Pod " + Pods.name(pod) + " in StatefulSet " + setName + " successful"));
        }

        private void createClaims(int ordinal, Pod pod) {
            if (spec.getVolumeClaimTemplates() == null) {
                return;
            }
            for (PersistentVolumeClaim template : spec.getVolumeClaimTemplates()) {
                String name = claimName(template.getMetadata().getName(), setName, ordinal);
                if (existingClaims.contains(name)) {
                    continue;
                }
                ObjectMeta meta = template.getMetadata();
                Map<String, String> labels =
                        new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
                if (spec.getSelector() != null && spec.getSelector().getMatchLabels() != null) {
                    labels.putAll(spec.getSelector().getMatchLabels());
                }
                PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(set.getMetadata().getNamespace())
                        .withLabels(labels)
                        .withAnnotations(
                                meta.getAnnotations() == null
                                        ? new LinkedHashMap<>()
                                        : new LinkedHashMap<>(meta.getAnnotations()))
                        .endMetadata()
                        .withSpec(
                                template.getSpec() == null
                                        ? null
                                        : new PersistentVolumeClaimSpecBuilder(template.getSpec()).build())
                        .build();
                claimsToCreate.add(claim);
                existingClaims.add(name);
                events.add(AppsEvent.normal(
                        "SuccessfulCreate",
                        "create Claim " + name + " Pod " + Pods.name(pod) + " in StatefulSet " + setName + " success"));
            }
        }

        private Pod newPod(int ordinal) {
            PodTemplateSpec template = spec.getTemplate();
            ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
            String name = setName + "-" + ordinal;
            Map<String, String> labels =
                    new LinkedHashMap<>(templateMeta.getLabels() == null ? Map.of() : templateMeta.getLabels());
            labels.put(POD_NAME_LABEL, name);
            labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
            labels.put(REVISION_LABEL, updateRevision);
            PodSpec podSpec =
                    template.getSpec() == null ? new PodSpec() : new PodSpecBuilder(template.getSpec()).build();
            podSpec.setHostname(name);
            if (spec.getServiceName() != null && !spec.getServiceName().isEmpty()) {
                podSpec.setSubdomain(spec.getServiceName());
            }
            if (spec.getVolumeClaimTemplates() != null
                    && !spec.getVolumeClaimTemplates().isEmpty()) {
                List<Volume> volumes = new ArrayList<>();
                Set<String> claimed = new HashSet<>();
                for (PersistentVolumeClaim claim : spec.getVolumeClaimTemplates()) {
                    String volume = claim.getMetadata().getName();
                    claimed.add(volume);
                    volumes.add(new VolumeBuilder()
                            .withName(volume)
                            .withNewPersistentVolumeClaim()
                            .withClaimName(claimName(volume, setName, ordinal))
                            .withReadOnly(false)
                            .endPersistentVolumeClaim()
                            .build());
                }
                if (podSpec.getVolumes() != null) {
                    for (Volume volume : podSpec.getVolumes()) {
                        if (!claimed.contains(volume.getName())) {
                            volumes.add(volume);
                        }
                    }
                }
                podSpec.setVolumes(volumes);
            }
            return new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(set.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(
                            templateMeta.getAnnotations() == null
                                    ? new LinkedHashMap<>()
                                    : new LinkedHashMap<>(templateMeta.getAnnotations()))
                    .withOwnerReferences(Pods.controllerRef(
                            "StatefulSet", setName, set.getMetadata().getUid()))
                    .endMetadata()
                    .withSpec(podSpec)
                    .build();
        }

        private boolean isHealthy(Pod pod) {
            return "Running".equals(Pods.phase(pod))
                    && Pods.isAvailable(pod, minReadySeconds, now)
                    && !Pods.isDeleted(pod);
        }

        private List<Pod> existingPods() {
            List<Pod> pods = new ArrayList<>();
            for (Pod pod : replicas) {
                if (pod != null && !createdNames.contains(Pods.name(pod))) {
                    pods.add(pod);
                }
            }
            pods.addAll(condemned);
            return pods;
        }

        private StatefulSetStatus status() {
            int count = 0;
            int ready = 0;
            int available = 0;
            int current = 0;
            int updated = 0;
            for (Pod pod : existingPods()) {
                boolean created = Pods.hasPhase(pod);
                if (created) {
                    count++;
                }
                if ("Running".equals(Pods.phase(pod)) && Pods.isReady(pod)) {
                    ready++;
                    if (Pods.isAvailable(pod, minReadySeconds, now)) {
                        available++;
                    }
                }
                if (created && !Pods.isDeleted(pod)) {
                    if (currentRevision.equals(revision(pod))) {
                        current++;
                    }
                    if (updateRevision.equals(revision(pod))) {
                        updated++;
                    }
                }
            }
            String currentName = currentRevision;
            boolean rolling = spec.getUpdateStrategy() == null
                    || spec.getUpdateStrategy().getType() == null
                    || "RollingUpdate".equals(spec.getUpdateStrategy().getType());
            if (rolling && updated == count && ready == count) {
                current = updated;
                currentName = updateRevision;
            }
            Integer collisions =
                    set.getStatus() == null ? null : set.getStatus().getCollisionCount();
            return new StatefulSetStatusBuilder()
                    .withObservedGeneration(set.getMetadata().getGeneration())
                    .withReplicas(count)
                    .withReadyReplicas(omitEmpty(ready))
                    .withAvailableReplicas(available)
                    .withCurrentReplicas(omitEmpty(current))
                    .withUpdatedReplicas(omitEmpty(updated))
                    .withCurrentRevision(currentName)
                    .withUpdateRevision(updateRevision)
                    .withCollisionCount(collisions == null ? 0 : collisions)
                    .withConditions(
                            set.getStatus() == null
                                    ? List.of()
                                    : set.getStatus().getConditions())
                    .build();
        }

        private static @Nullable String revision(Pod pod) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            return labels == null ? null : labels.get(REVISION_LABEL);
        }

        private static @Nullable Integer omitEmpty(int value) {
            return value == 0 ? null : value;
        }
    }
}
