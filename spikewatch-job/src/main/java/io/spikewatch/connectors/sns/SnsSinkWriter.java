package io.spikewatch.connectors.sns;

import io.spikewatch.records.AlertDocument;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes alert openings and escalations to one SNS topic in PublishBatch requests (at most 10
 * entries and 256 KiB each), with the buffering, in-flight bound and checkpointing of Flink's
 * {@link AsyncSinkWriter}.
 *
 * <p>Failures: entries SNS did not take for a transient reason (throttling, 5xx, I/O, timeouts,
 * after the SDK's own retries) are sent again, and only those entries, after an exponential
 * back-off with jitter that resets on the next fully accepted batch. The request slot stays
 * occupied during the back-off, so a struggling topic slows the sink (and back-pressures the job)
 * instead of being hammered. Errors no retry can fix fail the job with a {@link SnsPublishException}
 * naming the topic: a missing topic, wrong region, denied authorization, invalid credentials, an
 * entry refused as the sender's fault.
 */
class SnsSinkWriter extends AsyncSinkWriter<AlertDocument, PublishBatchRequestEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SnsSinkWriter.class);

    private final SnsSettings settings;
    private final SnsAsyncClient client;
    private final Counter numRecordsOutErrors;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private ScheduledExecutorService retryTimer;

    SnsSinkWriter(ElementConverter<AlertDocument, PublishBatchRequestEntry> converter, WriterInitContext context,
                  SnsSettings settings, SnsClientProvider clientProvider,
                  Collection<BufferedRequestState<PublishBatchRequestEntry>> restored) {
        super(converter, context, configuration(settings), restored);
        this.settings = settings;
        this.numRecordsOutErrors = context.metricGroup().getNumRecordsOutErrorsCounter();
        this.client = clientProvider.createClient(settings);
    }

    /** For Flink's deprecated {@link Sink.InitContext} path; same behaviour. */
    SnsSinkWriter(ElementConverter<AlertDocument, PublishBatchRequestEntry> converter, Sink.InitContext context,
                  SnsSettings settings, SnsClientProvider clientProvider,
                  Collection<BufferedRequestState<PublishBatchRequestEntry>> restored) {
        super(converter, context, configuration(settings), restored);
        this.settings = settings;
        this.numRecordsOutErrors = context.metricGroup().getNumRecordsOutErrorsCounter();
        this.client = clientProvider.createClient(settings);
    }

    static AsyncSinkWriterConfiguration configuration(SnsSettings settings) {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(settings.maxBatchEntries())
                .setMaxBatchSizeInBytes(SnsSettings.SNS_MAX_PAYLOAD_BYTES)
                .setMaxInFlightRequests(settings.effectiveMaxInFlightRequests())
                .setMaxBufferedRequests(settings.maxBufferedAlerts())
                .setMaxTimeInBufferMS(settings.maxTimeInBuffer().toMillis())
                .setMaxRecordSizeInBytes(SnsSettings.SNS_MAX_PAYLOAD_BYTES)
                .setRequestTimeoutMS(settings.requestTimeout().toMillis())
                .setFailOnTimeout(false)
                .build();
    }

    /** Updates and resolutions are skipped here: an async sink's converter cannot drop elements. */
    @Override
    public void write(AlertDocument alert, Context context) throws IOException, InterruptedException {
        if (SnsAlertElementConverter.shouldPublish(alert)) super.write(alert, context);
    }

    @Override
    protected void submitRequestEntries(List<PublishBatchRequestEntry> entries,
                                        ResultHandler<PublishBatchRequestEntry> result) {
        PublishBatchRequest request = PublishBatchRequest.builder()
                .topicArn(settings.topicArn())
                .publishBatchRequestEntries(entries)
                .build();
        CompletableFuture<PublishBatchResponse> response;
        try {
            response = client.publishBatch(request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((accepted, error) -> {
            try {
                if (error != null) onRequestFailed(entries, error, result);
                else onResponse(entries, accepted, result);
            } catch (RuntimeException e) {
                result.completeExceptionally(new SnsPublishException(
                        "SNS sink could not handle the answer of topic " + settings.topicArn(), e));
            }
        });
    }

    private void onRequestFailed(List<PublishBatchRequestEntry> entries, Throwable error,
                                 ResultHandler<PublishBatchRequestEntry> result) {
        numRecordsOutErrors.inc(entries.size());
        if (!SnsFailures.isRetryable(error)) {
            result.completeExceptionally(new SnsPublishException(
                    "SNS sink: publishing to topic " + settings.topicArn() + " failed and will not be retried ("
                            + SnsFailures.describe(error) + "). Check that the topic exists in region "
                            + settings.region() + " and that the job's credentials may sns:Publish to it.",
                    SnsFailures.unwrap(error)));
            return;
        }
        retryLater(entries, result, SnsFailures.describe(error));
    }

    private void onResponse(List<PublishBatchRequestEntry> entries, PublishBatchResponse response,
                            ResultHandler<PublishBatchRequestEntry> result) {
        List<BatchResultErrorEntry> failed = response.hasFailed() ? response.failed() : List.of();
        if (failed.isEmpty()) {
            consecutiveFailures.set(0);
            result.complete();
            return;
        }
        numRecordsOutErrors.inc(failed.size());
        Map<String, PublishBatchRequestEntry> byId = new HashMap<>();
        for (PublishBatchRequestEntry entry : entries) byId.put(entry.id(), entry);
        List<PublishBatchRequestEntry> retry = new ArrayList<>(failed.size());
        for (BatchResultErrorEntry failure : failed) {
            PublishBatchRequestEntry entry = byId.get(failure.id());
            if (entry == null) {
                result.completeExceptionally(new SnsPublishException("SNS sink: topic " + settings.topicArn()
                        + " reported a failure for entry id '" + failure.id() + "' that was not in the batch"));
                return;
            }
            if (!SnsFailures.isRetryable(failure)) {
                result.completeExceptionally(new SnsPublishException("SNS sink: topic " + settings.topicArn()
                        + " rejected an alert (" + SnsFailures.describe(failure) + "); not retried. Subject was '"
                        + entry.subject() + "'"));
                return;
            }
            retry.add(entry);
        }
        retryLater(retry, result, failed.size() + " of " + entries.size() + " entries refused, first: "
                + SnsFailures.describe(failed.get(0)));
    }

    private void retryLater(List<PublishBatchRequestEntry> entries, ResultHandler<PublishBatchRequestEntry> result,
                            String reason) {
        long delay = backoffMillis(consecutiveFailures.incrementAndGet());
        LOG.warn("SNS topic {}: sending {} alert(s) again in {} ms ({})", settings.topicArn(), entries.size(), delay, reason);
        if (delay <= 0) {
            result.retryForEntries(entries);
        } else {
            timer().schedule(() -> result.retryForEntries(entries), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Exponential from {@code sns.retry.backoff}, capped at {@code sns.retry.max-backoff}, half of it jittered. */
    long backoffMillis(int failures) {
        long base = settings.retryBackoff().toMillis();
        if (base <= 0) return 0;
        long cap = settings.retryMaxBackoff().toMillis();
        long exponential = failures >= 31 ? cap : Math.min(cap, base << Math.max(0, failures - 1));
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    private synchronized ScheduledExecutorService timer() {
        if (retryTimer == null) {
            retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sns-sink-retry " + settings.topicName());
                t.setDaemon(true);
                return t;
            });
        }
        return retryTimer;
    }

    /** What SNS counts against its 256 KiB limit: body, subject and message attributes. */
    @Override
    protected long getSizeInBytes(PublishBatchRequestEntry entry) {
        long size = AlertMessageBody.utf8Length(entry.message());
        if (entry.subject() != null) size += entry.subject().length();
        if (entry.hasMessageAttributes()) {
            for (Map.Entry<String, MessageAttributeValue> a : entry.messageAttributes().entrySet()) {
                size += AlertMessageBody.utf8Length(a.getKey()) + AlertMessageBody.utf8Length(a.getValue().dataType())
                        + AlertMessageBody.utf8Length(a.getValue().stringValue());
            }
        }
        return size;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (retryTimer != null) retryTimer.shutdownNow();
        }
        client.close();
    }
}
