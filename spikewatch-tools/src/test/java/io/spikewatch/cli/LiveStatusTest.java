package io.spikewatch.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LiveStatusTest {
    private static final long NOW = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    @Test
    void theStatusLineSaysEventsAlertsDeadLettersAndWatermarkLagWithTheChangeSinceTheLastLine() {
        LiveStatus.Snapshot before = new LiveStatus.Snapshot(900, 100, 1, 2, 1, NOW - 90_000, Long.MIN_VALUE);
        LiveStatus.Snapshot now = LiveStatus.Snapshot.of(Map.of(
                "events-waf", "10000", "events-alb", "2345", "alerts-opened", "3", "dead-letters", "4",
                "late-events", "2", "watermark-waf", Long.toString(NOW - 12_000),
                "watermark-alb", Long.toString(NOW - 310_000)));
        assertThat(LiveStatus.line(now, before, NOW)).isEqualTo(
                "spikewatch: status: events in 12,345 (+11,345; waf 10,000, alb 2,345), alerts opened 3 (+2), "
                        + "dead letters 6 (+3; 2 late), watermark lag waf 12s, alb 5m10s");
    }

    @Test
    void beforeAnyWatermarkAndAfterTheInputEndsTheLagSaysSo() {
        LiveStatus.Snapshot nothing = LiveStatus.Snapshot.of(Map.of("watermark-alb", Long.toString(Long.MAX_VALUE)));
        assertThat(LiveStatus.line(nothing, LiveStatus.Snapshot.ZERO, NOW))
                .isEqualTo("spikewatch: status: events in 0 (+0; waf 0, alb 0), alerts opened 0 (+0), "
                        + "dead letters 0 (+0; 0 late), watermark lag waf none yet, alb input ended");
        assertThat(LiveStatus.lag(NOW - 2 * 86_400_000L - 3_600_000L, NOW)).isEqualTo("2d1h");
        assertThat(LiveStatus.lag(NOW + 5_000, NOW)).isEqualTo("-5s");
    }

    @Test
    void aRestartLoopPrintsEachDistinctCauseOnce() {
        LiveStatus.Failures failures = new LiveStatus.Failures();
        String cause = "java.io.IOException: connection refused";
        assertThat(failures.report(1, cause, "RESTARTING"))
                .isEqualTo("spikewatch: live job task failed (job RESTARTING): java.io.IOException: connection refused");
        assertThat(failures.report(1, cause, "RUNNING")).isNull(); // the same failure, polled again
        assertThat(failures.report(2, cause, "RESTARTING")).isNull(); // the loop repeating it
        assertThat(failures.report(3, "java.lang.IllegalStateException: bad", "RESTARTING"))
                .endsWith("java.lang.IllegalStateException: bad [distinct cause 2]");
    }
}
