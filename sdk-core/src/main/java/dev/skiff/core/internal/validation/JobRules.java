package dev.skiff.core.internal.validation;

import static dev.skiff.core.internal.validation.MetaRules.str;

import dev.skiff.core.internal.cron.CronSchedules;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** batch/v1 Jobs and CronJobs, including the labels and selector the server generates for a Job. */
public final class JobRules {
    private JobRules() {}

    static final int MAX_PARALLELISM_INDEXED = 100_000;
    static final int MAX_FAILED_INDEXES = 100_000;
    static final int COMPLETIONS_SOFT_LIMIT = 100_000;
    static final int PARALLELISM_HIGH_COMPLETIONS = 10_000;
    static final int MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000;
    static final int MAX_POD_FAILURE_RULES = 20;
    static final int MAX_EXIT_CODE_VALUES = 255;
    static final int MAX_POD_CONDITION_PATTERNS = 20;
    static final int MAX_SUCCESS_RULES = 20;
    static final int MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
    static final int CRONJOB_NAME_MAX = 52;

    static final String JOB_NAME = "job-name";
    static final String BATCH_JOB_NAME = "batch.kubernetes.io/job-name";
    static final String CONTROLLER_UID = "controller-uid";
    static final String BATCH_CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    private static final Set<String> GENERATED_LABELS =
            Set.of(JOB_NAME, BATCH_JOB_NAME, CONTROLLER_UID, BATCH_CONTROLLER_UID);

    private static final List<String> ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
    private static final List<String> OPERATORS = List.of("In", "NotIn");
    private static final List<String> STATUSES = List.of("False", "True", "Unknown");

    /**
     * The Job's metadata after {@code SetDefaults_Job}, which gives a Job without labels its pod
     * template's labels: those the user wrote, as defaulting runs before the server adds the
     * generated ones (a Job already prepared by a server has them in its template, so the four
     * generated keys are left out).
     */
    public static @Nullable ObjectMeta defaultedMeta(Job job) {
        ObjectMeta meta = job.getMetadata();
        if (meta != null && meta.getLabels() != null && !meta.getLabels().isEmpty()) {
            return meta;
        }
        Map<String, String> template =
                labelsOf(job.getSpec() == null ? null : job.getSpec().getTemplate());
        Map<String, String> users = new LinkedHashMap<>();
        template.forEach((k, v) -> {
            if (!GENERATED_LABELS.contains(k)) {
                users.put(k, v);
            }
        });
        if (users.isEmpty()) {
            return meta;
        }
        ObjectMeta copy = meta == null ? new ObjectMeta() : new ObjectMetaBuilder(meta).build();
        copy.setLabels(users);
        return copy;
    }

    /** Go's {@code ValidateJob} on create, after the server generated the selector and pod labels. */
    public static void job(Job job, Errors errs) {
        JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
        Path sp = Path.root("spec");
        String name = MetaRules.effectiveName(job.getMetadata());
        String uid = job.getMetadata() == null ? "" : str(job.getMetadata().getUid());
        boolean manual = Boolean.TRUE.equals(spec.getManualSelector());
        Map<String, String> templateLabels = labelsOf(spec.getTemplate());
        if (!manual) {
            // PrepareForCreate: the job-name and controller-uid labels are added unless present.
            Map<String, String> generated = new LinkedHashMap<>(templateLabels);
            generated.putIfAbsent(JOB_NAME, name);
            generated.putIfAbsent(BATCH_JOB_NAME, name);
            generated.putIfAbsent(CONTROLLER_UID, uid.isEmpty() ? "00000000-0000-0000-0000-000000000000" : uid);
            generated.putIfAbsent(BATCH_CONTROLLER_UID, generated.get(CONTROLLER_UID));
            generatedSelector(spec.getSelector(), templateLabels, generated, name, uid, errs);
            templateLabels = generated;
        }
        jobSpec(spec, templateLabels, sp, true, errs);
        if (manual) {
            if (spec.getSelector() == null) {
                errs.required(sp.child("selector"), "");
            } else {
                MetaRules.labelSelector(spec.getSelector(), sp.child("selector"), errs);
            }
        } else if (spec.getSelector() != null) {
            MetaRules.labelSelector(spec.getSelector(), sp.child("selector"), errs);
        }
        LabelSelector selector = spec.getSelector();
        Path labelsPath = sp.child("template", "metadata", "labels");
        String mismatch = "`selector` does not match template `labels`";
        if (selector != null || !manual) {
            boolean matches = selector == null
                    || (MetaRules.selectorUsable(selector) && MetaRules.matches(selector, templateLabels));
            if (!matches && MetaRules.selectorUsable(selector)) {
                errs.invalid(labelsPath, templateLabels, mismatch);
            }
        } else if (templateLabels.isEmpty()) {
            // A missing manual selector selects nothing, so it does not match either; empty labels
            // are not sent, so the server prints them as null.
            errs.invalidRaw(labelsPath, "null", mismatch);
        } else {
            errs.invalid(labelsPath, templateLabels, mismatch);
        }
        Integer completions = completions(spec, true);
        if ("Indexed".equals(spec.getCompletionMode()) && completions != null && completions > 0) {
            String host = name + "-" + (completions - 1);
            if (!Names.isDns1123Label(host)) {
                errs.invalid(
                        Path.root("metadata").child("name"),
                        name,
                        "will not able to create pod with invalid DNS label: " + host);
            }
        }
    }

