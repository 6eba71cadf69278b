package io.spikewatch.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One labelled incident of a generated data set: a line of {@code truth.jsonl}.
 *
 * <p>Written by the traffic generator, read by the {@link Evaluator}. JSON shape (field order fixed):
 * <pre>{"start":"2026-11-02T13:05:00.000Z","end":"...","dimension":"ip","key":"203.0.113.7",
 *  "kind":"ip-flood","country":"BR","scope":"foreign"}</pre>
 * {@code dimension} is {@code ip}, {@code country} or {@code scope}; {@code key} the IP, ISO-2 code or
 * {@code domestic}/{@code foreign}; {@code country} the country of the incident (the IP's country for
 * an ip incident, null for scope incidents); {@code scope} {@code domestic} or {@code foreign}.
 */
public record TruthIncident(
        Instant start, Instant end, String dimension, String key, String kind, String country, String scope) {

    static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public TruthIncident {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(key, "key");
        if (end.isBefore(start)) throw new IllegalArgumentException("end " + end + " is before start " + start);
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("start", MILLIS.format(start));
        n.put("end", MILLIS.format(end));
        n.put("dimension", dimension);
        n.put("key", key);
        n.put("kind", kind);
        n.put("country", country);
        n.put("scope", scope);
        return n;
    }

    /** Parses one {@code truth.jsonl} object; {@code start}, {@code end}, {@code dimension}, {@code key} are required. */
    public static TruthIncident fromJson(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
        return new TruthIncident(
                JsonFields.required(n, "start"),
                JsonFields.required(n, "end"),
                JsonFields.requiredText(n, "dimension"),
                JsonFields.requiredText(n, "key"),
                JsonFields.text(n, "kind"),
                JsonFields.text(n, "country"),
                JsonFields.text(n, "scope"));
    }
}
