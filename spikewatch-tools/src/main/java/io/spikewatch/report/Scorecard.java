package io.spikewatch.report;

import io.spikewatch.evaluation.EvaluationReport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The detection-quality table: one row per (scenario, seed) and a total row, in Markdown. Delays are
 * event time from incident onset to the first matching alert.
 */
public final class Scorecard {
    private Scorecard() {}

    /** @param lines log lines replayed (WAF + ALB); @param replaySeconds wall-clock replay time */
    public record Row(String scenario, long seed, EvaluationReport report, long lines, double replaySeconds) {}

    public static String render(List<Row> rows, String duration) {
        StringBuilder b = new StringBuilder();
        b.append("| scenario | seed | incidents | detected | recall | median delay | max delay | false alerts | false alerts/day | precision |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        int incidents = 0;
        int detected = 0;
        int falseAlerts = 0;
        int matching = 0;
        double maxFalsePerDay = 0;
        List<Double> delays = new ArrayList<>();
        for (Row r : rows) {
            EvaluationReport e = r.report();
            incidents += e.incidentCount();
            detected += e.detectedIncidents();
            falseAlerts += e.falseAlerts();
            matching += e.matchingAlerts();
            if (e.falseAlertsPerDay() != null) maxFalsePerDay = Math.max(maxFalsePerDay, e.falseAlertsPerDay());
            e.incidents().forEach(i -> {
                if (i.delaySeconds() != null) delays.add(i.delaySeconds());
            });
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s | %d | %s | %s |%n",
                    r.scenario(), r.seed(), e.incidentCount(), e.detectedIncidents(), pct(e.recall()),
                    sec(e.medianDelaySeconds()), sec(e.maxDelaySeconds()), e.falseAlerts(),
                    e.falseAlertsPerDay() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", e.falseAlertsPerDay()),
                    pct(e.precision())));
        }
        Collections.sort(delays);
        Double median = delays.isEmpty() ? null
                : delays.size() % 2 == 1 ? delays.get(delays.size() / 2)
                : (delays.get(delays.size() / 2 - 1) + delays.get(delays.size() / 2)) / 2;
        Double max = delays.isEmpty() ? null : delays.get(delays.size() - 1);
        b.append(String.format(Locale.ROOT, "| **all** | | %d | %d | %s | %s | %s | %d | max %.2f | %s |%n",
                incidents, detected, pct(incidents == 0 ? null : (double) detected / incidents), sec(median), sec(max),
                falseAlerts, maxFalsePerDay, pct(matching + falseAlerts == 0 ? null : (double) matching / (matching + falseAlerts))));
        long lines = rows.stream().mapToLong(Row::lines).sum();
        double seconds = rows.stream().mapToDouble(Row::replaySeconds).sum();
        b.append(String.format(Locale.ROOT, "%n%d runs of %s simulated traffic each (10,000 distinct IPs, WAF and ALB logs); "
                + "median/max delay over all detected incidents. Replayed %,d log lines in %.0f s (%,.0f lines/s, "
                + "generation not included).%n", rows.size(), duration, lines, seconds, seconds > 0 ? lines / seconds : 0));
        return b.toString();
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static String sec(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f s", v);
    }
}
