package io.spikewatch.detection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpikeRuleTest {
    private static final SpikeRule RULE = new SpikeRule(100, 300, 6, 3, 10, 0.25);
    private static final long MINUTE = 60_000;

    @Test
    void newKeyUsesTheAbsoluteRateButNeverLessThanMinVolume() {
        BaselineEstimate none = new BaselineEstimate(0, 0, 2);
        assertThat(RULE.isEstablished(none)).isFalse();
        assertThat(RULE.threshold(none, 1.0)).isEqualTo(300);
        assertThat(RULE.threshold(none, 0.5)).isEqualTo(150);
        // Pro-rated 0.25 × 300 = 75 is below min-volume: min-volume is never pro-rated.
        assertThat(RULE.threshold(none, 0.25)).isEqualTo(100);
    }

    @Test
    void aKeyIsEstablishedAfterWarmupWindowsOfHistoryWhateverTheHalfLife() {
        // 5-minute windows, 30-minute half-life: the decayed weight never reaches 10, the count does.
        double decay = RollingBaseline.decayForHalfLife(6);
        RollingBaseline b = new RollingBaseline();
        for (long w = 0; w < 9; w++) b.fold(w, 50, decay);
        assertThat(RULE.isEstablished(b.estimateFor(9, decay))).isFalse();
        b.fold(9, 50, decay);
        assertThat(RULE.isEstablished(b.estimateFor(10, decay))).isTrue();
        for (long w = 10; w < 200; w++) b.fold(w, 50, decay);
        assertThat(b.weight).isLessThan(10f);
        assertThat(RULE.isEstablished(b.estimateFor(200, decay))).isTrue();
    }

    @Test
    void establishedKeyNeedsScoreRatioAndVolume() {
        BaselineEstimate busy = new BaselineEstimate(1000, 400, 50);
        // score: 1000 + 6 * sqrt(1000) (variance floored at the mean) = 1189.7; ratio: 3000.
        assertThat(RULE.threshold(busy, 1.0)).isCloseTo(3000, within(1e-9));
        BaselineEstimate noisy = new BaselineEstimate(1000, 250_000, 50);
        // score: 1000 + 6 * 500 = 4000 beats the ratio.
        assertThat(RULE.threshold(noisy, 1.0)).isCloseTo(4000, within(1e-9));
        BaselineEstimate quiet = new BaselineEstimate(2, 0, 50);
        assertThat(RULE.threshold(quiet, 1.0)).isEqualTo(100);
    }

    @Test
    void poissonFloorKeepsAZeroVarianceKeyFromAlertingOnNoise() {
        BaselineEstimate flat = new BaselineEstimate(400, 0, 50);
        SpikeRule scoreOnly = new SpikeRule(0, 300, 6, 1, 10, 0.25);
        assertThat(scoreOnly.threshold(flat, 1.0)).isCloseTo(400 + 6 * 20, within(1e-9));
    }

    @Test
    void fractionIsProRatedAndFloored() {
        long start = 10 * MINUTE;
        assertThat(RULE.fraction(start, start, MINUTE)).isEqualTo(0.25);
        assertThat(RULE.fraction(start + 30_000 - 1, start, MINUTE)).isCloseTo(0.5, within(1e-9));
        assertThat(RULE.fraction(start + MINUTE - 1, start, MINUTE)).isEqualTo(1.0);
    }

    @Test
    void earlyThresholdScalesWithElapsedFraction() {
        BaselineEstimate b = new BaselineEstimate(1000, 1000, 50);
        assertThat(RULE.threshold(b, 0.5)).isCloseTo(1500, within(1e-9));
        assertThat(RULE.score(b, 1500, 0.5)).isCloseTo(1000 / Math.sqrt(500), within(1e-9));
    }

    @Test
    void ratioFloorsTheMeanAtOneRequest() {
        assertThat(SpikeRule.ratioToBaseline(BaselineEstimate.EMPTY, 50, 0.5)).isEqualTo(50);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new SpikeRule(1, 0, 6, 3, 10, 0.25)).hasMessageContaining("absolute-rate");
        assertThatThrownBy(() -> new SpikeRule(1, 1, 6, 0.5, 10, 0.25)).hasMessageContaining("ratio");
        assertThatThrownBy(() -> new SpikeRule(1, 1, 6, 3, 10, 0)).hasMessageContaining("min-fraction");
        assertThatThrownBy(() -> new SpikeRule(1, 1, 6, 3, 256, 0.25)).hasMessageContaining("warmup-windows");
    }
}
