package io.spikewatch.functions;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Observation;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.operators.TimestampsAndWatermarksOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watermark operator with {@link QuietSourceWatermarks}, its processing time driven by the
 * harness, and the detection operator fed with the watermarks it emits: after the traffic stops,
 * windows close on the quiet wait, not on the next unrelated event.
 */
class QuietSourceWatermarksTest {
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(10);
    private static final String ATTACKER = "203.0.113.9";

    private OneInputStreamOperatorTestHarness<AccessEvent, AccessEvent> watermarks;
    private KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> detector;
    private long now;
    private int watermarksForwarded;

    @AfterEach
    void tearDown() throws Exception {
        if (watermarks != null) watermarks.close();
        if (detector != null) detector.close();
    }

    @Test
    void afterTheQuietWaitTheWatermarkMovesAtWallClockPaceFromTheLastEvent() throws Exception {
        open(Duration.ofMinutes(1));
        event(T0 + 30 * SECOND);
        advanceTo(59 * SECOND);
        assertThat(lastWatermark()).isEqualTo(T0 + 30 * SECOND - OUT_OF_ORDERNESS.toMillis() - 1);

        advanceTo(MINUTE);
        assertThat(lastWatermark()).isEqualTo(T0 + 30 * SECOND - OUT_OF_ORDERNESS.toMillis() - 1 + MINUTE);
        advanceTo(3 * MINUTE);
        assertThat(lastWatermark()).isEqualTo(T0 + 30 * SECOND - OUT_OF_ORDERNESS.toMillis() - 1 + 3 * MINUTE);
        // Quiet is not idle: the input keeps its say in the watermark downstream.
        assertThat(statuses()).doesNotContain(WatermarkStatus.IDLE);
    }

    @Test
    void aSubtaskThatNeverSawAnEventIsMarkedIdleAfterTheIdleness() throws Exception {
        open(Duration.ofMinutes(1));
        advanceTo(MINUTE + SECOND);
        assertThat(watermarkValues()).isEmpty();
        assertThat(statuses()).containsExactly(WatermarkStatus.IDLE);
    }

    @Test
    void aQuietSourceClosesTheFloodsWindowAndResolvesItsIncidentWithoutAnotherEvent() throws Exception {
        open(Duration.ofMinutes(1));
        // A flood of 30 s, then nothing.
        for (int i = 0; i < 3000; i++) event(T0 + i * 10L);
        advanceTo(SECOND);
        assertThat(alerts()).extracting(a -> a.change).containsExactly(AlertDocument.CHANGE_OPEN);
        assertThat(rates()).isEmpty();

        // Nothing moves the watermark until the source has been quiet for a minute; then it jumps
        // by that minute, past the flood's window (it ends 30 s after the last event), which closes.
        advanceTo(MINUTE - 200);
        assertThat(rates()).isEmpty();
        advanceTo(MINUTE);
        assertThat(rates()).extracting(r -> r.windowStart).containsExactly(T0);
        assertThat(alerts()).extracting(a -> a.change).contains(AlertDocument.CHANGE_ESCALATION);

        // Then at wall-clock pace: three quiet windows later (the third ends 3m40s after the
        // watermark stood when the traffic stopped) the incident resolves.
        advanceTo(3 * MINUTE + 40 * SECOND);
        assertThat(alerts()).extracting(a -> a.change).doesNotContain(AlertDocument.CHANGE_RESOLVE);
        advanceTo(3 * MINUTE + 41 * SECOND);
        assertThat(alerts()).extracting(a -> a.change).endsWith(AlertDocument.CHANGE_RESOLVE);
    }

    @Test
    void withoutQuietCloseTheWindowWaitsForTheNextEvent() throws Exception {
        open(Duration.ZERO);
        for (int i = 0; i < 3000; i++) event(T0 + i * 10L);
        advanceTo(10 * MINUTE);
        assertThat(rates()).isEmpty();
        assertThat(alerts()).extracting(a -> a.change).containsExactly(AlertDocument.CHANGE_OPEN);
    }

    private void open(Duration quietClose) throws Exception {
        WatermarkStrategy<AccessEvent> strategy = QuietSourceWatermarks
                .<AccessEvent>strategy(OUT_OF_ORDERNESS, Duration.ofMinutes(1), quietClose)
                .withTimestampAssigner((e, previous) -> e.timestamp);
        watermarks = new OneInputStreamOperatorTestHarness<>(new TimestampsAndWatermarksOperator<>(strategy, true));
        watermarks.getExecutionConfig().setAutoWatermarkInterval(200);
        watermarks.setProcessingTime(0);
        watermarks.open();
        detector = new KeyedOneInputStreamOperatorTestHarness<>(
                SpikeDetectionOperator.forIps(LogSource.WAF, DetectionSettings.defaults()),
                SpikeDetectionOperator::ipKey, Types.STRING);
        detector.open();
    }

    private void event(long ts) throws Exception {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = ATTACKER;
        e.country = "RU";
        e.action = "ALLOW";
        e.status = 200;
        e.uri = "/login";
        watermarks.processElement(new StreamRecord<>(e));
        detector.processElement(new StreamRecord<>(Observation.ofEvent(Dimension.IP, ATTACKER, e), ts));
        forwardWatermarks();
    }

    /** Moves processing time on in steps of the watermark interval, forwarding each watermark. */
    private void advanceTo(long processingTime) throws Exception {
        while (now < processingTime) {
            now = Math.min(now + 200, processingTime);
            watermarks.setProcessingTime(now);
            forwardWatermarks();
        }
    }

    private void forwardWatermarks() throws Exception {
        List<Long> values = watermarkValues();
        for (int i = watermarksForwarded; i < values.size(); i++) detector.processWatermark(values.get(i));
        watermarksForwarded = values.size();
    }

    private List<Long> watermarkValues() {
        List<Long> values = new ArrayList<>();
        for (Object o : watermarks.getOutput()) {
            if (o instanceof Watermark w) values.add(w.getTimestamp());
        }
        return values;
    }

    private List<WatermarkStatus> statuses() {
        List<WatermarkStatus> values = new ArrayList<>();
        for (Object o : watermarks.getOutput()) {
            if (o instanceof WatermarkStatus s) values.add(s);
        }
        return values;
    }

    private long lastWatermark() {
        List<Long> values = watermarkValues();
        return values.get(values.size() - 1);
    }

    private List<RateDocument> rates() {
        return detector.extractOutputValues();
    }

    private List<AlertDocument> alerts() {
        var q = detector.getSideOutput(SpikeDetectionOperator.ALERTS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }
}
