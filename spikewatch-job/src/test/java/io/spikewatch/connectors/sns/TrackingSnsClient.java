package io.spikewatch.connectors.sns;

import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An SNS client that records every PublishBatch and answers from a script: each call takes the next
 * scripted answer, and once the script is used up every entry is accepted.
 */
final class TrackingSnsClient implements SnsAsyncClient {
    final List<PublishBatchRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Function<PublishBatchRequest, CompletableFuture<PublishBatchResponse>>> script = new ArrayDeque<>();
    volatile boolean closed;

    TrackingSnsClient then(Function<PublishBatchRequest, CompletableFuture<PublishBatchResponse>> answer) {
        script.add(answer);
        return this;
    }

    TrackingSnsClient thenFail(Throwable error) {
        return then(r -> CompletableFuture.failedFuture(error));
    }

    static CompletableFuture<PublishBatchResponse> acceptAll(PublishBatchRequest request) {
        List<PublishBatchResultEntry> ok = new ArrayList<>();
        request.publishBatchRequestEntries().forEach(e ->
                ok.add(PublishBatchResultEntry.builder().id(e.id()).messageId("m-" + e.id()).build()));
        return CompletableFuture.completedFuture(PublishBatchResponse.builder().successful(ok).build());
    }

    @Override
    public synchronized CompletableFuture<PublishBatchResponse> publishBatch(PublishBatchRequest request) {
        requests.add(request);
        Function<PublishBatchRequest, CompletableFuture<PublishBatchResponse>> answer = script.poll();
        return answer == null ? acceptAll(request) : answer.apply(request);
    }

    @Override
    public String serviceName() {
        return "sns";
    }

    @Override
    public void close() {
        closed = true;
    }
}
