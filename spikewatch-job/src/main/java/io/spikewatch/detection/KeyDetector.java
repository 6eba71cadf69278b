package io.spikewatch.detection;

import io.spikewatch.records.DocumentIds;
import io.spikewatch.records.Evidence;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;

/**
 * The detection decisions for one key, free of Flink: what to do with an event in an open window,
 * and what to do when a window closes. The Flink operator ({@code SpikeDetectionOperator}) loads the
 * key's state, calls this class, stores the state back and decides when windows close.
 *
 * <p>Per event: count it; if the running count crosses the pro-rated threshold of its window (see
 * {@link SpikeRule}), open an incident at once — before the window closes. Near the threshold the
 * key starts collecting {@link Evidence}. Per closed window: write the rate document, judge the full
 * count, update/escalate/resolve the incident, and fold the count into the baselines (capped at the
 * threshold while spiking, so an attack does not teach the baseline that attacks are normal).
 */
public final class KeyDetector {
    /** {@code Signal.values()} clones its array on every call; this runs per event. */
    private static final Signal[] SIGNALS = Signal.values();

    private final DetectionSettings settings;
    /**
     * {@code settings.rule(dimension, signal)} by ordinals: kept as ordinals because a map lookup
     * per event and signal is measurable on the hot path.
     */
    private final SpikeRule[][] rules;
    private final long windowMillis;
    private final double decay;
    private final double seasonalDecay;

    public KeyDetector(DetectionSettings settings) {
        this.settings = settings;
        Dimension[] dims = Dimension.values();
        this.rules = new SpikeRule[dims.length][SIGNALS.length];
        for (Dimension d : dims) {
            for (Signal s : SIGNALS) rules[d.ordinal()][s.ordinal()] = settings.rule(d, s);
        }
        this.windowMillis = settings.windowMillis();
        this.decay = settings.decay();
        this.seasonalDecay = settings.seasonalDecay();
    }

