package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads dotted paths of output documents; a missing or malformed field reads as absent, not as an error. */
final class DocumentFields {
    private DocumentFields() {}

    static JsonNode at(JsonNode n, String path) {
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) return null;
            n = n.get(part);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    static String text(JsonNode n, String path) {
        JsonNode v = at(n, path);
        return v == null || v.isContainerNode() ? null : v.asText();
    }

    static long number(JsonNode n, String path) {
        JsonNode v = at(n, path);
        return v == null || !v.isNumber() ? 0 : v.asLong();
    }

    static double decimal(JsonNode n, String path) {
        JsonNode v = at(n, path);
        return v == null || !v.isNumber() ? 0 : v.asDouble();
    }

    /** ISO-8601 text or epoch millis; {@code Long.MIN_VALUE} when absent or unreadable. */
    static long time(JsonNode n, String path) {
        JsonNode v = at(n, path);
        if (v == null) return Long.MIN_VALUE;
        if (v.isIntegralNumber()) return v.asLong();
        String s = v.asText();
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return Long.MIN_VALUE;
            }
        }
    }
}
