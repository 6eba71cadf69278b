package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which output documents a panel or the deny list reads: one kind, a time range, optionally some
 * dimensions. Defined once and executed two ways — {@link #matches} over replay files and
 * {@link #query} as the OpenSearch query — so both paths select the same documents.
 *
 * <p>Time semantics: rates and dead letters whose {@code @timestamp} (window start / event time) is
 * in {@code [from, to)}; alerts whose incident overlaps the range ({@code first_seen < to} and
 * {@code last_seen >= from}), so an incident that began before the range and lasted into it counts.
 *
 * @param dimensions dimensions to keep (rates and alerts), or empty for all
 */
public record DocumentFilter(OutputKind kind, Instant from, Instant to, Set<String> dimensions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DocumentFilter {
        if (!from.isBefore(to)) throw new IllegalArgumentException("empty time range: " + from + " .. " + to);
        dimensions = Set.copyOf(dimensions);
    }

    public static DocumentFilter of(OutputKind kind, Instant from, Instant to, String... dimensions) {
        return new DocumentFilter(kind, from, to, Set.of(dimensions));
    }

    public boolean matches(OutputRow row) {
        if (!dimensions.isEmpty() && !dimensions.contains(row.dimension())) return false;
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        if (kind == OutputKind.ALERTS) return row.startMillis() < t && row.endMillis() >= f;
        return row.startMillis() >= f && row.startMillis() < t;
    }

    /** The OpenSearch query (the {@code query} member of a search body) selecting the same documents. */
    public JsonNode query() {
        ObjectNode bool = JSON.createObjectNode();
        ArrayNode filter = bool.putArray("filter");
        if (kind == OutputKind.ALERTS) {
            filter.add(range("first_seen", "lt", to.toEpochMilli()));
            filter.add(range("last_seen", "gte", from.toEpochMilli()));
        } else {
            ObjectNode r = range("@timestamp", "gte", from.toEpochMilli());
            ((ObjectNode) r.get("range").get("@timestamp")).put("lt", to.toEpochMilli());
            filter.add(r);
        }
        if (!dimensions.isEmpty()) {
            ArrayNode values = JSON.createArrayNode();
            for (String d : List.copyOf(new java.util.TreeSet<>(dimensions))) values.add(d);
            filter.addObject().putObject("terms").set("dimension", values);
        }
        ObjectNode q = JSON.createObjectNode();
        q.set("bool", bool);
        return q;
    }

    private static ObjectNode range(String field, String op, long millis) {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode f = r.putObject("range").putObject(field);
        f.put(op, millis);
        f.put("format", "epoch_millis");
        return r;
    }
}
