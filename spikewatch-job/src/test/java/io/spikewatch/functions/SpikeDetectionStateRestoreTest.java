package io.spikewatch.functions;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Observation;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector's keyed state survives a checkpoint and restore with the compact KeyState
 * serializer, on the heap and on the RocksDB backend: a detector restored mid-incident behaves
 * exactly as one that never stopped (same rates, same alerts); open windows close once after a
 * restore with another parallelism, and expiry checks survive a change of state backend.
 */
class SpikeDetectionStateRestoreTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final String STEADY = "198.51.100.7";
    private static final String QUIET = "198.51.100.8";

    private final DetectionSettings settings = DetectionSettings.defaults();

    enum Backend {
        HEAP(HashMapStateBackend::new),
        ROCKSDB(EmbeddedRocksDBStateBackend::new);

        final Supplier<StateBackend> create;

        Backend(Supplier<StateBackend> create) {
            this.create = create;
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDetectorRestoredMidIncidentBehavesAsOneThatNeverStopped(Backend backend) throws Exception {
        // Uninterrupted: both phases on one harness.
        KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> straight = harness(backend, null);
        beforeSnapshot(straight);
        int ratesBefore = straight.extractOutputValues().size();
        int alertsBefore = alerts(straight).size();
        afterSnapshot(straight);
        List<RateDocument> expectedRates = straight.<RateDocument>extractOutputValues().subList(ratesBefore, straight.extractOutputValues().size());
        List<AlertDocument> expectedAlerts = alerts(straight).subList(alertsBefore, alerts(straight).size());
        straight.close();

        // Interrupted: snapshot while STEADY floods (incident, evidence and an open window in its
        // state) and QUIET is idle, then restore into a new detector.
        KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> first = harness(backend, null);
        beforeSnapshot(first);
        assertThat(alerts(first)).extracting(a -> a.change).containsExactly(AlertDocument.CHANGE_OPEN);
        OperatorSubtaskState snapshot = first.snapshot(1, T0 + 13 * MINUTE);
        first.close();

        KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> restored = harness(backend, snapshot);
        assertThat(keysWithState(restored)).isEqualTo(2);
        // One expiry check per key: RocksDB restores its timers and adds none (heap: listed, no timers).
        assertThat(restored.numEventTimeTimers()).isEqualTo(backend == Backend.HEAP ? 0 : 2);
        afterSnapshot(restored);

        // The restored STEADY judged its next windows against the baseline of the first twelve.
        assertThat(expectedRates).filteredOn(r -> r.key.equals(STEADY) && r.windowStart == T0 + 13 * MINUTE)
                .singleElement().satisfies(r -> assertThat(r.baselineMean).isGreaterThan(30));
        assertThat(expectedAlerts).extracting(a -> a.change).contains(AlertDocument.CHANGE_RESOLVE);
        assertThat(restored.<RateDocument>extractOutputValues()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(expectedRates);
        assertThat(alerts(restored)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(expectedAlerts);

        // And it still cleans up after itself.
        restored.processWatermark(T0 + 40 * MINUTE + settings.idleTtlMillis(Dimension.IP));
        assertThat(keysWithState(restored)).isZero();
        assertThat(restored.numEventTimeTimers()).isZero();
        restored.close();
    }

    /** Twelve steady windows of 60 requests for STEADY, one request for QUIET, then a flood starts. */
    private void beforeSnapshot(KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> h) throws Exception {
        send(h, QUIET, T0 + 5);
        for (int m = 0; m < 12; m++) {
            for (int i = 0; i < 60; i++) send(h, STEADY, T0 + m * MINUTE + i * 1000L);
            h.processWatermark(T0 + (m + 1) * MINUTE - 1);
        }
        for (int i = 0; i < 400; i++) send(h, STEADY, T0 + 12 * MINUTE + i * 50L);
    }

    /** The flood ends, STEADY goes back to 60 a minute, QUIET comes back once. */
    private static void afterSnapshot(KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> h) throws Exception {
        for (int i = 0; i < 100; i++) send(h, STEADY, T0 + 12 * MINUTE + 20_000 + i * 100L);
        h.processWatermark(T0 + 13 * MINUTE - 1);
        for (int m = 13; m < 20; m++) {
            for (int i = 0; i < 60; i++) send(h, STEADY, T0 + m * MINUTE + i * 1000L);
            h.processWatermark(T0 + (m + 1) * MINUTE - 1);
        }
        send(h, QUIET, T0 + 25 * MINUTE);
        h.processWatermark(T0 + 40 * MINUTE - 1);
    }

    /**
     * Rescaled from one subtask to two: each new subtask lists the closes of exactly the open
     * windows of the keys it now owns (rebuilt from the state it restored), so every window still
     * closes once, on one of them.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void afterRescalingEveryOpenWindowClosesOnceOnTheSubtaskThatOwnsItsKey(Backend backend) throws Exception {
        int maxParallelism = 128;
        List<String> ips = new ArrayList<>();
        for (int i = 1; i <= 20; i++) ips.add("198.51.100." + (100 + i));
        KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> one = new KeyedOneInputStreamOperatorTestHarness<>(
                SpikeDetectionOperator.forIps(LogSource.WAF, settings), SpikeDetectionOperator::ipKey, Types.STRING,
                maxParallelism, 1, 0);
        one.setStateBackend(backend.create.get());
        one.open();
        for (String ip : ips) {
            for (int i = 0; i < 60; i++) send(one, ip, T0 + i * 1000L);
        }
        OperatorSubtaskState snapshot = one.snapshot(1, T0 + MINUTE);
        one.close();

        List<String> closed = new ArrayList<>();
        int listed = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            SpikeDetectionOperator operator = SpikeDetectionOperator.forIps(LogSource.WAF, settings);
            KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> h = new KeyedOneInputStreamOperatorTestHarness<>(
                    operator, SpikeDetectionOperator::ipKey, Types.STRING, maxParallelism, 2, subtask);
            h.setStateBackend(backend.create.get());
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, maxParallelism, 1, 2, subtask));
            h.open();
            assertThat(operator.pendingWindowCloses()).isEqualTo(keysWithState(h)).isPositive();
            // Heap: the checks are listed again; RocksDB: the snapshot's timers are the checks.
            assertThat(operator.pendingExpiryChecks()).isEqualTo(backend == Backend.HEAP ? keysWithState(h) : 0);
            assertThat(h.numEventTimeTimers()).isEqualTo(backend == Backend.HEAP ? 0 : keysWithState(h));
            listed += operator.pendingWindowCloses();
            h.processWatermark(T0 + MINUTE - 1);
            for (RateDocument r : h.<RateDocument>extractOutputValues()) {
                assertThat(r.total).isEqualTo(60);
                closed.add(r.key);
            }
            assertThat(operator.pendingWindowCloses()).isZero();
            h.close();
        }
        assertThat(listed).isEqualTo(ips.size());
        assertThat(closed).containsExactlyInAnyOrderElementsOf(ips);
    }

    /**
     * The expiry checks survive a change of state backend through a savepoint: heap snapshots keep
     * them only in the (rebuilt) lists, so RocksDB registers a timer per key on restore; RocksDB
     * snapshots keep them as timers, which the heap then lists again and lets fire without effect.
     * Either way every key has its check, none has two, and all expire.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void expiryChecksSurviveAChangeOfStateBackend(Backend from) throws Exception {
        Backend to = from == Backend.HEAP ? Backend.ROCKSDB : Backend.HEAP;
        List<String> ips = List.of("198.51.100.1", "198.51.100.2", "198.51.100.3");
        SpikeDetectionOperator first = SpikeDetectionOperator.forIps(LogSource.WAF, settings);
        KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> before =
                open(first, SpikeDetectionOperator::ipKey, from, null);
        for (String ip : ips) send(before, ip, T0 + 5);
        before.processWatermark(T0 + MINUTE - 1);
        assertThat(before.numEventTimeTimers()).isEqualTo(from == Backend.HEAP ? 0 : ips.size());
        assertThat(first.pendingExpiryChecks()).isEqualTo(from == Backend.HEAP ? ips.size() : 0);
        // A canonical savepoint: the format that can change state backends.
        OperatorSubtaskState snapshot = before.snapshotWithLocalState(1, T0 + MINUTE,
                SavepointType.savepoint(SavepointFormatType.CANONICAL)).getJobManagerOwnedState();
        before.close();

        SpikeDetectionOperator operator = SpikeDetectionOperator.forIps(LogSource.WAF, settings);
        KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> after =
                open(operator, SpikeDetectionOperator::ipKey, to, snapshot);
        assertThat(keysWithState(after)).isEqualTo(ips.size());
        if (to == Backend.ROCKSDB) {
            assertThat(after.numEventTimeTimers()).isEqualTo(ips.size());
        } else {
            assertThat(operator.pendingExpiryChecks()).isEqualTo(ips.size());
        }

        long ttl = settings.idleTtlMillis(Dimension.IP);
        after.processWatermark(T0 + MINUTE + ttl - 3);
        assertThat(keysWithState(after)).isEqualTo(ips.size());
        after.processWatermark(T0 + MINUTE + ttl);
        assertThat(keysWithState(after)).isZero();
        assertThat(after.numEventTimeTimers()).isZero();
        assertThat(operator.pendingExpiryChecks()).isZero();
        after.close();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> harness(
            Backend backend, OperatorSubtaskState restoreFrom) throws Exception {
        return open(SpikeDetectionOperator.forIps(LogSource.WAF, settings), SpikeDetectionOperator::ipKey, backend, restoreFrom);
    }

    /** A single-subtask harness of {@code operator} on {@code backend}, restored from the snapshot if any. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> open(
            SpikeDetectionOperator operator, KeySelector<Observation, String> keys, Backend backend,
            OperatorSubtaskState restoreFrom) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> h =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, keys, Types.STRING);
        h.setStateBackend(backend.create.get());
        if (restoreFrom != null) h.initializeState(restoreFrom);
        h.open();
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> h, String ip, long ts)
            throws Exception {
        h.processElement(new StreamRecord<>(Observation.ofEvent(Dimension.IP, ip, event(ip, ts)), ts));
    }

    /** An allowed WAF request from {@code ip} in CN. */
    private static AccessEvent event(String ip, long ts) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = ip;
        e.country = "CN";
        e.action = "ALLOW";
        e.status = 200;
        e.uri = "/login";
        e.userAgent = "curl/8.0";
        e.requestId = "r-" + ts;
        return e;
    }

    /** Keys with a KeyState; numKeyedStateEntries() is heap-only. */
    private static long keysWithState(KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> h) {
        try (Stream<?> keys = h.getOperator().getKeyedStateBackend().getKeys("key-state", VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    private static List<AlertDocument> alerts(KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> h) {
        ConcurrentLinkedQueue<StreamRecord<AlertDocument>> q = h.getSideOutput(SpikeDetectionOperator.ALERTS);
        return q == null ? new ArrayList<>() : q.stream().map(StreamRecord::getValue).toList();
    }
}
