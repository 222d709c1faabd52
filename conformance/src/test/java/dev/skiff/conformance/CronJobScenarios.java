package dev.skiff.conformance;

import static dev.skiff.conformance.ScenarioKit.WAIT;
import static dev.skiff.conformance.ScenarioKit.controllerRef;
import static dev.skiff.conformance.ScenarioKit.eventMessages;
import static dev.skiff.conformance.ScenarioKit.failing;
import static dev.skiff.conformance.ScenarioKit.get;
import static dev.skiff.conformance.ScenarioKit.hasCondition;
import static dev.skiff.conformance.ScenarioKit.job;
import static dev.skiff.conformance.ScenarioKit.jobs;
import static dev.skiff.conformance.ScenarioKit.names;
import static dev.skiff.conformance.ScenarioKit.node;
import static dev.skiff.conformance.ScenarioKit.pass;
import static dev.skiff.conformance.ScenarioKit.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CronJob controller on both targets. Three scenarios wait for a scheduled run; on the real
 * target their CronJobs are all created before the first of them runs, so that one minute boundary
 * serves the three. The others check what the controller does with Jobs made by hand.
 */
class CronJobScenarios {
    /** A schedule that does not fire while a scenario runs (once a year, on 1 January). */
    private static final String YEARLY = "0 0 1 1 *";

    private static final Duration MINUTE_WAIT = Duration.ofSeconds(100);

    private static final Map<String, Consumer<Target>> SCHEDULED = Map.of(
            "zoned", CronJobScenarios::prepareZoned,
            "forbid", t -> prepareConcurrency(t, "Forbid"),
            "replace", t -> prepareConcurrency(t, "Replace"));

    /** The real targets of the scheduled scenarios, prepared together. */
    private static final Map<String, Target> PREPARED = new HashMap<>();

    static Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    @BeforeAll
    static void prepareScheduled() {
        // a CronJob made in the last seconds of a minute could run before its scenario has set up
        int second = ZonedDateTime.now(ZoneId.of("UTC")).getSecond();
        if (second >= 45) {
            sleep(Duration.ofSeconds(61 - second));
        }
        for (var e : SCHEDULED.entrySet()) {
            Target t = Target.Kind.REAL.open();
            PREPARED.put(e.getKey(), t);
            e.getValue().accept(t);
        }
    }

    @AfterAll
    static void closePrepared() {
        PREPARED.values().forEach(Target::close);
        PREPARED.clear();
    }

    private static Target open(Target.Kind kind, String scheduled) {
        if (kind == Target.Kind.REAL) {
            Target t = PREPARED.remove(scheduled);
            if (t == null) {
                throw new AssertionError("not prepared: " + scheduled);
            }
            return t;
        }
        Target t = kind.open();
        SCHEDULED.get(scheduled).accept(t);
        return t;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static MixedOperation<CronJob, ?, Resource<CronJob>> crons(Target t) {
        return t.client().batch().v1().cronjobs();
    }

    private static CronJob cron(Target t, String name) {
        return crons(t).inNamespace(t.namespace()).withName(name).get();
    }

    private static CronJob cronJob(String name, String schedule, Job template) {
        return new CronJobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withSchedule(schedule)
                .withNewJobTemplate()
                .withSpec(template.getSpec())
                .endJobTemplate()
                .endSpec()
                .build();
    }

    private static CronJob createCron(Target t, CronJob c) {
        return crons(t).inNamespace(t.namespace()).resource(c).create();
    }

    /** A Job made by hand whose controller is the CronJob. */
    private static Job ownedJob(Target t, CronJob owner, Job j) {
        j.getMetadata().setOwnerReferences(List.of(controllerRef(owner)));
        return ScenarioKit.create(t, j);
    }

    private static void listActive(Target t, String cron, Job j) {
        ScenarioKit.retryOnConflict(() -> crons(t).inNamespace(t.namespace())
                .withName(cron)
                .editStatus(c -> {
                    if (c.getStatus() == null) {
                        c.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus());
                    }
                    c.getStatus()
                            .setActive(List.of(new ObjectReferenceBuilder()
                                    .withApiVersion("batch/v1")
                                    .withKind("Job")
                                    .withName(j.getMetadata().getName())
                                    .withNamespace(t.namespace())
                                    .withUid(j.getMetadata().getUid())
                                    .withResourceVersion(j.getMetadata().getResourceVersion())
                                    .build()));
                    return c;
                }));
    }

    private static List<Job> jobsOf(Target t, String cron) {
        return jobs(t).stream()
                .filter(j -> j.getMetadata().getOwnerReferences() != null
                        && j.getMetadata().getOwnerReferences().stream()
                                .anyMatch(o -> o.getName().equals(cron)))
                .toList();
    }

