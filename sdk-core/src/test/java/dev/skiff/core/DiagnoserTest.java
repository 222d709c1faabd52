package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiagnoserTest {
    static Stream<Arguments> schedulerMessages() {
        return Stream.of(
                Arguments.of(
                        "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
                        Map.of("Insufficient nvidia.com/gpu", 3)),
                Arguments.of(
                        "0/3 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: present}, 2 Insufficient"
                                + " nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for"
                                + " incoming pod.",
                        Map.of(
                                "node(s) had untolerated taint {nvidia.com/gpu: present}", 1,
                                "Insufficient nvidia.com/gpu", 2)),
                Arguments.of(
                        "0/2 nodes are available: 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes"
                                + " are available: 2 No preemption victims found for incoming pod.",
                        Map.of("Insufficient cpu", 2)),
                Arguments.of(
                        "0/4 nodes are available: 1 Insufficient memory, 1 Insufficient cpu, 2 node(s) didn't match Pod's"
                                + " node affinity/selector.",
                        Map.of(
                                "Insufficient memory", 1,
                                "Insufficient cpu", 1,
                                "node(s) didn't match Pod's node affinity/selector", 2)),
                Arguments.of(
                        "0/1 nodes are available: 1 node(s) had untolerated taint {a.b/c: x.y}.",
                        Map.of("node(s) had untolerated taint {a.b/c: x.y}", 1)),
                Arguments.of("no nodes available to schedule pods", Map.of()));
    }

    @ParameterizedTest
    @MethodSource("schedulerMessages")
    void nodeReasonsFromTheSchedulersMessage(String message, Map<String, Integer> expected) {
        assertThat(Diagnoser.nodeReasons(message)).containsExactlyInAnyOrderEntriesOf(expected);
    }

    static Pod waiting(String reason, String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("train-0-abcde")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("main")
                .withImage("ghcr.io/acme/trainer:1.4")
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    static Stream<Arguments> waitingContainers() {
        return Stream.of(
                Arguments.of("ErrImagePull", "rpc error: not found", Diagnosis.Kind.IMAGE_PULL_FAILED, null),
                Arguments.of("ImagePullBackOff", "Back-off pulling image", Diagnosis.Kind.IMAGE_PULL_FAILED, null),
                Arguments.of("InvalidImageName", "bad ref", Diagnosis.Kind.IMAGE_PULL_FAILED, null),
                Arguments.of(
                        "CreateContainerConfigError",
                        "secret \"hf-token\" not found",
                        Diagnosis.Kind.MISSING_SECRET,
                        "hf-token"),
                Arguments.of(
                        "CreateContainerConfigError",
                        "configmap \"settings\" not found",
                        Diagnosis.Kind.MISSING_CONFIG_MAP,
                        "settings"),
                Arguments.of(
                        "CreateContainerConfigError",
                        "couldn't find key token in Secret ml/hf-token",
                        Diagnosis.Kind.MISSING_SECRET,
                        "hf-token"),
                Arguments.of(
                        "CreateContainerConfigError",
                        "container has runAsNonRoot and image will run as root",
                        Diagnosis.Kind.CONTAINER_CONFIG_ERROR,
                        null),
                Arguments.of("CrashLoopBackOff", "back-off 40s", Diagnosis.Kind.CRASH_LOOP, null));
    }

    @ParameterizedTest
    @MethodSource("waitingContainers")
    void findingsFromWaitingContainers(String reason, String message, Diagnosis.Kind kind, String missing) {
        var findings = Diagnoser.fromPods(java.util.List.of(waiting(reason, message)));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(kind);
            assertThat(f.subject()).isEqualTo("pod train-0-abcde");
            assertThat(f.missingObject()).isEqualTo(java.util.Optional.ofNullable(missing));
        });
    }

    @org.junit.jupiter.api.Test
    void podsSayingTheSameThingAreMerged() {
        var pods = java.util.List.of(
                waiting("ErrImagePull", "x"),
                waiting("ErrImagePull", "x"),
                waiting("ErrImagePull", "x"),
                waiting("ErrImagePull", "x"));
        for (int i = 0; i < pods.size(); i++) {
            pods.get(i).getMetadata().setName("p" + i);
        }
        assertThat(Diagnoser.fromPods(pods))
                .singleElement()
                .satisfies(f -> assertThat(f.subject()).isEqualTo("4 pods (p0, p1, p2, ...)"));
    }
}
