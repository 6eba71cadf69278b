package io.spikewatch.detection;

import io.spikewatch.records.AccessEvent;

/**
 * Counts of one key in one open event-time window, with the expectation for that window fixed when
 * the window opens (so the per-event threshold check is a few multiplications, not a baseline
 * recomputation).
 */
public class WindowCounts {
    public long windowStart;
    public long total;
    public long blocked;
    public long clientErrors;
    public long serverErrors;
    /** Requests and client errors from allowlisted IPs: counted in rates, excluded from detection. */
    public long allowlisted;
    public long allowlistedClientErrors;
    public long firstEventTime = Long.MAX_VALUE;
    public long lastEventTime = Long.MIN_VALUE;

    public double requestsMean;
    public double requestsVariance;
    public double requestsWeight;
    public double errorsMean;
    public double errorsVariance;
    public double errorsWeight;

    /** HyperLogLog registers of client IPs; null for the ip dimension. */
    public byte[] uniqueIps;

    public WindowCounts() {}

    public void add(AccessEvent e) {
        total++;
        boolean clientError = e.isClientError();
        if (e.isBlocked()) blocked++;
        if (clientError) clientErrors++;
        if (e.isServerError()) serverErrors++;
        if (e.allowlisted) {
            allowlisted++;
            if (clientError) allowlistedClientErrors++;
        }
        if (e.timestamp < firstEventTime) firstEventTime = e.timestamp;
        if (e.timestamp > lastEventTime) lastEventTime = e.timestamp;
        if (uniqueIps != null && e.clientIp != null) UniqueCountSketch.add(uniqueIps, e.clientIp);
    }

    /** The count a signal is judged on (allowlisted traffic excluded). */
    public long detectionValue(Signal s) {
        return s == Signal.REQUESTS ? total - allowlisted : clientErrors - allowlistedClientErrors;
    }

    public BaselineEstimate expected(Signal s) {
        return s == Signal.REQUESTS
                ? new BaselineEstimate(requestsMean, requestsVariance, requestsWeight)
                : new BaselineEstimate(errorsMean, errorsVariance, errorsWeight);
    }

    public void setExpected(Signal s, BaselineEstimate b) {
        if (s == Signal.REQUESTS) {
            requestsMean = b.mean();
            requestsVariance = b.variance();
            requestsWeight = b.weight();
        } else {
            errorsMean = b.mean();
            errorsVariance = b.variance();
            errorsWeight = b.weight();
        }
    }
}
