package io.spikewatch.connectors.opensearch;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small JSON-over-HTTP client for set-up and checks ({@link OpenSearchSetup}, tests), with the
 * same connection options as the sinks — private CA, basic auth, SigV4 — on the JDK's
 * {@link HttpClient}, so set-up needs none of the connector's classes. Talks to the first URL of
 * {@code opensearch.hosts}.
 *
 * <p>Connection, TLS and 401/403 failures become an {@link OpenSearchAccessException} naming the
 * host; every other status is returned for the caller to judge.
 */
public final class OpenSearchHttpClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Headers the JDK client sets itself and refuses from callers; they are not signed here. */
    private static final Set<String> JDK_MANAGED = Set.of("host", "content-length", "connection");

    private final OpenSearchSettings settings;
    private final URI base;
    private final HttpClient http;
    private final String authorization;
    private final SigV4Signer signer;

    public OpenSearchHttpClient(OpenSearchSettings settings) {
        this(settings, settings.sigV4Enabled() ? SigV4Signer.fromSettings(settings) : null);
    }

    OpenSearchHttpClient(OpenSearchSettings settings, SigV4Signer signer) {
        this.settings = settings;
        this.base = URI.create(settings.hosts().get(0).replaceAll("/+$", ""));
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (settings.caCertFile() != null) b.sslContext(TrustedCertificates.sslContext(Path.of(settings.caCertFile())));
        this.http = b.build();
        this.authorization = settings.basicAuth()
                ? "Basic " + Base64.getEncoder().encodeToString(
                        (settings.username() + ":" + settings.resolvePassword()).getBytes(StandardCharsets.UTF_8))
                : null;
        this.signer = signer;
    }

    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The URL requests go to (for messages). */
    public String host() {
        return base.toString();
    }

    public Response get(String path) throws IOException {
        return send("GET", path, null);
    }

    public Response put(String path, String json) throws IOException {
        return send("PUT", path, json);
    }

    public Response post(String path, String json) throws IOException {
        return send("POST", path, json);
    }

    public Response delete(String path) throws IOException {
        return send("DELETE", path, null);
    }

    /**
     * @param path path and query, e.g. {@code /_index_template/spikewatch-rates}
     * @param json request body or null
     */
    public Response send(String method, String path, String json) throws IOException {
        URI uri = URI.create(base + (path.startsWith("/") ? path : "/" + path));
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (authorization != null) request.header("Authorization", authorization);
        if (signer != null) {
            SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                    .method(SdkHttpMethod.fromValue(method))
                    .uri(uri);
            if (body != null) unsigned.putHeader("Content-Type", "application/json");
            SdkHttpRequest signed;
            try {
                signed = signer.sign(unsigned.build(), body);
            } catch (SdkClientException e) {
                // The default chain or profile found no credentials (or could not refresh them).
                throw new OpenSearchAccessException(OpenSearchSettings.SIGV4_ENABLED + "=true: no AWS credentials to sign "
                        + "requests to OpenSearch at " + base + "; tried " + settings.awsCredentials().describe(), e);
            }
            for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
                if (JDK_MANAGED.contains(h.getKey().toLowerCase()) || h.getKey().equalsIgnoreCase("Content-Type")) continue;
                for (String v : h.getValue()) request.header(h.getKey(), v);
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenSearchAccessException("interrupted while calling OpenSearch at " + base, e);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new OpenSearchAccessException("cannot connect to OpenSearch at " + base + " (" + e.getClass().getSimpleName()
                    + "): is it running and is " + OpenSearchSettings.HOSTS + " right?", e);
        } catch (SSLException e) {
            throw new OpenSearchAccessException("TLS with OpenSearch at " + base + " failed: " + e.getMessage()
                    + (settings.caCertFile() == null ? " (a private CA needs " + OpenSearchSettings.CA_CERT + ")"
                            : " (is " + settings.caCertFile() + " the CA that signed the server certificate, for this host name?)"), e);
        } catch (HttpTimeoutException e) {
            throw new OpenSearchAccessException("OpenSearch at " + base + " did not answer " + method + " " + uri.getRawPath()
                    + " within " + TIMEOUT.toSeconds() + "s: is it overloaded, and is " + OpenSearchSettings.HOSTS + " right?", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new OpenSearchAccessException(OpenSearchAccessException.rejected(base.toString(), status,
                    status == 401 ? "Unauthorized" : "Forbidden", settings), status);
        }
        return new Response(status, response.body());
    }
}
