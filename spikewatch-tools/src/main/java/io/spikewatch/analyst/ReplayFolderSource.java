package io.spikewatch.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The documents of a {@code replay --output DIR} folder ({@code rates.jsonl}, {@code alerts.jsonl},
 * {@code deadletter.jsonl}; a missing file reads as empty). Each file is parsed once and kept in
 * memory. {@code alerts.jsonl} holds one line per change of an incident (open, update, escalation,
 * resolve); like the alerts index, where each change overwrites the incident's document, only the
 * last line of each {@code alert.id} is kept. Lines that are not JSON objects are skipped and counted.
 */
public final class ReplayFolderSource implements DocumentSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final Map<OutputKind, List<OutputRow>> loaded = new EnumMap<>(OutputKind.class);
    private long skippedLines;

    public ReplayFolderSource(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("--input " + folder + " is not a folder (expected the output of 'replay --output DIR')");
        }
        boolean any = false;
        for (OutputKind k : OutputKind.values()) any |= Files.isRegularFile(folder.resolve(k.fileName()));
        if (!any) throw new IOException("--input " + folder + " holds none of rates.jsonl, alerts.jsonl, deadletter.jsonl");
        this.folder = folder;
    }

    @Override
    public void scan(DocumentFilter filter, Consumer<OutputRow> each) throws IOException {
        for (OutputRow row : rows(filter.kind())) {
            if (filter.matches(row)) each.accept(row);
        }
    }

    @Override
    public Instant referenceTime() throws IOException {
        long newest = Long.MIN_VALUE;
        for (OutputKind k : OutputKind.values()) {
            for (OutputRow r : rows(k)) newest = Math.max(newest, r.endMillis());
        }
        if (newest == Long.MIN_VALUE) throw new IOException(folder + " holds no documents");
        return Instant.ofEpochMilli(newest);
    }

    @Override
    public String describe() {
        return folder.toString();
    }

    /** Lines that were not JSON objects, over the files read so far. */
    public long skippedLines() {
        return skippedLines;
    }

    private List<OutputRow> rows(OutputKind kind) throws IOException {
        List<OutputRow> rows = loaded.get(kind);
        if (rows != null) return rows;
        Path file = folder.resolve(kind.fileName());
        Map<String, OutputRow> alertsById = kind == OutputKind.ALERTS ? new LinkedHashMap<>() : null;
        rows = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) continue;
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (IOException e) {
                        skippedLines++;
                        continue;
                    }
                    if (n == null || !n.isObject()) {
                        skippedLines++;
                        continue;
                    }
                    OutputRow row = kind.parse(n);
                    if (row.startMillis() == Long.MIN_VALUE) {
                        skippedLines++;
                    } else if (alertsById != null) {
                        String id = ((AlertRow) row).id();
                        alertsById.remove(id);
                        alertsById.put(id == null ? "line-" + rows.size() + "-" + alertsById.size() : id, row);
                    } else {
                        rows.add(row);
                    }
                }
            }
        }
        if (alertsById != null) rows.addAll(alertsById.values());
        loaded.put(kind, rows);
        return rows;
    }
}
