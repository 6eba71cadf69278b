package io.spikewatch.config;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Signal;
import io.spikewatch.detection.SpikeRule;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.connectors.sns.SnsSettings;
import io.spikewatch.records.LogSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code spikewatch.properties}, command-line overrides, or Managed Flink runtime properties).
 *
 * <p>Every key has a documented default ({@link #describe()} lists them all, and the README's
 * configuration reference is generated from the same table). An unknown key is an error that names
 * it: a typo in a threshold must not silently leave the default in force.
 */
public final class ConfigLoader {
    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    private record Setting(String defaultValue, String meaning) {}

    private static void define(String key, String defaultValue, String meaning) {
        SETTINGS.put(key, new Setting(defaultValue, meaning));
    }

    static {
        DetectionSettings d = DetectionSettings.defaults();
        define("window.size", "1m", "Event-time window of every rate (tumbling).");
        define("baseline.half-life", "30m", "Half-life of the rolling mean/variance per key.");
        define("baseline.seasonal.enabled", "true", "Keep an hour-of-day x weekday/weekend profile for country and scope keys.");
        define("baseline.seasonal.half-life", "7d", "Half-life of a seasonal slot.");
        define("baseline.seasonal.mature-windows", "120", "Windows a seasonal slot needs before it is used.");
        for (Dimension dim : Dimension.values()) {
            for (Signal sig : Signal.values()) {
                SpikeRule r = d.rule(dim, sig);
                String p = "detect." + dim.label() + "." + sig.label().replace('_', '-') + ".";
                String what = sig == Signal.REQUESTS ? "requests" : "4xx responses";
                define(p + "min-volume", num(r.minVolume()), "Smallest " + what + " count per window that can alert (" + dim.label() + ").");
                define(p + "absolute-rate", num(r.absoluteRate()), "Per-window " + what + " that alert a key without baseline (" + dim.label() + ").");
                define(p + "z-score", num(r.zScore()), "Standard scores above the baseline needed to alert (" + dim.label() + ", " + what + ").");
                define(p + "ratio", num(r.ratio()), "Multiple of the baseline mean needed to alert (" + dim.label() + ", " + what + ").");
                define(p + "warmup-windows", num(r.warmupWindows()), "Windows of history before the baseline rule replaces the absolute rule (" + dim.label() + ", " + what + ").");
                define(p + "min-fraction", num(r.minFraction()), "Smallest window fraction an early (pro-rated) check uses (" + dim.label() + ", " + what + ").");
            }
        }
        define("incident.resolve-after-quiet-windows", "3", "Non-spike windows after which an incident is resolved.");
        define("incident.hot-fraction", "0.5", "Share of the threshold at which a key starts collecting evidence.");
        define("rates.ip.min-requests", "50", "ip windows with fewer requests write no rate document.");
        define("state.ip.idle-ttl", "2h", "Idle time after which a per-IP state is dropped.");
        define("state.country.idle-ttl", "8d", "Idle time after which a per-country state is dropped.");
        define("state.scope.idle-ttl", "8d", "Idle time after which a per-scope state is dropped.");
        define("geo.home-countries", "US", "Comma-separated ISO-2 codes counted as domestic.");
        define("geo.allowlist", "", "Comma-separated CIDRs (IPv4/IPv6) counted but never alerted on.");
        define("geo.alb.enabled", "true", "Geolocate ALB clients; false runs without (ALB events get no country).");
        define("geo.alb.database", "", "MaxMind-format country DB (DB-IP country or GeoLite2/GeoIP2-Country). Required when geo.alb.enabled.");
        define("watermark.waf.out-of-orderness", "10s", "How late a WAF event may arrive and still be counted.");
        define("watermark.waf.idleness", "1m", "Idle time after which a WAF input stops holding back watermarks.");
        define("watermark.waf.quiet-close", "1m", "Wall-clock time without WAF events after which the WAF watermark moves on at "
                + "wall-clock pace, so due windows close (escalations, resolutions); 0s disables.");
        define("watermark.alb.out-of-orderness", "5m", "How late an ALB event may arrive and still be counted.");
        define("watermark.alb.idleness", "1m", "Idle time after which an ALB input stops holding back watermarks.");
        define("watermark.alb.quiet-close", "1m", "Wall-clock time without ALB events after which the ALB watermark moves on at "
                + "wall-clock pace, so due windows close (escalations, resolutions); 0s disables.");
        define("input.max-record-bytes", "16777216", "Cap on one decompressed input record (bytes).");
        define("input.max-line-chars", "65536", "Cap on one log line (characters).");
        define("input.max-future-skew", "15m", "An event whose time is further after its Kinesis record's arrival is an "
                + "implausible_timestamp dead letter (live job; replay has no arrival time to judge by); 0s disables.");
        define("input.max-event-time-jump", "1h", "An event whose time is further from the recent event time of its source "
                + "is an implausible_timestamp dead letter; 0s disables.");
        define("job.parallelism", "0", "Job parallelism; 0 uses the environment's default.");
        define("job.checkpoint-interval", "30s", "Checkpoint interval of the live job (sinks flush on checkpoints).");
        define("job.startup-checks", "true", "Check the Kinesis streams, OpenSearch templates and SNS topic before the live job "
                + "starts; false skips it (e.g. where the job's role may not describe them).");
    }

    /**
     * Key prefixes owned by the connector settings ({@code KinesisSettings}, {@code OpenSearchSettings},
     * {@code SnsSettings}), which validate their own keys and reject unknown ones; this loader only
     * lets them through.
     */
    static final List<String> CONNECTOR_PREFIXES = List.of(KinesisSettings.PREFIX, OpenSearchSettings.PREFIX, "sns.");

    private static boolean connectorKey(String key) {
        for (String p : CONNECTOR_PREFIXES) {
            if (key.startsWith(p)) return true;
        }
        return false;
    }

    private ConfigLoader() {}

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** All keys (detector and connectors) with default and meaning, in documentation order. */
    public static Map<String, String[]> describe() {
        Map<String, String[]> out = new LinkedHashMap<>();
        SETTINGS.forEach((k, s) -> out.put(k, new String[] {s.defaultValue, s.meaning}));
        out.putAll(KinesisSettings.describe());
        out.putAll(OpenSearchSettings.describeKeys());
        out.putAll(SnsSettings.KEYS);
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
        List<String> unknown = new ArrayList<>();
        for (String k : given.keySet()) {
            if (!SETTINGS.containsKey(k) && !connectorKey(k)) unknown.add(k);
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown configuration key(s): " + String.join(", ", unknown)
                    + " (run './spikewatch config' for the list of keys)");
        }
        Values v = new Values(given);
        Map<Dimension, Map<Signal, SpikeRule>> rules = new EnumMap<>(Dimension.class);
        for (Dimension dim : Dimension.values()) {
            Map<Signal, SpikeRule> bySignal = new EnumMap<>(Signal.class);
            for (Signal sig : Signal.values()) {
                String p = "detect." + dim.label() + "." + sig.label().replace('_', '-') + ".";
                try {
                    bySignal.put(sig, new SpikeRule(v.dbl(p + "min-volume"), v.dbl(p + "absolute-rate"),
                            v.dbl(p + "z-score"), v.dbl(p + "ratio"), v.dbl(p + "warmup-windows"),
                            v.dbl(p + "min-fraction")));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("invalid detect." + dim.label() + "." + sig.label().replace('_', '-')
                            + ".* settings: " + e.getMessage());
                }
            }
            rules.put(dim, bySignal);
        }
        Map<Dimension, Duration> ttl = new EnumMap<>(Dimension.class);
        for (Dimension dim : Dimension.values()) ttl.put(dim, v.duration("state." + dim.label() + ".idle-ttl"));
        DetectionSettings detection;
        try {
            detection = new DetectionSettings(v.duration("window.size"), v.duration("baseline.half-life"), rules,
                    v.bool("baseline.seasonal.enabled"), v.duration("baseline.seasonal.half-life"),
                    v.dbl("baseline.seasonal.mature-windows"), v.integer("incident.resolve-after-quiet-windows"),
                    v.dbl("incident.hot-fraction"), v.integer("rates.ip.min-requests"), ttl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid detection settings: " + e.getMessage());
        }

        Set<String> home = new LinkedHashSet<>();
        for (String c : v.list("geo.home-countries")) {
            String cc = c.toUpperCase(Locale.ROOT);
            if (!cc.matches("[A-Z]{2}")) {
                throw new ConfigException("geo.home-countries: '" + c + "' is not an ISO 3166-1 alpha-2 code");
            }
            home.add(cc);
        }
        boolean albGeo = v.bool("geo.alb.enabled");
        String db = v.raw("geo.alb.database").trim();
        if (albGeo && db.isEmpty()) {
            throw new ConfigException("geo.alb.database is required while geo.alb.enabled=true: point it at a "
                    + "MaxMind-format country database (e.g. DB-IP country lite), or set geo.alb.enabled=false");
        }
        SpikewatchConfig.Enrichment enrichment = new SpikewatchConfig.Enrichment(
                Set.copyOf(home), List.copyOf(v.list("geo.allowlist")), db.isEmpty() ? null : db, albGeo);

        Map<LogSource, SpikewatchConfig.Watermarks> wm = new EnumMap<>(LogSource.class);
        for (LogSource s : LogSource.values()) {
            wm.put(s, new SpikewatchConfig.Watermarks(v.duration("watermark." + s.label() + ".out-of-orderness"),
                    v.duration("watermark." + s.label() + ".idleness"), v.duration("watermark." + s.label() + ".quiet-close")));
        }
        int maxRecord = v.integer("input.max-record-bytes");
        int maxLine = v.integer("input.max-line-chars");
        if (maxRecord < 1024 || maxLine < 256) {
            throw new ConfigException("input.max-record-bytes must be >= 1024 and input.max-line-chars >= 256");
        }
        SpikewatchConfig.EventTimeLimits eventTime = new SpikewatchConfig.EventTimeLimits(
                v.duration("input.max-future-skew"), v.duration("input.max-event-time-jump"));
        int parallelism = v.integer("job.parallelism");
        if (parallelism < 0) throw new ConfigException("job.parallelism must be >= 0");
        Duration checkpoint = v.duration("job.checkpoint-interval");
        if (checkpoint.toMillis() < 100) throw new ConfigException("job.checkpoint-interval must be at least 100ms");
        return new SpikewatchConfig(detection, enrichment, wm, maxRecord, maxLine, eventTime, parallelism, checkpoint,
                v.bool("job.startup-checks"));
    }

    /** Typed access with errors that name the key. */
    private record Values(Map<String, String> given) {
        String raw(String key) {
            String v = given.get(key);
            return v != null ? v : SETTINGS.get(key).defaultValue;
        }

        double dbl(String key) {
            try {
                double d = Double.parseDouble(raw(key).trim());
                if (!Double.isFinite(d)) throw new NumberFormatException();
                return d;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + ": '" + raw(key) + "' is not a number");
            }
        }

        int integer(String key) {
            try {
                return Integer.parseInt(raw(key).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + ": '" + raw(key) + "' is not a whole number");
            }
        }

        boolean bool(String key) {
            String s = raw(key).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true")) return true;
            if (s.equals("false")) return false;
            throw new ConfigException(key + ": '" + raw(key) + "' must be true or false");
        }

        Duration duration(String key) {
            try {
                return DurationText.parse(raw(key));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        }

        List<String> list(String key) {
            String s = raw(key).trim();
            if (s.isEmpty()) return List.of();
            return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }
    }
}
