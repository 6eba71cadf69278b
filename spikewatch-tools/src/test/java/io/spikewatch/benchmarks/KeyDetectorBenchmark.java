package io.spikewatch.benchmarks;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.KeyDetector;
import io.spikewatch.detection.KeyState;
import io.spikewatch.detection.SeasonalProfile;
import io.spikewatch.detection.WindowCounts;
import io.spikewatch.parsing.LogParseException;
import io.spikewatch.parsing.WafLogParser;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Instant;

/**
 * Cost of the detector's per-event update, {@link KeyDetector#onEvent}, for one key of the given
 * {@link #dimension}: count the event into its open window and check both signals against the
 * window's pro-rated thresholds. Every event is counted for four keys (its IP, country, scope and
 * {@code all}), so this is the detection work per request before Flink's state access.
 *
 * <ul>
 *   <li>{@code IP}: a busy but normal client, {@value #IP_EVENTS_PER_WINDOW} requests per window: the
 *       count and threshold checks only (no unique-IP sketch for IP keys);
 *   <li>{@code COUNTRY}: a country with {@value #COUNTRY_EVENTS_PER_WINDOW} requests per window; adds
 *       the HyperLogLog update of unique IPs and the seasonal profile. Scope keys take the same path.
 * </ul>
 *
 * <p>The key is driven as {@code SpikeDetectionOperator} drives it: {@code openWindow}, the window's
 * events through {@code onEvent}, then {@code onWindowClose} (baseline fold, rate document) and the
 * next window. So the score is per event <em>including</em> 1/N of opening and closing its window,
 * which is what the operator pays per event; without state access, timers or serialization.
 *
 * <p>Set-up runs {@value #WARMUP_WINDOWS} windows first, so the baselines are established (past the
 * warm-up windows of the spike rule) and the benchmark measures the common quiet path, and checks
 * that it is quiet: no alert, no evidence being collected. Events are parsed from the generated WAF
 * sample (real mix of countries, IPs and blocks) and rotated per call; their timestamps are set per
 * call to spread each window's events evenly over it. Rate documents go to a {@link Blackhole}.
 */
@State(Scope.Thread)
public class KeyDetectorBenchmark extends BenchmarkDefaults {
    static final int IP_EVENTS_PER_WINDOW = 30;
    static final int COUNTRY_EVENTS_PER_WINDOW = 1_000;
    static final int WARMUP_WINDOWS = 120;
    private static final long START = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();

    @Param({"IP", "COUNTRY"})
    public Dimension dimension;

    private final KeyDetector detector = new KeyDetector(DetectionSettings.defaults());
    private final BlackholeSink out = new BlackholeSink();
    private AccessEvent[] events;
    private String key;
    private int eventsPerWindow;
    private long stepMillis;
    private KeyState state;
    private SeasonalProfile profile;
    private WindowCounts window;
    private long windowStart;
    private int inWindow;
    private int next;

    @Setup
    public void setUp() throws LogParseException {
        String[] lines = GeneratedLogs.sample().waf;
        WafLogParser parser = new WafLogParser();
        events = new AccessEvent[lines.length];
        for (int i = 0; i < lines.length; i++) events[i] = parser.parse(lines[i]);
        key = dimension == Dimension.IP ? events[0].clientIp : "US";
        eventsPerWindow = dimension == Dimension.IP ? IP_EVENTS_PER_WINDOW : COUNTRY_EVENTS_PER_WINDOW;
        stepMillis = detector.windowMillis() / eventsPerWindow;
        state = KeyState.fresh();
        // The operator keeps a seasonal profile for country and scope keys only.
        profile = dimension == Dimension.IP ? null : SeasonalProfile.empty();
        windowStart = START;
        window = detector.openWindow(dimension, state, windowStart, profile);

        for (long i = 0; i < (long) WARMUP_WINDOWS * eventsPerWindow; i++) nextEvent();
        if (out.alerts > 0 || state.evidence != null || state.hasOpenIncident()) {
            throw new IllegalStateException("the " + dimension + " key is not quiet after warm-up ("
                    + out.alerts + " alerts); the benchmark would not measure the common path");
        }
    }

    @Benchmark
    public void onEvent(Blackhole bh) {
        out.bh = bh;
        nextEvent();
    }

    private void nextEvent() {
        AccessEvent e = events[next++ & GeneratedLogs.MASK];
        e.timestamp = windowStart + inWindow * stepMillis;
        detector.onEvent(LogSource.WAF, dimension, key, state, window, e, out);
        if (++inWindow == eventsPerWindow) {
            detector.onWindowClose(LogSource.WAF, dimension, key, state, windowStart, window, profile, out);
            windowStart += detector.windowMillis();
            window = detector.openWindow(dimension, state, windowStart, profile);
            inWindow = 0;
        }
    }
}
