package io.spikewatch.dashboards;

import com.sun.net.httpserver.HttpServer;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The import request as OpenSearch Dashboards' saved-objects API expects it. Dashboards cannot run
 * here (not served by Maven Central or npm), so a JDK HTTP server on 127.0.0.1 records the request
 * and answers like the API does.
 */
class DashboardsImportTest {
    private HttpServer server;

    private record Seen(String method, String pathAndQuery, String xsrf, String contentType, String authorization, String body) {}

    private String start(int status, String answer, AtomicReference<Seen> seen) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.set(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("osd-xsrf"), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void postsTheFileAsMultipartWithTheXsrfHeaderAndBasicAuth(@TempDir Path dir) throws Exception {
        AtomicReference<Seen> seen = new AtomicReference<>();
        String url = start(200, "{\"success\":true,\"successCount\":10}", seen);
        Path password = Files.writeString(dir.resolve("pw"), "s3cret\n");
        OpenSearchSettings auth = OpenSearchSettings.fromMap(Map.of(OpenSearchSettings.HOSTS, "http://127.0.0.1:9200",
                OpenSearchSettings.USERNAME, "analyst", OpenSearchSettings.PASSWORD_FILE, password.toString()));

        int imported = new DashboardsImport(url + "/", auth).importObjects(DashboardObjects.FILE);

        assertThat(imported).isEqualTo(10);
        Seen s = seen.get();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.pathAndQuery()).isEqualTo("/api/saved_objects/_import?overwrite=true");
        assertThat(s.xsrf()).isEqualTo("true");
        assertThat(s.authorization()).isEqualTo("Basic YW5hbHlzdDpzM2NyZXQ=");
        String boundary = s.contentType().replaceFirst("^multipart/form-data; boundary=", "");
        assertThat(s.body()).startsWith("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"spikewatch.ndjson\"")
                .contains(Files.readString(DashboardObjects.FILE)).endsWith("\r\n--" + boundary + "--\r\n");
    }

    @Test
    void aFailedImportNamesTheStatusAndTheErrors() throws Exception {
        AtomicReference<Seen> seen = new AtomicReference<>();
        String url = start(200, "{\"success\":false,\"successCount\":0,\"errors\":[{\"id\":\"x\",\"error\":{\"type\":\"missing_references\"}}]}", seen);
        OpenSearchSettings auth = OpenSearchSettings.fromMap(Map.of(OpenSearchSettings.HOSTS, "http://127.0.0.1:9200"));
        assertThatThrownBy(() -> new DashboardsImport(url, auth).importObjects(DashboardObjects.FILE))
                .hasMessageContaining("HTTP 200").hasMessageContaining("missing_references");
        assertThat(seen.get().authorization()).isNull();
    }
}
