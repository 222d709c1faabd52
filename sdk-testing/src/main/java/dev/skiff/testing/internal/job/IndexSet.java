package dev.skiff.testing.internal.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered set of completion indexes held as disjoint intervals, with the compressed
 * text form the Job status uses ({@code completedIndexes}, {@code failedIndexes}, success policy
 * {@code succeededIndexes}).
 *
 * <p>The text form follows the controller exactly: runs of three or more indexes are written
 * {@code first-last}, two adjacent indexes are written {@code a,b}, so {@code {1,3,4,5,7}} is
 * {@code "1,3-5,7"} and {@code {1,2}} is {@code "1,2"}.
 */
final class IndexSet {

    private static final IndexSet EMPTY = new IndexSet(List.of());

    /** Inclusive intervals, sorted, disjoint and not adjacent. */
    private final List<int[]> intervals;

    private IndexSet(List<int[]> intervals) {
        this.intervals = intervals;
    }

    static IndexSet empty() {
        return EMPTY;
    }

    static IndexSet of(Collection<Integer> indexes) {
        return EMPTY.with(indexes);
    }

    /**
     * Parses the compressed form, keeping only indexes below {@code completions} as the controller
     * does; malformed intervals are skipped.
     */
    static IndexSet parse(String text, int completions) {
        if (text.isEmpty()) {
            return EMPTY;
        }
        List<int[]> result = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] limits = part.split("-", -1);
            int first;
            int last;
            try {
                first = Integer.parseInt(limits[0].trim());
                if (first >= completions) {
                    break;
                }
                last = limits.length > 1 ? Integer.parseInt(limits[1].trim()) : first;
            } catch (NumberFormatException e) {
                continue;
            }
            if (first < 0 || last < first) {
                continue;
            }
            last = Math.min(last, completions - 1);
            add(result, first, last);
        }
        return new IndexSet(List.copyOf(result));
    }

    private static void add(List<int[]> sorted, int first, int last) {
        if (!sorted.isEmpty()) {
            int[] previous = sorted.get(sorted.size() - 1);
            if (first <= previous[1] + 1) {
                previous[1] = Math.max(previous[1], last);
                return;
            }
        }
        sorted.add(new int[] {first, last});
    }

    /** Returns a set with the given indexes added. */
    IndexSet with(Collection<Integer> indexes) {
        if (indexes.isEmpty()) {
            return this;
        }
        TreeSet<Integer> all = new TreeSet<>(indexes);
        List<int[]> merged = new ArrayList<>();
        int i = 0;
        for (int index : all) {
            while (i < intervals.size() && intervals.get(i)[0] < index) {
                int[] interval = intervals.get(i++);
                add(merged, interval[0], interval[1]);
            }
            add(merged, index, index);
        }
        while (i < intervals.size()) {
            int[] interval = intervals.get(i++);
            add(merged, interval[0], interval[1]);
        }
        return new IndexSet(List.copyOf(merged));
    }

    /** Returns the union of both sets. */
    IndexSet union(IndexSet other) {
        List<int[]> merged = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < intervals.size() || j < other.intervals.size()) {
            int[] next;
            if (j >= other.intervals.size()
                    || (i < intervals.size()
                            && intervals.get(i)[0] < other.intervals.get(j)[0])) {
                next = intervals.get(i++);
            } else {
                next = other.intervals.get(j++);
            }
            add(merged, next[0], next[1]);
        }
        return new IndexSet(List.copyOf(merged));
    }

    boolean contains(int index) {
        for (int[] interval : intervals) {
            if (index < interval[0]) {
                return false;
            }
            if (index <= interval[1]) {
                return true;
            }
        }
        return false;
    }

    int size() {
        int total = 0;
        for (int[] interval : intervals) {
            total += interval[1] - interval[0] + 1;
        }
        return total;
    }

    boolean isEmpty() {
        return intervals.isEmpty();
    }

    /** The number of indexes of {@code this} that are also in {@code other}. */
    int countIn(IndexSet other) {
        int count = 0;
        for (int[] a : intervals) {
            for (int[] b : other.intervals) {
                int overlap = Math.min(a[1], b[1]) - Math.max(a[0], b[0]) + 1;
                if (overlap > 0) {
                    count += overlap;
                }
            }
        }
        return count;
    }

    /** The lowest {@code count} indexes below {@code completions} that are not in this set. */
    List<Integer> firstMissing(int count, int completions) {
        List<Integer> result = new ArrayList<>();
        int candidate = 0;
        for (int[] interval : intervals) {
            while (candidate < completions && result.size() < count && candidate < interval[0]) {
                result.add(candidate++);
            }
            candidate = Math.max(candidate, interval[1] + 1);
        }
        while (candidate < completions && result.size() < count) {
            result.add(candidate++);
        }
        return result;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof IndexSet && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int[] interval : intervals) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(interval[0]);
            if (interval[1] > interval[0]) {
                text.append(interval[1] == interval[0] + 1 ? ',' : '-').append(interval[1]);
            }
        }
        return text.toString();
    }
}
