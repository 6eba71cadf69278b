package io.spikewatch.config;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.RollingBaseline;
import io.spikewatch.detection.Signal;
import io.spikewatch.detection.SpikeRule;
import io.spikewatch.records.LogSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every setting of spikewatch, in documentation order: the detector ({@code window.*},
 * {@code baseline.*}, {@code detect.*}, ...), the AWS credentials shared by every AWS client
 * ({@code aws.*}), and the connectors ({@code kinesis.*}, {@code opensearch.*}, {@code sns.*}).
 * {@code ./spikewatch config} and the README's reference list exactly these; {@link ConfigValues}
 * rejects any other key, naming it.
 *
 * <p>Keys that repeat per dimension and signal ({@code detect.<dimension>.<signal>.*}) or per log
 * source ({@code kinesis.<waf|alb>.*}) are generated from templates; look them up with
 * {@link #detect} and {@link #kinesis}.
 */
public final class Settings {
    private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();

    private static <T> Setting<T> add(Setting<T> s) {
        if (ALL.putIfAbsent(s.key(), s) != null) throw new IllegalStateException("setting defined twice: " + s.key());
        return s;
    }

    private Settings() {}

    // ---- detector -------------------------------------------------------------------------

    public static final Setting<Duration> WINDOW_SIZE = add(Setting.duration("window.size", "1m",
            "Event-time window of every rate (tumbling)."));
    public static final Setting<Duration> BASELINE_HALF_LIFE = add(Setting.duration("baseline.half-life", "30m",
            "Half-life of the rolling mean/variance per key."));
    public static final Setting<Boolean> SEASONAL_ENABLED = add(Setting.bool("baseline.seasonal.enabled", "true",
            "Keep an hour-of-day x weekday/weekend profile for country and scope keys."));
    public static final Setting<Duration> SEASONAL_HALF_LIFE = add(Setting.duration("baseline.seasonal.half-life", "7d",
            "Half-life of a seasonal slot."));
    public static final Setting<Double> SEASONAL_MATURE_WINDOWS = add(Setting.number("baseline.seasonal.mature-windows", "120",
            "Windows a seasonal slot needs before it is used."));

    /** The six {@code detect.<dimension>.<signal>.*} settings of one rule. */
    public record RuleSettings(Setting<Double> minVolume, Setting<Double> absoluteRate, Setting<Double> zScore,
                               Setting<Double> ratio, Setting<Double> warmupWindows, Setting<Double> minFraction) {
        /** The common prefix, e.g. {@code detect.ip.requests.}. */
        public String prefix() {
            return minVolume.key().substring(0, minVolume.key().length() - "min-volume".length());
        }
    }

    private static final Map<Dimension, Map<Signal, RuleSettings>> DETECT = new EnumMap<>(Dimension.class);

    static {
        DetectionSettings d = DetectionSettings.defaults();
        for (Dimension dim : Dimension.values()) {
            Map<Signal, RuleSettings> bySignal = new EnumMap<>(Signal.class);
            for (Signal sig : Signal.values()) {
                SpikeRule r = d.rule(dim, sig);
                String p = "detect." + dim.label() + "." + sig.label().replace('_', '-') + ".";
                String what = sig == Signal.REQUESTS ? "requests" : "4xx responses";
                bySignal.put(sig, new RuleSettings(
                        add(Setting.number(p + "min-volume", num(r.minVolume()),
                                "Smallest " + what + " count per window that can alert (" + dim.label() + ").")),
                        add(Setting.number(p + "absolute-rate", num(r.absoluteRate()),
                                "Per-window " + what + " that alert a key without baseline (" + dim.label() + ").")),
                        add(Setting.number(p + "z-score", num(r.zScore()),
                                "Standard scores above the baseline needed to alert (" + dim.label() + ", " + what + ").")),
                        add(Setting.number(p + "ratio", num(r.ratio()),
                                "Multiple of the baseline mean needed to alert (" + dim.label() + ", " + what + ").")),
                        add(Setting.number(p + "warmup-windows", num(r.warmupWindows()),
                                "Windows of history (counted since the key was first seen, at most " + RollingBaseline.MAX_WINDOWS
                                        + ") before the baseline rule replaces the absolute rule (" + dim.label() + ", " + what + ").")),
                        add(Setting.number(p + "min-fraction", num(r.minFraction()),
                                "Smallest window fraction an early (pro-rated) check uses (" + dim.label() + ", " + what + ")."))));
            }
            DETECT.put(dim, bySignal);
        }
    }

    public static final Setting<Integer> RESOLVE_AFTER_QUIET_WINDOWS = add(Setting.integer("incident.resolve-after-quiet-windows", "3",
            "Non-spike windows after which an incident is resolved."));
    public static final Setting<Double> HOT_FRACTION = add(Setting.number("incident.hot-fraction", "0.5",
            "Share of the threshold at which a key starts collecting evidence."));
    public static final Setting<Integer> IP_MIN_REQUESTS = add(Setting.integer("rates.ip.min-requests", "50",
            "ip windows with fewer requests write no rate document."));

    private static final Map<Dimension, Setting<Duration>> IDLE_TTL = new EnumMap<>(Dimension.class);

    static {
        Map<Dimension, String> defaults = Map.of(Dimension.IP, "2h", Dimension.COUNTRY, "8d", Dimension.SCOPE, "8d");
        for (Dimension dim : Dimension.values()) {
            IDLE_TTL.put(dim, add(Setting.duration("state." + dim.label() + ".idle-ttl", defaults.getOrDefault(dim, "8d"),
                    "Idle time after which a per-" + (dim == Dimension.IP ? "IP" : dim.label()) + " state is dropped.")));
        }
    }

    public static final Setting<List<String>> HOME_COUNTRIES = add(Setting.list("geo.home-countries", "US",
            "Comma-separated ISO-2 codes counted as domestic."));
    public static final Setting<List<String>> ALLOWLIST = add(Setting.list("geo.allowlist", "",
            "Comma-separated CIDRs (IPv4/IPv6) counted but never alerted on."));
    public static final Setting<Boolean> ALB_GEO_ENABLED = add(Setting.bool("geo.alb.enabled", "true",
            "Geolocate ALB clients; false runs without (ALB events get no country)."));
    public static final Setting<String> ALB_GEO_DATABASE = add(Setting.text("geo.alb.database", "",
            "MaxMind-format country DB (DB-IP country or GeoLite2/GeoIP2-Country) for ALB events. Needed by the live job "
            + "with ALB input; replay installs DB-IP's into data/geoip/ on first use when ALB lines are present."));

    /** Out-of-orderness, idleness and quiet-close settings of one log source. */
    public record WatermarkSettings(Setting<Duration> outOfOrderness, Setting<Duration> idleness,
                                    Setting<Duration> quietClose) {}

    private static final Map<LogSource, WatermarkSettings> WATERMARKS = new EnumMap<>(LogSource.class);

    static {
        Map<LogSource, String> lateness = Map.of(LogSource.WAF, "10s", LogSource.ALB, "5m");
        for (LogSource s : LogSource.values()) {
            String name = s.label().toUpperCase(Locale.ROOT);
            WATERMARKS.put(s, new WatermarkSettings(
                    add(Setting.duration("watermark." + s.label() + ".out-of-orderness", lateness.getOrDefault(s, "1m"),
                            "How late " + article(name) + " " + name + " event may arrive and still be counted.")),
                    add(Setting.duration("watermark." + s.label() + ".idleness", "1m",
                            "Idle time after which " + article(name) + " " + name + " input stops holding back watermarks.")),
                    add(Setting.duration("watermark." + s.label() + ".quiet-close", "1m",
                            "Wall-clock time without " + name + " events after which the " + name + " watermark moves on at "
                                    + "wall-clock pace, so due windows close (escalations, resolutions); 0s disables."))));
        }
    }

    public static final Setting<Integer> MAX_RECORD_BYTES = add(Setting.integer("input.max-record-bytes", "16777216",
            "Cap on one decompressed input record (bytes)."));
    public static final Setting<Integer> MAX_LINE_CHARS = add(Setting.integer("input.max-line-chars", "65536",
            "Cap on one log line (characters)."));
    public static final Setting<Duration> MAX_FUTURE_SKEW = add(Setting.duration("input.max-future-skew", "15m",
            "An event whose time is further after its Kinesis record's arrival is an implausible_timestamp dead letter "
                    + "(live job; replay has no arrival time to judge by); 0s disables."));
    public static final Setting<Duration> MAX_EVENT_TIME_JUMP = add(Setting.duration("input.max-event-time-jump", "1h",
            "An event whose time is further from the recent event time of its source is an implausible_timestamp "
                    + "dead letter; 0s disables."));
    public static final Setting<Integer> PARALLELISM = add(Setting.integer("job.parallelism", "0",
            "Job parallelism; 0 uses the environment's default."));
    public static final Setting<Duration> CHECKPOINT_INTERVAL = add(Setting.duration("job.checkpoint-interval", "30s",
            "Checkpoint interval of the live job (sinks flush on checkpoints)."));
    public static final Setting<Boolean> STARTUP_CHECKS = add(Setting.bool("job.startup-checks", "true",
            "Check the Kinesis streams, OpenSearch templates and SNS topic before the live job "
                    + "starts; false skips it (e.g. where the job's role may not describe them)."));

    // ---- AWS credentials, shared by every AWS client ---------------------------------------

    public static final Setting<String> AWS_CREDENTIALS_PROFILE = add(Setting.text("aws.credentials.profile", "",
            "Named profile (AWS config/credentials files) for every AWS client: Kinesis, SNS, OpenSearch SigV4. "
                    + "Empty: the AWS default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, "
                    + "AWS_PROFILE, web identity, container or instance role)."));

    // ---- Kinesis --------------------------------------------------------------------------

    /** The {@code kinesis.<source>.*} settings of one log source. */
    public record KinesisStreamSettings(
            Setting<String> stream, Setting<String> region, Setting<String> endpoint,
            Setting<String> initialPosition, Setting<String> initialTimestamp, Setting<String> reader,
            Setting<Duration> pollingInterval, Setting<Integer> pollingMaxRecords, Setting<String> efoConsumerName,
            Setting<Duration> shardDiscoveryInterval) {
        /** The common prefix, e.g. {@code kinesis.waf.}. */
        public String prefix() {
            return stream.key().substring(0, stream.key().length() - "stream".length());
        }
    }

    public static final String KINESIS_PREFIX = "kinesis.";
    private static final Map<LogSource, KinesisStreamSettings> KINESIS = new EnumMap<>(LogSource.class);

    static {
        for (LogSource s : LogSource.values()) {
            String p = KINESIS_PREFIX + s.label() + ".";
            String name = s.label().toUpperCase(Locale.ROOT);
            KINESIS.put(s, new KinesisStreamSettings(
                    add(Setting.text(p + "stream", "", "Stream ARN (or name with reader=legacy-polling/efo); empty = no " + name + " input.")),
                    add(Setting.text(p + "region", "", "AWS region; defaults to the ARN's region.")),
                    add(Setting.text(p + "endpoint", "", "Endpoint override, e.g. http://127.0.0.1:4568 (deploy/local/kinesis.sh); empty = AWS.")),
                    add(Setting.text(p + "initial-position", "LATEST", "Where a job without state starts: LATEST, TRIM_HORIZON or AT_TIMESTAMP.")),
                    add(Setting.text(p + "initial-timestamp", "", "ISO-8601 instant for AT_TIMESTAMP, e.g. 2026-11-02T00:00:00Z.")),
                    add(Setting.text(p + "reader", "polling", "polling (FLIP-27 source, needs the ARN), legacy-polling or efo (FlinkKinesisConsumer).")),
                    add(Setting.optionalDuration(p + "polling.interval", "legacy-polling: pause between GetRecords calls per shard (connector default 200ms).")),
                    add(Setting.optionalInteger(p + "polling.max-records", "legacy-polling: records per GetRecords call, 1-10000 (connector default 10000).")),
                    add(Setting.text(p + "efo.consumer-name", "spikewatch", "efo: name of the enhanced fan-out consumer registered on the stream.")),
                    add(Setting.optionalDuration(p + "shard-discovery-interval", "How often new shards are discovered (connector default 10s)."))));
        }
    }

    // ---- OpenSearch -----------------------------------------------------------------------

    public static final String OPENSEARCH_PREFIX = "opensearch.";
    public static final Setting<List<String>> OPENSEARCH_HOSTS = add(Setting.list("opensearch.hosts", "",
            "Comma-separated OpenSearch URLs (http:// or https://host[:port]). Required."));
    public static final Setting<String> OPENSEARCH_INDEX_PREFIX = add(Setting.text("opensearch.index-prefix", "spikewatch",
            "Prefix of every index and template (PREFIX-rates-*, PREFIX-alerts-*, PREFIX-deadletter-*)."));
    public static final Setting<String> OPENSEARCH_USERNAME = add(Setting.text("opensearch.username", "",
            "Basic-auth user; needs opensearch.password-env or opensearch.password-file."));
    public static final Setting<String> OPENSEARCH_PASSWORD_ENV = add(Setting.text("opensearch.password-env", "",
            "Environment variable holding the basic-auth password (read where the connection is made)."));
    public static final Setting<String> OPENSEARCH_PASSWORD_FILE = add(Setting.text("opensearch.password-file", "",
            "File holding the basic-auth password (trailing newline ignored)."));
    public static final Setting<String> OPENSEARCH_CA_CERT = add(Setting.text("opensearch.ca-cert", "",
            "PEM file of the CA(s) to trust for https hosts; empty: the JVM's default trust store."));
    public static final Setting<Boolean> OPENSEARCH_SIGV4_ENABLED = add(Setting.bool("opensearch.sigv4.enabled", "false",
            "Sign requests with AWS SigV4 (Amazon OpenSearch Service / Serverless), credentials as set by aws.credentials.*."));
    public static final Setting<String> OPENSEARCH_SIGV4_REGION = add(Setting.text("opensearch.sigv4.region", "",
            "AWS region for SigV4, e.g. eu-west-1. Required when SigV4 is enabled."));
    public static final Setting<String> OPENSEARCH_SIGV4_SERVICE = add(Setting.text("opensearch.sigv4.service", "es",
            "SigV4 service name: es (OpenSearch Service) or aoss (Serverless)."));
    public static final Setting<Integer> OPENSEARCH_BULK_MAX_ACTIONS = add(Setting.integer("opensearch.bulk.max-actions", "1000",
            "Documents per bulk request before it is sent."));
    public static final Setting<Integer> OPENSEARCH_BULK_MAX_SIZE_MB = add(Setting.integer("opensearch.bulk.max-size-mb", "5",
            "Bulk request size (MB) before it is sent."));
    public static final Setting<Duration> OPENSEARCH_BULK_INTERVAL = add(Setting.duration("opensearch.bulk.interval", "1s",
            "Longest time a document waits in the bulk buffer (alerts must show up within seconds)."));
    public static final Setting<String> OPENSEARCH_BACKOFF_TYPE = add(Setting.text("opensearch.backoff.type", "exponential",
            "Retry back-off for rejected (HTTP 429) bulk items: exponential, constant or none."));
    public static final Setting<Duration> OPENSEARCH_BACKOFF_INITIAL_DELAY = add(Setting.duration("opensearch.backoff.initial-delay", "500ms",
            "First back-off delay (constant: every delay)."));
    public static final Setting<Integer> OPENSEARCH_BACKOFF_MAX_RETRIES = add(Setting.integer("opensearch.backoff.max-retries", "5",
            "Retries of rejected bulk items before the job fails and restarts from its checkpoint."));

    // ---- SNS ------------------------------------------------------------------------------

    public static final String SNS_PREFIX = "sns.";
    /** SNS limit on one message and one PublishBatch: 256 KiB. */
    public static final int SNS_MAX_PAYLOAD_BYTES = 256 * 1024;
    public static final Setting<String> SNS_TOPIC_ARN = add(Setting.text("sns.topic-arn", "",
            "SNS topic ARN for alert openings and escalations; empty disables the SNS sink."));
    public static final Setting<String> SNS_REGION = add(Setting.text("sns.region", "",
            "AWS region of the SNS client; default: the topic ARN's region."));
    public static final Setting<String> SNS_ENDPOINT = add(Setting.text("sns.endpoint", "",
            "Endpoint override (e.g. http://127.0.0.1:4566 for the local fauxqs); empty for AWS."));
    public static final Setting<Integer> SNS_MAX_BATCH_ENTRIES = add(Setting.integer("sns.batch.max-entries", "10",
            "Alerts per PublishBatch request (1-10)."));
    public static final Setting<Integer> SNS_MAX_IN_FLIGHT_REQUESTS = add(Setting.integer("sns.max-in-flight-requests", "4",
            "Concurrent PublishBatch requests per sink subtask."));
    public static final Setting<Integer> SNS_MAX_BUFFERED_ALERTS = add(Setting.integer("sns.max-buffered-alerts", "1000",
            "Alerts buffered per subtask before the sink back-pressures."));
    public static final Setting<Duration> SNS_MAX_TIME_IN_BUFFER = add(Setting.duration("sns.max-time-in-buffer", "500ms",
            "Longest an alert waits for a fuller batch."));
    public static final Setting<Integer> SNS_MAX_MESSAGE_BYTES = add(Setting.integer("sns.max-message-bytes",
            String.valueOf(SNS_MAX_PAYLOAD_BYTES - 16 * 1024),
            "Cap on one message body; larger alerts drop evidence and say \"truncated\":true."));
    public static final Setting<Duration> SNS_REQUEST_TIMEOUT = add(Setting.duration("sns.request-timeout", "60s",
            "A PublishBatch not answered within this is sent again."));
    public static final Setting<Integer> SNS_SDK_MAX_ATTEMPTS = add(Setting.integer("sns.retry.sdk-max-attempts", "4",
            "Attempts of the AWS SDK's own retry (throttling, 5xx, I/O) per request."));
    public static final Setting<Duration> SNS_RETRY_BACKOFF = add(Setting.duration("sns.retry.backoff", "500ms",
            "First back-off before failed entries are sent again (doubles per failure)."));
    public static final Setting<Duration> SNS_RETRY_MAX_BACKOFF = add(Setting.duration("sns.retry.max-backoff", "30s",
            "Cap of that back-off."));

    // ---- keys that are no more --------------------------------------------------------------

    /** Removed keys and what replaces them, so that an old profile fails with directions. */
    private static final Map<String, String> REMOVED = new LinkedHashMap<>();

    static {
        String chain = "AWS credentials now come from the AWS default chain for every client "
                + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance or container role), "
                + "or from the profile named by " + AWS_CREDENTIALS_PROFILE.key();
        for (LogSource s : LogSource.values()) REMOVED.put(KINESIS_PREFIX + s.label() + ".credentials", chain);
        REMOVED.put("sns.credentials", chain);
        REMOVED.put("opensearch.password", "never put the password in configuration; name where to read it with "
                + OPENSEARCH_PASSWORD_ENV.key() + " or " + OPENSEARCH_PASSWORD_FILE.key());
    }

    // ---- access ---------------------------------------------------------------------------

    /** Every setting, in documentation order. */
    public static Collection<Setting<?>> all() {
        return Collections.unmodifiableCollection(ALL.values());
    }

    /** The setting with this key, or null. */
    public static Setting<?> find(String key) {
        return ALL.get(key);
    }

    public static RuleSettings detect(Dimension dim, Signal sig) {
        return DETECT.get(dim).get(sig);
    }

    public static Setting<Duration> idleTtl(Dimension dim) {
        return IDLE_TTL.get(dim);
    }

    public static WatermarkSettings watermarks(LogSource source) {
        return WATERMARKS.get(source);
    }

    public static KinesisStreamSettings kinesis(LogSource source) {
        return KINESIS.get(source);
    }

    /**
     * Fails on any key that is not a setting, naming every such key (and, for a removed key, what
     * replaces it). The one unknown-key check for all prefixes.
     */
    public static void requireKnown(Collection<String> keys) {
        List<String> unknown = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String k : new TreeSet<>(keys)) {
            if (ALL.containsKey(k)) continue;
            if (REMOVED.containsKey(k)) removed.add(k + " is no longer a setting: " + REMOVED.get(k));
            else unknown.add(k);
        }
        if (!removed.isEmpty()) throw new ConfigException(String.join("; ", removed));
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown configuration key(s): " + String.join(", ", unknown)
                    + " (run './spikewatch config' for the list of keys)");
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String article(String upperName) {
        return upperName.startsWith("A") ? "an" : "a";
    }
}
