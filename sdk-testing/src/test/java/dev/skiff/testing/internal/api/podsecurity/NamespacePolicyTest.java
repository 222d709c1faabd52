package dev.skiff.testing.internal.api.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the {@code pod-security.kubernetes.io/*} labels as the API server reads them. */
class NamespacePolicyTest {

    @Test
    void unlabelledIsPrivilegedLatestEverywhere() {
        NamespacePolicy.Parsed p = NamespacePolicy.parse(Map.of("team", "ml"));
        assertThat(p.policy()).isEqualTo(NamespacePolicy.DEFAULT);
        assertThat(p.policy().fullyPrivileged()).isTrue();
        assertThat(p.errors()).isEmpty();
    }

    @Test
    void warnFollowsAStricterEnforceLevelAndItsVersion() {
        NamespacePolicy p = NamespacePolicy.parse(Map.of(
                        "pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/enforce-version", "v1.30"))
                .policy();
        assertThat(p.enforce()).hasToString("restricted:v1.30");
        assertThat(p.warn()).hasToString("restricted:v1.30");
        assertThat(p.audit()).hasToString("privileged:latest");
    }

    @Test
    void anExplicitWarnLevelIsKept() {
        NamespacePolicy p = NamespacePolicy.parse(Map.of(
                        "pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/warn", "baseline"))
                .policy();
        assertThat(p.warn()).hasToString("baseline:latest");
        NamespacePolicy versionOnly = NamespacePolicy.parse(Map.of(
                        "pod-security.kubernetes.io/enforce", "baseline",
                        "pod-security.kubernetes.io/warn-version", "v1.25"))
                .policy();
        assertThat(versionOnly.warn()).hasToString("baseline:v1.25");
    }

    @Test
    void badValuesAreErrorsAndReadAsTheServerReadsThem() {
        NamespacePolicy.Parsed p = NamespacePolicy.parse(Map.of(
                "pod-security.kubernetes.io/enforce", "strict",
                "pod-security.kubernetes.io/enforce-version", "1.30",
                "pod-security.kubernetes.io/warn", "loud"));
        assertThat(p.policy().enforce()).hasToString("restricted:latest");
        assertThat(p.policy().warn()).hasToString("privileged:latest");
        assertThat(p.errors())
                .extracting(Object::toString)
                .containsExactly(
                        "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one"
                                + " of privileged, baseline, restricted",
                        "metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: \"1.30\": must"
                                + " be \"latest\" or \"v1.x\"",
                        "metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: \"loud\": must be one of"
                                + " privileged, baseline, restricted");
    }

    @Test
    void versionsMustBeV1DotMinorWithoutLeadingZeros() {
        assertThat(NamespacePolicy.parse(Map.of("pod-security.kubernetes.io/audit-version", "v1.0"))
                        .errors())
                .isEmpty();
        assertThat(NamespacePolicy.parse(Map.of("pod-security.kubernetes.io/audit-version", "v1.05"))
                        .errors())
                .hasSize(1);
        assertThat(NamespacePolicy.parse(Map.of("pod-security.kubernetes.io/audit-version", "v2.1"))
                        .errors())
                .hasSize(1);
    }
}
