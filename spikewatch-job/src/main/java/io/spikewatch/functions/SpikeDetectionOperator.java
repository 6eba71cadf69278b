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
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Windowed rates, rolling baselines and spike incidents for the keys of one log source.
 *
 * <p>Input: {@link Observation}s with event-time timestamps and the source's own watermarks, on a
 * keyed stream. Each source has two instances: {@link #forIps}, keyed by client IP and fed one
 * observation per event, and {@link #forAggregates}, keyed by {@code dimension|key} for countries
 * and scopes and fed pre-aggregated observations; keeping IPs apart keeps their state key short and
 * their input free of the aggregates. Output: {@link RateDocument}s on the main output,
 * {@link AlertDocument}s and late-event {@link DeadLetter}s on side outputs. The decisions are in
 * {@link KeyDetector}; this class owns state, window closes, expiry and their order.
 *
 * <p>State per key: {@link KeyState} (baselines, open incidents, evidence while hot, and the open
 * windows: with out-of-orderness a key can have events for two windows before the first closes),
 * and a {@link SeasonalProfile} for country and scope keys.
 *
 * <p><b>Window closes.</b> When a window opens in a key's state, its close is appended once to the
 * list of its window end ({@link DueKeys}); a watermark closes whole lists in window-end order. They
 * are lists rather than a Flink event-time timer per key and window because the timer queue (a heap
 * plus a de-duplication map per key group) is costly on the hot path with many busy IPs. The lists
 * are not checkpointed: they index open windows already in the keyed state, and {@link #open}
 * rebuilds them from it, so a restore with any parallelism costs one pass over the state. While an
 * incident is open, the window after each closed one is opened at once, so a flood that stops dead
 * still has its quiet windows counted and is resolved.
 *
 * <p><b>Idle expiry.</b> A key idle for {@code idle-ttl} since its last closed window loses its
 * state. Each key has one pending expiry check; when it comes due on a key that was active since, it
 * is scheduled again for {@code idle-ttl} after the last closed window (or after its last open
 * window, which ends after the watermark), so a busy key costs nothing per window, and a watermark
 * that jumps by months costs each key a check or two, not one per window the jump spans. On the heap backend the checks are listed like the window closes and rebuilt in
 * {@link #open}: every key is on the heap already, so a list entry costs a reference where a timer
 * would cost a timer object, a map entry and a queue slot. With RocksDB each check is a Flink
 * event-time timer on {@code windowEnd - 2}, kept in RocksDB like the state, since a list would hold
 * every tracked key on the JVM heap, which RocksDB is chosen to avoid.
 *
 * <p>Operator state ({@link #EXPIRY_IN_LISTS}) records which of the two a snapshot relied on, so a
 * savepoint can move between backends: restored into RocksDB from the heap, every key gets its timer
 * in {@link #open}; restored onto the heap from RocksDB, the rebuilt list takes over and the restored
 * timers still fire, dropping only keys that are idle.
 */
public class SpikeDetectionOperator extends AbstractStreamOperator<RateDocument>
        implements OneInputStreamOperator<Observation, RateDocument>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<AlertDocument> ALERTS = new OutputTag<>("alerts") {};
    public static final OutputTag<DeadLetter> LATE_EVENTS = new OutputTag<>("late-events") {};
    static final String KEY_STATE = "key-state";
    /** Accumulator names, read by {@code ./spikewatch run} for its status line. */
    public static final String ACC_ALERTS_OPENED = "alerts-opened";
    public static final String ACC_LATE_EVENTS = "late-events";

    /** The accumulator of the current watermark of a source's detectors (the minimum over them). */
    public static String watermarkAccumulator(LogSource source) {
        return "watermark-" + source.label();
    }

    /**
     * Operator (union list) state: true when the snapshot's expiry checks were in the heap lists,
     * not in Flink timers.
     */
    static final String EXPIRY_IN_LISTS = "expiry-checks-in-lists";

    private final LogSource source;
    private final DetectionSettings settings;
    /** Keys are client IPs; otherwise {@code dimension|key}. */
    private final boolean ipKeys;

    private transient KeyDetector detector;
    private transient ValueStateDescriptor<KeyState> keyStateDescriptor;
    private transient ValueState<KeyState> keyState;
    /**
     * Whether the keyed state lives as objects on the heap ({@code HashMapStateBackend}). There the
     * object {@code value()} returns is the stored one (copied first by the backend while a snapshot
     * still holds it: copy-on-write), so changing it in place is storing it and {@code update()} with
     * the same object would only look the key up again. RocksDB hands out deserialized copies,
     * which must be written back.
     */
    private transient boolean heapState;
    private transient ValueState<SeasonalProfile> profileState;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient DueKeys closes;
    /** Heap backend only: the expiry checks (see the class comment); null with RocksDB. */
    private transient DueKeys expiries;
    private transient ListState<Boolean> expiryInLists;
    /** The restored snapshot's keys have no expiry timers: their checks were in lists. */
    private transient boolean restoredFromLists;
    private transient Counter lateEvents;
    private transient Counter alertsOpened;
    private transient Emitter emitter;
    /** Keys with state on this subtask: counted on creation and expiry, for the keysTracked gauge. */
    private transient long keysTracked;
    private transient LongCounter alertsOpenedTotal;
    private transient LongCounter lateEventsTotal;
    private transient CurrentWatermark watermarkReported;
    private transient long expiryChecksRun;
    private transient long windowsClosed;

    private SpikeDetectionOperator(LogSource source, DetectionSettings settings, boolean ipKeys) {
        this.source = source;
        this.settings = settings;
        this.ipKeys = ipKeys;
    }

    /** The detector of ip keys; its input must be keyed by {@link #ipKey}. */
    public static SpikeDetectionOperator forIps(LogSource source, DetectionSettings settings) {
        return new SpikeDetectionOperator(source, settings, true);
    }

    /** The detector of country and scope keys; its input must be keyed by {@link #aggregateKey}. */
    public static SpikeDetectionOperator forAggregates(LogSource source, DetectionSettings settings) {
        return new SpikeDetectionOperator(source, settings, false);
    }

    public static String ipKey(Observation o) {
        return o.key;
    }

    public static String aggregateKey(Observation o) {
        return o.stateKey();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        expiryInLists = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>(EXPIRY_IN_LISTS, Boolean.class));
        restoredFromLists = false;
        if (context.isRestored()) {
            for (Boolean inLists : expiryInLists.get()) restoredFromLists |= inLists;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        expiryInLists.update(List.of(heapState));
    }

    @Override
    public void open() throws Exception {
        super.open();
        detector = new KeyDetector(settings);
        keyStateDescriptor = new ValueStateDescriptor<>(KEY_STATE, KeyState.class);
        keyState = getPartitionedState(keyStateDescriptor);
        heapState = getKeyedStateBackend() instanceof HeapKeyedStateBackend;
        profileState = getPartitionedState(new ValueStateDescriptor<>("seasonal-profile", SeasonalProfile.class));
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        lateEvents = getMetricGroup().counter("lateEvents");
        alertsOpened = getMetricGroup().counter("alertsOpened");
        getMetricGroup().gauge("keysTracked", (Gauge<Long>) () -> keysTracked);
        // Wall-clock time minus the watermark: how far behind real time windows close; -1 before
        // the first watermark.
        getMetricGroup().gauge("watermarkLagMs", (Gauge<Long>) () -> {
            long wm = timers.currentWatermark();
            return wm == Long.MIN_VALUE ? -1L : getProcessingTimeService().getCurrentProcessingTime() - wm;
        });
        alertsOpenedTotal = new LongCounter();
        lateEventsTotal = new LongCounter();
        watermarkReported = new CurrentWatermark();
        getRuntimeContext().addAccumulator(ACC_ALERTS_OPENED, alertsOpenedTotal);
        getRuntimeContext().addAccumulator(ACC_LATE_EVENTS, lateEventsTotal);
        getRuntimeContext().addAccumulator(watermarkAccumulator(source), watermarkReported);
        emitter = new Emitter();
        closes = new DueKeys();
        expiries = heapState ? new DueKeys() : null;
        rebuildDueKeys();
    }

    /**
     * Lists the close of every open window held in the (restored) keyed state, and schedules each
     * key's expiry check where this backend keeps them unless the snapshot already had it there
     * (see the class comment).
     */
    private void rebuildDueKeys() throws Exception {
        long started = System.nanoTime();
        long w = detector.windowMillis();
        boolean timersNeeded = !heapState && restoredFromLists;
        long[] keys = {0};
        this.<String>getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                keyStateDescriptor, (key, state) -> {
                    KeyState s = state.value();
                    if (s == null) return;
                    keys[0]++;
                    keysTracked++;
                    // The map's own key object (see KeyState.heapKey): the lists below hold it.
                    if (heapState) s.heapKey = key;
                    long lastEnd = s.lastClosedWindowEnd(w);
                    if (s.openWindows != null) {
                        for (WindowCounts open : s.openWindows) {
                            closes.add(open.windowStart + w - 1, key);
                            lastEnd = Math.max(lastEnd, open.windowStart + w);
                        }
                    }
                    // Not before the check an uninterrupted run would have made (later is harmless:
                    // the check only bounds how long idle state is kept).
                    long check = lastEnd + settings.idleTtlMillis(dimensionOf(key)) - 2;
                    if (heapState) {
                        expiries.add(check, key);
                    } else if (timersNeeded) {
                        // For the current key, which applyToAllKeys sets (set here again for the reader).
                        setCurrentKey(key);
                        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, check);
                    }
                });
        if (keys[0] > 0) {
            LOG.info("{}: {} open window(s) of {} restored key(s) listed, expiry checks {}, in {} ms",
                    getOperatorName(), closes.size(), keys[0],
                    heapState ? "listed" : timersNeeded ? "scheduled as timers" : "restored as timers",
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        Observation obs = element.getValue();
        // Every event of an observation is in the same window (see ObservationCombiner).
        long ts = obs.firstEventTime;
        long windowStart = detector.windowStartOf(ts);
        long windowEnd = windowStart + detector.windowMillis();
        if (windowEnd - 1 <= timers.currentWatermark()) {
            // The window has been closed and folded; counting the event now would rewrite history.
            // Only the ip view reports it (one observation per event), so one late event is one
            // dead letter and one count, not four.
            if (obs.dimension == Dimension.IP) {
                lateEvents.inc();
                lateEventsTotal.add(1L);
                output.collect(LATE_EVENTS, new StreamRecord<>(DeadLetter.of(DeadLetterReason.LATE_EVENT,
                        "event time " + ts + " is behind the " + source.label() + " watermark "
                                + timers.currentWatermark(),
                        source.label(), obs.resource,
                        obs.key + " " + (obs.sampleCount > 0 ? obs.samples().next() : ""), ts), element.getTimestamp()));
            }
            return;
        }
        KeyState state = keyState.value();
        boolean stored = state != null;
        if (state == null) {
            state = KeyState.fresh();
            keysTracked++;
            // This event's key object becomes the state map's key for the key (update below).
            if (heapState) state.heapKey = (String) getCurrentKey();
            // The key's one expiry check, as if this window were its last (see the class comment).
            scheduleExpiryCheck(windowEnd + settings.idleTtlMillis(obs.dimension) - 2, (String) getCurrentKey());
        }
        WindowCounts window = state.openWindow(windowStart);
        if (window == null) {
            window = detector.openWindow(obs.dimension, state, windowStart, profile(obs.dimension),
                    state.openWindowsBefore(windowStart));
            state.addOpenWindow(window);
            closes.add(windowEnd - 1, state.heapKey != null ? state.heapKey : (String) getCurrentKey());
        }
        emitter.bind(element.hasTimestamp() ? element.getTimestamp() : ts);
        detector.onObservation(source, obs.dimension, obs.key, state, window, obs, emitter);
        if (!stored || !heapState) keyState.update(state);
    }

    /**
     * Closes the listed windows the watermark has passed, in window-end order, then runs the listed
     * expiry checks that are due (heap backend), then fires Flink's timers (expiry checks with
     * RocksDB, or restored from a RocksDB snapshot).
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        Map.Entry<Long, ArrayList<String>> due;
        // A close may list the next window of a key (open incident), which this loop then also
        // closes if the watermark has passed it.
        while ((due = closes.pollDue(watermark)) != null) {
            long windowStart = due.getKey() + 1 - detector.windowMillis();
            for (String key : due.getValue()) {
                setCurrentKey(key);
                closeWindow(key, windowStart);
            }
        }
        // A check of a key active since lists the key again after this watermark (see expireIfIdle).
        while (expiries != null && (due = expiries.pollDue(watermark)) != null) {
            long checkTime = due.getKey();
            for (String key : due.getValue()) {
                setCurrentKey(key);
                KeyState state = keyState.value();
                // No state: dropped by an expiry timer restored from a RocksDB snapshot (onEventTime).
                if (state != null) expireIfIdle(key, dimensionOf(key), state, checkTime, watermark);
            }
        }
        super.processWatermark(mark);
        watermarkReported.add(watermark);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        // Every timer is an expiry check (see the class comment).
        long timestamp = timer.getTimestamp();
        KeyState state = keyState.value();
        if (state == null) return;
        if (heapState) {
            // A timer restored from a snapshot that kept checks as timers: drop the key if it is
            // idle. Otherwise its check is already in the list rebuilt at open, which takes over.
            if (isIdle(dimensionOf(timer.getKey()), state, timestamp)) clear();
        } else {
            // The timer service has already moved to the new watermark.
            expireIfIdle(timer.getKey(), dimensionOf(timer.getKey()), state, timestamp, timers.currentWatermark());
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        throw new IllegalStateException("no processing-time timers are registered");
    }

    /**
     * Closes the window of the current key starting at {@code windowStart}: rates, incident updates,
     * baseline folding. Does nothing when the key has no state or no such open window.
     */
    private void closeWindow(String stateKey, long windowStart) throws Exception {
        KeyState state = keyState.value();
        if (state == null) return;
        long w = detector.windowMillis();
        WindowCounts window = state.removeOpenWindow(windowStart);
        if (window == null) return;
        windowsClosed++;
        Dimension dim = dimensionOf(stateKey);
        String key = ipKeys ? stateKey : stateKey.substring(stateKey.indexOf('|') + 1);
        SeasonalProfile profile = profile(dim);
        emitter.bind(windowStart + w - 1);
        detector.onWindowClose(source, dim, key, state, windowStart, window, profile, emitter);
        if (profile != null) profileState.update(profile);

        long next = windowStart + w;
        if (incidentReaches(state, windowStart) && state.openWindow(next) == null) {
            // Keep closing windows while the incident lasts, traffic or not, so it can resolve.
            state.addOpenWindow(detector.openWindow(dim, state, next, profile, state.openWindowsBefore(next)));
            closes.add(next + w - 1, stateKey);
        }
        if (!heapState) keyState.update(state);
    }

    private Dimension dimensionOf(String stateKey) {
        return ipKeys ? Dimension.IP : Dimension.fromLabel(stateKey.substring(0, stateKey.indexOf('|')));
    }

    /**
     * Whether an open incident has started at or before {@code windowStart}. An incident opened early
     * by events of a newer window (the watermark trails event time) must not chain closes from older
     * windows: its own windows carry it, and chaining from the old ones would close windows that
     * never had traffic.
     */
    private static boolean incidentReaches(KeyState state, long windowStart) {
        return (state.requestsIncident != null && state.requestsIncident.firstWindowStart <= windowStart)
                || (state.errorsIncident != null && state.errorsIncident.firstWindowStart <= windowStart);
    }

    /** When a key's expiry check is due after its last closed window (see the class comment). */
    private long expiryTimer(Dimension dim, KeyState state) {
        return state.lastClosedWindowEnd(detector.windowMillis()) + settings.idleTtlMillis(dim) - 2;
    }

    /**
     * Drops the current key's state when it is idle at {@code checkTime}; otherwise schedules its
     * next check for when it can next be idle, which is after {@code watermark} (the watermark being
     * processed) unless the key is idle by then. A check of a busy key scheduled a window at a time
     * within that watermark would run again and again within it, so a jump of event time by months
     * would cost one check per window it spans; this way a key costs at most two checks per
     * watermark, whatever the jump.
     */
    private void expireIfIdle(String key, Dimension dim, KeyState state, long checkTime, long watermark) {
        expiryChecksRun++;
        // The final watermark closed every window first; nothing can follow it.
        if (isIdle(dim, state, checkTime) || watermark == Long.MAX_VALUE) {
            clear();
            return;
        }
        long w = detector.windowMillis();
        // Active since the check was scheduled: it can next be idle idle-ttl after its last closed
        // window, or, with windows still open (all of them end after this watermark, which has
        // closed the others), idle-ttl after the last of them closes.
        long next = Math.max(expiryTimer(dim, state), checkTime + w);
        if (state.openWindows != null) {
            for (WindowCounts open : state.openWindows) {
                next = Math.max(next, open.windowStart + w + settings.idleTtlMillis(dim) - 2);
            }
        } else if (state.hasOpenIncident()) {
            // An incident without an open window (its chain of closes keeps one open, so this is
            // not expected): not within this watermark (see above). Saturated: data can put the
            // watermark near Long.MAX_VALUE.
            next = Math.max(next, watermark > Long.MAX_VALUE - w ? Long.MAX_VALUE : watermark + w);
        }
        scheduleExpiryCheck(next, key);
    }

    /** Schedules the current key's expiry check: listed on the heap, a Flink timer with RocksDB. */
    private void scheduleExpiryCheck(long checkTime, String key) {
        if (heapState) {
            expiries.add(checkTime, key);
        } else {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, checkTime);
        }
    }

    private boolean isIdle(Dimension dim, KeyState state, long time) {
        return expiryTimer(dim, state) <= time && !state.hasOpenIncident() && !state.hasOpenWindows();
    }

    /** Drops the current key's state, which exists. */
    private void clear() {
        keysTracked--;
        keyState.clear();
        profileState.clear();
    }

    private SeasonalProfile profile(Dimension dim) throws Exception {
        if (dim == Dimension.IP || !settings.seasonalEnabled()) return null;
        SeasonalProfile p = profileState.value();
        return p != null ? p : SeasonalProfile.empty();
    }

    /** Keys with state on this subtask, as the keysTracked gauge reports it; for tests. */
    long keysTracked() {
        return keysTracked;
    }

    /** Expiry checks run since the operator opened; for tests that bound the work of a watermark. */
    long expiryChecksRun() {
        return expiryChecksRun;
    }

    /** Windows closed since the operator opened; for tests that bound the work of a watermark. */
    long windowsClosed() {
        return windowsClosed;
    }

    /** Window closes listed but not yet done; for tests that check nothing is left behind. */
    int pendingWindowCloses() {
        return closes.size();
    }

    /** The keys of the listed window closes, in due order; for tests. */
    List<String> pendingWindowCloseKeys() {
        return closes.keys();
    }

    /** Expiry checks listed (heap backend); for tests that check nothing is left behind. */
    int pendingExpiryChecks() {
        return expiries == null ? 0 : expiries.size();
    }

    /**
     * Keys listed by the watermark at which something is due for them (a window close: its
     * {@code windowEnd - 1}; an expiry check), in that order. Few distinct times are pending at once
     * (closes: one per window the watermark still trails; expiry checks: one per window of the idle
     * TTL), so the sorted map stays small; the list of the latest time, where almost every key
     * goes, is kept at hand.
     */
    static final class DueKeys {
        private final TreeMap<Long, ArrayList<String>> byTime = new TreeMap<>();
        private long lastTime = Long.MIN_VALUE;
        private ArrayList<String> lastList;
        private int size;

        void add(long dueAt, String key) {
            if (dueAt != lastTime || lastList == null) {
                lastList = byTime.computeIfAbsent(dueAt, e -> new ArrayList<>());
                lastTime = dueAt;
            }
            lastList.add(key);
            size++;
        }

        /** Removes and returns the earliest list due at {@code watermark}, or null. */
        Map.Entry<Long, ArrayList<String>> pollDue(long watermark) {
            Map.Entry<Long, ArrayList<String>> first = byTime.firstEntry();
            if (first == null || first.getKey() > watermark) return null;
            byTime.pollFirstEntry();
            if (first.getKey() == lastTime) lastList = null;
            size -= first.getValue().size();
            return first;
        }

        int size() {
            return size;
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>(size);
            for (ArrayList<String> list : byTime.values()) keys.addAll(list);
            return keys;
        }
    }

    /** Routes detector output to the main and the alert side output, stamped with the current time. */
    private final class Emitter implements DetectionOutput {
        private final StreamRecord<RateDocument> rateRecord = new StreamRecord<>(null);
        private long timestamp;

        void bind(long timestamp) {
            this.timestamp = timestamp;
        }

        @Override
        public void rate(RateDocument rate) {
            output.collect(rateRecord.replace(rate, timestamp));
        }

        @Override
        public void alert(AlertDocument alert) {
            if (AlertDocument.CHANGE_OPEN.equals(alert.change)) {
                alertsOpened.inc();
                alertsOpenedTotal.add(1L);
            }
            output.collect(ALERTS, new StreamRecord<>(alert, timestamp));
        }
    }
}
