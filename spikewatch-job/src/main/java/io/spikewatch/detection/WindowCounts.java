package io.spikewatch.detection;

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
    public double requestsWindows;
    public double errorsMean;
    public double errorsVariance;
    public double errorsWindows;

    private transient BaselineEstimate requestsExpected;
    private transient BaselineEstimate errorsExpected;

    /** HyperLogLog registers of client IPs; null for the ip dimension. */
    public byte[] uniqueIps;

    public WindowCounts() {}

    public void add(Observation o) {
        total += o.total;
        blocked += o.blocked;
        clientErrors += o.clientErrors;
        serverErrors += o.serverErrors;
        allowlisted += o.allowlisted;
        allowlistedClientErrors += o.allowlistedClientErrors;
        if (o.firstEventTime < firstEventTime) firstEventTime = o.firstEventTime;
        if (o.lastEventTime > lastEventTime) lastEventTime = o.lastEventTime;
        if (uniqueIps != null) {
            for (int i = 0; i < o.ipHashCount; i++) UniqueCountSketch.addHash(uniqueIps, o.ipHashes[i]);
        }
    }

    /** The count a signal is judged on (allowlisted traffic excluded). */
    public long detectionValue(Signal s) {
        return s == Signal.REQUESTS ? total - allowlisted : clientErrors - allowlistedClientErrors;
    }

    /**
     * The expectation fixed when the window opened. Built once per window and signal and kept in a
     * transient field (not state: it is rebuilt from the fields above after a restore), because the
     * detector asks for it on every event.
     */
    public BaselineEstimate expected(Signal s) {
        if (s == Signal.REQUESTS) {
            if (requestsExpected == null) requestsExpected = new BaselineEstimate(requestsMean, requestsVariance, requestsWindows);
            return requestsExpected;
        }
        if (errorsExpected == null) errorsExpected = new BaselineEstimate(errorsMean, errorsVariance, errorsWindows);
        return errorsExpected;
    }

    public void setExpected(Signal s, BaselineEstimate b) {
        requestsExpected = null;
        errorsExpected = null;
        if (s == Signal.REQUESTS) {
            requestsMean = b.mean();
            requestsVariance = b.variance();
            requestsWindows = b.windows();
        } else {
            errorsMean = b.mean();
            errorsVariance = b.variance();
            errorsWindows = b.windows();
        }
    }
}
