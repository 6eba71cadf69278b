package io.spikewatch.connectors.opensearch;

import io.spikewatch.testing.ClosedPort;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenSearch connection failures at start-up name the settings to fix, never a password. */
class OpenSearchAccessMessagesTest {
    private static final String HOST = "https://search-x.eu-west-1.es.amazonaws.com";

    private static OpenSearchSettings settings(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("opensearch.hosts", HOST));
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return OpenSearchSettings.fromMap(m);
    }

    @Test
    void rejectedBasicAuthNamesTheUserAndPasswordSettings() {
        OpenSearchSettings basic = settings("opensearch.username", "spikewatch", "opensearch.password-env", "OS_PASSWORD");

        assertThat(OpenSearchAccessException.rejected(HOST, 401, "Unauthorized", basic))
                .startsWith("OpenSearch at " + HOST + " rejected authentication (HTTP 401 Unauthorized) for user 'spikewatch'")
                .contains("opensearch.username", "password from env OS_PASSWORD per opensearch.password-env")
                .endsWith("check opensearch.username and the password opensearch.password-env points at");
    }

    @Test
    void deniedSigV4NamesRegionAndServiceSettings() {
        OpenSearchSettings sigv4 = settings("opensearch.sigv4.enabled", "true", "opensearch.sigv4.region", "eu-west-1");

        assertThat(OpenSearchAccessException.rejected(HOST, 403, "Forbidden", sigv4))
                .contains("HTTP 403 Forbidden", "opensearch.sigv4.region=eu-west-1", "opensearch.sigv4.service=es",
                        "check the identity's credentials, opensearch.sigv4.region, opensearch.sigv4.service and the role mapping");
    }

    @Test
    void noCredentialsConfiguredSaysWhichSettingsProvideThem() {
        assertThat(OpenSearchAccessException.rejected(HOST, 401, null, settings()))
                .contains("for no credentials", "opensearch.username", "opensearch.password-env",
                        "opensearch.password-file", "opensearch.sigv4.enabled=true");
    }

    @Test
    void sigV4WithoutCredentialsFailsBeforeSendingNamingTheSetting() {
        OpenSearchSettings sigv4 = settings("opensearch.sigv4.enabled", "true", "opensearch.sigv4.region", "eu-west-1");
        SigV4Signer noCredentials = new SigV4Signer("eu-west-1", "es", () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        }, Clock.systemUTC());

        assertThatThrownBy(() -> new OpenSearchHttpClient(sigv4, noCredentials).get("/_index_template/spikewatch-rates"))
                .isInstanceOf(OpenSearchAccessException.class)
                .hasMessageStartingWith("opensearch.sigv4.enabled=true: no AWS credentials to sign requests to OpenSearch at " + HOST)
                .hasMessageContaining("AWS default credentials chain");
    }

    @Test
    void anUnreachableHostNamesTheHostsSetting() throws Exception {
        String closed = ClosedPort.url();

        assertThatThrownBy(() -> new OpenSearchHttpClient(settings("opensearch.hosts", closed)).get("/"))
                .isInstanceOf(OpenSearchAccessException.class)
                .hasMessageContaining("cannot connect to OpenSearch at " + closed)
                .hasMessageContaining("opensearch.hosts");
    }
}
