package io.spikewatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay produced, read back from its output files: events per source (the {@code scope=all}
 * rate documents count every parsed event once), dead letters by reason, alerts by severity.
 * Reading the outputs rather than counting inside the job means the summary describes exactly what
 * was written.
 */
public record ReplaySummary(Map<String, Long> eventsByDataset, Map<String, Long> deadLettersByReason,
                            Map<String, Long> alertsBySeverity, long rateDocuments, long alerts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ReplaySummary read(Path rates, Path alerts, Path deadLetters) throws IOException {
        Map<String, Long> events = new TreeMap<>();
        long[] rateDocs = {0};
        forEachLine(rates, n -> {
            rateDocs[0]++;
            if ("scope".equals(n.path("dimension").asText()) && "all".equals(n.path("key").asText())) {
                events.merge(n.path("event").path("dataset").asText(), n.path("requests").path("total").asLong(), Long::sum);
            }
        });
        Map<String, Long> reasons = new TreeMap<>();
        forEachLine(deadLetters, n -> reasons.merge(n.path("reason").asText(), 1L, Long::sum));
        Map<String, Long> severities = new LinkedHashMap<>();
        for (String s : List.of("critical", "high", "medium", "low")) severities.put(s, 0L);
        long[] alertCount = {0};
        forEachLine(alerts, n -> {
            alertCount[0]++;
            severities.merge(n.path("alert").path("severity").asText(), 1L, Long::sum);
        });
        return new ReplaySummary(events, reasons, severities, rateDocs[0], alertCount[0]);
    }

    /**
     * Rewrites an alerts file keeping only the last version of each alert id (the state an index
     * would hold after the same updates), ordered by first detection time.
     */
    public static void compactAlerts(Path alerts) throws IOException {
        if (!Files.exists(alerts)) return;
        Map<String, String> latest = new LinkedHashMap<>();
        Map<String, String> firstSeen = new LinkedHashMap<>();
        forEachRawLine(alerts, line -> {
            JsonNode n = parse(line);
            String id = n.path("alert").path("id").asText();
            latest.put(id, line);
            firstSeen.putIfAbsent(id, n.path("@timestamp").asText());
        });
        List<String> ids = new ArrayList<>(latest.keySet());
        ids.sort(Comparator.comparing((String id) -> firstSeen.get(id)).thenComparing(id -> id));
        Path tmp = alerts.resolveSibling(alerts.getFileName() + ".tmp");
        try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String id : ids) {
                w.write(latest.get(id));
                w.write('\n');
            }
        }
        Files.move(tmp, alerts, StandardCopyOption.REPLACE_EXISTING);
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("events read:");
        if (eventsByDataset.isEmpty()) b.append(" none");
        eventsByDataset.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        b.append('\n').append("dead letters:");
        if (deadLettersByReason.isEmpty()) b.append(" none");
        deadLettersByReason.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        b.append('\n').append("alerts: ").append(alerts).append(" (");
        List<String> parts = new ArrayList<>();
        alertsBySeverity.forEach((k, v) -> parts.add(k + "=" + v));
        b.append(String.join(", ", parts)).append(")\n");
        b.append("rate documents: ").append(rateDocuments).append('\n');
        return b.toString();
    }

    private interface LineAction {
        void accept(String line) throws IOException;
    }

    private interface NodeAction {
        void accept(JsonNode node);
    }

    private static void forEachLine(Path file, NodeAction action) throws IOException {
        forEachRawLine(file, line -> action.accept(parse(line)));
    }

    private static void forEachRawLine(Path file, LineAction action) throws IOException {
        if (!Files.exists(file)) return;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) action.accept(line);
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable JSON line in replay output", e);
        }
    }
}
