package io.spikewatch.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Renders the output documents to the JSON of the output contract (ECS-style nested names, times
 * as ISO-8601 UTC with milliseconds). The same JSON goes to OpenSearch, to the replay files and into
 * SNS messages, so there is exactly one place that defines it.
 *
 * <p>Strings are escaped by the JSON generator; anything attacker-controlled has already been capped
 * where it entered ({@link DeadLetter#excerpt}, {@link Evidence#cap}).
 */
public final class DocumentJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int TOP_N = 5;

    private DocumentJson() {}

    public static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String rateId(RateDocument r) {
        return DocumentIds.rateId(r.dataset, r.dimension, r.key, r.windowStart);
    }

    /** Hash of (stream, timestamp, reason, excerpt): see {@link DocumentIds#deadLetterId}. */
    public static String deadLetterId(DeadLetter d) {
        return DocumentIds.deadLetterId(d.stream, d.timestamp, d.reason, d.rawExcerpt);
    }

    public static String rate(RateDocument r) {
        return render(g -> {
            g.writeStringField("@timestamp", time(r.windowStart));
            g.writeObjectFieldStart("window");
            g.writeStringField("start", time(r.windowStart));
            g.writeStringField("end", time(r.windowEnd));
            g.writeEndObject();
            g.writeObjectFieldStart("event");
            g.writeStringField("dataset", r.dataset);
            g.writeEndObject();
            g.writeStringField("dimension", r.dimension);
            g.writeStringField("key", r.key);
            writeSource(g, r.sourceIp, r.country);
            g.writeObjectFieldStart("requests");
            g.writeNumberField("total", r.total);
            g.writeNumberField("blocked", r.blocked);
            g.writeEndObject();
            g.writeObjectFieldStart("http");
            g.writeNumberField("status_4xx", r.status4xx);
            g.writeNumberField("status_5xx", r.status5xx);
            g.writeEndObject();
            g.writeNumberField("unique_ips", r.uniqueIps);
            g.writeObjectFieldStart("baseline");
            g.writeNumberField("mean", round(r.baselineMean));
            g.writeNumberField("stddev", round(r.baselineStddev));
            g.writeEndObject();
            g.writeObjectFieldStart("anomaly");
            g.writeNumberField("score", round(r.anomalyScore));
            g.writeBooleanField("is_spike", r.isSpike);
            g.writeEndObject();
        });
    }

    public static String alert(AlertDocument a) {
        return render(g -> {
            g.writeStringField("@timestamp", time(a.timestamp));
            g.writeObjectFieldStart("alert");
            g.writeStringField("id", a.alertId);
            g.writeStringField("status", a.status);
            g.writeStringField("severity", a.severity);
            g.writeStringField("change", a.change);
            g.writeEndObject();
            g.writeObjectFieldStart("event");
            g.writeStringField("dataset", a.dataset);
            g.writeEndObject();
            g.writeStringField("dimension", a.dimension);
            g.writeStringField("key", a.key);
            writeSource(g, a.sourceIp, a.country);
            g.writeObjectFieldStart("window");
            g.writeStringField("start", time(a.windowStart));
            g.writeStringField("end", time(a.windowEnd));
            g.writeEndObject();
            g.writeNumberField("observed", a.observed);
            g.writeNumberField("threshold", round(a.threshold));
            g.writeObjectFieldStart("baseline");
            g.writeNumberField("mean", round(a.baselineMean));
            g.writeNumberField("stddev", round(a.baselineStddev));
            g.writeEndObject();
            g.writeObjectFieldStart("anomaly");
            g.writeNumberField("score", round(a.anomalyScore));
            g.writeStringField("signal", a.signal);
            g.writeEndObject();
            g.writeNumberField("ratio", round(a.ratio));
            g.writeNumberField("peak", a.peak);
            g.writeStringField("first_seen", time(a.firstSeen));
            g.writeStringField("last_seen", time(a.lastSeen));
            g.writeNumberField("spike_windows", a.spikeWindows);
            if (a.evidence != null) writeEvidence(g, a.evidence);
        });
    }

    public static String deadLetter(DeadLetter d) {
        return render(g -> {
            g.writeStringField("@timestamp", time(d.timestamp));
            g.writeStringField("reason", d.reason);
            g.writeStringField("detail", d.detail);
            g.writeStringField("source", d.source);
            g.writeStringField("stream", d.stream);
            g.writeStringField("raw_excerpt", d.rawExcerpt);
        });
    }

    private static void writeSource(JsonGenerator g, String ip, String country) throws IOException {
        if (ip == null && country == null) return;
        g.writeObjectFieldStart("source");
        if (ip != null) g.writeStringField("ip", ip);
        if (country != null) {
            g.writeObjectFieldStart("geo");
            g.writeStringField("country_iso_code", country);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeEvidence(JsonGenerator g, Evidence e) throws IOException {
        g.writeObjectFieldStart("evidence");
        g.writeNumberField("requests", e.requests);
        g.writeNumberField("blocked", e.blocked);
        g.writeNumberField("blocked_share", round(e.blockedShare()));
        g.writeNumberField("client_errors", e.clientErrors);
        writeTop(g, "top_uris", e.uris);
        writeTop(g, "top_user_agents", e.userAgents);
        writeTop(g, "top_rules", e.rules);
        g.writeArrayFieldStart("sample_request_ids");
        for (int i = 0; i < e.sampleCount; i++) g.writeString(e.sampleRequestIds[i]);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeTop(JsonGenerator g, String name, TopCounts t) throws IOException {
        g.writeArrayFieldStart(name);
        if (t != null) {
            for (TopCounts.Entry entry : t.top(TOP_N)) {
                g.writeStartObject();
                g.writeStringField("value", Evidence.cap(entry.value()));
                g.writeNumberField("count", entry.count());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private static double round(double v) {
        if (!Double.isFinite(v)) return 0;
        return Math.round(v * 1000.0) / 1000.0;
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String render(Body body) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rendering a document to a string cannot fail", e);
        }
        return w.toString();
    }
}
