package dev.skiff.testing;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a Kubernetes Job, as read when {@link ClusterAssert#job(String, String)}
 * was called.
 *
 * <pre>{@code
 * assertThat(cluster).job("default", "train").isComplete().hasSucceededPods(4);
 * }</pre>
 *
 * <p>Failure messages give the Job's conditions and pod counts.
 */
public class JobAssert extends AbstractAssert<JobAssert, Job> {
    String displayName;
    String whenMissing = "";

    /**
     * Creates assertions on {@code actual}; prefer {@link ClusterAssert#job(String, String)}.
     *
     * <pre>{@code
     * new JobAssert(client.batch().v1().jobs().withName("train").get()).isComplete();
     * }</pre>
     *
     * @param actual the Job, may be null (every assertion then fails)
     */
    public JobAssert(@Nullable Job actual) {
        super(actual, JobAssert.class);
        this.displayName = actual == null
                ? "Job"
                : "Job " + actual.getMetadata().getNamespace() + "/"
                        + actual.getMetadata().getName();
    }

    /**
     * Verifies the Job has the condition {@code Complete=True}.
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "train").isComplete();
     * }</pre>
     *
     * @return this assertion
     */
    public JobAssert isComplete() {
        return expectCondition("Complete", "to be complete");
    }

    /**
     * Verifies the Job has the condition {@code Failed=True}.
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "crash").hasFailed();
     * }</pre>
     *
     * @return this assertion
     */
    public JobAssert hasFailed() {
        return expectCondition("Failed", "to have failed");
    }

    /**
     * Verifies the Job has the condition {@code Failed=True} with reason {@code reason}, such as
     * {@code BackoffLimitExceeded} or {@code DeadlineExceeded}.
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "crash").hasFailedWithReason("BackoffLimitExceeded");
     * }</pre>
     *
     * @param reason the expected reason
     * @return this assertion
     */
    public JobAssert hasFailedWithReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        Job job = job();
        boolean match = conditions(job).stream()
                .anyMatch(c ->
                        "Failed".equals(c.getType()) && "True".equals(c.getStatus()) && reason.equals(c.getReason()));
        if (!match) {
            failWithMessage(
                    "Expecting %s to have failed with reason %s (condition Failed=True), but found %s",
                    displayName, reason, describe(job));
        }
        return this;
    }

    /**
     * Verifies the Job has the condition {@code type} with status {@code True}.
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "train").hasCondition("Complete");
     * }</pre>
     *
     * @param type the condition type, such as {@code Complete}, {@code Failed} or {@code Suspended}
     * @return this assertion
     */
    public JobAssert hasCondition(String type) {
        Objects.requireNonNull(type, "type");
        return expectCondition(type, "to have the condition " + type + "=True");
    }

    /**
     * Verifies exactly {@code count} of the Job's pods succeeded ({@code status.succeeded}).
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "train").hasSucceededPods(4);
     * }</pre>
     *
     * @param count the expected number
     * @return this assertion
     */
    public JobAssert hasSucceededPods(int count) {
        Job job = job();
        int succeeded = job.getStatus() == null || job.getStatus().getSucceeded() == null
                ? 0
                : job.getStatus().getSucceeded();
        if (succeeded != count) {
            failWithMessage(
                    "Expecting %s to have %s succeeded pods, but it had %s; found %s",
                    displayName, count, succeeded, describe(job));
        }
        return this;
    }

    /**
     * Verifies exactly {@code count} of the Job's pods failed ({@code status.failed}).
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "crash").hasFailedPods(1);
     * }</pre>
     *
     * @param count the expected number
     * @return this assertion
     */
    public JobAssert hasFailedPods(int count) {
        Job job = job();
        int failed = job.getStatus() == null || job.getStatus().getFailed() == null
                ? 0
                : job.getStatus().getFailed();
        if (failed != count) {
            failWithMessage(
                    "Expecting %s to have %s failed pods, but it had %s; found %s",
                    displayName, count, failed, describe(job));
        }
        return this;
    }

    /**
     * Verifies the Job is suspended ({@code spec.suspend} is true).
     *
     * <pre>{@code
     * assertThat(cluster).job("default", "paused").isSuspended();
     * }</pre>
     *
     * @return this assertion
     */
    public JobAssert isSuspended() {
        Job job = job();
        if (job.getSpec() == null || !Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            failWithMessage(
                    "Expecting %s to be suspended (spec.suspend: true), but spec.suspend was %s; found %s",
                    displayName, job.getSpec() == null ? null : job.getSpec().getSuspend(), describe(job));
        }
        return this;
    }

    private JobAssert expectCondition(String type, String expectation) {
        Job job = job();
        boolean match =
                conditions(job).stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
        if (!match) {
            failWithMessage(
                    "Expecting %s %s (condition %s=True), but found %s", displayName, expectation, type, describe(job));
        }
        return this;
    }

    private Job job() {
        if (actual == null) {
            failWithMessage("Expecting %s to exist, but it does not%s", displayName, whenMissing);
        }
        return actual;
    }

    private static List<JobCondition> conditions(Job job) {
        return job.getStatus() == null || job.getStatus().getConditions() == null
                ? List.of()
                : job.getStatus().getConditions();
    }

    static String describe(Job job) {
        List<JobCondition> conditions = conditions(job);
        String c = conditions.isEmpty()
                ? "no conditions"
                : "conditions "
                        + conditions.stream().map(JobAssert::describe).collect(Collectors.joining(", ", "[", "]"));
        var status = Optional.ofNullable(job.getStatus());
        return c + "; active " + status.map(s -> s.getActive()).orElse(null)
                + ", succeeded " + status.map(s -> s.getSucceeded()).orElse(null)
                + ", failed " + status.map(s -> s.getFailed()).orElse(null);
    }

    private static String describe(JobCondition c) {
        StringBuilder sb = new StringBuilder(c.getType()).append('=').append(c.getStatus());
        if (c.getReason() != null) {
            sb.append(" (").append(c.getReason());
            if (c.getMessage() != null && !c.getMessage().isEmpty()) {
                sb.append(": ").append(c.getMessage());
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
