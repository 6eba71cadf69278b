package io.spikewatch.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of an {@link Evaluator} run: headline metrics, one row per incident and the false alerts.
 *
 * <p>Output: {@link #render()} as a fixed-width plain-text table for terminals and CI logs, and
 * {@link #toJson()} for machines. Metrics that cannot be computed (recall without incidents, precision
 * without counted alerts, delays without detections, rates without a duration) are null in Java and
 * JSON and "n/a" in text. Keys come from attacker-controlled traffic (an IP is safe, but an evaluation
 * may run over alerts from real logs), so the text rendering replaces non-printable characters and
 * caps every key at {@value #MAX_KEY} characters.
 */
public record EvaluationReport(
        int incidentCount,
        int detectedIncidents,
        int alertCount,
        int matchingAlerts,
        int relatedAlerts,
        int falseAlerts,
        Double recall,
        Double precision,
        Double medianDelaySeconds,
        Double maxDelaySeconds,
        Double falseAlertsPerDay,
        Duration simulatedDuration,
        String durationSource,
        List<IncidentResult> incidents,
        List<AlertSummary> falseAlertList) {

    static final int MAX_KEY = 45;
    private static final int MAX_FALSE_ROWS = 20;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ISO_INSTANT;

    public EvaluationReport {
        incidents = List.copyOf(incidents);
        falseAlertList = List.copyOf(falseAlertList);
    }

    /**
     * One incident and what the alerts made of it.
     *
     * @param delaySeconds earliest matching alert − incident start, null when not detected
     * @param severities distinct severities of the matching alerts, lowest first
     * @param datasets distinct {@code event.dataset} values of the matching alerts
     */
    public record IncidentResult(
            TruthIncident incident, boolean detected, Double delaySeconds, int matchingAlerts,
            List<String> severities, List<String> datasets) {}

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("spikewatch evaluation\n");
        sb.append(String.format(Locale.ROOT, "incidents : %d (%d detected)%n", incidentCount, detectedIncidents));
        sb.append(String.format(Locale.ROOT, "alerts    : %d after de-duplication by alert.id: %d matching, %d related"
                + " (not counted), %d false%n", alertCount, matchingAlerts, relatedAlerts, falseAlerts));
        sb.append("recall    : ").append(percent(recall))
                .append(recall == null ? "" : " (" + detectedIncidents + "/" + incidentCount + ")").append('\n');
        sb.append("precision : ").append(percent(precision))
                .append(precision == null ? "" : " (" + matchingAlerts + "/" + (matchingAlerts + falseAlerts) + ")")
                .append('\n');
        sb.append("delay     : median ").append(seconds(medianDelaySeconds))
                .append(", max ").append(seconds(maxDelaySeconds)).append('\n');
        sb.append("false/day : ").append(falseAlertsPerDay == null ? "n/a" : String.format(Locale.ROOT, "%.2f", falseAlertsPerDay))
                .append(" (simulated ").append(duration(simulatedDuration)).append(", from ")
                .append(printable(durationSource == null ? "-" : durationSource, 60)).append(")\n");
        sb.append('\n');
        String rowFormat = "%-14s %-8s %-" + MAX_KEY + "s %-20s %-8s %8s %6s  %s%n";
        sb.append(String.format(Locale.ROOT, rowFormat,
                "KIND", "DIM", "KEY", "START", "DETECTED", "DELAY", "ALERTS", "SEVERITIES"));
        if (incidents.isEmpty()) sb.append("(no incidents)\n");
        for (IncidentResult r : incidents) {
            TruthIncident i = r.incident();
            sb.append(String.format(Locale.ROOT, rowFormat,
                    printable(i.kind() == null ? "-" : i.kind(), 14),
                    printable(i.dimension(), 8),
                    printable(i.key(), MAX_KEY),
                    SECONDS.format(i.start().truncatedTo(ChronoUnit.SECONDS)),
                    r.detected() ? "yes" : "NO",
                    seconds(r.delaySeconds()),
                    r.matchingAlerts(),
                    r.severities().isEmpty() ? "-" : printable(String.join(",", r.severities()), 40)));
        }
        if (!falseAlertList.isEmpty()) {
            sb.append('\n').append("false alerts:\n");
            String falseFormat = "%-20s %-8s %-" + MAX_KEY + "s %-8s %-9s %s%n";
            sb.append(String.format(Locale.ROOT, falseFormat, "@TIMESTAMP", "DIM", "KEY", "DATASET", "SEVERITY", "ID"));
            for (AlertSummary a : falseAlertList.subList(0, Math.min(MAX_FALSE_ROWS, falseAlertList.size()))) {
                sb.append(String.format(Locale.ROOT, falseFormat,
                        SECONDS.format(a.timestamp().truncatedTo(ChronoUnit.SECONDS)),
                        printable(a.dimension(), 8),
                        printable(a.key(), MAX_KEY),
                        printable(a.dataset() == null ? "-" : a.dataset(), 8),
                        printable(a.severity() == null ? "-" : a.severity(), 9),
                        printable(a.id(), 64)));
            }
            if (falseAlertList.size() > MAX_FALSE_ROWS) {
                sb.append("... and ").append(falseAlertList.size() - MAX_FALSE_ROWS).append(" more\n");
            }
        }
        return sb.toString();
    }

    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("incidents", incidentCount);
        root.put("detected_incidents", detectedIncidents);
        root.put("alerts", alertCount);
        root.put("matching_alerts", matchingAlerts);
        root.put("related_alerts", relatedAlerts);
        root.put("false_alerts", falseAlerts);
        root.put("recall", recall);
        root.put("precision", precision);
        ObjectNode delay = root.putObject("delay_seconds");
        delay.put("median", medianDelaySeconds);
        delay.put("max", maxDelaySeconds);
        root.put("false_alerts_per_day", falseAlertsPerDay);
        root.put("simulated_duration_seconds", simulatedDuration == null ? null : simulatedDuration.toSeconds());
        root.put("duration_source", durationSource);
        ArrayNode rows = root.putArray("per_incident");
        for (IncidentResult r : incidents) {
            ObjectNode n = rows.addObject();
            n.setAll(r.incident().toJson(mapper));
            n.put("detected", r.detected());
            n.put("delay_seconds", r.delaySeconds());
            n.put("matching_alerts", r.matchingAlerts());
            r.severities().forEach(n.putArray("severities")::add);
            r.datasets().forEach(n.putArray("datasets")::add);
        }
        ArrayNode falses = root.putArray("false_alert_list");
        for (AlertSummary a : falseAlertList) {
            ObjectNode n = falses.addObject();
            n.put("id", a.id());
            n.put("@timestamp", SECONDS.format(a.timestamp()));
            n.put("dimension", a.dimension());
            n.put("key", a.key());
            n.put("dataset", a.dataset());
            n.put("severity", a.severity());
            n.put("line", a.line());
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Non-printable characters become '?', and text longer than {@code max} ends in "...". */
    static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (count == max) {
                // Over the cap: replace the last three characters with an ellipsis.
                int cut = sb.offsetByCodePoints(0, max - 3);
                sb.setLength(cut);
                sb.append("...");
                return sb.toString();
            }
            sb.appendCodePoint(isPrintable(cp) ? cp : '?');
            count++;
        }
        return sb.toString();
    }

    private static boolean isPrintable(int cp) {
        if (Character.isISOControl(cp)) return false;
        return switch (Character.getType(cp)) {
            case Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    private static String percent(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String seconds(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f s", v);
    }

    private static String duration(Duration d) {
        if (d == null) return "unknown";
        long minutes = d.toMinutes();
        return minutes / 60 + "h" + String.format(Locale.ROOT, "%02d", minutes % 60) + "m";
    }
}
