package io.spikewatch.connectors.opensearch;

import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DocumentJson;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.common.xcontent.XContentType;

/**
 * One dead letter → one index request into {@code PREFIX-deadletter-YYYY.MM.DD} (UTC day of its
 * timestamp). The id hashes (stream, timestamp, reason, excerpt) — see
 * {@link io.spikewatch.records.DocumentIds#deadLetterId} — so re-reading the same bad input
 * after a restart overwrites instead of duplicating.
 */
public class DeadLetterEmitter implements OpensearchEmitter<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final String indexPrefix;

    public DeadLetterEmitter(String indexPrefix) {
        this.indexPrefix = indexPrefix;
    }

    public IndexRequest createIndexRequest(DeadLetter deadLetter) {
        return new IndexRequest(IndexNames.deadLetters(indexPrefix, deadLetter.timestamp))
                .id(DocumentJson.deadLetterId(deadLetter))
                .source(DocumentJson.deadLetter(deadLetter), XContentType.JSON);
    }

    @Override
    public void emit(DeadLetter deadLetter, SinkWriter.Context context, RequestIndexer indexer) {
        indexer.add(createIndexRequest(deadLetter));
    }
}
