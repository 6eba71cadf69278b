package io.spikewatch.detection;

import io.spikewatch.records.AccessEvent;

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
 * <p>A public-field POJO for Flink's POJO serializer. Sample strings are capped at
 * {@link Evidence#MAX_VALUE_CHARS} when taken, so an attacker's 8 KB user agent is not shuffled.
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
    /** WAF web ACL or load balancer of the event (ip dimension only), for late-event dead letters. */
    public String resource;
    /** {@link UniqueCountSketch#hash64} of each event's client IP (country and scope only), or null. */
    public long[] ipHashes;
    public int ipHashCount;
    /** Evidence of up to a few events, {@link #SAMPLE_FIELDS} strings each (nulls allowed). */
    public String[] samples;
    public int sampleCount;

    public Observation() {}

    /** The state key of a country or scope observation: {@code dimension|key}. */
    public String stateKey() {
        return dimension.label() + "|" + key;
    }

    /** One event as seen by one key. */
    public static Observation ofEvent(Dimension dimension, String key, AccessEvent e) {
        Observation o = new Observation();
        o.dimension = dimension;
        o.key = key;
        o.firstEventTime = e.timestamp;
        o.lastEventTime = e.timestamp;
        o.samples = new String[SAMPLE_FIELDS];
        o.count(e);
        o.sample(e);
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

    /** Records the event's evidence fields in the next sample slot, if one is left. */
    boolean sample(AccessEvent e) {
        int at = sampleCount * SAMPLE_FIELDS;
        if (samples == null || at + SAMPLE_FIELDS > samples.length) return false;
        samples[at] = Evidence.cap(e.uri);
        samples[at + 1] = Evidence.cap(e.userAgent);
        samples[at + 2] = Evidence.cap(e.terminatingRule);
        samples[at + 3] = Evidence.cap(e.requestId);
        sampleCount++;
        return true;
    }

    public String sampleUri(int i) {
        return samples[i * SAMPLE_FIELDS];
    }

    public String sampleUserAgent(int i) {
        return samples[i * SAMPLE_FIELDS + 1];
    }

    public String sampleRule(int i) {
        return samples[i * SAMPLE_FIELDS + 2];
    }

    public String sampleRequestId(int i) {
        return samples[i * SAMPLE_FIELDS + 3];
    }
}
