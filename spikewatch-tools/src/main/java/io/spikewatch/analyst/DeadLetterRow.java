package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;

/** The fields of a dead-letter document the analyst tools read. */
public record DeadLetterRow(long startMillis, String reason, String source, String stream, String detail,
                            String rawExcerpt) implements OutputRow {

    @Override
    public String dimension() {
        return null;
    }

    public static DeadLetterRow fromJson(JsonNode n) {
        return new DeadLetterRow(DocumentFields.time(n, "@timestamp"), DocumentFields.text(n, "reason"),
                DocumentFields.text(n, "source"), DocumentFields.text(n, "stream"), DocumentFields.text(n, "detail"),
                DocumentFields.text(n, "raw_excerpt"));
    }
}
