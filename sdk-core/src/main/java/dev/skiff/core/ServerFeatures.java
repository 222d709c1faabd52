package dev.skiff.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before sending, a workload with a field the connected server is too old for: an API
 * server drops fields whose feature it does not have, so the workload would run differently than
 * written. The server's version is read once. A field counts as served from the release that
 * turned its feature on by default (beta or GA), which is when clusters start honouring it.
 */
final class ServerFeatures {
    private static final Logger LOG = LoggerFactory.getLogger(ServerFeatures.class);

    /** A Job spec field and the minor version of Kubernetes 1.x that serves it by default. */
    private record JobField(String path, int minor, Predicate<JobSpec> used) {}

    private static final List<JobField> JOB_FIELDS = List.of(
            new JobField("spec.podFailurePolicy", 26, s -> s.getPodFailurePolicy() != null),
            new JobField("spec.backoffLimitPerIndex", 29, s -> s.getBackoffLimitPerIndex() != null),
            new JobField("spec.maxFailedIndexes", 29, s -> s.getMaxFailedIndexes() != null),
            new JobField("spec.podReplacementPolicy", 29, s -> s.getPodReplacementPolicy() != null),
            new JobField(
                    "spec.podFailurePolicy.rules[].action: FailIndex",
                    29,
                    s -> s.getPodFailurePolicy() != null
                            && s.getPodFailurePolicy().getRules().stream()
                                    .map(PodFailurePolicyRule::getAction)
                                    .anyMatch("FailIndex"::equals)),
            new JobField("spec.successPolicy", 31, s -> s.getSuccessPolicy() != null),
            new JobField("spec.managedBy", 32, s -> s.getManagedBy() != null));

    private final ClientContext ctx;
    private volatile int serverMinor = -1; // -1: not read yet; Integer.MAX_VALUE: unknown, no checks
    private volatile String serverVersion = "";

    ServerFeatures(ClientContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Throws {@link ServerVersionException} if the workload's objects use a field or an API the
     * server does not serve: newer Job fields, a CronJob time zone, or {@code resource.k8s.io/v1}
     * objects (DRA, GA in 1.34).
     */
    void check(List<HasMetadata> objects, String ref) {
        for (HasMetadata extra : objects.subList(1, objects.size())) {
            if ("resource.k8s.io/v1".equals(extra.getApiVersion())) {
                require(34, extra.getKind() + " (resource.k8s.io/v1)", ref);
            }
        }
        check(objects.get(0), ref);
    }

    /** Throws {@link ServerVersionException} if {@code main} uses a field the server does not serve. */
    void check(HasMetadata main, String ref) {
        JobSpec spec = null;
        if (main instanceof Job job) {
            spec = job.getSpec();
        } else if (main instanceof CronJob cron) {
            if (cron.getSpec().getTimeZone() != null) {
                require(25, "spec.timeZone", ref);
            }
            spec = cron.getSpec().getJobTemplate() == null
                    ? null
                    : cron.getSpec().getJobTemplate().getSpec();
        }
        if (spec == null) {
            return;
        }
        for (JobField f : JOB_FIELDS) {
            if (f.used().test(spec)) {
                require(f.minor(), f.path(), ref);
            }
        }
    }

    private void require(int minor, String field, String ref) {
        int server = serverMinor();
        if (server < minor) {
            throw new ServerVersionException(ref, field, "1." + minor, serverVersion);
        }
    }

    private int serverMinor() {
        int m = serverMinor;
        if (m >= 0) {
            return m;
        }
        synchronized (this) {
            if (serverMinor >= 0) {
                return serverMinor;
            }
            VersionInfo info;
            try {
                info = ctx.calls.call("read the server version", ctx.client::getKubernetesVersion);
            } catch (RuntimeException e) {
                // a server that hides /version (some managed clusters do) is trusted
                LOG.debug("could not read the server version: {}; fields are not checked", e.toString());
                info = null;
            }
            int parsed = parseMinor(info);
            serverVersion = info == null ? "unknown" : info.getMajor() + "." + info.getMinor();
            if (parsed < 29 && parsed != Integer.MAX_VALUE) {
                LOG.warn("the API server is Kubernetes {}; Skiff supports 1.29 and newer", serverVersion);
            }
            serverMinor = parsed;
            return parsed;
        }
    }

    static int parseMinor(@Nullable VersionInfo info) {
        if (info == null || !"1".equals(digits(info.getMajor()))) {
            return Integer.MAX_VALUE;
        }
        String minor = digits(info.getMinor());
        try {
            return minor.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(minor);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String digits(@Nullable String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (!Character.isDigit(c)) {
                break;
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
