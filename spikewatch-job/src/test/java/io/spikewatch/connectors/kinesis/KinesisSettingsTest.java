package io.spikewatch.connectors.kinesis;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigLoader;
import io.spikewatch.connectors.AwsAuth;
import io.spikewatch.connectors.kinesis.KinesisSettings.InitialPosition;
import io.spikewatch.connectors.kinesis.KinesisSettings.Reader;
import io.spikewatch.records.LogSource;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KinesisSettingsTest {
    private static final String WAF_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/waf-logs";

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static void assertRejected(String message, String... kv) {
        assertThatThrownBy(() -> KinesisSettings.fromMap(keys(kv)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void anArnIsEnoughForTheDefaultPollingReader() {
        KinesisSettings s = KinesisSettings.fromMap(keys("kinesis.waf.stream", WAF_ARN, "window.size", "1m"));

        assertThat(s.alb()).isNull();
        KinesisSettings.StreamInput waf = s.waf();
        assertThat(waf.source()).isEqualTo(LogSource.WAF);
        assertThat(waf.streamName()).isEqualTo("waf-logs");
        assertThat(waf.streamArn()).isEqualTo(WAF_ARN);
        assertThat(waf.region()).isEqualTo("eu-west-1");
        assertThat(waf.endpoint()).isNull();
        assertThat(waf.credentials()).isEqualTo(AwsAuth.DEFAULT_CHAIN);
        assertThat(waf.initialPosition()).isEqualTo(InitialPosition.LATEST);
        assertThat(waf.reader()).isEqualTo(Reader.POLLING);
        assertThat(waf.uid()).isEqualTo("source-kinesis-waf");
        assertThat(s.inputs()).containsExactly(waf);
    }

    @Test
    void everySettingOfALegacyLocalInput() {
        KinesisSettings s = KinesisSettings.fromMap(keys(
                "kinesis.alb.stream", "alb-logs", "kinesis.alb.region", "us-east-1",
                "kinesis.alb.endpoint", "http://127.0.0.1:4568/", "aws.credentials.profile", "local",
                "kinesis.alb.initial-position", "at_timestamp", "kinesis.alb.initial-timestamp", "2026-11-02T00:00:00Z",
                "kinesis.alb.reader", "legacy-polling", "kinesis.alb.polling.interval", "250ms",
                "kinesis.alb.polling.max-records", "500", "kinesis.alb.shard-discovery-interval", "30s"));

        KinesisSettings.StreamInput alb = s.alb();
        assertThat(s.waf()).isNull();
        assertThat(alb.streamName()).isEqualTo("alb-logs");
        assertThat(alb.streamArn()).isNull();
        assertThat(alb.endpoint()).isEqualTo("http://127.0.0.1:4568");
        assertThat(alb.credentials()).isEqualTo(new AwsAuth("local"));
        assertThat(alb.initialPosition()).isEqualTo(InitialPosition.AT_TIMESTAMP);
        assertThat(alb.initialTimestamp()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(alb.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(alb.maxRecords()).isEqualTo(500);
        assertThat(alb.shardDiscoveryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(alb.uid()).isEqualTo("source-kinesis-alb-legacy");
        assertThat(alb.operatorName()).isEqualTo("Kinesis ALB alb-logs (legacy-polling)");
    }

    @Test
    void efoNeedsAConsumerNameAndDefaultsOne() {
        KinesisSettings s = KinesisSettings.fromMap(keys("kinesis.waf.stream", WAF_ARN, "kinesis.waf.reader", "efo"));
        assertThat(s.waf().efoConsumerName()).isEqualTo("spikewatch");
        assertRejected("kinesis.waf.efo.consumer-name",
                "kinesis.waf.stream", WAF_ARN, "kinesis.waf.reader", "efo", "kinesis.waf.efo.consumer-name", "bad name!");
    }

    @Test
    void errorsNameTheSetting() {
        assertRejected("kinesis.waf.stream: the polling reader (FLIP-27 KinesisStreamsSource) needs the stream ARN",
                "kinesis.waf.stream", "waf-logs", "kinesis.waf.region", "us-east-1");
        assertRejected("kinesis.alb.region", "kinesis.alb.stream", "alb-logs", "kinesis.alb.reader", "legacy-polling");
        assertRejected("kinesis.waf.region: 'us-east-1' differs from the stream ARN's region 'eu-west-1'",
                "kinesis.waf.stream", WAF_ARN, "kinesis.waf.region", "us-east-1");
        assertRejected("kinesis.waf.stream: 'arn:aws:s3:::bucket' is not a Kinesis stream ARN",
                "kinesis.waf.stream", "arn:aws:s3:::bucket");
        assertRejected("kinesis.waf.credentials is no longer a setting", "kinesis.waf.stream", WAF_ARN, "kinesis.waf.credentials", "env");
        assertRejected("aws.credentials.profile: 'my profile'", "kinesis.waf.stream", WAF_ARN, "aws.credentials.profile", "my profile");
        assertRejected("kinesis.alb.polling.max-records: 'many' is not a whole number", "kinesis.alb.stream", "alb",
                "kinesis.alb.region", "us-east-1", "kinesis.alb.reader", "legacy-polling", "kinesis.alb.polling.max-records", "many");
        assertRejected("kinesis.alb.polling.interval: 'soon' is not a duration", "kinesis.alb.stream", "alb",
                "kinesis.alb.region", "us-east-1", "kinesis.alb.reader", "legacy-polling", "kinesis.alb.polling.interval", "soon");
        assertRejected("kinesis.waf.initial-timestamp is required",
                "kinesis.waf.stream", WAF_ARN, "kinesis.waf.initial-position", "AT_TIMESTAMP");
        assertRejected("kinesis.waf.initial-timestamp: 'yesterday'", "kinesis.waf.stream", WAF_ARN,
                "kinesis.waf.initial-position", "AT_TIMESTAMP", "kinesis.waf.initial-timestamp", "yesterday");
        assertRejected("kinesis.waf.initial-position", "kinesis.waf.stream", WAF_ARN, "kinesis.waf.initial-position", "EARLIEST");
        assertRejected("reader=legacy-polling only", "kinesis.waf.stream", WAF_ARN, "kinesis.waf.polling.interval", "1s");
        assertRejected("kinesis.waf.polling.max-records must be between 1 and 10000", "kinesis.waf.stream", WAF_ARN,
                "kinesis.waf.reader", "legacy-polling", "kinesis.waf.polling.max-records", "20000");
        assertRejected("kinesis.waf.reader", "kinesis.waf.stream", WAF_ARN, "kinesis.waf.reader", "kcl");
        assertRejected("kinesis.waf.endpoint: 'localhost:4568'", "kinesis.waf.stream", WAF_ARN,
                "kinesis.waf.endpoint", "localhost:4568");
        assertRejected("kinesis.waf.shard-discovery-interval", "kinesis.waf.stream", WAF_ARN,
                "kinesis.waf.shard-discovery-interval", "10ms");
        assertRejected("unknown configuration key(s): kinesis.waf.streem", "kinesis.waf.streem", WAF_ARN);
    }

    @Test
    void describeListsEveryKeyForBothSources() {
        Map<String, String[]> keys = ConfigLoader.describe();
        assertThat(keys).containsKeys("kinesis.waf.stream", "kinesis.alb.stream", "kinesis.waf.reader",
                "kinesis.alb.polling.interval", "kinesis.waf.efo.consumer-name");
        assertThat(keys.get("kinesis.alb.stream")[1]).contains("ALB");
        // No key can carry a secret.
        assertThat(keys.keySet()).noneMatch(k -> k.contains("secret") || k.contains("access-key"));
        assertThat(keys.keySet()).noneMatch(k -> k.startsWith("kinesis.") && k.endsWith(".credentials"));
    }

    @Test
    void settingsSurviveJavaSerialization() throws Exception {
        KinesisSettings s = KinesisSettings.fromMap(keys("kinesis.waf.stream", WAF_ARN,
                "kinesis.alb.stream", "alb", "kinesis.alb.region", "us-east-1", "kinesis.alb.reader", "efo"));
        assertThat(InstantiationUtil.clone(s)).isEqualTo(s);
    }
}
