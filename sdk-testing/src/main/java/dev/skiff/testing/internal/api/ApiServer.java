package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Validator;
import dev.skiff.core.validation.Violation;
import dev.skiff.testing.internal.api.podsecurity.PodSecurityAdmission;
import dev.skiff.testing.internal.common.KubeTime;
import dev.skiff.testing.internal.common.PodPhases;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API semantics of the in-memory cluster: every change goes through here, from HTTP requests
 * and from the cluster's own controllers alike. Decode happens in the adapter; this class defaults,
 * validates, admits, stores and reports changes.
 *
 * <p>Engine thread only. Objects passed in become the store's: callers must not touch them after a
 * write, and must never mutate an object they read (copy it first).
 */
public final class ApiServer {
    /** The alphabet Kubernetes uses for generated name suffixes. */
    static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final Store store;
    private final Supplier<Instant> clock;
    private final Random random;
    private final KubernetesSerialization serialization;
    private final CustomResources customResources;
    private @Nullable List<String> warnings;

    /**
     * Options of a write. {@code fieldManager} names the manager whose fields the write records in
     * {@code metadata.managedFields} (null for the cluster's own controllers, whose writes keep the
     * recorded owners as they are); {@code force} lets a server-side apply take fields from other
     * managers.
     */
    public record WriteOptions(boolean dryRun, @Nullable String fieldManager, boolean force) {
        public static final WriteOptions NONE = new WriteOptions(false, null, false);

        /** Options of a write that is not a server-side apply. */
        public WriteOptions(boolean dryRun, @Nullable String fieldManager) {
            this(dryRun, fieldManager, false);
        }
    }

    /** Options of a delete. */
    public record DeleteOptions(
            @Nullable String propagationPolicy,
            @Nullable Long gracePeriodSeconds,
            @Nullable String preconditionUid,
            @Nullable String preconditionResourceVersion,
            boolean dryRun) {
        public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);

        public static DeleteOptions propagation(String policy) {
            return new DeleteOptions(policy, null, null, null, false);
        }

