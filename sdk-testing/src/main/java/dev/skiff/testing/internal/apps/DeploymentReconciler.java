package dev.skiff.testing.internal.apps;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory cluster's Deployment controller, as a pure function from a Deployment, its
 * ReplicaSets, their pods and the time to the changes the controller makes ({@link
 * DeploymentSync}).
 *
 * <p>It follows kubernetes/kubernetes {@code pkg/controller/deployment} ({@code sync.go}, {@code
 * rolling.go}, {@code recreate.go}, {@code util/deployment_util.go}): the ReplicaSet of the
 * current template is {@code <deployment>-<pod-template-hash>}; {@code RollingUpdate} scales it up
 * within {@code maxSurge} (rounded up) and old ones down within {@code maxUnavailable} (rounded
 * down; 1 when both are 0), unhealthy old replicas first; {@code Recreate} scales every old
 * ReplicaSet to 0, waits until none of their pods is left running, then scales the new one up.
 * Old ReplicaSets of size 0 beyond {@code revisionHistoryLimit} are deleted once the rollout is
 * complete. When {@code replicas} changes mid-rollout (an active ReplicaSet's {@code
 * desired-replicas} annotation disagrees) or the Deployment is paused, the controller only resizes:
 * the replicas to add or remove are shared among the active ReplicaSets in proportion to their size.
 * Status counts come from the ReplicaSets' status, as in the real controller.
 *
 * <h2>Where it differs from the real controller, on purpose</h2>
 *
 * <ul>
 *   <li>The {@code pod-template-hash} is FNV-32a over the template's canonical JSON, not over Go's
 *       printed form (see {@link TemplateHash}): stable, but not the value a real cluster computes.
 *   <li>The long-gone {@code rollbackTo} field (extensions/v1beta1) is not honoured, and no
 *       {@code ReplicaFailure} condition is copied from the ReplicaSets.
 *   <li>Adoption and orphaning by selector are left to the engine: it passes the ReplicaSets whose
 *       controller owner reference is this Deployment, and their pods.
 * </ul>
 *
 * <p>Thread-safe: it keeps no state.
 */
public final class DeploymentReconciler {

    /** Revision annotation on Deployments and their ReplicaSets. */
    public static final String REVISION = "deployment.kubernetes.io/revision";

    /** The earlier revisions of a ReplicaSet a rollback brought back, comma-separated. */
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";

    private static final int MAX_REVISION_HISTORY_CHARS = 2000;

    /** The Deployment's {@code replicas}, on each ReplicaSet. */
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";

    /** The Deployment's {@code replicas + maxSurge}, on each ReplicaSet. */
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

    /** The label and selector term that tells a Deployment's ReplicaSets apart. */
    public static final String POD_TEMPLATE_HASH = TemplateHash.LABEL;

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";

    private static final Set<String> NOT_COPIED = Set.of(
            "kubectl.kubernetes.io/last-applied-configuration",
            REVISION,
            REVISION_HISTORY,
            DESIRED_REPLICAS,
            MAX_REPLICAS,
            "deprecated.deployment.rollback.to");

    private DeploymentReconciler() {}

    /**
     * Computes what the Deployment controller does for one Deployment now.
     *
     * @param d the Deployment as stored, already defaulted by the API server
     * @param ownedReplicaSets the ReplicaSets whose controller owner reference is this Deployment,
     *     with their status
     * @param pods the pods of those ReplicaSets (others are ignored)
     * @param now the cluster's (virtual) time
     * @return the ReplicaSets to create, update and delete, the revision, status and events
     */
    public static DeploymentSync reconcile(
            Deployment d, List<ReplicaSet> ownedReplicaSets, List<Pod> pods, Instant now) {
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(ownedReplicaSets, "ownedReplicaSets");
        Objects.requireNonNull(pods, "pods");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(d.getSpec(), "d.spec");
        return new Sync(d, ownedReplicaSets, pods, now).run();
    }

