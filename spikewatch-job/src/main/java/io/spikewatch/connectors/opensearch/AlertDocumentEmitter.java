package io.spikewatch.connectors.opensearch;

import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DocumentJson;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.common.xcontent.XContentType;

/**
 * One alert emission → one index request into {@code PREFIX-alerts-YYYY.MM} (month of the first
 * detection) with the incident's {@code alert.id} as document id: every update of an incident
 * (open, escalation, update, resolve) replaces the previous version, leaving one document per
 * incident.
 */
public class AlertDocumentEmitter implements OpensearchEmitter<AlertDocument> {
    private static final long serialVersionUID = 1L;

    private final String indexPrefix;

    public AlertDocumentEmitter(String indexPrefix) {
        this.indexPrefix = indexPrefix;
    }

    public IndexRequest createIndexRequest(AlertDocument alert) {
        return new IndexRequest(IndexNames.alerts(indexPrefix, alert.timestamp))
                .id(alert.alertId)
                .source(DocumentJson.alert(alert), XContentType.JSON);
    }

    @Override
    public void emit(AlertDocument alert, SinkWriter.Context context, RequestIndexer indexer) {
        indexer.add(createIndexRequest(alert));
    }
}
