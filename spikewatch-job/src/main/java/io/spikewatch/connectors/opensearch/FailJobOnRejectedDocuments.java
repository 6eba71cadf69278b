package io.spikewatch.connectors.opensearch;

import org.apache.flink.connector.opensearch.sink.BulkResponseInspector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.FlinkRuntimeException;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;

/**
 * Failure policy of the OpenSearch sinks: a document OpenSearch did not accept fails the job, never
 * disappears.
 *
 * <p>Why fail rather than drop or retry forever: rejections because the cluster is busy (HTTP 429)
 * are already retried by the connector's back-off ({@code opensearch.backoff.*}) before they reach
 * this inspector. What is left is a problem a retry loop inside the writer cannot fix and that must
 * not be hidden — a mapping conflict, a closed or read-only index, missing permissions. Failing
 * makes Flink restart from the last checkpoint and write everything since again; the document ids
 * are deterministic, so the rewrite overwrites instead of duplicating. The failure is visible
 * (job restarts, the {@code opensearchRejectedDocuments} counter, the first rejections in the
 * message), while dropping would silently lose incidents from the alerts index.
 *
 * <p>A whole bulk request that fails (unreachable, 401/403) fails the job in the connector itself
 * for the same reason.
 */
public final class FailJobOnRejectedDocuments implements BulkResponseInspector {
    private static final int SHOWN_FAILURES = 3;

    private final Counter rejected;

    FailJobOnRejectedDocuments(Counter rejected) {
        this.rejected = rejected;
    }

    @Override
    public void inspect(BulkRequest request, BulkResponse response) {
        if (!response.hasFailures()) return;
        int failed = 0;
        StringBuilder first = new StringBuilder();
        for (BulkItemResponse item : response.getItems()) {
            if (!item.isFailed()) continue;
            failed++;
            if (failed <= SHOWN_FAILURES) {
                BulkItemResponse.Failure f = item.getFailure();
                first.append(failed == 1 ? "" : "; ")
                        .append(item.getIndex()).append('/').append(item.getId())
                        .append(": ").append(f.getStatus()).append(' ').append(f.getMessage());
            }
        }
        if (failed == 0) return;
        if (rejected != null) rejected.inc(failed);
        throw new FlinkRuntimeException("OpenSearch rejected " + failed + " of " + response.getItems().length
                + " documents of a bulk request (" + first + (failed > SHOWN_FAILURES ? "; ..." : "")
                + "). Failing so the job restarts from its last checkpoint and writes them again "
                + "(document ids are deterministic: nothing is duplicated); if it repeats, fix the cause "
                + "(index template/mapping, read-only index, permissions).");
    }

    /** Serializable factory the sink builder needs; registers the rejected-documents counter. */
    public static final class Factory implements BulkResponseInspectorFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public BulkResponseInspector apply(InitContext context) {
            return new FailJobOnRejectedDocuments(context.metricGroup().counter("opensearchRejectedDocuments"));
        }
    }
}
