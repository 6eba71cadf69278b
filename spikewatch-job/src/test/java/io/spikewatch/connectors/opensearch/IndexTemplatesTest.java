package io.spikewatch.connectors.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.records.DocumentJson;
import io.spikewatch.testing.OutputDocuments;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index templates map every field the documents carry explicitly, with the contract's types, so
 * no field of a new index is left to dynamic mapping (which would make IPs and times strings).
 */
class IndexTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_793_000_000_000L;

    @Test
    void everyRenderedFieldIsMappedExplicitly() throws Exception {
        assertAllMapped("rates", DocumentJson.rate(OutputDocuments.ipRate("203.0.113.9", "RU", T, 900)));
        assertAllMapped("alerts", DocumentJson.alert(OutputDocuments.alert("203.0.113.9", "RU", T)));
        assertAllMapped("deadletter", DocumentJson.deadLetter(OutputDocuments.deadLetter("s", "raw", T)));
    }

    @Test
    void contractTypes() throws Exception {
        JsonNode rates = properties("rates");
        assertThat(type(rates, "source.ip")).isEqualTo("ip");
        assertThat(type(rates, "@timestamp")).isEqualTo("date");
        assertThat(type(rates, "window.start")).isEqualTo("date");
        assertThat(type(rates, "key")).isEqualTo("keyword");
        assertThat(type(rates, "dimension")).isEqualTo("keyword");
        assertThat(type(rates, "event.dataset")).isEqualTo("keyword");
        assertThat(type(rates, "requests.total")).isEqualTo("long");
        assertThat(type(rates, "anomaly.score")).isEqualTo("double");

        JsonNode alerts = properties("alerts");
        assertThat(type(alerts, "alert.severity")).isEqualTo("keyword");
        assertThat(type(alerts, "alert.status")).isEqualTo("keyword");
        assertThat(type(alerts, "first_seen")).isEqualTo("date");
        assertThat(type(alerts, "last_seen")).isEqualTo("date");
        assertThat(type(alerts, "source.ip")).isEqualTo("ip");
        assertThat(type(alerts, "evidence.top_uris.value")).isEqualTo("keyword");
        assertThat(type(alerts, "evidence.sample_request_ids")).isEqualTo("keyword");

        JsonNode dead = properties("deadletter");
        assertThat(type(dead, "reason")).isEqualTo("keyword");
        assertThat(type(dead, "raw_excerpt")).isEqualTo("text");
        assertThat(dead.path("raw_excerpt").path("fields").path("keyword").path("ignore_above").asInt()).isEqualTo(1024);

        JsonNode template = JSON.readTree(OpenSearchSetup.templateJson("soc", "alerts"));
        assertThat(template.path("index_patterns").get(0).asText()).isEqualTo("soc-alerts-*");
        assertThat(template.path("version").asInt()).isEqualTo(OpenSearchSetup.TEMPLATE_VERSION);
    }

    @Test
    void retentionPolicyDeletesByIndexAgeAndAttachesToThePattern() throws Exception {
        JsonNode policy = JSON.readTree(OpenSearchSetup.policyJson("soc", "rates", Duration.ofDays(30))).path("policy");
        assertThat(policy.path("states").get(0).path("transitions").get(0).path("conditions").path("min_index_age").asText())
                .isEqualTo("30d");
        assertThat(policy.path("states").get(1).path("actions").get(0).has("delete")).isTrue();
        assertThat(policy.path("ism_template").get(0).path("index_patterns").get(0).asText()).isEqualTo("soc-rates-*");
        assertThat(OpenSearchSetup.templates("soc")).containsEntry("soc-deadletter-*", "soc-deadletter");
    }

    private static void assertAllMapped(String kind, String documentJson) throws Exception {
        JsonNode props = properties(kind);
        List<String> unmapped = new ArrayList<>();
        for (String path : leafPaths("", JSON.readTree(documentJson))) {
            if (type(props, path) == null) unmapped.add(path);
        }
        assertThat(unmapped).as(kind + " fields without an explicit mapping").isEmpty();
    }

    private static JsonNode properties(String kind) throws Exception {
        return JSON.readTree(OpenSearchSetup.templateJson("p", kind)).path("template").path("mappings").path("properties");
    }

    /** Mapping type of a dotted path, or null when the template does not map it. */
    private static String type(JsonNode props, String path) {
        JsonNode node = null;
        JsonNode level = props;
        for (String part : path.split("\\.")) {
            node = level.get(part);
            if (node == null) return null;
            level = node.path("properties");
        }
        return node.has("type") ? node.get("type").asText() : (node.has("properties") ? "object" : null);
    }

    private static List<String> leafPaths(String prefix, JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.addAll(leafPaths(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue()));
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) out.addAll(leafPaths(prefix, element));
        } else {
            out.add(prefix);
        }
        return out;
    }
}
