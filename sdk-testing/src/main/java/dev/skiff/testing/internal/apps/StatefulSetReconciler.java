package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
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
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
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
 * its ControllerRevisions, the namespace's claims and the time to the changes the controller makes
 * ({@link StatefulSetSync}).
 *
 * <p>It follows kubernetes/kubernetes {@code pkg/controller/statefulset} ({@code
 * stateful_set_control.go} {@code updateStatefulSet}, {@code processReplica}, {@code
 * processCondemned}, {@code stateful_set_utils.go}):
 *
 * <ul>
 *   <li>Every template the set has had is a ControllerRevision ({@link Revisions}): a new template
 *       gets a new revision, going back to an earlier template renumbers that revision. {@code
 *       status.updateRevision} names the revision of the current template, {@code
 *       status.currentRevision} the one the set is rolling away from; revisions that neither names
 *       nor any pod uses are deleted beyond {@code revisionHistoryLimit}, oldest first.
 *   <li>Pods are named {@code <set>-<ordinal>} and labelled with their name, ordinal and revision
 *       ({@code controller-revision-hash}). With {@code OrderedReady} the controller creates ordinal
 *       {@code i} only once every lower ordinal is Running, Ready and available, and removes pods one
 *       at a time from the highest ordinal; with {@code Parallel} it creates and deletes them all at
 *       once. Failed or succeeded pods are deleted, and recreated on the next sync once they are gone.
 *   <li>A new pod gets the current revision's template when its ordinal is below a rolling update's
 *       partition, the update revision's otherwise. A {@code RollingUpdate} deletes pods of another
 *       revision from the highest ordinal down to the partition, at most {@code maxUnavailable}
 *       unavailable pods at a time ({@code MaxUnavailableStatefulSet}, on by default since 1.35);
 *       {@code OnDelete} replaces only the pods someone deletes.
 *   <li>Claims from {@code volumeClaimTemplates} are created before their pod. Their owner references
 *       follow {@code persistentVolumeClaimRetentionPolicy}: {@code whenDeleted: Delete} makes the set
 *       their owner, {@code whenScaled: Delete} makes a scaled-down pod the owner, so that the garbage
 *       collector removes them with it.
 * </ul>
 *
 * <h2>Where it differs from the real controller, on purpose</h2>
 *
 * <ul>
 *   <li>Revision names and pod labels hash Java's JSON of the template, not Go's: stable, but not
 *       the values a real cluster computes. A name taken by a revision of another owner is left to
 *       the engine, which counts the collision in {@code status.collisionCount}.
 *   <li>Identity and storage repair of existing pods, stale-claim checks and the conditions of
 *       {@code status} are not implemented.
 *   <li>Adoption and orphaning by selector are left to the engine: it passes the pods and revisions
 *       whose controller owner reference is this StatefulSet.
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
     * @param revisions the ControllerRevisions whose controller owner reference is this StatefulSet
     * @param now the cluster's (virtual) time
     * @return the revisions, claims and pods to create, update and delete, the new status and events
     */
    public static StatefulSetSync reconcile(
            StatefulSet s,
            List<Pod> ownedPods,
            List<PersistentVolumeClaim> claims,
            List<ControllerRevision> revisions,
            Instant now) {
        Objects.requireNonNull(s, "s");
        Objects.requireNonNull(ownedPods, "ownedPods");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(revisions, "revisions");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(s.getSpec(), "s.spec");
        return new Sync(s, ownedPods, claims, revisions, now).run();
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

    /**
     * {@code getStatefulSetMaxUnavailable}: {@code maxUnavailable} (default 1) against the replica
     * count, a percentage rounded down, never below 1.
     */
    static int maxUnavailable(@Nullable IntOrString value, int replicas) {
        int scaled = DeploymentReconciler.scaled(value == null ? new IntOrString(1) : value, replicas, false);
        return Math.max(1, scaled);
    }

    private static final class Sync {
        private final StatefulSet set;
        private final StatefulSetSpec spec;
        private final String setName;
        private final Instant now;
        private final int minReadySeconds;
        private final boolean monotonic;
        private final int start;
        private final List<Pod> pods;
        /** Slot {@code i} holds ordinal {@code start + i}; null where no pod exists. */
        private final @Nullable Pod[] replicas;

        private final List<Pod> condemned = new ArrayList<>();
        private final Map<String, PersistentVolumeClaim> existingClaims = new LinkedHashMap<>();
        private final List<ControllerRevision> revisions = new ArrayList<>();

        private int collisionCount;
        private ControllerRevision updateRevision;
        private ControllerRevision currentRevision;
        private PodTemplateSpec currentTemplate;
        private int deletedForUpdate;

        private @Nullable ControllerRevision revisionToCreate;
        private @Nullable ControllerRevision revisionToUpdate;
        private final List<String> revisionsToDelete = new ArrayList<>();
        private final List<PersistentVolumeClaim> claimsToCreate = new ArrayList<>();
        private final Map<String, PersistentVolumeClaim> claimsToUpdate = new LinkedHashMap<>();
        private final List<Pod> podsToCreate = new ArrayList<>();
        private final Set<String> createdNames = new HashSet<>();
        private final List<String> podsToDelete = new ArrayList<>();
        private final List<AppsEvent> events = new ArrayList<>();

        Sync(
                StatefulSet set,
                List<Pod> pods,
                List<PersistentVolumeClaim> claims,
                List<ControllerRevision> revisions,
                Instant now) {
            this.set = set;
            this.spec = set.getSpec();
            this.setName = set.getMetadata().getName();
            this.now = now;
            this.pods = pods;
            this.minReadySeconds = Pods.orZero(spec.getMinReadySeconds());
            this.monotonic = !"Parallel".equals(spec.getPodManagementPolicy());
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
                existingClaims.put(claim.getMetadata().getName(), claim);
            }
            this.revisions.addAll(revisions);
            this.revisions.sort(Revisions.ORDER);
        }

        StatefulSetSync run() {
            resolveRevisions();
            StatefulSetStatus status = status();
            if (set.getMetadata().getDeletionTimestamp() == null) {
                manage();
                if (deletedForUpdate > 0) {
                    status.setCurrentReplicas(omitEmpty(Pods.orZero(status.getCurrentReplicas()) - deletedForUpdate));
                }
                completeRollingUpdate(status);
            }
            truncateHistory();
            Instant requeueAt = null;
            for (Pod pod : existingPods()) {
                Instant at = "Running".equals(Pods.phase(pod)) ? Pods.availableAt(pod, minReadySeconds, now) : null;
                if (at != null && (requeueAt == null || at.isBefore(requeueAt))) {
                    requeueAt = at;
                }
            }
            return new StatefulSetSync(
                    Optional.ofNullable(revisionToCreate),
                    Optional.ofNullable(revisionToUpdate),
                    claimsToCreate,
                    List.copyOf(claimsToUpdate.values()),
                    podsToCreate,
                    podsToDelete,
                    revisionsToDelete,
                    status.equals(set.getStatus()) ? null : status,
                    events,
                    Optional.ofNullable(requeueAt));
        }

        // ---- revisions ----

        /** {@code getStatefulSetRevisions}: the update revision (found, renumbered or new) and the current one. */
        private void resolveRevisions() {
            Integer stored = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
            collisionCount = stored == null ? 0 : stored;
            Map<String, Object> data = Revisions.data(spec.getTemplate());
            ControllerRevision last = revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
            long next = last == null ? 1 : Pods.orZero(last.getRevision()) + 1;
            ControllerRevision equal = null;
            for (ControllerRevision revision : revisions) {
                if (Revisions.sameData(revision, data)) {
                    equal = revision;
                }
            }
            if (equal != null && equal == last) {
                updateRevision = last;
            } else if (equal != null) {
                // back to an earlier template: that revision becomes the newest
                updateRevision =
                        new ControllerRevisionBuilder(equal).withRevision(next).build();
                revisionToUpdate = updateRevision;
            } else {
                Set<String> taken = new HashSet<>();
                for (ControllerRevision revision : revisions) {
                    taken.add(revision.getMetadata().getName());
                }
                ControllerRevision candidate = Revisions.of(set, next, collisionCount);
                while (taken.contains(candidate.getMetadata().getName())) {
                    collisionCount++;
                    candidate = Revisions.of(set, next, collisionCount);
                }
                updateRevision = candidate;
                revisionToCreate = candidate;
            }
            String currentName =
                    set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
            currentRevision = updateRevision;
            for (ControllerRevision revision : revisions) {
                if (revision.getMetadata().getName().equals(currentName)) {
                    currentRevision = revision;
                    break;
                }
            }
            currentTemplate =
                    currentRevision == updateRevision ? spec.getTemplate() : Revisions.template(currentRevision);
        }

        /** {@code truncateHistory}: revisions no status field and no pod uses, beyond the limit, oldest first. */
        private void truncateHistory() {
            Set<String> live = new HashSet<>();
            live.add(currentRevision.getMetadata().getName());
            live.add(updateRevision.getMetadata().getName());
            for (Pod pod : pods) {
                live.add(revision(pod));
            }
            List<String> history = new ArrayList<>();
            for (ControllerRevision revision : revisions) {
                if (!live.contains(revision.getMetadata().getName())) {
                    history.add(revision.getMetadata().getName());
                }
            }
            int limit = spec.getRevisionHistoryLimit() == null ? 10 : spec.getRevisionHistoryLimit();
            if (limit >= 0 && history.size() > limit) {
                revisionsToDelete.addAll(history.subList(0, history.size() - limit));
            }
        }

        // ---- pods ----

        private void manage() {
            Pod firstUnhealthy = null;
            for (Pod pod : replicas) {
                if (pod != null && isUnavailable(pod)) {
                    firstUnhealthy = pod;
                    break;
                }
            }
            if (firstUnhealthy == null) {
                // condemned pods are sorted by descending ordinal: the lowest comes first here
                for (int i = condemned.size() - 1; i >= 0; i--) {
                    if (isUnavailable(condemned.get(i))) {
                        firstUnhealthy = condemned.get(i);
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
                matchRetentionPolicy(pod, true);
            }
            for (Pod pod : condemned) {
                if (processCondemned(pod, firstUnhealthy) && monotonic) {
                    return;
                }
            }
            if (!"RollingUpdate".equals(strategyType())) {
                return; // OnDelete: pods change revision only when someone deletes them
            }
            rollingUpdate();
        }

        private String strategyType() {
            return spec.getUpdateStrategy() == null || spec.getUpdateStrategy().getType() == null
                    ? "RollingUpdate"
                    : spec.getUpdateStrategy().getType();
        }

        private @Nullable RollingUpdateStatefulSetStrategy rollingStrategy() {
            return spec.getUpdateStrategy() == null
                    ? null
                    : spec.getUpdateStrategy().getRollingUpdate();
        }

        /**
         * {@code updateStatefulSetAfterInvariantEstablished}: while no more than {@code maxUnavailable}
         * replicas are unavailable, deletes pods of another revision from the highest ordinal down to
         * the partition, up to the difference.
         */
        private void rollingUpdate() {
            RollingUpdateStatefulSetStrategy rolling = rollingStrategy();
            int updateMin = rolling == null ? 0 : Pods.orZero(rolling.getPartition());
            int maxUnavailable = rolling == null ? 1 : maxUnavailable(rolling.getMaxUnavailable(), replicas.length);
            int unavailable = 0;
            for (Pod pod : replicas) {
                if (pod == null || isUnavailable(pod)) {
                    unavailable++;
                }
            }
            if (unavailable > maxUnavailable) {
                return;
            }
            int toDelete = maxUnavailable - unavailable;
            String target = updateRevision.getMetadata().getName();
            for (int i = replicas.length - 1; i >= updateMin && deletedForUpdate < toDelete; i--) {
                Pod pod = replicas[i];
                if (pod != null && !target.equals(revision(pod)) && !Pods.isDeleted(pod)) {
                    delete(pod);
                    deletedForUpdate++;
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
                        "Create Pod " + Pods.name(created) + " in StatefulSet " + setName + " successful"));
                return true;
            }
            if ("Pending".equals(Pods.phase(pod))) {
                createClaims(start + i, pod);
            }
            if (monotonic && (Pods.isDeleted(pod) || !isRunningAndReady(pod) || isUnavailable(pod))) {
                return true;
            }
            matchRetentionPolicy(pod, false);
            return false;
        }

        /** {@code processCondemned}; true when a monotonic set must stop here. */
        private boolean processCondemned(Pod pod, @Nullable Pod firstUnhealthy) {
            if (Pods.isDeleted(pod)) {
                return monotonic;
            }
            if (monotonic && isUnavailable(pod) && pod != firstUnhealthy) {
                return true;
            }
            delete(pod);
            return true;
        }

        private void delete(Pod pod) {
            podsToDelete.add(Pods.name(pod));
            events.add(AppsEvent.normal(
                    "SuccessfulDelete", "Delete Pod " + Pods.name(pod) + " in StatefulSet " + setName + " successful"));
        }

        /**
         * {@code newVersionedStatefulSetPod}: below the partition of a rolling update the current
         * revision's template, otherwise the update revision's.
         */
        private Pod newPod(int ordinal) {
            RollingUpdateStatefulSetStrategy rolling = rollingStrategy();
            int currentReplicas =
                    set.getStatus() == null ? 0 : Pods.orZero(set.getStatus().getCurrentReplicas());
            boolean current =
                    ("RollingUpdate".equals(strategyType()) && rolling == null && ordinal < start + currentReplicas)
                            || (rolling != null && ordinal < start + Pods.orZero(rolling.getPartition()));
            return current
                    ? newPod(
                            ordinal,
                            currentTemplate,
                            currentRevision.getMetadata().getName())
                    : newPod(
                            ordinal,
                            spec.getTemplate(),
                            updateRevision.getMetadata().getName());
        }

        private Pod newPod(int ordinal, PodTemplateSpec template, String revision) {
            ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
            String name = setName + "-" + ordinal;
            Map<String, String> labels =
                    new LinkedHashMap<>(templateMeta.getLabels() == null ? Map.of() : templateMeta.getLabels());
            labels.put(POD_NAME_LABEL, name);
            labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
            labels.put(REVISION_LABEL, revision);
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

        // ---- claims ----

        private void createClaims(int ordinal, Pod pod) {
            if (spec.getVolumeClaimTemplates() == null) {
                return;
            }
            for (PersistentVolumeClaim template : spec.getVolumeClaimTemplates()) {
                String name = claimName(template.getMetadata().getName(), setName, ordinal);
                if (existingClaims.containsKey(name)) {
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
                // a new pod is never scaled down: at most the set owns the claim
                claim.getMetadata().setOwnerReferences(ownerRefs(List.of(), pod, false));
                claimsToCreate.add(claim);
                existingClaims.put(name, claim);
                events.add(AppsEvent.normal(
                        "SuccessfulCreate",
                        "Create Claim " + name + " Pod " + Pods.name(pod) + " in StatefulSet " + setName + " success"));
            }
        }

        /**
         * {@code ClaimsMatchRetentionPolicy} and {@code UpdatePodClaimForRetentionPolicy}: gives the
         * pod's claims the owner references the policy asks for.
         */
        private void matchRetentionPolicy(Pod pod, boolean scaledDown) {
            if (spec.getVolumeClaimTemplates() == null || pod.getMetadata().getUid() == null) {
                return;
            }
            int ordinal = ordinal(setName, Pods.name(pod));
            for (PersistentVolumeClaim template : spec.getVolumeClaimTemplates()) {
                String name = claimName(template.getMetadata().getName(), setName, ordinal);
                PersistentVolumeClaim claim = claimsToUpdate.getOrDefault(name, existingClaims.get(name));
                if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
                    continue;
                }
                List<OwnerReference> refs = refs(claim);
                if (hasStaleRef(refs, pod)) {
                    continue; // owned by an earlier set or pod of the same name: leave it alone
                }
                List<OwnerReference> wanted = ownerRefs(refs, pod, scaledDown);
                if (!sameOwners(refs, wanted)) {
                    PersistentVolumeClaim next = new PersistentVolumeClaimBuilder(claim).build();
                    next.getMetadata().setOwnerReferences(wanted);
                    claimsToUpdate.put(name, next);
                }
            }
        }

        /**
         * {@code updateClaimOwnerRefForSetAndPod}: the claim's references without those to the set and
         * the pod, plus, as controller, the set ({@code whenDeleted: Delete} while the pod is in range)
         * and the pod ({@code whenScaled: Delete} once it is scaled down). A claim another controller
         * owns keeps only that one.
         */
        private List<OwnerReference> ownerRefs(List<OwnerReference> current, Pod pod, boolean scaledDown) {
            String setUid = set.getMetadata().getUid();
            String podUid = pod.getMetadata().getUid();
            StatefulSetPersistentVolumeClaimRetentionPolicy policy = spec.getPersistentVolumeClaimRetentionPolicy();
            boolean deleteWithSet = policy != null && "Delete".equals(policy.getWhenDeleted());
            boolean deleteWhenScaled = policy != null && "Delete".equals(policy.getWhenScaled());
            List<OwnerReference> refs = new ArrayList<>();
            boolean otherController = false;
            for (OwnerReference ref : current) {
                if (isRefTo(ref, "StatefulSet", setName) || isRefTo(ref, "Pod", Pods.name(pod))) {
                    continue;
                }
                otherController |= Boolean.TRUE.equals(ref.getController());
                refs.add(ref);
            }
            if (otherController && (deleteWithSet || deleteWhenScaled)) {
                return refs;
            }
            if (deleteWithSet && (!deleteWhenScaled || !scaledDown)) {
                refs.add(Pods.controllerRef("StatefulSet", setName, setUid));
            }
            if (deleteWhenScaled && scaledDown && podUid != null) {
                refs.add(new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName(Pods.name(pod))
                        .withUid(podUid)
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build());
            }
            return refs;
        }

        private boolean hasStaleRef(List<OwnerReference> refs, Pod pod) {
            for (OwnerReference ref : refs) {
                if (isRefTo(ref, "StatefulSet", setName)
                        && !Objects.equals(ref.getUid(), set.getMetadata().getUid())) {
                    return true;
                }
                if (isRefTo(ref, "Pod", Pods.name(pod))
                        && !Objects.equals(ref.getUid(), pod.getMetadata().getUid())) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isRefTo(OwnerReference ref, String kind, String name) {
            String apiVersion = kind.equals("Pod") ? "v1" : "apps/v1";
            return apiVersion.equals(ref.getApiVersion()) && kind.equals(ref.getKind()) && name.equals(ref.getName());
        }

        private static boolean sameOwners(List<OwnerReference> a, List<OwnerReference> b) {
            return new HashSet<>(a).equals(new HashSet<>(b));
        }

        private static List<OwnerReference> refs(PersistentVolumeClaim claim) {
            return claim.getMetadata().getOwnerReferences() == null
                    ? List.of()
                    : claim.getMetadata().getOwnerReferences();
        }

        // ---- status ----

        private boolean isRunningAndReady(Pod pod) {
            return "Running".equals(Pods.phase(pod)) && Pods.isReady(pod);
        }

        /** {@code isUnavailable}: not available for {@code minReadySeconds}, or terminating. */
        private boolean isUnavailable(Pod pod) {
            return !Pods.isAvailable(pod, minReadySeconds, now) || Pods.isDeleted(pod);
        }

        private List<Pod> existingPods() {
            List<Pod> existing = new ArrayList<>();
            for (Pod pod : replicas) {
                if (pod != null && !createdNames.contains(Pods.name(pod))) {
                    existing.add(pod);
                }
            }
            existing.addAll(condemned);
            return existing;
        }

        /** {@code updateStatus} over the pods that exist. */
        private StatefulSetStatus status() {
            int count = 0;
            int ready = 0;
            int available = 0;
            int current = 0;
            int updated = 0;
            String currentName = currentRevision.getMetadata().getName();
            String updateName = updateRevision.getMetadata().getName();
            for (Pod pod : existingPods()) {
                boolean created = Pods.hasPhase(pod);
                if (created) {
                    count++;
                }
                if (isRunningAndReady(pod)) {
                    ready++;
                    if (Pods.isAvailable(pod, minReadySeconds, now)) {
                        available++;
                    }
                }
                if (created && !Pods.isDeleted(pod)) {
                    if (currentName.equals(revision(pod))) {
                        current++;
                    }
                    if (updateName.equals(revision(pod))) {
                        updated++;
                    }
                }
            }
            return new StatefulSetStatusBuilder()
                    .withObservedGeneration(set.getMetadata().getGeneration())
                    .withReplicas(count)
                    .withReadyReplicas(omitEmpty(ready))
                    .withAvailableReplicas(available)
                    .withCurrentReplicas(omitEmpty(current))
                    .withUpdatedReplicas(omitEmpty(updated))
                    .withCurrentRevision(currentName)
                    .withUpdateRevision(updateName)
                    .withCollisionCount(collisionCount)
                    .withConditions(
                            set.getStatus() == null
                                    ? List.of()
                                    : set.getStatus().getConditions())
                    .build();
        }

        /** {@code completeRollingUpdate}: every replica updated and ready makes the update current. */
        private void completeRollingUpdate(StatefulSetStatus status) {
            int wanted = replicas.length;
            if ("RollingUpdate".equals(strategyType())
                    && Pods.orZero(status.getUpdatedReplicas()) == wanted
                    && Pods.orZero(status.getReadyReplicas()) == wanted
                    && Pods.orZero(status.getReplicas()) == wanted) {
                status.setCurrentReplicas(status.getUpdatedReplicas());
                status.setCurrentRevision(status.getUpdateRevision());
            }
        }

        private static String revision(Pod pod) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            String value = labels == null ? null : labels.get(REVISION_LABEL);
            return value == null ? "" : value;
        }

        private static @Nullable Integer omitEmpty(int value) {
            return value == 0 ? null : value;
        }
    }
}
