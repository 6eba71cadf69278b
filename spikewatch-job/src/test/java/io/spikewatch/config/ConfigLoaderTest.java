package io.spikewatch.config;

import io.spikewatch.LiveJobConfig;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Signal;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final Map<String, String> NO_GEO = Map.of("geo.alb.enabled", "false");

    @Test
    void defaultsMatchTheDocumentedTable() {
        SpikewatchConfig c = ConfigLoader.fromMap(NO_GEO);
        assertThat(c.detection().window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.detection().rule(Dimension.IP, Signal.REQUESTS).absoluteRate()).isEqualTo(300);
        assertThat(c.enrichment().homeCountries()).containsExactly("US");
        assertThat(c.watermarks(LogSource.ALB).outOfOrderness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigLoader.describe()).containsKey("detect.ip.client-errors.min-volume");
        assertThat(ConfigLoader.describe().get("detect.ip.requests.absolute-rate")[0]).isEqualTo("300");
    }

    @Test
    void aWarmupLongerThanTheWindowCountCanHoldIsRejectedNamingTheSettings() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false",
                "detect.country.requests.warmup-windows", "300", "window.size", "5m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detect.country.requests.warmup-windows=300")
                .hasMessageContaining("255 x window.size=5m");
        // The half-life no longer limits the warm-up: a warm-up far beyond 1.44 half-lives is fine.
        SpikewatchConfig c = ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false", "window.size", "5m",
                "baseline.half-life", "30m", "detect.scope.requests.warmup-windows", "255"));
        assertThat(c.detection().rule(Dimension.SCOPE, Signal.REQUESTS).warmupWindows()).isEqualTo(255);
    }

    @Test
    void unknownKeyIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false", "detect.ip.requets.ratio", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("detect.ip.requets.ratio");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false", "window.size", "soon")))
                .hasMessageContaining("window.size");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false", "detect.scope.requests.ratio", "0.5")))
                .hasMessageContaining("detect.scope.requests").hasMessageContaining("ratio");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false", "geo.home-countries", "USA")))
                .hasMessageContaining("geo.home-countries");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("geo.alb.enabled", "maybe")))
                .hasMessageContaining("geo.alb.enabled");
    }

    @Test
    void theCountryDatabaseIsOptionalUntilAlbInputIsKnown() {
        // WAF records carry their country: the detector's settings need no database of their own.
        assertThat(ConfigLoader.fromMap(Map.of()).enrichment().albGeoDatabase()).isNull();
        SpikewatchConfig c = ConfigLoader.fromMap(Map.of("geo.alb.database", "/data/dbip.mmdb"));
        assertThat(c.enrichment().albGeoDatabase()).isEqualTo("/data/dbip.mmdb");
        // The live job with an ALB stream needs one.
        Map<String, String> live = Map.of("kinesis.alb.stream", "arn:aws:kinesis:eu-west-1:123456789012:stream/alb-logs",
                "opensearch.hosts", "http://127.0.0.1:9200");
        assertThatThrownBy(() -> LiveJobConfig.fromMap(live))
                .hasMessageStartingWith("geo.alb.database").hasMessageContaining("geo.alb.enabled=false");
        Map<String, String> wafOnly = Map.of("kinesis.waf.stream", "arn:aws:kinesis:eu-west-1:123456789012:stream/waf-logs",
                "opensearch.hosts", "http://127.0.0.1:9200");
        assertThat(LiveJobConfig.fromMap(wafOnly).detector().enrichment().albGeoDatabase()).isNull();
    }

    @Test
    void loadsAProfileDirectoryWithOverridesOnTop(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("spikewatch.properties"),
                "geo.alb.enabled=false\ngeo.home-countries=jp, de\ndetect.ip.requests.absolute-rate=500\n");
        SpikewatchConfig c = ConfigLoader.load(dir, Map.of("detect.ip.requests.absolute-rate", "700"));
        assertThat(c.enrichment().homeCountries()).containsExactlyInAnyOrder("JP", "DE");
        assertThat(c.detection().rule(Dimension.IP, Signal.REQUESTS).absoluteRate()).isEqualTo(700);
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope"), Map.of()))
                .hasMessageContaining("not found");
    }

    @Test
    void durationsParseAndRejectGarbage() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThatThrownBy(() -> DurationText.parse("5 weeks")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationText.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
