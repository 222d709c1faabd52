package dev.skiff.testing;

import static dev.skiff.testing.SkiffAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PodAssert} and {@link PodListAssert} on pods of Jobs that really ran. */
@SkiffTest
class PodAssertIT {
    @BeforeAll
    static void submitJobs(KubernetesClient client) {
        var jobs = client.batch().v1().jobs().inNamespace("default");
        jobs.resource(ControllersIT.job("done", 2, Map.of())).create();
        jobs.resource(ControllersIT.job("slow", 1, Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "30m")))
                .create();
        jobs.resource(ControllersIT.job(
                        "crash",
                        1,
                        Map.of(
                                "pod-container-running-failed.stage.kwok.x-k8s.io", "true",
                                "pod-container-running-failed.stage.kwok.x-k8s.io/exit-code", "3")))
                .create();
        Job gpu = ControllersIT.job("gpu", 1, Map.of());
        gpu.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .setResources(new ResourceRequirementsBuilder()
                        .addToLimits("nvidia.com/gpu", new Quantity("1"))
                        .build());
        jobs.resource(gpu).create();
    }

    @Test
    void podsOfACompletedJobSucceededOnTheDefaultNode(InMemoryCluster cluster) {
        assertThat(cluster).podsOf("default", "done").hasSize(2).allSucceeded();
        assertThat(cluster).podsOf("default", "done").first().hasSucceeded().isScheduledOn("node-1");
    }

    @Test
    void aSlowPodIsRunning(InMemoryCluster cluster) {
        assertThat(cluster)
                .podsOf("default", "slow")
                .allRunning()
                .singleElement()
                .isRunning();
    }

    @Test
    void aCrashedPodHasFailed(InMemoryCluster cluster) {
        assertThat(cluster).podsOf("default", "crash").singleElement().hasFailed();
    }

    @Test
    void aPodAskingForAGpuOnACpuClusterIsPendingWithTheSchedulersMessage(InMemoryCluster cluster) {
        assertThat(cluster).podsOf("default", "gpu").singleElement().isPendingWith("Insufficient nvidia.com/gpu");
    }

    @Test
    void aPodIsFoundByName(InMemoryCluster cluster) {
        String name = cluster.kubernetesClient()
                .pods()
                .withLabel("batch.kubernetes.io/job-name", "slow")
                .list()
                .getItems()
                .get(0)
                .getMetadata()
                .getName();
        assertThat(cluster).pods("default").pod(name).isRunning();
    }

    @Test
    void isRunningOnASucceededPodSaysItsPhase(InMemoryCluster cluster) {
        assertThatThrownBy(() ->
                        assertThat(cluster).podsOf("default", "done").first().isRunning())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be in phase Running, but found phase Succeeded, node node-1");
    }

    @Test
    void hasSucceededOnAPendingPodSaysWhyItIsPending(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster)
                        .podsOf("default", "gpu")
                        .singleElement()
                        .hasSucceeded())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be in phase Succeeded, but found phase Pending, node <none>")
                .hasMessageContaining("PodScheduled=False (Unschedulable: 0/1 nodes are available");
    }

    @Test
    void isScheduledOnAnotherNodeNamesTheActualNode(InMemoryCluster cluster) {
        assertThatThrownBy(() ->
                        assertThat(cluster).podsOf("default", "done").first().isScheduledOn("gpu-1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be scheduled on node gpu-1, but found phase Succeeded, node node-1");
    }

    @Test
    void isPendingWithOnAScheduledPodFails(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster)
                        .podsOf("default", "slow")
                        .singleElement()
                        .isPendingWith("Insufficient"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to be Pending with a PodScheduled=False message containing \"Insufficient\"")
                .hasMessageContaining("phase Running");
    }

    @Test
    void isPendingWithAnotherMessageShowsTheSchedulersMessage(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster)
                        .podsOf("default", "gpu")
                        .singleElement()
                        .isPendingWith("Insufficient memory"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Insufficient nvidia.com/gpu");
    }

    @Test
    void allSucceededNamesThePodsThatDidNot(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).pods("default").allSucceeded())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting all pods in default to be in phase Succeeded, but found")
                .hasMessageContaining("phase Running")
                .hasMessageContaining("phase Pending");
    }

    @Test
    void allRunningOnNoPodsFails(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).podsOf("default", "nope").allRunning())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expecting all pods of Job default/nope to be in phase Running, but there are none");
    }

    @Test
    void aMissingPodFailsNamingThePodsThatExist(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster)
                        .podsOf("default", "slow")
                        .pod("nope")
                        .isRunning())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting pod nope among pods of Job default/slow to exist, but it does not")
                .hasMessageContaining("slow-");
    }
}
