package io.spikewatch.detection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UniqueCountSketchTest {
    @Test
    void estimatesWithinTenPercentAcrossMagnitudes() {
        for (int n : new int[] {1, 10, 100, 1_000, 10_000, 100_000}) {
            byte[] r = UniqueCountSketch.newRegisters();
            for (int i = 0; i < n; i++) {
                String ip = (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255) + ".7";
                UniqueCountSketch.add(r, ip);
                UniqueCountSketch.add(r, ip); // duplicates must not count
            }
            assertThat((double) UniqueCountSketch.estimate(r)).as("n=%d", n).isBetween(n * 0.9, n * 1.1);
        }
    }

    @Test
    void emptyIsZero() {
        assertThat(UniqueCountSketch.estimate(UniqueCountSketch.newRegisters())).isZero();
        assertThat(UniqueCountSketch.estimate(null)).isZero();
    }
}
