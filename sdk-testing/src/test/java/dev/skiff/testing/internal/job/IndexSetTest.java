package dev.skiff.testing.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IndexSetTest {

    @Test
    void compressesRunsOfThreeOrMoreWithADash() {
        assertThat(IndexSet.of(List.of(7, 1, 4, 3, 5))).hasToString("1,3-5,7");
    }

    @Test
    void writesTwoAdjacentIndexesWithACommaLikeTheController() {
        assertThat(IndexSet.of(List.of(1, 2))).hasToString("1,2");
        assertThat(IndexSet.of(List.of(0, 1, 2))).hasToString("0-2");
    }

    @Test
    void parsesTheCompressedFormAndDropsIndexesBeyondCompletions() {
        IndexSet set = IndexSet.parse("1,3-5,7,9-12", 11);

        assertThat(set).hasToString("1,3-5,7,9,10");
        assertThat(set.size()).isEqualTo(7);
        assertThat(set.contains(4)).isTrue();
        assertThat(set.contains(6)).isFalse();
    }

    @Test
    void mergesAdjacentIntervalsWhenIndexesAreAdded() {
        assertThat(IndexSet.parse("0,1", 10).with(List.of(2, 4)).union(IndexSet.of(List.of(3))))
                .hasToString("0-4");
    }

    @Test
    void listsTheLowestMissingIndexesFirst() {
        assertThat(IndexSet.parse("0,2-3", 8).firstMissing(3, 8)).containsExactly(1, 4, 5);
        assertThat(IndexSet.parse("0-2", 4).firstMissing(5, 4)).containsExactly(3);
    }

    @Test
    void countsTheOverlapOfTwoSets() {
        assertThat(IndexSet.parse("1-4", 10).countIn(IndexSet.parse("1,3,5", 10)))
                .isEqualTo(2);
    }
}
