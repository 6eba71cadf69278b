package io.spikewatch.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The fields of one alert document that evaluation needs; the rest of the document is ignored.
 *
 * @param timestamp {@code @timestamp}: first detection, event time
 * @param dataset {@code event.dataset} ({@code aws.waf} / {@code aws.elb}), may be null
 * @param severity {@code alert.severity}, may be null
 * @param status {@code alert.status}, may be null
 * @param signal {@code anomaly.signal}, may be null
 * @param line line number of the (last) document with this id in alerts.jsonl, for messages
 */
public record AlertSummary(
        String id, Instant timestamp, String dimension, String key, String dataset, String severity,
        String status, String signal, int line) {

    /** Parses one alert document; {@code alert.id}, {@code @timestamp}, {@code dimension} and {@code key} are required. */
    public static AlertSummary fromJson(JsonNode n, int line) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
        return new AlertSummary(
                JsonFields.requiredText(n, "alert.id"),
                JsonFields.required(n, "@timestamp"),
                JsonFields.requiredText(n, "dimension"),
                JsonFields.requiredText(n, "key"),
                JsonFields.text(n, "event.dataset"),
                JsonFields.text(n, "alert.severity"),
                JsonFields.text(n, "alert.status"),
                JsonFields.text(n, "anomaly.signal"),
                line);
    }
}
