package io.spikewatch.detection;

/**
 * Everything spikewatch keeps per (source, dimension, key) between windows. For a quiet IP this is
 * two baselines and a few flags; incidents and evidence exist only while a key is hot.
 */
public class KeyState {
    public RollingBaseline requests;
    public RollingBaseline clientErrors;
    /** The key's IP is in an allowlisted CIDR: rates are written, alerts never. */
    public boolean allowlisted;
    /** Country of the IP (ip dimension) as last seen, for the documents. */
    public String country;
    /** End of the last closed window (epoch ms); drives idle expiry. */
    public long lastClosedWindowEnd;
    public Incident requestsIncident;
    public Incident errorsIncident;
    public Evidence evidence;

    public KeyState() {}

    public static KeyState fresh() {
        KeyState s = new KeyState();
        s.requests = new RollingBaseline();
        s.clientErrors = new RollingBaseline();
        return s;
    }

    public RollingBaseline baseline(Signal s) {
        return s == Signal.REQUESTS ? requests : clientErrors;
    }

    public Incident incident(Signal s) {
        return s == Signal.REQUESTS ? requestsIncident : errorsIncident;
    }

    public void setIncident(Signal s, Incident i) {
        if (s == Signal.REQUESTS) requestsIncident = i;
        else errorsIncident = i;
    }

    public boolean hasOpenIncident() {
        return requestsIncident != null || errorsIncident != null;
    }
}