    private static void generatedSelector(
            @Nullable LabelSelector selector,
            Map<String, String> userLabels,
            Map<String, String> generated,
            String name,
            String uid,
            Errors errs) {
        Path labels = Path.root("spec").child("template", "metadata", "labels");
        for (String key : List.of(CONTROLLER_UID, JOB_NAME, BATCH_CONTROLLER_UID, BATCH_JOB_NAME)) {
            String expected = key.endsWith("job-name") ? name : uid;
            String actual = userLabels.get(key);
            boolean uidUnknown = key.endsWith("controller-uid") && uid.isEmpty();
            if (actual != null && !actual.equals(expected) && !uidUnknown) {
                errs.invalid(labels.key(key), userLabels, "must be '" + expected + "'");
            } else if (actual != null && uidUnknown) {
                errs.invalid(labels.key(key), userLabels, "must be the Job's uid, which the server assigns");
            }
        }
        if (selector != null && MetaRules.selectorUsable(selector)) {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put(CONTROLLER_UID, generated.get(CONTROLLER_UID));
            expected.put(BATCH_CONTROLLER_UID, generated.get(CONTROLLER_UID));
            expected.put(JOB_NAME, name);
            expected.put(BATCH_JOB_NAME, name);
            if (!MetaRules.matches(selector, expected)) {
                errs.invalidNoValue(Path.root("spec").child("selector"), "`selector` not auto-generated");
            }
        }
    }

    private static Map<String, String> labelsOf(@Nullable PodTemplateSpec t) {
        if (t == null || t.getMetadata() == null || t.getMetadata().getLabels() == null) {
            return Map.of();
        }
        return t.getMetadata().getLabels();
    }

