package io.spikewatch.detection;

import io.spikewatch.records.Evidence;

import io.spikewatch.records.AccessEvent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What one key's detector receives: the counts of one or more events of that key within one
 * window, plus a small sample of their evidence fields. It is the record of the keyed shuffle, so it
 * carries only what detection needs, never the whole {@link AccessEvent}.
 *
 * <p>An ip observation is always one event ({@link #ofEvent}), so the ip detector sees every
 * request as it happens. Country and scope observations are pre-aggregated per window by
 * {@link ObservationCombiner}: those keys see a large share of all traffic, and shipping each event
 * to three of them made the shuffle the job's main cost.
 *
 * <p>A public-field POJO for Flink's POJO serializer. Evidence samples travel as UTF-8 bytes, capped
 * at {@link Evidence#MAX_VALUE_CHARS} characters per field when taken (an attacker's 8 KB user agent
 * is not shuffled): Flink copies a byte array in one go where it writes a string char by char, and
 * the receiving detector turns them into strings only while its key is hot, which most never are.
 */
public class Observation {
    /** Fields per evidence sample in {@link #samples}: uri, user agent, WAF rule, request id. */
    public static final int SAMPLE_FIELDS = 4;

    public Dimension dimension;
    /** The key within its dimension: the client IP, the country code, or the scope name. */
    public String key;
    public long firstEventTime;
    public long lastEventTime;
    public int total;
    public int blocked;
    public int clientErrors;
    public int serverErrors;
    /** Events (and client errors among them) from allowlisted IPs: counted, never alerted on. */
    public int allowlisted;
    public int allowlistedClientErrors;
    /** Country of the ip (ip dimension only), or null. */
    public String country;
    /**
     * WAF web ACL or load balancer of the event (ip dimension only), for late-event dead letters:
     * the fan-out sends it only with events that are already late there.
     */
    public String resource;
    /** {@link UniqueCountSketch#hash64} of each event's client IP (country and scope only), or null. */
    public long[] ipHashes;
    public int ipHashCount;
    /**
     * Evidence of up to a few events, {@link #SAMPLE_FIELDS} fields each: per field a two-byte
     * length ({@code 0xFFFF} for null) and that many UTF-8 bytes. Read with {@link #samples()}.
     */
    public byte[] samples;
    public int sampleCount;
    /**
     * While {@link ObservationCombiner} appends samples: the arrays appended after the first
     * ({@link #samples} still holds only that one), joined into {@link #samples} by
     * {@link #joinSamples} before the observation is emitted. Null otherwise; not serialized.
     */
    transient byte[][] pendingSamples;
    transient int pendingCount;

    public Observation() {}

    /** The state key of a country or scope observation: {@code dimension|key}. */
    public String stateKey() {
        return dimension.label() + "|" + key;
    }

    /** One event as seen by one key. */
    public static Observation ofEvent(Dimension dimension, String key, AccessEvent e) {
        return ofEvent(dimension, key, e, encodeSample(e));
    }

    /**
     * One event as seen by one key, with the event's sample already encoded ({@link #encodeSample}).
     * The observation keeps {@code sample} as its {@link #samples} array: do not modify it after.
     */
    public static Observation ofEvent(Dimension dimension, String key, AccessEvent e, byte[] sample) {
        Observation o = new Observation();
        o.dimension = dimension;
        o.key = key;
        o.firstEventTime = e.timestamp;
        o.lastEventTime = e.timestamp;
        o.count(e);
        o.samples = sample;
        o.sampleCount = 1;
        if (dimension == Dimension.IP) {
            o.country = e.country;
            o.resource = e.resource;
        } else {
            o.ipHashes = new long[] {UniqueCountSketch.hash64(e.clientIp == null ? "" : e.clientIp)};
            o.ipHashCount = 1;
        }
        return o;
    }

    /** Adds one event's counts (not its times, sample or ip hash). */
    void count(AccessEvent e) {
        total++;
        boolean clientError = e.isClientError();
        if (e.isBlocked()) blocked++;
        if (clientError) clientErrors++;
        if (e.isServerError()) serverErrors++;
        if (e.allowlisted) {
            allowlisted++;
            if (clientError) allowlistedClientErrors++;
        }
    }

    /**
     * The event's evidence fields as one sample of {@link #samples}. The fan-out encodes each event
     * once and hands the bytes to every observation that samples it (its ip observation, and its
     * country and scope observations while they take samples). {@code String.getBytes} per field
     * allocates, but it is a vectorised copy for the usual ASCII text, and a hand-written encoder
     * into the one array, while allocating less, costs more CPU.
     */
    public static byte[] encodeSample(AccessEvent e) {
        byte[] uri = utf8(Evidence.cap(e.uri));
        byte[] agent = utf8(Evidence.cap(e.userAgent));
        byte[] rule = utf8(Evidence.cap(e.terminatingRule));
        byte[] id = utf8(Evidence.cap(e.requestId));
        byte[] sample = new byte[2 * SAMPLE_FIELDS + length(uri) + length(agent) + length(rule) + length(id)];
        int at = put(sample, uri, 0);
        at = put(sample, agent, at);
        at = put(sample, rule, at);
        put(sample, id, at);
        return sample;
    }

    /**
     * Appends one encoded sample ({@link #encodeSample}). No bytes are copied here: encoded
     * samples are never modified, so the first is kept as {@link #samples} and later ones are kept
     * by reference until {@link #joinSamples} copies them into one array of exactly their bytes, one
     * copy of each (growing an array by doubling instead, and cutting it to size, copied each
     * sample about three times).
     */
    void appendSample(byte[] sample) {
        sampleCount++;
        if (samples == null) {
            samples = sample;
            return;
        }
        if (pendingSamples == null) {
            pendingSamples = new byte[ObservationCombiner.SAMPLES][];
        } else if (pendingCount == pendingSamples.length) {
            pendingSamples = Arrays.copyOf(pendingSamples, 2 * pendingCount);
        }
        pendingSamples[pendingCount++] = sample;
    }

    /** Joins the appended samples into {@link #samples} (the serializers write that array whole). */
    void joinSamples() {
        if (pendingSamples == null) return;
        int bytes = samples.length;
        for (int i = 0; i < pendingCount; i++) bytes += pendingSamples[i].length;
        byte[] joined = Arrays.copyOf(samples, bytes);
        int at = samples.length;
        for (int i = 0; i < pendingCount; i++) {
            System.arraycopy(pendingSamples[i], 0, joined, at, pendingSamples[i].length);
            at += pendingSamples[i].length;
        }
        samples = joined;
        pendingSamples = null;
        pendingCount = 0;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static int put(byte[] sample, byte[] field, int at) {
        int n = field == null ? NULL_FIELD : field.length;
        sample[at] = (byte) (n >>> 8);
        sample[at + 1] = (byte) n;
        if (field != null) System.arraycopy(field, 0, sample, at + 2, field.length);
        return at + 2 + length(field);
    }

    /** A reader over the samples, one {@link SampleReader#next()} per field, in sample order. */
    public SampleReader samples() {
        return new SampleReader(samples);
    }

    private static final int NULL_FIELD = 0xFFFF;

    /** Reads the fields of {@link #samples}: uri, user agent, rule, request id, then the next sample. */
    public static final class SampleReader {
        private final byte[] bytes;
        private int at;

        private SampleReader(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The next field, or null when it was null (or when there are no more). */
        public String next() {
            if (bytes == null || at + 2 > bytes.length) return null;
            int n = ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
            at += 2;
            if (n == NULL_FIELD) return null;
            String s = new String(bytes, at, n, StandardCharsets.UTF_8);
            at += n;
            return s;
        }
    }

    /**
     * Adds this observation to a key's evidence: its counts exactly, its sampled events with the
     * weight they stand for (an ip observation is one event with itself as sample; a country or scope
     * observation of 64 events samples 8, each counted 8 times in the top lists).
     */
    public void addTo(Evidence evidence) {
        evidence.addCounts(total, blocked, clientErrors);
        if (sampleCount == 0) return;
        long weight = Math.max(1, Math.round((double) total / sampleCount));
        SampleReader fields = samples();
        for (int i = 0; i < sampleCount; i++) {
            evidence.addSample(fields.next(), fields.next(), fields.next(), fields.next(), weight);
        }
    }
}
