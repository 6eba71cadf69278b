package io.spikewatch.connectors.opensearch;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigLoader;
import io.spikewatch.connectors.AwsAuth;
import org.apache.flink.connector.opensearch.sink.FlushBackoffType;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenSearchSettingsTest {
    private static final String SECRET = "s3cr3t-Passw0rd!";

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("opensearch.hosts", "https://search-a.eu-west-1.es.amazonaws.com, https://search-b.eu-west-1.es.amazonaws.com:443");
        return m;
    }

    private static OpenSearchSettings with(String... kv) {
        Map<String, String> m = base();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return OpenSearchSettings.fromMap(m);
    }

    @Test
    void defaultsAreDocumentedAndApplied() {
        OpenSearchSettings s = OpenSearchSettings.fromMap(base());
        assertThat(s.hosts()).containsExactly("https://search-a.eu-west-1.es.amazonaws.com",
                "https://search-b.eu-west-1.es.amazonaws.com:443");
        assertThat(s.indexPrefix()).isEqualTo("spikewatch");
        assertThat(s.basicAuth()).isFalse();
        assertThat(s.sigV4Enabled()).isFalse();
        assertThat(s.bulkMaxActions()).isEqualTo(1000);
        assertThat(s.bulkMaxSizeMb()).isEqualTo(5);
        assertThat(s.bulkInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoffType()).isEqualTo(FlushBackoffType.EXPONENTIAL);
        assertThat(s.backoffInitialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.backoffMaxRetries()).isEqualTo(5);
        assertThat(s.awsCredentials()).isEqualTo(AwsAuth.DEFAULT_CHAIN);
        assertThat(ConfigLoader.describe()).containsKeys("opensearch.hosts", "opensearch.password-env",
                "opensearch.sigv4.service", "opensearch.backoff.max-retries");
    }

    @Test
    void invalidSettingsNameTheKey() {
        assertThatThrownBy(() -> OpenSearchSettings.fromMap(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("opensearch.hosts is required");
        assertThatThrownBy(() -> with("opensearch.hosts", "search.example.com:9200")).hasMessageContaining("opensearch.hosts")
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> with("opensearch.hosts", "https://h:9200/prefix")).hasMessageContaining("opensearch.hosts")
                .hasMessageContaining("without a path");
        assertThatThrownBy(() -> with("opensearch.index-prefix", "Spike*")).hasMessageContaining("opensearch.index-prefix");
        assertThatThrownBy(() -> with("opensearch.username", "u")).hasMessageContaining("opensearch.username")
                .hasMessageContaining("opensearch.password-env");
        assertThatThrownBy(() -> with("opensearch.password-env", "PW")).hasMessageContaining("opensearch.username is not");
        assertThatThrownBy(() -> with("opensearch.username", "u", "opensearch.password-env", "PW", "opensearch.password-file", "/f"))
                .hasMessageContaining("mutually exclusive");
        assertThatThrownBy(() -> with("opensearch.username", "u", "opensearch.password-env", "not a name"))
                .hasMessageContaining("opensearch.password-env");
        assertThatThrownBy(() -> with("opensearch.sigv4.enabled", "true")).hasMessageContaining("opensearch.sigv4.region");
        assertThatThrownBy(() -> with("opensearch.sigv4.enabled", "true", "opensearch.sigv4.region", "eu-west-1",
                "opensearch.sigv4.service", "s3")).hasMessageContaining("opensearch.sigv4.service");
        assertThatThrownBy(() -> with("opensearch.hosts", "http://127.0.0.1:9200", "opensearch.sigv4.enabled", "true",
                "opensearch.sigv4.region", "eu-west-1")).hasMessageContaining("must use https");
        assertThatThrownBy(() -> with("opensearch.hosts", "http://127.0.0.1:9200", "opensearch.ca-cert", "/ca.pem"))
                .hasMessageContaining("opensearch.ca-cert");
        assertThatThrownBy(() -> with("opensearch.bulk.max-actions", "0")).hasMessageContaining("opensearch.bulk.max-actions");
        assertThatThrownBy(() -> with("opensearch.bulk.interval", "soon")).hasMessageContaining("opensearch.bulk.interval");
        assertThatThrownBy(() -> with("opensearch.backoff.type", "linear")).hasMessageContaining("opensearch.backoff.type");
        assertThatThrownBy(() -> with("opensearch.backoff.max-retries", "0")).hasMessageContaining("opensearch.backoff.max-retries");
        assertThatThrownBy(() -> with("opensearch.bulk.maxactions", "10")).hasMessageContaining("unknown configuration key")
                .hasMessageContaining("opensearch.bulk.maxactions");
        // Keys of the rest of the job profile are not this record's business.
        assertThat(with("window.size", "1m").hosts()).hasSize(2);
    }

    @Test
    void literalPasswordsAreRefusedEverywhere() {
        assertThatThrownBy(() -> with("opensearch.password", SECRET)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("opensearch.password-env").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> with("opensearch.hosts", "https://admin:" + SECRET + "@search.example.com"))
                .hasMessageContaining("opensearch.hosts").hasMessageNotContaining(SECRET);
    }

    @Test
    void passwordIsResolvedFromItsSourceAndNeverDescribed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, SECRET + "\n");
        OpenSearchSettings fromFile = with("opensearch.username", "spikewatch", "opensearch.password-file", file.toString(),
                "opensearch.ca-cert", "/etc/ssl/private-ca.pem");
        assertThat(fromFile.resolvePassword()).isEqualTo(SECRET);

        OpenSearchSettings fromEnv = with("opensearch.username", "spikewatch", "opensearch.password-env", "SW_OS_PASSWORD");
        assertThat(fromEnv.resolvePassword(name -> name.equals("SW_OS_PASSWORD") ? SECRET : null)).isEqualTo(SECRET);
        assertThatThrownBy(() -> fromEnv.resolvePassword(name -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SW_OS_PASSWORD is not set");

        for (OpenSearchSettings s : List.of(fromFile, fromEnv)) {
            assertThat(s.describe()).doesNotContain(SECRET).contains("user=spikewatch").contains("password from");
            assertThat(s.toString()).doesNotContain(SECRET);
            // Nor is it in what Flink serializes into the job graph.
            assertThat(new String(InstantiationUtil.serializeObject(s), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain(SECRET);
        }
        assertThat(fromFile.describe()).contains("file " + file).contains("CA /etc/ssl/private-ca.pem");
        assertThat(fromEnv.describe()).contains("env SW_OS_PASSWORD");

        Files.writeString(file, "\n");
        assertThatThrownBy(fromFile::resolvePassword).hasMessageContaining("opensearch.password-file").hasMessageContaining("empty");
    }

    @Test
    void sigV4SettingsAndSerialization() throws Exception {
        OpenSearchSettings s = with("opensearch.sigv4.enabled", "true", "opensearch.sigv4.region", "us-gov-west-1",
                "opensearch.sigv4.service", "AOSS", "opensearch.index-prefix", "soc.waf", "opensearch.backoff.type", "none");
        assertThat(s.sigV4Service()).isEqualTo("aoss");
        assertThat(s.describe()).contains("sigv4(region=us-gov-west-1, service=aoss").contains("retry=none");
        OpenSearchSettings copy = InstantiationUtil.clone(s);
        assertThat(copy).isEqualTo(s);
        assertThatThrownBy(() -> with("opensearch.sigv4.enabled", "true", "opensearch.sigv4.region", "eu-west-1",
                "opensearch.username", "u", "opensearch.password-env", "PW")).hasMessageContaining("mutually exclusive");
    }
}
