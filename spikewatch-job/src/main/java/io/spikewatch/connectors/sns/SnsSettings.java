package io.spikewatch.connectors.sns;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigValues;
import io.spikewatch.config.DurationText;
import io.spikewatch.config.Setting;
import io.spikewatch.config.Settings;
import io.spikewatch.connectors.AwsAuth;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how the SNS sink publishes alerts. Serializable: the sink carries it to the task
 * managers, where the client is built.
 *
 * <p>Holds no secret: credentials come from the {@code aws.credentials.*} settings shared by every
 * AWS client ({@link AwsAuth}) and are resolved by the SDK on the task manager when the client is
 * built ({@link AwsSnsClientProvider}), so they cannot end up in a job graph, a savepoint or a log line.
 *
 * @param topicArn            {@code sns.topic-arn}: the topic; a name ending in {@code .fifo} makes
 *                            the sink send FIFO group and deduplication ids
 * @param region              {@code sns.region}: the client's region (default: the ARN's region)
 * @param endpoint            {@code sns.endpoint}: endpoint override, for a local emulator; null for AWS
 * @param credentials         {@code aws.credentials.*}: the AWS default chain or a named profile
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
        AwsAuth credentials,
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
    public static final int SNS_MAX_PAYLOAD_BYTES = Settings.SNS_MAX_PAYLOAD_BYTES;
    /**
     * Room kept below {@link #SNS_MAX_PAYLOAD_BYTES} for the subject and message attributes, which
     * SNS counts into the same limit (six attributes of at most 256 characters and a 99-character
     * subject: under 7 KiB even in 4-byte UTF-8).
     */
    public static final int ATTRIBUTE_HEADROOM_BYTES = 8 * 1024;

    public static final String TOPIC_ARN = Settings.SNS_TOPIC_ARN.key();
    public static final String REGION = Settings.SNS_REGION.key();
    public static final String ENDPOINT = Settings.SNS_ENDPOINT.key();
    public static final String MAX_BATCH_ENTRIES = Settings.SNS_MAX_BATCH_ENTRIES.key();
    public static final String MAX_IN_FLIGHT_REQUESTS = Settings.SNS_MAX_IN_FLIGHT_REQUESTS.key();
    public static final String MAX_BUFFERED_ALERTS = Settings.SNS_MAX_BUFFERED_ALERTS.key();
    public static final String MAX_TIME_IN_BUFFER = Settings.SNS_MAX_TIME_IN_BUFFER.key();
    public static final String MAX_MESSAGE_BYTES = Settings.SNS_MAX_MESSAGE_BYTES.key();
    public static final String REQUEST_TIMEOUT = Settings.SNS_REQUEST_TIMEOUT.key();
    public static final String SDK_MAX_ATTEMPTS = Settings.SNS_SDK_MAX_ATTEMPTS.key();
    public static final String RETRY_BACKOFF = Settings.SNS_RETRY_BACKOFF.key();
    public static final String RETRY_MAX_BACKOFF = Settings.SNS_RETRY_MAX_BACKOFF.key();

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
                throw new ConfigException(ENDPOINT + ": must not carry user info; credentials come from "
                        + Settings.AWS_CREDENTIALS_PROFILE.key() + " or the AWS default chain");
            }
        }
        if (credentials == null) credentials = AwsAuth.DEFAULT_CHAIN;
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

    /** The same settings against another endpoint (e.g. the local fauxqs). */
    public SnsSettings withEndpoint(URI endpoint) {
        return withEndpoint(endpoint, credentials);
    }

    /** The same settings against another endpoint with the given credentials settings. */
    public SnsSettings withEndpoint(URI endpoint, AwsAuth credentials) {
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
     * Reads the {@code sns.*} keys of a flat configuration map (a whole job profile; every key must
     * be a setting, see {@link ConfigValues}). A key with an empty value takes its default.
     *
     * @throws ConfigException naming the setting when a value is missing or malformed
     */
    public static SnsSettings fromProperties(Map<String, String> properties) {
        return fromValues(new ConfigValues(properties));
    }

    /** The {@code sns.*} settings (and {@code aws.credentials.*}) of {@code values}. */
    public static SnsSettings fromValues(ConfigValues values) {
        String endpointText = value(values, Settings.SNS_ENDPOINT);
        URI endpoint = null;
        if (!endpointText.isEmpty()) {
            try {
                endpoint = new URI(endpointText);
            } catch (URISyntaxException e) {
                throw new ConfigException(ENDPOINT + ": '" + endpointText + "' is not a URL");
            }
        }
        String region = value(values, Settings.SNS_REGION);
        return new SnsSettings(
                value(values, Settings.SNS_TOPIC_ARN),
                region.isEmpty() ? null : region,
                endpoint,
                AwsAuth.fromValues(values),
                value(values, Settings.SNS_MAX_BATCH_ENTRIES),
                value(values, Settings.SNS_MAX_IN_FLIGHT_REQUESTS),
                value(values, Settings.SNS_MAX_BUFFERED_ALERTS),
                value(values, Settings.SNS_MAX_TIME_IN_BUFFER),
                value(values, Settings.SNS_MAX_MESSAGE_BYTES),
                value(values, Settings.SNS_REQUEST_TIMEOUT),
                value(values, Settings.SNS_SDK_MAX_ATTEMPTS),
                value(values, Settings.SNS_RETRY_BACKOFF),
                value(values, Settings.SNS_RETRY_MAX_BACKOFF));
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
                + ", credentials " + (credentials.profile() == null ? "default chain" : "profile " + credentials.profile())
                + ", batches of up to " + maxBatchEntries + " alerts"
                + ", " + effectiveMaxInFlightRequests() + " request(s) in flight"
                + ", buffer " + maxBufferedAlerts + " alerts / " + DurationText.format(maxTimeInBuffer)
                + ", message cap " + maxMessageBytes + " bytes"
                + ", request timeout " + DurationText.format(requestTimeout)
                + ", SDK attempts " + sdkMaxAttempts
                + ", back-off " + DurationText.format(retryBackoff) + ".." + DurationText.format(retryMaxBackoff);
    }

    /** The value, or the setting's default when it is absent or blank. */
    private static <T> T value(ConfigValues values, Setting<T> setting) {
        return values.raw(setting).isEmpty() ? setting.parse(null) : values.get(setting);
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
