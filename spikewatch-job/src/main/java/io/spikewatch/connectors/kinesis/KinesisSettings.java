package io.spikewatch.connectors.kinesis;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigValues;
import io.spikewatch.config.Settings;
import io.spikewatch.connectors.AwsAuth;
import io.spikewatch.records.LogSource;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how the live job reads its Kinesis input: one optional stream for WAF logs and one for
 * ALB logs (at least one must be set for the live job, see {@link KinesisInputs}).
 *
 * <p>Loaded from flat keys ({@code kinesis.waf.*}, {@code kinesis.alb.*}; the settings are
 * {@link Settings#kinesis}) of a job profile and its {@code --set} overrides. Every validation error
 * names the key. The record is serializable and holds no secret: credentials come from the
 * {@code aws.credentials.*} settings shared by every AWS client ({@link AwsAuth}), resolved where
 * the source runs.
 *
 * <p>Readers ({@code kinesis.<src>.reader}), one source class each, because the connector
 * {@code flink-connector-kinesis:4.3.0-1.19} splits the features across two classes:
 * <ul>
 *   <li>{@code polling} (default): the FLIP-27 {@code KinesisStreamsSource}. The current source API
 *       (the legacy one is deprecated and gone in Flink 2.0), per-shard splits in checkpoints. In this
 *       connector line it is polling only, needs the stream ARN, and has no poll interval or
 *       records-per-call setting: it calls GetRecords again as soon as a call returns (the SDK backs
 *       off when Kinesis throttles), so an idle shard costs it far more CPU than
 *       {@code legacy-polling} at its default interval.
 *   <li>{@code legacy-polling}: the legacy {@code FlinkKinesisConsumer} polling GetRecords, with the
 *       poll interval and max records per call configurable ({@code polling.interval},
 *       {@code polling.max-records}). Use it when other consumers share the shards' 5 reads/s.
 *   <li>{@code efo}: the legacy {@code FlinkKinesisConsumer} with enhanced fan-out (a dedicated
 *       2 MB/s per shard pushed over HTTP/2, for streams with several consumers); the consumer
 *       {@code efo.consumer-name} is registered on the stream when the job starts.
 * </ul>
 * The two legacy readers share one state layout (sequence numbers per shard), so a job can switch
 * between them from a savepoint; switching to or from {@code polling} changes the source's uid and
 * state and needs {@code --allowNonRestoredState} (it then starts from the initial position).
 */
public record KinesisSettings(StreamInput waf, StreamInput alb) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String PREFIX = Settings.KINESIS_PREFIX;
    /** Account and region of streams in the local kinesis-local server (deploy/local/kinesis.sh). */
    public static final String LOCAL_ACCOUNT = "000000000000";

    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})");
    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern CONSUMER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /** Which connector class reads the stream; see the class comment. */
    public enum Reader {
        POLLING("polling"), LEGACY_POLLING("legacy-polling"), EFO("efo");

        private final String label;

        Reader(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** True for the readers implemented by the legacy {@code FlinkKinesisConsumer}. */
        public boolean legacy() {
            return this != POLLING;
        }
    }

    /** Where a job without restored state starts reading. */
    public enum InitialPosition { LATEST, TRIM_HORIZON, AT_TIMESTAMP }

    /**
     * One input stream.
     *
     * @param source            which log family the stream carries (names the uid and the settings)
     * @param streamName        the stream's name (always known, from the ARN when one was given)
     * @param streamArn         the stream's ARN, or null when only a name was given (legacy readers)
     * @param region            AWS region (from the ARN when not set)
     * @param endpoint          endpoint override (e.g. http://127.0.0.1:4568), or null for AWS
     * @param credentials       where the source finds AWS credentials ({@code aws.credentials.*})
     * @param pollInterval      legacy-polling only: pause between GetRecords calls; null = connector default (200 ms)
     * @param maxRecords        legacy-polling only: records per GetRecords call; null = connector default (10000)
     * @param efoConsumerName   efo only: the registered stream consumer's name
     * @param shardDiscoveryInterval how often new shards (resharding) are looked for; null = connector default (10 s)
     */
    public record StreamInput(LogSource source, String streamName, String streamArn, String region, String endpoint,
                              AwsAuth credentials, InitialPosition initialPosition, Instant initialTimestamp,
                              Reader reader, Duration pollInterval, Integer maxRecords, String efoConsumerName,
                              Duration shardDiscoveryInterval) implements Serializable {
        private static final long serialVersionUID = 1L;

        public StreamInput {
            String p = PREFIX + source.label() + ".";
            if (streamName == null || !STREAM_NAME.matcher(streamName).matches()) {
                throw new ConfigException(p + "stream: '" + streamName + "' is not a stream name or ARN");
            }
            if (region == null || !REGION.matcher(region).matches()) {
                throw new ConfigException(p + "region: '" + (region == null ? "" : region)
                        + "' is not an AWS region (e.g. us-east-1); it is required unless the stream is given as an ARN");
            }
            if (reader == Reader.POLLING && streamArn == null) {
                throw new ConfigException(p + "stream: the polling reader (FLIP-27 KinesisStreamsSource) needs the stream ARN "
                        + "(arn:aws:kinesis:REGION:ACCOUNT:stream/" + streamName + "), not a name; "
                        + "or set " + p + "reader=legacy-polling");
            }
            if (credentials == null) credentials = AwsAuth.DEFAULT_CHAIN;
            if (initialPosition == InitialPosition.AT_TIMESTAMP && initialTimestamp == null) {
                throw new ConfigException(p + "initial-timestamp is required with " + p + "initial-position=AT_TIMESTAMP");
            }
            if (initialPosition != InitialPosition.AT_TIMESTAMP && initialTimestamp != null) {
                throw new ConfigException(p + "initial-timestamp is only used with initial-position=AT_TIMESTAMP");
            }
            if (reader != Reader.LEGACY_POLLING && (pollInterval != null || maxRecords != null)) {
                throw new ConfigException(p + "polling.interval and " + p + "polling.max-records apply to "
                        + p + "reader=legacy-polling only (the FLIP-27 polling source of connector 4.3.0 has no such "
                        + "setting; efo is pushed, not polled)");
            }
            if (pollInterval != null && (pollInterval.isNegative() || pollInterval.toMillis() > 60_000)) {
                throw new ConfigException(p + "polling.interval must be between 0ms and 60s");
            }
            if (maxRecords != null && (maxRecords < 1 || maxRecords > 10_000)) {
                throw new ConfigException(p + "polling.max-records must be between 1 and 10000 (the GetRecords limit)");
            }
            if (reader == Reader.EFO && (efoConsumerName == null || !CONSUMER_NAME.matcher(efoConsumerName).matches())) {
                throw new ConfigException(p + "efo.consumer-name: '" + efoConsumerName
                        + "' is not a consumer name (1-128 of A-Z a-z 0-9 _ . -)");
            }
            if (shardDiscoveryInterval != null && shardDiscoveryInterval.toMillis() < 1000) {
                throw new ConfigException(p + "shard-discovery-interval must be at least 1s (ListShards is limited to 100 calls/s per account)");
            }
        }

        /** Stable operator uid: one per source class, so a savepoint never feeds one's state to the other. */
        public String uid() {
            return "source-kinesis-" + source.label() + (reader.legacy() ? "-legacy" : "");
        }

        /** Readable operator name (no secrets: names, region and reader only). */
        public String operatorName() {
            return "Kinesis " + source.label().toUpperCase(Locale.ROOT) + " " + streamName + " (" + reader.label() + ")";
        }
    }

    public KinesisSettings {
        if (waf != null && waf.source() != LogSource.WAF) throw new IllegalArgumentException("waf input has source " + waf.source());
        if (alb != null && alb.source() != LogSource.ALB) throw new IllegalArgumentException("alb input has source " + alb.source());
    }

    /** The configured inputs, WAF first. */
    public List<StreamInput> inputs() {
        List<StreamInput> out = new ArrayList<>(2);
        if (waf != null) out.add(waf);
        if (alb != null) out.add(alb);
        return out;
    }

    /**
     * Reads the {@code kinesis.*} keys of {@code values} (a whole job profile; every key must be a
     * setting, see {@link ConfigValues}). A source whose {@code stream} is empty is absent.
     */
    public static KinesisSettings fromMap(Map<String, String> values) {
        return fromValues(new ConfigValues(values));
    }

    /** The {@code kinesis.*} settings (and {@code aws.credentials.*}) of {@code values}. */
    public static KinesisSettings fromValues(ConfigValues values) {
        AwsAuth auth = AwsAuth.fromValues(values);
        return new KinesisSettings(input(LogSource.WAF, values, auth), input(LogSource.ALB, values, auth));
    }

    private static StreamInput input(LogSource source, ConfigValues values, AwsAuth auth) {
        Settings.KinesisStreamSettings k = Settings.kinesis(source);
        String p = k.prefix();
        String stream = values.get(k.stream());
        if (stream.isEmpty()) return null;

        String name;
        String arn = null;
        String arnRegion = null;
        Matcher m = STREAM_ARN.matcher(stream);
        if (m.matches()) {
            arn = stream;
            arnRegion = m.group(1);
            name = m.group(3);
        } else if (stream.startsWith("arn:")) {
            throw new ConfigException(p + "stream: '" + stream + "' is not a Kinesis stream ARN "
                    + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
        } else {
            name = stream;
        }
        String region = values.get(k.region());
        if (region.isEmpty()) {
            region = arnRegion;
        } else if (arnRegion != null && !arnRegion.equals(region)) {
            throw new ConfigException(p + "region: '" + region + "' differs from the stream ARN's region '" + arnRegion + "'");
        }

        String endpoint = values.get(k.endpoint());
        if (endpoint.isEmpty()) {
            endpoint = null;
        } else {
            endpoint = endpoint(p + "endpoint", endpoint);
        }
        InitialPosition position;
        try {
            position = InitialPosition.valueOf(values.get(k.initialPosition()).toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(p + "initial-position: '" + values.get(k.initialPosition())
                    + "' must be LATEST, TRIM_HORIZON or AT_TIMESTAMP");
        }
        Instant timestamp = null;
        String ts = values.get(k.initialTimestamp());
        if (!ts.isEmpty()) {
            try {
                timestamp = Instant.parse(ts);
            } catch (DateTimeParseException e) {
                throw new ConfigException(p + "initial-timestamp: '" + ts + "' is not an ISO-8601 instant like 2026-11-02T00:00:00Z");
            }
        }
        String readerText = values.get(k.reader()).toLowerCase(Locale.ROOT);
        Reader reader = null;
        for (Reader r : Reader.values()) {
            if (r.label().equals(readerText)) reader = r;
        }
        if (reader == null) {
            throw new ConfigException(p + "reader: '" + values.get(k.reader()) + "' must be polling, legacy-polling or efo");
        }
        Duration interval = values.get(k.pollingInterval());
        Integer maxRecords = values.get(k.pollingMaxRecords());
        String consumer = values.get(k.efoConsumerName());
        Duration discovery = values.get(k.shardDiscoveryInterval());
        return new StreamInput(source, name, arn, region, endpoint, auth, position, timestamp, reader,
                interval, maxRecords, reader == Reader.EFO ? consumer : null, discovery);
    }

    /** Validates an endpoint override: http(s)://host[:port], nothing else (no path, no user info). */
    public static String endpoint(String key, String text) {
        try {
            URI u = new URI(text);
            String scheme = Optional.ofNullable(u.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            boolean pathless = u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/");
            if ((!scheme.equals("http") && !scheme.equals("https")) || u.getHost() == null || u.getUserInfo() != null
                    || !pathless || u.getRawQuery() != null) {
                throw new URISyntaxException(text, "expected http(s)://host[:port]");
            }
            return scheme + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        } catch (URISyntaxException e) {
            throw new ConfigException(key + ": '" + text + "' is not an endpoint URL like http://127.0.0.1:4568");
        }
    }

    /** The ARN of a stream in the local kinesis-local server. */
    public static String localStreamArn(String region, String streamName) {
        return "arn:aws:kinesis:" + region + ":" + LOCAL_ACCOUNT + ":stream/" + streamName;
    }
}
