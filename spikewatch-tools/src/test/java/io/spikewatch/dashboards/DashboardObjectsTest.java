package io.spikewatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenSearch Dashboards saved objects name only fields that the job's index templates map, with
 * a type that fits their use: time fields are dates, sums are numbers, terms and term filters are
 * keywords. (OpenSearch Dashboards itself does not run here; the Vega queries run against a real
 * node in {@code DailyReportOpenSearchITCase}.)
 */
class DashboardObjectsTest {
    private static final Set<String> NUMBERS = Set.of("long", "integer", "double", "float");

    @Test
    void indexPatternsCoverTheThreeIndicesWithTheirTimeField() throws Exception {
        List<JsonNode> patterns = DashboardObjects.all().stream().filter(o -> o.path("type").asText().equals("index-pattern")).toList();
        assertThat(patterns).extracting(p -> p.path("attributes").path("title").asText())
                .containsExactlyInAnyOrder("spikewatch-rates-*", "spikewatch-alerts-*", "spikewatch-deadletter-*");
        for (JsonNode p : patterns) {
            Map<String, String> types = DashboardObjects.fieldTypes(p.path("attributes").path("title").asText());
            assertThat(types).containsEntry(p.path("attributes").path("timeFieldName").asText(), "date");
        }
    }

    @Test
    void savedSearchColumnsExistInTheirIndex() throws Exception {
        Map<String, String> titles = new java.util.HashMap<>();
        for (JsonNode o : DashboardObjects.all()) {
            if (o.path("type").asText().equals("index-pattern")) titles.put(o.path("id").asText(), o.path("attributes").path("title").asText());
        }
        int searches = 0;
        for (JsonNode o : DashboardObjects.all()) {
            if (!o.path("type").asText().equals("search")) continue;
            searches++;
            String pattern = titles.get(o.path("references").path(0).path("id").asText());
            Map<String, String> types = DashboardObjects.fieldTypes(pattern);
            for (JsonNode c : o.path("attributes").path("columns")) assertThat(types).as(pattern).containsKey(c.asText());
            for (JsonNode s : o.path("attributes").path("sort")) assertThat(types).containsEntry(s.path(0).asText(), "date");
            String query = DashboardObjects.JSON.readTree(o.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON").asText())
                    .path("query").path("query").asText();
            if (!query.isEmpty()) assertThat(types).containsKey(query.substring(0, query.indexOf(':')));
        }
        assertThat(searches).isEqualTo(2);
    }

    @Test
    void vegaQueriesUseMappedFieldsOfTheRightType() throws Exception {
        Map<String, JsonNode> specs = DashboardObjects.vegaSpecs();
        assertThat(specs).hasSize(3);
        for (Map.Entry<String, JsonNode> e : specs.entrySet()) {
            JsonNode url = e.getValue().path("data").path("url");
            assertThat(e.getValue().path("$schema").asText()).contains("vega-lite/v5");
            assertThat(url.path("%context%").asBoolean()).as(e.getKey()).isTrue();
            Map<String, String> types = DashboardObjects.fieldTypes(url.path("index").asText());
            assertThat(types).containsEntry(url.path("%timefield%").asText(), "date");
            for (String[] agg : DashboardObjects.aggregationFields(url.path("body"))) {
                String type = types.get(agg[1]);
                assertThat(type).as("%s: %s on %s", e.getKey(), agg[0], agg[1]).isNotNull();
                switch (agg[0]) {
                    case "date_histogram" -> assertThat(type).isEqualTo("date");
                    case "sum", "avg", "max" -> assertThat(NUMBERS).contains(type);
                    case "terms", "term" -> assertThat(type).isEqualTo("keyword");
                    default -> { }
                }
            }
        }
    }

    @Test
    void dashboardsReferenceObjectsOfTheFile() throws Exception {
        Set<String> ids = new HashSet<>();
        for (JsonNode o : DashboardObjects.all()) ids.add(o.path("type").asText() + ":" + o.path("id").asText());
        int dashboards = 0;
        for (JsonNode o : DashboardObjects.all()) {
            if (!o.path("type").asText().equals("dashboard")) continue;
            dashboards++;
            JsonNode panels = DashboardObjects.JSON.readTree(o.path("attributes").path("panelsJSON").asText());
            assertThat(panels.size()).isEqualTo(o.path("references").size());
            for (JsonNode r : o.path("references")) assertThat(ids).contains(r.path("type").asText() + ":" + r.path("id").asText());
        }
        assertThat(dashboards).isEqualTo(2);
    }
}
