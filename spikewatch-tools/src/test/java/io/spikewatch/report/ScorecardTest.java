package io.spikewatch.report;

import io.spikewatch.evaluation.EvaluationReport;
import io.spikewatch.evaluation.TruthIncident;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScorecardTest {
    private static EvaluationReport report(int incidents, int detected, int falseAlerts, Double... delays) {
        List<EvaluationReport.IncidentResult> rows = new java.util.ArrayList<>();
        for (int i = 0; i < incidents; i++) {
            TruthIncident t = new TruthIncident(Instant.EPOCH, Instant.EPOCH.plusSeconds(600), "ip", "192.0.2." + i,
                    "ip-flood", "CN", "foreign");
            Double d = i < delays.length ? delays[i] : null;
            rows.add(new EvaluationReport.IncidentResult(t, d != null, d, d != null ? 1 : 0, List.of("high"), List.of("aws.waf")));
        }
        return new EvaluationReport(incidents, detected, detected + falseAlerts, detected, 0, falseAlerts,
                incidents == 0 ? null : (double) detected / incidents,
                detected + falseAlerts == 0 ? null : (double) detected / (detected + falseAlerts),
                null, null, (double) falseAlerts, Duration.ofDays(1), "argument", rows, List.of());
    }

    @Test
    void totalsPoolIncidentsAndDelaysAcrossRuns() {
        String table = Scorecard.render(List.of(
                new Scorecard.Row("ip-flood", 11, report(1, 1, 0, 4.0), 1000, 2),
                new Scorecard.Row("scanner", 11, report(2, 1, 1, 30.0), 1000, 2),
                new Scorecard.Row("quiet-day", 11, report(0, 0, 0), 1000, 1)), "24h");
        assertThat(table).contains("| ip-flood | 11 | 1 | 1 | 100% |");
        assertThat(table).contains("| quiet-day | 11 | 0 | 0 | n/a |");
        // 2 of 3 incidents, median of {4, 30} = 17 s, max 30 s, 1 false alert, precision 2/3.
        assertThat(table).contains("| **all** | | 3 | 2 | 67% | 17 s | 30 s | 1 | max 1.00 | 67% |");
        assertThat(table).contains("3,000 log lines in 5 s (600 lines/s");
    }
}
