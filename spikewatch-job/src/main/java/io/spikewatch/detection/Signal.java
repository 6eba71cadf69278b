package io.spikewatch.detection;

/**
 * The per-window counts that have their own baseline and their own incidents: a surge of requests,
 * or a surge of client errors (4xx) that betrays a scanner long before its volume stands out.
 */
public enum Signal {
    REQUESTS("requests"),
    CLIENT_ERRORS("client_errors");

    private final String label;

    Signal(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
