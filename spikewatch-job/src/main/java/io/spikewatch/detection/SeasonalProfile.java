package io.spikewatch.detection;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Time-of-day / day-of-week expectation for a country or scope key: one decaying baseline per
 * (hour of day, weekday-or-weekend) slot in UTC, 48 slots.
 *
 * <p>The rolling baseline lags a daily ramp by about a half-life; once a slot has seen enough days
 * ({@code matureWeight}), the detector takes the larger of the two expectations, so the morning
 * ramp does not look like a spike. Only country and scope keys carry one (a few hundred keys at
 * most): 48 × 3 doubles would be far too much per IP.
 */
public class SeasonalProfile {
    public static final int SLOTS = 48;

    /** Flattened (weight, sum, sumSquares) per slot. */
    public double[] sums;

    public SeasonalProfile() {}

    public static SeasonalProfile empty() {
        SeasonalProfile p = new SeasonalProfile();
        p.sums = new double[SLOTS * 3];
        return p;
    }

    public static int slotOf(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        DayOfWeek d = t.getDayOfWeek();
        boolean weekend = d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
        return t.getHour() + (weekend ? 24 : 0);
    }

    /** Folds one window's count into its slot; {@code decay} is per observation of that slot. */
    public void fold(long windowStartMillis, double value, double decay) {
        int i = slotOf(windowStartMillis) * 3;
        sums[i] = decay * sums[i] + 1;
        sums[i + 1] = decay * sums[i + 1] + value;
        sums[i + 2] = decay * sums[i + 2] + value * value;
    }

    /** The slot's expectation, or null while the slot has less than {@code matureWeight} behind it. */
    public BaselineEstimate estimateFor(long windowStartMillis, double matureWeight) {
        int i = slotOf(windowStartMillis) * 3;
        double w = sums[i];
        if (w < matureWeight || w <= 0) return null;
        double mean = sums[i + 1] / w;
        return new BaselineEstimate(mean, Math.max(0, sums[i + 2] / w - mean * mean), w);
    }
}
