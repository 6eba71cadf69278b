package io.spikewatch.detection;

/** An open incident of one key and signal: what its alert document says, kept until resolution. */
public class Incident {
    public String alertId;
    public long firstSeen;
    public long lastSeen;
    public long firstWindowStart;
    public long lastWindowStart;
    public long observed;
    public long peak;
    public double threshold;
    public String severity;
    public double score;
    public double ratio;
    public double baselineMean;
    public double baselineStddev;
    public int quietWindows;
    public int spikeWindows;

    public Incident() {}
}
