package io.spikewatch.connectors.opensearch;

import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.message.BasicHttpRequest;
import org.apache.http.protocol.BasicHttpContext;
import org.apache.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interceptor signs a recorded request exactly as the AWS SDK signer does when given the same
 * request directly: a mismatch in host, path, query, headers or body bytes would change the
 * signature. Fixed clock and static credentials make the expected headers reproducible.
 */
class AwsSigV4RequestInterceptorTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-02T10:15:30Z"), ZoneOffset.UTC);
    private static final String HOST = "search-spikewatch-abc123.us-east-1.es.amazonaws.com";
    private static final AwsCredentials STATIC = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final byte[] BULK = ("{\"index\":{\"_index\":\"spikewatch-rates-2026.11.02\",\"_id\":\"9c1f\"}}\n"
            + "{\"@timestamp\":\"2026-11-02T10:15:00.000Z\",\"key\":\"203.0.113.9\",\"uri\":\"/ünïcode\"}\n")
            .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"es", "aoss"})
    void bulkPostIsSignedLikeTheSdkSignsIt(String service) throws Exception {
        BasicHttpEntityEnclosingRequest recorded = new BasicHttpEntityEnclosingRequest("POST", "/_bulk?timeout=1m");
        recorded.setEntity(new ByteArrayEntity(BULK, ContentType.create("application/json")));
        // Headers as the REST client has set them when interceptors added last run.
        recorded.addHeader("Content-Type", "application/json");
        recorded.addHeader("Content-Length", String.valueOf(BULK.length));
        recorded.addHeader("Host", HOST);
        recorded.addHeader("Connection", "Keep-Alive");
        interceptor(service, STATIC).process(recorded, context(new HttpHost(HOST, -1, "https")));

        SdkHttpRequest direct = sdkSign(service, STATIC, SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST).protocol("https").host(HOST).encodedPath("/_bulk")
                .putRawQueryParameter("timeout", "1m")
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", String.valueOf(BULK.length))
                .build(), BULK);

        assertSameSignature(recorded, direct);
        assertThat(header(recorded, "Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261102/us-east-1/" + service + "/aws4_request")
                .contains("SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date");
        assertThat(header(recorded, "X-Amz-Date")).isEqualTo("20261102T101530Z");
        // OpenSearch Serverless insists on the payload hash header; the signer always sends it.
        assertThat(header(recorded, "x-amz-content-sha256")).matches("[0-9a-f]{64}");
        assertThat(header(recorded, "Host")).isEqualTo(HOST);
    }

    @Test
    void getWithEncodedQueryExplicitPortAndSessionTokenIsSignedLikeTheSdk() throws Exception {
        AwsCredentials session = AwsSessionCredentials.create("ASIAEXAMPLE", "secret/with+chars", "token=abc/def");
        BasicHttpRequest recorded = new BasicHttpRequest("GET",
                "/spikewatch-alerts-2026.11/_search?q=key%3A203.0.113.9&filter_path=hits.hits._id&size=10");
        recorded.addHeader("Host", HOST + ":8443");
        interceptor("es", session).process(recorded, context(new HttpHost(HOST, 8443, "https")));

        SdkHttpRequest direct = sdkSign("es", session, SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET).protocol("https").host(HOST).port(8443)
                .encodedPath("/spikewatch-alerts-2026.11/_search")
                .putRawQueryParameter("q", "key:203.0.113.9")
                .putRawQueryParameter("filter_path", "hits.hits._id")
                .putRawQueryParameter("size", "10")
                .build(), null);

        assertSameSignature(recorded, direct);
        assertThat(header(recorded, "X-Amz-Security-Token")).isEqualTo("token=abc/def");
        assertThat(header(recorded, "Host")).isEqualTo(HOST + ":8443");
    }

    @Test
    void signatureChangesWithTheBody() throws Exception {
        BasicHttpEntityEnclosingRequest a = new BasicHttpEntityEnclosingRequest("POST", "/_bulk");
        a.setEntity(new ByteArrayEntity(BULK, ContentType.create("application/json")));
        BasicHttpEntityEnclosingRequest b = new BasicHttpEntityEnclosingRequest("POST", "/_bulk");
        byte[] tampered = BULK.clone();
        tampered[tampered.length - 3] = 'X';
        b.setEntity(new ByteArrayEntity(tampered, ContentType.create("application/json")));
        interceptor("es", STATIC).process(a, context(new HttpHost(HOST, -1, "https")));
        interceptor("es", STATIC).process(b, context(new HttpHost(HOST, -1, "https")));
        assertThat(header(a, "Authorization")).isNotEqualTo(header(b, "Authorization"));
        assertThat(header(a, "x-amz-content-sha256")).isNotEqualTo(header(b, "x-amz-content-sha256"));
    }

    private static AwsSigV4RequestInterceptor interceptor(String service, AwsCredentials credentials) {
        return new AwsSigV4RequestInterceptor(
                new SigV4Signer("us-east-1", service, StaticCredentialsProvider.create(credentials), FIXED));
    }

    private static SdkHttpRequest sdkSign(String service, AwsCredentials credentials, SdkHttpFullRequest request, byte[] body) {
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(credentials).request(request)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(HttpSigner.SIGNING_CLOCK, FIXED);
            if (body != null) r.payload(ContentStreamProvider.fromByteArray(body));
        }).request();
    }

    private static BasicHttpContext context(HttpHost target) {
        BasicHttpContext c = new BasicHttpContext();
        c.setAttribute(HttpCoreContext.HTTP_TARGET_HOST, target);
        return c;
    }

    private static void assertSameSignature(org.apache.http.HttpRequest signed, SdkHttpRequest direct) {
        for (String name : new String[] {"Authorization", "X-Amz-Date", "x-amz-content-sha256"}) {
            assertThat(header(signed, name)).as(name).isNotNull()
                    .isEqualTo(direct.firstMatchingHeader(name).orElseThrow());
        }
    }

    private static String header(org.apache.http.HttpRequest r, String name) {
        org.apache.http.Header[] h = r.getHeaders(name);
        assertThat(h).as("exactly one %s header", name).hasSizeLessThanOrEqualTo(1);
        return h.length == 0 ? null : h[0].getValue();
    }
}
