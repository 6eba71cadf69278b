package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;

/** The fields of a rate document the analyst tools read. */
public record RateRow(long startMillis, String dataset, String dimension, String key, String country,
                      long total, long blocked, long status4xx, long status5xx, long uniqueIps, boolean spike)
        implements OutputRow {

    public static RateRow fromJson(JsonNode n) {
        JsonNode spike = DocumentFields.at(n, "anomaly.is_spike");
        return new RateRow(DocumentFields.time(n, "@timestamp"), DocumentFields.text(n, "event.dataset"),
                DocumentFields.text(n, "dimension"), DocumentFields.text(n, "key"),
                DocumentFields.text(n, "source.geo.country_iso_code"),
                DocumentFields.number(n, "requests.total"), DocumentFields.number(n, "requests.blocked"),
                DocumentFields.number(n, "http.status_4xx"), DocumentFields.number(n, "http.status_5xx"),
                DocumentFields.number(n, "unique_ips"), spike != null && spike.asBoolean());
    }
}
