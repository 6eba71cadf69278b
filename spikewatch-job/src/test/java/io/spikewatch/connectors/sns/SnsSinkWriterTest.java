package io.spikewatch.connectors.sns;

import io.spikewatch.records.AlertDocument;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.spikewatch.connectors.sns.SnsTestAlerts.TOPIC;
import static io.spikewatch.connectors.sns.SnsTestAlerts.ipAlert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer against scripted clients: what it sends, what it sends again after throttling and
 * partial failures, and how it fails when no retry can help.
 */
class SnsSinkWriterTest {
    private static final SinkWriter.Context NO_CONTEXT = new SinkWriter.Context() {
        @Override
        public long currentWatermark() {
            return 0;
        }

        @Override
        public Long timestamp() {
            return null;
        }
    };

    private final TrackingSnsClient client = new TrackingSnsClient();
    private final TestWriterInitContext context = new TestWriterInitContext();
    private StatefulSinkWriter<AlertDocument, BufferedRequestState<PublishBatchRequestEntry>> writer;

    @AfterEach
    void close() throws Exception {
        if (writer != null) writer.close();
    }

    private StatefulSinkWriter<AlertDocument, BufferedRequestState<PublishBatchRequestEntry>> writer(Duration backoff) {
        SnsSettings settings = SnsSettings.forTopic(TOPIC).withRetryBackoff(backoff, Duration.ofMillis(Math.max(1, backoff.toMillis() * 4)));
        writer = new SnsAlertSink(settings, s -> client).createWriter(context);
        return writer;
    }

    private static AlertDocument open(int i) {
        return ipAlert("alert-" + i, "open", "high", "203.0.113." + i, "CN");
    }

    @Test
    void publishesOnlyOpeningsAndEscalationsToTheTopic() throws Exception {
        writer(Duration.ZERO);
        writer.write(ipAlert("a", "open", "high", "203.0.113.9", "CN"), NO_CONTEXT);
        writer.write(ipAlert("a", "update", "high", "203.0.113.9", "CN"), NO_CONTEXT);
        writer.write(ipAlert("a", "escalation", "critical", "203.0.113.9", "CN"), NO_CONTEXT);
        writer.write(ipAlert("a", "resolve", "critical", "203.0.113.9", "CN"), NO_CONTEXT);
        writer.flush(true);

        List<PublishBatchRequestEntry> sent = sentEntries();
        assertThat(client.requests).allSatisfy(r -> assertThat(r.topicArn()).isEqualTo(TOPIC));
        assertThat(sent).extracting(e -> e.messageAttributes().get("change").stringValue())
                .containsExactly("open", "escalation");
    }

    @Test
    void batchesHoldAtMostTenEntries() throws Exception {
        writer(Duration.ZERO);
        for (int i = 0; i < 25; i++) writer.write(open(i), NO_CONTEXT);
        writer.flush(true);

        assertThat(client.requests).allSatisfy(r -> assertThat(r.publishBatchRequestEntries()).hasSizeBetween(1, 10));
        assertThat(sentEntries()).hasSize(25).extracting(PublishBatchRequestEntry::id).doesNotHaveDuplicates();
    }

