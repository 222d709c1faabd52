package dev.skiff.core;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Trait} sees and shapes: the rendered workload object, its pod template, and any
 * objects the trait adds.
 *
 * <p>This is Skiff's one escape hatch into the fabric8 model: {@link #podTemplate()} and {@link
 * #workload()} are the live objects being rendered. The helpers ({@link #requireNodeLabel}, {@link
 * #addToleration}, ...) cover the common changes and merge with what the user and other traits set.
 * A context is only valid during {@link Trait#apply}; it is not thread-safe.
 */
public final class RenderContext {
    private final WorkloadKind kind;
    private final String workloadName;
    private final Optional<String> namespace;
    private final HasMetadata workload;
    private final PodTemplateSpec podTemplate;
    private final List<HasMetadata> addedObjects = new ArrayList<>();

    RenderContext(
            WorkloadKind kind,
            String workloadName,
            Optional<String> namespace,
            HasMetadata workload,
            PodTemplateSpec podTemplate) {
        this.kind = kind;
        this.workloadName = workloadName;
        this.namespace = namespace;
        this.workload = workload;
        this.podTemplate = podTemplate;
    }

    /** Returns the shape of the workload being rendered. */
    public WorkloadKind kind() {
        return kind;
    }

    /** Returns the workload's name. */
    public String workloadName() {
        return workloadName;
    }

    /** Returns the workload's namespace, if it names one. */
    public Optional<String> namespace() {
        return namespace;
    }

    /** Returns the rendered main object: a Job, CronJob, StatefulSet or Deployment. */
    public HasMetadata workload() {
        return workload;
    }

    /** Returns the Job spec (of the Job, or of the CronJob's job template), if the workload runs Jobs. */
    public Optional<JobSpec> jobSpec() {
        if (workload instanceof io.fabric8.kubernetes.api.model.batch.v1.Job job) {
            return Optional.of(job.getSpec());
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.batch.v1.CronJob cronJob) {
            return Optional.of(cronJob.getSpec().getJobTemplate().getSpec());
        }
        return Optional.empty();
    }

    /** Returns the pod template of the workload. */
    public PodTemplateSpec podTemplate() {
        return podTemplate;
    }

    /** Returns the pod spec of the workload's pod template. */
    public PodSpec podSpec() {
        return podTemplate.getSpec();
    }

    /** Returns the main (not init) containers of the pod template, in order. */
    public List<io.fabric8.kubernetes.api.model.Container> containers() {
        return podTemplate.getSpec().getContainers();
    }

    /** Returns the mutable labels of the workload object itself. */
    public Map<String, String> workloadLabels() {
        return labels(workload.getMetadata());
    }

    /** Returns the mutable annotations of the workload object itself. */
    public Map<String, String> workloadAnnotations() {
        return annotations(workload.getMetadata());
    }

    /** Returns the mutable labels of the pod template. */
    public Map<String, String> podLabels() {
        return labels(podTemplate.getMetadata());
    }

    /** Returns the mutable annotations of the pod template. */
    public Map<String, String> podAnnotations() {
        return annotations(podTemplate.getMetadata());
    }

    /**
     * Requires every pod to run on a node satisfying {@code requirement}, in addition to all
     * other required node affinity (it is added to every node selector term).
     *
     * @param requirement the requirement on a node label
     */
    public void requireNodeLabel(NodeRequirement requirement) {
        Objects.requireNonNull(requirement, "requirement");
        NodeSelectorRequirement r = Renderer.toFabric8(requirement);
        PodSpec spec = podSpec();
        if (spec.getAffinity() == null) {
            spec.setAffinity(new Affinity());
        }
        Affinity affinity = spec.getAffinity();
        if (affinity.getNodeAffinity() == null) {
            affinity.setNodeAffinity(new NodeAffinity());
        }
        NodeAffinity nodeAffinity = affinity.getNodeAffinity();
        NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null) {
            required = new NodeSelector(new ArrayList<>());
            nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        }
        if (required.getNodeSelectorTerms().isEmpty()) {
            NodeSelectorTerm term = new NodeSelectorTerm();
            term.setMatchExpressions(new ArrayList<>());
            required.getNodeSelectorTerms().add(term);
        }
        for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
            if (term.getMatchExpressions() == null) {
                term.setMatchExpressions(new ArrayList<>());
            }
            if (!term.getMatchExpressions().contains(r)) {
                term.getMatchExpressions().add(r);
            }
        }
    }

    /**
     * Lets the pods tolerate a taint; an equal toleration is not added twice.
     *
     * @param toleration the toleration
     */
    public void addToleration(Toleration toleration) {
        Objects.requireNonNull(toleration, "toleration");
        io.fabric8.kubernetes.api.model.Toleration t = Renderer.toFabric8(toleration);
        PodSpec spec = podSpec();
        if (spec.getTolerations() == null) {
            spec.setTolerations(new ArrayList<>());
        }
        if (!spec.getTolerations().contains(t)) {
            spec.getTolerations().add(t);
        }
    }

    /**
     * Adds a volume to the pod; a volume of the same name already present is kept and this one
     * is ignored, so two traits asking for the same volume do not clash.
     *
     * @param volume the volume
     * @return whether the volume was added
     */
    public boolean addVolume(Volume volume) {
        Objects.requireNonNull(volume, "volume");
        PodSpec spec = podSpec();
        if (spec.getVolumes() == null) {
            spec.setVolumes(new ArrayList<>());
        }
        for (io.fabric8.kubernetes.api.model.Volume v : spec.getVolumes()) {
            if (volume.name().equals(v.getName())) {
                return false;
            }
        }
        spec.getVolumes().add(Renderer.toFabric8(volume));
        return true;
    }

    /**
     * Adds an object to render alongside the workload, such as a Service or ResourceClaimTemplate.
     * Its namespace is set to the workload's, and Skiff's labels are added.
     *
     * @param object the object
     */
    public void addObject(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        addedObjects.add(object);
    }

    List<HasMetadata> addedObjects() {
        return addedObjects;
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        if (meta.getLabels() == null) {
            meta.setLabels(new LinkedHashMap<>());
        }
        return meta.getLabels();
    }

    private static Map<String, String> annotations(ObjectMeta meta) {
        if (meta.getAnnotations() == null) {
            meta.setAnnotations(new LinkedHashMap<>());
        }
        return meta.getAnnotations();
    }
}
