package io.spikewatch.report.daily;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spikewatch.analyst.AlertRow;
import io.spikewatch.analyst.DenyListRule;
import io.spikewatch.analyst.OpenSearchSource;
import io.spikewatch.analyst.OutputFixture;
import io.spikewatch.analyst.ReplayFolderSource;
import io.spikewatch.connectors.opensearch.IndexNames;
import io.spikewatch.connectors.opensearch.OpenSearchHttpClient;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.connectors.opensearch.OpenSearchSetup;
import io.spikewatch.enrichment.CidrSet;
import io.spikewatch.testing.LocalOpenSearch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenSearch path of the report against a real node: the fixture's documents indexed into
 * the job's indices (templates installed by {@link OpenSearchSetup}) give the same report, byte
 * for byte, as the same documents read from a replay folder — the panels' filters select the same
 * documents both ways. The scroll is exercised over several pages.
 */
@ExtendWith(LocalOpenSearch.class)
class DailyReportOpenSearchITCase {
    private static final String PREFIX = "analyst-it";
    /** Far fewer documents than the fixture holds, so the scroll takes many pages. */
    private static final int PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant GENERATED = Instant.parse("2026-11-02T09:00:00Z");
    private static OpenSearchHttpClient client;

    @BeforeAll
    static void load() throws Exception {
        OpenSearchSettings settings = OpenSearchSettings.fromMap(Map.of(
                OpenSearchSettings.HOSTS, LocalOpenSearch.url(), OpenSearchSettings.INDEX_PREFIX, PREFIX));
        client = new OpenSearchHttpClient(settings);
        client.delete("/" + PREFIX + "-*");
        new OpenSearchSetup(settings, OpenSearchSetup.Retention.defaults()).install();
        OutputFixture f = DailyReportTest.fixture();
        // The fixture's hostile ip key is for the HTML tests; source.ip is an ip field, which rejects it
        // (the job only ever writes parsed addresses there).
        f.rates.removeIf(r -> r.contains("onerror"));
        // More country windows than one scroll page holds, so paging is part of the test.
        for (int i = 0; i < 1_200; i++) {
            f.rate("aws.elb", "country", "K" + (i % 40), DailyReportTest.MORNING.plusSeconds(60L * (i / 40)), 1, 0, 0, 0);
        }
        StringBuilder bulk = new StringBuilder();
        for (String rate : f.rates) {
            long t = Instant.parse(JSON.readTree(rate).get("@timestamp").asText()).toEpochMilli();
            bulk.append(action(IndexNames.rates(PREFIX, t), null)).append(rate).append('\n');
        }
        for (String alert : f.alerts) {
            JsonNode a = JSON.readTree(alert);
            long t = Instant.parse(a.get("@timestamp").asText()).toEpochMilli();
            bulk.append(action(IndexNames.alerts(PREFIX, t), a.path("alert").path("id").asText())).append(alert).append('\n');
        }
        for (String d : f.deadLetters) {
            long t = Instant.parse(JSON.readTree(d).get("@timestamp").asText()).toEpochMilli();
            bulk.append(action(IndexNames.deadLetters(PREFIX, t), null)).append(d).append('\n');
        }
        OpenSearchHttpClient.Response r = client.post("/_bulk?refresh=true", bulk.toString());
        assertThat(r.ok()).as("HTTP %s", r.status()).isTrue();
        List<String> rejected = new java.util.ArrayList<>();
        for (JsonNode item : JSON.readTree(r.body()).get("items")) {
            JsonNode error = item.path("index").path("error");
            if (!error.isMissingNode()) rejected.add(error.toString());
        }
        assertThat(rejected).isEmpty();
        fixtureWithPaging = f;
    }

    private static OutputFixture fixtureWithPaging;

    /** The node may be shared with other test classes: leave no index or template of this test behind. */
    @AfterAll
    static void removeIndices() throws Exception {
        if (client == null) return;
        client.delete("/" + PREFIX + "-*");
        for (String kind : List.of(IndexNames.RATES, IndexNames.ALERTS, IndexNames.DEAD_LETTERS)) {
            client.delete("/_index_template/" + IndexNames.templateName(PREFIX, kind));
        }
    }

    private static String action(String index, String id) {
        ObjectNode meta = JSON.createObjectNode();
        ObjectNode i = meta.putObject("index");
        i.put("_index", index);
        if (id != null) i.put("_id", id);
        return meta + "\n";
    }

    private static DailyReport report(io.spikewatch.analyst.DocumentSource source) throws Exception {
        return new DailyReport(DailyReportTest.DAY, new DenyListRule(CidrSet.empty())).load(source);
    }

