package io.spikewatch.functions;

import io.spikewatch.detection.Observation;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out never holds counts back across a watermark or a checkpoint. */
class FanOutObservationsTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    private OneInputStreamOperatorTestHarness<AccessEvent, Observation> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new FanOutObservations(MINUTE));
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void ipObservationsGoOutPerEventAndAggregatesBeforeTheNextWatermark() throws Exception {
        harness.processElement(new StreamRecord<>(event("198.51.100.7", T0 + 5), T0 + 5));
        harness.processElement(new StreamRecord<>(event("198.51.100.8", T0 + 6), T0 + 6));
        assertThat(ipObservations()).extracting(o -> o.key).containsExactly("198.51.100.7", "198.51.100.8");
        assertThat(aggregates()).isEmpty();

        // Flushed within the watermark call, before the watermark is forwarded (the harness keeps
        // side outputs in their own queue, so the order itself is not observable here).
        harness.processWatermark(new Watermark(T0 + MINUTE - 1));
        assertThat(harness.getOutput()).contains(new Watermark(T0 + MINUTE - 1));
        assertThat(aggregates()).extracting(o -> o.stateKey() + "=" + o.total)
                .containsExactlyInAnyOrder("country|CN=2", "scope|foreign=2", "scope|all=2");
        assertThat(harness.getSideOutput(FanOutObservations.AGGREGATES))
                .allSatisfy(r -> assertThat(r.getTimestamp()).isLessThan(T0 + MINUTE - 1));
    }

    @Test
    void aCheckpointFlushesOpenAggregatesSoNothingNeedsState() throws Exception {
        harness.processElement(new StreamRecord<>(event("198.51.100.7", T0 + 5), T0 + 5));
        harness.prepareSnapshotPreBarrier(1L);
        assertThat(aggregates()).hasSize(3);
    }

    @Test
    void aQuietStreamStillGetsItsCountsThroughOnProcessingTime() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(new StreamRecord<>(event("198.51.100.7", T0 + 5), T0 + 5));
        harness.setProcessingTime(FanOutObservations.FLUSH_INTERVAL_MILLIS);
        assertThat(aggregates()).hasSize(3);
    }

    @Test
    void onlyEventsAlreadyLateCarryTheirResourceForTheDeadLetter() throws Exception {
        harness.processWatermark(new Watermark(T0 + MINUTE - 1));
        harness.processElement(new StreamRecord<>(event("198.51.100.7", T0 + 5), T0 + 5));
        harness.processElement(new StreamRecord<>(event("198.51.100.8", T0 + MINUTE), T0 + MINUTE));
        assertThat(ipObservations()).extracting(o -> o.key + " " + o.resource)
                .containsExactly("198.51.100.7 arn:aws:wafv2:acl", "198.51.100.8 null");
    }

    private List<Observation> ipObservations() {
        return harness.extractOutputValues();
    }

    private List<Observation> aggregates() {
        var q = harness.getSideOutput(FanOutObservations.AGGREGATES);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    private static AccessEvent event(String ip, long ts) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = ip;
        e.country = "CN";
        e.status = 200;
        e.action = "ALLOW";
        e.uri = "/";
        e.resource = "arn:aws:wafv2:acl";
        return e;
    }

}
