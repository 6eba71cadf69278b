package io.spikewatch.records;

/**
 * One closed window of one key: the rates index document (see the output contract in the README).
 * Rendered to JSON by {@link DocumentJson}; its id is derived from (dataset, dimension, key, window
 * start) so replays overwrite instead of duplicating.
 */
public class RateDocument {
    public long windowStart;
    public long windowEnd;
    public String dataset;
    public String dimension;
    public String key;
    /** The client IP for the ip dimension, else null. */
    public String sourceIp;
    /** ISO country: the IP's for ip, the key for country, null for scope. */
    public String country;
    public long total;
    public long blocked;
    public long status4xx;
    public long status5xx;
    /** Distinct client IPs (estimated) for country/scope; 1 for ip. */
    public long uniqueIps;
    public double baselineMean;
    public double baselineStddev;
    public double anomalyScore;
    public boolean isSpike;

    public RateDocument() {}
}
