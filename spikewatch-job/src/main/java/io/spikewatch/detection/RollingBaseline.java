package io.spikewatch.detection;

/**
 * Exponentially decaying mean and variance of one per-window count, kept as three decayed sums.
 *
 * <p>Each folded window multiplies the sums by {@code d = 0.5^(1/halfLifeWindows)} and adds
 * {@code (1, x, x²)}. Windows in which the key had no traffic are zeros; they are applied in
 * closed form when the key is next folded ({@code S0 = d^k·S0 + (1-d^k)/(1-d)}, {@code S1 = d^k·S1},
 * {@code S2 = d^k·S2}), so idle keys need no timer per window.
 *
 * <p>{@code windows} counts the windows of history behind the sums (folded and idle ones alike,
 * since the first fold), saturating at {@value #MAX_WINDOWS}: it tells a warmed-up key from a new
 * one. It does not decay, unlike {@code weight}, which saturates near {@code 1/(1-d)} ≈ 1.44 ×
 * the half-life in windows, so a warm-up of more windows than that would never be reached.
 *
 * <p>A public-field POJO because it sits in Flink keyed state, one pair per tracked IP. The sums are
 * stored as floats (arithmetic is in double): that saves 24 bytes per IP, and the float rounding
 * (relative 6e-8) is far below the Poisson noise of any count, even on a scope key that sees 10^5
 * requests a minute (variance error ~0.1% of the Poisson variance there).
 */
public class RollingBaseline {
    /** Sentinel for "no window folded yet". */
    public static final long NONE = Long.MIN_VALUE;
    /** Where {@link #windows} stops counting: it is stored in one byte. */
    public static final int MAX_WINDOWS = 255;

    public float weight;
    public float sum;
    public float sumSquares;
    /** Index (window start / window length) of the last folded window, or {@link #NONE}. */
    public long lastWindow = NONE;
    /** Windows of history, 0..{@link #MAX_WINDOWS} (see the class comment). */
    public short windows;

    public RollingBaseline() {}

    public boolean isEmpty() {
        return lastWindow == NONE;
    }

    /** Folds window {@code windowIndex} with count {@code value}; older or repeated windows are ignored. */
    public void fold(long windowIndex, double value, double decay) {
        if (lastWindow != NONE) {
            if (windowIndex <= lastWindow) return;
            applyZeros(windowIndex - lastWindow - 1, decay);
        }
        windows = (short) windowsAfter(lastWindow == NONE ? 1 : windowIndex - lastWindow);
        weight = (float) (decay * weight + 1);
        sum = (float) (decay * sum + value);
        sumSquares = (float) (decay * sumSquares + value * value);
        lastWindow = windowIndex;
    }

    private void applyZeros(long k, double decay) {
        if (k <= 0) return;
        double dk = Math.pow(decay, k);
        weight = (float) (dk * weight + (1 - dk) / (1 - decay));
        sum = (float) (dk * sum);
        sumSquares = (float) (dk * sumSquares);
    }

    /** {@link #windows} after {@code more} further windows, saturated. */
    private int windowsAfter(long more) {
        return (int) Math.min(MAX_WINDOWS, windows + Math.min(more, MAX_WINDOWS));
    }

    /**
     * The expectation for window {@code windowIndex} (not yet folded): the baseline as it will be
     * once the idle windows before it are counted as zeros. Does not modify this baseline.
     */
    public BaselineEstimate estimateFor(long windowIndex, double decay) {
        if (lastWindow == NONE) return BaselineEstimate.EMPTY;
        long k = Math.max(0, windowIndex - lastWindow - 1);
        double dk = k == 0 ? 1 : Math.pow(decay, k);
        double w = dk * weight + (1 - dk) / (1 - decay);
        double s1 = dk * sum;
        double s2 = dk * sumSquares;
        double mean = s1 / w;
        double variance = Math.max(0, s2 / w - mean * mean);
        return new BaselineEstimate(mean, variance, windowsAfter(k));
    }

    /** Per-window decay factor for a half-life given in windows. */
    public static double decayForHalfLife(double halfLifeWindows) {
        if (!(halfLifeWindows > 0)) throw new IllegalArgumentException("half-life must be > 0 windows");
        return Math.pow(0.5, 1.0 / halfLifeWindows);
    }
}