    @Test
    void aThrottledRequestIsSentAgainAfterABackOff() throws Exception {
        client.thenFail(ThrottledException.builder().statusCode(429)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttled").errorMessage("Rate exceeded").build()).build())
                .thenFail(SnsException.builder().statusCode(503)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").build()).build());
        writer(Duration.ofMillis(20));
        writer.write(open(1), NO_CONTEXT);
        writer.write(open(2), NO_CONTEXT);
        long start = System.nanoTime();
        writer.flush(true);

        assertThat(client.requests).hasSize(3);
        assertThat(ids(client.requests.get(2))).isEqualTo(ids(client.requests.get(0)));
        assertThat(context.metricGroup().getNumRecordsOutErrorsCounter().getCount()).isEqualTo(4);
        // two back-offs of at least half of 20 ms and 40 ms
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
    }

    @Test
    void aPartialBatchFailureSendsOnlyTheFailedEntriesAgain() throws Exception {
        client.then(request -> {
            List<PublishBatchRequestEntry> entries = request.publishBatchRequestEntries();
            List<PublishBatchResultEntry> ok = new ArrayList<>();
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                String id = entries.get(i).id();
                if (i == 1) failed.add(BatchResultErrorEntry.builder().id(id).code("Throttled").senderFault(false).build());
                else if (i == 3) failed.add(BatchResultErrorEntry.builder().id(id).code("InternalError").senderFault(false).build());
                else ok.add(PublishBatchResultEntry.builder().id(id).messageId("m" + i).build());
            }
            return CompletableFuture.completedFuture(PublishBatchResponse.builder().successful(ok).failed(failed).build());
        });
        writer(Duration.ZERO);
        for (int i = 0; i < 5; i++) writer.write(open(i), NO_CONTEXT);
        writer.flush(true);

        assertThat(client.requests).hasSize(2);
        List<PublishBatchRequestEntry> first = client.requests.get(0).publishBatchRequestEntries();
        assertThat(client.requests.get(1).publishBatchRequestEntries()).containsExactlyInAnyOrder(first.get(1), first.get(3));
        assertThat(context.metricGroup().getNumRecordsOutErrorsCounter().getCount()).isEqualTo(2);
    }

    @Test
    void connectionErrorsAreRetried() throws Exception {
        client.thenFail(SdkClientException.builder().message("Unable to execute HTTP request: Connection refused")
                .cause(new ConnectException("Connection refused")).build());
        writer(Duration.ZERO);
        writer.write(open(1), NO_CONTEXT);
        writer.flush(true);
        assertThat(client.requests).hasSize(2);
    }

    @Test
    void aMissingTopicFailsTheJobNamingTheTopicWithoutRetrying() throws Exception {
        client.thenFail(NotFoundException.builder().statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFound").errorMessage("Topic does not exist").build()).build());
        writer(Duration.ZERO);
        writer.write(open(1), NO_CONTEXT);

        assertThatThrownBy(() -> writer.flush(true))
                .satisfies(e -> assertThat(publishFailure(e).getMessage())
                        .contains(TOPIC, "NotFound", "HTTP 404", "Topic does not exist", "will not be retried"));
        assertThat(client.requests).hasSize(1);
    }

    @Test
    void anAuthorizationErrorIsFatalAndDoesNotEchoTheAccessKey() throws Exception {
        client.thenFail(AuthorizationErrorException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AuthorizationError")
                        .errorMessage("User: AKIAIOSFODNN7EXAMPLE is not authorized to perform: SNS:Publish").build()).build());
        writer(Duration.ZERO);
        writer.write(open(1), NO_CONTEXT);

        assertThatThrownBy(() -> writer.flush(true))
                .satisfies(e -> assertThat(publishFailure(e).getMessage())
                        .contains(TOPIC, "AuthorizationError", "HTTP 403")
                        .doesNotContain("AKIAIOSFODNN7EXAMPLE"));
        assertThat(client.requests).hasSize(1);
    }

    @Test
    void credentialsThatCannotBeLoadedAreFatal() throws Exception {
        client.thenFail(SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
        writer(Duration.ZERO);
        writer.write(open(1), NO_CONTEXT);
        assertThatThrownBy(() -> writer.flush(true))
                .satisfies(e -> assertThat(publishFailure(e).getMessage()).contains(TOPIC, "Unable to load credentials"));
        assertThat(client.requests).hasSize(1);
    }

    @Test
    void aProfileWithoutCredentialsIsFatal() throws Exception {
        client.thenFail(SdkClientException.create("Profile file contained no credentials for profile 'alerts'"));
        writer(Duration.ZERO);
        writer.write(open(1), NO_CONTEXT);
        assertThatThrownBy(() -> writer.flush(true))
                .satisfies(e -> assertThat(publishFailure(e).getMessage()).contains(TOPIC, "no credentials for profile 'alerts'"));
        assertThat(client.requests).hasSize(1);
    }

    @Test
    void anEntryRejectedAsTheSendersFaultIsFatal() throws Exception {
        client.then(request -> CompletableFuture.completedFuture(PublishBatchResponse.builder()
                .failed(BatchResultErrorEntry.builder().id(request.publishBatchRequestEntries().get(0).id())
                        .code("InvalidParameter").senderFault(true).message("Invalid parameter: Subject").build())
                .build()));
        writer(Duration.ZERO);
        writer.write(open(1), NO_CONTEXT);
        assertThatThrownBy(() -> writer.flush(true))
                .satisfies(e -> assertThat(publishFailure(e).getMessage())
                        .contains(TOPIC, "InvalidParameter", "sender fault", "[spikewatch] HIGH ip 203.0.113.1"));
        assertThat(client.requests).hasSize(1);
    }

    @Test
    void theWriterClosesItsClient() throws Exception {
        writer(Duration.ZERO).close();
        writer = null;
        assertThat(client.closed).isTrue();
    }

    @Test
    void entrySizeCountsBodySubjectAndAttributesAndAHugeAlertStaysUnderTheSnsLimit() {
        SnsSinkWriter w = (SnsSinkWriter) writer(Duration.ZERO);
        AlertDocument huge = open(1);
        huge.evidence.sampleRequestIds = new String[50_000];
        java.util.Arrays.fill(huge.evidence.sampleRequestIds, "r".repeat(64));
        huge.evidence.sampleCount = 50_000;
        PublishBatchRequestEntry entry = new SnsAlertElementConverter(SnsSettings.forTopic(TOPIC)).apply(huge, null);
        long size = w.getSizeInBytes(entry);
        assertThat(size).isGreaterThan(entry.message().length() + entry.subject().length())
                .isLessThanOrEqualTo(SnsSettings.SNS_MAX_PAYLOAD_BYTES);
    }

    @Test
    void backOffGrowsExponentiallyUpToTheCap() {
        SnsSettings settings = SnsSettings.forTopic(TOPIC).withRetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        writer = new SnsAlertSink(settings, s -> client).createWriter(context);
        SnsSinkWriter w = (SnsSinkWriter) writer;
        assertThat(w.backoffMillis(1)).isBetween(50L, 100L);
        assertThat(w.backoffMillis(3)).isBetween(200L, 400L);
        assertThat(w.backoffMillis(40)).isBetween(500L, 1000L);
    }

    @Test
    void bufferedEntriesSurviveACheckpoint() throws Exception {
        SnsRequestEntrySerializer serializer = new SnsRequestEntrySerializer();
        AlertDocument big = open(1);
        big.key = "k".repeat(70_000);
        PublishBatchRequestEntry fifo = new SnsAlertElementConverter(SnsSettings.forTopic(SnsTestAlerts.FIFO_TOPIC)).apply(big, null);
        PublishBatchRequestEntry plain = new SnsAlertElementConverter(SnsSettings.forTopic(TOPIC))
                .apply(SnsTestAlerts.scopeAlert("s", "open", "low"), null);
        BufferedRequestState<PublishBatchRequestEntry> state = new BufferedRequestState<>(List.of(
                new org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<>(fifo, 100),
                new org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<>(plain, 10)));

        BufferedRequestState<PublishBatchRequestEntry> restored =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        assertThat(restored.getBufferedRequestEntries()).extracting(w -> w.getRequestEntry()).containsExactly(fifo, plain);
    }

    private List<PublishBatchRequestEntry> sentEntries() {
        List<PublishBatchRequestEntry> all = new ArrayList<>();
        for (PublishBatchRequest r : client.requests) all.addAll(r.publishBatchRequestEntries());
        return all;
    }

    private static List<String> ids(PublishBatchRequest request) {
        return request.publishBatchRequestEntries().stream().map(PublishBatchRequestEntry::id).sorted().toList();
    }

    private static SnsPublishException publishFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SnsPublishException p) return p;
        }
        throw new AssertionError("no SnsPublishException in the cause chain", thrown);
    }
}
