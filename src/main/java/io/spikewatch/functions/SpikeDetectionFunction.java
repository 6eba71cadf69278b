package io.spikewatch.functions;

import io.spikewatch.detection.DetectionOutput;
import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.KeyDetector;
import io.spikewatch.detection.KeyState;
import io.spikewatch.detection.Observation;
import io.spikewatch.detection.SeasonalProfile;
import io.spikewatch.detection.WindowCounts;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;


/**
 * Windowed rates, rolling baselines and spike incidents for the keys of one log source.
 *
 * <p>Input: {@link Observation}s with event-time timestamps and the source's own watermarks. Each
 * source has two instances ({@link #forIps}, {@link #forAggregates}): one keyed by client IP and fed
 * one observation per event, one keyed by {@code dimension|key} for countries and scopes, fed
 * pre-aggregated observations. Keeping IPs apart keeps their state key short (no prefix), and
 * their operator's input free of the aggregates. Output: {@link RateDocument}s on the main output, {@link AlertDocument}s
 * and late-event {@link DeadLetter}s on side outputs. The decisions are in {@link KeyDetector}; this
 * class owns state and timers.
 *
 * <p>State per key: {@link KeyState} (baselines, open incidents, evidence while hot, and the open
 * windows: with out-of-orderness a key can have events for two windows before the first one
 * closes), and a {@link SeasonalProfile} for country/scope keys only.
 *
 * <p>Timers: one at the end of each window that saw traffic; while an incident is open, also at the
 * end of each following window (so a flood that stops dead still gets its quiet windows counted and
 * is resolved); and one expiry timer per key, which drops the whole state of a key idle for
 * {@code idle-ttl} since its last closed window. The expiry timer is set once, when the key's
 * state is created, and when it fires on a key that was active since, it is set again for
 * {@code idle-ttl} after the last closed window: so a busy IP costs no timer work per window
 * beyond its window timer, and never has more than one pending expiry. Window timers sit on {@code windowEnd - 1}, expiry
 * timers on {@code windowEnd - 2}, so both kinds can be told apart without more state.
 */
public class SpikeDetectionFunction extends KeyedProcessFunction<String, Observation, RateDocument> {
    public static final OutputTag<AlertDocument> ALERTS = new OutputTag<>("alerts") {};
    public static final OutputTag<DeadLetter> LATE_EVENTS = new OutputTag<>("late-events") {};

    private final LogSource source;
    private final DetectionSettings settings;
    /** Keys are client IPs; otherwise {@code dimension|key}. */
    private final boolean ipKeys;

    private transient KeyDetector detector;
    private transient ValueState<KeyState> keyState;
    private transient ValueState<SeasonalProfile> profileState;
    private transient Counter lateEvents;
    private transient Counter alertsOpened;
    private transient Emitter emitter;

    private SpikeDetectionFunction(LogSource source, DetectionSettings settings, boolean ipKeys) {
        this.source = source;
        this.settings = settings;
        this.ipKeys = ipKeys;
    }

    /** The detector of ip keys; its input must be keyed by {@link #ipKey}. */
    public static SpikeDetectionFunction forIps(LogSource source, DetectionSettings settings) {
        return new SpikeDetectionFunction(source, settings, true);
    }

    /** The detector of country and scope keys; its input must be keyed by {@link #aggregateKey}. */
    public static SpikeDetectionFunction forAggregates(LogSource source, DetectionSettings settings) {
        return new SpikeDetectionFunction(source, settings, false);
    }

    public static String ipKey(Observation o) {
        return o.key;
    }

    public static String aggregateKey(Observation o) {
        return o.stateKey();
    }

    @Override
    public void open(OpenContext openContext) {
        detector = new KeyDetector(settings);
        keyState = getRuntimeContext().getState(new ValueStateDescriptor<>("key-state", KeyState.class));
        profileState = getRuntimeContext().getState(new ValueStateDescriptor<>("seasonal-profile", SeasonalProfile.class));
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        alertsOpened = getRuntimeContext().getMetricGroup().counter("alertsOpened");
        emitter = new Emitter();
    }

