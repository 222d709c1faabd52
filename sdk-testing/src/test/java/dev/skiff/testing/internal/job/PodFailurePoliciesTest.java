package dev.skiff.testing.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import org.junit.jupiter.api.Test;

class PodFailurePoliciesTest {

    private static Pod failedPod(String container, int exitCode) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ns")
                .endMetadata()
                .withNewStatus()
                .withPhase("Failed")
                .addNewContainerStatus()
                .withName(container)
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static PodFailurePolicy notIn(String container, String action, Integer... codes) {
        return new PodFailurePolicyBuilder()
                .addNewRule()
                .withAction(action)
                .withNewOnExitCodes()
                .withContainerName(container)
                .withOperator("NotIn")
                .withValues(codes)
                .endOnExitCodes()
                .endRule()
                .build();
    }

    @Test
    void notInMatchesExitCodesOutsideTheListOfTheNamedContainerOnly() {
        PodFailurePolicy policy = notIn("main", "FailJob", 1, 2);

        assertThat(PodFailurePolicies.match(policy, failedPod("main", 7)).failJobMessage())
                .isEqualTo("Container main for pod ns/p failed with exit code 7 matching FailJob rule at index 0");
        assertThat(PodFailurePolicies.match(policy, failedPod("main", 2)).action())
                .isNull();
        assertThat(PodFailurePolicies.match(policy, failedPod("sidecar", 7)).action())
                .isNull();
    }

    @Test
    void exitCodeZeroNeverMatches() {
        assertThat(PodFailurePolicies.match(notIn("main", "Count", 1), failedPod("main", 0))
                        .action())
                .isNull();
    }

    @Test
    void ignoreDoesNotCountAndCountDoes() {
        assertThat(PodFailurePolicies.match(notIn("main", "Ignore", 1), failedPod("main", 9))
                        .countFailed())
                .isFalse();
        assertThat(PodFailurePolicies.match(notIn("main", "Count", 1), failedPod("main", 9))
                        .countFailed())
                .isTrue();
        assertThat(PodFailurePolicies.match(null, failedPod("main", 9)).countFailed())
                .isTrue();
    }
}
