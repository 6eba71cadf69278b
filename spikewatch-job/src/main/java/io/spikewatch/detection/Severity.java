package io.spikewatch.detection;

/**
 * How far a window is above its alert threshold. Derived from {@code observed / threshold} so that
 * it means the same for a new key (absolute rule) and an established one (baseline rule).
 */
public enum Severity {
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high"),
    CRITICAL("critical");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Excess over threshold: below 2x low, below 5x medium, below 20x high, else critical. */
    public static Severity ofExcess(double observedOverThreshold) {
        if (observedOverThreshold >= 20) return CRITICAL;
        if (observedOverThreshold >= 5) return HIGH;
        if (observedOverThreshold >= 2) return MEDIUM;
        return LOW;
    }

    public static Severity fromLabel(String label) {
        for (Severity s : values()) {
            if (s.label.equals(label)) return s;
        }
        throw new IllegalArgumentException("unknown severity '" + label + "'");
    }
}
