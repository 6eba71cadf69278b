package io.spikewatch.analyst;

/** What {@link DocumentFilter} needs of any output document. */
public interface OutputRow {
    /** Dimension of a rate or alert; null for dead letters. */
    String dimension();

    /** {@code @timestamp}: window start, first detection or dead-letter time (epoch ms). */
    long startMillis();

    /** Last time the document covers: {@code last_seen} of an alert, else {@link #startMillis()}. */
    default long endMillis() {
        return startMillis();
    }
}
