package io.spikewatch.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scores the alerts of a run against the labelled incidents of a generated data set.
 *
 * <p>Inputs: {@code truth.jsonl} (one {@link TruthIncident} per line, written by the traffic
 * generator) and {@code alerts.jsonl} (one alert document per line, as written by {@code replay
 * --output}; when several lines share an {@code alert.id} — the same incident updated while it lasts —
 * the <em>last</em> line wins). Blank lines are skipped; any other line that is not a valid document
 * stops the evaluation with an error naming the file and line number. Output: an
 * {@link EvaluationReport}.
 *
 * <h2>Matching rules</h2>
 * <ul>
 *   <li>An alert <b>matches</b> an incident when its {@code dimension} and {@code key} equal the
 *       incident's and its {@code @timestamp} (first detection, event time) lies in
 *       [incident start, incident end + 5 min], both ends included. The grace period covers
 *       detectors that fire on a closed window or that need the tail of a slow incident.
 *   <li>An alert that matches nothing is <b>related</b> (counted neither as true nor as false) when
 *       its {@code @timestamp} lies in that same range of some incident and it is an aggregate that
 *       contains the incident: dimension {@code country} with key = the incident's country, or
 *       dimension {@code scope} with key = the incident's scope or {@code all}. A flood from one
 *       Brazilian IP really does raise Brazil's and the foreign scope's counts, so an alert on them is
 *       not wrong, but it is not the alert the incident asked for either.
 *   <li>Every other alert is <b>false</b>.
 * </ul>
 *
 * <h2>Metrics</h2>
 * <ul>
 *   <li><b>recall</b> = incidents with at least one matching alert / incidents ("n/a" without incidents);
 *   <li><b>precision</b> = matching alerts / (matching + false alerts) ("n/a" when both are zero);
 *   <li><b>detection delay</b> of a detected incident = earliest matching {@code @timestamp} − incident
 *       start, in event-time seconds; the report gives the median and the maximum;
 *   <li><b>false alerts per simulated day</b> = false alerts / simulated days. The simulated duration
 *       is, in this order: the duration passed in; the {@code duration} field of {@code generator.json}
 *       next to {@code truth.jsonl}; the span from the earliest to the latest time found in the truth
 *       and alert files (incident starts and ends, alert timestamps) — a lower bound that overstates
 *       the rate on quiet data sets, so the report names which source it used.
 * </ul>
 * An alert may match several incidents (two floods from the same IP); it is then counted once.
 */
public final class Evaluator {
    /** How long after an incident's end an alert still counts for it. */
    public static final Duration GRACE = Duration.ofMinutes(5);

    // Trailing tokens ("{...} {...}" on one line) are an error, not a silently ignored second document.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Evaluator() {}

    /**
     * Reads both files and evaluates.
     *
     * @param simulatedDuration the simulated duration, or null to take it from {@code generator.json}
     *     next to the truth file, or else from the time span of the data
     */
    public static EvaluationReport evaluate(Path truthFile, Path alertsFile, Duration simulatedDuration)
            throws IOException {
        List<TruthIncident> incidents = readTruth(truthFile);
        List<AlertSummary> alerts = readAlerts(alertsFile);
        String source = "argument";
        Duration duration = simulatedDuration;
        if (duration == null) {
            Path generatorJson = truthFile.toAbsolutePath().resolveSibling("generator.json");
            duration = durationFromGeneratorJson(generatorJson);
            source = generatorJson.getFileName().toString();
        }
        if (duration == null) {
            duration = span(incidents, alerts);
            source = "time span of truth and alerts";
        }
        return evaluate(incidents, alerts, duration, source);
    }

    /** Evaluates parsed inputs; {@code alerts} must already be de-duplicated by id. */
    public static EvaluationReport evaluate(
            List<TruthIncident> incidents, Collection<AlertSummary> alerts, Duration simulatedDuration,
            String durationSource) {
        List<AlertSummary> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparing(AlertSummary::timestamp).thenComparing(AlertSummary::id));
        List<List<AlertSummary>> matchesPerIncident = new ArrayList<>();
        for (int i = 0; i < incidents.size(); i++) matchesPerIncident.add(new ArrayList<>());
        int matching = 0;
        int related = 0;
        List<AlertSummary> falseAlerts = new ArrayList<>();
        for (AlertSummary a : sorted) {
            boolean matched = false;
            boolean isRelated = false;
            for (int i = 0; i < incidents.size(); i++) {
                TruthIncident inc = incidents.get(i);
                if (!inWindow(a.timestamp(), inc)) continue;
                if (matches(a, inc)) {
                    matchesPerIncident.get(i).add(a);
                    matched = true;
                } else if (isAggregateOf(a, inc)) {
                    isRelated = true;
                }
            }
            if (matched) {
                matching++;
            } else if (isRelated) {
                related++;
            } else {
                falseAlerts.add(a);
            }
        }

