package dev.skiff.testing.client;

import static dev.skiff.testing.client.JobHandleIT.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.AwaitTimeoutException;
import dev.skiff.core.Container;
import dev.skiff.core.Diagnosis;
import dev.skiff.core.Endpoint;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.LogLine;
import dev.skiff.core.NotFoundException;
import dev.skiff.core.PersistentStorage;
import dev.skiff.core.Port;
import dev.skiff.core.Resources;
import dev.skiff.core.SessionHandle;
import dev.skiff.core.SessionStatus;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffException;
import dev.skiff.core.Trait;
import dev.skiff.core.WorkloadEvent;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.PodScript;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SessionHandle} end to end on the in-memory cluster, over a Deployment and a StatefulSet. */
class SessionHandleIT {
    private static final String NS = "default";
    private static final String INSTANCE = "app.kubernetes.io/instance";

    private InMemoryCluster cluster;
    private Skiff skiff;
    private KubernetesClient kube;

    @BeforeEach
    void start() {
        cluster = InMemoryCluster.builder()
                .node(FakeNode.named("cpu-1").withCpu("8").withMemory("32Gi"))
                .node(FakeNode.named("gpu-1").withGpus(1, "NVIDIA-H100-80GB-HBM3"))
                .seed(5)
                .start();
        skiff = cluster.skiff();
        kube = cluster.kubernetesClient();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A notebook on a Deployment: no per-replica storage. */
    static InteractiveSession.Builder deploymentSession(String name) {
        return InteractiveSession.builder()
                .name(name)
                .namespace(NS)
                .container(Container.of("jupyter/base-notebook:2024-10-07").withResources(Resources.cpu("1")))
                .addPorts(Port.of("http", 8888));
    }

    /** A notebook on a StatefulSet: each replica keeps its own home volume. */
    static InteractiveSession.Builder statefulSession(String name) {
        return deploymentSession(name).addPerReplicaStorage(PersistentStorage.of("home", "10Gi", "/home/jovyan"));
    }

    /** Asks for one {@code nvidia.com/gpu} on every main container, as the GPU trait does. */
    static Trait oneGpu() {
        return context -> context.containers().forEach(c -> {
            c.getResources().getLimits().put("nvidia.com/gpu", new Quantity("1"));
            c.getResources().getRequests().put("nvidia.com/gpu", new Quantity("1"));
        });
    }

    private List<Pod> pods(String session) {
        return kube.pods().inNamespace(NS).withLabel(INSTANCE, session).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    private List<PersistentVolumeClaim> claims(String session) {
        return kube.persistentVolumeClaims().inNamespace(NS).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("home-" + session + "-"))
                .toList();
    }

    @Test
    void aDeploymentSessionBecomesReadyWithItsServiceOwnedByIt() {
        SessionHandle handle = skiff.submit(deploymentSession("notebook").build());
        assertThat(handle.name()).isEqualTo("notebook");
        assertThat(handle.namespace()).isEqualTo(NS);
        SessionStatus ready = handle.awaitReady(Duration.ofSeconds(30));
        assertThat(ready.phase()).isEqualTo(SessionStatus.Phase.READY);
        assertThat(ready.session()).isEqualTo("Deployment default/notebook");
        assertThat(ready.replicas()).isEqualTo(1);
        assertThat(ready.readyReplicas()).isEqualTo(1);
        assertThat(ready.updatedReplicas()).isEqualTo(1);
        assertThat(ready.observed()).isTrue();
        assertThat(ready.summary()).isEqualTo("Deployment default/notebook Ready: 1/1 ready, 1/1 updated");
        assertThat(handle.status()).isEqualTo(ready);

        Deployment deployment =
                kube.apps().deployments().inNamespace(NS).withName("notebook").get();
        assertThat(deployment).isNotNull();
        assertThat(kube.apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("notebook")
                        .get())
                .isNull();
        Service service = kube.services().inNamespace(NS).withName("notebook").get();
        assertThat(service.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Deployment");
            assertThat(o.getUid()).isEqualTo(deployment.getMetadata().getUid());
        });

        Endpoint endpoint = handle.endpoint();
        assertThat(endpoint.host()).isEqualTo("notebook.default.svc.cluster.local");
        assertThat(endpoint.ports()).containsExactly(8888);
        assertThat(endpoint.replicaHosts()).isEmpty();

        Diagnosis d = handle.diagnose();
        assertThat(d.workload()).isEqualTo("Deployment default/notebook");
        assertThat(d.primary().kind()).isEqualTo(Diagnosis.Kind.RUNNING);
        assertThat(d.primary().message()).isEqualTo("all 1 replicas are ready");
        assertThat(d.isStuck()).isFalse();
    }

