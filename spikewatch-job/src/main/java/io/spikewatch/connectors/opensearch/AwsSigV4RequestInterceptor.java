package io.spikewatch.connectors.opensearch;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.NameValuePair;
import org.apache.http.client.utils.URLEncodedUtils;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.protocol.HttpContext;
import org.apache.http.protocol.HttpCoreContext;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Signs every request of the OpenSearch REST client (Apache HttpAsyncClient 4) with AWS SigV4.
 * Added last to the client's interceptor chain, so it signs the request as it will go on the wire:
 * method, path, query, {@code Content-Type}/{@code Content-Length} and the body bytes.
 *
 * <p>The signed {@code Host} is derived from the target host (as the SDK does: no port for 443/80)
 * and replaces the client's, so both sides agree. {@code Connection} is hop-by-hop and left out of
 * the signature; proxies may change it.
 */
public final class AwsSigV4RequestInterceptor implements HttpRequestInterceptor {
    private final SigV4Signer signer;

    public AwsSigV4RequestInterceptor(SigV4Signer signer) {
        this.signer = signer;
    }

    @Override
    public void process(HttpRequest request, HttpContext context) throws IOException {
        HttpHost target = (HttpHost) context.getAttribute(HttpCoreContext.HTTP_TARGET_HOST);
        if (target == null) throw new IOException("SigV4 signing: the HTTP context has no target host");
        URI uri = URI.create(request.getRequestLine().getUri());

        SdkHttpFullRequest.Builder sdk = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.getRequestLine().getMethod()))
                .protocol(target.getSchemeName())
                .host(target.getHostName())
                .encodedPath(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (target.getPort() >= 0) sdk.port(target.getPort());
        // Decoded name/value pairs: the signer re-encodes them canonically (RFC 3986).
        for (NameValuePair p : URLEncodedUtils.parse(uri, StandardCharsets.UTF_8)) {
            sdk.appendRawQueryParameter(p.getName(), p.getValue());
        }
        for (Header h : request.getAllHeaders()) {
            if (signable(h)) sdk.appendHeader(h.getName(), h.getValue());
        }
        byte[] body = null;
        if (request instanceof HttpEntityEnclosingRequest enclosing && enclosing.getEntity() != null) {
            body = bodyBytes(enclosing);
        }

        SdkHttpRequest signed = signer.sign(sdk.build(), body);
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            request.removeHeaders(h.getKey());
            for (String value : h.getValue()) request.addHeader(h.getKey(), value);
        }
    }

    private static boolean signable(Header h) {
        String name = h.getName();
        return !name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Connection")
                // An explicit zero length is dropped by some proxies; the signer hashes the empty body anyway.
                && !(name.equalsIgnoreCase("Content-Length") && "0".equals(h.getValue()));
    }

    /**
     * The body as sent. The REST client's entities are repeatable byte arrays, read here without
     * consuming them; a one-shot entity is buffered and replaced so it can still be sent.
     */
    private static byte[] bodyBytes(HttpEntityEnclosingRequest request) throws IOException {
        HttpEntity entity = request.getEntity();
        ByteArrayOutputStream out = new ByteArrayOutputStream(entity.getContentLength() > 0 ? (int) entity.getContentLength() : 256);
        entity.writeTo(out);
        byte[] bytes = out.toByteArray();
        if (!entity.isRepeatable()) {
            ByteArrayEntity copy = new ByteArrayEntity(bytes);
            copy.setContentType(entity.getContentType());
            copy.setContentEncoding(entity.getContentEncoding());
            request.setEntity(copy);
        }
        return bytes;
    }
}
