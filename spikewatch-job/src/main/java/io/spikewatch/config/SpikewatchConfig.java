package io.spikewatch.config;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.records.LogSource;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole typed configuration of a spikewatch job, loaded once in {@code main} by
 * {@link ConfigLoader} and passed to the workflow. Serializable: Flink functions carry the parts
 * they need.
 *
 * @param detection       detector tunables
 * @param enrichment      geolocation, home countries and allowlist
 * @param watermarks      out-of-orderness and idleness per source
 * @param maxRecordBytes  cap on one decompressed input record
 * @param maxLineChars    cap on one log line
 * @param eventTimeLimits when an event's time is implausible
 * @param parallelism     job parallelism (0: the environment's default)
 * @param checkpointInterval checkpoint interval of the live job
 * @param startupChecks   whether the live job checks its inputs and outputs before it starts
 */
public record SpikewatchConfig(
        DetectionSettings detection,
        Enrichment enrichment,
        Map<LogSource, Watermarks> watermarks,
        int maxRecordBytes,
        int maxLineChars,
        EventTimeLimits eventTimeLimits,
        int parallelism,
        Duration checkpointInterval,
        boolean startupChecks) implements Serializable {

    /**
     * @param homeCountries    ISO-2 codes counted as domestic
     * @param allowlist        CIDRs that are counted but never alerted on
     * @param albGeoDatabase   MaxMind-format country DB for ALB events; null only when albGeoEnabled is false
     * @param albGeoEnabled    false to run without ALB geolocation (ALB events then have no country)
     */
    public record Enrichment(Set<String> homeCountries, List<String> allowlist, String albGeoDatabase,
                             boolean albGeoEnabled) implements Serializable {
        /** These settings with {@code database} as the ALB country database. */
        public Enrichment withAlbGeoDatabase(String database) {
            return new Enrichment(homeCountries, allowlist, database, albGeoEnabled);
        }
    }

    /**
     * @param outOfOrderness how late an event may be and still count
     * @param idleness       when an input without events stops holding back the watermark
     * @param quietClose     wall-clock time without events after which a source's watermark moves on
     *                       at wall-clock pace, so that due windows close; zero: never
     */
    public record Watermarks(Duration outOfOrderness, Duration idleness, Duration quietClose) implements Serializable {}

    /**
     * @param maxFutureSkew how far an event's time may be after its record's arrival; zero: no limit
     * @param maxJump       how far an event's time may be from its source's recent event time; zero: no limit
     */
    public record EventTimeLimits(Duration maxFutureSkew, Duration maxJump) implements Serializable {}

    /** This configuration with other enrichment settings. */
    public SpikewatchConfig withEnrichment(Enrichment other) {
        return new SpikewatchConfig(detection, other, watermarks, maxRecordBytes, maxLineChars, eventTimeLimits,
                parallelism, checkpointInterval, startupChecks);
    }

    public Watermarks watermarks(LogSource source) {
        return watermarks.get(source);
    }

    /** This configuration with other event-time limits. */
    public SpikewatchConfig withEventTimeLimits(EventTimeLimits limits) {
        return new SpikewatchConfig(detection, enrichment, watermarks, maxRecordBytes, maxLineChars, limits,
                parallelism, checkpointInterval, startupChecks);
    }
}