    // ---- scheduled runs ----------------------------------------------------------------------

    private static void prepareZoned(Target t) {
        t.addNode(node(t));
        Job template = job("unused", 1, 1);
        CronJob zoned = cronJob("zoned", "* * * * *", template);
        zoned.getSpec().setTimeZone("Asia/Kolkata");
        zoned.getSpec()
                .getJobTemplate()
                .setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                        .addToLabels("team", "ml")
                        .addToAnnotations("note", "from the template")
                        .build());
        createCron(t, zoned);
        CronJob idle = cronJob("idle", "* * * * *", template);
        idle.getSpec().setSuspend(true);
        createCron(t, idle);
    }

    @ParameterizedTest(
            name =
                    "[{0}] cronjob/scheduled run in a time zone: Job metadata, status times, events; a suspended one stays idle")
    @MethodSource("kinds")
    void scheduledRun(Target.Kind kind) {
        try (Target t = open(kind, "zoned")) {
            t.await("a complete Job and lastSuccessfulTime", MINUTE_WAIT, () -> {
                CronJob c = cron(t, "zoned");
                return c.getStatus() != null
                        && c.getStatus().getLastSuccessfulTime() != null
                        && jobsOf(t, "zoned").stream().anyMatch(j -> hasCondition(j, "Complete"));
            });
            CronJob c = cron(t, "zoned");
            Job j = jobsOf(t, "zoned").get(0);
            Instant scheduled = Instant.parse(c.getStatus().getLastScheduleTime());
            assertThat(scheduled.getEpochSecond() % 60).isZero();
            assertThat(j.getMetadata().getName()).isEqualTo("zoned-" + scheduled.getEpochSecond() / 60);
            assertThat(j.getMetadata().getLabels()).containsEntry("team", "ml");
            assertThat(j.getMetadata().getAnnotations())
                    .containsEntry("note", "from the template")
                    .containsEntry(
                            "batch.kubernetes.io/cronjob-scheduled-timestamp",
                            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(scheduled.atZone(ZoneId.of("Asia/Kolkata"))));
            assertThat(j.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("CronJob");
                assertThat(o.getController()).isTrue();
                assertThat(o.getBlockOwnerDeletion()).isTrue();
            });
            assertThat(c.getStatus().getLastSuccessfulTime())
                    .isEqualTo(j.getStatus().getCompletionTime());
            t.await("active emptied", WAIT, () -> {
                var active = cron(t, "zoned").getStatus().getActive();
                return active == null || active.isEmpty();
            });
            String name = j.getMetadata().getName();
            assertThat(eventMessages(t, "CronJob", "zoned", "SuccessfulCreate")).contains("Created job " + name);
            t.await(
                    "SawCompletedJob",
                    WAIT,
                    () -> !eventMessages(t, "CronJob", "zoned", "SawCompletedJob")
                            .isEmpty());
            assertThat(eventMessages(t, "CronJob", "zoned", "SawCompletedJob"))
                    .contains("Saw completed job: " + name + ", condition: Complete");
            // the suspended CronJob with the same schedule made nothing
            assertThat(jobsOf(t, "idle")).isEmpty();
            CronJob idle = cron(t, "idle");
            assertThat(idle.getStatus() == null ? null : idle.getStatus().getLastScheduleTime())
                    .isNull();
        }
    }

    private static void prepareConcurrency(Target t, String policy) {
        t.addNode(node(t));
        CronJob c = cronJob("every", "* * * * *", running(job("unused", 1, 1)));
        c.getSpec().setConcurrencyPolicy(policy);
        CronJob created = createCron(t, c);
        Job manual = job("manual", 1, 1);
        manual.getSpec().setTemplate(c.getSpec().getJobTemplate().getSpec().getTemplate());
        Job made = ownedJob(t, created, manual);
        listActive(t, "every", made);
    }

    @ParameterizedTest(name = "[{0}] cronjob/Forbid: no run while a listed Job is active, JobAlreadyActive")
    @MethodSource("kinds")
    void forbid(Target.Kind kind) {
        try (Target t = open(kind, "forbid")) {
            t.await(
                    "JobAlreadyActive",
                    MINUTE_WAIT,
                    () -> !eventMessages(t, "CronJob", "every", "JobAlreadyActive")
                            .isEmpty());
            assertThat(eventMessages(t, "CronJob", "every", "JobAlreadyActive"))
                    .first()
                    .isEqualTo("Not starting job because prior execution is running and concurrency policy is Forbid");
            assertThat(names(jobsOf(t, "every"))).containsExactly("manual");
            CronJob c = cron(t, "every");
            assertThat(c.getStatus().getActive())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getName()).isEqualTo("manual"));
            assertThat(c.getStatus().getLastScheduleTime()).isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/Replace: the active Job is deleted, a new one runs")
    @MethodSource("kinds")
    void replace(Target.Kind kind) {
        try (Target t = open(kind, "replace")) {
            t.await(
                    "a scheduled Job",
                    MINUTE_WAIT,
                    () -> jobsOf(t, "every").stream()
                            .anyMatch(j -> j.getMetadata().getName().startsWith("every-")));
            t.await("manual deleted", WAIT, () -> get(t, "manual") == null);
            assertThat(eventMessages(t, "CronJob", "every", "SuccessfulDelete")).containsExactly("Deleted job manual");
            Job scheduled = jobsOf(t, "every").get(0);
            assertThat(eventMessages(t, "CronJob", "every", "SuccessfulCreate"))
                    .containsExactly("Created job " + scheduled.getMetadata().getName());
            t.await("listed active", WAIT, () -> {
                var active = cron(t, "every").getStatus().getActive();
                return active != null
                        && active.size() == 1
                        && active.get(0)
                                .getName()
                                .equals(scheduled.getMetadata().getName());
            });
        }
    }

    // ---- Jobs made by hand ---------------------------------------------------------------------

    @ParameterizedTest(
            name = "[{0}] cronjob/successfulJobsHistoryLimit 1 prunes older finished Jobs; lastSuccessfulTime")
    @MethodSource("kinds")
    void successfulHistory(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            CronJob c = cronJob("hist", YEARLY, job("unused", 1, 1));
            c.getSpec().setSuccessfulJobsHistoryLimit(1);
            CronJob owner = createCron(t, c);
            for (String name : List.of("a", "b", "c")) {
                ownedJob(t, owner, job(name, 1, 1));
                t.await(name + " complete", WAIT, () -> hasCondition(get(t, name), "Complete"));
                pass(t, Duration.ofMillis(1100)); // start times a second apart
            }
            t.await("a and b pruned", WAIT, () -> names(jobsOf(t, "hist")).equals(List.of("c")));
            t.await(
                    "two SuccessfulDelete",
                    WAIT,
                    () -> eventMessages(t, "CronJob", "hist", "SuccessfulDelete")
                                    .size()
                            == 2);
            assertThat(eventMessages(t, "CronJob", "hist", "SuccessfulDelete"))
                    .containsExactlyInAnyOrder("Deleted job a", "Deleted job b");
            t.await(
                    "lastSuccessfulTime",
                    WAIT,
                    () -> cron(t, "hist").getStatus() != null
                            && get(t, "c")
                                    .getStatus()
                                    .getCompletionTime()
                                    .equals(cron(t, "hist").getStatus().getLastSuccessfulTime()));
            assertThat(cron(t, "hist").getStatus().getLastScheduleTime()).isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/failedJobsHistoryLimit 0 deletes a failed Job")
    @MethodSource("kinds")
    void failedHistory(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            CronJob c = cronJob("fh", YEARLY, job("unused", 1, 1));
            c.getSpec().setFailedJobsHistoryLimit(0);
            CronJob owner = createCron(t, c);
            ownedJob(t, owner, job("ok", 1, 1));
            ownedJob(t, owner, failing(job("bad", 1, 1)));
            t.await("ok complete", WAIT, () -> hasCondition(get(t, "ok"), "Complete"));
            t.await("bad deleted", WAIT, () -> get(t, "bad") == null);
            t.await(
                    "SuccessfulDelete event",
                    WAIT,
                    () -> !eventMessages(t, "CronJob", "fh", "SuccessfulDelete").isEmpty());
            assertThat(eventMessages(t, "CronJob", "fh", "SuccessfulDelete")).containsExactly("Deleted job bad");
            // successfulJobsHistoryLimit defaults to 3: the complete Job stays
            assertThat(get(t, "ok")).isNotNull();
            assertThat(cron(t, "fh").getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/an unfinished Job it did not list: UnexpectedJob")
    @MethodSource("kinds")
    void unexpectedJob(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            CronJob owner = createCron(t, cronJob("un", YEARLY, job("unused", 1, 1)));
            ownedJob(t, owner, running(job("stray", 1, 1)));
            t.await(
                    "UnexpectedJob",
                    WAIT,
                    () -> !eventMessages(t, "CronJob", "un", "UnexpectedJob").isEmpty());
            assertThat(eventMessages(t, "CronJob", "un", "UnexpectedJob"))
                    .first()
                    .isEqualTo("Saw a job that the controller did not create or forgot: stray");
            var status = cron(t, "un").getStatus();
            assertThat(status == null ? null : status.getActive()).isNullOrEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/an active entry whose Job is gone: MissingJob")
    @MethodSource("kinds")
    void missingJob(Target.Kind kind) {
        try (Target t = kind.open()) {
            createCron(t, cronJob("miss", YEARLY, job("unused", 1, 1)));
            Job ghost = job("ghost", 1, 1);
            ghost.getMetadata().setUid(UUID.randomUUID().toString());
            ghost.getMetadata().setResourceVersion("1");
            listActive(t, "miss", ghost);
            t.await(
                    "MissingJob",
                    WAIT,
                    () -> !eventMessages(t, "CronJob", "miss", "MissingJob").isEmpty());
            assertThat(eventMessages(t, "CronJob", "miss", "MissingJob"))
                    .containsExactly("Active job went missing: ghost");
            t.await(
                    "dropped",
                    WAIT,
                    () -> cron(t, "miss").getStatus().getActive() == null
                            || cron(t, "miss").getStatus().getActive().isEmpty());
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/a listed Job that completes: SawCompletedJob, dropped from active")
    @MethodSource("kinds")
    void sawCompleted(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            CronJob owner = createCron(t, cronJob("saw", YEARLY, job("unused", 1, 1)));
            Job held = job("held", 1, 1);
            held.getSpec().setSuspend(true);
            Job made = ownedJob(t, owner, held);
            listActive(t, "saw", made);
            pass(t, Duration.ofSeconds(1));
            assertThat(cron(t, "saw").getStatus().getActive()).hasSize(1);
            ScenarioKit.editJob(t, "held", j -> {
                j.getSpec().setSuspend(false);
                return j;
            });
            t.await(
                    "SawCompletedJob",
                    WAIT,
                    () -> !eventMessages(t, "CronJob", "saw", "SawCompletedJob").isEmpty());
            assertThat(eventMessages(t, "CronJob", "saw", "SawCompletedJob"))
                    .containsExactly("Saw completed job: held, condition: Complete");
            t.await(
                    "dropped",
                    WAIT,
                    () -> cron(t, "saw").getStatus().getActive() == null
                            || cron(t, "saw").getStatus().getActive().isEmpty());
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/deleting a CronJob deletes its Jobs")
    @MethodSource("kinds")
    void cascade(Target.Kind kind) {
        try (Target t = kind.open()) {
            t.addNode(node(t));
            CronJob owner = createCron(t, cronJob("gone", YEARLY, job("unused", 1, 1)));
            ownedJob(t, owner, running(job("child", 1, 1)));
            t.await("child pod", WAIT, () -> !ScenarioKit.pods(t, "child").isEmpty());
            crons(t).inNamespace(t.namespace()).withName("gone").delete();
            t.await("child deleted", WAIT, () -> get(t, "child") == null);
            t.await("pods deleted", WAIT, () -> ScenarioKit.pods(t, "child").isEmpty());
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/unknown timeZone: 422")
    @MethodSource("kinds")
    void unknownTimeZone(Target.Kind kind) {
        try (Target t = kind.open()) {
            CronJob c = cronJob("tz", YEARLY, job("unused", 1, 1));
            c.getSpec().setTimeZone("Mars/Olympus_Mons");
            var e = catchThrowableOfType(KubernetesClientException.class, () -> createCron(t, c));
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(cause -> {
                assertThat(cause.getField()).isEqualTo("spec.timeZone");
                assertThat(cause.getReason()).isEqualTo("FieldValueInvalid");
                assertThat(cause.getMessage())
                        .isEqualTo("Invalid value: \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons");
            });
        }
    }

    @ParameterizedTest(name = "[{0}] cronjob/CRON_TZ in the schedule: 422")
    @MethodSource("kinds")
    void cronTzInSchedule(Target.Kind kind) {
        try (Target t = kind.open()) {
            CronJob c = cronJob("ctz", "CRON_TZ=UTC 0 0 1 1 *", job("unused", 1, 1));
            var e = catchThrowableOfType(KubernetesClientException.class, () -> createCron(t, c));
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(cause -> {
                assertThat(cause.getField()).isEqualTo("spec.schedule");
                assertThat(cause.getMessage())
                        .isEqualTo("Invalid value: \"CRON_TZ=UTC 0 0 1 1 *\": cannot use TZ or CRON_TZ in schedule,"
                                + " use timeZone field instead");
            });
        }
    }
}
