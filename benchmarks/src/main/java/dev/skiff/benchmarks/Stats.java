package dev.skiff.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** The statistics and number formats the benchmark mains share. */
final class Stats {
    private Stats() {}

    static double median(double[] xs) {
        return percentile(xs, 0.5);
    }

    /** The {@code p} quantile (0 to 1), interpolating between neighbours; NaN when empty. */
    static double percentile(double[] xs, double p) {
        double[] s = xs.clone();
        Arrays.sort(s);
        if (s.length == 0) {
            return Double.NaN;
        }
        double pos = p * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(Double.NaN);
    }

    /** Element-wise {@code a[i] / b[i]}. */
    static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    static String verdict(boolean met, String goal) {
        return (met ? "met " : "MISSED ") + goal;
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.1f", x);
    }

    static String fmt2(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    static String fmt3(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    /** {@code min-max} with one decimal. */
    static String spread(double[] xs) {
        return fmt(Arrays.stream(xs).min().orElse(Double.NaN)) + "-"
                + fmt(Arrays.stream(xs).max().orElse(Double.NaN));
    }

    /** {@code min-max} with two decimals. */
    static String spread2(double[] xs) {
        return fmt2(Arrays.stream(xs).min().orElse(Double.NaN)) + "-"
                + fmt2(Arrays.stream(xs).max().orElse(Double.NaN));
    }
}
