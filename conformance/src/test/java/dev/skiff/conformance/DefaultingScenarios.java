package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Defaulting: the same minimal object created (dry run) on both targets must come back the same,
 * once the volatile fields are normalised (uid, creation timestamp, resourceVersion, managed
 * fields, namespace; empty objects are dropped). The real server is the reference, so each scenario is reported against the
 * in-memory target.
 */
class DefaultingScenarios {
    private static final java.util.regex.Pattern TOKEN_VOLUME =
            java.util.regex.Pattern.compile("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$");

    private static PodTemplateSpec template(String restartPolicy, Map<String, String> labels) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels.isEmpty() ? null : labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .withRestartPolicy(restartPolicy)
                .endSpec()
                .build();
    }

    static Stream<Arguments> objects() {
        Map<String, Supplier<HasMetadata>> objects = new LinkedHashMap<>();
        objects.put(
                "Job",
                () -> new JobBuilder()
                        .withNewMetadata()
                        .withName("train")
                        .endMetadata()
                        .withNewSpec()
                        .withTemplate(template("Never", Map.of()))
                        .endSpec()
                        .build());
        objects.put(
                "indexed Job",
                () -> new JobBuilder()
                        .withNewMetadata()
                        .withName("ranks")
                        .endMetadata()
                        .withNewSpec()
                        .withCompletions(4)
                        .withParallelism(2)
                        .withCompletionMode("Indexed")
                        .withTemplate(template("Never", Map.of()))
                        .endSpec()
                        .build());
        objects.put(
                "CronJob",
                () -> new CronJobBuilder()
                        .withNewMetadata()
                        .withName("nightly")
                        .endMetadata()
                        .withNewSpec()
                        .withSchedule("0 3 * * *")
                        .withNewJobTemplate()
                        .withNewSpec()
                        .withTemplate(template("OnFailure", Map.of()))
                        .endSpec()
                        .endJobTemplate()
                        .endSpec()
                        .build());
        objects.put(
                "Pod",
                () -> new PodBuilder()
                        .withNewMetadata()
                        .withName("solo")
                        .endMetadata()
                        .withSpec(template(null, Map.of()).getSpec())
                        .build());
        objects.put(
                "Deployment",
                () -> new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("serve")
                        .endMetadata()
                        .withNewSpec()
                        .withNewSelector()
                        .addToMatchLabels("app", "serve")
                        .endSelector()
                        .withTemplate(template(null, Map.of("app", "serve")))
                        .endSpec()
                        .build());
        objects.put(
                "StatefulSet",
                () -> new StatefulSetBuilder()
                        .withNewMetadata()
                        .withName("etcd")
                        .endMetadata()
                        .withNewSpec()
                        .withServiceName("etcd")
                        .withNewSelector()
                        .addToMatchLabels("app", "etcd")
                        .endSelector()
                        .withTemplate(template(null, Map.of("app", "etcd")))
                        .endSpec()
                        .build());
        return objects.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "[in-memory] defaulting/{0} as the real server defaults it")
    @MethodSource("objects")
    void defaultsAsTheRealServer(String kind, Supplier<HasMetadata> object) {
        Map<String, Object> real;
        try (Target t = Target.Kind.REAL.open()) {
            real = created(t, object.get());
        }
        Map<String, Object> inMemory;
        try (Target t = Target.Kind.IN_MEMORY.open()) {
            inMemory = created(t, object.get());
        }
        assertThat(inMemory).isEqualTo(real);
    }

    private static Map<String, Object> created(Target t, HasMetadata object) {
        object.getMetadata().setNamespace(t.namespace());
        HasMetadata answer = t.client().resource(object).dryRun().create();
        @SuppressWarnings("unchecked")
        Map<String, Object> map = t.client().getKubernetesSerialization().convertValue(answer, Map.class);
        return normalise(map, answer.getMetadata().getUid(), t.namespace());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalise(Map<String, Object> map, String uid, String namespace) {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = e.getKey();
            if (List.of("uid", "creationTimestamp", "resourceVersion", "managedFields", "namespace")
                    .contains(key)) {
                continue;
            }
            Object value = normaliseValue(e.getValue(), uid, namespace);
            // an empty object ("resources": {}, "status": {}) means the same as none
            if (!(value instanceof Map<?, ?> m && m.isEmpty())) {
                out.put(key, value);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object normaliseValue(Object value, String uid, String namespace) {
        if (value instanceof Map<?, ?> m) {
            return normalise((Map<String, Object>) m, uid, namespace);
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(normaliseValue(o, uid, namespace));
            }
            return out;
        }
        if (value instanceof String s) {
            // the ServiceAccount plugin names the token volume with five random characters
            return TOKEN_VOLUME
                    .matcher(s.replace(uid, "<uid>").replace(namespace, "<namespace>"))
                    .replaceAll("kube-api-access-<random>");
        }
        return value;
    }
}
