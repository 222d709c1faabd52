package dev.skiff.testing;

import dev.skiff.core.Outcome;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on how a Skiff job ended.
 *
 * <pre>{@code
 * Outcome outcome = skiff.submit(job).await(Duration.ofMinutes(1));
 * assertThat(outcome).failedWithReason("BackoffLimitExceeded");
 * }</pre>
 *
 * <p>Failure messages give the outcome's {@link Outcome#explanation()}.
 */
public class OutcomeAssert extends AbstractAssert<OutcomeAssert, Outcome> {

    /**
     * Creates assertions on {@code actual}; prefer {@link SkiffAssertions#assertThat(Outcome)}.
     *
     * <pre>{@code
     * new OutcomeAssert(outcome).succeeded();
     * }</pre>
     *
     * @param actual the outcome, may be null (every assertion then fails)
     */
    public OutcomeAssert(@Nullable Outcome actual) {
        super(actual, OutcomeAssert.class);
    }

    /**
     * Verifies the job succeeded.
     *
     * <pre>{@code
     * assertThat(outcome).succeeded();
     * }</pre>
     *
     * @return this assertion
     */
    public OutcomeAssert succeeded() {
        return is(Outcome.Succeeded.class, "to have succeeded");
    }

    /**
     * Verifies the job failed, for any reason but its deadline.
     *
     * <pre>{@code
     * assertThat(outcome).failed();
     * }</pre>
     *
     * @return this assertion
     */
    public OutcomeAssert failed() {
        return is(Outcome.Failed.class, "to have failed");
    }

    /**
     * Verifies the job failed with the Job condition reason {@code reason}, such as {@code
     * BackoffLimitExceeded}.
     *
     * <pre>{@code
     * assertThat(outcome).failedWithReason("BackoffLimitExceeded");
     * }</pre>
     *
     * @param reason the expected reason
     * @return this assertion
     */
    public OutcomeAssert failedWithReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        is(Outcome.Failed.class, "to have failed with reason " + reason);
        Outcome.Failed failed = (Outcome.Failed) actual;
        if (!reason.equals(failed.reason())) {
            failWithMessage(
                    "Expecting %s to have failed with reason %s, but it failed with reason %s: %s",
                    failed.job(), reason, failed.reason(), failed.explanation());
        }
        return this;
    }

    /**
     * Verifies the job ran past its active deadline.
     *
     * <pre>{@code
     * assertThat(outcome).exceededDeadline();
     * }</pre>
     *
     * @return this assertion
     */
    public OutcomeAssert exceededDeadline() {
        return is(Outcome.DeadlineExceeded.class, "to have exceeded its deadline");
    }

    /**
     * Verifies the job was cancelled (deleted before it finished).
     *
     * <pre>{@code
     * assertThat(outcome).wasCancelled();
     * }</pre>
     *
     * @return this assertion
     */
    public OutcomeAssert wasCancelled() {
        return is(Outcome.Cancelled.class, "to have been cancelled");
    }

    private OutcomeAssert is(Class<? extends Outcome> type, String expectation) {
        if (actual == null) {
            failWithMessage("Expecting a job outcome %s, but the outcome was null", expectation);
        }
        if (!type.isInstance(actual)) {
            failWithMessage(
                    "Expecting the job %s, but it was %s: %s",
                    expectation, actual.getClass().getSimpleName(), actual.explanation());
        }
        return myself;
    }
}
