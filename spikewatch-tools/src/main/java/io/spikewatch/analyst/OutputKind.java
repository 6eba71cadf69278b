package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;

/** The three output document kinds, with their replay file and OpenSearch index pattern part. */
public enum OutputKind {
    RATES("rates.jsonl", "rates"),
    ALERTS("alerts.jsonl", "alerts"),
    DEAD_LETTERS("deadletter.jsonl", "deadletter");

    private final String fileName;
    private final String indexPart;

    OutputKind(String fileName, String indexPart) {
        this.fileName = fileName;
        this.indexPart = indexPart;
    }

    public String fileName() {
        return fileName;
    }

    /** The typed row of one document of this kind. */
    public OutputRow parse(JsonNode document) {
        return switch (this) {
            case RATES -> RateRow.fromJson(document);
            case ALERTS -> AlertRow.fromJson(document);
            case DEAD_LETTERS -> DeadLetterRow.fromJson(document);
        };
    }

    /** {@code PREFIX-rates-*} and so on. */
    public String indexPattern(String prefix) {
        return prefix + "-" + indexPart + "-*";
    }
}