        public static DeleteOptions now() {
            return new DeleteOptions(null, 0L, null, null, false);
        }
    }

    /** A page of a list. */
    public record ListResult(
            List<HasMetadata> items,
            long resourceVersion,
            @Nullable String continueToken,
            @Nullable Long remaining) {}

    /** How many live objects name each uid as an owner. */
    private final java.util.HashMap<String, Integer> dependentCounts = new java.util.HashMap<>();

    public ApiServer(Store store, Supplier<Instant> clock, Random random, KubernetesSerialization serialization) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.serialization = serialization;
        this.customResources = new CustomResources(serialization);
        store.addListener(this::indexOwners);
        store.addListener(this::serveDefinitions);
    }

    private void serveDefinitions(Change c) {
        if (c.resource() != ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS) {
            return;
        }
        if (c.type() == Change.Type.DELETED) {
            customResources.unregister(c.object().getMetadata().getName());
        } else {
            customResources.register((CustomResourceDefinition) c.object());
        }
    }

    /** The kinds that stored {@code CustomResourceDefinition}s serve. */
    public CustomResources customResources() {
        return customResources;
    }

    /** Finds a served kind, built in or custom, by API version and plural. */
    public java.util.Optional<ResourceType> findType(String apiVersion, String plural) {
        return ResourceTypes.find(apiVersion, plural).or(() -> customResources.find(apiVersion, plural));
    }

    /** Returns every served kind, built in and custom. */
    public List<ResourceType> servedTypes() {
        List<ResourceType> out = new ArrayList<>(ResourceTypes.all());
        out.addAll(customResources.all());
        return out;
    }

    /** Returns every served kind, built in and custom, grouped by API version. */
    public Map<String, List<ResourceType>> servedByGroupVersion() {
        Map<String, List<ResourceType>> out = new java.util.LinkedHashMap<>();
        ResourceTypes.byGroupVersion().forEach((gv, types) -> out.put(gv, new ArrayList<>(types)));
        for (ResourceType t : customResources.all()) {
            out.computeIfAbsent(t.apiVersion(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    private void indexOwners(Change c) {
        if (c.old() != null) {
            countOwners(c.old(), -1);
        }
        if (c.type() != Change.Type.DELETED) {
            countOwners(c.object(), 1);
        }
    }

    private void countOwners(HasMetadata o, int delta) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs != null) {
            for (OwnerReference r : refs) {
                dependentCounts.merge(r.getUid(), delta, (a, b) -> a + b == 0 ? null : a + b);
            }
        }
    }

    public Store store() {
        return store;
    }

    /**
     * Runs a write from a client, giving the warnings admission has for it to {@code sink} (the
     * HTTP layer sends them as {@code Warning} headers). Writes of the cluster's own controllers
     * have nobody to warn.
     */
    public <T> T collectingWarnings(List<String> sink, Supplier<T> write) {
        List<String> outer = warnings;
        warnings = sink;
        try {
            return write.get();
        } finally {
            warnings = outer;
        }
    }

    private void warn(String warning) {
        if (warnings != null) {
            warnings.add(warning);
        }
    }

    public KubernetesSerialization serialization() {
        return serialization;
    }

    public Instant now() {
        return clock.get();
    }

    public static String timestamp(Instant t) {
        return KubeTime.format(t);
    }

    // ------------------------------------------------------------------ reads

    public HasMetadata get(ResourceType type, @Nullable String namespace, String name) {
        if (type == ResourceTypes.EVENTS_V1) {
            HasMetadata core = store.get(ResourceTypes.EVENTS, namespace, name);
            if (core == null) {
                throw ApiException.notFound(type, name);
            }
            return EventsV1.view(type, core);
        }
        HasMetadata o = store.get(type, namespace, name);
        if (o == null) {
            throw ApiException.notFound(type, name);
        }
        return o;
    }

    public @Nullable HasMetadata find(ResourceType type, @Nullable String namespace, String name) {
        return store.get(type, namespace, name);
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> @Nullable T find(Class<T> type, @Nullable String namespace, String name) {
        return (T) store.get(ResourceTypes.of(type), namespace, name);
    }

    /** Lists objects matching the selectors; {@code limit} 0 means all. */
    public ListResult list(
            ResourceType type,
            @Nullable String namespace,
            LabelSelector labels,
            FieldSelector fields,
            long limit,
            @Nullable String continueToken) {
        String after = null;
        if (continueToken != null && !continueToken.isEmpty()) {
            after = ContinueToken.decode(continueToken, store);
        }
        List<HasMetadata> items = new ArrayList<>();
        Collection<HasMetadata> all =
                store.list(type == ResourceTypes.EVENTS_V1 ? ResourceTypes.EVENTS : type, namespace, after);
        String lastKey = null;
        long remaining = 0;
        boolean full = false;
        for (HasMetadata stored : all) {
            HasMetadata o = EventsV1.view(type, stored);
            if (!labels.matches(o.getMetadata().getLabels()) || !fields.matches(o)) {
                continue;
            }
            if (full) {
                remaining++;
                continue;
            }
            items.add(o);
            lastKey = Store.key(o.getMetadata().getNamespace(), o.getMetadata().getName());
            if (limit > 0 && items.size() >= limit) {
                full = true;
            }
        }
        String next = full && remaining > 0 ? ContinueToken.encode(lastKey, store.resourceVersion()) : null;
        // the real server counts what is left only when nothing is filtered out
        boolean counted = next != null && labels.isEverything() && fields.isEverything();
        return new ListResult(items, store.resourceVersion(), next, counted ? remaining : null);
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> List<T> list(Class<T> type, @Nullable String namespace) {
        return (List<T>) (List<?>) new ArrayList<>(store.list(ResourceTypes.of(type), namespace, null));
    }

    // ------------------------------------------------------------------ create

    /** Creates {@code object} in {@code namespace} (for namespaced kinds). */
    public HasMetadata create(ResourceType type, @Nullable String namespace, HasMetadata object, WriteOptions options) {
        return create(type, namespace, object, options, null);
    }

    /** As above; {@code applied} is the configuration of a server-side apply that creates the object. */
    private HasMetadata create(
            ResourceType type,
            @Nullable String namespace,
            HasMetadata object,
            WriteOptions options,
            @Nullable JsonNode applied) {
        if (type == ResourceTypes.EVENTS_V1 && object instanceof io.fabric8.kubernetes.api.model.events.v1.Event v) {
            return EventsV1.view(type, create(ResourceTypes.EVENTS, namespace, EventsV1.toCore(v), options));
        }
        checkKind(type, object);
        ObjectMeta meta = object.getMetadata();
        if (meta == null) {
            meta = new ObjectMeta();
            object.setMetadata(meta);
        }
        if (type.namespaced()) {
            String ns = namespace != null ? namespace : meta.getNamespace();
            if (meta.getNamespace() != null
                    && namespace != null
                    && !meta.getNamespace().equals(namespace)) {
                throw ApiException.badRequest(
                        "the namespace of the provided object does not match the namespace sent on the request");
            }
            if (ns == null || ns.isEmpty()) {
                ns = "default";
            }
            meta.setNamespace(ns);
        } else {
            meta.setNamespace(null);
        }
        // admission names an object by its generateName until the name is generated
        String admissionName = meta.getName() == null || meta.getName().isEmpty()
                ? Objects.requireNonNullElse(meta.getGenerateName(), "")
                : meta.getName();
        if ((meta.getName() == null || meta.getName().isEmpty())
                && meta.getGenerateName() != null
                && !meta.getGenerateName().isEmpty()) {
            meta.setName(generateName(type, meta.getNamespace(), meta.getGenerateName()));
        }
        String name = meta.getName() == null ? "" : meta.getName();
        if (type.namespaced()) {
            admitNamespace(type, meta.getNamespace(), name);
        }
        Instant now = now();
        meta.setUid(uid());
        meta.setCreationTimestamp(timestamp(now));
        meta.setResourceVersion(null);
        meta.setDeletionTimestamp(null);
        meta.setDeletionGracePeriodSeconds(null);
        meta.setManagedFields(null);
        meta.setSelfLink(null);
        if (Fields.hasSpec(object)) {
            meta.setGeneration(1L);
        }
        // The real server defaults while decoding, before PrepareForCreate generates a Job's labels
        // (so a Job's defaulted labels are its template's own, without the generated ones).
        Defaulting.apply(object);
        prepareForCreate(type, object);
        if (object instanceof GenericKubernetesResource custom && customResources.isCustom(type)) {
            customResources.prepare(type, custom, null, false);
            meta.setGeneration(1L);
        }
        MutatingAdmission.admit(this, object, null, admissionName);
        List<Violation> violations = Validator.validate(object);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(type, name, violations);
        }
        // validating admission in kube-apiserver's plugin order: PodSecurity, Priority, then
        // ResourceQuota, which charges the quota and so comes after the AlreadyExists check here
        PodSecurityAdmission.admit(this, type, object, null, this::warn);
        PriorityAdmission.validateClass(this, object, true, admissionName);
        // The storage (a dry run too) encodes the object and decodes it again, defaulting it a
        // second time: a Job without labels now gets its template's, the generated ones included.
        Defaulting.apply(object);
        if (store.get(type, meta.getNamespace(), name) != null) {
            throw ApiException.alreadyExists(type, name);
        }
        if (options.fieldManager() != null) {
            recordCreate(type, object, options.fieldManager(), applied);
        }
        Admission.checkQuota(this, type, object, null, admissionName, options.dryRun());
        if (options.dryRun()) {
            meta.setResourceVersion(null);
            return object;
        }
        return commit(type, object);
    }

    /** Stores {@code object} under the next resourceVersion. */
    private HasMetadata commit(ResourceType type, HasMetadata object) {
        long v = store.nextVersion();
        object.getMetadata().setResourceVersion(Long.toString(v));
        store.put(type, object, v);
        return object;
    }

    /** Creates the PriorityClasses the API server makes at bootstrap ({@code system-node-critical}, ...). */
    public void createSystemPriorityClasses() {
        for (var pc : PriorityAdmission.systemClasses()) {
            create(pc);
        }
    }

    /** Creates an object of a served kind, from a controller. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T create(T object) {
        ResourceType type = ResourceTypes.of(object);
        return (T) create(
                type,
                object.getMetadata() == null ? null : object.getMetadata().getNamespace(),
                object,
                WriteOptions.NONE);
    }

    private void prepareForCreate(ResourceType type, HasMetadata object) {
        if (type.hasStatus() && type != ResourceTypes.NAMESPACES && type != ResourceTypes.NODES) {
            Fields.setStatus(object, null);
        }
        if (object instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet sts) {
            // replicas and availableReplicas are not omitted when zero
            var status = new io.fabric8.kubernetes.api.model.apps.StatefulSetStatus();
            status.setReplicas(0);
            status.setAvailableReplicas(0);
            sts.setStatus(status);
        } else if (object instanceof io.fabric8.kubernetes.api.model.apps.ReplicaSet rs) {
            var status = new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus();
            status.setReplicas(0); // not omitted when zero
            rs.setStatus(status);
        } else if (object instanceof Pod pod) {
            PodStatus status = new PodStatus();
            status.setPhase("Pending");
            status.setQosClass(QosClass.of(pod));
            pod.setStatus(status);
        } else if (object instanceof Namespace ns) {
            NamespaceStatus status = new NamespaceStatus();
            status.setPhase("Active");
            ns.setStatus(status);
        } else if (object instanceof Job job) {
            Defaulting.generateJobSelector(job, job.getMetadata().getUid());
        } else if (object instanceof CustomResourceDefinition crd) {
            CustomResources.prepareDefinition(crd);
        }
    }

    private String generateName(ResourceType type, @Nullable String namespace, String prefix) {
        String base = prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
        for (int attempt = 0; attempt < 8; attempt++) {
            StringBuilder sb = new StringBuilder(base);
            for (int i = 0; i < 5; i++) {
                sb.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
            }
            String candidate = sb.toString();
            if (store.get(type, namespace, candidate) == null) {
                return candidate;
            }
        }
        throw ApiException.alreadyExists(type, prefix + "*");
    }

    /** A random suffix of Kubernetes' alphabet, for controllers naming pods. */
    public String randomSuffix(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The seeded randomness of the cluster. */
    public Random random() {
        return random;
    }

    private String uid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private void admitNamespace(ResourceType type, @Nullable String namespace, String name) {
        if (type == ResourceTypes.EVENTS || type == ResourceTypes.EVENTS_V1) {
            // events may be written while a namespace terminates
            if (namespace != null && store.get(ResourceTypes.NAMESPACES, null, namespace) == null) {
                throw ApiException.notFound(ResourceTypes.NAMESPACES, namespace);
            }
            return;
        }
        Namespace ns = (Namespace) store.get(ResourceTypes.NAMESPACES, null, Objects.requireNonNull(namespace));
        if (ns == null) {
            throw ApiException.notFound(ResourceTypes.NAMESPACES, namespace);
        }
        if (ns.getMetadata().getDeletionTimestamp() != null) {
            throw ApiException.forbidden(
                    type,
                    name,
                    type + " \"" + name + "\" is forbidden: unable to create new content in namespace " + namespace
                            + " because it is being terminated");
        }
    }

    private static void checkKind(ResourceType type, HasMetadata object) {
        if (!type.type().isInstance(object)) {
            throw ApiException.badRequest("the object provided is unrecognized (must be of type " + type.kind() + ")");
        }
        if (object.getKind() != null
                && !object.getKind().isEmpty()
                && !object.getKind().equals(type.kind())) {
            throw ApiException.badRequest(
                    "the object provided is unrecognized (must be of type " + type.kind() + "): " + object.getKind());
        }
    }

    // ------------------------------------------------------------------ update

    /**
     * Replaces an object (or, with {@code status}, only its status) with optimistic concurrency:
     * a resourceVersion in {@code object} must match the stored one.
     */
    public HasMetadata update(
            ResourceType type,
            @Nullable String namespace,
            String name,
            HasMetadata object,
            boolean status,
            WriteOptions options) {
        return update(type, namespace, name, object, status, options, true);
    }

    /**
     * A PUT: as {@link #update}, after the storage layer's precondition that a uid in {@code
     * object} is the stored object's (a patch that changes the uid fails validation instead).
     */
    public HasMetadata replace(
            ResourceType type,
            @Nullable String namespace,
            String name,
            HasMetadata object,
            boolean status,
            WriteOptions options) {
        String uid = object.getMetadata() == null ? null : object.getMetadata().getUid();
        if (uid != null && !uid.isEmpty()) {
            HasMetadata stored = get(type, namespace, name);
            if (!uid.equals(stored.getMetadata().getUid())) {
                String key = "/registry/" + type.plural() + "/"
                        + (type.namespaced() ? stored.getMetadata().getNamespace() + "/" : "") + name;
                throw ApiException.conflict(
                        type,
                        name,
                        "Operation cannot be fulfilled on " + type + " \"" + name + "\": StorageError: invalid object,"
                                + " Code: 4, Key: " + key + ", ResourceVersion: 0, AdditionalErrorMsg: Precondition"
                                + " failed: UID in precondition: " + uid + ", UID in object meta: "
                                + stored.getMetadata().getUid());
            }
        }
        return update(type, namespace, name, object, status, options);
    }

    /**
     * As above; with {@code track}, a write with a field manager records what it changed in {@code
     * metadata.managedFields} (an apply has recorded its fields already).
     */
    private HasMetadata update(
            ResourceType type,
            @Nullable String namespace,
            String name,
            HasMetadata object,
            boolean status,
            WriteOptions options,
            boolean track) {
        checkKind(type, object);
        HasMetadata stored = get(type, namespace, name);
        ObjectMeta meta = object.getMetadata();
        if (meta == null) {
            meta = new ObjectMeta();
            object.setMetadata(meta);
        }
        if (meta.getName() != null && !meta.getName().equals(name)) {
            throw ApiException.badRequest("the name of the object (" + meta.getName()
                    + ") does not match the name on the URL (" + name + ")");
        }
        if (type.namespaced()
                && meta.getNamespace() != null
                && !meta.getNamespace().isEmpty()
                && !meta.getNamespace().equals(stored.getMetadata().getNamespace())) {
            throw ApiException.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }
        String rv = meta.getResourceVersion();
        if (rv != null && !rv.isEmpty() && !rv.equals(stored.getMetadata().getResourceVersion())) {
            throw ApiException.conflict(type, name);
        }
        HasMetadata next;
        if (status) {
            if (!type.hasStatus()) {
                throw ApiException.noSuchPath(type + "/" + name + "/status");
            }
            next = object;
            ObjectMeta m = new ObjectMetaBuilder(stored.getMetadata()).build();
            if (!track) {
                m.setManagedFields(meta.getManagedFields());
            }
            next.setMetadata(m);
            Fields.setSpec(next, Fields.spec(stored));
            if (next instanceof GenericKubernetesResource custom && customResources.isCustom(type)) {
                customResources.prepare(type, custom, (GenericKubernetesResource) stored, true);
            }
        } else {
            next = object;
            ObjectMeta m = meta;
            ObjectMeta old = stored.getMetadata();
            m.setName(old.getName());
            m.setNamespace(old.getNamespace());
            m.setCreationTimestamp(old.getCreationTimestamp());
            m.setDeletionTimestamp(old.getDeletionTimestamp());
            m.setDeletionGracePeriodSeconds(old.getDeletionGracePeriodSeconds());
            m.setGenerateName(m.getGenerateName() == null ? old.getGenerateName() : m.getGenerateName());
            if (track && m.getManagedFields() == null) {
                m.setManagedFields(old.getManagedFields()); // a writer that does not send them keeps them
            } else if (track && m.getManagedFields().isEmpty()) {
                m.setManagedFields(null); // an empty list resets the managers
                track = false;
            }
            if (type.hasStatus() && type != ResourceTypes.NAMESPACES) {
                Fields.setStatus(next, Fields.status(stored));
            }
            Immutability.prepareForUpdate(stored, next);
            Defaulting.apply(next);
            MutatingAdmission.admit(this, next, stored, name);
            if (next instanceof Job job && stored instanceof Job oldJob) {
                keepGeneratedSelector(oldJob, job);
            }
            boolean specChanged = !Objects.equals(Fields.spec(stored), Fields.spec(next));
            Long gen = old.getGeneration();
            if (next instanceof GenericKubernetesResource custom && customResources.isCustom(type)) {
                // a custom object's generation counts changes to anything but metadata and status
                specChanged = customResources.prepare(type, custom, (GenericKubernetesResource) stored, false);
            }
            m.setGeneration(gen == null ? null : specChanged ? gen + 1 : gen);
            List<Violation> violations = Immutability.validateUpdate(
                    stored,
                    next,
                    EphemeralContainers.onUpdate(Validator.validate(next), EphemeralContainers.kept(stored, next)));
            if (!violations.isEmpty()) {
                throw ApiException.invalid(type, name, violations);
            }
            // validating admission in kube-apiserver's plugin order: PodSecurity, Priority, ResourceQuota
            PodSecurityAdmission.admit(this, type, next, stored, this::warn);
            PriorityAdmission.validateClass(this, next, false, name);
            Admission.checkQuota(this, type, next, stored, name, options.dryRun());
        }
        if (track && options.fieldManager() != null) {
            recordUpdate(type, stored, next, status, options.fieldManager());
        }
        if (options.dryRun()) {
            return next;
        }
        // a terminating object whose last finalizer is removed goes away (a namespace waits for
        // the namespace controller, which holds it by spec.finalizers instead)
        if (next.getMetadata().getDeletionTimestamp() != null
                && type != ResourceTypes.NAMESPACES
                && (next.getMetadata().getFinalizers() == null
                        || next.getMetadata().getFinalizers().isEmpty())
                && !(next instanceof Pod p
                        && p.getSpec() != null
                        && p.getSpec().getNodeName() != null
                        && !isTerminal(p))) {
            long v = store.nextVersion();
            next.getMetadata().setResourceVersion(Long.toString(v));
            store.remove(type, next, v);
            return next;
        }
        return commit(type, next);
    }

    /** Writes a controller's new version of an object; the resourceVersion it read must be current. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T update(T object) {
        ResourceType type = ResourceTypes.of(object);
        return (T) update(
                type,
                object.getMetadata().getNamespace(),
                object.getMetadata().getName(),
                object,
                false,
                WriteOptions.NONE);
    }

    /** Writes a controller's new status of an object. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T updateStatus(T object) {
        ResourceType type = ResourceTypes.of(object);
        return (T) update(
                type,
                object.getMetadata().getNamespace(),
                object.getMetadata().getName(),
                object,
                true,
                WriteOptions.NONE);
    }

    private static void keepGeneratedSelector(Job old, Job next) {
        if (next.getSpec() != null && next.getSpec().getSelector() == null && old.getSpec() != null) {
            next.getSpec().setSelector(old.getSpec().getSelector());
        }
        if (next.getSpec() != null
                && old.getSpec() != null
                && old.getSpec().getTemplate() != null
                && next.getSpec().getTemplate() != null
                && next.getSpec().getTemplate().getMetadata() != null) {
            Map<String, String> oldLabels =
                    old.getSpec().getTemplate().getMetadata().getLabels();
            Map<String, String> labels =
                    next.getSpec().getTemplate().getMetadata().getLabels();
            if (oldLabels != null && labels != null) {
                for (String k : List.of(
                        "batch.kubernetes.io/controller-uid",
                        "batch.kubernetes.io/job-name",
                        "controller-uid",
                        "job-name")) {
                    if (oldLabels.containsKey(k)) {
                        labels.putIfAbsent(k, oldLabels.get(k));
                    }
                }
            }
        }
    }

    static boolean isTerminal(Pod p) {
        return PodPhases.isTerminal(p);
    }

    /**
     * Binds a pod to a node, as {@code pods/binding} does: sets {@code spec.nodeName}, which no
     * update of the pod itself may change.
     */
    public Pod bind(Pod pod, String node) {
        Pod stored = (Pod) get(
                ResourceTypes.PODS,
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName());
        if (stored.getSpec().getNodeName() != null) {
            throw ApiException.conflict(
                    ResourceTypes.PODS,
                    pod.getMetadata().getName(),
                    "Operation cannot be fulfilled on pods/binding \""
                            + pod.getMetadata().getName() + "\": pod "
                            + pod.getMetadata().getName() + " is already assigned to node \""
                            + stored.getSpec().getNodeName() + "\"");
        }
        Pod next = (Pod) copy(stored);
        var spec = new io.fabric8.kubernetes.api.model.PodSpecBuilder(stored.getSpec()).build();
        spec.setNodeName(node);
        next.setSpec(spec);
        return (Pod) commit(ResourceTypes.PODS, next);
    }

    /**
     * Writes {@code pods/ephemeralcontainers}: an update ({@code contentType} null, {@code body} a
     * pod) or a patch of the pod; only its ephemeral containers are taken. Validated and admitted
     * as an update of the pod.
     */
    public Pod updateEphemeralContainers(
            @Nullable String namespace, String name, @Nullable String contentType, String body, WriteOptions options) {
        Pod stored = (Pod) get(ResourceTypes.PODS, namespace, name);
        Pod sent = contentType == null
                ? serialization.unmarshal(body, Pod.class)
                : EphemeralContainers.patched(this, stored, contentType, body);
        Pod next = EphemeralContainers.apply(stored, sent);
        String rv = next.getMetadata().getResourceVersion();
        if (rv != null && !rv.isEmpty() && !rv.equals(stored.getMetadata().getResourceVersion())) {
            throw ApiException.conflict(ResourceTypes.PODS, name);
        }
        List<Violation> violations = EphemeralContainers.onUpdate(Validator.validate(next), true);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(ResourceTypes.PODS, name, violations);
        }
        PodSecurityAdmission.admit(this, ResourceTypes.PODS, next, stored, this::warn);
        if (options.dryRun()) {
            return next;
        }
        return (Pod) commit(ResourceTypes.PODS, next);
    }

    // ------------------------------------------------------------------ patch

    /**
     * Patches an object (JSON patch, merge patch, strategic merge patch, or server-side apply,
     * which also creates a missing object).
     */
    public HasMetadata patch(
            ResourceType type,
            @Nullable String namespace,
            String name,
            String contentType,
            String body,
            boolean status,
            WriteOptions options) {
        boolean apply = Patches.mediaType(contentType).equals(Patches.APPLY_PATCH);
        if (apply && (options.fieldManager() == null || options.fieldManager().isEmpty())) {
            throw invalidPatchOptions(
                    "fieldManager", "FieldValueRequired", "Required value: is required for apply patch");
        }
        if (!apply && options.force()) {
            throw invalidPatchOptions(
                    "force", "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch");
        }
        JsonNode patch;
        try {
            patch = serialization.unmarshal(body, JsonNode.class);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("error decoding patch: " + e.getMessage());
        }
        if (patch == null || (apply && !patch.isObject())) {
            throw ApiException.badRequest("error decoding patch: the body is not an object");
        }
        if (apply && !patch.path("metadata").path("managedFields").isMissingNode()) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        if (customResources.isCustom(type) && Patches.mediaType(contentType).equals(Patches.STRATEGIC_MERGE_PATCH)) {
            throw ApiException.unsupportedMediaType(contentType);
        }
        HasMetadata stored = store.get(type, namespace, name);
        if (stored == null) {
            if (apply && !status) {
                HasMetadata object = serialization.convertValue(patch, type.type());
                if (object.getMetadata() == null
                        || !name.equals(object.getMetadata().getName())) {
                    throw ApiException.badRequest("the name of the object ("
                            + (object.getMetadata() == null
                                    ? ""
                                    : object.getMetadata().getName()) + ") does not match the name on the URL (" + name
                            + ")");
                }
                return create(type, namespace, object, options, patch);
            }
            throw ApiException.notFound(type, name);
        }
        JsonNode current = serialization.convertValue(stored, JsonNode.class);
        if (apply) {
            return apply(type, namespace, name, stored, current, (ObjectNode) patch, status, options);
        }
        JsonNode merged = Patches.apply(contentType, current, patch, Schema.of(type));
        return update(type, namespace, name, toObject(type, merged), status, options);
    }

    private HasMetadata toObject(ResourceType type, JsonNode json) {
        try {
            return serialization.convertValue(json, type.type());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the patched object is not a valid " + type.kind() + ": " + e.getMessage());
        }
    }

    private static ApiException invalidPatchOptions(String field, String reason, String message) {
        io.fabric8.kubernetes.api.model.StatusCause cause = new io.fabric8.kubernetes.api.model.StatusCause();
        cause.setField(field);
        cause.setReason(reason);
        cause.setMessage(message);
        ApiException e = ApiException.of(
                422,
                "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: " + field + ": " + message,
                null,
                null,
                List.of(cause));
        e.status().getDetails().setGroup("meta.k8s.io");
        e.status().getDetails().setKind("PatchOptions");
        e.status().getDetails().setName("");
        return e;
    }

    /**
     * Server-side apply to an existing object: merges the configuration, drops what the manager
     * applied before and no longer does (unless another manager owns it), and refuses to change
     * fields other managers own unless forced.
     */
    private HasMetadata apply(
            ResourceType type,
            @Nullable String namespace,
            String name,
            HasMetadata stored,
            JsonNode current,
            ObjectNode config,
            boolean status,
            WriteOptions options) {
        String manager = Objects.requireNonNull(options.fieldManager());
        String subresource = status ? "status" : null;
        JsonNode rv = config.path("metadata").path("resourceVersion");
        if (rv.isString()
                && !rv.asString().isEmpty()
                && !rv.asString().equals(stored.getMetadata().getResourceVersion())) {
            throw ApiException.conflict(type, name);
        }
        Schema schema = Schema.of(type);
        boolean hasStatus = type.hasStatus();
        ObjectNode applied = ManagedFields.owned(config, status, hasStatus);
        List<ManagedFields.Manager> managers =
                ManagedFields.decode(stored.getMetadata().getManagedFields());
        FieldSet last = new FieldSet();
        List<ManagedFields.Manager> others = new ArrayList<>();
        for (ManagedFields.Manager m : managers) {
            if (m.sameIdentity(manager, ManagedFields.APPLY, subresource)) {
                last = m.fields();
            } else {
                others.add(m);
            }
        }
        FieldSet mine = ManagedFields.ofApplied(applied, schema);
        JsonNode merged = ManagedFields.merge(current, applied, schema);
        FieldSet owned = ManagedFields.copy(mine);
        for (ManagedFields.Manager m : others) {
            owned.union(m.fields());
        }
        ManagedFields.prune(merged, last, owned, schema);
        ManagedFields.Comparison c = ManagedFields.compare(
                ManagedFields.owned(current, status, hasStatus),
                ManagedFields.owned(merged, status, hasStatus),
                schema);
        ManagedFields.Conflicts conflicts = ManagedFields.conflicts(others, c.changed());
        if (conflicts != null && !options.force()) {
            throw conflicts.toException();
        }
        if (c.changed().isEmpty() && c.removed().isEmpty() && mine.toFieldsV1().equals(last.toFieldsV1())) {
            return stored; // a no-op: nothing is written, not even a new time
        }
        List<ManagedFields.Manager> next = new ArrayList<>();
        for (ManagedFields.Manager m : others) {
            FieldSet f = ManagedFields.copy(m.fields());
            f.removeAll(c.changed());
            f.removeAll(c.removed());
            next.add(new ManagedFields.Manager(m.name(), m.operation(), m.apiVersion(), m.time(), m.subresource(), f));
        }
        next.add(new ManagedFields.Manager(
                manager, ManagedFields.APPLY, type.apiVersion(), timestamp(now()), subresource, mine));
        HasMetadata object = toObject(type, merged);
        object.getMetadata().setManagedFields(ManagedFields.encode(next));
        return update(type, namespace, name, object, status, options, false);
    }

    private void recordCreate(ResourceType type, HasMetadata object, String manager, @Nullable JsonNode applied) {
        Schema schema = Schema.of(type);
        String time = timestamp(now());
        List<ManagedFields.Manager> managers;
        if (applied != null) {
            FieldSet set = ManagedFields.ofApplied(ManagedFields.owned(applied, false, type.hasStatus()), schema);
            managers = List.of(
                    new ManagedFields.Manager(manager, ManagedFields.APPLY, type.apiVersion(), time, null, set));
        } else {
            JsonNode json = serialization.convertValue(object, JsonNode.class);
            ManagedFields.Comparison c =
                    ManagedFields.compare(null, ManagedFields.owned(json, false, type.hasStatus()), schema);
            managers = ManagedFields.update(List.of(), manager, null, type.apiVersion(), time, c);
        }
        object.getMetadata().setManagedFields(ManagedFields.encode(managers));
    }

    private void recordUpdate(ResourceType type, HasMetadata stored, HasMetadata next, boolean status, String manager) {
        Schema schema = Schema.of(type);
        boolean hasStatus = type.hasStatus();
        var before = next.getMetadata().getManagedFields();
        next.getMetadata().setManagedFields(null);
        JsonNode after = serialization.convertValue(next, JsonNode.class);
        JsonNode old = serialization.convertValue(stored, JsonNode.class);
        ManagedFields.Comparison c = ManagedFields.compare(
                ManagedFields.owned(old, status, hasStatus), ManagedFields.owned(after, status, hasStatus), schema);
        List<ManagedFields.Manager> managers = ManagedFields.update(
                ManagedFields.decode(before),
                manager,
                status ? "status" : null,
                type.apiVersion(),
                timestamp(now()),
                c);
        next.getMetadata().setManagedFields(ManagedFields.encode(managers));
    }

    // ------------------------------------------------------------------ delete

    /**
     * Deletes an object, honouring finalizers, grace periods and propagation. Returns the object
     * as last stored (terminating, or gone).
     */
    public HasMetadata delete(ResourceType type, @Nullable String namespace, String name, DeleteOptions options) {
        if (type == ResourceTypes.EVENTS_V1) {
            return EventsV1.view(type, delete(ResourceTypes.EVENTS, namespace, name, options));
        }
        HasMetadata stored = get(type, namespace, name);
        ObjectMeta old = stored.getMetadata();
        if (options.preconditionUid() != null && !options.preconditionUid().equals(old.getUid())) {
            throw ApiException.conflict(
                    type,
                    name,
                    "Precondition failed: UID in precondition: " + options.preconditionUid() + ", UID in object meta: "
                            + old.getUid());
        }
        if (options.preconditionResourceVersion() != null
                && !options.preconditionResourceVersion().equals(old.getResourceVersion())) {
            throw ApiException.conflict(
                    type,
                    name,
                    "Precondition failed: ResourceVersion in precondition: " + options.preconditionResourceVersion()
                            + ", ResourceVersion in object meta: " + old.getResourceVersion());
        }
        if (options.dryRun()) {
            return stored;
        }
        if (type == ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS) {
            removeCustomObjects(name);
        }
        String policy = options.propagationPolicy() != null ? options.propagationPolicy() : defaultPropagation(type);
        List<String> finalizers =
                old.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(old.getFinalizers());
        if ("Foreground".equals(policy) && !finalizers.contains("foregroundDeletion") && hasDependents(old.getUid())) {
            finalizers.add("foregroundDeletion");
        } else if ("Orphan".equals(policy) && !finalizers.contains("orphan") && hasDependents(old.getUid())) {
            finalizers.add("orphan");
        }
        boolean graceful = false;
        long grace = 0;
        if (stored instanceof Pod pod
                && pod.getSpec() != null
                && pod.getSpec().getNodeName() != null
                && !isTerminal(pod)) {
            Long g = options.gracePeriodSeconds() != null
                    ? options.gracePeriodSeconds()
                    : pod.getSpec().getTerminationGracePeriodSeconds();
            grace = g == null ? 30 : Math.max(0, g);
            graceful = grace > 0;
        }
        boolean isNamespace = stored instanceof Namespace;
        if (finalizers.isEmpty() && !graceful && !isNamespace) {
            return removeNow(type, stored);
        }
        if (old.getDeletionTimestamp() != null
                && finalizers.equals(old.getFinalizers() == null ? List.of() : old.getFinalizers())
                && !(graceful && options.gracePeriodSeconds() != null)) {
            return stored; // already terminating
        }
        HasMetadata next = copy(stored);
        ObjectMeta m = next.getMetadata();
        m.setFinalizers(finalizers.isEmpty() ? null : finalizers);
        if (m.getDeletionTimestamp() == null || graceful) {
            m.setDeletionTimestamp(timestamp(now().plusSeconds(grace)));
            m.setDeletionGracePeriodSeconds(grace);
        }
        if (next instanceof Namespace ns) {
            NamespaceStatus status = new NamespaceStatus();
            status.setPhase("Terminating");
            ns.setStatus(status);
        }
        long v = store.nextVersion();
        m.setResourceVersion(Long.toString(v));
        store.put(type, next, v);
        return next;
    }

    /** Removes every object of the kinds a definition serves, as its deletion does. */
    private void removeCustomObjects(String definition) {
        for (ResourceType t : customResources.servedBy(definition)) {
            for (HasMetadata o : new ArrayList<>(store.list(t, null, null))) {
                removeNow(t, o);
            }
        }
    }

    /** Removes {@code stored} at once; watchers see it with a deletion timestamp at a new version. */
    private HasMetadata removeNow(ResourceType type, HasMetadata stored) {
        long v = store.nextVersion();
        HasMetadata last = copy(stored);
        last.getMetadata().setResourceVersion(Long.toString(v));
        if (last.getMetadata().getDeletionTimestamp() == null) {
            last.getMetadata().setDeletionTimestamp(timestamp(now()));
            last.getMetadata().setDeletionGracePeriodSeconds(0L);
        }
        store.remove(type, last, v);
        return last;
    }

    /** Removes a terminating object for good (the kubelet after a pod stopped, the namespace controller). */
    public void finalizeDeletion(ResourceType type, HasMetadata object) {
        HasMetadata stored = store.get(
                type, object.getMetadata().getNamespace(), object.getMetadata().getName());
        if (stored == null) {
            return;
        }
        long v = store.nextVersion();
        HasMetadata last = copy(stored);
        last.getMetadata().setResourceVersion(Long.toString(v));
        last.getMetadata().setFinalizers(null);
        store.remove(type, last, v);
    }

    private static String defaultPropagation(ResourceType type) {
        // batch/v1 Jobs keep the legacy default of orphaning their pods
        return type == ResourceTypes.JOBS ? "Orphan" : "Background";
    }

    private boolean hasDependents(String uid) {
        return dependentCounts.containsKey(uid);
    }

    /**
     * A copy owning a fresh metadata; spec and status are shared with the original for kinds that
     * have them (the store never mutates them), other kinds are cloned whole.
     */
    public HasMetadata copy(HasMetadata o) {
        if (!Fields.hasSpec(o) && Fields.status(o) == null) {
            return serialization.clone(o);
        }
        HasMetadata copy;
        try {
            copy = o.getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        copy.setApiVersion(o.getApiVersion());

        copy.setMetadata(new ObjectMetaBuilder(o.getMetadata()).build());
        Fields.setSpec(copy, Fields.spec(o));
        Fields.setStatus(copy, Fields.status(o));
        return copy;
    }
}
