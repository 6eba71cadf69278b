package io.spikewatch.connectors;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigLoader;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.testing.ClosedPort;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The skip setting; the checks themselves run against real servers in {@code StartupChecksITCase}. */
class StartupChecksTest {
    private static Map<String, String> unreachableEverywhere() throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("geo.alb.enabled", "false");
        m.put("kinesis.waf.stream", "arn:aws:kinesis:us-east-1:000000000000:stream/waf");
        m.put("kinesis.waf.endpoint", ClosedPort.url());
        m.put("opensearch.hosts", ClosedPort.url());
        m.put("sns.topic-arn", "arn:aws:sns:us-east-1:000000000000:alerts");
        m.put("sns.endpoint", ClosedPort.url());
        return m;
    }

    @Test
    void checksAreOnByDefaultAndListedWithTheOtherSettings() {
        assertThat(ConfigLoader.describe().get(AwsStartupCheck.SKIP_SETTING)).isNotNull()
                .satisfies(d -> assertThat(d[0]).isEqualTo("true"));
        assertThat(ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false")).startupChecks()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false", "job.startup-checks", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.startup-checks");
    }

    @Test
    void falseSkipsEveryCheckWithoutTouchingTheNetwork() throws Exception {
        Map<String, String> m = unreachableEverywhere();
        m.put("job.startup-checks", "false");

        assertThat(new StartupChecks().run(LiveJobConfig.fromMap(m)))
                .containsExactly("start-up checks skipped (job.startup-checks=false)");
    }
}
