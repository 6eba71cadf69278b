package io.spikewatch.connectors.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DocumentJson;
import io.spikewatch.records.RateDocument;
import io.spikewatch.testing.OutputDocuments;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.update.UpdateRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Index names, document ids and sources of the three emitters (no server needed). */
class OpenSearchEmittersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LAST_MINUTE_OF_DAY = Instant.parse("2026-11-02T23:59:00Z").toEpochMilli();
    private static final long MIDNIGHT = Instant.parse("2026-11-03T00:00:00Z").toEpochMilli();
    private static final long NEW_YEARS_EVE = Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli();

    @Test
    void rateGoesToTheUtcDayOfItsWindowStartWithTheRateId() throws Exception {
        RateDocument late = OutputDocuments.ipRate("203.0.113.9", "RU", LAST_MINUTE_OF_DAY, 900);
        RateDocument next = OutputDocuments.ipRate("203.0.113.9", "RU", MIDNIGHT, 900);
        RateDocumentEmitter emitter = new RateDocumentEmitter("spikewatch");

        IndexRequest a = emitter.createIndexRequest(late);
        IndexRequest b = emitter.createIndexRequest(next);

        // The window ending at midnight belongs to the day it started in.
        assertThat(a.index()).isEqualTo("spikewatch-rates-2026.11.02");
        assertThat(b.index()).isEqualTo("spikewatch-rates-2026.11.03");
        assertThat(a.id()).isEqualTo(DocumentJson.rateId(late)).hasSize(32);
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(JSON.readTree(a.source().utf8ToString())).isEqualTo(JSON.readTree(DocumentJson.rate(late)));
        // Same input, same request: replays overwrite.
        assertThat(emitter.createIndexRequest(OutputDocuments.ipRate("203.0.113.9", "RU", LAST_MINUTE_OF_DAY, 900)).id())
                .isEqualTo(a.id());
    }

    @Test
    void alertGoesToTheMonthOfItsFirstDetectionWithTheIncidentId() throws Exception {
        AlertDocument alert = OutputDocuments.alert("2001:db8::1", "DE", NEW_YEARS_EVE);
        IndexRequest r = new AlertDocumentEmitter("soc").createIndexRequest(alert);

        assertThat(r.index()).isEqualTo("soc-alerts-2026.12");
        assertThat(r.id()).isEqualTo(alert.alertId);
        assertThat(JSON.readTree(r.source().utf8ToString())).isEqualTo(JSON.readTree(DocumentJson.alert(alert)));

        // A later update of the same incident (resolved in January) stays in the same document.
        alert.status = "resolved";
        alert.change = AlertDocument.CHANGE_RESOLVE;
        alert.lastSeen = NEW_YEARS_EVE + 3_600_000;
        IndexRequest update = new AlertDocumentEmitter("soc").createIndexRequest(alert);
        assertThat(update.index()).isEqualTo(r.index());
        assertThat(update.id()).isEqualTo(r.id());
    }

    @Test
    void deadLetterIdHashesStreamTimestampReasonAndExcerpt() throws Exception {
        DeadLetter d = OutputDocuments.deadLetter("waf-stream", "{\"timestamp\":17", MIDNIGHT);
        DeadLetterEmitter emitter = new DeadLetterEmitter("spikewatch");
        IndexRequest r = emitter.createIndexRequest(d);

        assertThat(r.index()).isEqualTo("spikewatch-deadletter-2026.11.03");
        assertThat(r.id()).hasSize(32).matches("[0-9a-f]{32}")
                .isEqualTo(emitter.createIndexRequest(OutputDocuments.deadLetter("waf-stream", "{\"timestamp\":17", MIDNIGHT)).id());
        assertThat(JSON.readTree(r.source().utf8ToString())).isEqualTo(JSON.readTree(DocumentJson.deadLetter(d)));

        List<String> variants = List.of(
                emitter.createIndexRequest(OutputDocuments.deadLetter("alb-stream", "{\"timestamp\":17", MIDNIGHT)).id(),
                emitter.createIndexRequest(OutputDocuments.deadLetter("waf-stream", "{\"timestamp\":17", MIDNIGHT + 1)).id(),
                emitter.createIndexRequest(OutputDocuments.deadLetter("waf-stream", "{\"timestamp\":18", MIDNIGHT)).id(),
                emitter.createIndexRequest(withReason(OutputDocuments.deadLetter("waf-stream", "{\"timestamp\":17", MIDNIGHT), "oversized")).id(),
                emitter.createIndexRequest(OutputDocuments.deadLetter(null, null, MIDNIGHT)).id());
        assertThat(variants).doesNotContain(r.id()).doesNotHaveDuplicates();

        // A separator moved from one field into the next must not give the same id.
        String left = emitter.createIndexRequest(withReason(OutputDocuments.deadLetter("s", "b|c", MIDNIGHT), "a")).id();
        String right = emitter.createIndexRequest(withReason(OutputDocuments.deadLetter("s", "c", MIDNIGHT), "a|b")).id();
        assertThat(left).isNotEqualTo(right);
    }

    @Test
    void emitAddsExactlyOneIndexRequestAndEmittersSerialize() throws Exception {
        RecordingIndexer indexer = new RecordingIndexer();
        new RateDocumentEmitter("p").emit(OutputDocuments.countryRate("CN", MIDNIGHT, 812), null, indexer);
        new AlertDocumentEmitter("p").emit(OutputDocuments.alert("203.0.113.9", "RU", MIDNIGHT), null, indexer);
        new DeadLetterEmitter("p").emit(OutputDocuments.deadLetter("s", "x", MIDNIGHT), null, indexer);

        assertThat(indexer.requests).extracting(IndexRequest::index)
                .containsExactly("p-rates-2026.11.03", "p-alerts-2026.11", "p-deadletter-2026.11.03");
        // The sink builder refuses emitters that do not serialize.
        for (Object e : List.of(new RateDocumentEmitter("p"), new AlertDocumentEmitter("p"), new DeadLetterEmitter("p"))) {
            assertThat(InstantiationUtil.isSerializable(e)).isTrue();
        }
    }

    private static DeadLetter withReason(DeadLetter d, String reason) {
        d.reason = reason;
        return d;
    }

    private static final class RecordingIndexer implements RequestIndexer {
        final List<IndexRequest> requests = new ArrayList<>();

        @Override
        public void add(DeleteRequest... deleteRequests) {
            throw new AssertionError("emitters never delete");
        }

        @Override
        public void add(IndexRequest... indexRequests) {
            requests.addAll(Arrays.asList(indexRequests));
        }

        @Override
        public void add(UpdateRequest... updateRequests) {
            throw new AssertionError("emitters never update");
        }
    }
}
