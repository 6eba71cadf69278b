package io.spikewatch.connectors.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.cli.SetupCommand;
import io.spikewatch.records.RateDocument;
import io.spikewatch.testing.LocalOpenSearch;
import io.spikewatch.testing.LocalOpenSearchProxy;
import io.spikewatch.testing.OutputDocuments;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real-cluster connection options end to end, through nginx terminating TLS (certificate from a
 * private CA) and checking basic auth in front of the local node: the set-up command and the
 * sinks work with the right CA and password, and a wrong password or an untrusted certificate
 * fails with a message that names the host and the problem — and never the password.
 */
@ExtendWith({LocalOpenSearch.class, LocalOpenSearchProxy.class})
class OpenSearchProxyITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "it-proxy-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String WRONG_PASSWORD = "not-the-password-" + UUID.randomUUID();
    private static final long T0 = Instant.parse("2026-11-02T09:14:00Z").toEpochMilli();

    @TempDir
    static Path tmp;
    private static Path wrongPasswordFile;

    @BeforeAll
    static void writeWrongPassword() throws IOException {
        wrongPasswordFile = tmp.resolve("wrong-password");
        Files.writeString(wrongPasswordFile, WRONG_PASSWORD + "\n");
    }

    @AfterAll
    static void removeIndicesAndTemplates() throws IOException {
        OpenSearchHttpClient direct = new OpenSearchHttpClient(OpenSearchSettings.fromMap(Map.of("opensearch.hosts", LocalOpenSearch.url())));
        direct.delete("/" + PREFIX + "-*");
        for (String t : OpenSearchSetup.templates(PREFIX).values()) direct.delete("/_index_template/" + t);
    }

    private static OpenSearchSettings viaProxy(Path passwordFile, boolean trustCa) {
        Map<String, String> m = new HashMap<>();
        m.put("opensearch.hosts", LocalOpenSearchProxy.url());
        m.put("opensearch.index-prefix", PREFIX);
        m.put("opensearch.username", LocalOpenSearchProxy.USER);
        m.put("opensearch.password-file", passwordFile.toString());
        if (trustCa) m.put("opensearch.ca-cert", LocalOpenSearchProxy.caCert().toString());
        m.put("opensearch.bulk.interval", "200ms");
        m.put("opensearch.backoff.type", "none");
        return OpenSearchSettings.fromMap(m);
    }

    @Test
    void setupCommandAndSinkWorkThroughTlsAndBasicAuth() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SetupCommand());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("--opensearch", LocalOpenSearchProxy.url(), "--index-prefix", PREFIX,
                "--username", LocalOpenSearchProxy.USER, "--password-file", LocalOpenSearchProxy.passwordFile().toString(),
                "--ca-cert", LocalOpenSearchProxy.caCert().toString());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("index template " + PREFIX + "-alerts")
                .contains(LocalOpenSearchProxy.url() + " is set up for spikewatch");

        OpenSearchSettings settings = viaProxy(LocalOpenSearchProxy.passwordFile(), true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(RateDocument.class,
                        OutputDocuments.ipRate("203.0.113.50", "RU", T0, 3120),
                        OutputDocuments.countryRate("RU", T0, 4100))
                .sinkTo(OpenSearchSinks.rates(settings)).name("opensearch-rates").uid("opensearch-rates");
        env.execute("rates through the TLS proxy");

        OpenSearchHttpClient client = new OpenSearchHttpClient(settings);
        assertThat(client.post("/" + PREFIX + "-rates-*/_refresh", null).ok()).isTrue();
        assertThat(JSON.readTree(client.get("/" + PREFIX + "-rates-2026.11.02/_count").body()).path("count").asLong()).isEqualTo(2);
        // The proxy really was in the way: without credentials it refuses.
        assertThat(LocalStackStatus.unauthenticated(LocalOpenSearchProxy.url() + "/", LocalOpenSearchProxy.caCert())).isEqualTo(401);
    }

    @Test
    void wrongPasswordFailsWithAnAuthenticationErrorNamingTheHostButNotThePassword() throws Exception {
        OpenSearchSettings wrong = viaProxy(wrongPasswordFile, true);

        assertThatThrownBy(() -> new OpenSearchSetup(wrong, OpenSearchSetup.Retention.defaults()).verify())
                .isInstanceOf(OpenSearchAccessException.class)
                .hasMessageContaining("rejected authentication")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining(LocalOpenSearchProxy.url())
                .hasMessageContaining("user 'spikewatch'")
                .hasMessageContaining("password from file " + wrongPasswordFile)
                .hasMessageNotContaining(WRONG_PASSWORD)
                .hasMessageNotContaining(LocalOpenSearchProxy.password());

        // The sink fails the job with the same clear cause.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(RateDocument.class, OutputDocuments.ipRate("203.0.113.51", "RU", T0, 10))
                .sinkTo(OpenSearchSinks.rates(wrong)).name("opensearch-rates").uid("opensearch-rates");
        assertThatThrownBy(() -> env.execute("wrong password"))
                .satisfies(e -> {
                    assertThat(ExceptionUtils.findThrowable(e, OpenSearchAccessException.class)).isPresent()
                            .get().extracting(Throwable::getMessage).asString()
                            .contains("rejected authentication", "HTTP 401", "https://127.0.0.1:" + LocalOpenSearchProxy.port());
                    assertThat(ExceptionUtils.stringifyException(e))
                            .doesNotContain(WRONG_PASSWORD).doesNotContain(LocalOpenSearchProxy.password());
                });
    }

    @Test
    void certificateFromAnUntrustedCaFailsWithATlsError() {
        OpenSearchSettings noCa = viaProxy(LocalOpenSearchProxy.passwordFile(), false);
        assertThatThrownBy(() -> new OpenSearchSetup(noCa, OpenSearchSetup.Retention.defaults()).verify())
                .isInstanceOf(OpenSearchAccessException.class)
                .hasMessageContaining("TLS with OpenSearch at " + LocalOpenSearchProxy.url() + " failed")
                .hasMessageContaining("opensearch.ca-cert");
    }

    /** A bare request with only the CA trusted and no credentials. */
    private static final class LocalStackStatus {
        static int unauthenticated(String url, Path ca) throws Exception {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .sslContext(TrustedCertificates.sslContext(ca)).build();
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
