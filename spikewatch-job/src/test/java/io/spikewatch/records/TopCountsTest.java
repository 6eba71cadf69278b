package io.spikewatch.records;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopCountsTest {
    @Test
    void keepsFrequentValuesUnderAFloodOfDistinctOnes() {
        TopCounts t = TopCounts.withCapacity(8); // guarantee: values above N/k = 312 are kept
        for (int i = 0; i < 1000; i++) {
            t.add("/login");
            if (i % 2 == 0) t.add("/search");
            t.add("/random-" + i); // attacker-style unique values
        }
        assertThat(t.size).isEqualTo(8);
        assertThat(t.top(2)).extracting(TopCounts.Entry::value).containsExactly("/login", "/search");
        assertThat(t.top(1).get(0).count()).isEqualTo(1000);
    }

    @Test
    void ordersByCountThenValueAndIgnoresNull() {
        TopCounts t = TopCounts.withCapacity(8);
        t.add("b");
        t.add("a");
        t.add(null);
        t.add("c");
        t.add("c");
        assertThat(t.top(10)).extracting(TopCounts.Entry::value).containsExactly("c", "a", "b");
    }

    @Test
    void copyIsIndependent() {
        TopCounts t = TopCounts.withCapacity(2);
        t.add("x");
        TopCounts c = t.copy();
        t.add("x");
        assertThat(c.top(1).get(0).count()).isEqualTo(1);
    }
}
