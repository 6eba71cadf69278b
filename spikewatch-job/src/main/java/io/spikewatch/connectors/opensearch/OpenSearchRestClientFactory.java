package io.spikewatch.connectors.opensearch;

import org.apache.flink.connector.opensearch.sink.RestClientFactory;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.opensearch.client.RestClientBuilder;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;

/**
 * Configures the connector's REST client from {@link OpenSearchSettings}: trust of a private CA,
 * basic auth, AWS SigV4 signing and clear authentication errors.
 *
 * <p>Runs in each sink writer (on the TaskManager), which is where the password is read from its
 * environment variable or file: the connector's own {@code setConnectionPassword} would put the
 * password into the serialized job graph and print it in the builder's {@code toString()}.
 */
public class OpenSearchRestClientFactory implements RestClientFactory {
    private static final long serialVersionUID = 1L;
    static final int CONNECT_TIMEOUT_MS = 10_000;
    static final int SOCKET_TIMEOUT_MS = 90_000;

    private final OpenSearchSettings settings;

    public OpenSearchRestClientFactory(OpenSearchSettings settings) {
        this.settings = settings;
    }

    @Override
    public void configureRestClientBuilder(RestClientBuilder builder, RestClientConfig ignored) {
        BasicCredentialsProvider credentials = null;
        if (settings.basicAuth()) {
            credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY,
                    new UsernamePasswordCredentials(settings.username(), settings.resolvePassword()));
        }
        SSLContext tls = settings.caCertFile() == null ? null : TrustedCertificates.sslContext(Path.of(settings.caCertFile()));
        AwsSigV4RequestInterceptor sigV4 = settings.sigV4Enabled()
                ? new AwsSigV4RequestInterceptor(SigV4Signer.fromSettings(settings)) : null;
        BasicCredentialsProvider basic = credentials;
        builder.setHttpClientConfigCallback(http -> {
            if (basic != null) http.setDefaultCredentialsProvider(basic);
            if (tls != null) http.setSSLContext(tls);
            // Last, so the signature covers the request exactly as the client will send it.
            if (sigV4 != null) http.addInterceptorLast(sigV4);
            http.addInterceptorLast(new AuthenticationFailureInterceptor(settings));
            return http;
        });
        builder.setRequestConfigCallback(request -> request
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setSocketTimeout(SOCKET_TIMEOUT_MS));
    }
}
