package io.spikewatch.detection;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what an alert's {@code observed} and {@code evidence.requests} count (docs/analyst.md,
 * "observed vs evidence"), so a detector change that alters either fails here and the analyst
 * documentation gets updated with it:
 * <ul>
 *   <li>{@code observed}: the signal's count in the incident's latest window — at opening the
 *       running count when the threshold was crossed, at a window close that window's full count;</li>
 *   <li>{@code evidence.requests}: every request of the key from the one that made it "hot"
 *       ({@code incident.hot-fraction} of its threshold) onwards, summed over the windows of the
 *       incident. So it is smaller than {@code observed} at opening and larger later on.</li>
 * </ul>
 */
class EvidenceCountsTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final String IP = "203.0.113.9";

    private final KeyDetector detector = new KeyDetector(DetectionSettings.defaults());
    private final KeyState state = KeyState.fresh();
    private final List<AlertDocument> alerts = new ArrayList<>();
    private final DetectionOutput out = new DetectionOutput() {
        @Override
        public void rate(RateDocument rate) {}

        @Override
        public void alert(AlertDocument alert) {
            alerts.add(alert);
        }
    };

    @Test
    void observedIsPerWindowAndEvidenceCountsFromTheHotMomentThroughTheIncident() {
        WindowCounts first = detector.openWindow(Dimension.IP, state, T0, null);
        for (int i = 0; i < 400; i++) detector.onEvent(LogSource.WAF, Dimension.IP, IP, state, first, event(T0 + i * 20L), out);
        AlertDocument open = alerts.get(0);
        assertThat(open.change).isEqualTo(AlertDocument.CHANGE_OPEN);
        long beforeHot = open.observed - open.evidence.requests;
        // At opening: the evidence misses the requests of the window before the key became hot.
        assertThat(beforeHot).isPositive();
        assertThat(open.evidence.requests).isPositive();

        detector.onWindowClose(LogSource.WAF, Dimension.IP, IP, state, T0, first, null, out);
        AlertDocument firstClose = alerts.get(alerts.size() - 1);
        // 400 requests in a minute is above a new IP's absolute rate (300): the window close updates the incident.
        assertThat(firstClose.change).isEqualTo(AlertDocument.CHANGE_UPDATE);
        assertThat(firstClose.observed).isEqualTo(400);
        assertThat(firstClose.evidence.requests).isEqualTo(400 - beforeHot);

        WindowCounts second = detector.openWindow(Dimension.IP, state, T0 + MINUTE, null);
        for (int i = 0; i < 400; i++) {
            detector.onEvent(LogSource.WAF, Dimension.IP, IP, state, second, event(T0 + MINUTE + i * 20L), out);
        }
        detector.onWindowClose(LogSource.WAF, Dimension.IP, IP, state, T0 + MINUTE, second, null, out);
        AlertDocument secondClose = alerts.get(alerts.size() - 1);
        assertThat(secondClose.alertId).isEqualTo(open.alertId);
        assertThat(secondClose.observed).isEqualTo(400);
        // Later on: the evidence spans both windows, so it exceeds the latest window's count.
        assertThat(secondClose.evidence.requests).isEqualTo(800 - beforeHot);
    }

    private static AccessEvent event(long ts) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = IP;
        e.country = "CN";
        e.action = "ALLOW";
        e.status = 200;
        e.method = "GET";
        e.uri = "/login";
        e.userAgent = "curl/8.0";
        e.requestId = "req-" + ts;
        return e;
    }
}
