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

    /**
     * End (epoch ms) of the last closed window, which drives idle expiry; 0 before the first. Every
     * window close folds both baselines, so the requests baseline's last window is that window (a
     * field of its own would cost 8 more bytes per IP).
     */
    public long lastClosedWindowEnd(long windowMillis) {
        return requests == null || requests.isEmpty() ? 0 : (requests.lastWindow + 1) * windowMillis;
    }

    public boolean hasOpenIncident() {
        return requestsIncident != null || errorsIncident != null;
    }
}
