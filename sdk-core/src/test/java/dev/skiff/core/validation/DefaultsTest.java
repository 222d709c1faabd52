package dev.skiff.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ExactDeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplateBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@link Defaults} fills in, per kind, checked against the values a kube-apiserver stores. */
class DefaultsTest {
    private static final String SHA = "sha256:" + "0123456789abcdef".repeat(4);

    private static Container busybox() {
        return new ContainerBuilder().withName("main").withImage("busybox:1.36").build();
    }

    private static Pod pod(Container... containers) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ml")
                .endMetadata()
                .withNewSpec()
                .withContainers(containers)
                .endSpec()
                .build();
    }

    private static Job job() {
        return new JobBuilder()
                .withNewMetadata()
                .withName("train")
                .withNamespace("ml")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "train")
                .endMetadata()
                .withNewSpec()
                .withContainers(busybox())
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static <T extends HasMetadata> T defaulted(T object) {
        Defaults.apply(object);
        return object;
    }

    // ---- pods and pod templates --------------------------------------------------------------

    @Test
    void podSpecGetsTheServerDefaults() {
        PodSpec spec = defaulted(pod(busybox())).getSpec();

        assertThat(spec.getRestartPolicy()).isEqualTo("Always");
        assertThat(spec.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(spec.getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(spec.getSecurityContext()).isNotNull();
        assertThat(Serialization.asJson(spec.getSecurityContext())).isEqualTo("{}");
        assertThat(spec.getEnableServiceLinks()).isTrue();
        assertThat(spec.getServiceAccountName()).as("admission, not defaulting").isNull();
        assertThat(spec.getPriority()).as("admission, not defaulting").isNull();
        Container c = spec.getContainers().get(0);
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
    }

    @Test
    void podWithoutSpecGetsOne() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().build();

        Defaults.apply(pod);

        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Always");
    }

    @Test
    void containerPortsEnvProbesAndLifecycleHooksGetTheirDefaults() {
        Container c = new ContainerBuilder(busybox())
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .addNewPort()
                .withContainerPort(53)
                .withProtocol("UDP")
                .endPort()
                .addNewEnv()
                .withName("POD")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .withLivenessProbe(new ProbeBuilder()
                        .withNewHttpGet()
                        .withPort(new IntOrString(8080))
                        .endHttpGet()
                        .build())
                .withReadinessProbe(new ProbeBuilder()
                        .withNewGrpc()
                        .withPort(9090)
                        .endGrpc()
                        .withPeriodSeconds(5)
                        .withTimeoutSeconds(0)
                        .build())
                .withNewLifecycle()
                .withNewPreStop()
                .withNewHttpGet()
                .withPath("/quit")
                .withPort(new IntOrString(8080))
                .endHttpGet()
                .endPreStop()
                .endLifecycle()
                .build();

        Container d = defaulted(pod(c)).getSpec().getContainers().get(0);

        assertThat(d.getPorts()).extracting("protocol").containsExactly("TCP", "UDP");
        assertThat(d.getEnv().get(0).getValueFrom().getFieldRef().getApiVersion())
                .isEqualTo("v1");
        Probe live = d.getLivenessProbe();
        assertThat(List.of(
                        live.getTimeoutSeconds(),
                        live.getPeriodSeconds(),
                        live.getSuccessThreshold(),
                        live.getFailureThreshold()))
                .containsExactly(1, 10, 1, 3);
        assertThat(live.getHttpGet().getPath()).isEqualTo("/");
        assertThat(live.getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(live.getInitialDelaySeconds()).isNull();
        Probe ready = d.getReadinessProbe();
        assertThat(ready.getPeriodSeconds()).isEqualTo(5);
        assertThat(ready.getTimeoutSeconds()).as("zero means unset").isEqualTo(1);
        assertThat(ready.getGrpc().getService()).isEmpty();
        assertThat(d.getLifecycle().getPreStop().getHttpGet().getPath()).isEqualTo("/quit");
        assertThat(d.getLifecycle().getPreStop().getHttpGet().getScheme()).isEqualTo("HTTP");
    }

    @Test
    void initAndEphemeralContainersAreDefaultedLikeContainers() {
        Pod pod = new PodBuilder(pod(busybox()))
                .editSpec()
                .addNewInitContainer()
                .withName("fetch")
                .withImage("alpine")
                .endInitContainer()
                .addNewEphemeralContainer()
                .withName("debug")
                .withImage("busybox:latest")
                .endEphemeralContainer()
                .endSpec()
                .build();

        PodSpec spec = defaulted(pod).getSpec();

        assertThat(spec.getInitContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
        assertThat(spec.getInitContainers().get(0).getTerminationMessagePolicy())
                .isEqualTo("File");
        assertThat(spec.getEphemeralContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
        assertThat(spec.getEphemeralContainers().get(0).getTerminationMessagePath())
                .isEqualTo("/dev/termination-log");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "busybox, Always",
        "busybox:latest, Always",
        "busybox:1.36, IfNotPresent",
        "repo:5000/img, Always",
        "repo:5000/img:1, IfNotPresent",
        "repo:5000/img:latest, Always",
        "localhost/img, Always",
        "'[::1]:5000/team/img', Always",
        "ghcr.io/acme/trainer:1.4, IfNotPresent",
        "docker.io/library/python:3.12-slim, IfNotPresent",
        "busybox:LATEST, IfNotPresent",
        "Busybox, IfNotPresent",
        "'', IfNotPresent",
        "busybox:, IfNotPresent",
        "a__b/c, Always",
        "a___b/c, IfNotPresent",
    })
    void imagePullPolicyFollowsTheTag(String image, String expected) {
        Container c = defaulted(
                        pod(new ContainerBuilder(busybox()).withImage(image).build()))
                .getSpec()
                .getContainers()
                .get(0);

        assertThat(c.getImagePullPolicy()).isEqualTo(expected);
    }

    @Test
    void digestsCountAsTaggedUnlessTheTagIsLatest() {
        assertThat(pullPolicyOf("img@" + SHA)).isEqualTo("IfNotPresent");
        assertThat(pullPolicyOf("repo:5000/img@" + SHA)).isEqualTo("IfNotPresent");
        assertThat(pullPolicyOf("img:1@" + SHA)).isEqualTo("IfNotPresent");
        assertThat(pullPolicyOf("img:latest@" + SHA)).isEqualTo("Always");
        assertThat(pullPolicyOf("img:latest@sha256:abc"))
                .as("bad digest: unparsable")
                .isEqualTo("IfNotPresent");
        assertThat(pullPolicyOf("0123456789abcdef".repeat(4)))
                .as("bare image id")
                .isEqualTo("IfNotPresent");
    }

    private static String pullPolicyOf(String image) {
        return defaulted(pod(new ContainerBuilder(busybox()).withImage(image).build()))
                .getSpec()
                .getContainers()
                .get(0)
                .getImagePullPolicy();
    }

    @Test
    void podRequestsDefaultToEveryLimitWithoutARequest() {
        Container c = new ContainerBuilder(busybox())
                .withNewResources()
                .addToLimits("cpu", new Quantity("2"))
                .addToLimits("memory", new Quantity("1Gi"))
                .addToLimits("nvidia.com/gpu", new Quantity("1"))
                .addToRequests("cpu", new Quantity("500m"))
                .endResources()
                .build();
        Container init = new ContainerBuilder(busybox())
                .withName("init")
                .withNewResources()
                .addToLimits("memory", new Quantity("64Mi"))
                .endResources()
                .build();
        Pod pod = pod(c);
        pod.getSpec().setInitContainers(List.of(init));

        PodSpec spec = defaulted(pod).getSpec();

        assertThat(spec.getContainers().get(0).getResources().getRequests())
                .containsExactly(
                        entry("cpu", new Quantity("500m")),
                        entry("memory", new Quantity("1Gi")),
                        entry("nvidia.com/gpu", new Quantity("1")));
        assertThat(spec.getInitContainers().get(0).getResources().getRequests())
                .containsExactly(entry("memory", new Quantity("64Mi")));
    }

    @Test
    void podTemplatesKeepTheirRequestsServiceLinksAndHostPortsUnset() {
        Job job = job();
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToLimits("nvidia.com/gpu", new Quantity("1"))
                .build());
        c.setPorts(List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                .withContainerPort(8080)
                .build()));
        job.getSpec().getTemplate().getSpec().setHostNetwork(true);

        PodSpec spec = defaulted(job).getSpec().getTemplate().getSpec();

        assertThat(spec.getContainers().get(0).getResources().getRequests()).isEmpty();
        assertThat(spec.getEnableServiceLinks()).isNull();
        assertThat(spec.getContainers().get(0).getPorts().get(0).getHostPort()).isNull();
        assertThat(spec.getContainers().get(0).getPorts().get(0).getProtocol()).isEqualTo("TCP");
    }

    @Test
    void hostNetworkPodsGetHostPortsEqualToContainerPorts() {
        Container c = new ContainerBuilder(busybox())
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .addNewPort()
                .withContainerPort(9090)
                .withHostPort(9091)
                .endPort()
                .build();
        Pod pod = pod(c);
        pod.getSpec().setHostNetwork(true);

        Container d = defaulted(pod).getSpec().getContainers().get(0);

        assertThat(d.getPorts()).extracting("hostPort").containsExactly(8080, 9091);
    }

    @Test
    void volumesGetTheirSourceDefaults() {
        Pod pod = pod(busybox());
        pod.getSpec()
                .setVolumes(List.of(
                        new VolumeBuilder().withName("scratch").build(),
                        new VolumeBuilder()
                                .withName("creds")
                                .withNewSecret()
                                .withSecretName("s")
                                .endSecret()
                                .build(),
                        new VolumeBuilder()
                                .withName("conf")
                                .withNewConfigMap()
                                .withName("c")
                                .withDefaultMode(0400)
                                .endConfigMap()
                                .build(),
                        new VolumeBuilder()
                                .withName("info")
                                .withNewDownwardAPI()
                                .addNewItem()
                                .withPath("name")
                                .withNewFieldRef()
                                .withFieldPath("metadata.name")
                                .endFieldRef()
                                .endItem()
                                .endDownwardAPI()
                                .build(),
                        new VolumeBuilder()
                                .withName("token")
                                .withNewProjected()
                                .addNewSource()
                                .withNewServiceAccountToken()
                                .withPath("token")
                                .endServiceAccountToken()
                                .endSource()
                                .endProjected()
                                .build(),
                        new VolumeBuilder()
                                .withName("host")
                                .withNewHostPath()
                                .withPath("/var/log")
                                .endHostPath()
                                .build(),
                        new VolumeBuilder()
                                .withName("claim")
                                .withNewPersistentVolumeClaim()
                                .withClaimName("data")
                                .endPersistentVolumeClaim()
                                .build(),
                        new VolumeBuilder()
                                .withName("eph")
                                .withNewEphemeral()
                                .withNewVolumeClaimTemplate()
                                .withNewSpec()
                                .withAccessModes("ReadWriteOnce")
                                .endSpec()
                                .endVolumeClaimTemplate()
                                .endEphemeral()
                                .build(),
                        new VolumeBuilder()
                                .withName("model")
                                .withNewImage()
                                .withReference("ghcr.io/acme/weights")
                                .endImage()
                                .build()));

        List<Volume> v = defaulted(pod).getSpec().getVolumes();

        assertThat(Serialization.asJson(v.get(0))).isEqualTo("{\"emptyDir\":{},\"name\":\"scratch\"}");
        assertThat(v.get(1).getSecret().getDefaultMode()).isEqualTo(420);
        assertThat(v.get(2).getConfigMap().getDefaultMode()).as("user value").isEqualTo(0400);
        assertThat(v.get(3).getDownwardAPI().getDefaultMode()).isEqualTo(420);
        assertThat(v.get(3).getDownwardAPI().getItems().get(0).getFieldRef().getApiVersion())
                .isEqualTo("v1");
        assertThat(v.get(4).getProjected().getDefaultMode()).isEqualTo(420);
        assertThat(v.get(4)
                        .getProjected()
                        .getSources()
                        .get(0)
                        .getServiceAccountToken()
                        .getExpirationSeconds())
                .isEqualTo(3600L);
        assertThat(v.get(5).getHostPath().getType()).isEmpty();
        assertThat(v.get(6).getPersistentVolumeClaim().getReadOnly())
                .as("no default")
                .isNull();
        assertThat(v.get(6).getEmptyDir()).isNull();
        assertThat(v.get(7).getEphemeral().getVolumeClaimTemplate().getSpec().getVolumeMode())
                .isEqualTo("Filesystem");
        assertThat(v.get(8).getImage().getPullPolicy()).isEqualTo("Always");
    }

    // ---- Job --------------------------------------------------------------------------------

    @Test
    void minimalJobGetsTheBatchDefaults() {
        Job job = defaulted(job());
        JobSpec spec = job.getSpec();

        assertThat(spec.getCompletions()).isEqualTo(1);
        assertThat(spec.getParallelism()).isEqualTo(1);
        assertThat(spec.getBackoffLimit()).isEqualTo(6);
        assertThat(spec.getCompletionMode()).isEqualTo("NonIndexed");
        assertThat(spec.getSuspend()).isFalse();
        assertThat(spec.getManualSelector()).isFalse();
        assertThat(spec.getPodReplacementPolicy()).isEqualTo("TerminatingOrFailed");
        assertThat(spec.getSelector())
                .as("generated with the uid, not defaulted")
                .isNull();
        assertThat(spec.getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(spec.getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(spec.getTemplate().getMetadata().getLabels()).containsExactly(entry("app", "train"));
        assertThat(job.getMetadata().getLabels())
                .as("copied from the template when the Job has none")
                .containsExactly(entry("app", "train"));
    }

    @Test
    void jobLabelsAreKeptWhenTheJobHasAny() {
        Job job = job();
        job.getMetadata().setLabels(Map.of("team", "vision"));

        assertThat(defaulted(job).getMetadata().getLabels()).containsExactly(entry("team", "vision"));
    }

    @Test
    void completionsStayUnsetWhenOnlyParallelismIsGiven() {
        Job job = job();
        job.getSpec().setParallelism(8);

        JobSpec spec = defaulted(job).getSpec();

        assertThat(spec.getCompletions()).as("a work queue").isNull();
        assertThat(spec.getParallelism()).isEqualTo(8);
    }

    @Test
    void parallelismDefaultsToOneWhenOnlyCompletionsIsGiven() {
        Job job = job();
        job.getSpec().setCompletions(5);

        JobSpec spec = defaulted(job).getSpec();

        assertThat(spec.getCompletions()).isEqualTo(5);
        assertThat(spec.getParallelism()).isEqualTo(1);
    }

    @Test
    void backoffLimitIsUnlimitedWithPerIndexBackoff() {
        Job perIndex = job();
        perIndex.getSpec().setCompletionMode("Indexed");
        perIndex.getSpec().setCompletions(4);
        perIndex.getSpec().setBackoffLimitPerIndex(2);
        Job explicit = job();
        explicit.getSpec().setBackoffLimit(0);

        assertThat(defaulted(perIndex).getSpec().getBackoffLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaulted(job()).getSpec().getBackoffLimit()).isEqualTo(6);
        assertThat(defaulted(explicit).getSpec().getBackoffLimit()).isZero();
    }

    @Test
    void podReplacementPolicyIsFailedWithAPodFailurePolicy() {
        Job withPolicy = job();
        withPolicy
                .getSpec()
                .setPodFailurePolicy(new PodFailurePolicyBuilder()
                        .withRules(new PodFailurePolicyRuleBuilder()
                                .withAction("Ignore")
                                .addNewOnPodCondition()
                                .withType("DisruptionTarget")
                                .endOnPodCondition()
                                .addNewOnPodCondition()
                                .withType("ConfigIssue")
                                .withStatus("False")
                                .endOnPodCondition()
                                .build())
                        .build());

        JobSpec spec = defaulted(withPolicy).getSpec();

        assertThat(spec.getPodReplacementPolicy()).isEqualTo("Failed");
        assertThat(spec.getPodFailurePolicy().getRules().get(0).getOnPodConditions())
                .extracting("status")
                .containsExactly("True", "False");
        assertThat(defaulted(job()).getSpec().getPodReplacementPolicy()).isEqualTo("TerminatingOrFailed");
    }

    @Test
    void jobTemplateWithoutRestartPolicyIsDefaultedToAlwaysAndThenRejected() {
        Job job = job();
        job.getSpec().getTemplate().getSpec().setRestartPolicy(null);

        Defaults.apply(job);

        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(Validator.validate(job))
                .extracting(Violation::toString)
                .containsExactly(
                        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
    }

    @Test
    void generatedSelectorAddsTheUidAndNameLabels() {
        Job job = defaulted(job());

        Defaults.generateJobSelector(job, "6b1f-uid");

        assertThat(job.getSpec().getSelector().getMatchLabels())
                .containsExactly(entry("batch.kubernetes.io/controller-uid", "6b1f-uid"));
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsOnly(
                        entry("app", "train"),
                        entry("job-name", "train"),
                        entry("batch.kubernetes.io/job-name", "train"),
                        entry("controller-uid", "6b1f-uid"),
                        entry("batch.kubernetes.io/controller-uid", "6b1f-uid"));
        assertThat(job.getMetadata().getLabels())
                .as("the Job's own labels were copied before the selector was generated")
                .containsExactly(entry("app", "train"));
        job.getMetadata().setUid("6b1f-uid");
        assertThat(Validator.validate(job)).isEmpty();
    }

    @Test
    void generatedSelectorKeepsLabelsTheUserSet() {
        Job job = job();
        job.getSpec().getTemplate().getMetadata().setLabels(Map.of("job-name", "other"));

        Defaults.generateJobSelector(job, "u1");

        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("job-name", "other")
                .containsEntry("batch.kubernetes.io/job-name", "train");
    }

    @Test
    void manualSelectorJobsGetNoGeneratedSelectorOrLabels() {
        Job job = job();
        job.getSpec().setManualSelector(true);
        job.getSpec()
                .setSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                        .addToMatchLabels("app", "train")
                        .build());

        Defaults.apply(job);
        Defaults.generateJobSelector(job, "u1");

        assertThat(job.getSpec().getSelector().getMatchLabels()).containsExactly(entry("app", "train"));
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsExactly(entry("app", "train"));
        assertThat(job.getSpec().getManualSelector()).isTrue();
    }

    // ---- CronJob ----------------------------------------------------------------------------

    @Test
    void cronJobGetsItsDefaultsButItsJobTemplateOnlyPodDefaults() {
        CronJob cronJob = new CronJobBuilder()
                .withNewMetadata()
                .withName("nightly")
                .endMetadata()
                .withNewSpec()
                .withSchedule("30 2 * * *")
                .withNewJobTemplate()
                .withSpec(job().getSpec())
                .endJobTemplate()
                .endSpec()
                .build();

        Defaults.apply(cronJob);

        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
        assertThat(cronJob.getSpec().getSuspend()).isFalse();
        assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).isEqualTo(1);
        JobSpec jobSpec = cronJob.getSpec().getJobTemplate().getSpec();
        assertThat(jobSpec.getBackoffLimit()).isNull();
        assertThat(jobSpec.getCompletions()).isNull();
        assertThat(jobSpec.getParallelism()).isNull();
        assertThat(jobSpec.getCompletionMode()).isNull();
        assertThat(jobSpec.getPodReplacementPolicy()).isNull();
        assertThat(jobSpec.getTemplate().getSpec().getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(jobSpec.getTemplate().getSpec().getContainers().get(0).getImagePullPolicy())
                .isEqualTo("IfNotPresent");
    }

    // ---- apps/v1 ----------------------------------------------------------------------------

    @Test
    void deploymentGetsReplicasRollingUpdateAndHistory() {
        Deployment d = defaulted(new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .withContainers(busybox())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build());

        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString("25%"));
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString("25%"));
        assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
    }

    @Test
    void recreateDeploymentsGetNoRollingUpdate() {
        Deployment d = defaulted(new DeploymentBuilder()
                .withNewSpec()
                .withNewStrategy()
                .withType("Recreate")
                .endStrategy()
                .endSpec()
                .build());

        assertThat(d.getSpec().getStrategy().getRollingUpdate()).isNull();
    }

    @Test
    void replicaSetGetsOneReplica() {
        ReplicaSet rs =
                defaulted(new ReplicaSetBuilder().withNewSpec().endSpec().build());

        assertThat(rs.getSpec().getReplicas()).isEqualTo(1);
        assertThat(rs.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
    }

    @Test
    void statefulSetGetsOrderedRollingUpdateRetentionAndClaimTemplateDefaults() {
        StatefulSet s = defaulted(new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withNewSpec()
                .withServiceName("db")
                .addNewVolumeClaimTemplate()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .build());

        assertThat(s.getSpec().getReplicas()).isEqualTo(1);
        assertThat(s.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        assertThat(s.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
                .isZero();
        // a v1.36.3 API server leaves maxUnavailable unset (seen by the conformance suite)
        assertThat(s.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
                .isNull();
        assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
                .isEqualTo("Retain");
        assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled())
                .isEqualTo("Retain");
        assertThat(s.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(s.getSpec().getMinReadySeconds()).isNull();
        PersistentVolumeClaim claim = s.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getSpec().getVolumeMode()).isEqualTo("Filesystem");
        assertThat(claim.getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void statefulSetRollingUpdateGivenWithoutDetailsGetsNoPartition() {
        StatefulSet explicit = defaulted(new StatefulSetBuilder()
                .withNewSpec()
                .withNewUpdateStrategy()
                .withType("RollingUpdate")
                .endUpdateStrategy()
                .endSpec()
                .build());
        StatefulSet onDelete = defaulted(new StatefulSetBuilder()
                .withNewSpec()
                .withNewUpdateStrategy()
                .withType("OnDelete")
                .endUpdateStrategy()
                .endSpec()
                .build());

        assertThat(explicit.getSpec().getUpdateStrategy().getRollingUpdate()).isNull();
        assertThat(onDelete.getSpec().getUpdateStrategy().getRollingUpdate()).isNull();
    }

    @Test
    void daemonSetGetsRollingUpdateOfOneAndHistory() {
        DaemonSet ds = defaulted(new DaemonSetBuilder().withNewSpec().endSpec().build());

        assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString(1));
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge())
                .isEqualTo(new IntOrString(0));
        assertThat(ds.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    }

    // ---- core/v1 ----------------------------------------------------------------------------

    private static Service service(String type) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName("svc")
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .addNewPort()
                .withName("http")
                .withPort(80)
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withPort(9090)
                .withTargetPort(new IntOrString("metrics"))
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }

    @Test
    void clusterIpServiceGetsAffinityTypePortsAndTrafficPolicy() {
        Service svc = defaulted(service(null));

        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(svc.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(svc.getSpec().getExternalTrafficPolicy()).isNull();
        assertThat(svc.getSpec().getAllocateLoadBalancerNodePorts()).isNull();
        ServicePort http = svc.getSpec().getPorts().get(0);
        assertThat(http.getProtocol()).isEqualTo("TCP");
        assertThat(http.getTargetPort()).isEqualTo(new IntOrString(80));
        assertThat(svc.getSpec().getPorts().get(1).getTargetPort()).isEqualTo(new IntOrString("metrics"));
        assertThat(svc.getSpec().getIpFamilyPolicy())
                .as("allocated by the registry")
                .isNull();
        assertThat(svc.getSpec().getClusterIP()).as("allocated by the registry").isNull();
    }

    @Test
    void externallyReachableServicesGetAnExternalTrafficPolicy() {
        Service nodePort = defaulted(service("NodePort"));
        Service lb = defaulted(service("LoadBalancer"));
        Service external = defaulted(service("ExternalName"));

        assertThat(nodePort.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(nodePort.getSpec().getAllocateLoadBalancerNodePorts()).isNull();
        assertThat(lb.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(lb.getSpec().getAllocateLoadBalancerNodePorts()).isTrue();
        assertThat(lb.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(external.getSpec().getInternalTrafficPolicy()).isNull();
        assertThat(external.getSpec().getExternalTrafficPolicy()).isNull();
    }

    @Test
    void clientIpAffinityGetsItsTimeoutAndNoneDropsTheConfig() {
        Service clientIp = service(null);
        clientIp.getSpec().setSessionAffinity("ClientIP");
        Service none = service(null);
        none.getSpec()
                .setSessionAffinityConfig(new io.fabric8.kubernetes.api.model.SessionAffinityConfig(
                        new io.fabric8.kubernetes.api.model.ClientIPConfig(60)));

        Defaults.apply(clientIp);
        Defaults.apply(none);

        assertThat(clientIp.getSpec().getSessionAffinityConfig().getClientIP().getTimeoutSeconds())
                .isEqualTo(10800);
        assertThat(none.getSpec().getSessionAffinityConfig()).isNull();
    }

    @Test
    void claimGetsFilesystemVolumeModeButNoStatus() {
        PersistentVolumeClaim pvc = defaulted(new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .endSpec()
                .build());
        PersistentVolumeClaim block = defaulted(new PersistentVolumeClaimBuilder()
                .withNewSpec()
                .withVolumeMode("Block")
                .endSpec()
                .build());

        assertThat(pvc.getSpec().getVolumeMode()).isEqualTo("Filesystem");
        assertThat(pvc.getSpec().getStorageClassName()).as("admission").isNull();
        assertThat(pvc.getStatus()).isNull();
        assertThat(block.getSpec().getVolumeMode()).isEqualTo("Block");
    }

    @Test
    void namespaceGetsItsNameLabel() {
        Namespace ns = defaulted(new NamespaceBuilder()
                .withNewMetadata()
                .withName("ml")
                .withLabels(Map.of("team", "vision", "kubernetes.io/metadata.name", "stale"))
                .endMetadata()
                .build());
        Namespace generated = defaulted(new NamespaceBuilder()
                .withNewMetadata()
                .withGenerateName("tmp-")
                .endMetadata()
                .build());

        assertThat(ns.getMetadata().getLabels())
                .containsOnly(entry("team", "vision"), entry("kubernetes.io/metadata.name", "ml"));
        assertThat(generated.getMetadata().getLabels()).isEmpty();
    }

    @Test
    void secretTypeDefaultsToOpaque() {
        Secret plain = defaulted(new SecretBuilder()
                .withNewMetadata()
                .withName("s")
                .endMetadata()
                .build());
        Secret tls = defaulted(new SecretBuilder().withType("kubernetes.io/tls").build());

        assertThat(plain.getType()).isEqualTo("Opaque");
        assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
    }

    @Test
    void configMapDataIsNeverNull() {
        ConfigMap cm = new ConfigMap();
        cm.setData(null);

        Defaults.apply(cm);

        assertThat(cm.getData()).isEmpty();
    }

    @Test
    void nodeAllocatableDefaultsToCapacity() {
        Node node = defaulted(new NodeBuilder()
                .withNewMetadata()
                .withName("gpu-1")
                .endMetadata()
                .withNewStatus()
                .addToCapacity("cpu", new Quantity("64"))
                .addToCapacity("nvidia.com/gpu", new Quantity("8"))
                .endStatus()
                .build());

        assertThat(node.getStatus().getAllocatable())
                .containsExactly(entry("cpu", new Quantity("64")), entry("nvidia.com/gpu", new Quantity("8")));
    }

    // ---- resource.k8s.io/v1 -----------------------------------------------------------------

    @Test
    void deviceRequestsDefaultToExactlyOneDevice() {
        ResourceClaimTemplate t = defaulted(new ResourceClaimTemplateBuilder()
                .withNewMetadata()
                .withName("gpu")
                .endMetadata()
                .withNewSpec()
                .withNewSpec()
                .withNewDevices()
                .addNewRequest()
                .withName("gpu")
                .withNewExactly()
                .withDeviceClassName("gpu.nvidia.com")
                .addNewToleration()
                .withKey("maintenance")
                .withEffect("NoSchedule")
                .endToleration()
                .endExactly()
                .endRequest()
                .addNewRequest()
                .withName("all")
                .withNewExactly()
                .withDeviceClassName("gpu.nvidia.com")
                .withAllocationMode("All")
                .endExactly()
                .endRequest()
                .addNewRequest()
                .withName("either")
                .addNewFirstAvailable()
                .withName("big")
                .withDeviceClassName("gpu.nvidia.com")
                .endFirstAvailable()
                .endRequest()
                .endDevices()
                .endSpec()
                .endSpec()
                .build());

        var requests = t.getSpec().getSpec().getDevices().getRequests();
        ExactDeviceRequest one = requests.get(0).getExactly();
        assertThat(one.getAllocationMode()).isEqualTo("ExactCount");
        assertThat(one.getCount()).isEqualTo(1L);
        assertThat(one.getTolerations().get(0).getOperator()).isEqualTo("Equal");
        assertThat(requests.get(1).getExactly().getCount()).isNull();
        assertThat(requests.get(2).getFirstAvailable().get(0).getAllocationMode())
                .isEqualTo("ExactCount");
        assertThat(requests.get(2).getFirstAvailable().get(0).getCount()).isEqualTo(1L);
    }

    @Test
    void otherKindsAreLeftAlone() {
        var role = new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata()
                .withName("r")
                .endMetadata()
                .build();
        String before = Serialization.asYaml(role);

        Defaults.apply(role);

        assertThat(Serialization.asYaml(role)).isEqualTo(before);
    }

    // ---- every kind -------------------------------------------------------------------------

    static Stream<Arguments> minimalObjects() {
        return Stream.<Supplier<HasMetadata>>of(
                        () -> pod(busybox()),
                        DefaultsTest::job,
                        () -> new CronJobBuilder()
                                .withNewSpec()
                                .withNewJobTemplate()
                                .withSpec(job().getSpec())
                                .endJobTemplate()
                                .endSpec()
                                .build(),
                        () -> new DeploymentBuilder().build(),
                        () -> new ReplicaSetBuilder().build(),
                        () -> new StatefulSetBuilder()
                                .withNewSpec()
                                .addNewVolumeClaimTemplate()
                                .endVolumeClaimTemplate()
                                .endSpec()
                                .build(),
                        () -> new DaemonSetBuilder().build(),
                        () -> service(null),
                        () -> service("LoadBalancer"),
                        () -> new PersistentVolumeClaimBuilder().build(),
                        () -> new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("ml")
                                .endMetadata()
                                .build(),
                        () -> new SecretBuilder().build(),
                        () -> new io.fabric8.kubernetes.api.model.PodTemplateBuilder().build())
                .map(s -> Arguments.of(s.get().getClass().getSimpleName(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minimalObjects")
    void applyingTwiceEqualsApplyingOnce(String kind, Supplier<HasMetadata> object) {
        HasMetadata once = object.get();
        Defaults.apply(once);
        String afterOnce = Serialization.asYaml(once);

        Defaults.apply(once);

        assertThat(Serialization.asYaml(once)).isEqualTo(afterOnce);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minimalObjects")
    void defaultedObjectsAreNeverChangedByAnotherApply(String kind, Supplier<HasMetadata> object) {
        HasMetadata defaulted = object.get();
        Defaults.apply(defaulted);
        HasMetadata copy = Serialization.clone(defaulted);

        Defaults.apply(copy);

        assertThat(copy).isEqualTo(defaulted);
    }

    @Test
    void valuesTheUserSetAreNeverOverwritten() {
        Job job = new JobBuilder(job())
                .editSpec()
                .withParallelism(3)
                .withCompletions(6)
                .withBackoffLimit(1)
                .withCompletionMode("Indexed")
                .withSuspend(true)
                .withManualSelector(false)
                .withPodReplacementPolicy("Failed")
                .editTemplate()
                .editSpec()
                .withDnsPolicy("None")
                .withNewDnsConfig()
                .withNameservers("1.1.1.1")
                .endDnsConfig()
                .withSchedulerName("kai-scheduler")
                .withTerminationGracePeriodSeconds(5L)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .endSecurityContext()
                .editFirstContainer()
                .withImagePullPolicy("Never")
                .withTerminationMessagePath("/tmp/msg")
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withReadinessProbe(new ProbeBuilder()
                        .withNewTcpSocket()
                        .withPort(new IntOrString(80))
                        .endTcpSocket()
                        .withTimeoutSeconds(7)
                        .withPeriodSeconds(8)
                        .withSuccessThreshold(2)
                        .withFailureThreshold(9)
                        .build())
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        job.getMetadata().setLabels(Map.of("team", "vision"));
        String before = Serialization.asYaml(job);

        Defaults.apply(job);

        assertThat(Serialization.asYaml(job)).isEqualTo(before);
    }
}
