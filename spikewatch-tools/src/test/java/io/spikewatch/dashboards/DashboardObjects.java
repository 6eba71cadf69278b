package io.spikewatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads deploy/opensearch-dashboards/spikewatch.ndjson and the job's index templates, for the tests. */
public final class DashboardObjects {
    static final Path FILE = Path.of("deploy/opensearch-dashboards/spikewatch.ndjson");
    static final ObjectMapper JSON = new ObjectMapper();

    private DashboardObjects() {}

    public static List<JsonNode> all() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(FILE)) if (!line.isBlank()) out.add(JSON.readTree(line));
        return out;
    }

    /** The Vega-Lite spec of each vega visualization, by saved-object id. */
    public static Map<String, JsonNode> vegaSpecs() throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode o : all()) {
            if (!"visualization".equals(o.path("type").asText())) continue;
            JsonNode vis = JSON.readTree(o.path("attributes").path("visState").asText());
            if ("vega".equals(vis.path("type").asText())) out.put(o.path("id").asText(), JSON.readTree(vis.path("params").path("spec").asText()));
        }
        return out;
    }

    /** Field path to mapping type of the template whose pattern matches {@code indexPattern} (e.g. spikewatch-rates-*). */
    static Map<String, String> fieldTypes(String indexPattern) throws IOException {
        String kind = indexPattern.replaceFirst("^[^-]+-", "").replaceFirst("-\\*$", "");
        try (InputStream in = DashboardObjects.class.getResourceAsStream("/opensearch/" + kind + "-template.json")) {
            if (in == null) throw new IllegalArgumentException("no template for " + indexPattern);
            Map<String, String> types = new LinkedHashMap<>();
            flatten("", JSON.readTree(in).path("template").path("mappings").path("properties"), types);
            return types;
        }
    }

    private static void flatten(String prefix, JsonNode properties, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            if (e.getValue().has("type") && !"object".equals(e.getValue().get("type").asText())) out.put(path, e.getValue().get("type").asText());
            if (e.getValue().has("properties")) flatten(path + ".", e.getValue().get("properties"), out);
            if (e.getValue().has("fields")) flatten(path + ".", e.getValue().get("fields"), out);
        }
    }

    /** Every aggregation of a query body: (aggregation kind, field), e.g. (sum, requests.total). */
    static List<String[]> aggregationFields(JsonNode node) {
        List<String[]> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, List<String[]> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isObject() && e.getValue().has("field") && e.getValue().get("field").isTextual()) {
                    out.add(new String[] {e.getKey(), e.getValue().get("field").asText()});
                }
                if (e.getKey().equals("term") && e.getValue().isObject()) {
                    e.getValue().fieldNames().forEachRemaining(f -> out.add(new String[] {"term", f}));
                }
                collect(e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (JsonNode n : node) collect(n, out);
        }
    }
}
