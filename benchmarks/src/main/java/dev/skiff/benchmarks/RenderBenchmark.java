package dev.skiff.benchmarks;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Skiff;
import dev.skiff.core.validation.Validator;
import dev.skiff.core.validation.Violation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Goal: building, rendering and validating a typical GPU training job with Skiff takes at most
 * 1.5× as long as building the same Job with fabric8's {@code JobBuilder} and serialising it.
 *
 * <p>{@link #skiff} and {@link #fabric8} are the two sides of the goal; the other benchmarks split
 * them into parts, to show where the time goes. {@link RenderBenchmarkMain} runs the two sides
 * alternately and prints the ratio; this class alone runs in about 110 seconds.
 *
 * <p>The warm-ups differ on purpose. On a shared 2-core machine the JIT needs about 15 seconds
 * before {@link #fabric8} settles (its builders and the YAML path are many methods for one C2
 * thread to compile), about 8 before {@link #skiff} does, and about 10 for the YAML parts; an
 * under-warmed side makes the ratio meaningless. The small parts settle within a few seconds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 6, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class RenderBenchmark {
    private BatchJob skiffJob;
    private Job fabric8Job;

    /** Prebuilds one job of each kind, for the benchmarks that measure one part. */
    @Setup
    public void setUp() {
        skiffJob = TypicalTrainingJob.withSkiff();
        fabric8Job = TypicalTrainingJob.withFabric8();
    }

    /** Skiff, whole: {@code BatchJob.builder()...build()} (renders and validates), then {@code Skiff.toYaml}. */
    @Benchmark
    @Warmup(iterations = 20)
    public String skiff() {
        return Skiff.toYaml(TypicalTrainingJob.withSkiff());
    }

    /** fabric8, whole: {@code new JobBuilder()...build()}, then {@code Serialization.asYaml}. */
    @Benchmark
    @Warmup(iterations = 20)
    public String fabric8() {
        return Serialization.asYaml(TypicalTrainingJob.withFabric8());
    }

    /** Part (a): Skiff's {@code build()} only, which renders the Job and validates it. */
    @Benchmark
    public BatchJob skiffBuild() {
        return TypicalTrainingJob.withSkiff();
    }

    /** Part (b): {@code Skiff.toYaml} only, on a prebuilt job; it renders again and serialises. */
    @Benchmark
    @Warmup(iterations = 12)
    public String skiffToYaml() {
        return Skiff.toYaml(skiffJob);
    }

    /** Part (c): {@code Validator.validate} only, on a prebuilt fabric8 Job. */
    @Benchmark
    public List<Violation> skiffValidate() {
        return Validator.validate(fabric8Job);
    }

    /** Part (d): fabric8's {@code JobBuilder} only. */
    @Benchmark
    public Job fabric8Build() {
        return TypicalTrainingJob.withFabric8();
    }

    /** Part (e): fabric8's {@code Serialization.asYaml} only, on a prebuilt Job. */
    @Benchmark
    @Warmup(iterations = 12)
    public String fabric8ToYaml() {
        return Serialization.asYaml(fabric8Job);
    }
}
