package io.spikewatch.analyst;

import io.spikewatch.records.Evidence;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DocumentJson;
import io.spikewatch.records.RateDocument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a replay folder from output documents rendered by the job's own {@link DocumentJson},
 * so the analyst tools are tested against the real document shapes.
 */
public final class OutputFixture {
    public final List<String> rates = new ArrayList<>();
    public final List<String> alerts = new ArrayList<>();
    public final List<String> deadLetters = new ArrayList<>();

    public OutputFixture rate(String dataset, String dimension, String key, Instant windowStart, long total, long blocked,
                              long status4xx, long status5xx) {
        RateDocument r = new RateDocument();
        r.windowStart = windowStart.toEpochMilli();
        r.windowEnd = r.windowStart + 60_000;
        r.dataset = dataset;
        r.dimension = dimension;
        r.key = key;
        r.sourceIp = "ip".equals(dimension) ? key : null;
        r.country = "country".equals(dimension) ? key : "ip".equals(dimension) ? "CN" : null;
        r.total = total;
        r.blocked = blocked;
        r.status4xx = status4xx;
        r.status5xx = status5xx;
        r.uniqueIps = 1;
        rates.add(DocumentJson.rate(r));
        return this;
    }

    /** An alert document; the evidence holds {@code evidenceRequests} requests of which {@code blocked} blocked. */
    public static AlertDocument alert(String id, String dimension, String key, String signal, String severity,
                                      Instant firstSeen, Instant lastSeen, long evidenceRequests, long blocked) {
        AlertDocument a = new AlertDocument();
        a.alertId = id;
        a.status = "resolved";
        a.severity = severity;
        a.change = AlertDocument.CHANGE_RESOLVE;
        a.timestamp = firstSeen.toEpochMilli();
        a.dataset = "aws.waf";
        a.dimension = dimension;
        a.key = key;
        a.sourceIp = "ip".equals(dimension) ? key : null;
        a.country = "NL";
        a.signal = signal;
        a.windowStart = lastSeen.toEpochMilli() / 60_000 * 60_000;
        a.windowEnd = a.windowStart + 60_000;
        a.observed = 250;
        a.threshold = 100;
        a.peak = 300;
        a.firstSeen = firstSeen.toEpochMilli();
        a.lastSeen = lastSeen.toEpochMilli();
        a.spikeWindows = 2;
        Evidence e = Evidence.empty();
        e.requests = evidenceRequests;
        e.blocked = blocked;
        e.uris.add("/login", evidenceRequests);
        e.userAgents.add("curl/8.0", evidenceRequests);
        e.rules.add("RateLimitRule", blocked);
        e.sampleRequestIds[e.sampleCount++] = "req-1";
        a.evidence = e;
        return a;
    }

    public OutputFixture alert(AlertDocument a) {
        alerts.add(DocumentJson.alert(a));
        return this;
    }

    public OutputFixture deadLetter(String reason, String raw, Instant at) {
        deadLetters.add(DocumentJson.deadLetter(DeadLetter.of(io.spikewatch.records.DeadLetterReason.valueOf(reason),
                "detail of " + raw, "waf", "stream-a", raw, at.toEpochMilli())));
        return this;
    }

    public Path writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("rates.jsonl"), rates, StandardCharsets.UTF_8);
        Files.write(folder.resolve("alerts.jsonl"), alerts, StandardCharsets.UTF_8);
        Files.write(folder.resolve("deadletter.jsonl"), deadLetters, StandardCharsets.UTF_8);
        return folder;
    }
}
