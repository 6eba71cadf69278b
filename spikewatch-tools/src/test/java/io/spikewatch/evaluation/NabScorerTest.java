package io.spikewatch.evaluation;

import io.spikewatch.evaluation.NabScorer.FileScore;
import io.spikewatch.evaluation.NabScorer.Profile;
import io.spikewatch.evaluation.NabScorer.Window;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** NAB's scoring rules on hand-made series: 1,000 rows (150 probationary) and one window 500..599. */
class NabScorerTest {
    private static final int ROWS = 1000;
    private static final Window WINDOW = new Window(500, 599);
    private static final Profile STANDARD = Profile.STANDARD;

    private static FileScore score(int... flagged) {
        return NabScorer.score(ROWS, List.of(WINDOW), flagged, STANDARD);
    }

    @Test
    void scaledSigmoidMatchesNab() {
        assertThat(NabScorer.scaledSigmoid(-1)).isCloseTo(0.98661, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(-0.5)).isCloseTo(0.84828, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(0)).isZero();
        assertThat(NabScorer.scaledSigmoid(1)).isCloseTo(-0.98661, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(3)).isEqualTo(-1);
    }

    @Test
    void probationIsFifteenPercentCappedAt750() {
        assertThat(NabScorer.probationaryRows(1000)).isEqualTo(150);
        assertThat(NabScorer.probationaryRows(4032)).isEqualTo(604);
        assertThat(NabScorer.probationaryRows(10320)).isEqualTo(750);
    }

    @Test
    void nullDetectorCostsOneFalseNegativePerWindow() {
        FileScore s = score();
        assertThat(s.raw()).isEqualTo(-1.0);
        assertThat(s.rawNull()).isEqualTo(-1.0);
        assertThat(s.falseNegatives()).isEqualTo(1);
        assertThat(NabScorer.normalised(List.of(s))).isZero();
    }

    @Test
    void detectionAtTheWindowStartScoresATruePositiveOfOneAndIsPerfect() {
        FileScore s = score(500);
        assertThat(s.raw()).isCloseTo(1.0, within(1e-12));
        assertThat(s.rawPerfect()).isCloseTo(1.0, within(1e-12));
        assertThat(s.truePositives()).isEqualTo(1);
        assertThat(NabScorer.normalised(List.of(s))).isCloseTo(100, within(1e-9));
    }

    @Test
    void detectionAtTheWindowEndScoresAlmostNothing() {
        // y = -1/100: sigma = 0.0250, divided by sigma(-1).
        assertThat(score(599).raw()).isCloseTo(NabScorer.scaledSigmoid(-0.01) / NabScorer.scaledSigmoid(-1), within(1e-12))
                .isBetween(0.0, 0.03);
        assertThat(score(550).raw()).isCloseTo(NabScorer.scaledSigmoid(-0.5) / NabScorer.scaledSigmoid(-1), within(1e-12));
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCounts() {
        assertThat(score(520, 540, 598).raw()).isEqualTo(score(520).raw());
        assertThat(score(520, 540, 598).detections()).isEqualTo(3);
        assertThat(score(520, 540, 598).falsePositives()).isZero();
    }

    @Test
    void falsePositiveFarFromWindowsCostsTheFullWeight() {
        // Before any window: full weight; long after the window (y >= 3): full weight.
        assertThat(score(300).raw()).isCloseTo(-1.0 - 0.11, within(1e-12));
        assertThat(score(300).falsePositives()).isEqualTo(1);
        assertThat(score(999).raw()).isCloseTo(-1.0 + 0.11 * NabScorer.scaledSigmoid(400.0 / 99), within(1e-12));
        assertThat(NabScorer.scaledSigmoid(400.0 / 99)).isEqualTo(-1);
    }

    @Test
    void falsePositiveRightAfterAWindowCostsLittle() {
        // One row after the window: y = 1/99, sigma slightly positive, so NAB even adds a little.
        double justAfter = score(600).raw() + 1.0;
        assertThat(justAfter).isCloseTo(0.11 * NabScorer.scaledSigmoid(1.0 / 99), within(1e-12));
        double halfWindowAfter = score(649).raw() + 1.0;
        assertThat(halfWindowAfter).isLessThan(justAfter).isCloseTo(0.11 * NabScorer.scaledSigmoid(50.0 / 99), within(1e-12));
    }

    @Test
    void probationaryDetectionsAreIgnored() {
        assertThat(score(10, 149).raw()).isEqualTo(-1.0);
        assertThat(score(10, 149).detections()).isZero();
        assertThat(score(150).falsePositives()).isEqualTo(1);
    }

    @Test
    void aWindowInsideTheProbationIsNotScoredButStillDampsTheFollowingFalsePositives() {
        FileScore s = NabScorer.score(ROWS, List.of(new Window(100, 149)), new int[] {150}, STANDARD);
        assertThat(s.windows()).isZero();
        assertThat(s.rawNull()).isZero();
        assertThat(s.raw()).isCloseTo(0.11 * NabScorer.scaledSigmoid(1.0 / 49), within(1e-12));
    }

    @Test
    void normalisedScoreSumsRawScoresOverFiles() {
        FileScore perfect = score(500);
        FileScore missed = score();
        FileScore noWindows = NabScorer.score(ROWS, List.of(), new int[] {300}, STANDARD);
        // raw 1 - 1 - 0.11, null -2, perfect 2: 100 * 1.89 / 4.
        assertThat(NabScorer.normalised(List.of(perfect, missed, noWindows))).isCloseTo(47.25, within(1e-9));
        assertThat(NabScorer.normalised(List.of(noWindows))).isNaN();
    }

    @Test
    void rejectsWindowsAndRowsThatDoNotFit() {
        assertThatThrownBy(() -> NabScorer.score(100, List.of(new Window(90, 100)), new int[0], STANDARD))
                .hasMessageContaining("beyond the last row");
        assertThatThrownBy(() -> NabScorer.score(100, List.of(new Window(10, 20), new Window(20, 30)), new int[0], STANDARD))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> score(1000)).hasMessageContaining("outside");
    }
}
