package io.spikewatch.connectors.opensearch;

import io.spikewatch.records.DocumentJson;
import io.spikewatch.records.RateDocument;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.common.xcontent.XContentType;

/**
 * One rate document → one index request into {@code PREFIX-rates-YYYY.MM.DD} (UTC day of the
 * window start) with the deterministic rate id, so a replayed window overwrites itself.
 */
public class RateDocumentEmitter implements OpensearchEmitter<RateDocument> {
    private static final long serialVersionUID = 1L;

    private final String indexPrefix;

    public RateDocumentEmitter(String indexPrefix) {
        this.indexPrefix = indexPrefix;
    }

    public IndexRequest createIndexRequest(RateDocument rate) {
        return new IndexRequest(IndexNames.rates(indexPrefix, rate.windowStart))
                .id(DocumentJson.rateId(rate))
                .source(DocumentJson.rate(rate), XContentType.JSON);
    }

    @Override
    public void emit(RateDocument rate, SinkWriter.Context context, RequestIndexer indexer) {
        indexer.add(createIndexRequest(rate));
    }
}
