package dev.skiff.core.internal.validation;

import static dev.skiff.core.internal.validation.MetaRules.str;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** apps/v1 Deployments and StatefulSets, after the server's defaults. */
public final class AppsRules {
    private AppsRules() {}

    /** Go's {@code ValidateDeploymentSpec}. */
    public static void deployment(Deployment d, Errors errs) {
        DeploymentSpec spec = d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
        Path sp = Path.root("spec");
        JobRules.nonNegative(spec.getReplicas(), sp.child("replicas"), errs);
        selector(spec.getSelector(), "deployment", sp, errs);
        Path tp = sp.child("template");
        if (MetaRules.selectorUsable(spec.getSelector())) {
            templateForReplicaSet(spec.getTemplate(), spec.getSelector(), "ReplicaSet", tp, errs);
        } else {
            errs.invalidNoValue(sp.child("selector"), "invalid label selector");
        }
        strategy(spec.getStrategy(), sp.child("strategy"), errs);
        int minReady = spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds();
        JobRules.nonNegative(minReady, sp.child("minReadySeconds"), errs);
        JobRules.nonNegative(spec.getRevisionHistoryLimit(), sp.child("revisionHistoryLimit"), errs);
        int deadline = spec.getProgressDeadlineSeconds() == null ? 600 : spec.getProgressDeadlineSeconds();
        JobRules.nonNegative(deadline, sp.child("progressDeadlineSeconds"), errs);
        if (deadline <= minReady) {
            errs.invalid(sp.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
        }
    }

    private static void selector(@Nullable LabelSelector selector, String kind, Path sp, Errors errs) {
        if (selector == null) {
            errs.required(sp.child("selector"), "");
        } else {
            MetaRules.labelSelector(selector, sp.child("selector"), errs);
            if (MetaRules.isEmpty(selector)) {
                errs.invalidNoValue(sp.child("selector"), "empty selector is invalid for " + kind);
            }
        }
    }

    private static void templateForReplicaSet(
            @Nullable PodTemplateSpec t, @Nullable LabelSelector selector, String kind, Path tp, Errors errs) {
        Map<String, String> labels =
                t == null || t.getMetadata() == null ? null : t.getMetadata().getLabels();
        selectorMatches(selector, labels, tp, errs);
        PodRules.template(t, tp, errs);
        restartAlways(t, kind, tp, errs);
    }

    /**
     * The template must carry the labels the selector selects. A missing selector selects nothing
     * (Go's {@code LabelSelectorAsSelector(nil)}), so it never matches; an empty one selects
     * everything and is not checked here.
     */
    private static void selectorMatches(
            @Nullable LabelSelector selector, @Nullable Map<String, String> labels, Path tp, Errors errs) {
        if (selector == null || (!MetaRules.isEmpty(selector) && !MetaRules.matches(selector, labels))) {
            Path p = tp.child("metadata", "labels");
            String detail = "`selector` does not match template `labels`";
            if (labels == null || labels.isEmpty()) {
                errs.invalidRaw(p, "null", detail);
            } else {
                errs.invalid(p, labels, detail);
            }
        }
    }

    private static void restartAlways(@Nullable PodTemplateSpec t, String kind, Path tp, Errors errs) {
        String restart = PodRules.restartPolicy(t);
        if (!restart.equals("Always")) {
            errs.notSupported(tp.child("spec", "restartPolicy"), restart, List.of("Always"));
        }
        if (t != null && t.getSpec() != null && t.getSpec().getActiveDeadlineSeconds() != null) {
            errs.forbidden(
                    tp.child("spec", "activeDeadlineSeconds"),
                    "activeDeadlineSeconds in " + kind + " is not Supported");
        }
    }

    private static void strategy(@Nullable DeploymentStrategy s, Path p, Errors errs) {
        String type = s == null || str(s.getType()).isEmpty() ? "RollingUpdate" : s.getType();
        switch (type) {
            case "Recreate" -> {
                if (s != null && s.getRollingUpdate() != null) {
                    errs.forbidden(p.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
                }
            }
            case "RollingUpdate" -> {
                RollingUpdateDeployment ru = s == null ? null : s.getRollingUpdate();
                IntOrString maxUnavailable =
                        ru == null || ru.getMaxUnavailable() == null ? new IntOrString("25%") : ru.getMaxUnavailable();
                IntOrString maxSurge =
                        ru == null || ru.getMaxSurge() == null ? new IntOrString("25%") : ru.getMaxSurge();
                Path rp = p.child("rollingUpdate");
                intOrPercent(maxUnavailable, rp.child("maxUnavailable"), errs);
                intOrPercent(maxSurge, rp.child("maxSurge"), errs);
                if (value(maxUnavailable) == 0 && value(maxSurge) == 0) {
                    errs.invalid(
                            rp.child("maxUnavailable"), render(maxUnavailable), "may not be 0 when `maxSurge` is 0");
                }
                if (isPercent(maxUnavailable) && value(maxUnavailable) > 100) {
                    errs.invalid(rp.child("maxUnavailable"), render(maxUnavailable), "must not be greater than 100%");
                }
            }
            default -> errs.notSupported(p, type, List.of("Recreate", "RollingUpdate"));
        }
    }

    private static void intOrPercent(IntOrString v, Path p, Errors errs) {
        if (v.getStrVal() != null) {
            if (!Names.isPercent(v.getStrVal())) {
                errs.invalid(p, v.getStrVal(), Names.PERCENT_MSG);
            }
        } else {
            JobRules.nonNegative(v.getIntVal() == null ? 0 : v.getIntVal(), p, errs);
        }
    }

    private static boolean isPercent(IntOrString v) {
        return v.getStrVal() != null && Names.isPercent(v.getStrVal());
    }

    private static long value(IntOrString v) {
        if (v.getStrVal() != null) {
            if (!Names.isPercent(v.getStrVal())) {
                return 0;
            }
            String digits = v.getStrVal().substring(0, v.getStrVal().length() - 1);
            return digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        }
        return v.getIntVal() == null ? 0 : v.getIntVal();
    }

    private static Object render(IntOrString v) {
        return v.getStrVal() != null ? v.getStrVal() : (Object) (v.getIntVal() == null ? 0 : v.getIntVal());
    }

    /**
     * Go's {@code ValidateStatefulSetSpec} on create: the claim templates' specs, the service name,
     * and the whole pod template, validated as the controller will fill it in (no hostname or
     * subdomain, a volume for each claim template); its labels and annotations are checked twice,
     * as the server does.
     */
    public static void statefulSet(StatefulSet s, Errors errs) {
        StatefulSetSpec spec = s.getSpec() == null ? new StatefulSetSpec() : s.getSpec();
        Path sp = Path.root("spec");
        String policy = str(spec.getPodManagementPolicy()).isEmpty() ? "OrderedReady" : spec.getPodManagementPolicy();
        if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
            errs.invalid(sp.child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'");
        }
        StatefulSetUpdateStrategy us = spec.getUpdateStrategy();
        String type = us == null || str(us.getType()).isEmpty() ? "RollingUpdate" : us.getType();
        switch (type) {
            case "OnDelete" -> {
                if (us != null && us.getRollingUpdate() != null) {
                    errs.invalidNoValue(
                            sp.child("updateStrategy", "rollingUpdate"),
                            "only allowed for updateStrategy 'RollingUpdate'");
                }
            }
            case "RollingUpdate" -> {
                if (us != null && us.getRollingUpdate() != null) {
                    Path rp = sp.child("updateStrategy", "rollingUpdate");
                    JobRules.nonNegative(us.getRollingUpdate().getPartition(), rp.child("partition"), errs);
                    IntOrString mu = us.getRollingUpdate().getMaxUnavailable();
                    if (mu != null) {
                        intOrPercent(mu, rp.child("maxUnavailable"), errs);
                        if (value(mu) == 0) {
                            errs.invalid(rp.child("maxUnavailable"), render(mu), "cannot be 0");
                        }
                        if (isPercent(mu) && value(mu) > 100) {
                            errs.invalid(rp.child("maxUnavailable"), render(mu), "must not be greater than 100%");
                        }
                    }
                }
            }
            default -> errs.invalidNoValue(sp.child("updateStrategy"), "must be 'RollingUpdate' or 'OnDelete'");
        }
        if (spec.getPersistentVolumeClaimRetentionPolicy() != null) {
            Path rp = sp.child("persistentVolumeClaimRetentionPolicy");
            retention(spec.getPersistentVolumeClaimRetentionPolicy().getWhenDeleted(), rp.child("whenDeleted"), errs);
            retention(spec.getPersistentVolumeClaimRetentionPolicy().getWhenScaled(), rp.child("whenScaled"), errs);
        }
        List<PersistentVolumeClaim> claims =
                spec.getVolumeClaimTemplates() == null ? List.of() : spec.getVolumeClaimTemplates();
        for (int i = 0; i < claims.size(); i++) {
            StorageRules.claimSpec(
                    claims.get(i).getSpec(),
                    sp.child("volumeClaimTemplates").index(i).child("spec"),
                    errs);
        }
        JobRules.nonNegative(spec.getReplicas(), sp.child("replicas"), errs);
        JobRules.nonNegative(spec.getMinReadySeconds(), sp.child("minReadySeconds"), errs);
        if (spec.getOrdinals() != null) {
            JobRules.nonNegative(spec.getOrdinals().getStart(), sp.child("ordinals.start"), errs);
        }
        String serviceName = str(spec.getServiceName());
        if (!serviceName.isEmpty()) {
            errs.invalidEach(sp.child("serviceName"), serviceName, Names.dns1123Label(serviceName));
        }
        selector(spec.getSelector(), "statefulset", sp, errs);
        Path tp = sp.child("template");
        if (!MetaRules.selectorUsable(spec.getSelector())) {
            errs.invalidNoValue(sp.child("selector"), "");
        } else {
            PodTemplateSpec t = asFilledIn(spec.getTemplate(), claims);
            Map<String, String> labels =
                    t.getMetadata() == null ? null : t.getMetadata().getLabels();
            selectorMatches(spec.getSelector(), labels, tp, errs);
            PodRules.template(t, tp, errs);
            PodRules.templateMeta(t, tp, errs);
        }
        restartAlways(spec.getTemplate(), "StatefulSet", tp, errs);
    }

    /**
     * The template as the StatefulSet controller completes it, which is what the server validates:
     * hostname and subdomain cleared (the controller sets them), and one volume per claim template,
     * named after it, in place of a template volume of the same name.
     */
    private static PodTemplateSpec asFilledIn(@Nullable PodTemplateSpec t, List<PersistentVolumeClaim> claims) {
        PodTemplateSpec tpl = t == null ? new PodTemplateSpec() : t;
        PodSpec spec = tpl.getSpec();
        if (spec == null
                || (str(spec.getHostname()).isEmpty()
                        && str(spec.getSubdomain()).isEmpty()
                        && claims.isEmpty())) {
            return tpl;
        }
        Map<String, Volume> claimVolumes = new LinkedHashMap<>();
        for (PersistentVolumeClaim claim : claims) {
            String name =
                    claim.getMetadata() == null ? "" : str(claim.getMetadata().getName());
            claimVolumes.put(
                    name,
                    new VolumeBuilder()
                            .withName(name)
                            .withNewPersistentVolumeClaim()
                            .withClaimName(name)
                            .endPersistentVolumeClaim()
                            .build());
        }
        List<Volume> volumes = new ArrayList<>(claimVolumes.values());
        if (spec.getVolumes() != null) {
            for (Volume v : spec.getVolumes()) {
                if (!claimVolumes.containsKey(str(v.getName()))) {
                    volumes.add(v);
                }
            }
        }
        PodSpec filled = new PodSpecBuilder(spec)
                .withHostname(null)
                .withSubdomain(null)
                .withVolumes(volumes)
                .build();
        return new PodTemplateSpecBuilder()
                .withMetadata(tpl.getMetadata())
                .withSpec(filled)
                .build();
    }

    private static void retention(@Nullable String policy, Path p, Errors errs) {
        // Both fields default to Retain.
        String v = policy == null || policy.isEmpty() ? "Retain" : policy;
        if (!v.equals("Retain") && !v.equals("Delete")) {
            errs.notSupported(p, v, List.of("Retain", "Delete"));
        }
    }
}
