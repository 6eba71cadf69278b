package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spikewatch.connectors.opensearch.OpenSearchAccessException;
import io.spikewatch.connectors.opensearch.OpenSearchHttpClient;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The documents of the job's OpenSearch indices, fetched with the same {@link DocumentFilter} the
 * replay folder applies in memory: a scroll over {@code PREFIX-<kind>-*} sorted by {@code _doc}
 * (the cheapest order), pages of {@value #PAGE} documents. Each document is also checked with
 * {@link DocumentFilter#matches} so both paths keep exactly the same rows.
 */
public final class OpenSearchSource implements DocumentSource {
    static final int PAGE = 5000;
    private static final String KEEP_ALIVE = "2m";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchHttpClient client;
    private final String indexPrefix;
    private final Clock clock;
    private final int pageSize;

    public OpenSearchSource(OpenSearchHttpClient client, String indexPrefix, Clock clock) {
        this(client, indexPrefix, clock, PAGE);
    }

    /** With another page size: tests page through a few hundred documents. */
    OpenSearchSource(OpenSearchHttpClient client, String indexPrefix, Clock clock, int pageSize) {
        this.client = client;
        this.indexPrefix = indexPrefix;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    /** With another page size, for tests in other packages. */
    public static OpenSearchSource withPageSize(OpenSearchHttpClient client, String indexPrefix, Clock clock, int pageSize) {
        return new OpenSearchSource(client, indexPrefix, clock, pageSize);
    }

    @Override
    public void scan(DocumentFilter filter, Consumer<OutputRow> each) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", pageSize);
        body.putArray("sort").add("_doc");
        body.set("query", filter.query());
        String pattern = filter.kind().indexPattern(indexPrefix);
        OpenSearchHttpClient.Response r = client.post("/" + pattern
                + "/_search?scroll=" + KEEP_ALIVE + "&ignore_unavailable=true&allow_no_indices=true", body.toString());
        String scrollId = null;
        try {
            while (true) {
                if (!r.ok()) {
                    throw new OpenSearchAccessException("searching " + pattern + " on " + client.host() + " failed: HTTP "
                            + r.status() + " " + abbreviate(r.body()), r.status());
                }
                JsonNode page = JSON.readTree(r.body());
                scrollId = page.path("_scroll_id").asText(null);
                JsonNode hits = page.path("hits").path("hits");
                if (!hits.isArray() || hits.isEmpty()) return;
                for (JsonNode hit : hits) {
                    JsonNode source = hit.get("_source");
                    if (source == null || !source.isObject()) continue;
                    OutputRow row = filter.kind().parse(source);
                    if (filter.matches(row)) each.accept(row);
                }
                if (scrollId == null) return;
                ObjectNode next = JSON.createObjectNode();
                next.put("scroll", KEEP_ALIVE);
                next.put("scroll_id", scrollId);
                r = client.post("/_search/scroll", next.toString());
            }
        } finally {
            if (scrollId != null) {
                ObjectNode clear = JSON.createObjectNode();
                clear.putArray("scroll_id").add(scrollId);
                client.send("DELETE", "/_search/scroll", clear.toString());
            }
        }
    }

    @Override
    public Instant referenceTime() {
        return clock.instant();
    }

    @Override
    public String describe() {
        return client.host() + " (" + indexPrefix + "-*)";
    }

    private static String abbreviate(String s) {
        if (s == null) return "";
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
