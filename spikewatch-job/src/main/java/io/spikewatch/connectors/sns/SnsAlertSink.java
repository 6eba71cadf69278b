package io.spikewatch.connectors.sns;

import io.spikewatch.records.AlertDocument;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

import java.util.Collection;
import java.util.List;

/**
 * Sink V2 that tells an SNS topic about alert openings and escalations, one message each: the alert
 * document as JSON body, a short subject, filterable message attributes
 * ({@link SnsAlertElementConverter}). Give it the whole alert stream; window updates and resolutions
 * are skipped by the writer.
 *
 * <p>Built on Flink's {@link AsyncSinkBase} like the connectors of apache/flink-connector-aws: batches
 * of up to 10 entries, bounded in-flight requests and buffer (back-pressure when full), buffered
 * entries in checkpoints, retries of transient failures ({@link SnsSinkWriter}). Delivery is
 * at-least-once; on FIFO topics SNS drops duplicates re-sent within five minutes.
 *
 * <pre>{@code
 * alerts.sinkTo(new SnsAlertSink(SnsSettings.fromProperties(config))).uid("sns-alerts").name("SNS alerts");
 * }</pre>
 */
public class SnsAlertSink extends AsyncSinkBase<AlertDocument, PublishBatchRequestEntry> {
    private final SnsSettings settings;
    private final SnsClientProvider clientProvider;

    public SnsAlertSink(SnsSettings settings) {
        this(settings, new AwsSnsClientProvider());
    }

    /** With another client provider: tests inject tracking or failing clients. */
    public SnsAlertSink(SnsSettings settings, SnsClientProvider clientProvider) {
        super(new SnsAlertElementConverter(settings),
                settings.maxBatchEntries(),
                settings.effectiveMaxInFlightRequests(),
                settings.maxBufferedAlerts(),
                SnsSettings.SNS_MAX_PAYLOAD_BYTES,
                settings.maxTimeInBuffer().toMillis(),
                SnsSettings.SNS_MAX_PAYLOAD_BYTES,
                settings.requestTimeout().toMillis(),
                false);
        this.settings = settings;
        this.clientProvider = clientProvider;
    }

    public SnsSettings settings() {
        return settings;
    }

    @Override
    public StatefulSinkWriter<AlertDocument, BufferedRequestState<PublishBatchRequestEntry>> createWriter(
            WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<AlertDocument, BufferedRequestState<PublishBatchRequestEntry>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<PublishBatchRequestEntry>> recoveredState) {
        return new SnsSinkWriter(getElementConverter(), context, settings, clientProvider, recoveredState);
    }

    @Override
    @SuppressWarnings("deprecation")
    public StatefulSink.StatefulSinkWriter<AlertDocument, BufferedRequestState<PublishBatchRequestEntry>> createWriter(
            InitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    @SuppressWarnings("deprecation")
    public StatefulSink.StatefulSinkWriter<AlertDocument, BufferedRequestState<PublishBatchRequestEntry>> restoreWriter(
            InitContext context, Collection<BufferedRequestState<PublishBatchRequestEntry>> recoveredState) {
        return new SnsSinkWriter(getElementConverter(), context, settings, clientProvider, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<PublishBatchRequestEntry>> getWriterStateSerializer() {
        return new SnsRequestEntrySerializer();
    }
}