    /**
     * Go's {@code validateJobSpec}: counts, limits, completion mode, per-index backoff, pod failure
     * and success policies, the pod template and its restart policy. {@code templateLabels} are the
     * labels to validate for the template (with generated ones added, for a Job). {@code
     * jobDefaults}: whether the server has run the Job defaults (a Job's spec, not a CronJob's job
     * template).
     */
    static void jobSpec(JobSpec spec, Map<String, String> templateLabels, Path path, boolean jobDefaults, Errors errs) {
        Integer parallelism = spec.getParallelism();
        Integer completions = completions(spec, jobDefaults);
        nonNegative(parallelism, path.child("parallelism"), errs);
        nonNegative(completions, path.child("completions"), errs);
        nonNegative(spec.getActiveDeadlineSeconds(), path.child("activeDeadlineSeconds"), errs);
        nonNegative(spec.getBackoffLimit(), path.child("backoffLimit"), errs);
        nonNegative(spec.getTtlSecondsAfterFinished(), path.child("ttlSecondsAfterFinished"), errs);
        Integer perIndex = spec.getBackoffLimitPerIndex();
        Integer maxFailed = spec.getMaxFailedIndexes();
        nonNegative(perIndex, path.child("backoffLimitPerIndex"), errs);
        if (maxFailed != null) {
            nonNegative(maxFailed, path.child("maxFailedIndexes"), errs);
            if (perIndex == null) {
                errs.required(path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified");
            }
        }
        if (spec.getManagedBy() != null) {
            managedBy(spec.getManagedBy(), path.child("managedBy"), errs);
        }
        String mode = spec.getCompletionMode();
        boolean indexed = "Indexed".equals(mode);
        if (mode != null) {
            if (!mode.equals("NonIndexed") && !indexed) {
                errs.notSupported(path.child("completionMode"), mode, List.of("NonIndexed", "Indexed"));
            }
            if (indexed) {
                if (completions == null) {
                    errs.required(path.child("completions"), "when completion mode is Indexed");
                }
                if (parallelism != null && parallelism > MAX_PARALLELISM_INDEXED) {
                    errs.invalid(
                            path.child("parallelism"),
                            parallelism,
                            "must be less than or equal to 100000 when completion mode is Indexed");
                }
                if (completions != null && maxFailed != null && maxFailed > completions) {
                    errs.invalid(
                            path.child("maxFailedIndexes"), maxFailed, "must be less than or equal to completions");
                }
                if (maxFailed != null && maxFailed > MAX_FAILED_INDEXES) {
                    errs.invalid(path.child("maxFailedIndexes"), maxFailed, "must be less than or equal to 100000");
                }
                if (completions != null && completions > COMPLETIONS_SOFT_LIMIT && perIndex != null) {
                    if (maxFailed == null) {
                        errs.required(
                                path.child("maxFailedIndexes"), "must be specified when completions is above 100000");
                    }
                    if (parallelism != null && parallelism > PARALLELISM_HIGH_COMPLETIONS) {
                        errs.invalid(
                                path.child("parallelism"),
                                parallelism,
                                "must be less than or equal to 10000 when completions are above 100000 and used with"
                                        + " backoff limit per index");
                    }
                    if (maxFailed != null && maxFailed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
                        errs.invalid(
                                path.child("maxFailedIndexes"),
                                maxFailed,
                                "must be less than or equal to 10000 when completions are above 100000 and used with"
                                        + " backoff limit per index");
                    }
                }
            }
        }
        if (mode == null || mode.equals("NonIndexed")) {
            if (perIndex != null) {
                errs.invalid(path.child("backoffLimitPerIndex"), perIndex, "requires indexed completion mode");
            }
            if (maxFailed != null) {
                errs.invalid(path.child("maxFailedIndexes"), maxFailed, "requires indexed completion mode");
            }
        }
        if (spec.getPodFailurePolicy() != null) {
            podFailurePolicy(spec, path.child("podFailurePolicy"), errs);
        }
        if (spec.getSuccessPolicy() != null) {
            if (!indexed) {
                errs.invalidNoValue(path.child("successPolicy"), "requires indexed completion mode");
            } else {
                successPolicy(spec, completions, path.child("successPolicy"), errs);
            }
        }
        String replacement = spec.getPodReplacementPolicy();
        if (replacement != null) {
            if (spec.getPodFailurePolicy() != null) {
                if (!replacement.equals("Failed")) {
                    errs.notSupported(path.child("podReplacementPolicy"), replacement, List.of("Failed"));
                }
            } else if (!replacement.equals("Failed") && !replacement.equals("TerminatingOrFailed")) {
                errs.notSupported(
                        path.child("podReplacementPolicy"), replacement, List.of("Failed", "TerminatingOrFailed"));
            }
        }
        PodTemplateSpec template = spec.getTemplate();
        Path tp = path.child("template");
        MetaRules.labels(templateLabels, tp.child("labels"), errs);
        if (template != null && template.getMetadata() != null) {
            MetaRules.annotations(template.getMetadata().getAnnotations(), tp.child("annotations"), errs);
        }
        PodTemplateSpec specOnly = new PodTemplateSpec(null, template == null ? null : template.getSpec());
        PodRules.template(specOnly, tp, errs);
        String restart = template == null || template.getSpec() == null
                ? ""
                : str(template.getSpec().getRestartPolicy());
        Path rp = tp.child("spec", "restartPolicy");
        if (restart.isEmpty() || restart.equals("Always")) {
            errs.required(rp, "valid values: \"OnFailure\", \"Never\"");
        } else if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errs.notSupported(rp, restart, List.of("OnFailure", "Never"));
        } else if (spec.getPodFailurePolicy() != null && !restart.equals("Never")) {
            errs.invalid(rp, restart, "only \"Never\" is supported when podFailurePolicy is specified");
        }
    }

