package io.spikewatch.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads times and strings out of the JSON documents the evaluator consumes, with messages that say
 * which field is wrong. Times are ISO-8601 strings (with {@code Z} or an offset) or epoch milliseconds.
 */
final class JsonFields {
    private JsonFields() {}

    static Instant required(JsonNode parent, String path) {
        Instant t = optional(parent, path);
        if (t == null) throw new IllegalArgumentException("missing field '" + path + "'");
        return t;
    }

    /** {@code path} may be dotted ({@code window.start}). */
    static Instant optional(JsonNode parent, String path) {
        JsonNode n = at(parent, path);
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isIntegralNumber()) return Instant.ofEpochMilli(n.asLong());
        if (!n.isTextual()) throw new IllegalArgumentException("field '" + path + "' is not a time: " + n);
        String s = n.asText();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("field '" + path + "' is not an ISO-8601 time: '" + s + "'");
            }
        }
    }

    static String requiredText(JsonNode parent, String path) {
        String s = text(parent, path);
        if (s == null) throw new IllegalArgumentException("missing field '" + path + "'");
        return s;
    }

    static String text(JsonNode parent, String path) {
        JsonNode n = at(parent, path);
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isContainerNode()) throw new IllegalArgumentException("field '" + path + "' is not a string: " + n);
        return n.asText();
    }

    static JsonNode at(JsonNode parent, String path) {
        JsonNode n = parent;
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) return null;
            n = n.get(part);
        }
        return n;
    }
}
