package dev.skiff.testing;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractListAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a list of pods, as read when {@link ClusterAssert#pods(String)} or {@link
 * ClusterAssert#podsOf(String, String)} was called; every list assertion of AssertJ works, and
 * element navigation ({@code singleElement()}, {@code first()}, {@code element(i)}) gives a {@link
 * PodAssert}.
 *
 * <pre>{@code
 * assertThat(cluster).podsOf("default", "train").hasSize(4).allSucceeded();
 * }</pre>
 */
public class PodListAssert extends AbstractListAssert<PodListAssert, List<? extends Pod>, Pod, PodAssert> {
    String displayName = "pods";
    SkiffAssertions.Factory factory = SkiffAssertions.Factory.PLAIN;

    /**
     * Creates assertions on {@code actual}; prefer {@link ClusterAssert#pods(String)}.
     *
     * <pre>{@code
     * new PodListAssert(client.pods().inNamespace("default").list().getItems()).allSucceeded();
     * }</pre>
     *
     * @param actual the pods
     */
    public PodListAssert(@Nullable List<? extends Pod> actual) {
        super(actual, PodListAssert.class);
    }

    /**
     * Returns assertions on the pod named {@code name} in the list; they fail if there is none.
     *
     * <pre>{@code
     * assertThat(cluster).pods("default").pod("web").isRunning();
     * }</pre>
     *
     * @param name the pod's name
     * @return assertions on that pod
     */
    public PodAssert pod(String name) {
        Objects.requireNonNull(name, "name");
        isNotNull();
        Pod found = actual.stream()
                .filter(p -> name.equals(p.getMetadata().getName()))
                .findFirst()
                .orElse(null);
        PodAssert pod = factory.create(PodAssert.class, Pod.class, found);
        if (found == null) {
            pod.displayName = "pod " + name + " among " + displayName;
            pod.whenMissing = "; found " + names();
        }
        return pod;
    }

    /**
     * Verifies there are pods and all are in phase {@code Running}.
     *
     * <pre>{@code
     * assertThat(cluster).pods("default").allRunning();
     * }</pre>
     *
     * @return this assertion
     */
    public PodListAssert allRunning() {
        return allInPhase("Running");
    }

    /**
     * Verifies there are pods and all are in phase {@code Succeeded}.
     *
     * <pre>{@code
     * assertThat(cluster).podsOf("default", "train").allSucceeded();
     * }</pre>
     *
     * @return this assertion
     */
    public PodListAssert allSucceeded() {
        return allInPhase("Succeeded");
    }

    private PodListAssert allInPhase(String phase) {
        isNotNull();
        List<String> others = new ArrayList<>();
        for (Pod p : actual) {
            String actualPhase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if (!phase.equals(actualPhase)) {
                others.add(p.getMetadata().getName() + ": " + PodAssert.describe(p));
            }
        }
        if (actual.isEmpty()) {
            failWithMessage("Expecting all %s to be in phase %s, but there are none", displayName, phase);
        }
        if (!others.isEmpty()) {
            failWithMessage("Expecting all %s to be in phase %s, but found %s", displayName, phase, others);
        }
        return this;
    }

    private List<String> names() {
        return actual.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toList());
    }

    /**
     * Creates the {@link PodAssert} that element navigation returns.
     *
     * <pre>{@code
     * PodAssert first = assertThat(cluster).pods("default").first();
     * }</pre>
     */
    @Override
    protected PodAssert toAssert(Pod value, String description) {
        return new PodAssert(value).as(description);
    }

    /**
     * Creates a list assertion of the same type on other pods, for AssertJ's filters.
     *
     * <pre>{@code
     * assertThat(cluster).pods("default").filteredOn(p -> p.getSpec().getNodeName() != null).allRunning();
     * }</pre>
     */
    @Override
    protected PodListAssert newAbstractIterableAssert(Iterable<? extends Pod> iterable) {
        List<Pod> pods = new ArrayList<>();
        iterable.forEach(pods::add);
        PodListAssert copy = new PodListAssert(pods);
        copy.displayName = displayName;
        copy.factory = factory;
        return copy;
    }
}
