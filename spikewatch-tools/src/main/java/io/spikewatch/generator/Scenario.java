package io.spikewatch.generator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the generated day contains besides normal traffic. Each scenario plants labelled incidents
 * (see {@link TrafficGenerator} for the traffic model and {@code truth.jsonl} for the labels).
 */
public enum Scenario {
    /** One new IP sends 1,500–4,000 req/min for 5–15 min; rate-limited by WAF after the first minute. */
    IP_FLOOD("ip-flood"),
    /** 300–800 new IPs of one foreign country, 2–10 req/min each, for 10–30 min. */
    COUNTRY_SURGE("country-surge"),
    /** One IP probing for admin pages and secrets, 30–50 req/min, mostly 4xx, for 60–180 min. */
    SCANNER("scanner"),
    /** Legitimate domestic crowd: 3–5× domestic traffic within 2 min, decaying over 20–40 min. */
    FLASH_CROWD("flash-crowd"),
    /** Normal traffic only; {@code truth.jsonl} is empty. */
    QUIET_DAY("quiet-day"),
    /** One incident of each of the first four kinds, at different times. */
    MIXED("mixed");

    private final String cliName;

    Scenario(String cliName) {
        this.cliName = cliName;
    }

    /** Kebab-case name used on the command line and in {@code truth.jsonl} as the incident kind. */
    public String cliName() {
        return cliName;
    }

    /**
     * @throws IllegalArgumentException listing the valid names
     */
    public static Scenario fromCliName(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (Scenario s : values()) {
            if (s.cliName.equals(n)) return s;
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; valid: "
                + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
