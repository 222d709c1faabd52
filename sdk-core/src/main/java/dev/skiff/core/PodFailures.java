package dev.skiff.core;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads how a failed Job's pods ended: exit codes, reasons and the last lines of their logs. */
final class PodFailures {
    private static final Logger LOG = LoggerFactory.getLogger(PodFailures.class);
    /** At most this many failures are reported, and their logs read; the newest are kept. */
    static final int MAX_FAILURES = 10;

    private PodFailures() {}

    static List<PodFailure> collect(ClientContext ctx, String namespace, String job) {
        List<Found> found = new ArrayList<>();
        for (Pod pod : JobPods.list(ctx, namespace, job)) {
            found.addAll(of(pod));
        }
        if (found.size() > MAX_FAILURES) {
            found = new ArrayList<>(found.subList(found.size() - MAX_FAILURES, found.size()));
        }
        int tail = ctx.config.logTailLines();
        List<PodFailure> out = new ArrayList<>(found.size());
        for (Found f : found) {
            out.add(tail == 0 ? f.failure() : withLog(ctx, namespace, f, tail));
        }
        return out;
    }

    /** A failure, and whether it is of the container instance before the current one. */
    record Found(PodFailure failure, boolean previous) {}

    private static PodFailure withLog(ClientContext ctx, String namespace, Found found, int tail) {
        PodFailure f = found.failure();
        if (f.container().isEmpty()) {
            return f;
        }
        List<String> lines;
        try {
            lines = JobPods.lines(JobPods.log(ctx, namespace, f.pod(), f.container(), found.previous(), tail));
        } catch (SkiffException e) {
            LOG.debug("no log for {} [{}]: {}", f.pod(), f.container(), e.getMessage());
            lines = List.of();
        }
        return new PodFailure(f.pod(), f.index(), f.container(), f.exitCode(), f.reason(), f.message(), lines);
    }

    /** The failures one pod shows: each container that exited non-zero, or the pod's own reason. */
    static List<Found> of(Pod pod) {
        List<Found> out = new ArrayList<>();
        if (pod.getStatus() == null) {
            return out;
        }
        String name = pod.getMetadata().getName();
        OptionalInt index = JobPods.index(pod);
        for (ContainerStatus cs : JobPods.statuses(pod)) {
            ContainerStateTerminated t =
                    cs.getState() == null ? null : cs.getState().getTerminated();
            boolean previous = false;
            if ((t == null || orZero(t.getExitCode()) == 0) && cs.getLastState() != null) {
                ContainerStateTerminated last = cs.getLastState().getTerminated();
                if (last != null && orZero(last.getExitCode()) != 0) {
                    t = last;
                    previous = true;
                }
            }
            if (t != null && orZero(t.getExitCode()) != 0) {
                String message = t.getMessage() == null ? "" : t.getMessage();
                out.add(new Found(
                        new PodFailure(
                                name,
                                index,
                                cs.getName(),
                                t.getExitCode(),
                                t.getReason() == null ? "" : t.getReason(),
                                message,
                                List.of()),
                        previous));
            }
        }
        if (out.isEmpty() && "Failed".equals(pod.getStatus().getPhase())) {
            out.add(new Found(
                    new PodFailure(
                            name,
                            index,
                            "",
                            -1,
                            pod.getStatus().getReason() == null
                                    ? "Failed"
                                    : pod.getStatus().getReason(),
                            pod.getStatus().getMessage() == null
                                    ? ""
                                    : pod.getStatus().getMessage(),
                            List.of()),
                    false));
        }
        return out;
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
