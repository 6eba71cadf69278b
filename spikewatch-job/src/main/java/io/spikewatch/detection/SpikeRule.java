package io.spikewatch.detection;

import java.io.Serializable;

/**
 * When a (partial) window count is a spike, for one dimension and signal.
 *
 * <p>An established key (at least {@code warmupWindows} windows of history, see
 * {@link RollingBaseline#windows}) spikes when its count
 * reaches all of: {@code minVolume}; {@code ratio × f × mean}; and {@code f × mean + zScore ×
 * sqrt(f × max(variance, mean))} — the variance floored at the mean because counts are at least
 * Poisson-noisy, which keeps quiet keys with a near-zero variance from alerting on a handful of
 * requests. A new key spikes when its count reaches {@code minVolume} and
 * {@code f × absoluteRate}, like a WAF rate-based rule (but only alerting).
 *
 * <p>{@code f} is the elapsed fraction of the window at the event being counted, floored at
 * {@code minFraction}. Pro-rating lets an alert fire the moment the running count crosses what a
 * whole window would allow at that pace, instead of waiting for the window to close; the floor keeps
 * a burst in the first seconds of a window (a page load with its assets) from looking like a
 * spike. At {@code f = 1} the rule is the plain end-of-window rule. {@code minVolume} is never
 * pro-rated: it is the smallest count worth an alert at all.
 */
public record SpikeRule(
        double minVolume,
        double absoluteRate,
        double zScore,
        double ratio,
        double warmupWindows,
        double minFraction) implements Serializable {

    public SpikeRule {
        require(minVolume >= 0, "min-volume must be >= 0");
        require(absoluteRate > 0, "absolute-rate must be > 0");
        require(zScore > 0, "z-score must be > 0");
        require(ratio >= 1, "ratio must be >= 1");
        require(warmupWindows >= 0 && warmupWindows <= RollingBaseline.MAX_WINDOWS,
                "warmup-windows must be in 0.." + RollingBaseline.MAX_WINDOWS + " (a key counts at most "
                        + RollingBaseline.MAX_WINDOWS + " windows of history)");
        require(minFraction > 0 && minFraction <= 1, "min-fraction must be in (0, 1]");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public boolean isEstablished(BaselineEstimate b) {
        return isEstablished(b.windows());
    }

    private boolean isEstablished(double windows) {
        return windows >= warmupWindows && windows > 0;
    }

    /** Elapsed window fraction used for pro-rating, floored at {@link #minFraction}. */
    public double fraction(long eventTime, long windowStart, long windowLength) {
        double f = (double) (eventTime - windowStart + 1) / windowLength;
        return Math.min(1.0, Math.max(minFraction, f));
    }

    /** Smallest count that is a spike at elapsed fraction {@code f} (already floored). */
    public double threshold(BaselineEstimate b, double f) {
        return threshold(b.mean(), b.variance(), b.windows(), f);
    }

    /**
     * {@link #threshold(BaselineEstimate, double)} of the estimate {@code (mean, variance, windows)}:
     * for the per-event check, which reads them from the open window's fields.
     */
    public double threshold(double mean, double variance, double windows, double f) {
        if (!isEstablished(windows)) {
            return Math.max(minVolume, f * absoluteRate);
        }
        double expected = f * mean;
        double proRatedVariance = f * Math.max(variance, mean);
        double byScore = expected + zScore * Math.sqrt(proRatedVariance);
        double byRatio = ratio * expected;
        return Math.max(minVolume, Math.max(byScore, byRatio));
    }

    /** Standard score of {@code count} at fraction {@code f}; 0 for a key without baseline. */
    public double score(BaselineEstimate b, double count, double f) {
        double variance = f * Math.max(b.variance(), b.mean());
        if (variance <= 0) return 0;
        return (count - f * b.mean()) / Math.sqrt(variance);
    }

    /** {@code count} over the pro-rated mean, the mean floored at one request so new keys stay finite. */
    public static double ratioToBaseline(BaselineEstimate b, double count, double f) {
        return count / Math.max(1.0, f * b.mean());
    }
}
