package io.spikewatch.detection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

class RollingBaselineTest {
    private static final double DECAY = RollingBaseline.decayForHalfLife(30);

    @Test
    void skippedWindowsEqualFoldingZerosOneByOne() {
        RollingBaseline closedForm = new RollingBaseline();
        RollingBaseline explicit = new RollingBaseline();
        closedForm.fold(100, 40, DECAY);
        explicit.fold(100, 40, DECAY);
        closedForm.fold(101, 60, DECAY);
        explicit.fold(101, 60, DECAY);

        closedForm.fold(150, 10, DECAY);
        for (long w = 102; w < 150; w++) explicit.fold(w, 0, DECAY);
        explicit.fold(150, 10, DECAY);

        // Stored as floats: equal to float precision, not bit for bit.
        assertThat((double) closedForm.weight).isCloseTo(explicit.weight, withinPercentage(1e-4));
        assertThat((double) closedForm.sum).isCloseTo(explicit.sum, withinPercentage(1e-4));
        assertThat((double) closedForm.sumSquares).isCloseTo(explicit.sumSquares, withinPercentage(1e-4));
    }

    @Test
    void estimateForAFutureWindowCountsTheIdleGapAsZerosWithoutChangingState() {
        RollingBaseline b = new RollingBaseline();
        for (long w = 0; w < 200; w++) b.fold(w, 100, DECAY);
        float weightBefore = b.weight;

        BaselineEstimate next = b.estimateFor(200, DECAY);
        BaselineEstimate afterHalfLife = b.estimateFor(230, DECAY);

        assertThat(next.mean()).isCloseTo(100, within(1e-3)); // float sums
        assertThat(next.variance()).isCloseTo(0, within(0.05)); // float sums: 1e4 - 1e4 leaves rounding
        // 29 zero windows ≈ a half-life: the mean of a constant 100 drops to about half.
        assertThat(afterHalfLife.mean()).isBetween(45.0, 55.0);
        assertThat(afterHalfLife.variance()).isGreaterThan(1000);
        assertThat(b.weight).isEqualTo(weightBefore);
    }

    @Test
    void meanAndVarianceTrackAnAlternatingSeries() {
        RollingBaseline b = new RollingBaseline();
        for (long w = 0; w < 2000; w++) b.fold(w, w % 2 == 0 ? 90 : 110, DECAY);
        BaselineEstimate e = b.estimateFor(2000, DECAY);
        assertThat(e.mean()).isCloseTo(100, within(0.5));
        assertThat(e.stddev()).isCloseTo(10, within(0.5));
        // Effective sample size converges to 1 / (1 - d).
        assertThat(e.weight()).isCloseTo(1 / (1 - DECAY), within(0.01));
    }

    @Test
    void olderOrRepeatedWindowsAreIgnored() {
        RollingBaseline b = new RollingBaseline();
        b.fold(10, 5, DECAY);
        b.fold(10, 500, DECAY);
        b.fold(9, 500, DECAY);
        assertThat(b.sum).isEqualTo(5);
        assertThat(b.lastWindow).isEqualTo(10);
    }

    @Test
    void emptyBaselineHasNoWeight() {
        assertThat(new RollingBaseline().estimateFor(5, DECAY)).isEqualTo(BaselineEstimate.EMPTY);
    }
}
