package io.spikewatch.functions;

import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Observation;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator-level tests: event time is driven with watermarks, and every test that ends a key's
 * activity asserts that its state, listed window closes and expiry checks are gone (and that no
 * Flink timer was used), so leaked per-IP state is caught.
 */
class SpikeDetectionOperatorTest {
    private static final long MINUTE = 60_000;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final String ATTACKER = "203.0.113.9";

    private final DetectionSettings settings = DetectionSettings.defaults();
    private KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> harness;
    private SpikeDetectionOperator operator;

    @BeforeEach
    void setUp() throws Exception {
        operator = SpikeDetectionOperator.forIps(LogSource.WAF, settings);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                operator,
                SpikeDetectionOperator::ipKey, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void floodAlertsBeforeTheWindowClosesThenResolvesAndLeavesNoState() throws Exception {
        for (int i = 0; i < 150; i++) send(ATTACKER, T0 + i * 10L, 200);

        // The alert is out although no watermark has passed the window yet.
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertDocument.CHANGE_OPEN);
            assertThat(a.observed).isEqualTo(120);
        });
        assertThat(rates()).isEmpty();

        harness.processWatermark(T0 + MINUTE - 1);
        assertThat(rates()).singleElement().satisfies(r -> assertThat(r.total).isEqualTo(150));

        // No more traffic: the open incident keeps listing its next window close so it can resolve.
        harness.processWatermark(T0 + 4 * MINUTE - 1);
        assertThat(alerts()).extracting(a -> a.change).endsWith(AlertDocument.CHANGE_RESOLVE);

        // After the idle TTL the key's state and listed checks are all gone.
        harness.processWatermark(T0 + 4 * MINUTE + settings.idleTtlMillis(Dimension.IP));
        assertNothingLeft();
    }

    @Test
    void quietKeyExpiresAfterIdleTtl() throws Exception {
        send("198.51.100.1", T0 + 5, 200);
        harness.processWatermark(T0 + MINUTE - 1);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
        assertThat(operator.pendingExpiryChecks()).isEqualTo(1); // the expiry check only
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(operator.pendingWindowCloses()).isZero();

        harness.processWatermark(T0 + MINUTE + settings.idleTtlMillis(Dimension.IP) - 3);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
        harness.processWatermark(T0 + MINUTE + settings.idleTtlMillis(Dimension.IP));
        assertNothingLeft();
        assertThat(alerts()).isEmpty();
    }

    @Test
    void aKeyActiveForManyWindowsKeepsOneExpiryCheckNotOnePerWindow() throws Exception {
        for (int m = 0; m < 10; m++) {
            send("198.51.100.4", T0 + m * MINUTE + 5, 200);
            harness.processWatermark(T0 + (m + 1) * MINUTE - 1);
            assertThat(operator.pendingExpiryChecks()).isEqualTo(1);
        }
        harness.processWatermark(T0 + 10 * MINUTE + settings.idleTtlMillis(Dimension.IP));
        assertNothingLeft();
    }

    @Test
    void aKeyBusyForLongerThanTheIdleTtlIsKeptThenExpiresTtlAfterItsLastWindow() throws Exception {
        long ttlWindows = settings.idleTtlMillis(Dimension.IP) / MINUTE;
        long last = ttlWindows + 10; // the first expiry check fires while the key is still busy
        for (long m = 0; m <= last; m++) {
            send("198.51.100.5", T0 + m * MINUTE + 5, 200);
            harness.processWatermark(T0 + (m + 1) * MINUTE - 1);
            assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
            assertThat(operator.pendingExpiryChecks()).isEqualTo(1);
        }
        long lastClosedEnd = T0 + (last + 1) * MINUTE;
        harness.processWatermark(lastClosedEnd + settings.idleTtlMillis(Dimension.IP) - 3);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
        harness.processWatermark(lastClosedEnd + settings.idleTtlMillis(Dimension.IP));
        assertNothingLeft();
    }

    @Test
    void keyThatComesBackBeforeExpiryKeepsItsBaseline() throws Exception {
        for (int m = 0; m < 12; m++) {
            for (int i = 0; i < 60; i++) send("198.51.100.2", T0 + m * MINUTE + i * 1000L, 200);
            harness.processWatermark(T0 + (m + 1) * MINUTE - 1);
        }
        // Back an hour later: the old expiry check comes due in between and must not drop the state.
        long back = T0 + 72 * MINUTE;
        harness.processWatermark(back - 1);
        for (int i = 0; i < 60; i++) send("198.51.100.2", back + i * 1000L, 200);
        harness.processWatermark(back + MINUTE - 1);
        RateDocument last = rates().get(rates().size() - 1);
        assertThat(last.windowStart).isEqualTo(back);
        // Sixty zero windows (two half-lives) decay a mean of 60 to about 5; a fresh key would say 0.
        assertThat(last.baselineMean).isBetween(3.0, 7.0);
    }

    @Test
    void windowClosesAreListedUnderTheStateMapsOwnKeyObjectNotTheEventsCopy() throws Exception {
        // Every event deserialized after the shuffle brings its own copy of the key string. The close
        // must be listed under the copy the state map holds (the first event's), so the lookup at
        // the close matches by identity and the list keeps no other copy alive.
        String first = new String("198.51.100.7");
        String later = new String("198.51.100.7");
        send(first, T0 + 5, 200);
        assertThat(operator.pendingWindowCloseKeys()).singleElement().isSameAs(first);
        harness.processWatermark(T0 + MINUTE - 1);
        send(later, T0 + MINUTE + 5, 200);
        assertThat(operator.pendingWindowCloseKeys()).singleElement().isSameAs(first).isNotSameAs(later);
    }

    @Test
    void afterARestoreWindowClosesAreListedUnderTheRestoredMapsKeyObject() throws Exception {
        send("198.51.100.8", T0 + 5, 200);
        var snapshot = harness.snapshot(1, T0 + 10);
        harness.close();
        operator = SpikeDetectionOperator.forIps(LogSource.WAF, settings);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, SpikeDetectionOperator::ipKey, Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        // The restored open window is listed under the key the restored state map holds.
        String restoredKey = operator.pendingWindowCloseKeys().get(0);
        String arriving = new String("198.51.100.8");
        send(arriving, T0 + MINUTE + 5, 200);
        assertThat(operator.pendingWindowCloseKeys()).hasSize(2)
                .allSatisfy(k -> assertThat(k).isSameAs(restoredKey).isNotSameAs(arriving));
        harness.processWatermark(T0 + 2 * MINUTE - 1);
        assertThat(operator.pendingWindowCloses()).isZero();
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
    }

    @Test
    void aWatermarkJumpOfMonthsCostsAFewStepsPerKeyNotOnePerWindowItSpans() throws Exception {
        // A flooding key (open incident) that also has an event 90 days ahead, as one wrong clock
        // makes it, and a hundred ordinary keys; then the watermark jumps to just before that event.
        for (int i = 0; i < 150; i++) send(ATTACKER, T0 + i * 10L, 200);
        for (int k = 0; k < 100; k++) send("198.51.100." + k, T0 + 5, 200);
        long ahead = T0 + 90 * DAY;
        send(ATTACKER, ahead, 200);
        harness.processWatermark(T0 + MINUTE - 1);
        long checksBefore = operator.expiryChecksRun();
        assertThat(operator.keysTracked()).isEqualTo(101);

        harness.processWatermark(ahead - 10_000);

        // Every ordinary key expired; the flood's incident resolved after its quiet windows.
        assertThat(alerts()).extracting(a -> a.change)
                .containsExactly(AlertDocument.CHANGE_OPEN, AlertDocument.CHANGE_RESOLVE);
        assertThat(operator.pendingWindowCloses()).isEqualTo(1); // the window 90 days ahead
        assertThat(operator.pendingExpiryChecks()).isEqualTo(1);
        assertThat(operator.keysTracked()).isEqualTo(1);
        // Bounded by keys, not by the 129,600 windows the jump spans: at most two checks per key and
        // the flood's own window plus its quiet windows closed.
        assertThat(operator.expiryChecksRun() - checksBefore).isLessThanOrEqualTo(2 * 101);
        assertThat(operator.windowsClosed()).isLessThanOrEqualTo(101 + 4);

        harness.processWatermark(ahead + MINUTE + settings.idleTtlMillis(Dimension.IP));
        assertNothingLeft();
        assertThat(operator.keysTracked()).isZero();
        assertThat(operator.expiryChecksRun() - checksBefore).isLessThanOrEqualTo(2 * 101 + 2);
    }

    @Test
    void theFinalWatermarkClosesAndDropsEverythingInAFewSteps() throws Exception {
        for (int i = 0; i < 150; i++) send(ATTACKER, T0 + i * 10L, 200);
        send("198.51.100.1", T0 + 90 * DAY, 200);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(alerts()).extracting(a -> a.change).endsWith(AlertDocument.CHANGE_RESOLVE);
        assertNothingLeft();
        assertThat(operator.expiryChecksRun()).isLessThanOrEqualTo(4);
    }

    @Test
    void eventBehindTheWatermarkIsADeadLetterNotADrop() throws Exception {
        for (int i = 0; i < 60; i++) send(ATTACKER, T0 + 10 + i, 200);
        harness.processWatermark(T0 + 2 * MINUTE);
        send(ATTACKER, T0 + 20, 200);

        List<DeadLetter> late = deadLetters();
        assertThat(late).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("late_event");
            assertThat(d.source).isEqualTo("waf");
        });
        assertThat(rates()).singleElement().satisfies(r -> assertThat(r.total).isEqualTo(60));
    }

    @Test
    void anEventMonthsBehindTheWatermarkIsADeadLetterAndCreatesNoState() throws Exception {
        send("198.51.100.1", T0 + 5, 200);
        harness.processWatermark(T0 + MINUTE - 1);
        int entries = harness.numKeyedStateEntries();
        int checks = operator.pendingExpiryChecks();

        send("192.0.2.77", T0 - 90 * DAY, 200);

        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.reason).isEqualTo("late_event"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(entries);
        assertThat(operator.pendingExpiryChecks()).isEqualTo(checks);
        assertThat(operator.pendingWindowCloses()).isZero();
    }

    @Test
    void outOfOrderEventsForTwoOpenWindowsAreCountedInTheirOwnWindow() throws Exception {
        send("198.51.100.3", T0 + MINUTE + 5, 200);
        send("198.51.100.3", T0 + 5, 200);
        for (int i = 0; i < 60; i++) send("198.51.100.3", T0 + i * 100L, 200);
        harness.processWatermark(T0 + 2 * MINUTE - 1);
        assertThat(rates()).extracting(r -> r.total).containsExactly(61L);
    }

    @Test
    void incidentOpenedByANewerWindowDoesNotCloseEmptyOlderWindows() throws Exception {
        useAggregatesDetector();
        // Window 0 holds a little traffic; before it closes, window 5 floods (the watermark trails).
        sendCountry("198.51.100.1", T0 + 1000);
        for (int i = 0; i < 3000; i++) sendCountry("203.0.113." + (i % 250), T0 + 5 * MINUTE + i * 10L);
        assertThat(alerts()).extracting(a -> a.change).containsExactly(AlertDocument.CHANGE_OPEN);

        harness.processWatermark(T0 + 5 * MINUTE - 1);
        // Only window 0 had traffic before the flood: windows 1..4 must not be invented.
        assertThat(rates()).extracting(r -> r.windowStart).containsExactly(T0);
        harness.processWatermark(T0 + 6 * MINUTE - 1);
        assertThat(rates()).extracting(r -> r.windowStart).containsExactly(T0, T0 + 5 * MINUTE);
    }

    /** Replaces the ip detector under test by the country/scope one. */
    private void useAggregatesDetector() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                SpikeDetectionOperator.forAggregates(LogSource.WAF, settings),
                SpikeDetectionOperator::aggregateKey, Types.STRING);
        harness.open();
    }

    private void sendCountry(String ip, long ts) throws Exception {
        harness.processElement(new StreamRecord<>(Observation.ofEvent(Dimension.COUNTRY, "IN", event(ip, "IN", ts, 200)), ts));
    }

    private void send(String ip, long ts, int status) throws Exception {
        harness.processElement(new StreamRecord<>(Observation.ofEvent(Dimension.IP, ip, event(ip, "CN", ts, status)), ts));
    }

    private static AccessEvent event(String ip, String country, long ts, int status) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = ip;
        e.country = country;
        e.action = "ALLOW";
        e.status = status;
        e.uri = "/";
        return e;
    }

    /** The key's state, listed window closes and expiry checks are gone, and no Flink timer is left. */
    private void assertNothingLeft() {
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(operator.pendingWindowCloses()).isZero();
        assertThat(operator.pendingExpiryChecks()).isZero();
    }

    private List<RateDocument> rates() {
        return harness.extractOutputValues();
    }

    private List<AlertDocument> alerts() {
        ConcurrentLinkedQueue<StreamRecord<AlertDocument>> q = harness.getSideOutput(SpikeDetectionOperator.ALERTS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    private List<DeadLetter> deadLetters() {
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> q = harness.getSideOutput(SpikeDetectionOperator.LATE_EVENTS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }
}
