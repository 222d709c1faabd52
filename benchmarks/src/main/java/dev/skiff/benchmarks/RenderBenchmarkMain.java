package dev.skiff.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link RenderBenchmark} the way {@code BENCHMARKS.md} asks and prints one table: the two
 * sides of the goal, Skiff and raw fabric8, alternately (Skiff first in odd rounds, fabric8 first
 * in even ones), each in its own JMH fork; then the parts, once. The Skiff/fabric8 ratio is the
 * median of the per-round ratios, with their spread (min–max).
 *
 * <h2>Usage</h2>
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks compile exec:exec
 * ./mvnw -q -pl benchmarks compile exec:exec -Dbenchmark.args="--rounds 6"
 * }</pre>
 *
 * <p>Arguments: {@code --rounds N} (default 3), {@code --no-parts}, {@code --verbose} (JMH's own
 * output, to see why a benchmark failed). With the defaults a run takes about three and a half
 * minutes: each round starts two JVMs and warms each for 20 seconds.
 */
public final class RenderBenchmarkMain {
    /** The goal: Skiff at most this many times slower than raw fabric8. */
    static final double GOAL = 1.5;

    private static final String SKIFF = "skiff";
    private static final String FABRIC8 = "fabric8";
    private static final List<String> PARTS =
            List.of("skiffBuild", "skiffToYaml", "skiffValidate", "fabric8Build", "fabric8ToYaml");
    private static final Map<String, String> LABELS = labels();

    private final int rounds;
    private final boolean parts;
    private final boolean verbose;

    private RenderBenchmarkMain(int rounds, boolean parts, boolean verbose) {
        this.rounds = rounds;
        this.parts = parts;
        this.verbose = verbose;
    }