    @Test
    void theOpenSearchPathGivesTheSameReportAsTheReplayFolder(@TempDir Path dir) throws Exception {
        ReplayFolderSource folder = new ReplayFolderSource(fixtureWithPaging.writeTo(dir));
        OpenSearchSource search = OpenSearchSource.withPageSize(client, PREFIX, Clock.fixed(GENERATED, ZoneOffset.UTC), PAGE);
        DailyReport fromFolder = report(folder);
        DailyReport fromSearch = report(search);
        assertThat(fromSearch.render("source", GENERATED)).isEqualTo(fromFolder.render("source", GENERATED));
        TopKeysPanel countries = (TopKeysPanel) fromSearch.panels().stream()
                .filter(p -> p.id().equals("top-country")).findFirst().orElseThrow();
        // 1,200 one-request windows over 40 keys: 30 each, all of them read across the scroll's pages.
        assertThat(countries.top()).extracting(k -> k.key + "=" + k.seen()).contains("JP=700", "K0=30", "K13=30");
    }

    /**
     * Each Vega panel's query of the dashboards (deploy/opensearch-dashboards), run as OpenSearch
     * Dashboards would over the day (its {@code %context%} becomes a time-range query on
     * {@code %timefield%}), gives the figures the report computes from the same documents.
     */
    @Test
    void theDashboardQueriesAgreeWithTheReport(@TempDir Path dir) throws Exception {
        DailyReport fromFolder = report(new ReplayFolderSource(fixtureWithPaging.writeTo(dir)));
        Map<String, JsonNode> specs = io.spikewatch.dashboards.DashboardObjects.vegaSpecs();

        TrafficPanel traffic = (TrafficPanel) fromFolder.panels().stream().filter(p -> p instanceof TrafficPanel).findFirst().orElseThrow();
        Map<String, Long> scopes = new java.util.TreeMap<>();
        for (JsonNode hour : vega(specs.get("spikewatch-vega-scope-hourly"))) {
            for (JsonNode s : hour.path("scope").path("buckets")) scopes.merge(s.path("key").asText(), s.path("requests").path("value").asLong(), Long::sum);
        }
        assertThat(scopes).containsExactly(Map.entry("domestic", traffic.total("aws.waf", "domestic").requests),
                Map.entry("foreign", traffic.total("aws.waf", "foreign").requests));

        TopKeysPanel countries = (TopKeysPanel) fromFolder.panels().stream().filter(p -> p.id().equals("top-country")).findFirst().orElseThrow();
        Map<String, Long> fromReport = new java.util.TreeMap<>();
        for (TopKeysPanel.KeyTotals k : countries.top()) if (k.byDataset[0].requests > 0) fromReport.put(k.key, k.byDataset[0].requests);
        Map<String, Long> fromVega = new java.util.TreeMap<>();
        for (JsonNode b : vega(specs.get("spikewatch-vega-top-countries"))) fromVega.put(b.path("key").asText(), b.path("requests").path("value").asLong());
        assertThat(fromVega).isEqualTo(fromReport).containsEntry("JP", 700L).containsEntry("CN", 280L);

        DeadLettersPanel deadLetters = (DeadLettersPanel) fromFolder.panels().stream().filter(p -> p instanceof DeadLettersPanel).findFirst().orElseThrow();
        Map<String, Long> reasons = new java.util.TreeMap<>();
        for (JsonNode b : vega(specs.get("spikewatch-vega-dead-letters"))) reasons.put(b.path("key").asText(), b.path("doc_count").asLong());
        assertThat(reasons).isEqualTo(deadLetters.byReason);
    }

    /** Runs a Vega-Lite spec's OpenSearch query over the report's day and returns the data at its format.property. */
    private static JsonNode vega(JsonNode spec) throws Exception {
        JsonNode url = spec.path("data").path("url");
        ObjectNode body = ((ObjectNode) url.path("body")).deepCopy();
        ObjectNode range = body.putObject("query").putObject("bool").putArray("filter").addObject().putObject("range")
                .putObject(url.path("%timefield%").asText());
        range.put("gte", DailyReportTest.DAY.start().toEpochMilli());
        range.put("lt", DailyReportTest.DAY.end().toEpochMilli());
        range.put("format", "epoch_millis");
        String index = url.path("index").asText().replaceFirst("^spikewatch-", PREFIX + "-");
        OpenSearchHttpClient.Response r = client.post("/" + index + "/_search", body.toString());
        assertThat(r.ok()).as("%s: HTTP %s %s", index, r.status(), r.body()).isTrue();
        JsonNode data = JSON.readTree(r.body());
        for (String part : spec.path("data").path("format").path("property").asText().split("\\.")) data = data.path(part);
        assertThat(data.isArray()).as(r.body()).isTrue();
        return data;
    }

    @Test
    void alertsOverlappingTheDayAreSelectedByTheQuery() throws Exception {
        OpenSearchSource search = new OpenSearchSource(client, PREFIX, Clock.fixed(GENERATED, ZoneOffset.UTC));
        List<String> ids = new java.util.ArrayList<>();
        search.scan(io.spikewatch.analyst.DocumentFilter.of(io.spikewatch.analyst.OutputKind.ALERTS,
                DailyReportTest.DAY.start(), DailyReportTest.DAY.end(), "ip"), r -> ids.add(((AlertRow) r).id()));
        // "old" ended before the day; "surge" is a country incident.
        assertThat(ids).containsExactly("flood");
    }
}
