package io.spikewatch.records;

/**
 * What a hot key's requests looked like: top URIs, user agents and WAF rules, blocked share and a few
 * request ids, so an analyst can judge an alert without querying the raw logs.
 *
 * <p>Collected only while a key is hot (close to its threshold) or has an open incident, so that
 * millions of quiet IPs carry none of it. Every string is capped at {@link #MAX_VALUE_CHARS} when it
 * is recorded: log fields are attacker-controlled and would otherwise bloat state and alerts.
 */
public class Evidence {
    public static final int MAX_VALUE_CHARS = 256;
    public static final int TOP_CAPACITY = 12;
    public static final int SAMPLE_IDS = 5;

    public TopCounts uris;
    public TopCounts userAgents;
    public TopCounts rules;
    public long requests;
    public long blocked;
    public long clientErrors;
    public String[] sampleRequestIds;
    public int sampleCount;

    public Evidence() {}

    public static Evidence empty() {
        Evidence e = new Evidence();
        e.uris = TopCounts.withCapacity(TOP_CAPACITY);
        e.userAgents = TopCounts.withCapacity(TOP_CAPACITY);
        e.rules = TopCounts.withCapacity(TOP_CAPACITY);
        e.sampleRequestIds = new String[SAMPLE_IDS];
        return e;
    }

    /** Adds counts of requests that are not (all) sampled; see {@code Observation.addTo}. */
    public void addCounts(long requests, long blocked, long clientErrors) {
        this.requests += requests;
        this.blocked += blocked;
        this.clientErrors += clientErrors;
    }

    /** Adds one sampled request, standing for {@code weight} requests in the top lists. */
    public void addSample(String uri, String userAgent, String rule, String requestId, long weight) {
        uris.add(uri, weight);
        userAgents.add(userAgent, weight);
        if (rule != null && !"Default_Action".equals(rule)) rules.add(rule, weight);
        if (requestId != null && sampleCount < SAMPLE_IDS) sampleRequestIds[sampleCount++] = requestId;
    }

    /** A deep copy, so an emitted alert does not change when the key's evidence grows. */
    public Evidence copy() {
        Evidence e = new Evidence();
        e.uris = uris.copy();
        e.userAgents = userAgents.copy();
        e.rules = rules.copy();
        e.requests = requests;
        e.blocked = blocked;
        e.clientErrors = clientErrors;
        e.sampleRequestIds = sampleRequestIds.clone();
        e.sampleCount = sampleCount;
        return e;
    }

    public double blockedShare() {
        return requests == 0 ? 0 : (double) blocked / requests;
    }

    public static String cap(String s) {
        if (s == null || s.length() <= MAX_VALUE_CHARS) return s;
        int end = MAX_VALUE_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }
}
