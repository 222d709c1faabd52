package dev.skiff.gpu;

import dev.skiff.core.InvalidWorkloadException;
import dev.skiff.core.RenderContext;
import dev.skiff.core.Trait;
import dev.skiff.core.WorkloadKind;
import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * Multi-node training on a plain indexed Job, wired the way {@code torchrun} and Kubeflow Trainer
 * expect: a {@link Trait}.
 *
 * <p>The Job runs one pod per node: {@code parallelism = completions = nodes} in {@code Indexed}
 * completion mode, so pod {@code i} has completion index {@code i}, which is its node rank. A
 * headless Service (no cluster IP, not-ready addresses published so ranks can find each other
 * before they are ready) selects the Job's pods, and the pod template's {@code subdomain} names
 * it, so pod {@code i} is reachable at {@code <job>-<i>.<service>}. The main container gets the
 * rendezvous environment:
 *
 * <table>
 *   <caption>Environment of the main container</caption>
 *   <tr><th>variable</th><th>value</th></tr>
 *   <tr><td>{@code MASTER_ADDR}, {@code PET_MASTER_ADDR}</td><td>{@code <job>-0.<service>}</td></tr>
 *   <tr><td>{@code MASTER_PORT}, {@code PET_MASTER_PORT}</td><td>{@link #port()}, 29500 by default</td></tr>
 *   <tr><td>{@code NNODES}, {@code PET_NNODES}</td><td>{@link #nodes()}</td></tr>
 *   <tr><td>{@code NPROC_PER_NODE}, {@code PET_NPROC_PER_NODE}</td><td>{@link #nprocPerNode()}</td></tr>
 *   <tr><td>{@code WORLD_SIZE}</td><td>nodes × processes per node</td></tr>
 *   <tr><td>{@code NODE_RANK}, {@code RANK}, {@code PET_NODE_RANK}</td>
 *       <td>the pod's completion index, from the {@code batch.kubernetes.io/job-completion-index}
 *       annotation through the downward API</td></tr>
 * </table>
 *
 * <p>{@code torchrun} reads the {@code PET_*} variables as defaults for its {@code --nnodes},
 * {@code --nproc-per-node}, {@code --node-rank}, {@code --master-addr} and {@code --master-port}
 * options, so a container command of {@code torchrun train.py} needs no arguments; the unprefixed
 * names serve scripts and launchers that read them directly. {@code RANK} here is the node's rank,
 * as Kubeflow's PyTorchJob sets it; {@code torchrun} overwrites it per worker process with the global
 * rank.
 *
 * <p>The Job is given {@code podReplacementPolicy: Failed}, so a replacement pod for a rank is only
 * created once the old one has fully stopped and a rank never runs twice. With {@link
 * #succeedWhenLeaderSucceeds()} the Job succeeds as soon as rank 0 does (a success policy), which
 * suits frameworks whose workers may not exit on their own.
 *
 * <p>{@link #gpusPerNode(Gpu)} adds GPUs to every node's pod and sets the processes per node to the
 * GPU count. GPUs given by a separate {@link Gpu} trait are not counted: give them here, or set
 * {@link #nprocPerNode(int)}.
 *
 * <pre>{@code
 * BatchJob job = BatchJob.builder()
 *     .name("llama-finetune")
 *     .namespace("ml")
 *     .container(Container.of("ghcr.io/acme/trainer:1.4")
 *         .withCommand("torchrun", "train.py"))
 *     .addTraits(DistributedTraining.nodes(2)
 *         .gpusPerNode(Gpu.nvidia(8).model("H100").withSharedMemory("64Gi")))
 *     .build();
 * }</pre>
 *
 * <h2>Conflicts</h2>
 *
 * <p>Settings of the job that contradict the trait make {@code build()} throw {@link
 * InvalidWorkloadException} naming each field, its value and the rule: a {@code parallelism} or
 * {@code completions} other than the number of nodes (a parallelism of 1, the default, is
 * replaced), completions without indexed mode, a pod replacement policy other than {@code Failed},
 * an environment variable of the main container that the trait sets to something else, a pod
 * {@code subdomain} other than the Service's name. Only {@link dev.skiff.core.BatchJob}s can be
 * distributed.
 *
 * <p>Add a {@link Gang} trait after this one: it reads the Job's parallelism for the pod group's
 * minimum member count.
 */
@Value.Immutable
public abstract class DistributedTraining implements Trait {
    /** The annotation the Job controller puts the completion index in. */
    public static final String COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";

    /** The label the Job controller puts on every pod of a Job, with the Job's name. */
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

    /** The default rendezvous port, as {@code torchrun} and Kubeflow Trainer use it. */
    public static final int DEFAULT_PORT = 29500;

    /** The maximum length of a DNS label, which a pod's hostname {@code <job>-<index>} must be. */
    private static final int MAX_HOSTNAME = 63;

    DistributedTraining() {}

    /** Returns how many nodes (pods) train together; at least 1. */
    public abstract int nodes();

    /** Returns the GPUs each node's pod gets, if any. */
    public abstract Optional<Gpu> gpusPerNode();

    /** Returns the processes per node set explicitly; see {@link #nprocPerNode()}. */
    abstract OptionalInt explicitNprocPerNode();

    /** Returns the rendezvous port on rank 0; 29500 by default. */
    @Value.Default
    public int port() {
        return DEFAULT_PORT;
    }

    /** Returns the name of the headless Service set explicitly; the Job's name by default. */
    public abstract Optional<String> serviceName();

    /** Returns whether the Job succeeds as soon as rank 0 succeeds. */
    @Value.Default
    public boolean leaderSuccess() {
        return false;
    }

    /**
     * Returns the processes (usually one per GPU) each node starts: as set with {@link
     * #nprocPerNode(int)}, else the GPU count of {@link #gpusPerNode(Gpu)}, else 1.
     */
    public int nprocPerNode() {
        if (explicitNprocPerNode().isPresent()) {
            return explicitNprocPerNode().getAsInt();
        }
        return gpusPerNode().map(Gpu::count).orElse(1);
    }

    /** Returns the total number of training processes: nodes × processes per node. */
    public int worldSize() {
        return Math.multiplyExact(nodes(), nprocPerNode());
    }

    @Value.Check
    void check() {
        if (nodes() < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, but was " + nodes());
        }
        if (explicitNprocPerNode().isPresent() && explicitNprocPerNode().getAsInt() < 1) {
            throw new IllegalArgumentException("nprocPerNode must be >= 1, but was "
                    + explicitNprocPerNode().getAsInt());
        }
        if (port() < 1 || port() > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port());
        }
    }

    /**
     * Training on {@code count} nodes, one pod each.
     *
     * @param count at least 1
     * @return the trait
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public static DistributedTraining nodes(int count) {
        return ImmutableDistributedTraining.builder().nodes(count).build();
    }

    /**
     * Returns a copy that gives every node's pod {@code gpus}, and starts one process per GPU unless
     * {@link #nprocPerNode(int)} says otherwise.
     *
     * @param gpus the GPUs of one node, such as {@code Gpu.nvidia(8).model("H100")}
     * @return the copy
     */
    public DistributedTraining gpusPerNode(Gpu gpus) {
        return ImmutableDistributedTraining.builder()
                .from(this)
                .gpusPerNode(Objects.requireNonNull(gpus, "gpus"))
                .build();
    }

    /**
     * Returns a copy that starts {@code count} processes per node.
     *
     * @param count at least 1
     * @return the copy
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public DistributedTraining nprocPerNode(int count) {
        return ImmutableDistributedTraining.builder()
                .from(this)
                .explicitNprocPerNode(count)
                .build();
    }

    /**
     * Returns a copy whose rank 0 listens for the rendezvous on {@code port}.
     *
     * @param port 1 to 65535
     * @return the copy
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public DistributedTraining port(int port) {
        return ImmutableDistributedTraining.builder().from(this).port(port).build();
    }

    /**
     * Returns a copy whose headless Service has {@code name} instead of the Job's name.
     *
     * @param name a DNS label (lower-case letters, digits and dashes, starting with a letter)
     * @return the copy
     */
    public DistributedTraining serviceName(String name) {
        return ImmutableDistributedTraining.builder()
                .from(this)
                .serviceName(Objects.requireNonNull(name, "name"))
                .build();
    }

    /**
     * Returns a copy under which the Job succeeds as soon as rank 0 succeeds, whatever the other
     * ranks do; their pods are then stopped.
     *
     * @return the copy
     */
    public DistributedTraining succeedWhenLeaderSucceeds() {
        return ImmutableDistributedTraining.builder()
                .from(this)
                .leaderSuccess(true)
                .build();
    }

    /** Shapes the Job, adds the rendezvous environment and the headless Service. */
    @Override
    public void apply(RenderContext context) {
        String job = context.workloadName();
        if (context.kind() != WorkloadKind.BATCH_JOB || context.jobSpec().isEmpty()) {
            String kind = context.workload().getKind();
            throw new InvalidWorkloadException(
                    kind,
                    job,
                    List.of(Violation.invalid(
                            "traits",
                            "DistributedTraining",
                            "distributed training needs a BatchJob (an indexed Job whose pod names are known), but the"
                                    + " workload is a " + kind)));
        }
        JobSpec spec = context.jobSpec().get();
        String service = serviceName().orElse(job);
        List<Violation> violations = new ArrayList<>();
        Integer parallelismBefore = spec.getParallelism();
        shapeJob(spec, violations);
        boolean gangBefore = context.podLabels().containsKey(Gang.COSCHEDULING_LABEL)
                || context.podAnnotations().containsKey(Gang.VOLCANO_GROUP_ANNOTATION);
        if (gangBefore && !Integer.valueOf(nodes()).equals(parallelismBefore)) {
            violations.add(Violation.invalid(
                    "traits",
                    "Gang",
                    "a Gang trait must come after DistributedTraining: it took the pod group's minMember from"
                            + " parallelism " + parallelismBefore + ", but the job runs " + nodes() + " nodes"));
        }
        String lastHostname = job + "-" + (nodes() - 1);
        if (lastHostname.length() > MAX_HOSTNAME) {
            violations.add(Violation.invalid(
                    "metadata.name",
                    job,
                    "the hostname of the last rank, \"" + lastHostname + "\", must be no more than " + MAX_HOSTNAME
                            + " characters, or ranks cannot reach each other by name; use a shorter job name"));
        }
        PodSpec pod = context.podSpec();
        if (pod.getSubdomain() != null && !pod.getSubdomain().equals(service)) {
            violations.add(Violation.invalid(
                    "spec.template.spec.subdomain",
                    pod.getSubdomain(),
                    "must be the headless Service's name \"" + service + "\" for distributed training"));
        }
        pod.setSubdomain(service);
        List<Container> containers = context.containers();
        if (!containers.isEmpty()) {
            addEnv(containers.get(0), "spec.template.spec.containers[0].env", rendezvousEnv(job, service), violations);
        }
        if (!violations.isEmpty()) {
            throw new InvalidWorkloadException("Job", job, violations);
        }
        context.addObject(headlessService(job, service));
        gpusPerNode().ifPresent(g -> g.apply(context));
    }

    private void shapeJob(JobSpec spec, List<Violation> violations) {
        Integer parallelism = spec.getParallelism();
        if (parallelism != null && parallelism != 1 && parallelism != nodes()) {
            violations.add(Violation.invalid(
                    "spec.parallelism",
                    parallelism,
                    "must equal the number of nodes for distributed training (" + nodes()
                            + "), or be left at its default"));
        }
        spec.setParallelism(nodes());
        Integer completions = spec.getCompletions();
        if (completions != null && completions != nodes()) {
            violations.add(Violation.invalid(
                    "spec.completions",
                    completions,
                    "must equal the number of nodes for distributed training (" + nodes() + "), or be left unset"));
        }
        String mode = spec.getCompletionMode();
        if (!"Indexed".equals(mode) && (mode != null || completions != null)) {
            violations.add(Violation.invalid(
                    "spec.completionMode",
                    mode == null ? "NonIndexed" : mode,
                    "must be Indexed for distributed training: the completion index is the node rank"));
        }
        spec.setCompletions(nodes());
        spec.setCompletionMode("Indexed");
        String replacement = spec.getPodReplacementPolicy();
        if (replacement != null && !replacement.equals("Failed")) {
            violations.add(Violation.invalid(
                    "spec.podReplacementPolicy",
                    replacement,
                    "must be Failed for distributed training, so that a rank never runs twice"));
        }
        spec.setPodReplacementPolicy("Failed");
        if (leaderSuccess()) {
            if (spec.getSuccessPolicy() == null) {
                spec.setSuccessPolicy(new SuccessPolicy(new ArrayList<>()));
            }
            List<SuccessPolicyRule> rules = spec.getSuccessPolicy().getRules();
            boolean present =
                    rules.stream().anyMatch(r -> "0".equals(r.getSucceededIndexes()) && r.getSucceededCount() == null);
            if (!present) {
                SuccessPolicyRule rule = new SuccessPolicyRule();
                rule.setSucceededIndexes("0");
                rules.add(rule);
            }
        }
    }

    private Map<String, EnvVar> rendezvousEnv(String job, String service) {
        String masterAddr = job + "-0." + service;
        Map<String, EnvVar> env = new LinkedHashMap<>();
        literal(env, "MASTER_ADDR", masterAddr);
        literal(env, "MASTER_PORT", Integer.toString(port()));
        literal(env, "NNODES", Integer.toString(nodes()));
        literal(env, "NPROC_PER_NODE", Integer.toString(nprocPerNode()));
        literal(env, "WORLD_SIZE", Integer.toString(worldSize()));
        completionIndex(env, "NODE_RANK");
        completionIndex(env, "RANK");
        literal(env, "PET_MASTER_ADDR", masterAddr);
        literal(env, "PET_MASTER_PORT", Integer.toString(port()));
        literal(env, "PET_NNODES", Integer.toString(nodes()));
        literal(env, "PET_NPROC_PER_NODE", Integer.toString(nprocPerNode()));
        completionIndex(env, "PET_NODE_RANK");
        return env;
    }

    private static void literal(Map<String, EnvVar> env, String name, String value) {
        EnvVar v = new EnvVar();
        v.setName(name);
        v.setValue(value);
        env.put(name, v);
    }

    private static void completionIndex(Map<String, EnvVar> env, String name) {
        ObjectFieldSelector field = new ObjectFieldSelector();
        field.setFieldPath("metadata.annotations['" + COMPLETION_INDEX_ANNOTATION + "']");
        EnvVarSource source = new EnvVarSource();
        source.setFieldRef(field);
        EnvVar v = new EnvVar();
        v.setName(name);
        v.setValueFrom(source);
        env.put(name, v);
    }

    private static void addEnv(
            Container container, String path, Map<String, EnvVar> wanted, List<Violation> violations) {
        List<EnvVar> env = container.getEnv() == null ? new ArrayList<>() : container.getEnv();
        for (int i = 0; i < env.size(); i++) {
            EnvVar existing = env.get(i);
            EnvVar ours = wanted.get(existing.getName());
            if (ours == null) {
                continue;
            }
            if (!existing.equals(ours)) {
                violations.add(Violation.invalid(
                        path + "[" + i + "]",
                        existing.getName() + "=" + describe(existing),
                        "distributed training sets " + existing.getName() + " to " + describe(ours)
                                + "; remove it from the container or configure the trait instead"));
            }
            wanted.remove(existing.getName());
        }
        env.addAll(wanted.values());
        container.setEnv(env);
    }

    private static String describe(EnvVar v) {
        if (v.getValueFrom() != null) {
            if (v.getValueFrom().getFieldRef() != null) {
                return "the field " + v.getValueFrom().getFieldRef().getFieldPath();
            }
            return "a reference";
        }
        return v.getValue() == null ? "\"\"" : v.getValue();
    }

    private static Service headlessService(String job, String name) {
        Service service = new Service();
        service.setApiVersion("v1");
        service.setKind("Service");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        service.setMetadata(meta);
        ServiceSpec spec = new ServiceSpec();
        spec.setClusterIP("None");
        spec.setPublishNotReadyAddresses(true);
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(JOB_NAME_LABEL, job);
        spec.setSelector(selector);
        service.setSpec(spec);
        return service;
    }
}
