package io.spikewatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.connectors.opensearch.TrustedCertificates;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * Imports saved objects (an ndjson export, e.g. {@code deploy/opensearch-dashboards/spikewatch.ndjson})
 * into OpenSearch Dashboards: {@code POST /api/saved_objects/_import?overwrite=true}, the file as
 * the multipart part {@code file}, header {@code osd-xsrf: true}. Re-importing overwrites the objects
 * by id. Basic auth and a private CA come from the same settings as the OpenSearch connection.
 */
public final class DashboardsImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final OpenSearchSettings auth;

    /** @param auth connection settings whose basic auth and CA apply to Dashboards too */
    public DashboardsImport(String dashboardsUrl, OpenSearchSettings auth) {
        this.base = URI.create(dashboardsUrl.replaceAll("/+$", ""));
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("--dashboards must be an http(s) URL, not '" + dashboardsUrl + "'");
        }
        if (auth.sigV4Enabled()) {
            throw new IllegalArgumentException("--dashboards does not sign requests with SigV4; use basic auth or import the file in the Dashboards UI");
        }
        this.auth = auth;
    }

    /** Imports the file; returns the number of objects imported. */
    public int importObjects(Path ndjson) throws IOException {
        String boundary = "spikewatch-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + ndjson.getFileName() + "\"\r\nContent-Type: application/ndjson\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(ndjson));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/saved_objects/_import?overwrite=true"))
                .timeout(Duration.ofSeconds(60))
                .header("osd-xsrf", "true")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (auth.basicAuth()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.username() + ":" + auth.resolvePassword()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
        if (auth.caCertFile() != null) http.sslContext(TrustedCertificates.sslContext(Path.of(auth.caCertFile())));
        HttpResponse<String> response;
        try {
            response = http.build().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while importing into OpenSearch Dashboards at " + base, e);
        }
        JsonNode result;
        try {
            result = JSON.readTree(response.body());
        } catch (IOException e) {
            result = JSON.createObjectNode();
        }
        if (response.statusCode() != 200 || !result.path("success").asBoolean(false)) {
            String detail = response.body() == null ? "" : response.body();
            throw new IOException("importing saved objects into OpenSearch Dashboards at " + base + " failed: HTTP "
                    + response.statusCode() + " " + (detail.length() > 500 ? detail.substring(0, 500) + "…" : detail));
        }
        return result.path("successCount").asInt();
    }
}
