package io.spikewatch.connectors.opensearch;

import com.sun.net.httpserver.HttpServer;
import org.apache.http.HttpHost;
import org.apache.http.client.utils.URLEncodedUtils;
import org.apache.http.NameValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.Request;
import org.opensearch.client.RestClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What actually goes over the wire is what was signed: both HTTP clients (the connector's REST
 * client with {@link AwsSigV4RequestInterceptor}, and {@link OpenSearchHttpClient}) send to a local
 * capturing HTTP server, and the signature is recomputed by the AWS SDK signer from the request
 * exactly as received — the check an AWS endpoint makes. A header the client adds or rewrites
 * after signing (Host, Content-Length) would break it.
 */
class SigV4OnTheWireTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-02T10:15:30Z"), ZoneOffset.UTC);
    private static final AwsCredentials CREDS = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private record Received(String method, URI uri, Map<String, List<String>> headers, byte[] body) {}

    private HttpServer server;
    private final AtomicReference<Received> received = new AtomicReference<>();

    @BeforeEach
    void startCapturingServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.set(new Received(exchange.getRequestMethod(), exchange.getRequestURI(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
            byte[] ok = "{\"acknowledged\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SigV4Signer signer(String service) {
        return new SigV4Signer("eu-west-1", service, StaticCredentialsProvider.create(CREDS), FIXED);
    }

    @Test
    void restClientWithTheInterceptorSendsWhatItSigned() throws Exception {
        try (RestClient client = RestClient.builder(new HttpHost("127.0.0.1", server.getAddress().getPort(), "http"))
                .setHttpClientConfigCallback(b -> b.addInterceptorLast(new AwsSigV4RequestInterceptor(signer("aoss"))))
                .build()) {
            Request bulk = new Request("POST", "/_bulk");
            bulk.addParameter("timeout", "1m");
            bulk.addParameter("q", "key:203.0.113.9 ünï");
            bulk.setJsonEntity("{\"index\":{\"_index\":\"spikewatch-rates-2026.11.02\",\"_id\":\"1\"}}\n{\"key\":\"ünï\"}\n");
            client.performRequest(bulk);
        }
        assertSignatureMatchesWhatWasReceived("aoss");
    }

    @Test
    void setupClientSendsWhatItSigned() throws Exception {
        OpenSearchSettings plain = OpenSearchSettings.fromMap(Map.of("opensearch.hosts", "http://127.0.0.1:" + server.getAddress().getPort()));
        OpenSearchHttpClient client = new OpenSearchHttpClient(plain, signer("es"));
        client.put("/_index_template/spikewatch-rates?cluster_manager_timeout=30s", OpenSearchSetup.templateJson("spikewatch", "rates"));
        assertSignatureMatchesWhatWasReceived("es");
        client.get("/_cat/plugins?format=json&h=component");
        assertSignatureMatchesWhatWasReceived("es");
    }

    private void assertSignatureMatchesWhatWasReceived(String service) {
        Received r = received.get();
        assertThat(r).isNotNull();
        String authorization = first(r, "Authorization");
        assertThat(authorization).contains("/eu-west-1/" + service + "/aws4_request");
        String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        assertThat(signedHeaders.split(";")).contains("host", "x-amz-date", "x-amz-content-sha256");

        SdkHttpFullRequest.Builder asReceived = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(r.method()))
                .protocol("http").host("127.0.0.1").port(server.getAddress().getPort())
                .encodedPath(r.uri().getRawPath());
        for (NameValuePair p : URLEncodedUtils.parse(r.uri(), StandardCharsets.UTF_8)) {
            asReceived.appendRawQueryParameter(p.getName(), p.getValue());
        }
        for (String name : signedHeaders.split(";")) {
            if (name.equals("x-amz-content-sha256") || name.equals("x-amz-date")) continue;   // the signer adds them
            asReceived.putHeader(name, first(r, name));
        }
        String expected = AwsV4HttpSigner.create().sign(s -> s.identity(CREDS).request(asReceived.build())
                        .payload(ContentStreamProvider.fromByteArray(r.body()))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(HttpSigner.SIGNING_CLOCK, FIXED))
                .request().firstMatchingHeader("Authorization").orElseThrow();
        assertThat(authorization).isEqualTo(expected);
    }

    private static String first(Received r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
}
