package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpecBuilder;
import io.fabric8.kubernetes.api.model.NamespaceStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The API server's update rules: what {@code rest.BeforeUpdate} fills in from the stored object,
 * and the {@code ValidateXUpdate} rules of {@code pkg/apis/*}{@code /validation} (immutable fields,
 * {@code immutable: true} ConfigMaps and Secrets, the StatefulSet spec, claims, cluster IPs, a
 * ControllerRevision's data).
 *
 * <p>Violations come in the order the API server lists them: the metadata update rules, then the
 * kind's rules before or after its full validation, as its {@code ValidateXUpdate} runs them. Bad
 * values that are not strings or numbers are rendered as JSON, as {@code field.Error} does.
 *
 * <h2>Where it differs, on purpose</h2>
 *
 * <p>A claim's {@code spec is immutable after creation ...} message ends with a Go {@code cmp.Diff}
 * of the two specs on a real server; here it stops before the diff.
 */
final class Immutability {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    static final String STATEFUL_SET_SPEC =
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                    + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
    static final String CLAIM_SPEC =
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";
    static final String IMMUTABLE_SET = "field is immutable when `immutable` is set";
    static final String IMMUTABLE = "field is immutable";

    private Immutability() {}

    /**
     * What the server takes from the stored object before validating an update: the uid when the
     * new object has none, a Namespace's finalizers and status, and a Service's allocated cluster
     * IPs when the update leaves them out ({@code patchAllocatedValues}).
     */
    static void prepareForUpdate(HasMetadata old, HasMetadata next) {
        ObjectMeta meta = next.getMetadata();
        if (meta.getUid() == null || meta.getUid().isEmpty()) {
            meta.setUid(old.getMetadata().getUid());
        }
        if (old instanceof Namespace o && next instanceof Namespace n) {
            // namespaceStrategy.PrepareForUpdate: finalizers and phase change only through their subresources
            n.setSpec(o.getSpec() == null ? null : new NamespaceSpecBuilder(o.getSpec()).build());
            n.setStatus(o.getStatus() == null ? null : new NamespaceStatusBuilder(o.getStatus()).build());
        }
        if (old instanceof Service o && next instanceof Service n && o.getSpec() != null && n.getSpec() != null) {
            ServiceSpec os = o.getSpec();
            ServiceSpec ns = n.getSpec();
            if (!"ExternalName".equals(os.getType()) && !"ExternalName".equals(ns.getType())) {
                if (isEmpty(ns.getClusterIP())) {
                    ns.setClusterIP(os.getClusterIP());
                }
                if ((ns.getClusterIPs() == null || ns.getClusterIPs().isEmpty())
                        && os.getClusterIPs() != null
                        && !os.getClusterIPs().isEmpty()) {
                    ns.setClusterIPs(new ArrayList<>(os.getClusterIPs()));
                }
            }
        }
    }

    /**
     * Every violation of an update: the metadata rules, the kind's update rules and {@code full},
     * the kind's own validation of {@code next}, in the server's order.
     */
    static List<Violation> validateUpdate(HasMetadata old, HasMetadata next, List<Violation> full) {
        List<Violation> out = new ArrayList<>(metadata(old.getMetadata(), next.getMetadata()));
        if (old instanceof Job o && next instanceof Job n) {
            out.addAll(full);
            out.addAll(job(o.getSpec(), n.getSpec()));
        } else if (old instanceof Pod o && next instanceof Pod n) {
            out.addAll(full);
            out.addAll(pod(o, n));
        } else if (old instanceof Deployment o && next instanceof Deployment n) {
            out.addAll(full);
            if (!Objects.equals(o.getSpec().getSelector(), n.getSpec().getSelector())) {
                out.add(invalidJson("spec.selector", n.getSpec().getSelector(), IMMUTABLE));
            }
        } else if (old instanceof StatefulSet o && next instanceof StatefulSet n) {
            out.addAll(full);
            if (!Objects.equals(fixedPart(o.getSpec()), fixedPart(n.getSpec()))) {
                out.add(Violation.forbidden("spec", STATEFUL_SET_SPEC));
            }
        } else if (old instanceof Service o && next instanceof Service n) {
            out.addAll(clusterIPs(o.getSpec(), n.getSpec()));
            out.addAll(full);
        } else if (old instanceof PersistentVolumeClaim o && next instanceof PersistentVolumeClaim n) {
            out.addAll(full);
            out.addAll(claim(o, n));
        } else if (old instanceof Secret o && next instanceof Secret n) {
            if (!Objects.equals(secretType(o), secretType(n))) {
                out.add(Violation.invalid("type", secretType(n), IMMUTABLE));
            }
            if (Boolean.TRUE.equals(o.getImmutable())) {
                if (!Boolean.TRUE.equals(n.getImmutable())) {
                    out.add(Violation.forbidden("immutable", IMMUTABLE_SET));
                }
                if (!secretData(o).equals(secretData(n))) {
                    out.add(Violation.forbidden("data", IMMUTABLE_SET));
                }
            }
            out.addAll(full);
        } else if (old instanceof ConfigMap o && next instanceof ConfigMap n) {
            if (Boolean.TRUE.equals(o.getImmutable())) {
                if (!Boolean.TRUE.equals(n.getImmutable())) {
                    out.add(Violation.forbidden("immutable", IMMUTABLE_SET));
                }
                if (!orEmpty(o.getData()).equals(orEmpty(n.getData()))) {
                    out.add(Violation.forbidden("data", IMMUTABLE_SET));
                }
                if (!orEmpty(o.getBinaryData()).equals(orEmpty(n.getBinaryData()))) {
                    out.add(Violation.forbidden("binaryData", IMMUTABLE_SET));
                }
            }
            out.addAll(full);
        } else if (old instanceof ControllerRevision o && next instanceof ControllerRevision n) {
            out.addAll(full);
            out.addAll(controllerRevision(n));
            if (!JSON.asJson(sorted(o.getData())).equals(JSON.asJson(sorted(n.getData())))) {
                out.add(invalidJson("data", n.getData(), IMMUTABLE));
            }
        } else if (old instanceof CronJob o && next instanceof CronJob n) {
            out.addAll(cronJob(o, n, full));
        } else {
            out.addAll(full);
        }
        return out;
    }

    /** {@code ValidateObjectMetaUpdate}: the uid stays, and nothing new may hold up a deletion. */
    private static List<Violation> metadata(ObjectMeta old, ObjectMeta next) {
        List<Violation> out = new ArrayList<>();
        if (old.getDeletionTimestamp() != null) {
            TreeSet<String> added = new TreeSet<>(orEmpty(next.getFinalizers()));
            added.removeAll(orEmpty(old.getFinalizers()));
            if (!added.isEmpty()) {
                StringBuilder go = new StringBuilder("[]string{");
                int i = 0;
                for (String f : added) {
                    go.append(i++ > 0 ? ", " : "").append('"').append(f).append('"');
                }
                Violation v = Violation.forbidden(
                        "metadata.finalizers",
                        "no new finalizers can be added if the object is being deleted, found new finalizers "
                                + go.append('}'));
                // reported twice, as the API server does: the registry's check of the common fields
                // and the kind's own update validation both find it
                out.add(v);
                out.add(v);
            }
        }
        if (!Objects.equals(old.getUid(), next.getUid())) {
            out.add(Violation.invalid("metadata.uid", next.getUid(), IMMUTABLE));
        }
        return out;
    }

    /** {@code ValidateJobSpecUpdate}: completions, selector, template, completion mode, in that order. */
    private static List<Violation> job(JobSpec os, JobSpec ns) {
        List<Violation> out = new ArrayList<>();
        boolean elastic = "Indexed".equals(ns.getCompletionMode())
                && Objects.equals(ns.getCompletions(), ns.getParallelism())
                && Objects.equals(os.getCompletions(), os.getParallelism());
        if (!Objects.equals(os.getCompletions(), ns.getCompletions()) && !elastic) {
            out.add(Violation.invalid("spec.completions", ns.getCompletions(), IMMUTABLE));
        }
        if (!Objects.equals(os.getSelector(), ns.getSelector())) {
            out.add(invalidJson("spec.selector", ns.getSelector(), IMMUTABLE));
        }
        if (!Objects.equals(os.getTemplate(), ns.getTemplate()) && !templateChangeAllowed(os, ns)) {
            out.add(Violation.invalid("spec.template", "core.PodTemplateSpec{...}", IMMUTABLE));
        }
        if (!Objects.equals(os.getCompletionMode(), ns.getCompletionMode())) {
            out.add(Violation.invalid("spec.completionMode", ns.getCompletionMode(), IMMUTABLE));
        }
        return out;
    }

    /** {@code ValidatePodUpdate}: only images, the deadline, added tolerations and the grace period change. */
    private static List<Violation> pod(Pod o, Pod n) {
        if (Objects.equals(comparable(o.getSpec()), comparable(n.getSpec()))) {
            return List.of();
        }
        return List.of(Violation.forbidden(
                "spec",
                "pod updates may not change fields other than `spec.containers[*].image`,"
                        + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
                        + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                        + "(allow it to be set to 1 if it was previously negative)"));
    }

    /** A StatefulSet spec without the fields an update may change. */
    private static StatefulSetSpec fixedPart(StatefulSetSpec spec) {
        return new StatefulSetSpecBuilder(spec)
                .withReplicas(null)
                .withTemplate(null)
                .withUpdateStrategy(null)
                .withMinReadySeconds(null)
                .withOrdinals(null)
                .withRevisionHistoryLimit(null)
                .withPersistentVolumeClaimRetentionPolicy(null)
                .build();
    }

    /** {@code validateUpgradeDowngradeClusterIPs}: a set cluster IP stays. */
    private static List<Violation> clusterIPs(@Nullable ServiceSpec os, @Nullable ServiceSpec ns) {
        if (os == null || ns == null || "ExternalName".equals(os.getType()) || "ExternalName".equals(ns.getType())) {
            return List.of();
        }
        if ("None".equals(os.getClusterIP()) && "None".equals(ns.getClusterIP())) {
            return List.of();
        }
        List<String> before = clusterIPs(os);
        List<String> after = clusterIPs(ns);
        List<Violation> out = new ArrayList<>();
        if (before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                if (!before.get(i).equals(after.get(i))) {
                    out.add(invalidJson("spec.clusterIPs[" + i + "]", after, "may not change once set"));
                }
            }
        } else if (before.size() > after.size()) {
            if (after.isEmpty()) {
                out.add(invalidJson("spec.clusterIPs[0]", after, "primary clusterIP can not be unset"));
            } else if (!after.get(0).equals(before.get(0))) {
                out.add(invalidJson("spec.clusterIPs[0]", after, "may not change once set"));
            }
            if (after.size() == 1 && !"SingleStack".equals(ns.getIpFamilyPolicy())) {
                out.add(invalidJson(
                        "spec.clusterIPs[0]",
                        after,
                        "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        } else if (!before.isEmpty() && !after.get(0).equals(before.get(0))) {
            out.add(invalidJson("spec.clusterIPs[0]", after, "may not change once set"));
        }
        return out;
    }

    /** {@code clusterIPs}, or the lone {@code clusterIP} when only that is set ({@code normalizeClusterIPs}). */
    private static List<String> clusterIPs(ServiceSpec spec) {
        if ((spec.getClusterIPs() == null || spec.getClusterIPs().isEmpty()) && !isEmpty(spec.getClusterIP())) {
            return List.of(spec.getClusterIP());
        }
        return orEmpty(spec.getClusterIPs());
    }

    /** {@code ValidatePersistentVolumeClaimUpdate}. */
    private static List<Violation> claim(PersistentVolumeClaim o, PersistentVolumeClaim n) {
        List<Violation> out = new ArrayList<>();
        PersistentVolumeClaimSpec os = o.getSpec() == null ? new PersistentVolumeClaimSpec() : o.getSpec();
        PersistentVolumeClaimSpec ns = n.getSpec() == null ? new PersistentVolumeClaimSpec() : n.getSpec();
        PersistentVolumeClaimSpec oldClone = new PersistentVolumeClaimSpecBuilder(os).build();
        PersistentVolumeClaimSpec newClone = new PersistentVolumeClaimSpecBuilder(ns).build();
        if (isEmpty(os.getVolumeName())) {
            // the volume name may be set once, by the binder
            oldClone.setVolumeName(ns.getVolumeName());
        }
        boolean bound = n.getStatus() != null && "Bound".equals(n.getStatus().getPhase());
        if (bound) {
            Map<String, Quantity> requests = new LinkedHashMap<>(requests(newClone));
            Quantity oldStorage = requests(os).get("storage");
            if (oldStorage == null) {
                requests.remove("storage");
            } else {
                requests.put("storage", oldStorage);
            }
            newClone.getResources().setRequests(requests);
            newClone.setVolumeAttributesClassName(oldClone.getVolumeAttributesClassName());
        }
        if (!JSON.asJson(sorted(oldClone)).equals(JSON.asJson(sorted(newClone)))) {
            out.add(Violation.forbidden("spec", CLAIM_SPEC));
        }
        BigDecimal oldSize = bytes(requests(os).get("storage"));
        BigDecimal newSize = bytes(requests(ns).get("storage"));
        if (newSize.compareTo(oldSize) < 0) {
            Quantity capacity = o.getStatus() == null || o.getStatus().getCapacity() == null
                    ? null
                    : o.getStatus().getCapacity().get("storage");
            if (newSize.compareTo(bytes(capacity)) <= 0) {
                out.add(Violation.forbidden(
                        "spec.resources.requests.storage", "field can not be less than status.capacity"));
            }
        }
        if (!Objects.equals(os.getVolumeMode(), ns.getVolumeMode())) {
            out.add(Violation.invalid("volumeMode", ns.getVolumeMode(), IMMUTABLE));
        }
        return out;
    }

    /** {@code ValidateControllerRevision}, beyond the metadata rules. */
    private static List<Violation> controllerRevision(ControllerRevision revision) {
        List<Violation> out = new ArrayList<>();
        if (revision.getData() == null) {
            out.add(Violation.required("data", "data is mandatory"));
        }
        if (revision.getRevision() != null && revision.getRevision() < 0) {
            out.add(Violation.invalid("revision", revision.getRevision(), "must be greater than or equal to 0"));
        }
        return out;
    }

    /** {@code ValidateCronJobUpdate}: no name length rule, and a TZ schedule already stored may stay. */
    private static List<Violation> cronJob(CronJob o, CronJob n, List<Violation> full) {
        String oldSchedule = o.getSpec() == null ? null : o.getSpec().getSchedule();
        boolean tzAllowed = oldSchedule != null && oldSchedule.contains("TZ");
        List<Violation> out = new ArrayList<>();
        for (Violation v : full) {
            boolean nameLength =
                    v.field().equals("metadata.name") && v.detail().equals("must be no more than 52 characters");
            boolean tz = tzAllowed
                    && v.field().equals("spec.schedule")
                    && v.detail().startsWith("cannot use TZ or CRON_TZ in schedule");
            if (!nameLength && !tz) {
                out.add(v);
            }
        }
        return out;
    }

    // ---- helpers ----

    private static Map<String, Quantity> requests(PersistentVolumeClaimSpec spec) {
        return spec.getResources() == null || spec.getResources().getRequests() == null
                ? Map.of()
                : spec.getResources().getRequests();
    }

    private static BigDecimal bytes(@Nullable Quantity q) {
        return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
    }

    private static String secretType(Secret s) {
        return isEmpty(s.getType()) ? "Opaque" : s.getType();
    }

    /** The Secret's data as the server stores it: {@code stringData} merged into {@code data}. */
    private static Map<String, String> secretData(Secret s) {
        Map<String, String> data = new TreeMap<>(orEmpty(s.getData()));
        orEmpty(s.getStringData())
                .forEach((k, v) -> data.put(
                        k, Base64.getEncoder().encodeToString(String.valueOf(v).getBytes(StandardCharsets.UTF_8))));
        return data;
    }

    /** An {@code Invalid value} whose value the server prints as JSON (lists, structs). */
    private static Violation invalidJson(String field, @Nullable Object value, String detail) {
        return new Violation(
                field, Violation.Type.INVALID, value == null ? "null" : JSON.asJson(sorted(value)), detail);
    }

    /** A JSON tree with object keys sorted and nulls dropped, as Go marshals maps and omitempty fields. */
    @SuppressWarnings("unchecked")
    private static @Nullable Object sorted(@Nullable Object value) {
        Object tree = value instanceof Map || value instanceof List || value == null
                ? value
                : JSON.convertValue(value, Object.class);
        if (tree instanceof Map) {
            Map<String, Object> result = new TreeMap<>();
            ((Map<String, Object>) tree).forEach((k, v) -> {
                if (v != null) {
                    result.put(k, sorted(v));
                }
            });
            return result;
        }
        if (tree instanceof List) {
            List<Object> result = new ArrayList<>();
            for (Object item : (List<Object>) tree) {
                result.add(sorted(item));
            }
            return result;
        }
        return tree;
    }

    private static boolean isEmpty(@Nullable String s) {
        return s == null || s.isEmpty();
    }

    private static <K, V> Map<K, V> orEmpty(@Nullable Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    private static <T> List<T> orEmpty(@Nullable List<T> l) {
        return l == null ? List.of() : l;
    }

    /** A pod spec with the fields an update may change blanked out. */
    private static @Nullable PodSpec comparable(@Nullable PodSpec spec) {
        if (spec == null) {
            return null;
        }
        PodSpec copy = new PodSpecBuilder(spec)
                .withActiveDeadlineSeconds(null)
                .withTolerations()
                .withTerminationGracePeriodSeconds(null)
                .withSchedulingGates()
                .build();
        if (copy.getContainers() != null) {
            copy.getContainers().forEach(c -> c.setImage(null));
        }
        if (copy.getInitContainers() != null) {
            copy.getInitContainers().forEach(c -> c.setImage(null));
        }
        return copy;
    }

    /** A suspended Job that never started may change its pod scheduling directives. */
    private static boolean templateChangeAllowed(JobSpec old, JobSpec next) {
        if (!Boolean.TRUE.equals(old.getSuspend())) {
            return false;
        }
        var a = old.getTemplate();
        var b = next.getTemplate();
        if (a == null || b == null || a.getSpec() == null || b.getSpec() == null) {
            return false;
        }
        PodSpec sa = new PodSpecBuilder(a.getSpec())
                .withNodeSelector(null)
                .withAffinity(null)
                .withTolerations()
                .withSchedulingGates()
                .build();
        PodSpec sb = new PodSpecBuilder(b.getSpec())
                .withNodeSelector(null)
                .withAffinity(null)
                .withTolerations()
                .withSchedulingGates()
                .build();
        return Objects.equals(sa, sb)
                && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
    }
}
