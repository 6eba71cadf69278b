package io.spikewatch.records;


/**
 * One incident's current state: the alerts index document, updated in place (same {@link #alertId})
 * from opening to resolution, and the body of the SNS message on opening and escalation.
 */
public class AlertDocument {
    /** What this emission is: the SNS sink publishes only {@code open} and {@code escalation}. */
    public static final String CHANGE_OPEN = "open";
    public static final String CHANGE_ESCALATION = "escalation";
    public static final String CHANGE_UPDATE = "update";
    public static final String CHANGE_RESOLVE = "resolve";

    public String alertId;
    /** {@code open} or {@code resolved}. */
    public String status;
    public String severity;
    public String change;
    /** First detection, event time (epoch ms). */
    public long timestamp;
    public String dataset;
    public String dimension;
    public String key;
    public String sourceIp;
    public String country;
    /** {@code requests} or {@code client_errors}. */
    public String signal;
    /** Window of the latest observation. */
    public long windowStart;
    public long windowEnd;
    /** Count in that window (partial when the alert fired before the window closed). */
    public long observed;
    /** The count at which that window became a spike (pro-rated when early). */
    public double threshold;
    public double baselineMean;
    public double baselineStddev;
    public double anomalyScore;
    public double ratio;
    /** Largest window count during the incident. */
    public long peak;
    public long firstSeen;
    public long lastSeen;
    /** Number of spike windows so far. */
    public int spikeWindows;
    public Evidence evidence;

    public AlertDocument() {}
}
