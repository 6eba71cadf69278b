package io.spikewatch.generator;

/**
 * Expected request rates per country and minute: the seasonality of the synthetic world.
 *
 * <p>Diurnal: {@code 0.625 − 0.375·cos(2π(h − 4)/24)} of the peak, with {@code h} the local hour of
 * the country — a trough of 25% of the peak at 04:00 local time and the peak at 16:00; its daily
 * mean is exactly 0.625. Weekly: Saturday and Sunday (local) run at 70%. Countries in other time
 * zones therefore peak at other UTC hours, which is what makes a per-country baseline necessary.
 *
 * <p>Scale: the legitimate rate (total minus crawlers and noise) averages the configured rate over a
 * weekday, split over countries by their traffic share.
 */
final class TrafficModel {
    static final double DIURNAL_MEAN = 0.625;
    static final double WEEKEND_FACTOR = 0.7;

    private final CountryCatalog catalog;
    private final double[] countryShare;
    /** Legitimate requests per minute at the diurnal peak of a weekday, all countries together. */
    private final double peakLegitPerMinute;

    TrafficModel(CountryCatalog catalog, double[] countryShare, double legitMeanPerMinute) {
        this.catalog = catalog;
        this.countryShare = countryShare;
        this.peakLegitPerMinute = legitMeanPerMinute / DIURNAL_MEAN;
    }

    /** Peak-of-day legitimate rate of all countries together (req/min). */
    double peakLegitPerMinute() {
        return peakLegitPerMinute;
    }

    /** Expected legitimate requests of {@code country} in the minute starting at {@code epochMillis}. */
    double legitRate(int country, long epochMillis) {
        double offsetHours = catalog.get(country).utcOffsetHours();
        // Seasonality is evaluated at the middle of the minute.
        double localSeconds = (epochMillis + 30_000) / 1000.0 + offsetHours * 3600;
        double hour = ((localSeconds / 3600) % 24 + 24) % 24;
        long localDay = Math.floorDiv((long) Math.floor(localSeconds), 86_400L);
        return peakLegitPerMinute * countryShare[country] * diurnal(hour) * weekly(localDay);
    }

    static double diurnal(double localHour) {
        return DIURNAL_MEAN - 0.375 * Math.cos(2 * Math.PI * (localHour - 4) / 24);
    }

    /** Epoch day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 gives 0 = Monday ... 6 = Sunday. */
    static double weekly(long epochDay) {
        int dow = (int) Math.floorMod(epochDay + 3, 7L);
        return dow >= 5 ? WEEKEND_FACTOR : 1.0;
    }
}