    @Override
    public void processElement(Observation obs, Context ctx, Collector<RateDocument> out) throws Exception {
        // Every event of an observation is in the same window (see ObservationCombiner).
        long ts = obs.firstEventTime;
        long windowStart = detector.windowStartOf(ts);
        long windowClose = windowStart + detector.windowMillis() - 1;
        if (windowClose <= ctx.timerService().currentWatermark()) {
            // The window has been closed and folded; counting the event now would rewrite history.
            // Only the ip view reports it (one observation per event), so one late event is one
            // dead letter and one count, not four.
            if (obs.dimension == Dimension.IP) {
                lateEvents.inc();
                ctx.output(LATE_EVENTS, DeadLetter.of(DeadLetterReason.LATE_EVENT,
                        "event time " + ts + " is behind the " + source.label() + " watermark "
                                + ctx.timerService().currentWatermark(),
                        source.label(), obs.resource,
                        obs.key + " " + (obs.sampleCount > 0 ? obs.samples().next() : ""), ts));
            }
            return;
        }
        KeyState state = keyState.value();
        if (state == null) {
            state = KeyState.fresh();
            // The key's one expiry timer, as if this window were its last (see the class comment).
            ctx.timerService().registerEventTimeTimer(windowStart + detector.windowMillis()
                    + settings.idleTtlMillis(obs.dimension) - 2);
        }
        WindowCounts window = state.openWindow(windowStart);
        if (window == null) {
            window = detector.openWindow(obs.dimension, state, windowStart, profile(obs.dimension),
                    state.openWindowsBefore(windowStart));
            state.addOpenWindow(window);
            ctx.timerService().registerEventTimeTimer(windowClose);
        }
        emitter.bind(ctx, out);
        detector.onObservation(source, obs.dimension, obs.key, state, window, obs, emitter);
        keyState.update(state);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RateDocument> out) throws Exception {
        long w = detector.windowMillis();
        Dimension dim;
        String key;
        if (ipKeys) {
            dim = Dimension.IP;
            key = ctx.getCurrentKey();
        } else {
            String stateKey = ctx.getCurrentKey();
            int bar = stateKey.indexOf('|');
            dim = Dimension.fromLabel(stateKey.substring(0, bar));
            key = stateKey.substring(bar + 1);
        }
        KeyState state = keyState.value();
        if (state == null) return;

        if (Math.floorMod(timestamp, w) == w - 2) {
            expireIfIdle(dim, state, timestamp, ctx);
            return;
        }
        long windowStart = timestamp + 1 - w;
        WindowCounts window = state.removeOpenWindow(windowStart);
        SeasonalProfile profile = profile(dim);
        emitter.bind(ctx, out);
        detector.onWindowClose(source, dim, key, state, windowStart, window, profile, emitter);
        if (profile != null) profileState.update(profile);
        keyState.update(state);

        if (incidentReaches(state, windowStart)) {
            // Keep closing windows while the incident lasts, traffic or not, so it can resolve.
            ctx.timerService().registerEventTimeTimer(timestamp + w);
        }
    }

    /**
     * Whether an open incident has started at or before {@code windowStart}. An incident opened early
     * by events of a newer window (the watermark trails event time) must not chain timers from older
     * windows: its own window timers carry it, and chaining from the old ones would close windows
     * that never had traffic.
     */
    private static boolean incidentReaches(KeyState state, long windowStart) {
        return (state.requestsIncident != null && state.requestsIncident.firstWindowStart <= windowStart)
                || (state.errorsIncident != null && state.errorsIncident.firstWindowStart <= windowStart);
    }

    /** The expiry timer a key gets after its last closed window (see the class comment). */
    private long expiryTimer(Dimension dim, KeyState state) {
        return state.lastClosedWindowEnd(detector.windowMillis()) + settings.idleTtlMillis(dim) - 2;
    }

    private void expireIfIdle(Dimension dim, KeyState state, long timestamp, OnTimerContext ctx) throws Exception {
        long due = expiryTimer(dim, state);
        boolean idle = due <= timestamp && !state.hasOpenIncident() && !state.hasOpenWindows();
        if (idle) {
            keyState.clear();
            profileState.clear();
        } else {
            // Active since the timer was set (or hot): check again when it can next be idle, and
            // no sooner than a window from now (an open incident or window keeps it alive till then).
            ctx.timerService().registerEventTimeTimer(Math.max(due, timestamp + detector.windowMillis()));
        }
    }

    private SeasonalProfile profile(Dimension dim) throws Exception {
        if (dim == Dimension.IP || !settings.seasonalEnabled()) return null;
        SeasonalProfile p = profileState.value();
        return p != null ? p : SeasonalProfile.empty();
    }

    /** Routes detector output to the collector and the alert side output of the current call. */
    private final class Emitter implements DetectionOutput {
        private Context ctx;
        private Collector<RateDocument> out;

        void bind(Context ctx, Collector<RateDocument> out) {
            this.ctx = ctx;
            this.out = out;
        }

        @Override
        public void rate(RateDocument rate) {
            out.collect(rate);
        }

        @Override
        public void alert(AlertDocument alert) {
            if (AlertDocument.CHANGE_OPEN.equals(alert.change)) alertsOpened.inc();
            ctx.output(ALERTS, alert);
        }
    }

}
