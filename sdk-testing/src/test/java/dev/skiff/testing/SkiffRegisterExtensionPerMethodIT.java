package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SkiffExtension.Builder#perMethod()}: a new cluster, without nodes here, for each test. */
class SkiffRegisterExtensionPerMethodIT {
    @RegisterExtension
    static final SkiffExtension SKIFF =
            SkiffExtension.builder().withoutNodes().perMethod().build();

    static final List<InMemoryCluster> seen = new ArrayList<>();

    @RepeatedTest(2)
    void eachTestGetsItsOwnCluster(InMemoryCluster injected) {
        assertThat(SKIFF.cluster()).isSameAs(injected);
        assertThat(seen).doesNotContain(injected);
        assertThat(injected.kubernetesClient().nodes().list().getItems()).isEmpty();
        seen.add(injected);
    }
}
