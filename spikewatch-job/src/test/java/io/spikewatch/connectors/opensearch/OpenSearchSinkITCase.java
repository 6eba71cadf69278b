package io.spikewatch.connectors.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DocumentJson;
import io.spikewatch.records.RateDocument;
import io.spikewatch.testing.LocalOpenSearch;
import io.spikewatch.testing.OutputDocuments;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real sinks against a real OpenSearch 2.19 node: set-up installs the templates, a MiniCluster
 * job (parallelism 2) writes rates, alerts and dead letters, and the test reads them back with
 * {@code _search}. Every run uses its own index prefix and removes it afterwards.
 */
@ExtendWith(LocalOpenSearch.class)
class OpenSearchSinkITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "it-sink-" + UUID.randomUUID().toString().substring(0, 8);
    private static final long DAY_END = Instant.parse("2026-11-02T23:59:00Z").toEpochMilli();
    private static final long NEXT_DAY = Instant.parse("2026-11-03T00:00:00Z").toEpochMilli();
    private static final long OCTOBER = Instant.parse("2026-10-31T22:14:02.871Z").toEpochMilli();

    private static OpenSearchSettings settings;
    private static OpenSearchHttpClient client;

    @BeforeAll
    static void installTemplates() throws IOException {
        settings = settings(PREFIX);
        client = new OpenSearchHttpClient(settings);
        List<String> done = new OpenSearchSetup(settings, OpenSearchSetup.Retention.defaults()).install();
        assertThat(done).anyMatch(l -> l.contains("index template " + PREFIX + "-rates"))
                // The plain local node has no ISM plugin: set-up says so instead of failing.
                .anyMatch(l -> l.startsWith("note: no Index State Management plugin"));
    }

    @AfterAll
    static void removeIndicesAndTemplates() throws IOException {
        if (client == null) return;
        client.delete("/" + PREFIX + "-*");
        for (String t : OpenSearchSetup.templates(PREFIX).values()) client.delete("/_index_template/" + t);
        client.delete("/" + PREFIX + "x-*");
    }

    static OpenSearchSettings settings(String prefix) {
        Map<String, String> m = new HashMap<>();
        m.put("opensearch.hosts", LocalOpenSearch.url());
        m.put("opensearch.index-prefix", prefix);
        m.put("opensearch.bulk.interval", "200ms");
        m.put("opensearch.backoff.initial-delay", "50ms");
        m.put("opensearch.backoff.max-retries", "2");
        return OpenSearchSettings.fromMap(m);
    }

    @Test
    void setupInstallsTypedTemplatesAndVerifyNamesWhatIsMissing() throws Exception {
        new OpenSearchSetup(settings, OpenSearchSetup.Retention.defaults()).verify();

        JsonNode rates = JSON.readTree(client.get("/_index_template/" + PREFIX + "-rates").body())
                .path("index_templates").path(0).path("index_template");
        assertThat(rates.path("index_patterns").get(0).asText()).isEqualTo(PREFIX + "-rates-*");
        JsonNode props = rates.path("template").path("mappings").path("properties");
        assertThat(props.path("source").path("properties").path("ip").path("type").asText()).isEqualTo("ip");
        assertThat(props.path("@timestamp").path("type").asText()).isEqualTo("date");
        assertThat(props.path("key").path("type").asText()).isEqualTo("keyword");

        OpenSearchSettings other = settings(PREFIX + "x");
        assertThatThrownBy(() -> new OpenSearchSetup(other, OpenSearchSetup.Retention.defaults()).verify())
                .isInstanceOf(OpenSearchAccessException.class)
                .hasMessageContaining("index template '" + PREFIX + "x-rates' is missing")
                .hasMessageContaining("index template '" + PREFIX + "x-deadletter' is missing")
                .hasMessageContaining("./spikewatch setup --opensearch " + LocalOpenSearch.url() + " --index-prefix " + PREFIX + "x");
    }

    @Test
    void sinksWriteEveryDocumentOnceAndRewritesOverwrite() throws Exception {
        List<RateDocument> rates = List.of(
                OutputDocuments.ipRate("203.0.113.9", "RU", DAY_END, 3120),
                OutputDocuments.ipRate("2001:db8::7", "DE", NEXT_DAY, 75),
                OutputDocuments.countryRate("CN", NEXT_DAY, 812));
        List<AlertDocument> alerts = List.of(
                OutputDocuments.alert("203.0.113.9", "RU", DAY_END + 2_871),
                OutputDocuments.alert("198.51.100.23", "CN", OCTOBER));
        List<DeadLetter> deadLetters = List.of(
                OutputDocuments.deadLetter("waf-stream", "{\"timestamp\":17", DAY_END),
                OutputDocuments.deadLetter("alb-stream", "h2 2026-11-03T00:00:01Z app/\"unterminated", NEXT_DAY),
                OutputDocuments.deadLetter("waf-stream", "x".repeat(DeadLetter.MAX_EXCERPT_CHARS + 500), NEXT_DAY));

        runJob(rates, alerts, deadLetters);
        refresh();

        Map<String, JsonNode> rateHits = hitsById(PREFIX + "-rates-*");
        Map<String, String> expectedRateIndex = new TreeMap<>();
        expectedRateIndex.put(DocumentJson.rateId(rates.get(0)), PREFIX + "-rates-2026.11.02");
        expectedRateIndex.put(DocumentJson.rateId(rates.get(1)), PREFIX + "-rates-2026.11.03");
        expectedRateIndex.put(DocumentJson.rateId(rates.get(2)), PREFIX + "-rates-2026.11.03");
        assertThat(rateHits).hasSize(3);
        rateHits.forEach((id, hit) -> assertThat(hit.path("_index").asText()).as(id).isEqualTo(expectedRateIndex.get(id)));

        // One document field by field, exactly as DocumentJson renders it.
        JsonNode flood = rateHits.get(DocumentJson.rateId(rates.get(0))).path("_source");
        assertThat(flood).isEqualTo(JSON.readTree(DocumentJson.rate(rates.get(0))));
        assertThat(flood.path("@timestamp").asText()).isEqualTo("2026-11-02T23:59:00.000Z");
        assertThat(flood.path("source").path("ip").asText()).isEqualTo("203.0.113.9");
        assertThat(flood.path("source").path("geo").path("country_iso_code").asText()).isEqualTo("RU");
        assertThat(flood.path("requests").path("total").asLong()).isEqualTo(3120);
        assertThat(flood.path("anomaly").path("is_spike").asBoolean()).isTrue();

        Map<String, JsonNode> alertHits = hitsById(PREFIX + "-alerts-*");
        assertThat(alertHits).containsOnlyKeys(alerts.get(0).alertId, alerts.get(1).alertId);
        assertThat(alertHits.get(alerts.get(0).alertId).path("_index").asText()).isEqualTo(PREFIX + "-alerts-2026.11");
        assertThat(alertHits.get(alerts.get(1).alertId).path("_index").asText()).isEqualTo(PREFIX + "-alerts-2026.10");
        JsonNode alert = alertHits.get(alerts.get(0).alertId).path("_source");
        assertThat(alert).isEqualTo(JSON.readTree(DocumentJson.alert(alerts.get(0))));
        assertThat(alert.path("evidence").path("top_uris").get(0).path("value").asText()).isEqualTo("/login");

        Map<String, JsonNode> deadHits = hitsById(PREFIX + "-deadletter-*");
        assertThat(deadHits).containsOnlyKeys(deadLetters.stream().map(DocumentJson::deadLetterId).toList());
        assertThat(deadHits.get(DocumentJson.deadLetterId(deadLetters.get(2))).path("_source").path("raw_excerpt").asText())
                .hasSize(DeadLetter.MAX_EXCERPT_CHARS);

        // The templates, not dynamic mapping, typed the new indices.
        JsonNode rateMapping = JSON.readTree(client.get("/" + PREFIX + "-rates-2026.11.02/_mapping").body())
                .path(PREFIX + "-rates-2026.11.02").path("mappings").path("properties");
        assertThat(rateMapping.path("source").path("properties").path("ip").path("type").asText()).isEqualTo("ip");
        assertThat(rateMapping.path("window").path("properties").path("start").path("type").asText()).isEqualTo("date");
        JsonNode deadMapping = JSON.readTree(client.get("/" + PREFIX + "-deadletter-2026.11.03/_mapping").body())
                .path(PREFIX + "-deadletter-2026.11.03").path("mappings").path("properties");
        assertThat(deadMapping.path("raw_excerpt").path("type").asText()).isEqualTo("text");
        assertThat(deadMapping.path("raw_excerpt").path("fields").path("keyword").path("ignore_above").asInt()).isEqualTo(1024);

        // Same documents again (a replay, or a restart from a checkpoint): overwritten, not duplicated.
        runJob(rates, alerts, deadLetters);
        refresh();
        assertThat(count(PREFIX + "-rates-*")).isEqualTo(3);
        assertThat(count(PREFIX + "-alerts-*")).isEqualTo(2);
        assertThat(count(PREFIX + "-deadletter-*")).isEqualTo(3);
        JsonNode again = JSON.readTree(client.get("/" + PREFIX + "-rates-2026.11.02/_doc/" + DocumentJson.rateId(rates.get(0))).body());
        assertThat(again.path("_version").asInt()).isEqualTo(2);
    }

    @Test
    void aDocumentOpenSearchRejectsFailsTheJobInsteadOfVanishing() throws Exception {
        RateDocument bad = OutputDocuments.ipRate("203.0.113.77", "US", NEXT_DAY, 10);
        bad.sourceIp = "not-an-ip";   // the template maps source.ip as ip: a 400 mapper_parsing_exception

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(RateDocument.class, bad).sinkTo(OpenSearchSinks.rates(settings)).name("opensearch-rates").uid("opensearch-rates");

        assertThatThrownBy(() -> env.execute("rejected document"))
                .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
                        .contains("OpenSearch rejected 1 of 1 documents")
                        .contains(PREFIX + "-rates-2026.11.03/" + DocumentJson.rateId(bad))
                        .contains("mapper_parsing_exception")
                        .contains("restarts from its last checkpoint"));
    }

    private static void runJob(List<RateDocument> rates, List<AlertDocument> alerts, List<DeadLetter> deadLetters) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(RateDocument.class, rates.toArray(RateDocument[]::new))
                .sinkTo(OpenSearchSinks.rates(settings)).name("opensearch-rates").uid("opensearch-rates");
        env.fromData(AlertDocument.class, alerts.toArray(AlertDocument[]::new))
                .sinkTo(OpenSearchSinks.alerts(settings)).name("opensearch-alerts").uid("opensearch-alerts");
        env.fromData(DeadLetter.class, deadLetters.toArray(DeadLetter[]::new))
                .sinkTo(OpenSearchSinks.deadLetters(settings)).name("opensearch-deadletters").uid("opensearch-deadletters");
        env.execute("opensearch sinks");
    }

    private static void refresh() throws IOException {
        assertThat(client.post("/" + PREFIX + "-*/_refresh", null).ok()).isTrue();
    }

    private static long count(String pattern) throws IOException {
        return JSON.readTree(client.get("/" + pattern + "/_count").body()).path("count").asLong();
    }

    private static Map<String, JsonNode> hitsById(String pattern) throws IOException {
        OpenSearchHttpClient.Response r = client.post("/" + pattern + "/_search?size=100", "{\"query\":{\"match_all\":{}}}");
        assertThat(r.ok()).as(r.body()).isTrue();
        Map<String, JsonNode> out = new TreeMap<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : JSON.readTree(r.body()).path("hits").path("hits")) {
            ids.add(hit.path("_id").asText());
            out.put(hit.path("_id").asText(), hit);
        }
        assertThat(ids).doesNotHaveDuplicates();
        return out;
    }
}
