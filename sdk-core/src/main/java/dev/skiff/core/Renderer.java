package dev.skiff.core;

import dev.skiff.core.validation.Validator;
import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.VolumeResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders workloads to fabric8 model objects, and checks them. Pure and deterministic: the same
 * workload always gives equal objects, with maps and lists in a stable order.
 */
final class Renderer {
    static final String LABEL_NAME = "app.kubernetes.io/name";
    static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
    static final String LABEL_COMPONENT = "app.kubernetes.io/component";
    static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGED_BY = "skiff";

    private Renderer() {}

    // ---------------------------------------------------------------- entry points

    static List<HasMetadata> render(Workload workload) {
        List<Violation> ignored = new ArrayList<>();
        if (workload instanceof BatchJob job) {
            return renderBatchJob(job, ignored);
        }
        if (workload instanceof InteractiveSession session) {
            return renderSession(session, ignored);
        }
        if (workload instanceof ScheduledJob scheduled) {
            return renderScheduledJob(scheduled, ignored);
        }
        throw new IllegalArgumentException(
                "unsupported workload type: " + workload.getClass().getName());
    }

    private static final char[] NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

    /** Five characters as the API server's {@code generateName} draws them (no vowels, no 0, 1, 3). */
    static String randomSuffix() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        char[] out = new char[5];
        for (int i = 0; i < out.length; i++) {
            out[i] = NAME_ALPHABET[random.nextInt(NAME_ALPHABET.length)];
        }
        return new String(out);
    }

    static void checkBatchJob(BatchJob job) {
        List<Violation> violations = new ArrayList<>();
        List<HasMetadata> objects = renderBatchJob(job, violations);
        throwIfInvalid("Job", job.name(), objects, violations);
    }

    static void checkSession(InteractiveSession session) {
        List<Violation> violations = new ArrayList<>();
        List<HasMetadata> objects = renderSession(session, violations);
        if (objects.get(0) instanceof StatefulSet sts) {
            // The API server checks a claim template's spec but not its metadata, and the
            // StatefulSet controller then fails to create the claims; Skiff checks each template as
            // the claim it will become (what repeats the spec checks is dropped as a duplicate).
            List<PersistentVolumeClaim> templates = sts.getSpec().getVolumeClaimTemplates();
            for (int i = 0; i < templates.size(); i++) {
                PersistentVolumeClaim claim = new PersistentVolumeClaim();
                claim.setApiVersion("v1");
                claim.setKind("PersistentVolumeClaim");
                claim.setMetadata(templates.get(i).getMetadata());
                claim.setSpec(templates.get(i).getSpec());
                String prefix = "spec.volumeClaimTemplates[" + i + "].";
                for (Violation v : Validator.validate(claim)) {
                    violations.add(new Violation(prefix + v.field(), v.type(), v.value(), v.detail()));
                }
            }
        }
        throwIfInvalid(session.isStateful() ? "StatefulSet" : "Deployment", session.name(), objects, violations);
    }

    static void checkScheduledJob(ScheduledJob scheduled) {
        List<Violation> violations = new ArrayList<>();
        List<HasMetadata> objects = renderScheduledJob(scheduled, violations);
        throwIfInvalid("CronJob", scheduled.name(), objects, violations);
    }

    private static void throwIfInvalid(
            String kind, String name, List<HasMetadata> objects, List<Violation> violations) {
        Set<Violation> all = new java.util.LinkedHashSet<>(violations);
        String firstKind = kind;
        String firstName = name;
        for (HasMetadata object : objects) {
            List<Violation> found = Validator.validate(object);
            if (!found.isEmpty() && all.isEmpty()) {
                firstKind = object.getKind();
                firstName = object.getMetadata() == null || object.getMetadata().getName() == null
                        ? ""
                        : object.getMetadata().getName();
            }
            all.addAll(found);
        }
        if (!all.isEmpty()) {
            throw new InvalidWorkloadException(firstKind, firstName, new ArrayList<>(all));
        }
    }

    // ---------------------------------------------------------------- batch jobs

    private static List<HasMetadata> renderBatchJob(BatchJob job, List<Violation> violations) {
        Job k8s = new Job();
        k8s.setApiVersion("batch/v1");
        k8s.setKind("Job");
        k8s.setMetadata(workloadMeta(job, job.annotations()));
        k8s.setSpec(jobSpec(job, "spec.", violations));
        RenderContext context = new RenderContext(
                WorkloadKind.BATCH_JOB,
                job.name(),
                job.namespace(),
                k8s,
                k8s.getSpec().getTemplate());
        return applyTraits(job, k8s, context);
    }

    private static JobSpec jobSpec(BatchJob job, String path, List<Violation> violations) {
        JobSpec spec = new JobSpec();
        spec.setParallelism(job.parallelism());
        job.completions().ifPresent(spec::setCompletions);
        if (job.indexed()) {
            spec.setCompletionMode("Indexed");
        }
        job.backoffLimit().ifPresent(spec::setBackoffLimit);
        job.backoffLimitPerIndex().ifPresent(spec::setBackoffLimitPerIndex);
        job.maxFailedIndexes().ifPresent(spec::setMaxFailedIndexes);
        job.activeDeadline()
                .ifPresent(d -> spec.setActiveDeadlineSeconds(seconds(d, path + "activeDeadlineSeconds", violations)));
        job.ttlAfterFinished()
                .ifPresent(d -> spec.setTtlSecondsAfterFinished(Math.toIntExact(
                        Math.min(Integer.MAX_VALUE, seconds(d, path + "ttlSecondsAfterFinished", violations)))));
        if (job.suspend()) {
            spec.setSuspend(true);
        }
        if (!job.podFailurePolicy().isEmpty()) {
            List<PodFailurePolicyRule> rules = new ArrayList<>();
            for (PodFailureRule rule : job.podFailurePolicy()) {
                rules.add(toFabric8(rule));
            }
            spec.setPodFailurePolicy(new PodFailurePolicy(rules));
        }
        if (!job.successPolicy().isEmpty()) {
            List<SuccessPolicyRule> rules = new ArrayList<>();
            for (SuccessRule rule : job.successPolicy()) {
                SuccessPolicyRule r = new SuccessPolicyRule();
                rule.succeededIndexes().ifPresent(r::setSucceededIndexes);
                rule.succeededCount().ifPresent(r::setSucceededCount);
                rules.add(r);
            }
            spec.setSuccessPolicy(new SuccessPolicy(rules));
        }
        job.podReplacementPolicy().ifPresent(p -> spec.setPodReplacementPolicy(p.wireName()));
        PodTemplateSpec template = podTemplate(job, WorkloadKind.BATCH_JOB, path + "template.spec.", violations);
        template.getSpec().setRestartPolicy(job.restartPolicy().wireName());
        spec.setTemplate(template);
        return spec;
    }

    // ---------------------------------------------------------------- scheduled jobs

    private static List<HasMetadata> renderScheduledJob(ScheduledJob scheduled, List<Violation> violations) {
        BatchJob job = scheduled.job();
        CronJob k8s = new CronJob();
        k8s.setApiVersion("batch/v1");
        k8s.setKind("CronJob");
        k8s.setMetadata(meta(job.name(), job.namespace(), WorkloadKind.SCHEDULED_JOB, job.labels(), job.annotations()));
        CronJobSpec spec = new CronJobSpec();
        spec.setSchedule(scheduled.schedule());
        scheduled.timeZone().ifPresent(spec::setTimeZone);
        spec.setConcurrencyPolicy(scheduled.concurrencyPolicy().wireName());
        scheduled
                .startingDeadline()
                .ifPresent(
                        d -> spec.setStartingDeadlineSeconds(seconds(d, "spec.startingDeadlineSeconds", violations)));
        scheduled.successfulJobsHistoryLimit().ifPresent(spec::setSuccessfulJobsHistoryLimit);
        scheduled.failedJobsHistoryLimit().ifPresent(spec::setFailedJobsHistoryLimit);
        if (scheduled.suspend()) {
            spec.setSuspend(true);
        }
        JobTemplateSpec template = new JobTemplateSpec();
        ObjectMeta templateMeta = new ObjectMeta();
        templateMeta.setLabels(skiffLabels(job.name(), WorkloadKind.SCHEDULED_JOB, job.labels()));
        if (!job.annotations().isEmpty()) {
            templateMeta.setAnnotations(new LinkedHashMap<>(job.annotations()));
        }
        template.setMetadata(templateMeta);
        template.setSpec(jobSpec(job, "spec.jobTemplate.spec.", violations));
        // the pods of a scheduled run carry the scheduled job's component label
        template.getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .put(LABEL_COMPONENT, WorkloadKind.SCHEDULED_JOB.component());
        spec.setJobTemplate(template);
        k8s.setSpec(spec);
        RenderContext context = new RenderContext(
                WorkloadKind.SCHEDULED_JOB,
                job.name(),
                job.namespace(),
                k8s,
                template.getSpec().getTemplate());
        return applyTraits(job, k8s, context);
    }

    // ---------------------------------------------------------------- sessions

    private static List<HasMetadata> renderSession(InteractiveSession session, List<Violation> violations) {
        String name = session.name();
        PodTemplateSpec template =
                podTemplate(session, WorkloadKind.INTERACTIVE_SESSION, "spec.template.spec.", violations);
        PodSpec pod = template.getSpec();
        // expose the session's ports on the first container unless a container declares them
        if (!session.ports().isEmpty() && !pod.getContainers().isEmpty()) {
            Set<Integer> declared = new HashSet<>();
            for (io.fabric8.kubernetes.api.model.Container c : pod.getContainers()) {
                if (c.getPorts() != null) {
                    c.getPorts().forEach(p -> declared.add(p.getContainerPort()));
                }
            }
            io.fabric8.kubernetes.api.model.Container first =
                    pod.getContainers().get(0);
            for (Port port : session.ports()) {
                if (declared.add(port.number())) {
                    if (first.getPorts() == null) {
                        first.setPorts(new ArrayList<>());
                    }
                    first.getPorts().add(toFabric8(port));
                }
            }
        }
        // per-replica storage is mounted by every main container
        for (PersistentStorage storage : session.perReplicaStorage()) {
            for (io.fabric8.kubernetes.api.model.Container c : pod.getContainers()) {
                if (c.getVolumeMounts() == null) {
                    c.setVolumeMounts(new ArrayList<>());
                }
                io.fabric8.kubernetes.api.model.VolumeMount m = new io.fabric8.kubernetes.api.model.VolumeMount();
                m.setName(storage.name());
                m.setMountPath(storage.mountPath());
                c.getVolumeMounts().add(m);
            }
        }
        Map<String, String> selectorLabels = new LinkedHashMap<>();
        selectorLabels.put(LABEL_INSTANCE, template.getMetadata().getLabels().get(LABEL_INSTANCE));
        selectorLabels.put(LABEL_MANAGED_BY, template.getMetadata().getLabels().get(LABEL_MANAGED_BY));
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(selectorLabels);

        HasMetadata workload;
        if (session.isStateful()) {
            StatefulSet sts = new StatefulSet();
            sts.setApiVersion("apps/v1");
            sts.setKind("StatefulSet");
            sts.setMetadata(workloadMeta(session, session.annotations()));
            StatefulSetSpec spec = new StatefulSetSpec();
            spec.setReplicas(session.replicas());
            spec.setServiceName(name);
            spec.setPodManagementPolicy("Parallel");
            spec.setSelector(selector);
            spec.setTemplate(template);
            List<PersistentVolumeClaim> claims = new ArrayList<>();
            for (PersistentStorage storage : session.perReplicaStorage()) {
                PersistentVolumeClaim claim = new PersistentVolumeClaim();
                ObjectMeta claimMeta = new ObjectMeta();
                claimMeta.setName(storage.name());
                claimMeta.setLabels(skiffLabels(name, WorkloadKind.INTERACTIVE_SESSION, session.labels()));
                claim.setMetadata(claimMeta);
                PersistentVolumeClaimSpec claimSpec = new PersistentVolumeClaimSpec();
                claimSpec.setAccessModes(
                        new ArrayList<>(List.of(storage.accessMode().wireName())));
                VolumeResourceRequirements resources = new VolumeResourceRequirements();
                Map<String, Quantity> requests = new LinkedHashMap<>();
                requests.put("storage", new Quantity(storage.size()));
                resources.setRequests(requests);
                claimSpec.setResources(resources);
                storage.storageClass().ifPresent(claimSpec::setStorageClassName);
                claim.setSpec(claimSpec);
                claims.add(claim);
            }
            spec.setVolumeClaimTemplates(claims);
            sts.setSpec(spec);
            workload = sts;
        } else {
            Deployment deployment = new Deployment();
            deployment.setApiVersion("apps/v1");
            deployment.setKind("Deployment");
            deployment.setMetadata(workloadMeta(session, session.annotations()));
            DeploymentSpec spec = new DeploymentSpec();
            spec.setReplicas(session.replicas());
            spec.setSelector(selector);
            // Recreate: a rolling update would need a second set of GPUs while the old pod runs
            DeploymentStrategy strategy = new DeploymentStrategy();
            strategy.setType("Recreate");
            spec.setStrategy(strategy);
            spec.setTemplate(template);
            deployment.setSpec(spec);
            workload = deployment;
        }

        RenderContext context =
                new RenderContext(WorkloadKind.INTERACTIVE_SESSION, name, session.namespace(), workload, template);
        List<HasMetadata> out = applyTraits(session, workload, context);
        // the Service comes after traits so that ports a trait adds are exposed too
        Service service = new Service();
        service.setApiVersion("v1");
        service.setKind("Service");
        service.setMetadata(
                meta(name, session.namespace(), WorkloadKind.INTERACTIVE_SESSION, session.labels(), Map.of()));
        ServiceSpec serviceSpec = new ServiceSpec();
        serviceSpec.setSelector(new LinkedHashMap<>(selectorLabels));
        if (session.isStateful()) {
            serviceSpec.setClusterIP("None");
            serviceSpec.setPublishNotReadyAddresses(true);
        }
        List<ServicePort> servicePorts = new ArrayList<>();
        List<Port> ports = sessionPorts(session, template);
        for (Port port : ports) {
            ServicePort sp = new ServicePort();
            String portName = port.name()
                    .orElse(
                            ports.size() > 1
                                    ? port.protocol().name().toLowerCase(Locale.ROOT) + "-" + port.number()
                                    : null);
            sp.setName(portName);
            sp.setPort(port.number());
            sp.setTargetPort(new IntOrString(port.number()));
            if (port.protocol() != Port.Protocol.TCP) {
                sp.setProtocol(port.protocol().name());
            }
            servicePorts.add(sp);
        }
        serviceSpec.setPorts(servicePorts);
        service.setSpec(serviceSpec);
        if (!servicePorts.isEmpty() || session.isStateful()) {
            out.add(1, service);
        }
        return out;
    }

    private static List<Port> sessionPorts(InteractiveSession session, PodTemplateSpec template) {
        if (!session.ports().isEmpty()) {
            return session.ports();
        }
        List<Port> ports = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Container c : template.getSpec().getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                Port.Protocol protocol =
                        p.getProtocol() == null ? Port.Protocol.TCP : Port.Protocol.valueOf(p.getProtocol());
                Port port = p.getName() == null
                        ? Port.of(p.getContainerPort())
                        : Port.of(p.getName(), p.getContainerPort());
                ports.add(port.withProtocol(protocol));
            }
        }
        return ports;
    }

    // ---------------------------------------------------------------- pods

    private static PodTemplateSpec podTemplate(
            PodWorkload w, WorkloadKind kind, String path, List<Violation> violations) {
        PodTemplateSpec template = new PodTemplateSpec();
        ObjectMeta meta = new ObjectMeta();
        meta.setLabels(skiffLabels(w.name(), kind, w.labels()));
        if (!w.podAnnotations().isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(w.podAnnotations()));
        }
        template.setMetadata(meta);
        PodSpec spec = new PodSpec();
        w.serviceAccount().ifPresent(spec::setServiceAccountName);
        boolean restricted = w.podSecurity() == PodSecurity.RESTRICTED;
        if (restricted) {
            PodSecurityContext psc = new PodSecurityContext();
            psc.setRunAsNonRoot(true);
            SeccompProfile seccomp = new SeccompProfile();
            seccomp.setType("RuntimeDefault");
            psc.setSeccompProfile(seccomp);
            spec.setSecurityContext(psc);
        }
        Set<String> usedNames = new HashSet<>();
        for (Container c : w.containers()) {
            c.name().ifPresent(usedNames::add);
        }
        for (Container c : w.initContainers()) {
            c.name().ifPresent(usedNames::add);
        }
        if (!w.initContainers().isEmpty()) {
            List<io.fabric8.kubernetes.api.model.Container> init = new ArrayList<>();
            int i = 0;
            for (Container c : w.initContainers()) {
                init.add(container(c, restricted, usedNames, path + "initContainers[" + i++ + "].", violations));
            }
            spec.setInitContainers(init);
        }
        List<io.fabric8.kubernetes.api.model.Container> containers = new ArrayList<>();
        int i = 0;
        for (Container c : w.containers()) {
            containers.add(container(c, restricted, usedNames, path + "containers[" + i++ + "].", violations));
        }
        spec.setContainers(containers);
        if (!w.volumes().isEmpty()) {
            List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
            for (Volume v : w.volumes()) {
                volumes.add(toFabric8(v));
            }
            spec.setVolumes(volumes);
        }
        Placement p = w.placement();
        if (!p.nodeSelector().isEmpty()) {
            spec.setNodeSelector(new LinkedHashMap<>(p.nodeSelector()));
        }
        p.priorityClass().ifPresent(spec::setPriorityClassName);
        p.schedulerName().ifPresent(spec::setSchedulerName);
        template.setSpec(spec);
        RenderContext helper = new RenderContext(kind, w.name(), w.namespace(), new Job(), template);
        for (NodeRequirement r : p.requiredNodeAffinity()) {
            helper.requireNodeLabel(r);
        }
        for (Toleration t : p.tolerations()) {
            helper.addToleration(t);
        }
        return template;
    }

    private static io.fabric8.kubernetes.api.model.Container container(
            Container c, boolean restricted, Set<String> usedNames, String path, List<Violation> violations) {
        io.fabric8.kubernetes.api.model.Container k = new io.fabric8.kubernetes.api.model.Container();
        k.setName(c.name().orElseGet(() -> uniqueName(nameFromImage(c.image()), usedNames)));
        k.setImage(c.image());
        c.imagePullPolicy().ifPresent(p -> k.setImagePullPolicy(p.wireName()));
        if (!c.command().isEmpty()) {
            k.setCommand(new ArrayList<>(c.command()));
        }
        if (!c.args().isEmpty()) {
            k.setArgs(new ArrayList<>(c.args()));
        }
        c.workingDir().ifPresent(k::setWorkingDir);
        if (!c.ports().isEmpty()) {
            List<ContainerPort> ports = new ArrayList<>();
            for (Port p : c.ports()) {
                ports.add(toFabric8(p));
            }
            k.setPorts(ports);
        }
        if (!c.env().isEmpty()) {
            List<io.fabric8.kubernetes.api.model.EnvVar> env = new ArrayList<>();
            for (EnvVar e : c.env()) {
                env.add(toFabric8(e));
            }
            k.setEnv(env);
        }
        if (!c.resources().equals(Resources.none())) {
            k.setResources(toFabric8(c.resources()));
        }
        if (!c.volumeMounts().isEmpty()) {
            List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
            for (VolumeMount m : c.volumeMounts()) {
                io.fabric8.kubernetes.api.model.VolumeMount km = new io.fabric8.kubernetes.api.model.VolumeMount();
                km.setName(m.volume());
                km.setMountPath(m.mountPath());
                m.subPath().ifPresent(km::setSubPath);
                if (m.readOnly()) {
                    km.setReadOnly(true);
                }
                mounts.add(km);
            }
            k.setVolumeMounts(mounts);
        }
        c.readinessProbe().ifPresent(p -> k.setReadinessProbe(toFabric8(p, path + "readinessProbe.", violations)));
        c.livenessProbe().ifPresent(p -> k.setLivenessProbe(toFabric8(p, path + "livenessProbe.", violations)));
        c.startupProbe().ifPresent(p -> k.setStartupProbe(toFabric8(p, path + "startupProbe.", violations)));
        if (restricted) {
            SecurityContext sc = new SecurityContext();
            sc.setAllowPrivilegeEscalation(false);
            Capabilities caps = new Capabilities();
            caps.setDrop(new ArrayList<>(List.of("ALL")));
            sc.setCapabilities(caps);
            k.setSecurityContext(sc);
        }
        return k;
    }

    /**
     * Derives a container name from an image reference: {@code ghcr.io/acme/trainer:1.4} gives
     * {@code trainer}. Falls back to {@code main} when nothing usable is left.
     */
    static String nameFromImage(String image) {
        String ref = image;
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int slash = ref.lastIndexOf('/');
        String last = slash >= 0 ? ref.substring(slash + 1) : ref;
        int colon = last.indexOf(':');
        if (colon >= 0) {
            last = last.substring(0, colon);
        }
        StringBuilder sb = new StringBuilder(last.length());
        for (char ch : last.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
            // runs of other characters become one dash
            if (ok) {
                sb.append(ch);
            } else if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '-') {
                sb.append('-');
            }
        }
        String name = sb.toString();
        name = stripDashes(name);
        if (name.length() > 55) {
            name = stripDashes(name.substring(0, 55));
        }
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = name.isEmpty() ? "main" : "c-" + name;
        }
        return name;
    }

    private static String stripDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    private static String uniqueName(String base, Set<String> used) {
        String name = base;
        for (int n = 2; used.contains(name); n++) {
            name = base + "-" + n;
        }
        used.add(name);
        return name;
    }

    // ---------------------------------------------------------------- traits and metadata

    private static List<HasMetadata> applyTraits(PodWorkload w, HasMetadata main, RenderContext context) {
        for (Trait trait : w.traits()) {
            trait.apply(context);
        }
        List<HasMetadata> out = new ArrayList<>();
        out.add(main);
        for (HasMetadata extra : context.addedObjects()) {
            ObjectMeta meta = extra.getMetadata();
            if (meta == null) {
                meta = new ObjectMeta();
                extra.setMetadata(meta);
            }
            if (meta.getNamespace() == null) {
                w.namespace().ifPresent(meta::setNamespace);
            }
            Map<String, String> labels = skiffLabels(w.name(), w.kind(), Map.of());
            if (meta.getLabels() != null) {
                labels.putAll(meta.getLabels());
            }
            meta.setLabels(labels);
            out.add(extra);
        }
        return out;
    }

    private static ObjectMeta workloadMeta(PodWorkload w, Map<String, String> annotations) {
        return meta(w.name(), w.namespace(), w.kind(), w.labels(), annotations);
    }

    private static ObjectMeta meta(
            String name,
            Optional<String> namespace,
            WorkloadKind kind,
            Map<String, String> labels,
            Map<String, String> annotations) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        namespace.ifPresent(meta::setNamespace);
        meta.setLabels(skiffLabels(name, kind, labels));
        if (!annotations.isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(annotations));
        }
        return meta;
    }

    static Map<String, String> skiffLabels(String name, WorkloadKind kind, Map<String, String> userLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, name);
        labels.put(LABEL_INSTANCE, name);
        labels.put(LABEL_COMPONENT, kind.component());
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        labels.putAll(userLabels);
        return labels;
    }

    // ---------------------------------------------------------------- conversions

    private static long seconds(Duration d, String path, List<Violation> violations) {
        if (d.getNano() != 0) {
            violations.add(Violation.invalid(path, d.toString(), "must be a whole number of seconds"));
        }
        return d.getSeconds();
    }

    private static int intSeconds(Duration d, String path, List<Violation> violations) {
        long s = seconds(d, path, violations);
        if (s > Integer.MAX_VALUE || s < Integer.MIN_VALUE) {
            violations.add(Violation.invalid(path, d.toString(), "must be at most " + Integer.MAX_VALUE + " seconds"));
            return s > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        }
        return (int) s;
    }

    static NodeSelectorRequirement toFabric8(NodeRequirement r) {
        NodeSelectorRequirement k = new NodeSelectorRequirement();
        k.setKey(r.key());
        k.setOperator(r.operator().wireName());
        if (!r.values().isEmpty()) {
            k.setValues(new ArrayList<>(r.values()));
        }
        return k;
    }

    static io.fabric8.kubernetes.api.model.Toleration toFabric8(Toleration t) {
        io.fabric8.kubernetes.api.model.Toleration k = new io.fabric8.kubernetes.api.model.Toleration();
        t.key().ifPresent(k::setKey);
        k.setOperator(t.operator().wireName());
        t.value().ifPresent(k::setValue);
        t.effect().ifPresent(e -> k.setEffect(e.wireName()));
        t.tolerationSeconds().ifPresent(k::setTolerationSeconds);
        return k;
    }

    static io.fabric8.kubernetes.api.model.Volume toFabric8(Volume v) {
        io.fabric8.kubernetes.api.model.Volume k = new io.fabric8.kubernetes.api.model.Volume();
        k.setName(v.name());
        switch (v.type()) {
            case EMPTY_DIR, MEMORY -> {
                EmptyDirVolumeSource e = new EmptyDirVolumeSource();
                if (v.type() == Volume.Type.MEMORY) {
                    e.setMedium("Memory");
                }
                v.sizeLimit().ifPresent(s -> e.setSizeLimit(new Quantity(s)));
                k.setEmptyDir(e);
            }
            case PERSISTENT_CLAIM -> {
                PersistentVolumeClaimVolumeSource p = new PersistentVolumeClaimVolumeSource();
                p.setClaimName(v.source().orElse(""));
                if (v.readOnly()) {
                    p.setReadOnly(true);
                }
                k.setPersistentVolumeClaim(p);
            }
            case CONFIG_MAP -> {
                ConfigMapVolumeSource c = new ConfigMapVolumeSource();
                c.setName(v.source().orElse(""));
                k.setConfigMap(c);
            }
            case SECRET -> {
                SecretVolumeSource s = new SecretVolumeSource();
                s.setSecretName(v.source().orElse(""));
                k.setSecret(s);
            }
        }
        return k;
    }

    static ContainerPort toFabric8(Port p) {
        ContainerPort k = new ContainerPort();
        p.name().ifPresent(k::setName);
        k.setContainerPort(p.number());
        if (p.protocol() != Port.Protocol.TCP) {
            k.setProtocol(p.protocol().name());
        }
        return k;
    }

    static io.fabric8.kubernetes.api.model.EnvVar toFabric8(EnvVar e) {
        io.fabric8.kubernetes.api.model.EnvVar k = new io.fabric8.kubernetes.api.model.EnvVar();
        k.setName(e.name());
        switch (e.source()) {
            case VALUE -> k.setValue(e.value().orElse(""));
            case SECRET -> {
                SecretKeySelector s = new SecretKeySelector();
                s.setName(e.sourceName().orElse(""));
                s.setKey(e.key().orElse(""));
                if (e.optional()) {
                    s.setOptional(true);
                }
                EnvVarSource src = new EnvVarSource();
                src.setSecretKeyRef(s);
                k.setValueFrom(src);
            }
            case CONFIG_MAP -> {
                ConfigMapKeySelector c = new ConfigMapKeySelector();
                c.setName(e.sourceName().orElse(""));
                c.setKey(e.key().orElse(""));
                if (e.optional()) {
                    c.setOptional(true);
                }
                EnvVarSource src = new EnvVarSource();
                src.setConfigMapKeyRef(c);
                k.setValueFrom(src);
            }
            case FIELD -> {
                ObjectFieldSelector f = new ObjectFieldSelector();
                f.setFieldPath(e.fieldPath().orElse(""));
                EnvVarSource src = new EnvVarSource();
                src.setFieldRef(f);
                k.setValueFrom(src);
            }
        }
        return k;
    }

    static ResourceRequirements toFabric8(Resources r) {
        ResourceRequirements k = new ResourceRequirements();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        r.cpuRequest().ifPresent(q -> requests.put("cpu", new Quantity(q)));
        r.memoryRequest().ifPresent(q -> requests.put("memory", new Quantity(q)));
        r.ephemeralStorageRequest().ifPresent(q -> requests.put("ephemeral-storage", new Quantity(q)));
        r.cpuLimit().ifPresent(q -> limits.put("cpu", new Quantity(q)));
        r.memoryLimit().ifPresent(q -> limits.put("memory", new Quantity(q)));
        if (!requests.isEmpty()) {
            k.setRequests(requests);
        }
        if (!limits.isEmpty()) {
            k.setLimits(limits);
        }
        return k;
    }

    private static io.fabric8.kubernetes.api.model.Probe toFabric8(Probe p, String path, List<Violation> violations) {
        io.fabric8.kubernetes.api.model.Probe k = new io.fabric8.kubernetes.api.model.Probe();
        switch (p.type()) {
            case HTTP -> {
                HTTPGetAction h = new HTTPGetAction();
                h.setPath(p.path().orElse("/"));
                h.setPort(new IntOrString(p.port().orElse(0)));
                k.setHttpGet(h);
            }
            case TCP -> {
                TCPSocketAction t = new TCPSocketAction();
                t.setPort(new IntOrString(p.port().orElse(0)));
                k.setTcpSocket(t);
            }
            case EXEC -> {
                ExecAction e = new ExecAction();
                e.setCommand(new ArrayList<>(p.command()));
                k.setExec(e);
            }
        }
        p.initialDelay()
                .ifPresent(d -> k.setInitialDelaySeconds(intSeconds(d, path + "initialDelaySeconds", violations)));
        p.period().ifPresent(d -> k.setPeriodSeconds(intSeconds(d, path + "periodSeconds", violations)));
        p.timeout().ifPresent(d -> k.setTimeoutSeconds(intSeconds(d, path + "timeoutSeconds", violations)));
        p.failureThreshold().ifPresent(k::setFailureThreshold);
        return k;
    }

    private static PodFailurePolicyRule toFabric8(PodFailureRule rule) {
        PodFailurePolicyRule r = new PodFailurePolicyRule();
        r.setAction(rule.action().wireName());
        if (rule.exitCodeOperator().isPresent()) {
            PodFailurePolicyOnExitCodesRequirement req = new PodFailurePolicyOnExitCodesRequirement();
            rule.containerName().ifPresent(req::setContainerName);
            req.setOperator(rule.exitCodeOperator().get().wireName());
            req.setValues(new ArrayList<>(rule.exitCodes()));
            r.setOnExitCodes(req);
        }
        if (!rule.podConditions().isEmpty()) {
            List<PodFailurePolicyOnPodConditionsPattern> patterns = new ArrayList<>();
            for (String type : rule.podConditions()) {
                PodFailurePolicyOnPodConditionsPattern pattern = new PodFailurePolicyOnPodConditionsPattern();
                pattern.setType(type);
                pattern.setStatus("True");
                patterns.add(pattern);
            }
            r.setOnPodConditions(patterns);
        }
        return r;
    }
}
