package io.spikewatch.config;

import io.spikewatch.LiveJobConfig;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped job profiles load, the production profile lists every setting at its default, and the
 * configuration reference (docs/configuration.md) documents every setting.
 */
class JobProfilesTest {
    @Test
    void productionProfileListsEverySettingWithItsDefault() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("jobs/production/spikewatch.properties"))) {
            p.load(r);
        }
        Map<String, String> expected = new TreeMap<>();
        ConfigLoader.describe().forEach((k, v) -> expected.put(k, v[0]));
        Map<String, String> actual = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> actual.put(k, p.getProperty(k)));
        // Inputs and outputs have no default; production names example ones to replace.
        for (String required : new String[] {"geo.alb.database", "kinesis.waf.stream", "kinesis.alb.stream",
                "opensearch.hosts", "sns.topic-arn"}) {
            assertThat(actual.remove(required)).as(required).isNotBlank();
            expected.remove(required);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void configurationReferenceDocumentsEverySettingWithItsDefault() throws Exception {
        String reference = Files.readString(Path.of("docs/configuration.md"));
        ConfigLoader.describe().forEach((k, v) ->
                assertThat(reference).as(k).contains("| `" + k + "` | `" + v[0] + "` |"));
    }

    @Test
    void shippedProfilesLoadAsLiveJobs() throws Exception {
        for (String profile : new String[] {"jobs/local", "jobs/production"}) {
            LiveJobConfig live = LiveJobConfig.load(Path.of(profile), Map.of());
            assertThat(live.kinesis().inputs()).as(profile).hasSize(2);
            assertThat(live.sns()).as(profile).isNotNull();
        }
    }
}
