package io.spikewatch.connectors.sns;

import io.spikewatch.config.ConfigException;
import io.spikewatch.connectors.AwsAuth;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static io.spikewatch.connectors.sns.SnsTestAlerts.FIFO_TOPIC;
import static io.spikewatch.connectors.sns.SnsTestAlerts.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnsSettingsTest {
    @Test
    void defaultsFitSnsLimitsAndTheRegionComesFromTheArn() {
        SnsSettings s = SnsSettings.forTopic("arn:aws:sns:eu-central-1:123456789012:alerts");
        assertThat(s.region()).isEqualTo("eu-central-1");
        assertThat(s.endpoint()).isNull();
        assertThat(s.credentials()).isEqualTo(AwsAuth.DEFAULT_CHAIN);
        assertThat(s.maxBatchEntries()).isEqualTo(10);
        assertThat(s.maxBufferedAlerts()).isGreaterThan(s.maxBatchEntries());
        assertThat(s.maxMessageBytes()).isLessThanOrEqualTo(SnsSettings.SNS_MAX_PAYLOAD_BYTES - SnsSettings.ATTRIBUTE_HEADROOM_BYTES);
        assertThat(s.maxTimeInBuffer()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.isFifo()).isFalse();
        assertThat(s.topicName()).isEqualTo("alerts");
        assertThat(SnsSettings.forTopic(FIFO_TOPIC).isFifo()).isTrue();
        assertThat(s.effectiveMaxInFlightRequests()).isEqualTo(4);
        // FIFO: one request at a time, so a retried opening is never overtaken by its escalation
        assertThat(SnsSettings.forTopic(FIFO_TOPIC).effectiveMaxInFlightRequests()).isEqualTo(1);
    }

    @Test
    void propertiesOverrideDefaults() {
        SnsSettings s = SnsSettings.fromProperties(Map.of(
                "sns.topic-arn", TOPIC,
                "sns.region", "us-west-2",
                "sns.endpoint", "http://127.0.0.1:4566",
                "aws.credentials.profile", "alerts",
                "sns.batch.max-entries", "5",
                "sns.max-in-flight-requests", "2",
                "sns.max-time-in-buffer", "2s",
                "window.size", "1m"));
        assertThat(s.region()).isEqualTo("us-west-2");
        assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(s.credentials()).isEqualTo(new AwsAuth("alerts"));
        assertThat(s.maxBatchEntries()).isEqualTo(5);
        assertThat(s.maxInFlightRequests()).isEqualTo(2);
        assertThat(s.maxTimeInBuffer()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void errorsNameTheSetting() {
        assertError(Map.of(), "sns.topic-arn");
        assertError(Map.of("sns.topic-arn", "alerts"), "sns.topic-arn");
        assertError(Map.of("sns.topic-arn", "arn:aws:sqs:us-east-1:123456789012:alerts"), "sns.topic-arn");
        assertError(Map.of("sns.topic-arn", "arn:aws:sns:us-east-1:1234:alerts"), "sns.topic-arn");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.batch.max-entries", "11"), "sns.batch.max-entries");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.batch.max-entries", "ten"), "sns.batch.max-entries");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.max-buffered-alerts", "10"), "sns.max-buffered-alerts");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.max-message-bytes", "262144"), "sns.max-message-bytes");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.max-time-in-buffer", "soon"), "sns.max-time-in-buffer");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.endpoint", "ftp://127.0.0.1"), "sns.endpoint");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.endpoint", "http://user:pw@127.0.0.1:4566"), "sns.endpoint");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.credentials", "static-env"), "sns.credentials is no longer a setting");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.request-timeout", "later"), "sns.request-timeout: 'later' is not a duration");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.retry.backoff", "1m", "sns.retry.max-backoff", "1s"), "sns.retry.max-backoff");
        assertError(Map.of("sns.topic-arn", TOPIC, "sns.topic", "x"), "sns.topic");
    }

    @Test
    void credentialsComeFromTheSharedAwsSettingsAndDescribeNamesOnlyTheProfile() {
        SnsSettings s = SnsSettings.fromProperties(Map.of("sns.topic-arn", TOPIC, "sns.endpoint", "http://127.0.0.1:4566",
                "aws.credentials.profile", "local-alerts"));
        assertThat(s.credentials().profile()).isEqualTo("local-alerts");
        assertThat(s.describe()).contains("credentials profile local-alerts");
        // Neither an endpoint nor anything else makes credentials a setting of their own.
        assertThat(SnsSettings.forTopic(TOPIC).withEndpoint(URI.create("http://127.0.0.1:4566")).credentials())
                .isEqualTo(AwsAuth.DEFAULT_CHAIN);
    }

    @Test
    void describeNamesTopicRegionAndEndpoint() {
        SnsSettings s = SnsSettings.forTopic(FIFO_TOPIC).withEndpoint(URI.create("http://127.0.0.1:4566"));
        assertThat(s.describe())
                .contains(FIFO_TOPIC, "(FIFO)", "region us-east-1", "endpoint http://127.0.0.1:4566", "default chain", "10 alerts", "1 request(s) in flight");
    }

    @Test
    void settingsSurviveJavaSerialization() throws Exception {
        SnsSettings s = SnsSettings.forTopic(TOPIC).withEndpoint(URI.create("http://127.0.0.1:4566"), new AwsAuth("local"));
        assertThat(InstantiationUtil.clone(s)).isEqualTo(s);
        assertThat(InstantiationUtil.clone(new SnsAlertSink(s)).settings()).isEqualTo(s);
    }

    private static void assertError(Map<String, String> properties, String setting) {
        assertThatThrownBy(() -> SnsSettings.fromProperties(properties))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(setting);
    }
}
