package io.spikewatch.enrichment;

import io.spikewatch.generator.CountryDatabaseWriter;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventEnricherTest {
    @TempDir
    Path dir;

    private Path database() throws IOException {
        Path db = dir.resolve("country.mmdb");
        new CountryDatabaseWriter().addCountry("198.51.100.0/24", "JP").addCountry("2001:db8::/32", "DE")
                .addCountry("203.0.113.0/24", "CN").write(db);
        return db;
    }

    @Test
    void albGetsCountryFromTheDatabaseWafKeepsItsOwn() throws IOException {
        SpikewatchConfig.Enrichment s = new SpikewatchConfig.Enrichment(Set.of("JP"), List.of(),
                database().toString(), true);
        try (EventEnricher enricher = EventEnricher.open(s)) {
            AccessEvent alb = event(LogSource.ALB, "198.51.100.7", null);
            enricher.enrich(alb);
            assertThat(alb.country).isEqualTo("JP");
            assertThat(alb.domestic).isTrue();

            AccessEvent alb6 = event(LogSource.ALB, "2001:db8::1", null);
            enricher.enrich(alb6);
            assertThat(alb6.country).isEqualTo("DE");
            assertThat(alb6.domestic).isFalse();

            // WAF's own country wins even where the database disagrees.
            AccessEvent waf = event(LogSource.WAF, "198.51.100.7", "US");
            enricher.enrich(waf);
            assertThat(waf.country).isEqualTo("US");
            assertThat(waf.domestic).isFalse();

            AccessEvent unknown = event(LogSource.ALB, "192.0.2.1", null);
            enricher.enrich(unknown);
            assertThat(unknown.country).isNull();
            assertThat(unknown.domestic).isFalse();
        }
    }

    @Test
    void allowlistMatchesIpv4AndIpv6() throws IOException {
        SpikewatchConfig.Enrichment s = new SpikewatchConfig.Enrichment(Set.of("US"),
                List.of("10.0.0.0/8", "2001:db8:1::/48"), null, false);
        try (EventEnricher enricher = EventEnricher.open(s)) {
            AccessEvent health = event(LogSource.ALB, "10.1.2.3", null);
            AccessEvent office6 = event(LogSource.WAF, "2001:db8:1::99", "US");
            AccessEvent other = event(LogSource.WAF, "2001:db8:2::99", "US");
            enricher.enrich(health);
            enricher.enrich(office6);
            enricher.enrich(other);
            assertThat(health.allowlisted).isTrue();
            assertThat(health.country).isNull(); // geolocation disabled
            assertThat(office6.allowlisted).isTrue();
            assertThat(other.allowlisted).isFalse();
        }
    }

    @Test
    void missingDatabaseIsAClearStartupError() {
        Path missing = dir.resolve("missing.mmdb");
        SpikewatchConfig.Enrichment s = new SpikewatchConfig.Enrichment(Set.of("US"), List.of(), missing.toString(), true);
        assertThatThrownBy(() -> EventEnricher.open(s)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    private static AccessEvent event(LogSource source, String ip, String country) {
        AccessEvent e = new AccessEvent();
        e.source = source;
        e.clientIp = ip;
        e.country = country;
        return e;
    }
}
