package dev.skiff.testing.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.testing.internal.api.ApiException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

class FieldValidationTest {
    @Test
    void reportsUnknownAndDuplicateFieldsInTheOrderTheyAppear() {
        String body = """
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"name":"a","name":"b","unknownMeta":"x"},
                 "spec":{"unknown1":1,"unknownDupe":1,"unknownDupe":2,"paused":true,"paused":false,
                  "template":{"spec":{"containers":[{"name":"c","image":"i","unknownNested":1,
                   "imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}
                """;

        assertThat(FieldValidation.problems(body, Deployment.class))
                .containsExactly(
                        "duplicate field \"metadata.name\"",
                        "unknown field \"metadata.unknownMeta\"",
                        "unknown field \"spec.unknown1\"",
                        "unknown field \"spec.unknownDupe\"",
                        "duplicate field \"spec.paused\"",
                        "unknown field \"spec.template.spec.containers[0].unknownNested\"",
                        "duplicate field \"spec.template.spec.containers[0].imagePullPolicy\"");
    }

    @Test
    void mapsLabelsAndPatchDirectivesAreNotUnknownFields() {
        String body = """
                {"metadata":{"labels":{"anything":"goes"},"annotations":{"a":"b"}},
                 "spec":{"$setElementOrder/containers":[{"name":"c"}],
                  "template":{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}}}}
                """;

        assertThat(FieldValidation.problems(body, Job.class)).isEmpty();
    }

    @Test
    void prunesUnknownFieldsOnly() {
        String pruned = FieldValidation.prune(
                "{\"metadata\":{\"name\":\"a\",\"x\":1},\"spec\":{\"parallelism\":2,\"foo\":{\"bar\":1}}}", Job.class);

        assertThat(pruned).isEqualTo("{\"metadata\":{\"name\":\"a\"},\"spec\":{\"parallelism\":2}}");
    }

    @Test
    void modeDefaultsToWarnAndRejectsOtherValues() {
        assertThat(FieldValidation.mode(null)).isEqualTo(FieldValidation.Mode.WARN);
        assertThat(FieldValidation.mode("Strict")).isEqualTo(FieldValidation.Mode.STRICT);
        assertThat(FieldValidation.mode("Ignore")).isEqualTo(FieldValidation.Mode.IGNORE);
        assertThatThrownBy(() -> FieldValidation.mode("strict")).isInstanceOf(ApiException.class);
    }

    @Test
    void warningHeaderQuotesTheText() {
        assertThat(FieldValidation.warningHeader("unknown field \"spec.foo\""))
                .isEqualTo("299 - \"unknown field \\\"spec.foo\\\"\"");
    }
}
