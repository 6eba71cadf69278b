package io.spikewatch.enrichment;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.SpikewatchConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up check of the country database: needed only with ALB input, and named when wrong. */
class CountryDatabaseCheckTest {
    @TempDir
    Path dir;

    private static SpikewatchConfig.Enrichment geo(String db, boolean enabled) {
        return new SpikewatchConfig.Enrichment(Set.of("US"), List.of(), db, enabled);
    }

    @Test
    void wafOnlyJobsAndDisabledGeolocationNeedNoDatabase() {
        assertThat(CountryDatabaseCheck.check(geo(null, true), false)).contains("not needed");
        assertThat(CountryDatabaseCheck.check(geo(null, false), true)).contains("geo.alb.enabled=false");
    }

    @Test
    void albInputWithoutADatabaseNamesTheSettingAndTheInstallCommand() {
        assertThatThrownBy(() -> CountryDatabaseCheck.check(geo(null, true), true))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("geo.alb.database")
                .hasMessageContaining("deploy/geoip/install-dbip-country.sh");
    }

    @Test
    void aMissingOrDamagedFileIsNamedWithTheSetting() throws Exception {
        Path missing = dir.resolve("dbip-country.mmdb");
        assertThatThrownBy(() -> CountryDatabaseCheck.check(geo(missing.toString(), true), true))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("geo.alb.database")
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path garbage = Files.writeString(dir.resolve("garbage.mmdb"), "not a database");
        assertThatThrownBy(() -> CountryDatabaseCheck.check(geo(garbage.toString(), true), true))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("geo.alb.database")
                .hasMessageContaining("not a valid MaxMind DB");
    }
}
