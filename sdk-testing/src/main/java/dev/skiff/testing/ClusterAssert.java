package dev.skiff.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on an {@link InMemoryCluster}: navigate to a Job, pods, events or a node,
 * read through the cluster's {@link InMemoryCluster#kubernetesClient()} when the navigation
 * method is called.
 *
 * <pre>{@code
 * assertThat(cluster).job("default", "train").isComplete();
 * assertThat(cluster).podsOf("default", "train").allSucceeded();
 * assertThat(cluster).events("default").hasEventWithReason("FailedScheduling");
 * assertThat(cluster).node("gpu-1").isReady();
 * }</pre>
 */
public class ClusterAssert extends AbstractAssert<ClusterAssert, InMemoryCluster> {
    SkiffAssertions.Factory factory = SkiffAssertions.Factory.PLAIN;

    /**
     * Creates assertions on {@code actual}; prefer {@link SkiffAssertions#assertThat(InMemoryCluster)}.
     *
     * <pre>{@code
     * new ClusterAssert(cluster).node("node-1").isReady();
     * }</pre>
     *
     * @param actual the cluster
     */
    public ClusterAssert(@Nullable InMemoryCluster actual) {
        super(actual, ClusterAssert.class);
    }

    /**
     * Reads the Job {@code namespace/name} and returns assertions on it; if there is none, every
     * one of them fails, naming the Jobs that are there.
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "train").isComplete().hasSucceededPods(4);
     * }</pre>
     *
     * @param namespace the Job's namespace
     * @param name the Job's name
     * @return assertions on the Job
     */
    public JobAssert job(String namespace, String name) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        KubernetesClient client = client();
        Job job =
                client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        JobAssert a = factory.create(JobAssert.class, Job.class, job);
        a.displayName = "Job " + namespace + "/" + name;
        if (job == null) {
            a.whenMissing = "; Jobs in " + namespace + ": "
                    + client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                            .map(j -> j.getMetadata().getName())
                            .collect(Collectors.toList());
        }
        return a;
    }

    /**
     * Reads the pods of {@code namespace} and returns assertions on them.
     *
     * <pre>{@code
     * assertThat(cluster).pods("default").singleElement().isPendingWith("Insufficient nvidia.com/gpu");
     * }</pre>
     *
     * @param namespace the namespace
     * @return assertions on the pods
     */
    public PodListAssert pods(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        List<Pod> pods = client().pods().inNamespace(namespace).list().getItems();
        return podList(pods, "pods in " + namespace);
    }

    /**
     * Reads the pods of the Job {@code namespace/jobName} (label {@code
     * batch.kubernetes.io/job-name}) and returns assertions on them.
     *
     * <pre>{@code
     * assertThat(cluster).podsOf("default", "train").hasSize(4).allSucceeded();
     * }</pre>
     *
     * @param namespace the Job's namespace
     * @param jobName the Job's name
     * @return assertions on its pods
     */
    public PodListAssert podsOf(String namespace, String jobName) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(jobName, "jobName");
        List<Pod> pods = client().pods()
                .inNamespace(namespace)
                .withLabel("batch.kubernetes.io/job-name", jobName)
                .list()
                .getItems();
        return podList(pods, "pods of Job " + namespace + "/" + jobName);
    }

    /**
     * Reads the events of {@code namespace} and returns assertions on them.
     *
     * <pre>{@code
     * assertThat(cluster).events("default").hasEventWithReason("FailedScheduling", "Insufficient nvidia.com/gpu");
     * }</pre>
     *
     * @param namespace the namespace
     * @return assertions on its events
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EventsAssert events(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        List<Event> events =
                client().v1().events().inNamespace(namespace).list().getItems();
        EventsAssert a = factory.create(EventsAssert.class, (Class) List.class, events);
        a.displayName = "events in " + namespace;
        return a;
    }

    /**
     * Reads the node {@code name} and returns assertions on it; if there is none, every one of them
     * fails.
     *
     * <pre>{@code
     * assertThat(cluster).node("gpu-1").isReady();
     * }</pre>
     *
     * @param name the node's name
     * @return assertions on the node
     */
    public NodeAssert node(String name) {
        Objects.requireNonNull(name, "name");
        Node node = client().nodes().withName(name).get();
        NodeAssert a = factory.create(NodeAssert.class, Node.class, node);
        a.displayName = "node " + name;
        return a;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private PodListAssert podList(List<Pod> pods, String displayName) {
        PodListAssert a = factory.create(PodListAssert.class, (Class) List.class, pods);
        a.displayName = displayName;
        a.factory = factory;
        return a;
    }

    private KubernetesClient client() {
        if (actual == null) {
            throw new AssertionError("Expecting an in-memory cluster, but it was null");
        }
        return actual.kubernetesClient();
    }
}
