package io.spikewatch.connectors.opensearch;

import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.protocol.HttpContext;
import org.apache.http.protocol.HttpCoreContext;

import java.io.IOException;

/**
 * Turns an HTTP 401/403 on a whole request into an {@link OpenSearchAccessException} that says which
 * host refused which identity. Without it the job fails with the bulk processor's generic
 * "Complete bulk has failed" and a raw status line; with it the failure cause reads like a
 * configuration error, which is what it is. The REST client authenticates pre-emptively, so a 401
 * here is final, never an intermediate challenge.
 */
final class AuthenticationFailureInterceptor implements HttpResponseInterceptor {
    private final OpenSearchSettings settings;

    AuthenticationFailureInterceptor(OpenSearchSettings settings) {
        this.settings = settings;
    }

    @Override
    public void process(HttpResponse response, HttpContext context) throws IOException {
        int status = response.getStatusLine().getStatusCode();
        if (status != 401 && status != 403) return;
        HttpHost target = (HttpHost) context.getAttribute(HttpCoreContext.HTTP_TARGET_HOST);
        String host = target == null ? "(unknown host)" : target.toURI();
        throw new OpenSearchAccessException(
                OpenSearchAccessException.rejected(host, status, response.getStatusLine().getReasonPhrase(), settings), status);
    }
}
