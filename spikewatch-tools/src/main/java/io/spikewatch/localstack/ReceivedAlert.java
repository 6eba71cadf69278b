package io.spikewatch.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.spikewatch.evaluation.AlertSummary;
import io.spikewatch.records.AlertDocument;

import java.time.Instant;

/**
 * One alert message as a subscriber of the SNS topic received it: the body (the alert document
 * JSON the SNS sink published) and when it arrived.
 *
 * @param receivedNanos {@link System#nanoTime()} right after the receive call returned it
 * @param receivedAt    the same moment on the wall clock
 * @param body          the parsed message body
 * @param raw           the body as received
 */
public record ReceivedAlert(long receivedNanos, Instant receivedAt, JsonNode body, String raw) {

    public String alertId() {
        return body.path("alert").path("id").asText();
    }

    /** {@code open} or {@code escalation} (the SNS sink publishes nothing else). */
    public String change() {
        return body.path("alert").path("change").asText();
    }

    public String dimension() {
        return body.path("dimension").asText();
    }

    public String key() {
        return body.path("key").asText();
    }

    public String dataset() {
        return body.path("event").path("dataset").asText();
    }

    /** {@code @timestamp}: the event time at which the running count crossed the threshold. */
    public Instant detectedAt() {
        return Instant.parse(body.path("@timestamp").asText());
    }

    /** The fields the evaluator needs. */
    public AlertSummary summary() {
        return AlertSummary.fromJson(body, 0);
    }

    /** The fields {@link io.spikewatch.report.AlertLine} prints (evidence is left out). */
    public AlertDocument document() {
        AlertDocument a = new AlertDocument();
        a.alertId = alertId();
        a.change = change();
        a.status = body.path("alert").path("status").asText();
        a.severity = body.path("alert").path("severity").asText();
        a.timestamp = detectedAt().toEpochMilli();
        a.dataset = dataset();
        a.dimension = dimension();
        a.key = key();
        a.signal = body.path("anomaly").path("signal").asText();
        a.observed = body.path("observed").asLong();
        a.threshold = body.path("threshold").asDouble();
        a.baselineMean = body.path("baseline").path("mean").asDouble();
        a.peak = body.path("peak").asLong();
        return a;
    }
}
