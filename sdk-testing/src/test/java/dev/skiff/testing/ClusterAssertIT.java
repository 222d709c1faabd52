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

/** {@link ClusterAssert}'s events and nodes ({@link EventsAssert}, {@link NodeAssert}). */
@SkiffTest
class ClusterAssertIT {
    @BeforeAll
    static void submitAJobNeedingAGpu(KubernetesClient client) {
        Job gpu = ControllersIT.job("gpu", 1, Map.of());
        gpu.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .setResources(new ResourceRequirementsBuilder()
                        .addToLimits("nvidia.com/gpu", new Quantity("1"))
                        .build());
        client.batch().v1().jobs().inNamespace("default").resource(gpu).create();
    }

    @Test
    void aPodThatCannotBeScheduledLeavesAFailedSchedulingEvent(InMemoryCluster cluster) {
        assertThat(cluster)
                .events("default")
                .hasEventWithReason("FailedScheduling")
                .hasEventWithReason("FailedScheduling", "Insufficient nvidia.com/gpu")
                .hasEventWithMessageContaining("0/1 nodes are available");
    }

    @Test
    void aMissingEventReasonListsTheEventsFound(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).events("default").hasEventWithReason("BackOff"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting events in default to contain an event with reason BackOff, but found")
                .hasMessageContaining("FailedScheduling: 0/1 nodes are available");
    }

    @Test
    void aReasonWithAnotherMessageFails(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster)
                        .events("default")
                        .hasEventWithReason("FailedScheduling", "Insufficient memory"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("with reason FailedScheduling and a message containing \"Insufficient memory\"")
                .hasMessageContaining("Insufficient nvidia.com/gpu");
    }

    @Test
    void aMissingMessageFails(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).events("kube-system").hasEventWithMessageContaining("oops"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expecting events in kube-system to contain an event with a message containing \"oops\", but found []");
    }

    @Test
    void theDefaultNodeIsReady(InMemoryCluster cluster) {
        assertThat(cluster).node("node-1").isReady();
    }

    @Test
    void aMissingNodeFails(InMemoryCluster cluster) {
        assertThatThrownBy(() -> assertThat(cluster).node("gpu-9").isReady())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting node gpu-9 to exist, but it does not");
    }

    @Test
    void aNodeWithoutAReadyConditionFailsListingItsConditions() {
        assertThatThrownBy(() -> new NodeAssert(FakeNode.named("raw").toNode()).isReady())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expecting node raw to be ready (condition Ready=True), but its conditions were []");
    }

    @Test
    void aNullClusterFails() {
        assertThatThrownBy(() -> assertThat((InMemoryCluster) null).node("node-1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting an in-memory cluster, but it was null");
    }
}
