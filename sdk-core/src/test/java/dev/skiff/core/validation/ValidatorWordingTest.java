package dev.skiff.core.validation;

import static dev.skiff.core.validation.Fixtures.job;
import static dev.skiff.core.validation.Fixtures.main;
import static dev.skiff.core.validation.Fixtures.pod;
import static dev.skiff.core.validation.Fixtures.pvc;
import static dev.skiff.core.validation.Fixtures.quantities;
import static dev.skiff.core.validation.Fixtures.repeat;
import static dev.skiff.core.validation.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.core.InvalidWorkloadException;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages read like the API server's, word for word where it matters. */
class ValidatorWordingTest {

    private static List<String> messages(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return Validator.validate(object).stream().map(Violation::toString).toList();
    }

    @Test
    void jobNameTooLongForThePodLabelIsReportedForEachJobNameLabelLikeTheServersCauses() {
        String name = repeat('a', 64);
        String message = "spec.template.labels: Invalid value: \"" + name + "\": must be no more than 63 characters";
        // job-name and batch.kubernetes.io/job-name: two causes, one line in the server's message
        assertThat(messages(job(j -> j.getMetadata().setName(name)))).containsExactly(message, message);
    }

    @Test
    void restartPolicyMissingOnAJobListsTheValidValues() {
        assertThat(messages(job(j -> pod(j).setRestartPolicy(null))))
                .containsExactly(
                        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
    }

    @Test
    void fractionalGpuMustBeAnInteger() {
        assertThat(messages(job(j -> main(j).getResources().setLimits(quantities("nvidia.com/gpu", "0.5")))))
                .containsExactly("spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value:"
                        + " \"0.5\": must be an integer");
    }

    @Test
    void gpuRequestMustEqualItsLimitAtTheUnkeyedRequestsPath() {
        assertThat(messages(job(j -> {
                    main(j).getResources().setLimits(quantities("nvidia.com/gpu", "2"));
                    main(j).getResources().setRequests(quantities("nvidia.com/gpu", "1"));
                })))
                .containsExactly("spec.template.spec.containers[0].resources.requests: Invalid value: \"1\": must be"
                        + " equal to nvidia.com/gpu limit of 2");
    }

    @Test
    void gpuRequestWithoutLimitIsARequiredLimit() {
        assertThat(messages(job(j -> main(j).getResources().setRequests(quantities("nvidia.com/gpu", "1")))))
                .containsExactly("spec.template.spec.containers[0].resources.limits: Required value: Limit must be set"
                        + " for non overcommitable resources");
    }

    @Test
    void cpuRequestAboveLimit() {
        assertThat(messages(job(j -> {
                    main(j).getResources().setLimits(quantities("cpu", "1"));
                    main(j).getResources().setRequests(quantities("cpu", "2"));
                })))
                .containsExactly("spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be"
                        + " less than or equal to cpu limit of 1");
    }

    @Test
    void containerNameUsesTheDnsLabelRegexMessage() {
        assertThat(messages(job(j -> main(j).setName("Main"))))
                .containsExactly("spec.template.spec.containers[0].name: Invalid value: \"Main\": a lowercase RFC 1123"
                        + " label must consist of lower case alphanumeric characters or '-', and must start and end with"
                        + " an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is"
                        + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void exitCodeZeroWithInAndUnorderedValues() {
        assertThat(messages(job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                        .addNewRule()
                        .withAction("FailJob")
                        .withNewOnExitCodes()
                        .withOperator("In")
                        .withValues(2, 0)
                        .endOnExitCodes()
                        .endRule()
                        .build()))))
                .containsExactly(
                        "spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In"
                                + " operator",
                        "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{2, 0}: must be ordered");
    }

    @Test
    void missingPodFailureActionListsValuesLikeGoPrintsASlice() {
        assertThat(messages(job(j -> spec(j).setPodFailurePolicy(new PodFailurePolicyBuilder()
                        .addNewRule()
                        .addNewOnPodCondition()
                        .withType("DisruptionTarget")
                        .endOnPodCondition()
                        .endRule()
                        .build()))))
                .containsExactly("spec.podFailurePolicy.rules[0].action: Required value: valid values: [\"Count\""
                        + " \"FailIndex\" \"FailJob\" \"Ignore\"]");
    }

    @Test
    void tolerationExistsWithValue() {
        assertThat(messages(job(j -> pod(j).getTolerations()
                        .add(new TolerationBuilder()
                                .withKey("nvidia.com/gpu")
                                .withOperator("Exists")
                                .withValue("present")
                                .build()))))
                .containsExactly("spec.template.spec.tolerations[0].operator: Invalid value: \"present\": value must be"
                        + " empty when `operator` is 'Exists'");
    }

    @Test
    void unsupportedCompletionModeListsBothModes() {
        assertThat(messages(job(j -> spec(j).setCompletionMode("Ordered"))))
                .containsExactly(
                        "spec.completionMode: Unsupported value: \"Ordered\": supported values: \"NonIndexed\","
                                + " \"Indexed\"");
    }

    @Test
    void pvcWithoutStorageIsRequiredAtTheServersPath() {
        assertThat(messages(pvc(p -> p.getSpec().getResources().setRequests(null))))
                .containsExactly("spec.resources[storage]: Required value");
    }

    @Test
    void cronJobScheduleWithTimeZone() {
        assertThat(messages(Fixtures.cronJob(c -> c.getSpec().setSchedule("TZ=UTC 0 3 * * *"))))
                .contains("spec.schedule: Invalid value: \"TZ=UTC 0 3 * * *\": cannot use TZ or CRON_TZ in schedule,"
                        + " use timeZone field instead");
    }

    @Test
    void requireValidThrowsWithEveryViolation() {
        assertThatThrownBy(() -> Validator.requireValid(job(j -> {
                    spec(j).setParallelism(-1);
                    main(j).setImage(null);
                })))
                .isInstanceOfSatisfying(InvalidWorkloadException.class, e -> {
                    assertThat(e.kind()).isEqualTo("Job");
                    assertThat(e.name()).isEqualTo("train");
                    assertThat(e.violations())
                            .extracting(Violation::field)
                            .containsExactlyInAnyOrder("spec.parallelism", "spec.template.spec.containers[0].image");
                })
                .hasMessageContaining("Job \"train\" is invalid: 2 violations");
    }

    @Test
    void requireValidAcceptsAValidObject() {
        Validator.requireValid(job(j -> {}));
        assertThat(Validator.validate(job(j -> {}))).isEmpty();
    }
}
