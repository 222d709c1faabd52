package dev.skiff.testing;

import dev.skiff.core.Skiff;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link SkiffTest}: it starts an {@link InMemoryCluster} per test
 * class or per test, injects it, its {@link KubernetesClient} and its {@link Skiff} as parameters
 * of constructors, test methods and lifecycle methods, and closes it at the end of its scope.
 *
 * <p>Use it through {@link SkiffTest}, or configure it in code and register it on a static field:
 *
 * <pre>{@code
 * class GpuIT {
 *     @RegisterExtension
 *     static final SkiffExtension SKIFF = SkiffExtension.builder()
 *             .node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"))
 *             .seed(42)
 *             .build();
 *
 *     @Test
 *     void aGpuNodeIsReady() {
 *         assertThat(SKIFF.cluster()).node("gpu-1").isReady();
 *     }
 * }
 * }</pre>
 *
 * <p>The extension owns the clusters it starts and closes them, their clients included. {@link
 * #cluster()} tracks one current cluster, so it is not meant for tests running concurrently with
 * a per-method lifecycle; injected parameters always are the right test's.
 */
public final class SkiffExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SkiffExtension.class);
    private static final String ANNOTATION_KEY = "cluster";

    private final @Nullable Settings settings;
    private volatile @Nullable InMemoryCluster current;

    /**
     * Creates the extension as {@link SkiffTest} registers it, configured by the test class's
     * annotation and its {@link SkiffTest.Cluster} member. To configure it in code, use {@link
     * #builder()}.
     *
     * <pre>{@code
     * @ExtendWith(SkiffExtension.class)
     * class PlainIT { }
     * }</pre>
     */
    public SkiffExtension() {
        this.settings = null;
    }

    private SkiffExtension(Settings settings) {
        this.settings = settings;
    }

    /**
     * Returns a builder for an extension to register with {@code @RegisterExtension}.
     *
     * <pre>{@code
     * @RegisterExtension
     * static final SkiffExtension SKIFF = SkiffExtension.builder().perMethod().build();
     * }</pre>
     *
     * @return a builder with one default node, seed 1 and a cluster per class
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the running cluster of the current test class or test.
     *
     * <pre>{@code
     * KubernetesClient client = SKIFF.cluster().kubernetesClient();
     * }</pre>
     *
     * @return the cluster
     * @throws IllegalStateException if no cluster is running: before {@code @BeforeAll} (or, per
     *     method, before {@code @BeforeEach}) or after its scope ended
     */
    public InMemoryCluster cluster() {
        InMemoryCluster c = current;
        if (c == null) {
            throw new IllegalStateException(
                    "no in-memory cluster is running: SkiffExtension starts one before all tests"
                            + " (per class) or before each test (per method), and closes it at the end of its scope");
        }
        return c;
    }

    /**
     * Called by JUnit before all tests: starts the class's cluster when the lifecycle is per class.
     *
     * <pre>{@code
     * @BeforeAll
     * static void seed(KubernetesClient client) { }
     * }</pre>
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (lifecycle(context) == SkiffTest.Lifecycle.PER_CLASS) {
            clusterFor(context);
        }
    }

    /**
     * Called by JUnit before each test: starts the test's cluster when the lifecycle is per method,
     * and makes the current cluster what {@link #cluster()} returns.
     *
     * <pre>{@code
     * @BeforeEach
     * void submit(Skiff skiff) { }
     * }</pre>
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        clusterFor(context);
    }

    /**
     * Tells JUnit this extension resolves parameters of exactly the types {@link InMemoryCluster},
     * {@link KubernetesClient} and {@link Skiff}.
     *
     * <pre>{@code
     * @Test
     * void runs(InMemoryCluster cluster, KubernetesClient client, Skiff skiff) { }
     * }</pre>
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == InMemoryCluster.class || type == KubernetesClient.class || type == Skiff.class;
    }

    /**
     * Gives JUnit the current scope's cluster, its client or its {@link Skiff}, starting the
     * cluster if needed.
     *
     * <pre>{@code
     * MyIT(InMemoryCluster cluster) { this.cluster = cluster; }
     * }</pre>
     *
     * @throws ParameterResolutionException if the configuration is broken, or a per-method
     *     cluster is asked for outside a test
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        InMemoryCluster cluster;
        try {
            cluster = clusterFor(extensionContext);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(
                    "cannot inject " + type.getSimpleName() + " into " + parameterContext.getDeclaringExecutable()
                            + ": " + e.getMessage(),
                    e);
        }
        if (type == KubernetesClient.class) {
            return cluster.kubernetesClient();
        }
        if (type == Skiff.class) {
            return cluster.skiff();
        }
        return cluster;
    }

    /**
     * Asks JUnit for the test's own context when constructing test instances, so constructors get
     * the per-method cluster of the test they are created for.
     *
     * <pre>{@code
     * MyIT(Skiff skiff) { this.skiff = skiff; }
     * }</pre>
     */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    private InMemoryCluster clusterFor(ExtensionContext context) {
        SkiffTest.Lifecycle lifecycle = lifecycle(context);
        ExtensionContext owner = owner(context, lifecycle);
        Object key = settings == null ? ANNOTATION_KEY : this;
        Running running = owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        key, k -> new Running(clusterBuilder(owner).start()), Running.class);
        current = running.cluster;
        return running.cluster;
    }

    private SkiffTest.Lifecycle lifecycle(ExtensionContext context) {
        if (settings != null) {
            return settings.lifecycle;
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<SkiffTest> annotation = AnnotationSupport.findAnnotation(c, SkiffTest.class);
            if (annotation.isPresent()) {
                return annotation.get().lifecycle();
            }
        }
        return SkiffTest.Lifecycle.PER_CLASS;
    }

    private static ExtensionContext owner(ExtensionContext context, SkiffTest.Lifecycle lifecycle) {
        if (lifecycle == SkiffTest.Lifecycle.PER_METHOD) {
            if (context.getTestMethod().isEmpty()) {
                throw new ExtensionConfigurationException(
                        "the cluster's lifecycle is PER_METHOD, so there is no cluster"
                                + " outside a test (in @BeforeAll, @AfterAll or a PER_CLASS test instance's constructor)");
            }
            return context;
        }
        ExtensionContext owner = null;
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().isPresent() && c.getTestMethod().isEmpty()) {
                owner = c;
            }
        }
        if (owner == null) {
            throw new ExtensionConfigurationException("SkiffExtension found no test class in " + context.getUniqueId());
        }
        return owner;
    }

    private InMemoryCluster.Builder clusterBuilder(ExtensionContext owner) {
        if (settings != null) {
            return settings.toClusterBuilder();
        }
        for (Class<?> c = owner.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            List<Method> methods = AnnotationSupport.findAnnotatedMethods(
                    c, SkiffTest.Cluster.class, HierarchyTraversalMode.BOTTOM_UP);
            List<Field> fields = AnnotationSupport.findAnnotatedFields(
                    c, SkiffTest.Cluster.class, f -> true, HierarchyTraversalMode.BOTTOM_UP);
            if (methods.size() + fields.size() > 1) {
                throw new ExtensionConfigurationException("@SkiffTest.Cluster must mark one member of " + c.getName()
                        + ", but marks " + methods + " " + fields);
            }
            if (!methods.isEmpty()) {
                return fromMethod(methods.get(0));
            }
            if (!fields.isEmpty()) {
                return fromField(fields.get(0));
            }
        }
        return InMemoryCluster.builder();
    }

    private static InMemoryCluster.Builder fromMethod(Method method) {
        if (!Modifier.isStatic(method.getModifiers())
                || method.getParameterCount() != 0
                || method.getReturnType() != InMemoryCluster.Builder.class) {
            throw new ExtensionConfigurationException("@SkiffTest.Cluster method " + method
                    + " must be static, take no parameters and return InMemoryCluster.Builder");
        }
        try {
            method.setAccessible(true);
            return Objects.requireNonNull(
                    (InMemoryCluster.Builder) method.invoke(null),
                    "@SkiffTest.Cluster method " + method + " returned null");
        } catch (ReflectiveOperationException e) {
            throw new ExtensionConfigurationException(
                    "@SkiffTest.Cluster method " + method + " failed: " + e, e.getCause() != null ? e.getCause() : e);
        }
    }

    private static InMemoryCluster.Builder fromField(Field field) {
        if (!Modifier.isStatic(field.getModifiers()) || field.getType() != InMemoryCluster.Builder.class) {
            throw new ExtensionConfigurationException(
                    "@SkiffTest.Cluster field " + field + " must be static and of type InMemoryCluster.Builder");
        }
        try {
            field.setAccessible(true);
            return Objects.requireNonNull(
                    (InMemoryCluster.Builder) field.get(null), "@SkiffTest.Cluster field " + field + " is null");
        } catch (ReflectiveOperationException e) {
            throw new ExtensionConfigurationException("@SkiffTest.Cluster field " + field + " cannot be read: " + e, e);
        }
    }

    /** A started cluster in a JUnit store; JUnit closes it at the end of the store's scope. */
    @SuppressWarnings("deprecation") // CloseableResource: JUnit before 5.13 closes only these
    private final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final InMemoryCluster cluster;
        private final AtomicBoolean closed = new AtomicBoolean();

        Running(InMemoryCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                if (current == cluster) {
                    current = null;
                }
                cluster.close();
            }
        }
    }

    private static final class Settings {
        private final SkiffTest.Lifecycle lifecycle;
        private final List<FakeNode> nodes;
        private final boolean withoutNodes;
        private final long seed;
        private final @Nullable Instant startTime;

        Settings(Builder b) {
            this.lifecycle = b.lifecycle;
            this.nodes = List.copyOf(b.nodes);
            this.withoutNodes = b.withoutNodes;
            this.seed = b.seed;
            this.startTime = b.startTime;
        }

        InMemoryCluster.Builder toClusterBuilder() {
            InMemoryCluster.Builder b = InMemoryCluster.builder().seed(seed);
            if (withoutNodes) {
                b.withoutNodes();
            }
            nodes.forEach(b::node);
            if (startTime != null) {
                b.startTime(startTime);
            }
            return b;
        }
    }

    /**
     * Configures a {@link SkiffExtension}; every cluster it starts gets the same nodes, seed and
     * start time.
     *
     * <pre>{@code
     * SkiffExtension extension = SkiffExtension.builder()
     *         .node(FakeNode.named("cpu-1"))
     *         .node(FakeNode.named("gpu-1").withGpus(4, "NVIDIA-A100-SXM4-80GB"))
     *         .startTime(Instant.parse("2026-01-01T00:00:00Z"))
     *         .perMethod()
     *         .build();
     * }</pre>
     *
     * <p>Not thread-safe; the built extension is.
     */
    public static final class Builder {
        private SkiffTest.Lifecycle lifecycle = SkiffTest.Lifecycle.PER_CLASS;
        private final List<FakeNode> nodes = new ArrayList<>();
        private boolean withoutNodes;
        private long seed = 1;
        private @Nullable Instant startTime;

        private Builder() {}

        /**
         * Declares a node; without any, clusters have one default node.
         *
         * <pre>{@code
         * builder.node(FakeNode.named("gpu-1").withGpus(8, "NVIDIA-H100-80GB-HBM3"));
         * }</pre>
         *
         * @param node the node
         * @return this builder
         */
        public Builder node(FakeNode node) {
            nodes.add(Objects.requireNonNull(node, "node"));
            withoutNodes = false;
            return this;
        }

        /**
         * Starts clusters with no node at all, dropping the nodes declared so far.
         *
         * <pre>{@code
         * builder.withoutNodes();
         * }</pre>
         *
         * @return this builder
         */
        public Builder withoutNodes() {
            nodes.clear();
            withoutNodes = true;
            return this;
        }

        /**
         * Sets the seed of the clusters' randomness; 1 by default.
         *
         * <pre>{@code
         * builder.seed(42);
         * }</pre>
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the start of the clusters' virtual clocks; the current time by default.
         *
         * <pre>{@code
         * builder.startTime(Instant.parse("2026-01-01T00:00:00Z"));
         * }</pre>
         *
         * @param start the start time
         * @return this builder
         */
        public Builder startTime(Instant start) {
            this.startTime = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * Starts a new cluster for each test.
         *
         * <pre>{@code
         * builder.perMethod();
         * }</pre>
         *
         * @return this builder
         */
        public Builder perMethod() {
            lifecycle = SkiffTest.Lifecycle.PER_METHOD;
            return this;
        }

        /**
         * Shares one cluster among all tests of the class (the default); register the extension on
         * a static field for this.
         *
         * <pre>{@code
         * builder.perClass();
         * }</pre>
         *
         * @return this builder
         */
        public Builder perClass() {
            lifecycle = SkiffTest.Lifecycle.PER_CLASS;
            return this;
        }

        /**
         * Builds the extension.
         *
         * <pre>{@code
         * SkiffExtension extension = SkiffExtension.builder().build();
         * }</pre>
         *
         * @return the extension
         */
        public SkiffExtension build() {
            return new SkiffExtension(new Settings(this));
        }
    }
}
