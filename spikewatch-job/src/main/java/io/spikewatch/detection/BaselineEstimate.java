package io.spikewatch.detection;

/**
 * Expected count for a window: mean, variance and the effective number of windows behind them.
 *
 * @param weight effective sample size; 0 for a key never seen
 */
public record BaselineEstimate(double mean, double variance, double weight) {
    public static final BaselineEstimate EMPTY = new BaselineEstimate(0, 0, 0);

    public double stddev() {
        return Math.sqrt(variance);
    }

    /** The larger expectation of two (rolling vs seasonal): fewer false alerts on daily ramps. */
    public static BaselineEstimate larger(BaselineEstimate a, BaselineEstimate b) {
        if (b == null) return a;
        if (a == null) return b;
        return b.mean > a.mean ? new BaselineEstimate(b.mean, Math.max(a.variance, b.variance), a.weight) : a;
    }
}
