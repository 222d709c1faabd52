package dev.skiff.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class against an {@link InMemoryCluster}: the cluster starts before it is
 * first needed, is injected as a parameter of type {@link InMemoryCluster}, {@link
 * io.fabric8.kubernetes.client.KubernetesClient} or {@link dev.skiff.core.Skiff} into constructors,
 * test methods and lifecycle methods, and is closed at the end of its scope.
 *
 * <pre>{@code
 * @SkiffTest
 * class TrainingIT {
 *     @SkiffTest.Cluster
 *     static InMemoryCluster.Builder cluster() {
 *         return InMemoryCluster.builder().node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"));
 *     }
 *
 *     @Test
 *     void trainingSucceeds(Skiff skiff, InMemoryCluster cluster) {
 *         Outcome outcome = skiff.submit(job).await(Duration.ofMinutes(1));
 *         assertThat(outcome).succeeded();
 *     }
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * By default one cluster serves the whole class ({@link Lifecycle#PER_CLASS}), {@code @Nested}
 * classes included; {@code @SkiffTest(lifecycle = Lifecycle.PER_METHOD)} starts a new one for each
 * test. A per-method cluster cannot be injected into a {@code @BeforeAll} method.
 *
 * <h2>Nodes and seed</h2>
 * Without a {@link Cluster @SkiffTest.Cluster} member the cluster is {@link
 * InMemoryCluster#start()}'s: one default node. To use {@link SkiffExtension} programmatically, see
 * {@link SkiffExtension#builder()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SkiffExtension.class)
public @interface SkiffTest {

    /**
     * Returns whether the test class shares one cluster or each test gets its own.
     *
     * <pre>{@code
     * @SkiffTest(lifecycle = SkiffTest.Lifecycle.PER_METHOD)
     * class IsolatedIT { }
     * }</pre>
     *
     * @return {@link Lifecycle#PER_CLASS} by default
     */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /**
     * How long an {@link InMemoryCluster} started by {@link SkiffExtension} lives.
     *
     * <pre>{@code
     * SkiffTest.Lifecycle lifecycle = SkiffTest.Lifecycle.PER_METHOD;
     * }</pre>
     */
    enum Lifecycle {
        /** One cluster for the whole test class, closed after its last test. */
        PER_CLASS,
        /** A new cluster for each test, closed after it. */
        PER_METHOD
    }

    /**
     * Marks the static, parameterless method or static field of the test class that gives the
     * {@link InMemoryCluster.Builder} to start clusters from; the builder is asked for every
     * cluster, so a method gives each a fresh builder.
     *
     * <pre>{@code
     * @SkiffTest.Cluster
     * static InMemoryCluster.Builder cluster() {
     *     return InMemoryCluster.builder().node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3")).seed(7);
     * }
     * }</pre>
     */
    @Target({ElementType.METHOD, ElementType.FIELD})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Cluster {}
}
