package dev.skiff.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.immutables.value.Value;

/**
 * What the simulated kubelet does with a pod of an {@link InMemoryCluster}: run for a while and
 * exit with a code, be OOM-killed, fail to pull its image, or run until deleted, printing log
 * lines that the pod {@code log} endpoint serves.
 *
 * <pre>{@code
 * cluster.onPods("app=trainer", PodScript.succeedAfter(Duration.ofMinutes(30)).withLogs("epoch 1", "epoch 2"));
 * cluster.onPods("batch.kubernetes.io/job-name=flaky", PodScript.failAfter(Duration.ofSeconds(5), 1));
 * cluster.onPods("app=broken", PodScript.imagePullFailure());
 * }</pre>
 *
 * <p>Without a script, pods owned by a Job succeed at once and other pods run until deleted; kwok's
 * pod annotations ({@code pod-complete.stage.kwok.x-k8s.io/delay}, {@code
 * pod-container-running-failed.stage.kwok.x-k8s.io} with {@code /exit-code}, {@code /reason} and
 * {@code /delay}) choose an outcome per pod as on a kwok cluster.
 */
@Value.Immutable
public abstract class PodScript {
    PodScript() {}

    /** How a scripted pod ends. */
    public enum Ending {
        /** The containers exit with code 0 after {@link #runFor()}. */
        SUCCEED,
        /** The containers exit with {@link #exitCode()} after {@link #runFor()}. */
        FAIL,
        /** The containers are OOM-killed (exit code 137, reason {@code OOMKilled}) after {@link #runFor()}. */
        OOM_KILLED,
        /** The image cannot be pulled: the pod stays Pending with {@code ErrImagePull} / {@code ImagePullBackOff}. */
        IMAGE_PULL_FAILURE,
        /** The containers run until the pod is deleted. */
        RUN_FOREVER
    }

    /** Returns how the pod ends. */
    public abstract Ending ending();

    /** Returns how long the containers run before they end. */
    @Value.Default
    public Duration runFor() {
        return Duration.ZERO;
    }

    /** Returns the exit code, for {@link Ending#FAIL}. */
    @Value.Default
    public int exitCode() {
        return 0;
    }

    /** Returns the log lines every container prints when it starts. */
    public abstract List<String> logLines();

    /**
     * The pod's containers exit with code 0 after {@code duration}.
     *
     * @param duration virtual time the containers run
     * @return the script
     */
    public static PodScript succeedAfter(Duration duration) {
        return ImmutablePodScript.builder()
                .ending(Ending.SUCCEED)
                .runFor(check(duration))
                .build();
    }

    /**
     * The pod's containers exit with {@code exitCode} after {@code duration}.
     *
     * @param duration virtual time the containers run
     * @param exitCode a non-zero exit code
     * @return the script
     */
    public static PodScript failAfter(Duration duration, int exitCode) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("exitCode must not be 0 for a failure; use succeedAfter");
        }
        return ImmutablePodScript.builder()
                .ending(Ending.FAIL)
                .runFor(check(duration))
                .exitCode(exitCode)
                .build();
    }

    /**
     * The pod's containers are OOM-killed after {@code duration}.
     *
     * @param duration virtual time the containers run
     * @return the script
     */
    public static PodScript oomKilledAfter(Duration duration) {
        return ImmutablePodScript.builder()
                .ending(Ending.OOM_KILLED)
                .runFor(check(duration))
                .exitCode(137)
                .build();
    }

    /** The pod's image cannot be pulled; it stays Pending. */
    public static PodScript imagePullFailure() {
        return ImmutablePodScript.builder().ending(Ending.IMAGE_PULL_FAILURE).build();
    }

    /** The pod's containers run until the pod is deleted. */
    public static PodScript runForever() {
        return ImmutablePodScript.builder().ending(Ending.RUN_FOREVER).build();
    }

    /**
     * Returns a copy whose containers print {@code lines}.
     *
     * @param lines log lines, in order
     * @return the copy
     */
    public PodScript withLogs(String... lines) {
        return ImmutablePodScript.builder()
                .from(this)
                .logLines(Arrays.asList(lines))
                .build();
    }

    private static Duration check(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, but was " + d);
        }
        return d;
    }
}
