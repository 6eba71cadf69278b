package io.spikewatch.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --config} and {@code --set}, parsed once for StreamingJob.main and the CLI. */
class ConfigArgsTest {
    @Test
    void configAndRepeatedSetsInOrderALaterValueWinning() {
        ConfigArgs a = ConfigArgs.parse("--config", "jobs/local", "--set", "job.parallelism=2",
                "--set", " geo.home-countries = JP ", "--set=job.parallelism=3", "--set", "geo.allowlist=");

        assertThat(a.profile()).isEqualTo(Path.of("jobs/local"));
        assertThat(a.overrides()).containsExactly(Map.entry("job.parallelism", "3"), Map.entry("geo.home-countries", "JP"),
                Map.entry("geo.allowlist", ""));
        assertThat(ConfigArgs.parse().profile()).isNull();
        assertThat(ConfigArgs.parse("--config=jobs/production").profile()).isEqualTo(Path.of("jobs/production"));
        // A value may itself hold '='.
        assertThat(ConfigArgs.parseSets(List.of("opensearch.hosts=http://h:9200/?a=b"))).containsEntry("opensearch.hosts", "http://h:9200/?a=b");
    }

    @Test
    void badArgumentsAreConfigExceptionsNamingThem() {
        assertThatThrownBy(() -> ConfigArgs.parse("--set", "job.parallelism")).isInstanceOf(ConfigException.class)
                .hasMessage("--set expects KEY=VALUE, got 'job.parallelism'");
        assertThatThrownBy(() -> ConfigArgs.parse("--set", "=2")).isInstanceOf(ConfigException.class)
                .hasMessage("--set expects KEY=VALUE, got '=2'");
        assertThatThrownBy(() -> ConfigArgs.parse("--set")).isInstanceOf(ConfigException.class).hasMessageContaining("--set");
        assertThatThrownBy(() -> ConfigArgs.parse("--config")).isInstanceOf(ConfigException.class).hasMessageContaining("--config");
        assertThatThrownBy(() -> ConfigArgs.parse("--profile", "x")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown argument '--profile'");
    }

    @Test
    void valuesAreTheProfileThenCommandDefaultsThenTheSets() throws Exception {
        ConfigArgs a = ConfigArgs.parse("--config", "jobs/local", "--set", "job.parallelism=5");
        Map<String, String> v = a.values(Map.of("job.parallelism", "1", "job.checkpoint-interval", "1s"));

        assertThat(v).containsEntry("job.parallelism", "5")          // --set wins
                .containsEntry("job.checkpoint-interval", "1s")       // command default over the profile's 10s
                .containsEntry("geo.home-countries", "US");           // from the profile
        assertThatThrownBy(() -> ConfigArgs.parse("--config", "no/such/profile").values())
                .isInstanceOf(ConfigException.class).hasMessageContaining("no/such/profile");
    }
}