        List<EvaluationReport.IncidentResult> results = new ArrayList<>();
        List<Double> delays = new ArrayList<>();
        int detected = 0;
        for (int i = 0; i < incidents.size(); i++) {
            TruthIncident inc = incidents.get(i);
            List<AlertSummary> m = matchesPerIncident.get(i);
            Double delay = null;
            if (!m.isEmpty()) {
                detected++;
                // m is in timestamp order: the first one is the earliest detection.
                delay = Duration.between(inc.start(), m.get(0).timestamp()).toMillis() / 1000.0;
                delays.add(delay);
            }
            TreeSet<String> severities = new TreeSet<>(Comparator.comparingInt(Evaluator::severityRank)
                    .thenComparing(Comparator.naturalOrder()));
            TreeSet<String> datasets = new TreeSet<>();
            for (AlertSummary a : m) {
                if (a.severity() != null) severities.add(a.severity());
                if (a.dataset() != null) datasets.add(a.dataset());
            }
            results.add(new EvaluationReport.IncidentResult(
                    inc, !m.isEmpty(), delay, m.size(), List.copyOf(severities), List.copyOf(datasets)));
        }
        delays.sort(null);
        Double median = delays.isEmpty() ? null : delays.size() % 2 == 1
                ? delays.get(delays.size() / 2)
                : (delays.get(delays.size() / 2 - 1) + delays.get(delays.size() / 2)) / 2;
        Double max = delays.isEmpty() ? null : delays.get(delays.size() - 1);
        Double recall = incidents.isEmpty() ? null : (double) detected / incidents.size();
        Double precision = matching + falseAlerts.size() == 0 ? null
                : (double) matching / (matching + falseAlerts.size());
        Double perDay = simulatedDuration == null || simulatedDuration.isZero() || simulatedDuration.isNegative()
                ? null
                : falseAlerts.size() / (simulatedDuration.toMillis() / 86_400_000.0);
        return new EvaluationReport(incidents.size(), detected, sorted.size(), matching, related, falseAlerts.size(),
                recall, precision, median, max, perDay, simulatedDuration, durationSource, results, falseAlerts);
    }

    static boolean inWindow(Instant t, TruthIncident inc) {
        return !t.isBefore(inc.start()) && !t.isAfter(inc.end().plus(GRACE));
    }

    static boolean matches(AlertSummary a, TruthIncident inc) {
        return a.dimension().equals(inc.dimension()) && a.key().equals(inc.key());
    }

    static boolean isAggregateOf(AlertSummary a, TruthIncident inc) {
        return switch (a.dimension()) {
            case "country" -> a.key().equals(inc.country());
            case "scope" -> a.key().equals("all") || a.key().equals(inc.scope());
            default -> false;
        };
    }

    public static List<TruthIncident> readTruth(Path file) throws IOException {
        List<TruthIncident> out = new ArrayList<>();
        forEachLine(file, (node, line) -> out.add(TruthIncident.fromJson(node)));
        return out;
    }

    /** Reads alert documents, keeping for each {@code alert.id} the last line that carries it. */
    public static List<AlertSummary> readAlerts(Path file) throws IOException {
        Map<String, AlertSummary> byId = new LinkedHashMap<>();
        forEachLine(file, (node, line) -> {
            AlertSummary a = AlertSummary.fromJson(node, line);
            byId.remove(a.id());
            byId.put(a.id(), a);
        });
        return new ArrayList<>(byId.values());
    }

    /** The {@code duration} (ISO-8601, e.g. {@code PT24H}) of a generator.json, or null when absent. */
    static Duration durationFromGeneratorJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        JsonNode n;
        try {
            n = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode d = n == null ? null : n.get("duration");
        if (d == null || !d.isTextual()) return null;
        try {
            return Duration.parse(d.asText());
        } catch (DateTimeParseException e) {
            throw new IOException(file + ": duration '" + d.asText() + "' is not an ISO-8601 duration", e);
        }
    }

    private static Duration span(List<TruthIncident> incidents, List<AlertSummary> alerts) {
        Instant min = null;
        Instant max = null;
        List<Instant> times = new ArrayList<>();
        for (TruthIncident i : incidents) {
            times.add(i.start());
            times.add(i.end());
        }
        for (AlertSummary a : alerts) times.add(a.timestamp());
        for (Instant t : times) {
            if (min == null || t.isBefore(min)) min = t;
            if (max == null || t.isAfter(max)) max = t;
        }
        return min == null ? null : Duration.between(min, max);
    }

    static int severityRank(String s) {
        return switch (s) {
            case "low" -> 0;
            case "medium" -> 1;
            case "high" -> 2;
            case "critical" -> 3;
            default -> 4;
        };
    }

    private interface LineConsumer {
        void accept(JsonNode node, int line);
    }

    private static void forEachLine(Path file, LineConsumer consumer) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) continue;
                try {
                    consumer.accept(MAPPER.readTree(text), line);
                } catch (JsonProcessingException e) {
                    throw new IOException(file + " line " + line + ": not valid JSON: " + e.getOriginalMessage(), e);
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new IOException(file + " line " + line + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