    public long windowStartOf(long timestamp) {
        return Math.floorDiv(timestamp, windowMillis) * windowMillis;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /**
     * A new open window with its expectations fixed from the baselines as they are now.
     *
     * @param pendingBefore earlier windows of this key that are still open (not yet folded). They
     *                      are left out of the expectation rather than counted as idle zeros: the
     *                      watermark trails event time, so the previous window is usually still
     *                      open when the next one starts, and counting it as zero would drag the
     *                      mean down and inflate the variance.
     */
    public WindowCounts openWindow(Dimension dim, KeyState state, long windowStart, SeasonalProfile profile,
                                   int pendingBefore) {
        WindowCounts w = new WindowCounts();
        w.windowStart = windowStart;
        if (dim != Dimension.IP) w.uniqueIps = UniqueCountSketch.newRegisters();
        for (Signal s : SIGNALS) {
            w.setExpected(s, expectation(state, s, windowStart, profile, pendingBefore));
        }
        return w;
    }

    /** {@link #openWindow(Dimension, KeyState, long, SeasonalProfile, int)} with no earlier window open. */
    public WindowCounts openWindow(Dimension dim, KeyState state, long windowStart, SeasonalProfile profile) {
        return openWindow(dim, state, windowStart, profile, 0);
    }

    private BaselineEstimate expectation(KeyState state, Signal s, long windowStart, SeasonalProfile profile,
                                         int pendingBefore) {
        RollingBaseline baseline = state.baseline(s);
        long index = windowStart / windowMillis;
        if (!baseline.isEmpty()) index = Math.max(baseline.lastWindow + 1, index - pendingBefore);
        BaselineEstimate rolling = baseline.estimateFor(index, decay);
        if (s == Signal.REQUESTS && profile != null && settings.seasonalEnabled()) {
            return BaselineEstimate.larger(rolling, profile.estimateFor(windowStart, settings.seasonalMatureWindows()));
        }
        return rolling;
    }

    /** Counts one event into its window: {@link #onObservation} of a one-event observation. */
    public void onEvent(LogSource source, Dimension dim, String key, KeyState state, WindowCounts window,
                        AccessEvent event, DetectionOutput out) {
        onObservation(source, dim, key, state, window, Observation.ofEvent(dim, key, event), out);
    }

    /**
     * Counts an observation (one event, or a pre-aggregated batch for country and scope keys) into
     * its window and opens incidents whose threshold the running count crosses.
     */
    public void onObservation(LogSource source, Dimension dim, String key, KeyState state, WindowCounts window,
                              Observation obs, DetectionOutput out) {
        window.add(obs);
        if (dim == Dimension.IP && obs.country != null) state.country = obs.country;
        if (obs.allowlisted > 0 && dim == Dimension.IP) state.allowlisted = true;
        if (state.evidence != null) obs.addTo(state.evidence);
        if (state.allowlisted) return;

        for (Signal signal : SIGNALS) {
            Incident incident = state.incident(signal);
            if (incident != null) {
                if (obs.lastEventTime > incident.lastSeen) incident.lastSeen = obs.lastEventTime;
                continue;
            }
            long value = window.detectionValue(signal);
            if (value == 0) continue;
            SpikeRule rule = rules[dim.ordinal()][signal.ordinal()];
            // Pro-rate by the latest event time seen in the window, not this event's: with
            // out-of-order input the running count already includes later events, and judging it
            // against an earlier point of the window would make an ordinary minute look like a burst.
            double f = rule.fraction(window.lastEventTime, window.windowStart, windowMillis);
            // From the window's fields, not its BaselineEstimate (built only when an incident opens):
            // one object fewer to reach per event, and to allocate per window.
            double threshold = signal == Signal.REQUESTS
                    ? rule.threshold(window.requestsMean, window.requestsVariance, window.requestsWindows, f)
                    : rule.threshold(window.errorsMean, window.errorsVariance, window.errorsWindows, f);
            if (value >= threshold) {
                BaselineEstimate expected = window.expected(signal);
                if (state.evidence == null) {
                    state.evidence = Evidence.empty();
                    obs.addTo(state.evidence);
                }
                // Stamped with the latest event time seen in the window, not the observation's own:
                // out of order, the crossing request may be an old one arriving late, and the count
                // was only known to have crossed once the later requests had been seen too.
                Incident opened = open(source, dim, key, signal, window, expected, rule, value, f, threshold,
                        window.lastEventTime);
                state.setIncident(signal, opened);
                out.alert(alert(source, dim, key, state, signal, opened, window, AlertDocument.CHANGE_OPEN));
            } else if (state.evidence == null && value >= settings.hotFraction() * threshold) {
                state.evidence = Evidence.empty();
                obs.addTo(state.evidence);
            }
        }
    }

    private Incident open(LogSource source, Dimension dim, String key, Signal signal, WindowCounts window,
                          BaselineEstimate expected, SpikeRule rule, long value, double f, double threshold,
                          long detectedAt) {
        Incident i = new Incident();
        i.alertId = DocumentIds.alertId(source.dataset(), dim.label(), key, signal.label(), window.windowStart);
        i.firstSeen = detectedAt;
        i.lastSeen = detectedAt;
        i.firstWindowStart = window.windowStart;
        i.lastWindowStart = window.windowStart;
        i.observed = value;
        i.peak = value;
        i.threshold = threshold;
        i.score = rule.score(expected, value, f);
        i.ratio = SpikeRule.ratioToBaseline(expected, value, f);
        i.baselineMean = expected.mean();
        i.baselineStddev = Math.sqrt(Math.max(expected.variance(), expected.mean()));
        i.severity = Severity.ofExcess(value / threshold).label();
        i.spikeWindows = 1;
        return i;
    }

    /**
     * Closes a window: rate document, incident update/escalation/resolution, baseline folding.
     *
     * @param window the window's counts, or null for a window without traffic that is closed only
     *               because an incident is open (to count it as quiet)
     */
    public void onWindowClose(LogSource source, Dimension dim, String key, KeyState state, long windowStart,
                              WindowCounts window, SeasonalProfile profile, DetectionOutput out) {
        if (window == null) window = openWindow(dim, state, windowStart, profile);
        long windowIndex = windowStart / windowMillis;
        boolean anySpike = false;
        double requestsScore = 0;
        BaselineEstimate requestsExpected = window.expected(Signal.REQUESTS);

        for (Signal signal : SIGNALS) {
            SpikeRule rule = rules[dim.ordinal()][signal.ordinal()];
            BaselineEstimate expected = window.expected(signal);
            long value = window.detectionValue(signal);
            double threshold = rule.threshold(expected, 1.0);
            boolean spike = !state.allowlisted && value > 0 && value >= threshold;
            double score = rule.score(expected, value, 1.0);
            if (signal == Signal.REQUESTS) requestsScore = score;
            anySpike |= spike;

            Incident incident = state.incident(signal);
            if (incident != null && windowStart < incident.firstWindowStart) {
                // A window older than the incident closing late (the watermark trails event time,
                // and the incident fired early in a newer window): it is neither part of the
                // incident nor one of its quiet windows. Only its baseline fold below applies.
            } else if (spike) {
                if (incident == null) {
                    long detectedAt = window.lastEventTime == Long.MIN_VALUE ? windowStart : window.lastEventTime;
                    incident = open(source, dim, key, signal, window, expected, rule, value, 1.0, threshold, detectedAt);
                    state.setIncident(signal, incident);
                    if (state.evidence == null) state.evidence = Evidence.empty();
                    out.alert(alert(source, dim, key, state, signal, incident, window, AlertDocument.CHANGE_OPEN));
                } else {
                    Severity before = Severity.fromLabel(incident.severity);
                    Severity now = Severity.ofExcess(value / threshold);
                    incident.observed = value;
                    incident.peak = Math.max(incident.peak, value);
                    incident.threshold = threshold;
                    incident.score = Math.max(incident.score, score);
                    incident.ratio = SpikeRule.ratioToBaseline(expected, value, 1.0);
                    incident.lastWindowStart = windowStart;
                    if (window.lastEventTime > incident.lastSeen) incident.lastSeen = window.lastEventTime;
                    incident.quietWindows = 0;
                    if (windowStart != incident.firstWindowStart) incident.spikeWindows++;
                    boolean escalated = now.compareTo(before) > 0;
                    if (escalated) incident.severity = now.label();
                    out.alert(alert(source, dim, key, state, signal, incident, window,
                            escalated ? AlertDocument.CHANGE_ESCALATION : AlertDocument.CHANGE_UPDATE));
                }
            } else if (incident != null) {
                incident.quietWindows++;
                if (incident.quietWindows >= settings.resolveAfterQuietWindows()) {
                    state.setIncident(signal, null);
                    out.alert(alert(source, dim, key, state, signal, incident, window, AlertDocument.CHANGE_RESOLVE));
                }
            }
            // An attack must not become the new normal: fold at most the threshold while spiking.
            state.baseline(signal).fold(windowIndex, spike ? Math.min(value, threshold) : value, decay);
            if (signal == Signal.REQUESTS && profile != null && settings.seasonalEnabled()) {
                profile.fold(windowStart, spike ? Math.min(value, threshold) : value, seasonalDecay);
            }
        }

        if (dim != Dimension.IP || window.total >= settings.ipReportMinRequests() || anySpike
                || state.hasOpenIncident()) {
            if (window.total > 0 || dim != Dimension.IP) {
                out.rate(rate(source, dim, key, state, window, requestsExpected, requestsScore, anySpike));
            }
        }
        if (!state.hasOpenIncident()) state.evidence = null;
    }

    private RateDocument rate(LogSource source, Dimension dim, String key, KeyState state, WindowCounts w,
                              BaselineEstimate expected, double score, boolean spike) {
        RateDocument r = new RateDocument();
        r.windowStart = w.windowStart;
        r.windowEnd = w.windowStart + windowMillis;
        r.dataset = source.dataset();
        r.dimension = dim.label();
        r.key = key;
        r.sourceIp = dim == Dimension.IP ? key : null;
        r.country = dim == Dimension.IP ? state.country : dim == Dimension.COUNTRY ? key : null;
        r.total = w.total;
        r.blocked = w.blocked;
        r.status4xx = w.clientErrors;
        r.status5xx = w.serverErrors;
        r.uniqueIps = dim == Dimension.IP ? (w.total > 0 ? 1 : 0) : UniqueCountSketch.estimate(w.uniqueIps);
        r.baselineMean = expected.mean();
        r.baselineStddev = expected.stddev();
        r.anomalyScore = score;
        r.isSpike = spike;
        return r;
    }

    private AlertDocument alert(LogSource source, Dimension dim, String key, KeyState state, Signal signal,
                                Incident i, WindowCounts w, String change) {
        AlertDocument a = new AlertDocument();
        a.alertId = i.alertId;
        a.status = AlertDocument.CHANGE_RESOLVE.equals(change) ? "resolved" : "open";
        a.severity = i.severity;
        a.change = change;
        a.timestamp = i.firstSeen;
        a.dataset = source.dataset();
        a.dimension = dim.label();
        a.key = key;
        a.sourceIp = dim == Dimension.IP ? key : null;
        a.country = dim == Dimension.IP ? state.country : dim == Dimension.COUNTRY ? key : null;
        a.signal = signal.label();
        a.windowStart = i.lastWindowStart;
        a.windowEnd = i.lastWindowStart + windowMillis;
        a.observed = i.observed;
        a.threshold = i.threshold;
        a.baselineMean = i.baselineMean;
        a.baselineStddev = i.baselineStddev;
        a.anomalyScore = i.score;
        a.ratio = i.ratio;
        a.peak = i.peak;
        a.firstSeen = i.firstSeen;
        a.lastSeen = i.lastSeen;
        a.spikeWindows = i.spikeWindows;
        a.evidence = state.evidence == null ? null : state.evidence.copy();
        return a;
    }
}
