package io.spikewatch.connectors.sns;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.DurationText;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how the SNS sink publishes alerts. Serializable: the sink carries it to the task
 * managers, where the client is built.
 *
 * <p>Holds no secret. With {@link Credentials#STATIC_ENV} the access keys are read from the
 * environment of the task manager when the client is built ({@link AwsSnsClientProvider}), never
 * from configuration, so they cannot end up in a job graph, a savepoint or a log line.
 *
 * @param topicArn            {@code sns.topic-arn}: the topic; a name ending in {@code .fifo} makes
 *                            the sink send FIFO group and deduplication ids
 * @param region              {@code sns.region}: the client's region (default: the ARN's region)
 * @param endpoint            {@code sns.endpoint}: endpoint override, for a local emulator; null for AWS
 * @param credentials         {@code sns.credentials}: {@code default} (the AWS SDK's default chain)
 *                            or {@code static-env} (local endpoints only)
 * @param maxBatchEntries     {@code sns.batch.max-entries}: entries per PublishBatch (SNS allows 10)
 * @param maxInFlightRequests {@code sns.max-in-flight-requests}: concurrent PublishBatch requests per subtask
 * @param maxBufferedAlerts   {@code sns.max-buffered-alerts}: alerts buffered before the sink back-pressures
 * @param maxTimeInBuffer     {@code sns.max-time-in-buffer}: longest an alert waits for a fuller batch
 * @param maxMessageBytes     {@code sns.max-message-bytes}: cap on one message body (UTF-8 bytes)
 * @param requestTimeout      {@code sns.request-timeout}: after this a PublishBatch is retried
 * @param sdkMaxAttempts      {@code sns.retry.sdk-max-attempts}: attempts of the SDK's own retry
 *                            (throttling, 5xx, I/O) within one request
 * @param retryBackoff        {@code sns.retry.backoff}: first back-off before the sink re-sends failed entries
 * @param retryMaxBackoff     {@code sns.retry.max-backoff}: cap of that exponential back-off
 */
public record SnsSettings(
        String topicArn,
        String region,
        URI endpoint,
        Credentials credentials,
        int maxBatchEntries,
        int maxInFlightRequests,
        int maxBufferedAlerts,
        Duration maxTimeInBuffer,
        int maxMessageBytes,
        Duration requestTimeout,
        int sdkMaxAttempts,
        Duration retryBackoff,
        Duration retryMaxBackoff) implements Serializable {

    /** SNS limits: 10 entries and 256 KiB (262,144 bytes) per message and per PublishBatch. */
    public static final int SNS_MAX_BATCH_ENTRIES = 10;
    public static final int SNS_MAX_PAYLOAD_BYTES = 256 * 1024;
    /**
     * Room kept below {@link #SNS_MAX_PAYLOAD_BYTES} for the subject and message attributes, which
     * SNS counts into the same limit (six attributes of at most 256 characters and a 99-character
     * subject: under 7 KiB even in 4-byte UTF-8).
     */
    public static final int ATTRIBUTE_HEADROOM_BYTES = 8 * 1024;

    public static final String TOPIC_ARN = "sns.topic-arn";
    public static final String REGION = "sns.region";
    public static final String ENDPOINT = "sns.endpoint";
    public static final String CREDENTIALS = "sns.credentials";
    public static final String MAX_BATCH_ENTRIES = "sns.batch.max-entries";
    public static final String MAX_IN_FLIGHT_REQUESTS = "sns.max-in-flight-requests";
    public static final String MAX_BUFFERED_ALERTS = "sns.max-buffered-alerts";
    public static final String MAX_TIME_IN_BUFFER = "sns.max-time-in-buffer";
    public static final String MAX_MESSAGE_BYTES = "sns.max-message-bytes";
    public static final String REQUEST_TIMEOUT = "sns.request-timeout";
    public static final String SDK_MAX_ATTEMPTS = "sns.retry.sdk-max-attempts";
    public static final String RETRY_BACKOFF = "sns.retry.backoff";
    public static final String RETRY_MAX_BACKOFF = "sns.retry.max-backoff";

    /** Every {@code sns.*} key with its default ("" = none) and meaning, for config listings. */
    private static final Map<String, String[]> DEFINED = new LinkedHashMap<>();
    public static final Map<String, String[]> KEYS = Collections.unmodifiableMap(DEFINED);

    static {
        DEFINED.put(TOPIC_ARN, new String[] {"", "SNS topic ARN for alert openings and escalations; empty disables the SNS sink."});
        DEFINED.put(REGION, new String[] {"", "AWS region of the SNS client; default: the topic ARN's region."});
        DEFINED.put(ENDPOINT, new String[] {"", "Endpoint override (e.g. http://127.0.0.1:4566 for the local fauxqs); empty for AWS."});
        DEFINED.put(CREDENTIALS, new String[] {"default", "default (AWS SDK default chain) or static-env (local endpoints only: keys from "
                + AwsSnsClientProvider.ACCESS_KEY_ENV + " / " + AwsSnsClientProvider.SECRET_KEY_ENV + ")."});
        DEFINED.put(MAX_BATCH_ENTRIES, new String[] {"10", "Alerts per PublishBatch request (1-10)."});
        DEFINED.put(MAX_IN_FLIGHT_REQUESTS, new String[] {"4", "Concurrent PublishBatch requests per sink subtask."});
        DEFINED.put(MAX_BUFFERED_ALERTS, new String[] {"1000", "Alerts buffered per subtask before the sink back-pressures."});
        DEFINED.put(MAX_TIME_IN_BUFFER, new String[] {"500ms", "Longest an alert waits for a fuller batch."});
        DEFINED.put(MAX_MESSAGE_BYTES, new String[] {String.valueOf(SNS_MAX_PAYLOAD_BYTES - 16 * 1024),
                "Cap on one message body; larger alerts drop evidence and say \"truncated\":true."});
        DEFINED.put(REQUEST_TIMEOUT, new String[] {"60s", "A PublishBatch not answered within this is sent again."});
        DEFINED.put(SDK_MAX_ATTEMPTS, new String[] {"4", "Attempts of the AWS SDK's own retry (throttling, 5xx, I/O) per request."});
        DEFINED.put(RETRY_BACKOFF, new String[] {"500ms", "First back-off before failed entries are sent again (doubles per failure)."});
        DEFINED.put(RETRY_MAX_BACKOFF, new String[] {"30s", "Cap of that back-off."});
    }

    /** How the client finds credentials. */
    public enum Credentials {
        /** The AWS SDK's default chain: env, system properties, profile, web identity, container, instance role. */
        DEFAULT("default"),
        /** Static keys from the task manager's environment; allowed only with an endpoint override. */
        STATIC_ENV("static-env");

        private final String label;

        Credentials(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Credentials parse(String text) {
            for (Credentials c : values()) {
                if (c.label.equals(text.trim().toLowerCase(Locale.ROOT))) return c;
            }
            throw new ConfigException(CREDENTIALS + ": expected 'default' or 'static-env', got '" + text + "'");
        }
    }

    // arn:PARTITION:sns:REGION:ACCOUNT:TOPIC; topic names are 1-256 of [A-Za-z0-9_-], FIFO ones end in .fifo
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,251}(\\.fifo)?)");

    public SnsSettings {
        if (topicArn == null || topicArn.isBlank()) {
            throw new ConfigException(TOPIC_ARN + " is required, e.g. arn:aws:sns:us-east-1:123456789012:spikewatch-alerts");
        }
        Matcher m = ARN.matcher(topicArn);
        if (!m.matches() || m.group(4).length() > 256) {
            throw new ConfigException(TOPIC_ARN + ": '" + topicArn
                    + "' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT_ID:TOPIC_NAME)");
        }
        if (region == null || region.isBlank()) region = m.group(2);
        if (!region.matches("[a-z0-9-]+")) {
            throw new ConfigException(REGION + ": '" + region + "' is not an AWS region name");
        }
        if (endpoint != null) {
            String scheme = endpoint.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
                throw new ConfigException(ENDPOINT + ": '" + endpoint + "' must be an http(s) URL with a host");
            }
            if (endpoint.getUserInfo() != null) {
                throw new ConfigException(ENDPOINT + ": must not carry user info; credentials come from " + CREDENTIALS);
            }
        }
        if (credentials == null) credentials = Credentials.DEFAULT;
        if (credentials == Credentials.STATIC_ENV && endpoint == null) {
            throw new ConfigException(CREDENTIALS + "=static-env is for local endpoints only: set " + ENDPOINT
                    + " or use 'default' (instance/task role, profile, env) for AWS");
        }
        requireRange(MAX_BATCH_ENTRIES, maxBatchEntries, 1, SNS_MAX_BATCH_ENTRIES);
        requireRange(MAX_IN_FLIGHT_REQUESTS, maxInFlightRequests, 1, 1000);
        if (maxBufferedAlerts <= maxBatchEntries) {
            throw new ConfigException(MAX_BUFFERED_ALERTS + " must be greater than " + MAX_BATCH_ENTRIES
                    + " (" + maxBatchEntries + "), got " + maxBufferedAlerts);
        }
        requirePositive(MAX_TIME_IN_BUFFER, maxTimeInBuffer);
        requireRange(MAX_MESSAGE_BYTES, maxMessageBytes, 4096, SNS_MAX_PAYLOAD_BYTES - ATTRIBUTE_HEADROOM_BYTES);
        requirePositive(REQUEST_TIMEOUT, requestTimeout);
        requireRange(SDK_MAX_ATTEMPTS, sdkMaxAttempts, 1, 20);
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new ConfigException(RETRY_BACKOFF + " must be zero or positive");
        }
        requirePositive(RETRY_MAX_BACKOFF, retryMaxBackoff);
        if (retryMaxBackoff.compareTo(retryBackoff) < 0) {
            throw new ConfigException(RETRY_MAX_BACKOFF + " must not be shorter than " + RETRY_BACKOFF);
        }
    }

    /** Settings with every default, for this topic. */
    public static SnsSettings forTopic(String topicArn) {
        return fromProperties(Map.of(TOPIC_ARN, topicArn));
    }

    /** The same settings against a local endpoint (e.g. fauxqs) with the given credentials mode. */
    public SnsSettings withEndpoint(URI endpoint, Credentials credentials) {
        return new SnsSettings(topicArn, region, endpoint, credentials, maxBatchEntries, maxInFlightRequests,
                maxBufferedAlerts, maxTimeInBuffer, maxMessageBytes, requestTimeout, sdkMaxAttempts, retryBackoff,
                retryMaxBackoff);
    }

    /** The same settings with another writer-level back-off (tests use zero). */
    public SnsSettings withRetryBackoff(Duration backoff, Duration maxBackoff) {
        return new SnsSettings(topicArn, region, endpoint, credentials, maxBatchEntries, maxInFlightRequests,
                maxBufferedAlerts, maxTimeInBuffer, maxMessageBytes, requestTimeout, sdkMaxAttempts, backoff,
                maxBackoff);
    }

    /**
     * Reads the {@code sns.*} keys of a flat configuration map (other keys are ignored, so the whole
     * job configuration can be passed). A key with no value takes its default.
     *
     * @throws ConfigException naming the setting when a value is missing or malformed
     */
    public static SnsSettings fromProperties(Map<String, String> properties) {
        for (String key : properties.keySet()) {
            if (key.startsWith("sns.") && !KEYS.containsKey(key)) {
                throw new ConfigException("unknown setting '" + key + "'; known: " + String.join(", ", KEYS.keySet()));
            }
        }
        String endpointText = value(properties, ENDPOINT);
        URI endpoint = null;
        if (!endpointText.isEmpty()) {
            try {
                endpoint = new URI(endpointText);
            } catch (URISyntaxException e) {
                throw new ConfigException(ENDPOINT + ": '" + endpointText + "' is not a URL");
            }
        }
        String region = value(properties, REGION);
        return new SnsSettings(
                value(properties, TOPIC_ARN),
                region.isEmpty() ? null : region,
                endpoint,
                Credentials.parse(value(properties, CREDENTIALS)),
                integer(properties, MAX_BATCH_ENTRIES),
                integer(properties, MAX_IN_FLIGHT_REQUESTS),
                integer(properties, MAX_BUFFERED_ALERTS),
                duration(properties, MAX_TIME_IN_BUFFER),
                integer(properties, MAX_MESSAGE_BYTES),
                duration(properties, REQUEST_TIMEOUT),
                integer(properties, SDK_MAX_ATTEMPTS),
                duration(properties, RETRY_BACKOFF),
                duration(properties, RETRY_MAX_BACKOFF));
    }

    public boolean isFifo() {
        return topicArn.endsWith(".fifo");
    }

    /**
     * In-flight requests the writer really uses: 1 for FIFO topics, because a batch backing off while
     * a later one goes out would let an escalation overtake its opening; SNS orders a group by arrival.
     */
    public int effectiveMaxInFlightRequests() {
        return isFifo() ? 1 : maxInFlightRequests;
    }

    /** The topic's name (last ARN part), for metrics and messages. */
    public String topicName() {
        return topicArn.substring(topicArn.lastIndexOf(':') + 1);
    }

    /** One line for logs and {@code config} output: everything but secrets (there are none here). */
    public String describe() {
        return "SNS topic " + topicArn + (isFifo() ? " (FIFO)" : "")
                + ", region " + region
                + ", endpoint " + (endpoint == null ? "AWS default" : endpoint.toString())
                + ", credentials " + (credentials == Credentials.DEFAULT ? "default chain" : "static from environment")
                + ", batches of up to " + maxBatchEntries + " alerts"
                + ", " + effectiveMaxInFlightRequests() + " request(s) in flight"
                + ", buffer " + maxBufferedAlerts + " alerts / " + DurationText.format(maxTimeInBuffer)
                + ", message cap " + maxMessageBytes + " bytes"
                + ", request timeout " + DurationText.format(requestTimeout)
                + ", SDK attempts " + sdkMaxAttempts
                + ", back-off " + DurationText.format(retryBackoff) + ".." + DurationText.format(retryMaxBackoff);
    }

    private static String value(Map<String, String> properties, String key) {
        String v = properties.get(key);
        if (v == null || v.isBlank()) v = KEYS.get(key)[0];
        return v.trim();
    }

    private static int integer(Map<String, String> properties, String key) {
        String v = value(properties, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected a whole number, got '" + v + "'");
        }
    }

    private static Duration duration(Map<String, String> properties, String key) {
        String v = value(properties, key);
        try {
            return DurationText.parse(v);
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": expected a duration like 500ms, 10s or 2m, got '" + v + "'");
        }
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new ConfigException(key + " must be a positive duration");
        }
    }
}