    /**
     * {@code ResolveFenceposts}: {@code maxSurge} rounded up and {@code maxUnavailable} rounded
     * down against {@code replicas}; when both come to 0, {@code maxUnavailable} is 1.
     *
     * @return {@code {maxSurge, maxUnavailable}}
     */
    static int[] resolveFenceposts(@Nullable IntOrString maxSurge, @Nullable IntOrString maxUnavailable, int replicas) {
        int surge = scaled(maxSurge, replicas, true);
        int unavailable = scaled(maxUnavailable, replicas, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[] {surge, unavailable};
    }

    /** {@code intstr.GetScaledValueFromIntOrPercent}; absent means the default 25%. */
    static int scaled(@Nullable IntOrString value, int total, boolean roundUp) {
        if (value == null || (value.getIntVal() == null && value.getStrVal() == null)) {
            value = new IntOrString("25%");
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal().trim();
        if (!text.endsWith("%")) {
            throw new IllegalArgumentException(
                    "invalid value for IntOrString: invalid type: string is not a percentage, but was " + text);
        }
        long percent = Long.parseLong(text.substring(0, text.length() - 1));
        long product = percent * total;
        return (int) (roundUp ? -Math.floorDiv(-product, 100) : Math.floorDiv(product, 100));
    }

    static long revision(ReplicaSet rs) {
        Map<String, String> annotations = rs.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(REVISION);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static final class Sync {
        private final Deployment d;
        private final DeploymentSpec spec;
        private final List<Pod> pods;
        private final Instant now;
        private final int replicas;
        /** Working copies, oldest first. */
        private final List<ReplicaSet> all = new ArrayList<>();

        private final Set<String> created = new LinkedHashSet<>();
        private final Set<String> updated = new LinkedHashSet<>();
        private final List<String> deleted = new ArrayList<>();
        private final List<AppsEvent> events = new ArrayList<>();
        /** The status as the controller has written it so far in this sync (conditions, collisions). */
        private final DeploymentStatus working;

        private @Nullable String revision;

        Sync(Deployment d, List<ReplicaSet> owned, List<Pod> pods, Instant now) {
            this.d = d;
            this.spec = d.getSpec();
            this.pods = pods;
            this.now = now;
            this.replicas = Pods.orZero(spec.getReplicas());
            for (ReplicaSet rs : owned) {
                all.add(new ReplicaSetBuilder(rs).build());
            }
            all.sort(BY_CREATION);
            this.working =
                    d.getStatus() == null ? new DeploymentStatus() : new DeploymentStatusBuilder(d.getStatus()).build();
        }

        DeploymentSync run() {
            if (d.getMetadata().getDeletionTimestamp() != null) {
                return finish(syncStatus(findNew()));
            }
            checkPaused();
            if (Boolean.TRUE.equals(spec.getPaused()) || isScalingEvent()) {
                return finish(sync());
            }
            if ("Recreate".equals(strategyType())) {
                return finish(recreate());
            }
            return finish(rolling());
        }

        private String strategyType() {
            return spec.getStrategy() == null || spec.getStrategy().getType() == null
                    ? "RollingUpdate"
                    : spec.getStrategy().getType();
        }

        // ---- scaling without a rollout ----

        /** {@code isScalingEvent}: an active ReplicaSet was sized for another {@code replicas}. */
        private boolean isScalingEvent() {
            for (ReplicaSet rs : all) {
                if (Pods.orZero(rs.getSpec().getReplicas()) <= 0) {
                    continue;
                }
                Integer desired = intAnnotation(rs, DESIRED_REPLICAS);
                if (desired != null && desired != replicas) {
                    return true;
                }
            }
            return false;
        }

        /** {@code sync}: resizes the ReplicaSets for a paused Deployment or a scaling event; no rollout. */
        private DeploymentStatus sync() {
            ReplicaSet newRs = newReplicaSet(false);
            scaleProportionally(newRs);
            if (Boolean.TRUE.equals(spec.getPaused())) {
                cleanup(newRs);
            }
            return syncStatus(newRs);
        }

        /**
         * {@code scale}: one active ReplicaSet (or none, then the newest) takes the whole size; a
         * saturated new one leaves the old ones at 0; otherwise, for a rolling update, the replicas
         * to add or remove are shared in proportion to each active ReplicaSet's size, largest first,
         * the leftover going to the largest.
         */
        private void scaleProportionally(@Nullable ReplicaSet newRs) {
            List<ReplicaSet> active = new ArrayList<>();
            for (ReplicaSet rs : all) {
                if (Pods.orZero(rs.getSpec().getReplicas()) > 0) {
                    active.add(rs);
                }
            }
            if (active.size() <= 1) {
                ReplicaSet target = active.isEmpty() ? (newRs != null ? newRs : newest()) : active.get(0);
                if (target != null && Pods.orZero(target.getSpec().getReplicas()) != replicas) {
                    scale(target, replicas);
                }
                return;
            }
            if (isSaturated(newRs)) {
                for (ReplicaSet rs : active) {
                    if (rs != newRs) {
                        scale(rs, 0);
                    }
                }
                return;
            }
            if (!"RollingUpdate".equals(strategyType())) {
                return;
            }
            int total = 0;
            for (ReplicaSet rs : active) {
                total += Pods.orZero(rs.getSpec().getReplicas());
            }
            int allowed = replicas > 0 ? replicas + maxSurge() : 0;
            int toAdd = allowed - total;
            // Larger first; among equals, newer first when growing and older first when shrinking.
            Comparator<ReplicaSet> bySize = Comparator.comparingInt(
                    (ReplicaSet rs) -> -Pods.orZero(rs.getSpec().getReplicas()));
            active.sort(toAdd > 0 ? bySize.thenComparing(BY_CREATION.reversed()) : bySize.thenComparing(BY_CREATION));
            int[] sizes = new int[active.size()];
            int added = 0;
            for (int i = 0; i < sizes.length; i++) {
                ReplicaSet rs = active.get(i);
                int proportion = toAdd == 0 ? 0 : proportion(rs, toAdd, added);
                sizes[i] = Pods.orZero(rs.getSpec().getReplicas()) + proportion;
                added += proportion;
            }
            if (toAdd != 0) {
                sizes[0] = Math.max(0, sizes[0] + toAdd - added);
            }
            for (int i = 0; i < sizes.length; i++) {
                scale(active.get(i), sizes[i]);
            }
        }

        /** {@code GetProportion}: this ReplicaSet's share of {@code toAdd}, within what is left of it. */
        private int proportion(ReplicaSet rs, int toAdd, int added) {
            int size = Pods.orZero(rs.getSpec().getReplicas());
            if (size == 0 || toAdd == added) {
                return 0;
            }
            int fraction;
            if (replicas == 0) {
                fraction = -size;
            } else {
                Integer before = intAnnotation(rs, MAX_REPLICAS);
                int base = before == null || before == 0
                        ? Pods.orZero(
                                d.getStatus() == null ? null : d.getStatus().getReplicas())
                        : before;
                // Go's math.Round: halves away from zero.
                fraction = (int) Math.round((double) size * (replicas + maxSurge()) / base) - size;
            }
            int left = toAdd - added;
            return toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
        }

        /** {@code IsSaturated}: the new ReplicaSet has every replica, all available. */
        private boolean isSaturated(@Nullable ReplicaSet newRs) {
            if (newRs == null) {
                return false;
            }
            Integer desired = intAnnotation(newRs, DESIRED_REPLICAS);
            return Pods.orZero(newRs.getSpec().getReplicas()) == replicas
                    && desired != null
                    && desired == replicas
                    && available(newRs) == replicas;
        }

        private @Nullable ReplicaSet newest() {
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }

        private static @Nullable Integer intAnnotation(ReplicaSet rs, String key) {
            Map<String, String> annotations = rs.getMetadata().getAnnotations();
            String value = annotations == null ? null : annotations.get(key);
            if (value == null) {
                return null;
            }
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        // ---- strategies ----

        private DeploymentStatus rolling() {
            ReplicaSet newRs = newReplicaSet(true);
            if (reconcileNewReplicaSet(Objects.requireNonNull(newRs))) {
                return syncRolloutStatus(newRs);
            }
            if (reconcileOldReplicaSets(newRs)) {
                return syncRolloutStatus(newRs);
            }
            if (isComplete(d.getStatus())) {
                cleanup(newRs);
            }
            return syncRolloutStatus(newRs);
        }

        private DeploymentStatus recreate() {
            ReplicaSet newRs = newReplicaSet(false);
            boolean scaledDown = false;
            for (ReplicaSet rs : all) {
                if (rs != newRs && Pods.orZero(rs.getSpec().getReplicas()) > 0) {
                    scaledDown |= scale(rs, 0);
                }
            }
            if (scaledDown || oldPodsRunning(newRs)) {
                return syncRolloutStatus(newRs);
            }
            if (newRs == null) {
                newRs = newReplicaSet(true);
            }
            scale(Objects.requireNonNull(newRs), replicas);
            if (isComplete(d.getStatus())) {
                cleanup(newRs);
            }
            return syncRolloutStatus(newRs);
        }

        private boolean oldPodsRunning(@Nullable ReplicaSet newRs) {
            Set<String> oldUids = new HashSet<>();
            int oldActual = 0;
            for (ReplicaSet rs : all) {
                if (rs != newRs) {
                    oldActual += rs.getStatus() == null
                            ? 0
                            : Pods.orZero(rs.getStatus().getReplicas());
                    oldUids.add(rs.getMetadata().getUid());
                }
            }
            if (oldActual > 0) {
                return true;
            }
            for (Pod pod : pods) {
                for (String uid : oldUids) {
                    if (Pods.isControlledBy(pod, uid) && !Pods.isTerminal(pod)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean reconcileNewReplicaSet(ReplicaSet newRs) {
            int current = Pods.orZero(newRs.getSpec().getReplicas());
            if (current == replicas) {
                return false;
            }
            if (current > replicas) {
                return scale(newRs, replicas);
            }
            return scale(newRs, newReplicas(current));
        }

        /** {@code NewRSNewReplicas}: how far the new ReplicaSet may grow now. */
        private int newReplicas(int newRsReplicas) {
            if ("Recreate".equals(strategyType())) {
                return replicas;
            }
            int maxSurge = resolveFenceposts(
                    rollingUpdate().getMaxSurge(), rollingUpdate().getMaxUnavailable(), replicas)[0];
            int currentPods = totalSpecReplicas();
            int maxTotal = replicas + maxSurge;
            if (currentPods >= maxTotal) {
                return newRsReplicas;
            }
            int scaleUp = Math.min(maxTotal - currentPods, replicas - newRsReplicas);
            return newRsReplicas + scaleUp;
        }

        private RollingUpdateDeployment rollingUpdate() {
            RollingUpdateDeployment ru =
                    spec.getStrategy() == null ? null : spec.getStrategy().getRollingUpdate();
            return ru == null ? new RollingUpdateDeployment() : ru;
        }

        private int maxUnavailable() {
            if (!"RollingUpdate".equals(strategyType()) || replicas == 0) {
                return 0;
            }
            int unavailable = resolveFenceposts(
                    rollingUpdate().getMaxSurge(), rollingUpdate().getMaxUnavailable(), replicas)[1];
            return Math.min(unavailable, replicas);
        }

        private int maxSurge() {
            if (!"RollingUpdate".equals(strategyType())) {
                return 0;
            }
            return resolveFenceposts(
                    rollingUpdate().getMaxSurge(), rollingUpdate().getMaxUnavailable(), replicas)[0];
        }

        private boolean reconcileOldReplicaSets(ReplicaSet newRs) {
            int oldPods = 0;
            for (ReplicaSet rs : all) {
                if (rs != newRs) {
                    oldPods += Pods.orZero(rs.getSpec().getReplicas());
                }
            }
            if (oldPods == 0) {
                return false;
            }
            int minAvailable = replicas - maxUnavailable();
            int newRsUnavailable = Pods.orZero(newRs.getSpec().getReplicas()) - available(newRs);
            int maxScaledDown = totalSpecReplicas() - minAvailable - newRsUnavailable;
            if (maxScaledDown <= 0) {
                return false;
            }
            // cleanupUnhealthyReplicas: old replicas that are not available go first.
            int cleaned = 0;
            for (ReplicaSet rs : all) {
                if (rs == newRs) {
                    continue;
                }
                if (cleaned >= maxScaledDown) {
                    break;
                }
                int size = Pods.orZero(rs.getSpec().getReplicas());
                int healthy = available(rs);
                if (size == 0 || size == healthy) {
                    continue;
                }
                int count = Math.min(maxScaledDown - cleaned, size - healthy);
                scale(rs, size - count);
                cleaned += count;
            }
            // scaleDownOldReplicaSetsForRollingUpdate: never below minAvailable available pods.
            int availablePods = 0;
            for (ReplicaSet rs : all) {
                availablePods += available(rs);
            }
            int scaledDown = 0;
            if (availablePods > minAvailable) {
                int total = availablePods - minAvailable;
                for (ReplicaSet rs : all) {
                    if (rs == newRs) {
                        continue;
                    }
                    if (scaledDown >= total) {
                        break;
                    }
                    int size = Pods.orZero(rs.getSpec().getReplicas());
                    if (size == 0) {
                        continue;
                    }
                    int count = Math.min(size, total - scaledDown);
                    scale(rs, size - count);
                    scaledDown += count;
                }
            }
            return cleaned + scaledDown > 0;
        }

        private void cleanup(@Nullable ReplicaSet newRs) {
            int limit = spec.getRevisionHistoryLimit() == null ? 10 : spec.getRevisionHistoryLimit();
            List<ReplicaSet> cleanable = new ArrayList<>();
            for (ReplicaSet rs : all) {
                if (rs != newRs && rs.getMetadata().getDeletionTimestamp() == null) {
                    cleanable.add(rs);
                }
            }
            int diff = cleanable.size() - limit;
            if (diff <= 0) {
                return;
            }
            cleanable.sort(
                    Comparator.comparingLong(DeploymentReconciler::revision).thenComparing(BY_CREATION));
            for (ReplicaSet rs : cleanable.subList(0, diff)) {
                int actual =
                        rs.getStatus() == null ? 0 : Pods.orZero(rs.getStatus().getReplicas());
                long observed =
                        rs.getStatus() == null ? 0 : Pods.orZero(rs.getStatus().getObservedGeneration());
                if (actual != 0
                        || Pods.orZero(rs.getSpec().getReplicas()) != 0
                        || Pods.orZero(rs.getMetadata().getGeneration()) > observed) {
                    continue;
                }
                deleted.add(rs.getMetadata().getName());
            }
        }

        // ---- the new ReplicaSet ----

        private @Nullable ReplicaSet findNew() {
            for (ReplicaSet rs : all) {
                if (TemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), spec.getTemplate())) {
                    return rs;
                }
            }
            return null;
        }

        /** {@code getNewReplicaSet}: finds it (syncing its revision) or, if asked, creates it. */
        private @Nullable ReplicaSet newReplicaSet(boolean create) {
            ReplicaSet existing = findNew();
            long maxOld = 0;
            for (ReplicaSet rs : all) {
                if (rs != existing) {
                    maxOld = Math.max(maxOld, revision(rs));
                }
            }
            String newRevision = Long.toString(maxOld + 1);
            if (existing != null) {
                boolean changed = copyAnnotations(existing);
                if (revision(existing) < maxOld + 1) {
                    String previous = existing.getMetadata().getAnnotations().put(REVISION, newRevision);
                    if (previous != null) {
                        // a rollback to this template: keep the revisions it had before
                        appendRevisionHistory(existing.getMetadata().getAnnotations(), previous);
                    }
                    changed = true;
                }
                if (!Objects.equals(existing.getSpec().getMinReadySeconds(), spec.getMinReadySeconds())) {
                    existing.getSpec().setMinReadySeconds(spec.getMinReadySeconds());
                    changed = true;
                }
                if (changed) {
                    updated.add(existing.getMetadata().getName());
                }
                setRevision(existing.getMetadata().getAnnotations().get(REVISION));
                if (hasProgressDeadline() && condition(PROGRESSING) == null) {
                    setCondition(
                            PROGRESSING,
                            "True",
                            "FoundNewReplicaSet",
                            "Found new replica set \"" + existing.getMetadata().getName() + "\"");
                }
                return existing;
            }
            if (!create) {
                return null;
            }
            ReplicaSet rs = buildNew(newRevision);
            all.add(rs);
            created.add(rs.getMetadata().getName());
            int size = Pods.orZero(rs.getSpec().getReplicas());
            if (size > 0) {
                events.add(AppsEvent.normal(
                        "ScalingReplicaSet",
                        "Scaled up replica set " + rs.getMetadata().getName() + " from 0 to " + size));
            }
            setRevision(newRevision);
            setCondition(
                    PROGRESSING,
                    "True",
                    "NewReplicaSetCreated",
                    "Created new replica set \"" + rs.getMetadata().getName() + "\"");
            return rs;
        }

        /** {@code SetNewReplicaSetAnnotations}: the history keeps at most 2000 characters, oldest dropped. */
        private static void appendRevisionHistory(Map<String, String> annotations, String previous) {
            String history = annotations.getOrDefault(REVISION_HISTORY, "");
            if (history.isEmpty()) {
                annotations.put(REVISION_HISTORY, previous);
                return;
            }
            List<String> revisions = new ArrayList<>(List.of(history.split(",", -1)));
            int total = history.length() + previous.length() + 1;
            while (total > MAX_REVISION_HISTORY_CHARS && !revisions.isEmpty()) {
                total -= revisions.remove(0).length() + 1;
            }
            if (total <= MAX_REVISION_HISTORY_CHARS) {
                revisions.add(previous);
                annotations.put(REVISION_HISTORY, String.join(",", revisions));
            }
        }

        private ReplicaSet buildNew(String newRevision) {
            Set<String> taken = new HashSet<>();
            for (ReplicaSet rs : all) {
                taken.add(rs.getMetadata().getName());
            }
            String hash;
            String name;
            while (true) {
                hash = TemplateHash.of(spec.getTemplate(), working.getCollisionCount());
                name = d.getMetadata().getName() + "-" + hash;
                if (!taken.contains(name)) {
                    break;
                }
                // Another ReplicaSet holds the name but not this template: a hash collision.
                working.setCollisionCount(Pods.orZero(working.getCollisionCount()) + 1);
            }
            PodTemplateSpec template = new PodTemplateSpecBuilder(spec.getTemplate()).build();
            if (template.getMetadata() == null) {
                template.setMetadata(new ObjectMeta());
            }
            Map<String, String> labels = new LinkedHashMap<>(
                    template.getMetadata().getLabels() == null
                            ? Map.of()
                            : template.getMetadata().getLabels());
            labels.put(POD_TEMPLATE_HASH, hash);
            template.getMetadata().setLabels(labels);
            LabelSelector selector = spec.getSelector() == null
                    ? new LabelSelector()
                    : new LabelSelectorBuilder(spec.getSelector()).build();
            Map<String, String> matchLabels =
                    new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
            matchLabels.put(POD_TEMPLATE_HASH, hash);
            selector.setMatchLabels(matchLabels);
            ReplicaSet rs = new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(d.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withOwnerReferences(Pods.controllerRef(
                            "Deployment",
                            d.getMetadata().getName(),
                            d.getMetadata().getUid()))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(0)
                    .withMinReadySeconds(spec.getMinReadySeconds())
                    .withSelector(selector)
                    .withTemplate(template)
                    .endSpec()
                    .build();
            rs.getMetadata().setAnnotations(new LinkedHashMap<>());
            copyAnnotations(rs);
            rs.getMetadata().getAnnotations().put(REVISION, newRevision);
            rs.getSpec().setReplicas(newReplicas(0));
            setReplicasAnnotations(rs);
            return rs;
        }

        /** Copies the Deployment's own annotations onto the ReplicaSet; true when any changed. */
        private boolean copyAnnotations(ReplicaSet rs) {
            if (rs.getMetadata().getAnnotations() == null) {
                rs.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            Map<String, String> source = d.getMetadata().getAnnotations();
            boolean changed = false;
            if (source != null) {
                for (Map.Entry<String, String> entry : source.entrySet()) {
                    if (!NOT_COPIED.contains(entry.getKey())
                            && !entry.getValue()
                                    .equals(rs.getMetadata().getAnnotations().get(entry.getKey()))) {
                        rs.getMetadata().getAnnotations().put(entry.getKey(), entry.getValue());
                        changed = true;
                    }
                }
            }
            return changed;
        }

        private boolean setReplicasAnnotations(ReplicaSet rs) {
            if (rs.getMetadata().getAnnotations() == null) {
                rs.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            Map<String, String> annotations = rs.getMetadata().getAnnotations();
            String desired = Integer.toString(replicas);
            String max = Integer.toString(replicas + maxSurge());
            boolean changed =
                    !desired.equals(annotations.get(DESIRED_REPLICAS)) || !max.equals(annotations.get(MAX_REPLICAS));
            annotations.put(DESIRED_REPLICAS, desired);
            annotations.put(MAX_REPLICAS, max);
            return changed;
        }

        private void setRevision(@Nullable String value) {
            Map<String, String> annotations = d.getMetadata().getAnnotations();
            String current = annotations == null ? null : annotations.get(REVISION);
            if (value != null && !value.equals(current)) {
                revision = value;
            }
        }

        /** {@code scaleReplicaSetAndRecordEvent}; true when the ReplicaSet was written. */
        private boolean scale(ReplicaSet rs, int size) {
            int current = Pods.orZero(rs.getSpec().getReplicas());
            boolean sizeChanged = current != size;
            boolean annotationsChanged = setReplicasAnnotations(rs);
            if (!sizeChanged && !annotationsChanged) {
                return false;
            }
            rs.getSpec().setReplicas(size);
            String name = rs.getMetadata().getName();
            if (!created.contains(name)) {
                updated.add(name);
            }
            if (sizeChanged) {
                events.add(AppsEvent.normal(
                        "ScalingReplicaSet",
                        String.format(
                                "Scaled %s replica set %s from %d to %d",
                                current < size ? "up" : "down", name, current, size)));
            }
            return true;
        }

        // ---- status ----

        private boolean hasProgressDeadline() {
            Integer deadline = spec.getProgressDeadlineSeconds();
            return deadline != null && deadline != Integer.MAX_VALUE;
        }

        /** {@code checkPausedConditions}: only with a progress deadline, and never over a timeout. */
        private void checkPaused() {
            if (!hasProgressDeadline()) {
                return;
            }
            DeploymentCondition progressing = condition(PROGRESSING);
            if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
                return;
            }
            boolean pausedCondition = progressing != null && "DeploymentPaused".equals(progressing.getReason());
            boolean paused = Boolean.TRUE.equals(spec.getPaused());
            if (paused && !pausedCondition) {
                setCondition(PROGRESSING, "Unknown", "DeploymentPaused", "Deployment is paused");
            } else if (!paused && pausedCondition) {
                setCondition(PROGRESSING, "Unknown", "DeploymentResumed", "Deployment is resumed");
            }
        }

        /** {@code calculateStatus}: counts from the ReplicaSets, the Available condition. */
        private DeploymentStatus syncStatus(@Nullable ReplicaSet newRs) {
            int actual = 0;
            int ready = 0;
            int available = 0;
            for (ReplicaSet rs : all) {
                if (rs.getStatus() != null) {
                    actual += Pods.orZero(rs.getStatus().getReplicas());
                    ready += Pods.orZero(rs.getStatus().getReadyReplicas());
                }
                available += available(rs);
            }
            int updatedReplicas = newRs == null || newRs.getStatus() == null
                    ? 0
                    : Pods.orZero(newRs.getStatus().getReplicas());
            int unavailable = Math.max(0, totalSpecReplicas() - available);
            // GetTerminatingReplicaCountForReplicaSets: unknown while any ReplicaSet does not report it
            Integer terminating = 0;
            for (ReplicaSet rs : all) {
                Integer count = rs.getStatus() == null ? null : rs.getStatus().getTerminatingReplicas();
                if (count == null) {
                    terminating = null;
                    break;
                }
                terminating += count;
            }
            if (available >= replicas - maxUnavailable()) {
                setCondition(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
            } else {
                setCondition(
                        AVAILABLE,
                        "False",
                        "MinimumReplicasUnavailable",
                        "Deployment does not have minimum availability.");
            }
            return new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(omitEmpty(actual))
                    .withUpdatedReplicas(omitEmpty(updatedReplicas))
                    .withReadyReplicas(omitEmpty(ready))
                    .withAvailableReplicas(omitEmpty(available))
                    .withUnavailableReplicas(omitEmpty(unavailable))
                    .withTerminatingReplicas(terminating)
                    .withCollisionCount(working.getCollisionCount())
                    .withConditions(new ArrayList<>(working.getConditions()))
                    .build();
        }

        /** {@code syncRolloutStatus}: the status plus the Progressing condition. */
        private DeploymentStatus syncRolloutStatus(@Nullable ReplicaSet newRs) {
            DeploymentStatus status = syncStatus(newRs);
            Integer deadline = spec.getProgressDeadlineSeconds();
            boolean hasDeadline = deadline != null && deadline != Integer.MAX_VALUE;
            if (!hasDeadline) {
                working.getConditions().removeIf(c -> PROGRESSING.equals(c.getType()));
            } else {
                DeploymentCondition current = condition(PROGRESSING);
                boolean alreadyComplete = Pods.orZero(status.getReplicas()) == Pods.orZero(status.getUpdatedReplicas())
                        && current != null
                        && "NewReplicaSetAvailable".equals(current.getReason());
                String rsName = newRs == null ? null : newRs.getMetadata().getName();
                if (!alreadyComplete) {
                    if (isComplete(status)) {
                        setCondition(
                                PROGRESSING,
                                "True",
                                "NewReplicaSetAvailable",
                                rsName == null
                                        ? "Deployment has successfully progressed."
                                        : "ReplicaSet \"" + rsName + "\" has successfully progressed.");
                    } else if (isProgressing(status)) {
                        String transition = current != null && "True".equals(current.getStatus())
                                ? current.getLastTransitionTime()
                                : Pods.formatTime(now);
                        working.getConditions().removeIf(c -> PROGRESSING.equals(c.getType()));
                        working.getConditions()
                                .add(condition(
                                        PROGRESSING,
                                        "True",
                                        "ReplicaSetUpdated",
                                        rsName == null
                                                ? "Deployment is progressing."
                                                : "ReplicaSet \"" + rsName + "\" is progressing.",
                                        transition));
                    } else if (timedOut(current, deadline)) {
                        setCondition(
                                PROGRESSING,
                                "False",
                                "ProgressDeadlineExceeded",
                                rsName == null
                                        ? "Deployment has timed out progressing."
                                        : "ReplicaSet \"" + rsName + "\" has timed out progressing.");
                    }
                }
            }
            status.setConditions(new ArrayList<>(working.getConditions()));
            return status;
        }

        private boolean timedOut(@Nullable DeploymentCondition current, int deadline) {
            if (current == null
                    || "NewReplicaSetAvailable".equals(current.getReason())
                    || "ProgressDeadlineExceeded".equals(current.getReason())) {
                return false;
            }
            Instant from = Pods.parseTime(current.getLastUpdateTime());
            return from != null && from.plusSeconds(deadline).isBefore(now);
        }

        /** {@code DeploymentComplete}. */
        private boolean isComplete(@Nullable DeploymentStatus status) {
            if (status == null) {
                return false;
            }
            return Pods.orZero(status.getUpdatedReplicas()) == replicas
                    && Pods.orZero(status.getReplicas()) == replicas
                    && Pods.orZero(status.getAvailableReplicas()) == replicas
                    && Pods.orZero(status.getObservedGeneration())
                            >= Pods.orZero(d.getMetadata().getGeneration());
        }

        /** {@code DeploymentProgressing}: compared with the stored status. */
        private boolean isProgressing(DeploymentStatus status) {
            DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
            int oldOld = Pods.orZero(old.getReplicas()) - Pods.orZero(old.getUpdatedReplicas());
            int newOld = Pods.orZero(status.getReplicas()) - Pods.orZero(status.getUpdatedReplicas());
            return Pods.orZero(status.getUpdatedReplicas()) > Pods.orZero(old.getUpdatedReplicas())
                    || oldOld > newOld
                    || Pods.orZero(status.getReadyReplicas()) > Pods.orZero(old.getReadyReplicas())
                    || Pods.orZero(status.getAvailableReplicas()) > Pods.orZero(old.getAvailableReplicas());
        }

        private @Nullable DeploymentCondition condition(String type) {
            for (DeploymentCondition c : working.getConditions()) {
                if (type.equals(c.getType())) {
                    return c;
                }
            }
            return null;
        }

        /** {@code SetDeploymentCondition}: a change of status or reason moves it to the end. */
        private void setCondition(String type, String status, String reason, String message) {
            DeploymentCondition current = condition(type);
            if (current != null && status.equals(current.getStatus()) && reason.equals(current.getReason())) {
                return;
            }
            String transition = current != null && status.equals(current.getStatus())
                    ? current.getLastTransitionTime()
                    : Pods.formatTime(now);
            working.getConditions().removeIf(c -> type.equals(c.getType()));
            working.getConditions().add(condition(type, status, reason, message, transition));
        }

        private DeploymentCondition condition(
                String type, String status, String reason, String message, String transition) {
            return new DeploymentConditionBuilder()
                    .withType(type)
                    .withStatus(status)
                    .withReason(reason)
                    .withMessage(message)
                    .withLastUpdateTime(Pods.formatTime(now))
                    .withLastTransitionTime(transition)
                    .build();
        }

        private DeploymentSync finish(DeploymentStatus status) {
            List<ReplicaSet> toCreate = new ArrayList<>();
            List<ReplicaSet> toUpdate = new ArrayList<>();
            for (ReplicaSet rs : all) {
                String name = rs.getMetadata().getName();
                if (created.contains(name)) {
                    toCreate.add(rs);
                } else if (updated.contains(name)) {
                    toUpdate.add(rs);
                }
            }
            Instant requeueAt = null;
            DeploymentCondition progressing = condition(PROGRESSING);
            Integer deadline = spec.getProgressDeadlineSeconds();
            if (progressing != null
                    && deadline != null
                    && deadline != Integer.MAX_VALUE
                    && "True".equals(progressing.getStatus())
                    && !"NewReplicaSetAvailable".equals(progressing.getReason())) {
                Instant from = Pods.parseTime(progressing.getLastUpdateTime());
                if (from != null) {
                    requeueAt = from.plusSeconds(deadline).plusSeconds(1);
                }
            }
            return new DeploymentSync(
                    toCreate,
                    toUpdate,
                    deleted,
                    Optional.ofNullable(revision),
                    status.equals(d.getStatus()) ? null : status,
                    events,
                    Optional.ofNullable(requeueAt));
        }

        // ---- helpers ----

        private int totalSpecReplicas() {
            int total = 0;
            for (ReplicaSet rs : all) {
                total += Pods.orZero(rs.getSpec().getReplicas());
            }
            return total;
        }

        private static int available(ReplicaSet rs) {
            return rs.getStatus() == null ? 0 : Pods.orZero(rs.getStatus().getAvailableReplicas());
        }

        private static @Nullable Integer omitEmpty(int value) {
            return value == 0 ? null : value;
        }
    }

    private static final Comparator<ReplicaSet> BY_CREATION = Comparator.<ReplicaSet, Instant>comparing(rs ->
                    Objects.requireNonNullElse(Pods.parseTime(rs.getMetadata().getCreationTimestamp()), Instant.MAX))
            .thenComparing(rs -> Objects.requireNonNullElse(rs.getMetadata().getName(), ""));
}
