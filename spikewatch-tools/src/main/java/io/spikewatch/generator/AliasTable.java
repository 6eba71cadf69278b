package io.spikewatch.generator;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Picks an index with probability proportional to a weight in constant time (Vose's alias method):
 * which client of a country sends the next request, with a heavy-tailed share per client.
 */
final class AliasTable {
    private final double[] probability;
    private final int[] alias;

    AliasTable(double[] weights) {
        int n = weights.length;
        if (n == 0) throw new IllegalArgumentException("no weights");
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0)) throw new IllegalArgumentException("negative or NaN weight " + w);
            sum += w;
        }
        if (!(sum > 0)) throw new IllegalArgumentException("weights sum to zero");
        probability = new double[n];
        alias = new int[n];
        double[] scaled = new double[n];
        ArrayDeque<Integer> small = new ArrayDeque<>();
        ArrayDeque<Integer> large = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            (scaled[i] < 1 ? small : large).add(i);
        }
        while (!small.isEmpty() && !large.isEmpty()) {
            int s = small.poll();
            int l = large.poll();
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).add(l);
        }
        // Leftovers are 1 up to rounding error.
        for (int i : large) probability[i] = 1;
        for (int i : small) probability[i] = 1;
    }

    int sample(SplittableRandom rnd) {
        int i = rnd.nextInt(probability.length);
        return rnd.nextDouble() < probability[i] ? i : alias[i];
    }
}
