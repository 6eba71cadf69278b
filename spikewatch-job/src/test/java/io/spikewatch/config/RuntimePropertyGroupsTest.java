package io.spikewatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.LiveJobConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Managed Flink runtime property groups become the same settings as a profile: read from the file
 * Managed Flink writes (here, deploy/aws's example groups in that file's format) by the AWS runtime
 * library the job ships.
 */
class RuntimePropertyGroupsTest {
    @TempDir
    Path dir;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    @Test
    void theSpikewatchGroupHoldsFullKeysAndOtherGroupsArePrefixes() {
        Map<String, String> s = RuntimePropertyGroups.toSettings(Map.of(
                "spikewatch", props("window.size", "5m"),
                "kinesis.waf", props("stream", "arn:aws:kinesis:eu-west-1:1:stream/w"),
                "opensearch", props("hosts", "https://o.example")));
        assertThat(s).containsExactlyInAnyOrderEntriesOf(Map.of("window.size", "5m",
                "kinesis.waf.stream", "arn:aws:kinesis:eu-west-1:1:stream/w", "opensearch.hosts", "https://o.example"));
    }

    @Test
    void aKeySetInTwoGroupsIsNamed() {
        assertThatThrownBy(() -> RuntimePropertyGroups.toSettings(Map.of(
                "spikewatch", props("opensearch.hosts", "https://a"), "opensearch", props("hosts", "https://b"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("opensearch.hosts");
    }

    @Test
    void withoutTheManagedFlinkFileThereAreNoSettings() {
        assertThat(RuntimePropertyGroups.settings(dir.resolve("application_properties.json"))).isEmpty();
    }

    @Test
    void theDeployAwsExampleLoadsAsTheLiveJobsConfiguration() throws Exception {
        // Managed Flink writes the application's PropertyGroups array to its properties file.
        JsonNode groups = new ObjectMapper().readTree(Path.of("deploy/aws/environment-properties.json").toFile())
                .path("PropertyGroups");
        Path file = Files.writeString(dir.resolve("application_properties.json"), groups.toString());

        Map<String, String> settings = RuntimePropertyGroups.settings(file);
        LiveJobConfig live = LiveJobConfig.fromMap(ConfigArgs.parse().values(settings));

        assertThat(live.kinesis().inputs()).hasSize(2);
        assertThat(live.opensearch().hosts()).containsExactly("https://search-spikewatch-abc123.eu-west-1.es.amazonaws.com");
        assertThat(live.sns().topicArn()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:spikewatch-alerts");
        assertThat(live.detector().checkpointInterval()).hasSeconds(60);
        // A --set on the command line (where there is one) still wins over the groups.
        LiveJobConfig overridden = LiveJobConfig.fromMap(ConfigArgs.parse("--set", "job.checkpoint-interval=10s").values(settings));
        assertThat(overridden.detector().checkpointInterval()).hasSeconds(10);
    }

    @Test
    void anUnreadableFileIsAConfigurationError() throws Exception {
        Path file = Files.writeString(dir.resolve("application_properties.json"), "{not json");
        assertThatThrownBy(() -> RuntimePropertyGroups.settings(file))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read");
    }
}
