package io.spikewatch.connectors.opensearch;

import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.RateDocument;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.opensearch.sink.FlushBackoffType;
import org.apache.flink.connector.opensearch.sink.Opensearch2SinkBuilder;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.http.HttpHost;

/**
 * The job's OpenSearch sinks (rates, alerts, dead letters), built with the opensearch2 connector:
 * at-least-once (pending bulk requests are flushed before every checkpoint completes), documents
 * with deterministic ids (replays overwrite), bulk flushing and back-off from the settings,
 * connection options from {@link OpenSearchRestClientFactory}, and the
 * {@link FailJobOnRejectedDocuments} failure policy.
 */
public final class OpenSearchSinks {
    private OpenSearchSinks() {}

    public static Sink<RateDocument> rates(OpenSearchSettings settings) {
        return build(settings, new RateDocumentEmitter(settings.indexPrefix()));
    }

    public static Sink<AlertDocument> alerts(OpenSearchSettings settings) {
        return build(settings, new AlertDocumentEmitter(settings.indexPrefix()));
    }

    public static Sink<DeadLetter> deadLetters(OpenSearchSettings settings) {
        return build(settings, new DeadLetterEmitter(settings.indexPrefix()));
    }

    static <T> Sink<T> build(OpenSearchSettings settings, OpensearchEmitter<T> emitter) {
        Opensearch2SinkBuilder<T> builder = new Opensearch2SinkBuilder<T>()
                .setEmitter(emitter);
        builder.setHosts(settings.hosts().stream().map(HttpHost::create).toArray(HttpHost[]::new))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(settings.bulkMaxActions())
                .setBulkFlushMaxSizeMb(settings.bulkMaxSizeMb())
                .setBulkFlushInterval(settings.bulkInterval().toMillis())
                .setRestClientFactory(new OpenSearchRestClientFactory(settings))
                .setBulkResponseInspectorFactory(new FailJobOnRejectedDocuments.Factory());
        if (settings.backoffType() != FlushBackoffType.NONE) {
            builder.setBulkFlushBackoffStrategy(settings.backoffType(), settings.backoffMaxRetries(),
                    settings.backoffInitialDelay().toMillis());
        }
        return builder.build();
    }
}
