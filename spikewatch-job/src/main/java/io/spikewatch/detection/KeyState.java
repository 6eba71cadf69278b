package io.spikewatch.detection;

import io.spikewatch.records.Evidence;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything spikewatch keeps per (source, dimension, key) between windows. For a quiet IP this is
 * two baselines and a few flags; incidents and evidence exist only while a key is hot.
 *
 * <p>Serialized in state by {@link KeyStateSerializer} (compact; a field added here must be added
 * there), not by Flink's PojoSerializer.
 */
@TypeInfo(KeyStateTypeInfoFactory.class)
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
    /**
     * Windows that saw traffic and have not closed yet, or null: usually one, two while the
     * watermark trails into the next window, more with a long out-of-orderness. Kept in this
     * object rather than a map state of their own so that an event costs one state read and one
     * write, not four.
     */
    public WindowCounts[] openWindows;
    /**
     * Not state (never serialized): on the heap backend, the very object the state map holds this
     * state under. The operator lists this key's window closes and expiry checks under that object,
     * so that the lookup at the close finds the map entry by identity ({@code String.equals} returns
     * at {@code ==}) instead of comparing a second copy of the key's characters, one more cold
     * cache line or two per close; and so that the lists keep no extra copy of the key alive. Null
     * where unknown (RocksDB hands out copies; the lists then hold the event's own key).
     */
    public transient String heapKey;

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

    /** The open window starting at {@code windowStart}, or null. */
    public WindowCounts openWindow(long windowStart) {
        if (openWindows == null) return null;
        for (WindowCounts w : openWindows) {
            if (w.windowStart == windowStart) return w;
        }
        return null;
    }

    public void addOpenWindow(WindowCounts window) {
        if (openWindows == null) {
            openWindows = new WindowCounts[] {window};
        } else {
            openWindows = java.util.Arrays.copyOf(openWindows, openWindows.length + 1);
            openWindows[openWindows.length - 1] = window;
        }
    }

    /** Removes and returns the open window starting at {@code windowStart}, or null. */
    public WindowCounts removeOpenWindow(long windowStart) {
        if (openWindows == null) return null;
        for (int i = 0; i < openWindows.length; i++) {
            WindowCounts w = openWindows[i];
            if (w.windowStart != windowStart) continue;
            if (openWindows.length == 1) {
                openWindows = null;
            } else {
                WindowCounts[] rest = new WindowCounts[openWindows.length - 1];
                System.arraycopy(openWindows, 0, rest, 0, i);
                System.arraycopy(openWindows, i + 1, rest, i, rest.length - i);
                openWindows = rest;
            }
            return w;
        }
        return null;
    }

    /** How many open windows start before {@code windowStart}. */
    public int openWindowsBefore(long windowStart) {
        int n = 0;
        if (openWindows != null) {
            for (WindowCounts w : openWindows) {
                if (w.windowStart < windowStart) n++;
            }
        }
        return n;
    }

    public boolean hasOpenWindows() {
        return openWindows != null;
    }

    public boolean hasOpenIncident() {
        return requestsIncident != null || errorsIncident != null;
    }
}
