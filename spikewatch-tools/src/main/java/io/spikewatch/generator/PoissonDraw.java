package io.spikewatch.generator;

import java.util.SplittableRandom;

/**
 * Draws Poisson-distributed counts: how many requests arrive in a minute at a given mean rate.
 *
 * <p>Exact for every mean: multiplication of uniforms below 30, Hörmann's PTRS transformed
 * rejection (1993) above, so a 4,000 req/min flood costs a few uniforms rather than 4,000.
 */
final class PoissonDraw {
    private static final double[] LOG_FACTORIAL = new double[256];

    static {
        for (int i = 1; i < LOG_FACTORIAL.length; i++) LOG_FACTORIAL[i] = LOG_FACTORIAL[i - 1] + Math.log(i);
    }

    private PoissonDraw() {}

    static int sample(SplittableRandom rnd, double mean) {
        if (!(mean > 0)) return 0;
        if (mean < 30) {
            double limit = Math.exp(-mean);
            int k = 0;
            double p = rnd.nextDouble();
            while (p > limit) {
                k++;
                p *= rnd.nextDouble();
            }
            return k;
        }
        double slam = Math.sqrt(mean);
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rnd.nextDouble() - 0.5;
            double v = rnd.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return (int) k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -mean + k * logMean - logFactorial(k)) {
                return (int) k;
            }
        }
    }

    static double logFactorial(long k) {
        if (k < LOG_FACTORIAL.length) return LOG_FACTORIAL[(int) k];
        // Stirling series; the error at k >= 256 is far below double precision of the sum.
        double n = k;
        return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n * n * n);
    }
}
