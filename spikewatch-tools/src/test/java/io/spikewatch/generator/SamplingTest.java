package io.spikewatch.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The random draws the traffic model rests on: Poisson counts, weighted picks, capped shares. */
class SamplingTest {

    @ParameterizedTest(name = "mean {0}")
    @ValueSource(doubles = {0.3, 5, 29.9, 30, 250, 3000})
    void poissonHasTheRightMeanAndVariance(double mean) {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 40_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            int k = PoissonDraw.sample(rnd, mean);
            assertThat(k).isNotNegative();
            sum += k;
            sumSq += (double) k * k;
        }
        double m = sum / n;
        double var = sumSq / n - m * m;
        // Five standard errors of the mean; the variance within 6%.
        assertThat(m).isCloseTo(mean, within(5 * Math.sqrt(mean / n)));
        assertThat(var / mean).isCloseTo(1.0, within(0.06));
    }

    @Test
    void poissonOfNothingIsZero() {
        SplittableRandom rnd = new SplittableRandom(1);
        assertThat(PoissonDraw.sample(rnd, 0)).isZero();
        assertThat(PoissonDraw.sample(rnd, -3)).isZero();
        assertThat(PoissonDraw.sample(rnd, Double.NaN)).isZero();
    }

    @Test
    void logFactorialIsContinuousAcrossTheTableEdge() {
        double exact = 0;
        for (int i = 1; i <= 300; i++) {
            exact += Math.log(i);
            assertThat(PoissonDraw.logFactorial(i)).as("ln %d!", i).isCloseTo(exact, within(1e-9 * exact + 1e-12));
        }
    }

    @Test
    void aliasTablePicksInProportionToWeight() {
        double[] w = {1, 0, 3, 6};
        AliasTable t = new AliasTable(w);
        SplittableRandom rnd = new SplittableRandom(3);
        int[] counts = new int[w.length];
        int n = 100_000;
        for (int i = 0; i < n; i++) counts[t.sample(rnd)]++;
        assertThat(counts[1]).isZero();
        assertThat(counts[0] / (double) n).isCloseTo(0.1, within(0.006));
        assertThat(counts[2] / (double) n).isCloseTo(0.3, within(0.008));
        assertThat(counts[3] / (double) n).isCloseTo(0.6, within(0.008));
    }

    @Test
    void capSharesKeepsOrderSumsToOneAndRespectsTheCap() {
        SplittableRandom rnd = new SplittableRandom(5);
        double[] w = new double[2000];
        for (int i = 0; i < w.length; i++) w[i] = Math.pow(1 - rnd.nextDouble(), -1 / 1.16);
        double[] original = w.clone();
        double cap = 0.01;
        assertThat(Arrays.stream(original).max().orElseThrow() / Arrays.stream(original).sum())
                .as("the raw Pareto draw breaks the cap").isGreaterThan(cap);
        ClientPopulation.capShares(w, cap);
        assertThat(Arrays.stream(w).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(Arrays.stream(w).max().orElseThrow()).isLessThanOrEqualTo(cap + 1e-12);
        for (int i = 0; i < w.length; i++) {
            for (int j = i + 1; j < Math.min(w.length, i + 50); j++) {
                if (original[i] < original[j]) assertThat(w[i]).isLessThanOrEqualTo(w[j]);
            }
        }
        double[] tiny = {5, 1, 1};
        ClientPopulation.capShares(tiny, 0.2);
        assertThat(tiny).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
    }
}
