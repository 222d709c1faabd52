package dev.skiff.testing.internal.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobStatusTest {
    private static Instant at(String time) {
        return Instant.parse(time);
    }

    private static CronJobHarness hourlyRunning() {
        CronJobHarness cluster = new CronJobHarness(Fixtures.build("0 * * * *"), Fixtures.CREATED);
        cluster.sync();
        return cluster;
    }

    @Test
    void historyLimitsKeepTheThreeNewestSucceededAndTheNewestFailedJob() {
        CronJobHarness cluster = hourlyRunning();
        for (int hour = 1; hour <= 7; hour++) {
            cluster.advanceTo(at(String.format("2024-01-01T%02d:10:00Z", hour)));
            String name = cluster.created().get(hour - 1);
            if (hour == 3 || hour == 5) {
                cluster.fail(name);
            } else {
                cluster.complete(name);
            }
        }

        // Runs 1..7 are report-28401180 + 60 * (hour - 1); 3 and 5 failed.
        assertThat(cluster.deleted()).containsExactly("report-28401300", "report-28401180", "report-28401240");
        assertThat(cluster.jobNames())
                .containsExactly("report-28401360", "report-28401420", "report-28401480", "report-28401540");
        assertThat(cluster.events())
                .filteredOn(e -> e.reason().equals("SuccessfulDelete"))
                .extracting(CronJobEvent::message)
                .containsExactly(
                        "Deleted job report-28401300", "Deleted job report-28401180", "Deleted job report-28401240");
    }

    @Test
    void historyLimitsDeleteByStartTimeNotByNameAndKeepJobsThatNeverStarted() {
        CronJob cronJob = Fixtures.cronJob("0 * * * *")
                .editSpec()
                .withSuccessfulJobsHistoryLimit(1)
                .endSpec()
                .build();
        Job startedLater = finished(cronJob, "report-1", "2024-01-01T05:00:00Z");
        Job startedEarlier = finished(cronJob, "report-2", "2024-01-01T04:00:00Z");
        Job neverStarted = finished(cronJob, "report-0", null);

        CronJobSync sync = CronJobReconciler.reconcile(
                cronJob, List.of(startedLater, startedEarlier, neverStarted), at("2024-01-01T05:30:00Z"));

        assertThat(sync.jobsToDelete())
                .extracting(j -> j.getMetadata().getName())
                .containsExactly("report-2", "report-1");
    }

    @Test
    void withoutHistoryLimitsNothingIsDeleted() {
        CronJob cronJob = Fixtures.cronJob("0 * * * *")
                .editSpec()
                .withSuccessfulJobsHistoryLimit(null)
                .withFailedJobsHistoryLimit(null)
                .endSpec()
                .build();
        List<Job> jobs = List.of(
                finished(cronJob, "report-1", "2024-01-01T01:00:00Z"),
                finished(cronJob, "report-2", "2024-01-01T02:00:00Z"),
                finished(cronJob, "report-3", "2024-01-01T03:00:00Z"),
                finished(cronJob, "report-4", "2024-01-01T04:00:00Z"));

        CronJobSync sync = CronJobReconciler.reconcile(cronJob, jobs, at("2024-01-01T04:30:00Z"));

        assertThat(sync.jobsToDelete()).isEmpty();
    }

    @Test
    void lastScheduleTimeFollowsRunsAndLastSuccessfulTimeFollowsCompletions() {
        CronJobHarness cluster = hourlyRunning();
        cluster.advanceTo(at("2024-01-01T01:10:00Z"));
        assertThat(cluster.cronJob().getStatus().getLastScheduleTime()).isEqualTo("2024-01-01T01:00:00Z");
        assertThat(cluster.cronJob().getStatus().getLastSuccessfulTime()).isNull();

        cluster.complete("report-28401180");
        assertThat(cluster.cronJob().getStatus().getLastSuccessfulTime()).isEqualTo("2024-01-01T01:10:00Z");

        cluster.advanceTo(at("2024-01-01T02:10:00Z"));
        cluster.fail("report-28401240");
        assertThat(cluster.cronJob().getStatus().getLastScheduleTime()).isEqualTo("2024-01-01T02:00:00Z");
        assertThat(cluster.cronJob().getStatus().getLastSuccessfulTime()).isEqualTo("2024-01-01T01:10:00Z");
        assertThat(cluster.events())
                .extracting(CronJobEvent::message)
                .contains("Saw completed job: report-28401240, condition: Failed");
    }

    @Test
    void statusIsEmptyWhenNothingChanged() {
        CronJobHarness cluster = hourlyRunning();
        cluster.advanceTo(at("2024-01-01T01:10:00Z"));

        CronJobSync sync = cluster.sync();

        assertThat(sync.status()).isEmpty();
        assertThat(sync.events()).isEmpty();
        assertThat(sync.requeueAt()).contains(at("2024-01-01T02:00:00.100Z"));
    }

    @Test
    void statusAfterCreateListsTheNewJobWithItsUid() {
        CronJob cronJob = Fixtures.build("0 * * * *");
        CronJobSync sync = CronJobReconciler.reconcile(cronJob, List.of(), at("2024-01-01T01:00:00.100Z"));
        Job created = new JobBuilder(sync.jobToCreate().orElseThrow())
                .editMetadata()
                .withUid("new-uid")
                .withResourceVersion("42")
                .endMetadata()
                .build();

        assertThat(sync.status()).isEmpty();
        assertThat(sync.scheduledTime()).contains(at("2024-01-01T01:00:00Z"));
        assertThat(sync.statusAfterCreate(created).getActive())
                .containsExactly(
                        new ObjectReference("batch/v1", null, "Job", "report-28401180", "default", "42", "new-uid"));
        assertThat(sync.statusAfterCreate(created).getLastScheduleTime()).isEqualTo("2024-01-01T01:00:00Z");
    }

    @Test
    void statusAfterCreateRejectsASyncWithoutAJob() {
        CronJobSync sync = CronJobReconciler.reconcile(Fixtures.build("0 * * * *"), List.of(), Fixtures.CREATED);

        assertThatThrownBy(() -> sync.statusAfterCreate(new Job()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this sync creates no job");
    }

    @Test
    void activeJobThatWentMissingIsDropped() {
        CronJobHarness cluster = hourlyRunning();
        cluster.advanceTo(at("2024-01-01T01:10:00Z"));
        cluster.removeJob("report-28401180");

        CronJobSync sync = cluster.sync();

        assertThat(sync.events())
                .containsExactly(new CronJobEvent("Normal", "MissingJob", "Active job went missing: report-28401180"));
        assertThat(sync.status().orElseThrow().getActive()).isEmpty();
        assertThat(sync.jobToCreate()).isEmpty();
    }

    @Test
    void manuallyTriggeredJobIsUnexpectedWhileRunningAndCountsWhenDone() {
        CronJobHarness cluster = hourlyRunning();
        cluster.advanceTo(at("2024-01-01T00:30:00Z"));
        cluster.store(CronJobReconciler.manualJobFromTemplate(cluster.cronJob(), "report-manual"));

        CronJobSync running = cluster.sync();
        CronJobSync done = cluster.complete("report-manual");

        assertThat(running.events())
                .containsExactly(new CronJobEvent(
                        "Warning",
                        "UnexpectedJob",
                        "Saw a job that the controller did not create or forgot: report-manual"));
        assertThat(done.events()).isEmpty();
        assertThat(cluster.cronJob().getStatus().getLastSuccessfulTime()).isEqualTo("2024-01-01T00:30:00Z");
        assertThat(cluster.activeNames()).isEmpty();
    }

    @Test
    void jobsOfOtherControllersAreIgnored() {
        CronJob cronJob = Fixtures.build("0 * * * *");
        Job foreign = new JobBuilder(finished(cronJob, "other-1", "2024-01-01T00:10:00Z"))
                .editMetadata()
                .editFirstOwnerReference()
                .withName("other")
                .endOwnerReference()
                .endMetadata()
                .build();
        Job unowned = new JobBuilder()
                .withNewMetadata()
                .withName("loose")
                .withNamespace("default")
                .endMetadata()
                .build();

        CronJobSync sync = CronJobReconciler.reconcile(cronJob, List.of(foreign, unowned), at("2024-01-01T00:30:00Z"));

        assertThat(sync.events()).isEmpty();
        assertThat(sync.status()).isEmpty();
    }

    @Test
    void existingJobOfThisCronJobIsAdoptedInsteadOfCreated() {
        CronJob cronJob = Fixtures.build("0 * * * *");
        Job existing = new JobBuilder(CronJobReconciler.jobFromTemplate(cronJob, at("2024-01-01T01:00:00Z")))
                .editMetadata()
                .withUid("existing-uid")
                .endMetadata()
                .build();

        CronJobSync sync = CronJobReconciler.reconcile(cronJob, List.of(existing), at("2024-01-01T01:00:00.100Z"));

        assertThat(sync.jobToCreate()).isEmpty();
        assertThat(sync.events()).extracting(CronJobEvent::reason).containsExactly("UnexpectedJob");
        assertThat(sync.status().orElseThrow().getActive())
                .extracting(ObjectReference::getUid)
                .containsExactly("existing-uid");
        assertThat(sync.status().orElseThrow().getLastScheduleTime()).isEqualTo("2024-01-01T01:00:00Z");
        assertThat(sync.requeueAt()).contains(at("2024-01-01T02:00:00.100Z"));
    }

    @Test
    void nameClashWithAnotherOwnersJobCreatesNothingAndDoesNotRequeue() {
        CronJob cronJob = Fixtures.build("0 * * * *");
        Job squatter = new JobBuilder()
                .withNewMetadata()
                .withName("report-28401180")
                .withNamespace("default")
                .withUid("someone-else")
                .endMetadata()
                .build();

        CronJobSync sync = CronJobReconciler.reconcile(cronJob, List.of(squatter), at("2024-01-01T01:00:00.100Z"));

        assertThat(sync.jobToCreate()).isEmpty();
        assertThat(sync.status()).isEmpty();
        assertThat(sync.requeueAt()).isEmpty();
    }

    @Test
    void cronJobBeingDeletedOnlyUpdatesStatus() {
        CronJobHarness cluster = hourlyRunning();
        cluster.advanceTo(at("2024-01-01T01:10:00Z"));
        cluster.finish("report-28401180", true);
        CronJob deleting = new CronJobBuilder(cluster.cronJob())
                .editMetadata()
                .withDeletionTimestamp("2024-01-01T01:20:00Z")
                .endMetadata()
                .build();

        CronJobSync sync = CronJobReconciler.reconcile(
                deleting, List.of(cluster.job("report-28401180")), at("2024-01-01T02:00:00.100Z"));

        assertThat(sync.jobToCreate()).isEmpty();
        assertThat(sync.requeueAt()).isEmpty();
        assertThat(sync.events()).extracting(CronJobEvent::reason).containsExactly("SawCompletedJob");
        assertThat(sync.status().orElseThrow().getActive()).isEmpty();
    }

    private static Job finished(CronJob cronJob, String name, String startTime) {
        return new JobBuilder(CronJobReconciler.jobFromTemplate(cronJob, Fixtures.CREATED))
                .editMetadata()
                .withName(name)
                .withUid("uid-" + name)
                .endMetadata()
                .withNewStatus()
                .withStartTime(startTime)
                .addNewCondition()
                .withType("Complete")
                .withStatus("True")
                .withLastTransitionTime("2024-01-01T05:10:00Z")
                .endCondition()
                .endStatus()
                .build();
    }
}
