package io.spikewatch.detection;

/**
 * Expected count for a window: mean, variance and how many windows of history are behind them.
 *
 * @param windows windows of history ({@link RollingBaseline#windows}, or a seasonal slot's
 *                effective number of observations); 0 for a key never seen
 */
public record BaselineEstimate(double mean, double variance, double windows) {
    public static final BaselineEstimate EMPTY = new BaselineEstimate(0, 0, 0);

    public double stddev() {
        return Math.sqrt(variance);
    }

    /** The larger expectation of two (rolling vs seasonal): fewer false alerts on daily ramps. */
    public static BaselineEstimate larger(BaselineEstimate a, BaselineEstimate b) {
        if (b == null) return a;
        if (a == null) return b;
        return b.mean > a.mean ? new BaselineEstimate(b.mean, Math.max(a.variance, b.variance), a.windows) : a;
    }
}