    /**
     * Runs the benchmarks and prints the table.
     *
     * @param argv {@code --rounds N}, {@code --no-parts}, {@code --verbose}
     * @throws RunnerException if JMH cannot run a benchmark
     */
    public static void main(String[] argv) throws RunnerException {
        // exec:exec hands -Dbenchmark.args over as one (possibly empty) argument
        String[] args = String.join(" ", argv).trim().split("\\s+");
        if (args.length == 1 && args[0].isEmpty()) {
            args = new String[0];
        }
        int rounds = 3;
        boolean parts = true;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--rounds needs a number");
                    }
                    rounds = Integer.parseInt(args[++i]);
                    if (rounds < 1) {
                        throw new IllegalArgumentException("--rounds must be >= 1, but was " + rounds);
                    }
                }
                case "--no-parts" -> parts = false;
                case "--verbose" -> verbose = true;
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument " + args[i] + "; known: --rounds N, --no-parts, --verbose");
            }
        }
        new RenderBenchmarkMain(rounds, parts, verbose).run();
    }

    private void run() throws RunnerException {
        List<Score> skiff = new ArrayList<>();
        List<Score> fabric8 = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            boolean skiffFirst = round % 2 == 1;
            Score first = runOne(skiffFirst ? SKIFF : FABRIC8);
            Score second = runOne(skiffFirst ? FABRIC8 : SKIFF);
            Score s = skiffFirst ? first : second;
            Score f = skiffFirst ? second : first;
            skiff.add(s);
            fabric8.add(f);
            ratios.add(s.mean / f.mean);
            System.out.printf(
                    Locale.ROOT,
                    "round %d/%d (%s first): skiff %.2f +-%.2f us/op, fabric8 %.2f +-%.2f us/op, ratio %.2f%s%n",
                    round,
                    rounds,
                    skiffFirst ? SKIFF : FABRIC8,
                    s.mean,
                    s.error,
                    f.mean,
                    f.error,
                    s.mean / f.mean,
                    s.noisy() || f.noisy() ? "  (noisy: error > 10% of the mean; another load on the machine?)" : "");
        }
        Map<String, Score> partScores = parts ? runParts() : Map.of();

        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-44s %12s %9s %19s %11s %15s%n",
                "benchmark",
                "mean us/op",
                "error",
                "spread (min-max)",
                "alloc B/op",
                "Skiff/fabric8");
        Row skiffRow = Row.of(skiff);
        Row fabric8Row = Row.of(fabric8);
        double ratio = median(ratios);
        String ratioText = String.format(
                Locale.ROOT,
                "%.2f (%.2f-%.2f)",
                ratio,
                ratios.stream().min(Double::compare).orElseThrow(),
                max(ratios));
        printRow(SKIFF, skiffRow, ratioText);
        printRow(FABRIC8, fabric8Row, "1.00");
        if (parts) {
            Map<String, String> pairs = Map.of("skiffBuild", "fabric8Build", "skiffToYaml", "fabric8ToYaml");
            for (String part : PARTS) {
                Score score = partScores.get(part);
                String peer = pairs.get(part);
                String partRatio = peer == null || partScores.get(peer) == null
                        ? "-"
                        : String.format(Locale.ROOT, "%.2f", score.mean / partScores.get(peer).mean);
                printRow(part, Row.of(List.of(score)), partRatio);
            }
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "mean: median over %d alternating rounds for the two sides, one run for the parts;"
                        + " error: JMH 99.9%% CI (largest over the rounds)%n",
                rounds);
        System.out.println("Skiff/fabric8: median of the per-round ratios (min-max); for parts (a)/(d) and (b)/(e)");
        System.out.printf(
                Locale.ROOT,
                "goal: Skiff/fabric8 <= %.1f -> %s (median %.2f)%n",
                GOAL,
                ratio <= GOAL ? "met" : "NOT met",
                ratio);
    }

    private void printRow(String benchmark, Row row, String ratio) {
        System.out.printf(
                Locale.ROOT,
                "%-44s %12s %9s %19s %11s %15s%n",
                LABELS.get(benchmark),
                String.format(Locale.ROOT, row.mean < 1 ? "%.4f" : "%.2f", row.mean),
                String.format(Locale.ROOT, row.mean < 1 ? "+-%.4f" : "+-%.2f", row.error),
                row.spread,
                Double.isNaN(row.alloc) ? "-" : String.format(Locale.ROOT, "%.0f", row.alloc),
                ratio);
    }

    private Score runOne(String benchmark) throws RunnerException {
        ChainedOptionsBuilder options =
                options("^" + Pattern.quote(RenderBenchmark.class.getName() + "." + benchmark) + "$");
        Collection<RunResult> results = new Runner(options.build()).run();
        return scores(results).get(benchmark);
    }

    private Map<String, Score> runParts() throws RunnerException {
        System.out.println("parts: " + String.join(", ", PARTS));
        ChainedOptionsBuilder options = options(
                "^" + Pattern.quote(RenderBenchmark.class.getName() + ".") + "(" + String.join("|", PARTS) + ")$");
        return scores(new Runner(options.build()).run());
    }

    /** Options for one JMH run; warm-up and measurement are as annotated on {@link RenderBenchmark}. */
    private ChainedOptionsBuilder options(String include) {
        return new OptionsBuilder()
                .include(include)
                .forks(1)
                .addProfiler(GCProfiler.class)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
    }

    private static Map<String, Score> scores(Collection<RunResult> results) {
        Map<String, Score> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String method = label.substring(label.lastIndexOf('.') + 1);
            Result<?> primary = result.getPrimaryResult();
            Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
            scores.put(
                    method,
                    new Score(
                            primary.getScore(),
                            primary.getScoreError(),
                            alloc == null ? Double.NaN : alloc.getScore()));
        }
        if (scores.isEmpty()) {
            throw new IllegalStateException("JMH returned no result; run again with --verbose to see why");
        }
        return scores;
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double max(List<Double> values) {
        return values.stream().max(Double::compare).orElseThrow();
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SKIFF, "Skiff: build()+toYaml");
        labels.put(FABRIC8, "fabric8: JobBuilder+asYaml");
        labels.put("skiffBuild", "(a) Skiff build() (render+validate)");
        labels.put("skiffToYaml", "(b) Skiff toYaml, prebuilt (render+yaml)");
        labels.put("skiffValidate", "(c) Validator.validate, prebuilt Job");
        labels.put("fabric8Build", "(d) fabric8 JobBuilder only");
        labels.put("fabric8ToYaml", "(e) fabric8 asYaml, prebuilt Job");
        return labels;
    }

    /** One JMH result: mean and 99.9% error in µs/op, allocation in bytes/op. */
    private record Score(double mean, double error, double alloc) {
        boolean noisy() {
            return !(error <= 0.1 * mean);
        }
    }

    /** A table row: the median over rounds, the largest error and the spread of the means. */
    private record Row(double mean, double error, String spread, double alloc) {
        static Row of(List<Score> scores) {
            List<Double> means = scores.stream().map(Score::mean).toList();
            List<Double> allocs = scores.stream().map(Score::alloc).toList();
            double error = scores.stream().mapToDouble(Score::error).max().orElse(Double.NaN);
            String spread = scores.size() < 2
                    ? "-"
                    : String.format(
                            Locale.ROOT,
                            "%.2f-%.2f",
                            means.stream().min(Double::compare).orElseThrow(),
                            max(means));
            return new Row(median(means), error, spread, median(allocs));
        }
    }
}
