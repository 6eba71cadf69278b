package io.spikewatch.config;

import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Signal;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one registry: every key once, with a default and a meaning; unknown keys and bad values named. */
class SettingsTest {
    @Test
    void everyKeyIsListedOnceWithAParsableDefaultAndADescription() {
        Set<String> seen = new HashSet<>();
        for (Setting<?> s : Settings.all()) {
            assertThat(seen.add(s.key())).as("listed once: " + s.key()).isTrue();
            assertThat(s.description()).as(s.key()).isNotBlank().endsWith(".");
            assertThat(s.defaultText()).as(s.key()).isNotNull();
            assertThatCode(() -> s.parse(null)).as("default of " + s.key()).doesNotThrowAnyException();
            assertThat(Settings.find(s.key())).isSameAs(s);
        }
        // ./spikewatch config lists exactly the registry, in its order.
        assertThat(ConfigLoader.describe().keySet()).containsExactlyElementsOf(Settings.all().stream().map(Setting::key).toList());
        assertThat(ConfigLoader.describe()).hasSameSizeAs(seen);
    }

    @Test
    void theRegistryHoldsDetectorAwsAndEveryConnectorPrefix() {
        Set<String> keys = ConfigLoader.describe().keySet();
        assertThat(keys).contains("window.size", "detect.ip.requests.z-score", "job.startup-checks",
                "aws.credentials.profile", "kinesis.waf.stream", "kinesis.alb.reader", "opensearch.hosts",
                "opensearch.sigv4.region", "sns.topic-arn", "sns.retry.max-backoff");
        for (LogSource s : LogSource.values()) {
            assertThat(keys).contains(Settings.kinesis(s).stream().key(), Settings.watermarks(s).idleness().key());
        }
        for (Dimension d : Dimension.values()) {
            for (Signal g : Signal.values()) assertThat(keys).contains(Settings.detect(d, g).ratio().key());
        }
        // One credentials convention: no per-service credentials keys, no key that could hold a secret.
        assertThat(keys).noneMatch(k -> k.endsWith(".credentials") || k.contains("secret") || k.contains("access-key")
                || k.endsWith("password") || k.contains("role-arn"));
        // Settings that appear in documentation order: detector first, then aws, kinesis, opensearch, sns.
        List<String> order = List.copyOf(keys);
        assertThat(order.indexOf("job.startup-checks")).isLessThan(order.indexOf("aws.credentials.profile"));
        assertThat(order.indexOf("aws.credentials.profile")).isLessThan(order.indexOf("kinesis.waf.stream"));
        assertThat(order.indexOf("kinesis.alb.shard-discovery-interval")).isLessThan(order.indexOf("opensearch.hosts"));
        assertThat(order.indexOf("opensearch.backoff.max-retries")).isLessThan(order.indexOf("sns.topic-arn"));
    }

    @Test
    void anUnknownKeyOfAnyPrefixIsNamed() {
        assertThatThrownBy(() -> new ConfigValues(Map.of("window.sise", "1m", "sns.topik-arn", "x", "kinesis.waf.streem", "s",
                "opensearch.host", "h", "window.size", "1m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key(s): kinesis.waf.streem, opensearch.host, sns.topik-arn, window.sise");
    }

    @Test
    void aRemovedKeySaysWhatReplacesIt() {
        for (String old : List.of("kinesis.waf.credentials", "kinesis.alb.credentials", "sns.credentials")) {
            assertThatThrownBy(() -> new ConfigValues(Map.of(old, "default")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(old + " is no longer a setting")
                    .hasMessageContaining("aws.credentials.profile")
                    .hasMessageContaining("AWS default chain");
        }
        assertThatThrownBy(() -> new ConfigValues(Map.of("opensearch.password", "hunter2")))
                .hasMessageContaining("opensearch.password-env").hasMessageNotContaining("hunter2");
    }

    @Test
    void aValueThatDoesNotParseNamesTheKeyAndTheText() {
        ConfigValues v = new ConfigValues(Map.of("window.size", "soon", "job.parallelism", "two",
                "geo.alb.enabled", "yes", "incident.hot-fraction", "half", "kinesis.waf.polling.max-records", "lots"));
        assertThatThrownBy(() -> v.get(Settings.WINDOW_SIZE)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("window.size: 'soon' is not a duration");
        assertThatThrownBy(() -> v.get(Settings.PARALLELISM)).hasMessage("job.parallelism: 'two' is not a whole number");
        assertThatThrownBy(() -> v.get(Settings.ALB_GEO_ENABLED)).hasMessage("geo.alb.enabled: 'yes' must be true or false");
        assertThatThrownBy(() -> v.get(Settings.HOT_FRACTION)).hasMessage("incident.hot-fraction: 'half' is not a number");
        assertThatThrownBy(() -> v.get(Settings.kinesis(LogSource.WAF).pollingMaxRecords()))
                .hasMessage("kinesis.waf.polling.max-records: 'lots' is not a whole number");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false", "detect.ip.requests.z-score", "high")))
                .isInstanceOf(ConfigException.class).hasMessage("detect.ip.requests.z-score: 'high' is not a number");
    }

    @Test
    void absentKeysTakeTheDefaultAndOptionalOnesAreNull() {
        ConfigValues v = ConfigValues.defaults();
        assertThat(v.get(Settings.WINDOW_SIZE)).isEqualTo(Duration.ofMinutes(1));
        assertThat(v.get(Settings.HOME_COUNTRIES)).containsExactly("US");
        assertThat(v.get(Settings.ALLOWLIST)).isEmpty();
        assertThat(v.get(Settings.kinesis(LogSource.ALB).pollingInterval())).isNull();
        assertThat(v.get(Settings.AWS_CREDENTIALS_PROFILE)).isEmpty();
        assertThat(new ConfigValues(Map.of("geo.home-countries", " JP , ,DE ")).get(Settings.HOME_COUNTRIES))
                .containsExactly("JP", "DE");
    }
}
