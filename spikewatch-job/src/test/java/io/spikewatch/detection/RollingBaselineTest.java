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
        // The decayed weight converges to 1 / (1 - d); the window count saturates at its cap.
        assertThat((double) b.weight).isCloseTo(1 / (1 - DECAY), within(0.01));
        assertThat(e.windows()).isEqualTo(RollingBaseline.MAX_WINDOWS);
    }

    @Test
    void windowsCountHistoryIncludingIdleWindowsWithoutDecay() {
        // Half-life 6 windows (30m of 5m windows): the weight saturates near 8.7, below a warm-up of 10.
        double decay = RollingBaseline.decayForHalfLife(6);
        RollingBaseline b = new RollingBaseline();
        b.fold(1000, 7, decay);
        assertThat(b.windows).isEqualTo((short) 1);
        for (long w = 1001; w < 1012; w++) b.fold(w, 7, decay);
        assertThat(b.windows).isEqualTo((short) 12);
        assertThat(b.weight).isLessThan(10f);
        // Three idle windows, then the next: all four count.
        b.fold(1015, 7, decay);
        assertThat(b.windows).isEqualTo((short) 16);
        // The estimate for a later window counts the idle ones before it, without changing the state.
        assertThat(b.estimateFor(1020, decay).windows()).isEqualTo(20);
        assertThat(b.windows).isEqualTo((short) 16);
        // Repeated windows do not count twice.
        b.fold(1015, 7, decay);
        assertThat(b.windows).isEqualTo((short) 16);
    }

    @Test
    void windowsSaturateAtTheCapEvenAcrossAHugeGap() {
        RollingBaseline b = new RollingBaseline();
        b.fold(0, 1, DECAY);
        b.fold(Long.MAX_VALUE / 2, 1, DECAY);
        assertThat(b.windows).isEqualTo((short) RollingBaseline.MAX_WINDOWS);
        assertThat(b.estimateFor(Long.MAX_VALUE / 2 + 10, DECAY).windows()).isEqualTo(RollingBaseline.MAX_WINDOWS);
        RollingBaseline steady = new RollingBaseline();
        for (long w = 0; w < 300; w++) steady.fold(w, 1, DECAY);
        assertThat(steady.windows).isEqualTo((short) RollingBaseline.MAX_WINDOWS);
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
