package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of an alert document the analyst tools read: the incident's latest state.
 *
 * <p>{@code observed} and {@code evidence.requests} count different things (see docs/analyst.md):
 * {@code observed} is the signal's count in the incident's latest window (requests, or client
 * errors for the {@code client_errors} signal; at opening, the running count when the threshold was
 * crossed), while {@code evidence} sums every request of the key from the moment it neared its
 * threshold through the whole incident so far.
 */
public record AlertRow(String id, String status, String severity, String change, long startMillis, String dataset,
                       String dimension, String key, String country, String signal, long windowStart,
                       long observed, double threshold, long peak, double ratio, double score, long firstSeen,
                       long lastSeen, int spikeWindows, Evidence evidence) implements OutputRow {

    /** A top-list entry of the evidence. */
    public record Top(String value, long count) {}

    /** The alert's evidence block; counts cover the time since evidence collection began. */
    public record Evidence(long requests, long blocked, double blockedShare, long clientErrors, List<Top> uris,
                           List<Top> userAgents, List<Top> rules, List<String> sampleRequestIds) {}

    @Override
    public long endMillis() {
        return lastSeen == Long.MIN_VALUE ? startMillis : Math.max(startMillis, lastSeen);
    }

    public static AlertRow fromJson(JsonNode n) {
        long first = DocumentFields.time(n, "first_seen");
        long ts = DocumentFields.time(n, "@timestamp");
        JsonNode e = DocumentFields.at(n, "evidence");
        Evidence evidence = e == null || !e.isObject() ? null : new Evidence(
                DocumentFields.number(e, "requests"), DocumentFields.number(e, "blocked"),
                DocumentFields.decimal(e, "blocked_share"), DocumentFields.number(e, "client_errors"),
                tops(e.get("top_uris")), tops(e.get("top_user_agents")), tops(e.get("top_rules")),
                strings(e.get("sample_request_ids")));
        return new AlertRow(DocumentFields.text(n, "alert.id"), DocumentFields.text(n, "alert.status"),
                DocumentFields.text(n, "alert.severity"), DocumentFields.text(n, "alert.change"),
                first == Long.MIN_VALUE ? ts : first, DocumentFields.text(n, "event.dataset"),
                DocumentFields.text(n, "dimension"), DocumentFields.text(n, "key"),
                DocumentFields.text(n, "source.geo.country_iso_code"), DocumentFields.text(n, "anomaly.signal"),
                DocumentFields.time(n, "window.start"), DocumentFields.number(n, "observed"),
                DocumentFields.decimal(n, "threshold"), DocumentFields.number(n, "peak"),
                DocumentFields.decimal(n, "ratio"), DocumentFields.decimal(n, "anomaly.score"), first,
                DocumentFields.time(n, "last_seen"), (int) DocumentFields.number(n, "spike_windows"), evidence);
    }

    private static List<Top> tops(JsonNode array) {
        List<Top> out = new ArrayList<>();
        if (array == null || !array.isArray()) return out;
        for (JsonNode t : array) out.add(new Top(DocumentFields.text(t, "value"), DocumentFields.number(t, "count")));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array == null || !array.isArray()) return out;
        for (JsonNode t : array) if (t.isValueNode()) out.add(t.asText());
        return out;
    }
}
