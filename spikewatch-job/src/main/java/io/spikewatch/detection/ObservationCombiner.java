package io.spikewatch.detection;

import io.spikewatch.records.AccessEvent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Pre-aggregates the country and scope views of events into {@link Observation}s of up to
 * {@link #MAX_EVENTS} events, so that the keyed shuffle carries one record per few dozen events for
 * those keys instead of three records per event.
 *
 * <p>An observation is emitted as soon as it is full, when an event of another window or more than
 * {@link #MAX_SPAN_MILLIS} of event time away arrives for its key, and on {@link #flushAll} (the
 * Flink operator calls it before forwarding a watermark, before a checkpoint barrier, at the end of
 * input and once a second). So early firing on country and scope keys is delayed by at most a
 * second of event time or {@link #MAX_EVENTS} events, while their counts stay exact. Evidence is
 * sampled: the first {@link #SAMPLES} events of each observation (counts scaled in
 * {@link Evidence#add(Observation)}).
 *
 * <p>Not thread-safe; one instance per operator subtask. Holds at most one open observation per
 * country and scope, about 250 in all.
 */
public final class ObservationCombiner {
    public static final int MAX_EVENTS = 64;
    public static final int SAMPLES = 8;
    public static final long MAX_SPAN_MILLIS = 1_000;

    /** Receives the observations the combiner emits. */
    @FunctionalInterface
    public interface Output {
        void emit(Observation o);
    }

    private static final String DOMESTIC = "domestic";
    private static final String FOREIGN = "foreign";
    private static final String ALL = "all";

    private final long windowMillis;
    private final Map<String, Observation> countries = new HashMap<>();
    private Observation domestic;
    private Observation foreign;
    private Observation all;
    /** The current event's encoded sample, or null until an observation needs it. */
    private byte[] sample;

    public ObservationCombiner(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    public void add(AccessEvent e, Output out) {
        add(e, null, out);
    }

    /**
     * Adds an event whose evidence sample the caller has already encoded ({@link Observation#encodeSample}),
     * or null to have it encoded here if an observation samples it. The bytes are copied, not kept.
     */
    public void add(AccessEvent e, byte[] sample, Output out) {
        this.sample = sample;
        long ipHash = UniqueCountSketch.hash64(e.clientIp == null ? "" : e.clientIp);
        if (e.country != null) {
            Observation c = countries.get(e.country);
            Observation next = add(c, Dimension.COUNTRY, e.country, e, ipHash, out);
            if (next != c) {
                if (next == null) countries.remove(e.country);
                else countries.put(e.country, next);
            }
        }
        // Unknown country counts as foreign: only a positive home-country match is domestic.
        if (e.domestic) domestic = add(domestic, Dimension.SCOPE, DOMESTIC, e, ipHash, out);
        else foreign = add(foreign, Dimension.SCOPE, FOREIGN, e, ipHash, out);
        all = add(all, Dimension.SCOPE, ALL, e, ipHash, out);
    }

    /** Adds the event to {@code open} (or a new observation); returns what stays open for the key, or null. */
    private Observation add(Observation open, Dimension dim, String key, AccessEvent e, long ipHash, Output out) {
        long ts = e.timestamp;
        if (open != null && !fits(open, ts)) {
            emit(open, out);
            open = null;
        }
        if (open == null) {
            open = new Observation();
            open.dimension = dim;
            open.key = key;
            open.firstEventTime = ts;
            open.lastEventTime = ts;
            open.ipHashes = new long[MAX_EVENTS];
        }
        open.count(e);
        if (ts < open.firstEventTime) open.firstEventTime = ts;
        if (ts > open.lastEventTime) open.lastEventTime = ts;
        open.ipHashes[open.ipHashCount++] = ipHash;
        if (open.sampleCount < SAMPLES) {
            if (sample == null) sample = Observation.encodeSample(e);
            open.appendSample(sample);
        }
        if (open.total >= MAX_EVENTS) {
            emit(open, out);
            return null;
        }
        return open;
    }

    private boolean fits(Observation open, long ts) {
        return Math.floorDiv(ts, windowMillis) == Math.floorDiv(open.firstEventTime, windowMillis)
                && Math.max(open.lastEventTime, ts) - Math.min(open.firstEventTime, ts) < MAX_SPAN_MILLIS;
    }

    /** Trims the ip hashes to those used and joins the samples (the serializer writes whole arrays), then emits. */
    private static void emit(Observation o, Output out) {
        if (o.ipHashCount < o.ipHashes.length) o.ipHashes = Arrays.copyOf(o.ipHashes, o.ipHashCount);
        o.joinSamples();
        out.emit(o);
    }

    /** Emits every open observation. */
    public void flushAll(Output out) {
        for (Observation o : countries.values()) emit(o, out);
        countries.clear();
        if (domestic != null) emit(domestic, out);
        if (foreign != null) emit(foreign, out);
        if (all != null) emit(all, out);
        domestic = null;
        foreign = null;
        all = null;
    }

    public boolean isEmpty() {
        return countries.isEmpty() && domestic == null && foreign == null && all == null;
    }
}
