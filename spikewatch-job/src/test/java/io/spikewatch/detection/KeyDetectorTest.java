package io.spikewatch.detection;

import io.spikewatch.records.Evidence;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyDetectorTest {
    private static final long MINUTE = 60_000;
    /** A window start well inside a normal day. */
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final String ATTACKER = "203.0.113.9";

    private final DetectionSettings settings = DetectionSettings.defaults();
    private final KeyDetector detector = new KeyDetector(settings);
    private final Collected out = new Collected();
    private KeyState state;

    @BeforeEach
    void fresh() {
        state = KeyState.fresh();
    }

    @Test
    void floodFromANewIpAlertsTheMomentMinVolumeIsCrossed() {
        WindowCounts w = detector.openWindow(Dimension.IP, state, T0, null);
        for (int i = 0; i < 200; i++) {
            detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, event(T0 + i * 20L, 200), out);
        }
        assertThat(out.alerts).hasSize(1);
        AlertDocument open = out.alerts.get(0);
        assertThat(open.change).isEqualTo(AlertDocument.CHANGE_OPEN);
        // 120 requests (min-volume) after 2.38 s; the pro-rated absolute rate (0.25 × 300 = 75) is lower.
        assertThat(open.observed).isEqualTo(120);
        assertThat(open.timestamp).isEqualTo(T0 + 119 * 20L);
        assertThat(open.signal).isEqualTo("requests");
        assertThat(open.dimension).isEqualTo("ip");
        assertThat(open.sourceIp).isEqualTo(ATTACKER);
        assertThat(open.country).isEqualTo("CN");
        assertThat(open.evidence.requests).isGreaterThanOrEqualTo(1);
        assertThat(out.rates).isEmpty();
    }

    @Test
    void aCrossingByLateArrivingOlderRequestsIsStampedWithTheLatestTimeSeen() {
        WindowCounts w = detector.openWindow(Dimension.IP, state, T0, null);
        // 100 requests around 5 s arrive first, then 30 older ones from 1 s: the 120th request (min-volume)
        // is an old one, but the count was only known to cross once the 5 s requests had been seen.
        for (int i = 0; i < 100; i++) detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, event(T0 + 5_000 + i, 200), out);
        for (int i = 0; i < 30; i++) detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, event(T0 + 1_000 + i, 200), out);
        assertThat(out.alerts).singleElement().satisfies(a -> assertThat(a.timestamp).isEqualTo(T0 + 5_099));
    }

    @Test
    void steadyTrafficNeverAlertsAndBuildsABaseline() {
        for (int m = 0; m < 30; m++) {
            window(m, 60, 200);
        }
        assertThat(out.alerts).isEmpty();
        assertThat(out.rates).hasSize(30);
        BaselineEstimate b = state.requests.estimateFor(T0 / MINUTE + 30, settings.decay());
        assertThat(b.mean()).isBetween(59.9, 60.1);
        assertThat(settings.rule(Dimension.IP, Signal.REQUESTS).isEstablished(b)).isTrue();
    }

    @Test
    void aKeyWarmsUpInWindowsEvenWhenTheHalfLifeIsShorterThanTheWarmup() {
        // 5-minute windows and a 30-minute half-life: the decayed weight saturates near 9.2 windows,
        // below the warm-up of 10; the window count passes it.
        long five = 5 * MINUTE;
        DetectionSettings slow = new DetectionSettings(Duration.ofMinutes(5), Duration.ofMinutes(30),
                DetectionSettings.defaultRules(), false, Duration.ofDays(7), 120, 3, 0.5, 50, DetectionSettings.defaultTtl());
        KeyDetector fiveMinutes = new KeyDetector(slow);
        for (int k = 0; k < 30; k++) {
            WindowCounts w = fiveMinutes.openWindow(Dimension.IP, state, T0 + k * five, null);
            for (int i = 0; i < 60; i++) {
                fiveMinutes.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, event(T0 + k * five + i * 5_000L, 200), out);
            }
            fiveMinutes.onWindowClose(LogSource.WAF, Dimension.IP, ATTACKER, state, T0 + k * five, w, null, out);
        }
        assertThat(state.requests.weight).isLessThan(10f);
        assertThat(out.alerts).isEmpty();

        // 280 requests: a new key would need the absolute rate (300); the established one alerts at
        // 4 x its baseline of 60, pro-rated to the elapsed part of the window.
        long start = T0 + 30 * five;
        WindowCounts w = fiveMinutes.openWindow(Dimension.IP, state, start, null);
        for (int i = 0; i < 280; i++) {
            fiveMinutes.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, event(start + 60_000 + i * 800L, 200), out);
        }
        assertThat(out.alerts).singleElement().satisfies(a -> {
            assertThat(a.observed).isBetween(120L, 280L);
            assertThat(a.baselineMean).isCloseTo(60, org.assertj.core.api.Assertions.within(1.0));
        });
    }

    @Test
    void establishedKeyAlertsOnASurgeAgainstItsBaseline() {
        for (int m = 0; m < 30; m++) window(m, 60, 200);
        WindowCounts w = detector.openWindow(Dimension.IP, state, T0 + 30 * MINUTE, null);
        for (int i = 0; i < 900; i++) {
            detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w,
                    event(T0 + 30 * MINUTE + i * 60_000L / 900, 200), out);
        }
        assertThat(out.alerts).hasSize(1);
        AlertDocument a = out.alerts.get(0);
        assertThat(a.baselineMean).isBetween(59.0, 61.0);
        // At f = 0.25 the ratio rule asks for 4 × 0.25 × 60 = 60 (< min-volume 120): fires at 120.
        assertThat(a.observed).isEqualTo(120);
        assertThat(a.ratio).isGreaterThan(7);
    }

    @Test
    void incidentIsUpdatedEscalatedAndResolvedAfterQuietWindows() {
        window(0, 3000, 200);
        long end = T0 + MINUTE;
        for (int m = 1; m <= 3; m++) {
            detector.onWindowClose(LogSource.WAF, Dimension.IP, ATTACKER, state, T0 + m * MINUTE, null, null, out);
        }
        assertThat(out.alerts).extracting(a -> a.change).containsExactly(
                AlertDocument.CHANGE_OPEN, AlertDocument.CHANGE_ESCALATION, AlertDocument.CHANGE_RESOLVE);
        AlertDocument escalation = out.alerts.get(1);
        assertThat(escalation.severity).isEqualTo("high"); // 3000 / 300 = 10x
        assertThat(escalation.observed).isEqualTo(3000);
        assertThat(escalation.peak).isEqualTo(3000);
        AlertDocument resolved = out.alerts.get(2);
        assertThat(resolved.status).isEqualTo("resolved");
        assertThat(resolved.alertId).isEqualTo(out.alerts.get(0).alertId);
        assertThat(resolved.lastSeen).isLessThan(end);
        assertThat(state.hasOpenIncident()).isFalse();
        assertThat(state.evidence).isNull();
    }

    @Test
    void spikeWindowsFoldAtMostTheThresholdIntoTheBaseline() {
        window(0, 5000, 200);
        assertThat(state.requests.sum).isEqualTo(300); // absolute rate of a new ip, not 5000
    }

    @Test
    void allowlistedIpIsCountedButNeverAlerted() {
        WindowCounts w = detector.openWindow(Dimension.IP, state, T0, null);
        for (int i = 0; i < 5000; i++) {
            AccessEvent e = event(T0 + i * 10L, 404);
            e.allowlisted = true;
            detector.onEvent(LogSource.ALB, Dimension.IP, ATTACKER, state, w, e, out);
        }
        detector.onWindowClose(LogSource.ALB, Dimension.IP, ATTACKER, state, T0, w, null, out);
        assertThat(out.alerts).isEmpty();
        assertThat(out.rates).hasSize(1);
        assertThat(out.rates.get(0).total).isEqualTo(5000);
        assertThat(out.rates.get(0).status4xx).isEqualTo(5000);
    }

    @Test
    void allowlistedTrafficDoesNotCountTowardsACountrySpike() {
        WindowCounts w = detector.openWindow(Dimension.COUNTRY, state, T0, null);
        for (int i = 0; i < 5000; i++) {
            AccessEvent e = event(T0 + i * 10L, 200);
            e.allowlisted = true;
            detector.onEvent(LogSource.WAF, Dimension.COUNTRY, "CN", state, w, e, out);
        }
        detector.onWindowClose(LogSource.WAF, Dimension.COUNTRY, "CN", state, T0, w, SeasonalProfile.empty(), out);
        assertThat(out.alerts).isEmpty();
        assertThat(out.rates.get(0).total).isEqualTo(5000);
    }

    @Test
    void lowAndSlowScannerAlertsOnClientErrorsNotVolume() {
        WindowCounts w = detector.openWindow(Dimension.IP, state, T0, null);
        for (int i = 0; i < 40; i++) {
            detector.onEvent(LogSource.ALB, Dimension.IP, ATTACKER, state, w,
                    event(T0 + i * 1500L, i % 10 == 0 ? 200 : 404), out);
        }
        assertThat(out.alerts).hasSize(1);
        assertThat(out.alerts.get(0).signal).isEqualTo("client_errors");
        assertThat(out.alerts.get(0).observed).isEqualTo(12);
    }

    @Test
    void quietIpWindowsWriteNoRateDocument() {
        window(0, 49, 200);
        window(1, 50, 200);
        assertThat(out.rates).hasSize(1);
        assertThat(out.rates.get(0).total).isEqualTo(50);
        assertThat(out.rates.get(0).windowStart).isEqualTo(T0 + MINUTE);
    }

    @Test
    void countryWindowsCountUniqueIpsAndAlwaysReport() {
        WindowCounts w = detector.openWindow(Dimension.COUNTRY, state, T0, SeasonalProfile.empty());
        for (int i = 0; i < 30; i++) {
            AccessEvent e = event(T0 + i, 200);
            e.clientIp = "198.51.100." + (i % 10);
            detector.onEvent(LogSource.WAF, Dimension.COUNTRY, "CN", state, w, e, out);
        }
        detector.onWindowClose(LogSource.WAF, Dimension.COUNTRY, "CN", state, T0, w, SeasonalProfile.empty(), out);
        RateDocument r = out.rates.get(0);
        assertThat(r.uniqueIps).isEqualTo(10);
        assertThat(r.country).isEqualTo("CN");
        assertThat(r.sourceIp).isNull();
    }

    @Test
    void evidenceCapsAttackerControlledStrings() {
        WindowCounts w = detector.openWindow(Dimension.IP, state, T0, null);
        String hugeUri = "/" + "A".repeat(100_000);
        for (int i = 0; i < 200; i++) {
            AccessEvent e = event(T0 + i, 200);
            e.uri = hugeUri;
            e.userAgent = "\u202Eevil\n" + "B".repeat(10_000);
            detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, e, out);
        }
        Evidence ev = out.alerts.get(0).evidence;
        assertThat(ev.uris.top(1).get(0).value()).hasSize(Evidence.MAX_VALUE_CHARS);
        assertThat(ev.userAgents.top(1).get(0).value()).hasSize(Evidence.MAX_VALUE_CHARS);
    }

    @Test
    void emittedAlertsDoNotChangeWhenEvidenceGrows() {
        WindowCounts w = detector.openWindow(Dimension.IP, state, T0, null);
        for (int i = 0; i < 500; i++) {
            detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, event(T0 + i, 200), out);
        }
        long atOpen = out.alerts.get(0).evidence.requests;
        assertThat(state.evidence.requests).isGreaterThan(atOpen);
    }

    @Test
    void stillOpenEarlierWindowIsNotCountedAsAnIdleZero() {
        for (int m = 0; m < 30; m++) window(m, 60, 200);
        // Window 30 is still open (watermark behind) when window 31 starts.
        WindowCounts pending = detector.openWindow(Dimension.IP, state, T0 + 30 * MINUTE, null, 0);
        WindowCounts next = detector.openWindow(Dimension.IP, state, T0 + 31 * MINUTE, null, 1);
        WindowCounts naive = detector.openWindow(Dimension.IP, state, T0 + 31 * MINUTE, null, 0);
        assertThat(next.requestsMean).isCloseTo(pending.requestsMean, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(next.requestsVariance).isCloseTo(0, org.assertj.core.api.Assertions.within(0.01)); // float sums
        assertThat(naive.requestsMean).isLessThan(59); // what counting it as a zero would do
    }

    @Test
    void lateClosingWindowOlderThanAnEarlyIncidentIsNotAQuietWindow() {
        for (int m = 0; m < 30; m++) window(m, 60, 200);
        // Windows 30..32 hold normal traffic but are still open when window 33 floods.
        WindowCounts[] older = new WindowCounts[3];
        for (int k = 0; k < 3; k++) {
            long start = T0 + (30 + k) * MINUTE;
            older[k] = detector.openWindow(Dimension.IP, state, start, null, k);
            for (int i = 0; i < 60; i++) {
                detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, older[k], event(start + i * 1000L, 200), out);
            }
        }
        long floodStart = T0 + 33 * MINUTE;
        WindowCounts flood = detector.openWindow(Dimension.IP, state, floodStart, null, 3);
        for (int i = 0; i < 3000; i++) {
            detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, flood, event(floodStart + i * 20L, 200), out);
        }
        for (int k = 0; k < 3; k++) {
            detector.onWindowClose(LogSource.WAF, Dimension.IP, ATTACKER, state, T0 + (30 + k) * MINUTE, older[k], null, out);
        }
        assertThat(out.alerts).extracting(a -> a.change).containsExactly(AlertDocument.CHANGE_OPEN);
        assertThat(state.requestsIncident.quietWindows).isZero();
    }

    @Test
    void outOfOrderArrivalWithinAWindowIsNotABurst() {
        SeasonalProfile profile = SeasonalProfile.empty();
        for (int m = 0; m < 30; m++) {
            long start = T0 + m * MINUTE;
            WindowCounts w = detector.openWindow(Dimension.COUNTRY, state, start, profile);
            for (int i = 0; i < 800; i++) {
                detector.onEvent(LogSource.WAF, Dimension.COUNTRY, "US", state, w, event(start + i * 75L, 200), out);
            }
            detector.onWindowClose(LogSource.WAF, Dimension.COUNTRY, "US", state, start, w, profile, out);
        }
        long start = T0 + 30 * MINUTE;
        WindowCounts w = detector.openWindow(Dimension.COUNTRY, state, start, profile);
        // An ordinary minute whose last three quarters arrive before its first quarter (two
        // upstream subtasks interleave): at the first-quarter events the count already holds 600.
        for (int i = 200; i < 800; i++) detector.onEvent(LogSource.WAF, Dimension.COUNTRY, "US", state, w, event(start + i * 75L, 200), out);
        for (int i = 0; i < 200; i++) detector.onEvent(LogSource.WAF, Dimension.COUNTRY, "US", state, w, event(start + i * 75L, 200), out);
        assertThat(out.alerts).isEmpty();
    }

    // --- fixtures

    /** Closes window {@code m} (minutes after T0) holding {@code n} evenly spaced events. */
    private void window(int m, int n, int status) {
        long start = T0 + m * MINUTE;
        WindowCounts w = detector.openWindow(Dimension.IP, state, start, null);
        for (int i = 0; i < n; i++) {
            detector.onEvent(LogSource.WAF, Dimension.IP, ATTACKER, state, w, event(start + i * (MINUTE / Math.max(n, 1)), status), out);
        }
        detector.onWindowClose(LogSource.WAF, Dimension.IP, ATTACKER, state, start, w, null, out);
    }

    private static AccessEvent event(long ts, int status) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = ATTACKER;
        e.country = "CN";
        e.action = "ALLOW";
        e.status = status;
        e.method = "GET";
        e.uri = "/login";
        e.userAgent = "curl/8.0";
        e.requestId = "req-" + ts;
        return e;
    }

    private static final class Collected implements DetectionOutput {
        final List<RateDocument> rates = new ArrayList<>();
        final List<AlertDocument> alerts = new ArrayList<>();

        @Override
        public void rate(RateDocument rate) {
            rates.add(rate);
        }

        @Override
        public void alert(AlertDocument alert) {
            alerts.add(alert);
        }
    }
}