    @Test
    void aStatefulSessionGetsAClaimPerReplicaAndAHostPerReplica() {
        SessionHandle handle = skiff.submit(statefulSession("lab").replicas(2).build());
        SessionStatus ready = handle.awaitReady(Duration.ofSeconds(30));
        assertThat(ready.session()).isEqualTo("StatefulSet default/lab");
        assertThat(ready.replicas()).isEqualTo(2);
        assertThat(ready.readyReplicas()).isEqualTo(2);
        assertThat(kube.apps().statefulSets().inNamespace(NS).withName("lab").get())
                .isNotNull();
        assertThat(pods("lab")).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("lab-0", "lab-1");
        assertThat(claims("lab"))
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("home-lab-0", "home-lab-1");
        Service service = kube.services().inNamespace(NS).withName("lab").get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("StatefulSet"));

        Endpoint endpoint = handle.endpoint();
        assertThat(endpoint.host()).isEqualTo("lab.default.svc.cluster.local");
        assertThat(endpoint.ports()).containsExactly(8888);
        assertThat(endpoint.replicaHosts())
                .containsExactly("lab-0.lab.default.svc.cluster.local", "lab-1.lab.default.svc.cluster.local");
    }

    @Test
    void aHandleFoundByNameKnowsItsKind() {
        skiff.submit(statefulSession("found").build()).awaitReady(Duration.ofSeconds(30));
        skiff.submit(deploymentSession("found-d").build()).awaitReady(Duration.ofSeconds(30));
        assertThat(skiff.session(NS, "found").status().session()).isEqualTo("StatefulSet default/found");
        assertThat(skiff.session(NS, "found-d").status().session()).isEqualTo("Deployment default/found-d");
        assertThat(skiff.session(NS, "found").toString()).isEqualTo("SessionHandle[default/found]");
        assertThatThrownBy(() -> skiff.session(NS, "ghost").status())
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("session default/ghost does not exist");
        long start = System.nanoTime();
        assertThatThrownBy(() -> skiff.session(NS, "ghost").awaitReady(Duration.ofSeconds(30)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("session default/ghost does not exist");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aSessionWhoseImageCannotBePulledTimesOutWithTheDiagnosis() {
        cluster.onPods(INSTANCE + "=badpull", PodScript.imagePullFailure());
        SessionHandle handle = skiff.submit(deploymentSession("badpull")
                .containers(List.of(Container.of("registry.example.com/no-such-image:1")))
                .build());
        waitUntil(() -> handle.diagnose().has(Diagnosis.Kind.IMAGE_PULL_FAILED));
        assertThatThrownBy(() -> handle.awaitReady(Duration.ofMillis(500)))
                .isInstanceOf(AwaitTimeoutException.class)
                .hasMessageContaining("Deployment default/badpull was not ready within PT0.5S")
                .hasMessageContaining("cannot pull image registry.example.com/no-such-image:1");
        Diagnosis d = handle.diagnose();
        assertThat(d.primary().kind()).isEqualTo(Diagnosis.Kind.IMAGE_PULL_FAILED);
        assertThat(d.isStuck()).isTrue();
        assertThat(d.primary().subject()).startsWith("pod badpull-");
        assertThat(handle.status().phase()).isEqualTo(SessionStatus.Phase.PENDING);
        assertThat(handle.status().readyReplicas()).isZero();
    }

    @Test
    void aSessionThatCannotBeScheduledSaysSo() {
        SessionHandle handle = skiff.submit(deploymentSession("huge")
                .containers(List.of(Container.of("notebook:1").withResources(Resources.cpu("100"))))
                .build());
        waitUntil(() -> handle.diagnose().has(Diagnosis.Kind.UNSCHEDULABLE));
        assertThatThrownBy(() -> handle.awaitReady(Duration.ofMillis(300)))
                .isInstanceOf(AwaitTimeoutException.class)
                .hasMessageContaining("0/2 nodes are available");
    }

    @Test
    void scaleChangesTheReplicas() {
        SessionHandle handle = skiff.submit(statefulSession("scaled").build());
        handle.awaitReady(Duration.ofSeconds(30));
        handle.scale(3);
        SessionStatus three = handle.awaitReady(Duration.ofSeconds(30));
        assertThat(three.replicas()).isEqualTo(3);
        assertThat(three.readyReplicas()).isEqualTo(3);
        waitUntil(() -> pods("scaled").size() == 3);
        assertThat(handle.endpoint().replicaHosts()).hasSize(3);
        handle.scale(1);
        assertThat(handle.awaitReady(Duration.ofSeconds(30)).replicas()).isEqualTo(1);
        waitUntil(() -> pods("scaled").size() == 1);
        // scaling down keeps the claims, as a StatefulSet does
        assertThat(claims("scaled")).hasSize(3);
        assertThatThrownBy(() -> handle.scale(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replicas: -1: must be 0 or more");
    }

    @Test
    void suspendFreesTheGpuKeepsTheVolumesAndResumeBringsTheReplicasBack() {
        SessionHandle handle = skiff.submit(
                statefulSession("gpu-lab").replicas(1).addTraits(oneGpu()).build());
        handle.awaitReady(Duration.ofSeconds(30));
        assertThat(pods("gpu-lab"))
                .singleElement()
                .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("gpu-1"));

        // the only GPU is taken: a second GPU session cannot be scheduled
        SessionHandle other =
                skiff.submit(deploymentSession("other").addTraits(oneGpu()).build());
        waitUntil(() -> other.diagnose().has(Diagnosis.Kind.UNSCHEDULABLE));

        handle.suspend();
        handle.suspend(); // suspending a suspended session does nothing
        SessionStatus suspended = handle.status();
        assertThat(suspended.phase()).isEqualTo(SessionStatus.Phase.SUSPENDED);
        assertThat(suspended.replicas()).isZero();
        assertThat(handle.diagnose().primary().kind()).isEqualTo(Diagnosis.Kind.SUSPENDED);
        assertThat(handle.diagnose().primary().message())
                .isEqualTo("scaled to zero by suspend(); resume() restores 1 replicas");
        waitUntil(() -> pods("gpu-lab").isEmpty());
        // volumes and the Service stay
        assertThat(claims("gpu-lab")).extracting(c -> c.getMetadata().getName()).containsExactly("home-gpu-lab-0");
        assertThat(kube.services().inNamespace(NS).withName("gpu-lab").get()).isNotNull();
        // the GPU is free: the other session runs on it
        assertThat(other.awaitReady(Duration.ofSeconds(30)).readyReplicas()).isEqualTo(1);
        other.delete();
        waitUntil(() -> pods("other").isEmpty());

        handle.resume();
        SessionStatus resumed = handle.awaitReady(Duration.ofSeconds(30));
        assertThat(resumed.replicas()).isEqualTo(1);
        assertThat(kube.apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("gpu-lab")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .doesNotContainKey("skiff.dev/suspended-replicas");
        handle.resume(); // resuming a running session does nothing
        assertThat(handle.status().replicas()).isEqualTo(1);
        assertThat(claims("gpu-lab")).hasSize(1);
    }

    @Test
    void updateRollsANewImageAndTheHandleReportsProgress() {
        SessionHandle handle = skiff.submit(deploymentSession("rolling").build());
        handle.awaitReady(Duration.ofSeconds(30));

        // the new image asks for more CPU than any node has until a bigger node joins
        InteractiveSession next = deploymentSession("rolling")
                .containers(
                        List.of(Container.of("jupyter/base-notebook:2024-12-02").withResources(Resources.cpu("64"))))
                .build();
        handle.update(next);
        waitUntil(() -> handle.status().phase() == SessionStatus.Phase.UPDATING);
        assertThat(handle.status().readyReplicas()).isZero();
        // the new pod waits for a node: the rollout is stuck, and the diagnosis says why
        waitUntil(() -> handle.diagnose().has(Diagnosis.Kind.UNSCHEDULABLE));
        assertThat(handle.status().phase()).isEqualTo(SessionStatus.Phase.UPDATING);
        assertThatThrownBy(() -> handle.awaitReady(Duration.ofMillis(300))).isInstanceOf(AwaitTimeoutException.class);

        cluster.addNode(FakeNode.named("cpu-big").withCpu("96").withMemory("64Gi"));
        SessionStatus ready = handle.awaitReady(Duration.ofSeconds(30));
        assertThat(ready.phase()).isEqualTo(SessionStatus.Phase.READY);
        assertThat(ready.updatedReplicas()).isEqualTo(1);
        assertThat(pods("rolling")).singleElement().satisfies(p -> {
            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("jupyter/base-notebook:2024-12-02");
            assertThat(p.getSpec().getNodeName()).isEqualTo("cpu-big");
        });
        Deployment d =
                kube.apps().deployments().inNamespace(NS).withName("rolling").get();
        assertThat(d.getMetadata().getAnnotations()).containsEntry(Skiff.SPEC_HASH_ANNOTATION, Skiff.specHash(next));
    }

    @Test
    void updateRollsAStatefulSessionReplicaByReplica() {
        SessionHandle handle =
                skiff.submit(statefulSession("sts-roll").replicas(2).build());
        handle.awaitReady(Duration.ofSeconds(30));
        handle.update(statefulSession("sts-roll")
                .replicas(2)
                .containers(
                        List.of(Container.of("jupyter/base-notebook:2024-12-02").withResources(Resources.cpu("64"))))
                .build());
        // the highest ordinal is replaced first; its new pod waits for a node big enough, the other
        // replica keeps serving on the old template (the new pod counts as updated, ready or not)
        waitUntil(() -> handle.diagnose().has(Diagnosis.Kind.UNSCHEDULABLE));
        SessionStatus rolling = handle.status();
        assertThat(rolling.phase()).isEqualTo(SessionStatus.Phase.UPDATING);
        assertThat(rolling.readyReplicas()).isEqualTo(1);
        assertThat(rolling.summary()).isEqualTo("StatefulSet default/sts-roll Updating: 1/2 ready, 1/2 updated");

        cluster.addNode(FakeNode.named("cpu-big").withCpu("160").withMemory("64Gi"));
        SessionStatus ready = handle.awaitReady(Duration.ofSeconds(30));
        assertThat(ready.updatedReplicas()).isEqualTo(2);
        waitUntil(() -> pods("sts-roll").stream()
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":2024-12-02")));
        assertThat(claims("sts-roll")).hasSize(2);
    }

    @Test
    void updateRefusesAnotherNameOrKindOfStorage() {
        SessionHandle handle = skiff.submit(deploymentSession("fixed").build());
        assertThatThrownBy(() -> handle.update(deploymentSession("renamed").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be the handle's name \"fixed\"");
        assertThatThrownBy(() -> handle.update(statefulSession("fixed").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot change between StatefulSet");
    }

    @Test
    void logsAndEventsCoverTheWorkloadAndItsPods() {
        cluster.onPods(
                INSTANCE + "=talker", PodScript.runForever().withLogs("Jupyter Server is running at", "token=abc"));
        SessionHandle handle =
                skiff.submit(deploymentSession("talker").replicas(2).build());
        handle.awaitReady(Duration.ofSeconds(30));
        List<LogLine> lines = handle.logs().lines();
        assertThat(lines)
                .extracting(LogLine::text)
                .containsExactlyInAnyOrder(
                        "Jupyter Server is running at", "token=abc", "Jupyter Server is running at", "token=abc");
        assertThat(handle.logs().tail(1).text()).contains("token=abc");

        List<WorkloadEvent> events = handle.events();
        assertThat(events)
                .extracting(WorkloadEvent::reason)
                .contains("ScalingReplicaSet", "SuccessfulCreate", "Scheduled");
        assertThat(events).extracting(WorkloadEvent::objectName).allMatch(n -> n.startsWith("talker"));

        SessionHandle sts = skiff.submit(statefulSession("sts-talker").build());
        sts.awaitReady(Duration.ofSeconds(30));
        assertThat(sts.events()).extracting(WorkloadEvent::reason).contains("SuccessfulCreate", "Scheduled");
        assertThat(sts.events()).extracting(WorkloadEvent::objectName).noneMatch(n -> n.startsWith("talker"));
    }

    @Test
    void deleteRemovesTheWorkloadItsPodsAndItsService() {
        SessionHandle deployment =
                skiff.submit(deploymentSession("gone").replicas(2).build());
        SessionHandle stateful = skiff.submit(statefulSession("gone-sts").build());
        deployment.awaitReady(Duration.ofSeconds(30));
        stateful.awaitReady(Duration.ofSeconds(30));
        deployment.delete();
        stateful.delete();
        cluster.advanceUntilIdle(Duration.ofMinutes(1));
        for (String name : List.of("gone", "gone-sts")) {
            waitUntil(() -> pods(name).isEmpty()
                    && kube.services().inNamespace(NS).withName(name).get() == null);
        }
        waitUntil(() ->
                kube.apps().replicaSets().inNamespace(NS).list().getItems().isEmpty());
        assertThat(kube.apps().deployments().inNamespace(NS).withName("gone").get())
                .isNull();
        assertThat(kube.apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("gone-sts")
                        .get())
                .isNull();
        assertThat(kube.pods()
                        .inNamespace(NS)
                        .withLabel(INSTANCE, "gone")
                        .list()
                        .getItems())
                .isEmpty();
        deployment.delete(); // deleting a deleted session does nothing
        assertThatThrownBy(deployment::status).isInstanceOf(NotFoundException.class);
    }

    @Test
    void portForwardOnTheInMemoryClusterFailsClearly() {
        SessionHandle handle = skiff.submit(deploymentSession("forwarded").build());
        handle.awaitReady(Duration.ofSeconds(30));
        assertThatThrownBy(() -> handle.portForward(0, 8888))
                .isInstanceOf(SkiffException.class)
                .hasMessageStartingWith("cannot forward local port 0 to forwarded-")
                .hasMessageContaining(":8888: the API server did not forward the port (the server answered HTTP ")
                .hasMessageContaining(" instead of 101 Switching Protocols)")
                .hasMessageEndingWith("port forwarding needs a cluster whose nodes run containers");
    }

    @Test
    void portForwardWithoutAReadyPodSaysSo() {
        SessionHandle handle =
                skiff.submit(deploymentSession("asleep").replicas(0).build());
        assertThatThrownBy(() -> handle.portForward(0, 8888))
                .isInstanceOf(SkiffException.class)
                .hasMessage("Deployment default/asleep has no ready pod to forward to");
    }
}
