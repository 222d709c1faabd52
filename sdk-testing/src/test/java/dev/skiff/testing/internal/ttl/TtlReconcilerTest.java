package dev.skiff.testing.internal.ttl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class TtlReconcilerTest {
    private static final Instant FINISHED = Instant.parse("2024-01-01T10:00:00Z");

    private static Job job(@Nullable Integer ttl, @Nullable String condition, @Nullable Instant transition) {
        JobBuilder builder = new JobBuilder()
                .withNewMetadata()
                .withName("train")
                .withNamespace("default")
                .withUid("job-uid")
                .endMetadata()
                .withNewSpec()
                .withTtlSecondsAfterFinished(ttl)
                .endSpec()
                .withNewStatus()
                .withStartTime("2024-01-01T09:00:00Z")
                .endStatus();
        if (condition != null) {
            builder.editStatus()
                    .addNewCondition()
                    .withType(condition)
                    .withStatus("True")
                    .withLastTransitionTime(transition == null ? null : transition.toString())
                    .endCondition()
                    .endStatus();
        }
        return builder.build();
    }

    @Test
    void ttlZeroDeletesAsSoonAsTheJobFinishes() {
        TtlDecision decision = TtlReconciler.reconcile(job(0, "Complete", FINISHED), FINISHED);

        assertThat(decision).isEqualTo(new TtlDecision(Optional.of(FINISHED), true));
    }

    @Test
    void ttlOfHundredSecondsWaitsHundredSecondsAfterTheCompleteCondition() {
        Job job = new JobBuilder(job(100, "Complete", FINISHED))
                .editStatus()
                .withCompletionTime("2024-01-01T09:59:00Z")
                .endStatus()
                .build();
        Instant due = Instant.parse("2024-01-01T10:01:40Z");

        TtlDecision early = TtlReconciler.reconcile(job, due.minusMillis(1));
        TtlDecision onTime = TtlReconciler.reconcile(job, due);

        assertThat(early).isEqualTo(new TtlDecision(Optional.of(due), false));
        assertThat(onTime).isEqualTo(new TtlDecision(Optional.of(due), true));
    }

    @Test
    void failedJobCountsFromItsFailedCondition() {
        TtlDecision decision = TtlReconciler.reconcile(job(60, "Failed", FINISHED), FINISHED);

        assertThat(decision.deleteAt()).contains(Instant.parse("2024-01-01T10:01:00Z"));
        assertThat(decision.deleteNow()).isFalse();
    }

    @Test
    void jobWithoutTtlIsNeverDeleted() {
        assertThat(TtlReconciler.reconcile(job(null, "Complete", FINISHED), FINISHED.plusSeconds(86_400 * 365)))
                .isEqualTo(TtlDecision.KEEP);
    }

    @Test
    void unfinishedJobIsNotDeleted() {
        assertThat(TtlReconciler.reconcile(job(0, null, null), FINISHED)).isEqualTo(TtlDecision.KEEP);
        assertThat(TtlReconciler.reconcile(job(0, "SuccessCriteriaMet", FINISHED), FINISHED))
                .isEqualTo(TtlDecision.KEEP);
    }

    @Test
    void jobAlreadyBeingDeletedIsLeftAlone() {
        Job deleting = new JobBuilder(job(0, "Complete", FINISHED))
                .editMetadata()
                .withDeletionTimestamp("2024-01-01T10:00:01Z")
                .endMetadata()
                .build();

        assertThat(TtlReconciler.reconcile(deleting, FINISHED.plusSeconds(5))).isEqualTo(TtlDecision.KEEP);
    }

    @Test
    void finishedConditionWithoutTransitionTimeIsLeftAlone() {
        assertThat(TtlReconciler.reconcile(job(0, "Complete", null), FINISHED)).isEqualTo(TtlDecision.KEEP);
    }

    @Test
    void deletesInTheForeground() {
        assertThat(TtlReconciler.DELETE_PROPAGATION).isEqualTo("Foreground");
    }

    @Test
    void deleteNowWithoutATimeIsRejected() {
        assertThatThrownBy(() -> new TtlDecision(Optional.empty(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deleteNow needs a deleteAt");
    }
}
