package io.spikewatch.detection;

import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Tunables of the detector, resolved from configuration. Immutable and serializable so the Flink
 * function can carry it.
 *
 * @param window                 event-time window length
 * @param halfLife               half-life of the rolling baselines
 * @param rules                  spike rule per dimension and signal
 * @param seasonalHalfLife       half-life of a seasonal slot, in time (a slot is fed ~60 windows a day)
 * @param seasonalMatureWindows  windows a slot needs before it is trusted
 * @param resolveAfterQuietWindows non-spike windows after which an incident is resolved
 * @param hotFraction            share of the threshold at which a key starts collecting evidence
 * @param ipReportMinRequests    ip windows below this count write no rate document
 * @param idleTtl                idle time after which a key's state is dropped, per dimension
 */
public record DetectionSettings(
        Duration window,
        Duration halfLife,
        Map<Dimension, Map<Signal, SpikeRule>> rules,
        boolean seasonalEnabled,
        Duration seasonalHalfLife,
        double seasonalMatureWindows,
        int resolveAfterQuietWindows,
        double hotFraction,
        long ipReportMinRequests,
        Map<Dimension, Duration> idleTtl) implements Serializable {

    public DetectionSettings {
        if (window.toMillis() < 1000) throw new IllegalArgumentException("window must be at least 1s");
        if (resolveAfterQuietWindows < 1) throw new IllegalArgumentException("resolve-after must be >= 1");
        for (Dimension d : Dimension.values()) {
            Duration ttl = idleTtl.get(d);
            if (ttl == null || ttl.toMillis() < window.toMillis()) {
                throw new IllegalArgumentException("idle TTL of " + d.label() + " must be at least one window");
            }
            Map<Signal, SpikeRule> byDim = rules.get(d);
            if (byDim == null || byDim.size() != Signal.values().length) {
                throw new IllegalArgumentException("a spike rule is missing for dimension " + d.label());
            }
        }
    }

    public long windowMillis() {
        return window.toMillis();
    }

    /** Per-window decay of the rolling baseline. */
    public double decay() {
        return RollingBaseline.decayForHalfLife((double) halfLife.toMillis() / window.toMillis());
    }

    /** Per-observation decay of a seasonal slot (a slot is observed once per window in its hour). */
    public double seasonalDecay() {
        // A weekday slot sees 60 one-minute windows a day, 5 days a week: express the half-life in
        // observations of the slot so that the slot forgets at roughly the configured time scale.
        double windowsPerHour = 3_600_000.0 / window.toMillis();
        double slotObservationsPerDay = windowsPerHour * 5.0 / 7.0;
        double days = seasonalHalfLife.toMillis() / 86_400_000.0;
        return RollingBaseline.decayForHalfLife(Math.max(1, days * slotObservationsPerDay));
    }

    public SpikeRule rule(Dimension d, Signal s) {
        return rules.get(d).get(s);
    }

    /** Idle TTL rounded up to whole windows, so expiry timers stay on the window grid. */
    public long idleTtlMillis(Dimension d) {
        long w = windowMillis();
        long ttl = idleTtl.get(d).toMillis();
        return ((ttl + w - 1) / w) * w;
    }

    /** Defaults documented in the README's configuration reference. */
    public static DetectionSettings defaults() {
        return new DetectionSettings(
                Duration.ofMinutes(1),
                Duration.ofMinutes(30),
                defaultRules(),
                true,
                Duration.ofDays(7),
                120,
                3,
                0.5,
                50,
                defaultTtl());
    }

    public static Map<Dimension, Map<Signal, SpikeRule>> defaultRules() {
        Map<Dimension, Map<Signal, SpikeRule>> rules = new EnumMap<>(Dimension.class);
        rules.put(Dimension.IP, Map.of(
                Signal.REQUESTS, new SpikeRule(120, 300, 6, 4, 10, 0.25),
                Signal.CLIENT_ERRORS, new SpikeRule(12, 15, 6, 4, 10, 0.25)));
        rules.put(Dimension.COUNTRY, Map.of(
                Signal.REQUESTS, new SpikeRule(100, 2000, 6, 2.5, 10, 0.25),
                Signal.CLIENT_ERRORS, new SpikeRule(50, 500, 6, 3, 10, 0.25)));
        rules.put(Dimension.SCOPE, Map.of(
                Signal.REQUESTS, new SpikeRule(200, 10000, 6, 2, 10, 0.25),
                Signal.CLIENT_ERRORS, new SpikeRule(100, 1000, 6, 3, 10, 0.25)));
        return rules;
    }

    public static Map<Dimension, Duration> defaultTtl() {
        Map<Dimension, Duration> ttl = new EnumMap<>(Dimension.class);
        ttl.put(Dimension.IP, Duration.ofHours(2));
        ttl.put(Dimension.COUNTRY, Duration.ofDays(8));
        ttl.put(Dimension.SCOPE, Duration.ofDays(8));
        return ttl;
    }
}
