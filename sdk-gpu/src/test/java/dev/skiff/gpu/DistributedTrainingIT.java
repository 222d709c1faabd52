package dev.skiff.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Diagnosis;
import dev.skiff.core.JobHandle;
import dev.skiff.core.JobStatus;
import dev.skiff.core.Outcome;
import dev.skiff.core.Resources;
import dev.skiff.core.Skiff;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The traits on the in-memory cluster: what the Job controller, scheduler and kubelet make of them. */
class DistributedTrainingIT {
    private static final Pattern ANNOTATION_PATH = Pattern.compile("metadata\\.annotations\\['([^']+)'\\]");

    private InMemoryCluster cluster;
    private KubernetesClient client;
    private Skiff skiff;

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.builder()
                .node(h100Node("gpu-1"))
                .node(h100Node("gpu-2"))
                .node(FakeNode.named("cpu-1").withCpu("32").withMemory("128Gi"))
                .podScript("batch.kubernetes.io/job-name=llama", PodScript.succeedAfter(Duration.ofMinutes(30)))
                .seed(7)
                .start();
        client = cluster.kubernetesClient();
        skiff = cluster.skiff();
    }

    @AfterEach
    void stop() {
        skiff.close();
        cluster.close();
    }

    private static FakeNode h100Node(String name) {
        return FakeNode.named(name)
                .withCpu("96")
                .withMemory("1Ti")
                .withGpus(8, "NVIDIA-H100-80GB-HBM3")
                .withTaint("nvidia.com/gpu", "present", "NoSchedule");
    }

    private static BatchJob twoNodesOfEightH100s() {
        return BatchJob.builder()
                .name("llama")
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withCommand("torchrun", "train.py")
                        .withResources(Resources.cpu("32").memory("256Gi")))
                .addTraits(DistributedTraining.nodes(2)
                        .gpusPerNode(Gpu.nvidia(8).model("H100").withSharedMemory("64Gi")))
                .build();
    }

    /** The container's environment as the kubelet would resolve it: literals and pod annotations. */
    private static Map<String, String> resolvedEnv(Pod pod) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), e.getValue());
                continue;
            }
            String path = e.getValueFrom().getFieldRef().getFieldPath();
            Matcher m = ANNOTATION_PATH.matcher(path);
            if (m.matches()) {
                env.put(e.getName(), pod.getMetadata().getAnnotations().get(m.group(1)));
            }
        }
        return env;
    }

    private List<Pod> pods(String job) {
        return client
                .pods()
                .inNamespace("default")
                .withLabel("batch.kubernetes.io/job-name", job)
                .list()
                .getItems()
                .stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    @Test
    void twoNodesOfEightH100sRendezvousAtRankZeroAndSucceed() {
        JobHandle handle = skiff.submit(twoNodesOfEightH100s());
        cluster.advanceClock(Duration.ofMinutes(1));

        Service service =
                client.services().inNamespace("default").withName("llama").get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Job/llama"));

        List<Pod> pods = pods("llama");
        assertThat(pods).hasSize(2);
        assertThat(pods.get(0).getMetadata().getName()).matches("llama-0-[a-z0-9]{5}");
        assertThat(pods.get(1).getMetadata().getName()).matches("llama-1-[a-z0-9]{5}");
        assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder("gpu-1", "gpu-2");
        for (int rank = 0; rank < 2; rank++) {
            Pod pod = pods.get(rank);
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getSpec().getHostname() + "." + pod.getSpec().getSubdomain())
                    .isEqualTo("llama-" + rank + ".llama");
            assertThat(resolvedEnv(pod))
                    .containsEntry("MASTER_ADDR", "llama-0.llama")
                    .containsEntry("PET_MASTER_ADDR", "llama-0.llama")
                    .containsEntry("MASTER_PORT", "29500")
                    .containsEntry("WORLD_SIZE", "16")
                    .containsEntry("PET_NNODES", "2")
                    .containsEntry("PET_NPROC_PER_NODE", "8")
                    .containsEntry("NODE_RANK", Integer.toString(rank))
                    .containsEntry("RANK", Integer.toString(rank))
                    .containsEntry("PET_NODE_RANK", Integer.toString(rank));
        }
        // the first rank's hostname.subdomain is what every rank dials
        assertThat(pods.get(0).getSpec().getHostname() + "."
                        + pods.get(0).getSpec().getSubdomain())
                .isEqualTo(resolvedEnv(pods.get(1)).get("MASTER_ADDR"));

        cluster.advanceClock(Duration.ofMinutes(30));
        Outcome outcome = handle.await(Duration.ofMinutes(1));
        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        Job job = client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .withName("llama")
                .get();
        assertThat(job.getStatus().getSucceeded()).isEqualTo(2);
    }

    @Test
    void withLeaderSuccessTheJobSucceedsWhenRankZeroDoesWhileOtherRanksStillRun() {
        cluster.onPods(
                "batch.kubernetes.io/job-name=leader,batch.kubernetes.io/job-completion-index=0",
                PodScript.succeedAfter(Duration.ofMinutes(10)));
        cluster.onPods(
                "batch.kubernetes.io/job-name=leader,batch.kubernetes.io/job-completion-index!=0",
                PodScript.runForever());
        BatchJob job = BatchJob.builder()
                .name("leader")
                .container(Container.of("ghcr.io/acme/trainer:1.4").withCommand("torchrun", "train.py"))
                .addTraits(DistributedTraining.nodes(3).succeedWhenLeaderSucceeds())
                .build();
        JobHandle handle = skiff.submit(job);
        cluster.advanceClock(Duration.ofMinutes(11));
        Outcome outcome = handle.await(Duration.ofMinutes(1));
        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        Job finished = client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .withName("leader")
                .get();
        assertThat(finished.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(finished.getStatus().getConditions())
                .anySatisfy(c ->
                        assertThat(c.getType() + "/" + c.getReason()).isEqualTo("SuccessCriteriaMet/SuccessPolicy"));
    }

    @Test
    void withoutAGangTwoOfThreeRanksHoldTheirGpusWhileTheThirdWaits() {
        BatchJob three = twoNodesOfEightH100s().toBuilder()
                .traits(List.of(
                        DistributedTraining.nodes(3).gpusPerNode(Gpu.nvidia(8).model("H100"))))
                .build();
        skiff.submit(three);
        cluster.advanceClock(Duration.ofMinutes(1));
        List<Pod> pods = pods("llama");
        assertThat(pods).hasSize(3);
        assertThat(pods).filteredOn(p -> p.getSpec().getNodeName() == null).hasSize(1);
    }

    @Test
    void aKueueJobIsCreatedSuspendedAndReportedAsWaitingForItsQueue() {
        BatchJob job = twoNodesOfEightH100s().toBuilder()
                .addTraits(Queue.kueue("team-a").priorityClass("high"))
                .build();
        JobHandle handle = skiff.submit(job);
        cluster.advanceClock(Duration.ofMinutes(5));

        assertThat(handle.status().phase()).isEqualTo(JobStatus.Phase.QUEUED);
        Diagnosis diagnosis = handle.diagnose();
        assertThat(diagnosis.has(Diagnosis.Kind.WAITING_FOR_QUEUE)).isTrue();
        assertThat(diagnosis.explanation()).contains("team-a");
        assertThat(pods("llama")).isEmpty();
        Job created = client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .withName("llama")
                .get();
        assertThat(created.getSpec().getSuspend()).isTrue();
        assertThat(created.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a");

        // what Kueue does on admission: resume the Job; then it runs like any other
        handle.resume();
        cluster.advanceClock(Duration.ofMinutes(31));
        assertThat(handle.await(Duration.ofMinutes(1))).isInstanceOf(Outcome.Succeeded.class);
    }

    @Test
    void submittingAPodGroupToAClusterWithoutItsCrdFailsAndLeavesNoJob() {
        BatchJob job =
                twoNodesOfEightH100s().toBuilder().addTraits(Gang.volcano()).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> skiff.submit(job))
                .isInstanceOf(dev.skiff.core.SkiffException.class)
                .hasMessageContaining("PodGroup default/llama was not created");
        cluster.advanceClock(Duration.ofMinutes(1));
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .withName("llama")
                        .get())
                .isNull();
    }

    @Test
    void podsForABatchSchedulerStayPendingWhereNoSuchSchedulerRuns() {
        BatchJob job = twoNodesOfEightH100s().toBuilder()
                .addTraits(Gang.volcano().queue("research"))
                .build();
        List<HasMetadata> objects = Skiff.render(job);
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Job", "Service", "PodGroup");
        // the in-memory cluster serves no Volcano CRDs: create the Job alone
        client.resource((Job) objects.get(0)).inNamespace("default").create();
        cluster.advanceClock(Duration.ofMinutes(5));

        List<Pod> pods = pods("llama");
        assertThat(pods).hasSize(2).allSatisfy(p -> {
            assertThat(p.getSpec().getSchedulerName()).isEqualTo("volcano");
            assertThat(p.getSpec().getNodeName()).isNull();
            assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(p.getMetadata().getAnnotations()).containsEntry("scheduling.k8s.io/group-name", "llama");
        });
    }
}