    private static void managedBy(String value, Path p, Errors errs) {
        if (value.isEmpty()) {
            errs.required(p, "");
        } else {
            int slash = value.indexOf('/');
            if (slash <= 0 || slash == value.length() - 1) {
                errs.invalid(p, value, "must be a domain-prefixed path (such as \"acme.io/foo\")");
            } else {
                String host = value.substring(0, slash);
                errs.invalidEach(p, host, Names.dns1123Subdomain(host));
            }
        }
        if (value.length() > 63) {
            errs.tooLong(p, 63);
        }
    }

    private static void podFailurePolicy(JobSpec spec, Path path, Errors errs) {
        List<PodFailurePolicyRule> rules = spec.getPodFailurePolicy().getRules() == null
                ? List.of()
                : spec.getPodFailurePolicy().getRules();
        Path rulesPath = path.child("rules");
        if (rules.size() > MAX_POD_FAILURE_RULES) {
            errs.tooMany(rulesPath, rules.size(), MAX_POD_FAILURE_RULES);
        }
        Set<String> containerNames = new HashSet<>();
        if (spec.getTemplate() != null && spec.getTemplate().getSpec() != null) {
            for (List<Container> cs : List.of(
                    nonNull(spec.getTemplate().getSpec().getContainers()),
                    nonNull(spec.getTemplate().getSpec().getInitContainers()))) {
                for (Container c : cs) {
                    containerNames.add(str(c.getName()));
                }
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            PodFailurePolicyRule rule = rules.get(i);
            Path rp = rulesPath.index(i);
            String action = str(rule.getAction());
            if (action.isEmpty()) {
                errs.required(rp.child("action"), "valid values: " + goList(ACTIONS));
            } else if (action.equals("FailIndex")) {
                if (spec.getBackoffLimitPerIndex() == null) {
                    errs.invalid(rp.child("action"), action, "requires the backoffLimitPerIndex to be set");
                }
            } else if (!ACTIONS.contains(action)) {
                errs.notSupported(rp.child("action"), action, ACTIONS);
            }
            PodFailurePolicyOnExitCodesRequirement exit = rule.getOnExitCodes();
            List<PodFailurePolicyOnPodConditionsPattern> conditions =
                    rule.getOnPodConditions() == null ? List.of() : rule.getOnPodConditions();
            if (exit != null) {
                onExitCodes(exit, rp.child("onExitCodes"), containerNames, errs);
            }
            if (!conditions.isEmpty()) {
                onPodConditions(conditions, rp.child("onPodConditions"), errs);
            }
            if (exit != null && !conditions.isEmpty()) {
                errs.invalidNoValue(rp, "specifying both OnExitCodes and OnPodConditions is not supported");
            }
            if (exit == null && conditions.isEmpty()) {
                errs.invalidNoValue(rp, "specifying one of OnExitCodes and OnPodConditions is required");
            }
        }
    }

    private static void onExitCodes(
            PodFailurePolicyOnExitCodesRequirement req, Path p, Set<String> containerNames, Errors errs) {
        String op = str(req.getOperator());
        if (op.isEmpty()) {
            errs.required(p.child("operator"), "valid values: " + goList(OPERATORS));
        } else if (!OPERATORS.contains(op)) {
            errs.notSupported(p.child("operator"), op, OPERATORS);
        }
        if (req.getContainerName() != null && !containerNames.contains(req.getContainerName())) {
            errs.invalid(
                    p.child("containerName"),
                    req.getContainerName(),
                    "must be one of the container or initContainer names in the pod template");
        }
        List<Integer> values = req.getValues() == null ? List.of() : req.getValues();
        Path vp = p.child("values");
        if (values.isEmpty()) {
            errs.invalidRaw(vp, "[]int32{}", "at least one value is required");
        } else if (values.size() > MAX_EXIT_CODE_VALUES) {
            errs.tooMany(vp, values.size(), MAX_EXIT_CODE_VALUES);
        }
        boolean ordered = true;
        Set<Integer> unique = new HashSet<>();
        for (int j = 0; j < values.size(); j++) {
            int v = values.get(j) == null ? 0 : values.get(j);
            if (op.equals("In") && v == 0) {
                errs.invalid(vp.index(j), v, "must not be 0 for the In operator");
            }
            if (!unique.add(v)) {
                errs.duplicate(vp.index(j), v);
            }
            if (j > 0 && (values.get(j - 1) == null ? 0 : values.get(j - 1)) > v) {
                ordered = false;
            }
        }
        if (!ordered) {
            errs.invalidRaw(vp, goInts(values), "must be ordered");
        }
    }

    private static void onPodConditions(List<PodFailurePolicyOnPodConditionsPattern> patterns, Path p, Errors errs) {
        if (patterns.size() > MAX_POD_CONDITION_PATTERNS) {
            errs.tooMany(p, patterns.size(), MAX_POD_CONDITION_PATTERNS);
        }
        for (int j = 0; j < patterns.size(); j++) {
            PodFailurePolicyOnPodConditionsPattern pattern = patterns.get(j);
            Path pp = p.index(j);
            String type = str(pattern.getType());
            errs.invalidEach(pp.child("type"), type, Names.qualifiedName(type));
            // status defaults to True.
            String status = pattern.getStatus() == null ? "True" : pattern.getStatus();
            if (status.isEmpty()) {
                errs.required(pp.child("status"), "valid values: " + goList(STATUSES));
            } else if (!STATUSES.contains(status)) {
                errs.notSupported(pp.child("status"), status, STATUSES);
            }
        }
    }

    /**
     * {@code spec.completions}, or 1 when {@code jobDefaults} and neither completions nor
     * parallelism is set ({@code SetDefaults_Job}).
     */
    private static @Nullable Integer completions(JobSpec spec, boolean jobDefaults) {
        if (jobDefaults && spec.getCompletions() == null && spec.getParallelism() == null) {
            return 1;
        }
        return spec.getCompletions();
    }

    private static void successPolicy(JobSpec spec, @Nullable Integer completions, Path path, Errors errs) {
        List<SuccessPolicyRule> rules = spec.getSuccessPolicy().getRules() == null
                ? List.of()
                : spec.getSuccessPolicy().getRules();
        Path rulesPath = path.child("rules");
        if (rules.isEmpty()) {
            errs.required(rulesPath, "at least one rules must be specified when the successPolicy is specified");
        }
        if (rules.size() > MAX_SUCCESS_RULES) {
            errs.tooMany(rulesPath, rules.size(), MAX_SUCCESS_RULES);
        }
        for (int i = 0; i < rules.size(); i++) {
            SuccessPolicyRule rule = rules.get(i);
            Path rp = rulesPath.index(i);
            if (rule.getSucceededCount() == null && rule.getSucceededIndexes() == null) {
                errs.required(rp, "at least one of succeededCount or succeededIndexes must be specified");
            }
            if (completions == null) {
                continue; // already reported as required
            }
            int total = 0;
            if (rule.getSucceededIndexes() != null) {
                Path ip = rp.child("succeededIndexes");
                String indexes = rule.getSucceededIndexes();
                if (indexes.length() > MAX_SUCCEEDED_INDEXES_LENGTH) {
                    errs.tooLong(ip, MAX_SUCCEEDED_INDEXES_LENGTH);
                }
                Optional<String> error = Optional.empty();
                try {
                    total = countIndexes(indexes, completions);
                } catch (IllegalArgumentException e) {
                    error = Optional.of(e.getMessage());
                }
                error.ifPresent(m -> errs.invalid(ip, indexes, "error parsing succeededIndexes: " + m));
            }
            if (rule.getSucceededCount() != null) {
                Path cp = rp.child("succeededCount");
                int count = rule.getSucceededCount();
                nonNegative(count, cp, errs);
                if (count > completions) {
                    errs.invalid(
                            cp,
                            count,
                            "must be less than or equal to " + completions + " (the number of specified completions)");
                }
                if (rule.getSucceededIndexes() != null && count > total) {
                    errs.invalid(
                            cp,
                            count,
                            "must be less than or equal to " + total
                                    + " (the number of indexes in the specified succeededIndexes field)");
                }
            }
        }
    }

    /** Go's {@code validateIndexesFormat}: {@code 1,3-5,7}, increasing, below {@code completions}. */
    static int countIndexes(String indexes, int completions) {
        if (indexes.isEmpty()) {
            return 0;
        }
        Integer last = null;
        int total = 0;
        for (String interval : indexes.split(",", -1)) {
            String[] limits = interval.split("-", -1);
            if (limits.length > 2) {
                throw new IllegalArgumentException("the fragment \"" + interval
                        + "\" violates the requirement that an index interval can have at most two parts separated"
                        + " by '-'");
            }
            int x = parseIndex(limits[0], completions);
            if (last != null && last >= x) {
                throw new IllegalArgumentException("non-increasing order, previous: " + last + ", current: " + x);
            }
            total++;
            last = x;
            if (limits.length > 1) {
                int y = parseIndex(limits[1], completions);
                if (last >= y) {
                    throw new IllegalArgumentException("non-increasing order, previous: " + last + ", current: " + y);
                }
                total += y - x;
                last = y;
            }
        }
        return total;
    }

    private static int parseIndex(String s, int completions) {
        long v;
        try {
            v = Long.parseLong(s);
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE || s.startsWith("+")) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot convert string to integer for index: \"" + s + "\"");
        }
        if (v >= completions) {
            throw new IllegalArgumentException("too large index: \"" + s + "\"");
        }
        return (int) v;
    }

    /** Go's {@code ValidateCronJobCreate}. */
    public static void cronJob(CronJob cj, Errors errs) {
        CronJobSpec spec = cj.getSpec() == null ? new CronJobSpec() : cj.getSpec();
        Path sp = Path.root("spec");
        String schedule = str(spec.getSchedule());
        if (schedule.isEmpty()) {
            errs.required(sp.child("schedule"), "");
        } else {
            String cron = stripTimeZonePrefix(schedule);
            CronSchedules.scheduleError(cron).ifPresent(m -> errs.invalid(sp.child("schedule"), schedule, m));
            if (schedule.contains("TZ")) {
                errs.invalid(
                        sp.child("schedule"),
                        schedule,
                        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
            }
        }
        nonNegative(spec.getStartingDeadlineSeconds(), sp.child("startingDeadlineSeconds"), errs);
        if (spec.getTimeZone() != null) {
            CronSchedules.timeZoneError(spec.getTimeZone())
                    .ifPresent(m -> errs.invalid(sp.child("timeZone"), spec.getTimeZone(), m));
        }
        String policy = spec.getConcurrencyPolicy();
        if (policy != null
                && !policy.isEmpty()
                && !List.of("Allow", "Forbid", "Replace").contains(policy)) {
            errs.notSupported(sp.child("concurrencyPolicy"), policy, List.of("Allow", "Forbid", "Replace"));
        }
        Path jt = sp.child("jobTemplate");
        JobSpec jobSpec = spec.getJobTemplate() == null || spec.getJobTemplate().getSpec() == null
                ? new JobSpec()
                : spec.getJobTemplate().getSpec();
        jobSpec(jobSpec, labelsOf(jobSpec.getTemplate()), jt.child("spec"), false, errs);
        if (jobSpec.getSelector() != null) {
            errs.invalidNoValue(jt.child("spec", "selector"), "`selector` will be auto-generated");
        }
        if (Boolean.TRUE.equals(jobSpec.getManualSelector())) {
            errs.notSupported(jt.child("spec", "manualSelector"), true, List.of("nil", "false"));
        }
        nonNegative(spec.getSuccessfulJobsHistoryLimit(), sp.child("successfulJobsHistoryLimit"), errs);
        nonNegative(spec.getFailedJobsHistoryLimit(), sp.child("failedJobsHistoryLimit"), errs);
        String name = MetaRules.effectiveName(cj.getMetadata());
        if (name.length() > CRONJOB_NAME_MAX) {
            errs.invalid(Path.root("metadata").child("name"), name, "must be no more than 52 characters");
        }
    }

    /** Drops a leading {@code TZ=zone } or {@code CRON_TZ=zone } prefix, which the cron parser accepts. */
    static String stripTimeZonePrefix(String schedule) {
        String s = schedule.strip();
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            int space = s.indexOf(' ');
            return space < 0 ? "" : s.substring(space + 1).strip();
        }
        return schedule;
    }

    static void nonNegative(@Nullable Number n, Path p, Errors errs) {
        if (n != null && n.longValue() < 0) {
            errs.invalid(p, n.longValue(), "must be greater than or equal to 0");
        }
    }

    private static <T> List<T> nonNull(@Nullable List<T> l) {
        return l == null ? List.of() : l;
    }

    /** Go's {@code %q} of a string slice: {@code ["Count" "FailIndex"]}. */
    private static String goList(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append('"').append(values.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    private static String goInts(List<Integer> values) {
        StringBuilder sb = new StringBuilder("[]int32{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(values.get(i));
        }
        return sb.append('}').toString();
    }
}
