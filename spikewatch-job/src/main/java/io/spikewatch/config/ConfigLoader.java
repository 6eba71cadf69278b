package io.spikewatch.config;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.RollingBaseline;
import io.spikewatch.detection.Signal;
import io.spikewatch.detection.SpikeRule;
import io.spikewatch.records.LogSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads {@link SpikewatchConfig} from a flat key/value map (a job profile's
 * {@code spikewatch.properties} with {@code --set} overrides on top, see {@link ConfigArgs}).
 *
 * <p>Every key is a {@link Setting} of {@link Settings} with a documented default ({@link #describe()}
 * lists them all, and the README's configuration reference is generated from the same list). An
 * unknown key is an error that names it: a typo in a threshold must not silently leave the default
 * in force.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /** All keys (detector, AWS and connectors) with default and meaning, in documentation order. */
    public static Map<String, String[]> describe() {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (Setting<?> s : Settings.all()) out.put(s.key(), new String[] {s.defaultText(), s.description()});
        return out;
    }

    /** Reads {@code file} (a profile directory or properties file; may be null) with overrides on top. */
    public static Map<String, String> read(Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            Path f = Files.isDirectory(file) ? file.resolve("spikewatch.properties") : file;
            if (!Files.isRegularFile(f)) {
                throw new ConfigException("configuration file not found: " + f);
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String k : p.stringPropertyNames()) values.put(k, p.getProperty(k));
        }
        values.putAll(overrides);
        return values;
    }

    /** Loads the detector configuration from {@code file} with {@code overrides} applied on top. */
    public static SpikewatchConfig load(Path file, Map<String, String> overrides) throws IOException {
        return fromMap(read(file, overrides));
    }

    public static SpikewatchConfig fromMap(Map<String, String> given) {
        return fromValues(new ConfigValues(given));
    }

    /** The detector configuration from {@code v} (which has already rejected unknown keys). */
    public static SpikewatchConfig fromValues(ConfigValues v) {
        Map<Dimension, Map<Signal, SpikeRule>> rules = new EnumMap<>(Dimension.class);
        for (Dimension dim : Dimension.values()) {
            Map<Signal, SpikeRule> bySignal = new EnumMap<>(Signal.class);
            for (Signal sig : Signal.values()) {
                Settings.RuleSettings r = Settings.detect(dim, sig);
                checkWarmupReachable(r.warmupWindows(), v);
                try {
                    bySignal.put(sig, new SpikeRule(v.get(r.minVolume()), v.get(r.absoluteRate()), v.get(r.zScore()),
                            v.get(r.ratio()), v.get(r.warmupWindows()), v.get(r.minFraction())));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("invalid " + r.prefix() + "* settings: " + e.getMessage());
                }
            }
            rules.put(dim, bySignal);
        }
        Map<Dimension, Duration> ttl = new EnumMap<>(Dimension.class);
        for (Dimension dim : Dimension.values()) ttl.put(dim, v.get(Settings.idleTtl(dim)));
        DetectionSettings detection;
        try {
            detection = new DetectionSettings(v.get(Settings.WINDOW_SIZE), v.get(Settings.BASELINE_HALF_LIFE), rules,
                    v.get(Settings.SEASONAL_ENABLED), v.get(Settings.SEASONAL_HALF_LIFE),
                    v.get(Settings.SEASONAL_MATURE_WINDOWS), v.get(Settings.RESOLVE_AFTER_QUIET_WINDOWS),
                    v.get(Settings.HOT_FRACTION), v.get(Settings.IP_MIN_REQUESTS), ttl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid detection settings: " + e.getMessage());
        }

        Set<String> home = new LinkedHashSet<>();
        for (String c : v.get(Settings.HOME_COUNTRIES)) {
            String cc = c.toUpperCase(Locale.ROOT);
            if (!cc.matches("[A-Z]{2}")) {
                throw new ConfigException("geo.home-countries: '" + c + "' is not an ISO 3166-1 alpha-2 code");
            }
            home.add(cc);
        }
        boolean albGeo = v.get(Settings.ALB_GEO_ENABLED);
        String db = v.get(Settings.ALB_GEO_DATABASE);
        // Required only where ALB input is known: the live job (LiveJobConfig, start-up checks) and
        // replay (which installs the DB-IP database on first use); WAF records carry their country.
        SpikewatchConfig.Enrichment enrichment = new SpikewatchConfig.Enrichment(
                Set.copyOf(home), List.copyOf(v.get(Settings.ALLOWLIST)), db.isEmpty() ? null : db, albGeo);

        Map<LogSource, SpikewatchConfig.Watermarks> wm = new EnumMap<>(LogSource.class);
        for (LogSource s : LogSource.values()) {
            wm.put(s, new SpikewatchConfig.Watermarks(v.get(Settings.watermarks(s).outOfOrderness()),
                    v.get(Settings.watermarks(s).idleness()), v.get(Settings.watermarks(s).quietClose())));
        }
        int maxRecord = v.get(Settings.MAX_RECORD_BYTES);
        int maxLine = v.get(Settings.MAX_LINE_CHARS);
        if (maxRecord < 1024 || maxLine < 256) {
            throw new ConfigException("input.max-record-bytes must be >= 1024 and input.max-line-chars >= 256");
        }
        SpikewatchConfig.EventTimeLimits eventTime = new SpikewatchConfig.EventTimeLimits(
                v.get(Settings.MAX_FUTURE_SKEW), v.get(Settings.MAX_EVENT_TIME_JUMP));
        int parallelism = v.get(Settings.PARALLELISM);
        if (parallelism < 0) throw new ConfigException("job.parallelism must be >= 0");
        Duration checkpoint = v.get(Settings.CHECKPOINT_INTERVAL);
        if (checkpoint.toMillis() < 100) throw new ConfigException("job.checkpoint-interval must be at least 100ms");
        return new SpikewatchConfig(detection, enrichment, wm, maxRecord, maxLine, eventTime, parallelism, checkpoint,
                v.get(Settings.STARTUP_CHECKS));
    }

    /**
     * A warm-up must be reachable: a key counts its windows of history in one byte, so a warm-up of
     * more windows never ends, whatever the window size, half-life or idle TTL (those do not limit
     * it: idle windows count as history while the key's state lives).
     */
    private static void checkWarmupReachable(Setting<Double> warmup, ConfigValues v) {
        if (v.get(warmup) > RollingBaseline.MAX_WINDOWS) {
            throw new ConfigException(warmup.key() + "=" + v.raw(warmup).trim() + " can never be reached: a key counts at most "
                    + RollingBaseline.MAX_WINDOWS + " windows of history (" + RollingBaseline.MAX_WINDOWS
                    + " x window.size=" + v.raw(Settings.WINDOW_SIZE).trim() + "); set it to at most " + RollingBaseline.MAX_WINDOWS);
        }
    }
}
