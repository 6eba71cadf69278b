package io.spikewatch.detection;

/** What a rate is counted per: one client IP, one country, or a traffic scope (domestic/foreign/all). */
public enum Dimension {
    IP("ip"),
    COUNTRY("country"),
    SCOPE("scope");

    private final String label;

    Dimension(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Dimension fromLabel(String label) {
        for (Dimension d : values()) {
            if (d.label.equals(label)) return d;
        }
        throw new IllegalArgumentException("unknown dimension '" + label + "' (expected ip, country or scope)");
    }
}
