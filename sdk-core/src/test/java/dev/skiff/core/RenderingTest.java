package dev.skiff.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file tests: every workload shape renders to the YAML checked in under {@code
 * src/test/resources/golden}. Run with {@code -Dskiff.updateGolden=true} to rewrite the files after
 * an intended change, then review the diff.
 */
class RenderingTest {
    private static final Path GOLDEN = Paths.get("src/test/resources/golden");

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("minimal-job", (Supplier<Workload>) Workloads::minimalJob),
                Arguments.of("indexed-training-job", (Supplier<Workload>) Workloads::indexedTrainingJob),
                Arguments.of("leader-success-job", (Supplier<Workload>) Workloads::leaderSuccessJob),
                Arguments.of("work-queue-job", (Supplier<Workload>) Workloads::workQueueJob),
                Arguments.of("notebook-statefulset", (Supplier<Workload>) Workloads::notebookWithStorage),
                Arguments.of("tensorboard-deployment", (Supplier<Workload>) Workloads::tensorboard),
                Arguments.of("nightly-cronjob", (Supplier<Workload>) Workloads::nightlyRetraining),
                Arguments.of("metrics-job", (Supplier<Workload>) Workloads::jobWithMetrics),
                Arguments.of("metrics-session", (Supplier<Workload>) Workloads::sessionWithMetrics),
                Arguments.of("metrics-cronjob", (Supplier<Workload>) Workloads::scheduledJobWithMetrics));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void rendersTheGoldenYaml(String name, Supplier<Workload> workload) throws IOException {
        String yaml = Skiff.toYaml(workload.get());
        Path file = GOLDEN.resolve(name + ".yaml");
        if (Boolean.getBoolean("skiff.updateGolden") || !Files.exists(file)) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        }
        assertThat(yaml).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void renderingIsByteIdenticalAcrossBuildsAndCalls(String name, Supplier<Workload> workload) {
        Workload a = workload.get();
        Workload b = workload.get();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(Skiff.toYaml(a)).isEqualTo(Skiff.toYaml(a)).isEqualTo(Skiff.toYaml(b));
        assertThat(Skiff.specHash(a)).isEqualTo(Skiff.specHash(b)).hasSize(64);
    }

    @Test
    void renderReturnsFreshObjectsEachCall() {
        BatchJob job = Workloads.minimalJob();
        List<HasMetadata> first = Skiff.render(job);
        first.get(0).getMetadata().getLabels().put("mutated", "yes");
        assertThat(Skiff.render(job).get(0).getMetadata().getLabels()).doesNotContainKey("mutated");
    }

    @Test
    void aDifferentSpecHasADifferentHash() {
        BatchJob job = Workloads.minimalJob();
        BatchJob other = job.toBuilder().parallelism(2).build();
        assertThat(Skiff.specHash(other)).isNotEqualTo(Skiff.specHash(job));
    }

    @Test
    void theSpecHashIsTheSha256OfEachRenderedObjectAsCanonicalJsonOnALine() throws Exception {
        Workload session = Workloads.notebookWithStorage(); // two objects
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        for (HasMetadata object : Skiff.render(session)) {
            StringBuilder canonical = new StringBuilder();
            Skiff.canonicalJson(
                    io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                            io.fabric8.kubernetes.client.utils.Serialization.asJson(object),
                            tools.jackson.databind.JsonNode.class),
                    canonical);
            digest.update((canonical + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Skiff.specHash(session)).isEqualTo(java.util.HexFormat.of().formatHex(digest.digest()));
    }

    @Test
    void canonicalJsonSortsKeysAndKeepsArrays() {
        StringBuilder out = new StringBuilder();
        Skiff.canonicalJson(
                io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        "{\"b\":{\"z\":1,\"y\":\"q\\\"\"},\"a\":[2,1,{\"d\":null,\"c\":true}]}",
                        tools.jackson.databind.JsonNode.class),
                out);
        assertThat(out.toString()).isEqualTo("{\"a\":[2,1,{\"c\":true,\"d\":null}],\"b\":{\"y\":\"q\\\"\",\"z\":1}}");
    }

    @Test
    void statefulSessionRendersStatefulSetThenHeadlessService() {
        List<HasMetadata> objects = Skiff.render(Workloads.notebookWithStorage());
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("StatefulSet", "Service");
        var service = (io.fabric8.kubernetes.api.model.Service) objects.get(1);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        var sts = (io.fabric8.kubernetes.api.model.apps.StatefulSet) objects.get(0);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("alice-notebook");
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void sessionWithoutPerReplicaStorageRendersDeploymentWithRecreate() {
        List<HasMetadata> objects = Skiff.render(Workloads.tensorboard());
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Deployment", "Service");
        var deployment = (io.fabric8.kubernetes.api.model.apps.Deployment) objects.get(0);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void traitsAddNodeRequirementsToEveryTermAndTolerationsOnce() {
        BatchJob job = Workloads.indexedTrainingJob().toBuilder()
                .placement(Placement.builder()
                        .addRequiredNodeAffinity(NodeRequirement.in("zone", "a"))
                        .addTolerations(Toleration.exists("example.com/npu").withEffect(Toleration.Effect.NO_SCHEDULE))
                        .build())
                .build();
        var spec = ((io.fabric8.kubernetes.api.model.batch.v1.Job)
                        Skiff.render(job).get(0))
                .getSpec()
                .getTemplate()
                .getSpec();
        var terms = spec.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        assertThat(terms).hasSize(1);
        assertThat(terms.get(0).getMatchExpressions())
                .extracting(r -> r.getKey())
                .containsExactly("zone", "example.com/npu.product");
        assertThat(spec.getTolerations()).hasSize(1);
    }

    @Test
    void restrictedPodSecurityIsTheDefaultAndCanBeTurnedOff() {
        var restricted = ((io.fabric8.kubernetes.api.model.batch.v1.Job)
                        Skiff.render(Workloads.minimalJob()).get(0))
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(restricted.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(restricted.getSecurityContext().getSeccompProfile().getType())
                .isEqualTo("RuntimeDefault");
        var sc = restricted.getContainers().get(0).getSecurityContext();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");

        var open = ((io.fabric8.kubernetes.api.model.batch.v1.Job)
                        Skiff.render(Workloads.leaderSuccessJob()).get(0))
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(open.getSecurityContext()).isNull();
        assertThat(open.getContainers().get(0).getSecurityContext()).isNull();
    }

    @Test
    void everyRenderedObjectCarriesTheRecommendedLabels() {
        for (Supplier<Workload> s : List.<Supplier<Workload>>of(
                Workloads::minimalJob, Workloads::notebookWithStorage, Workloads::nightlyRetraining)) {
            for (HasMetadata object : Skiff.render(s.get())) {
                assertThat(object.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/managed-by", "skiff")
                        .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance");
            }
        }
    }
}
