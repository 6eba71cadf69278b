package io.spikewatch.connectors.sns;

import io.spikewatch.detection.Dimension;
import io.spikewatch.records.Evidence;
import io.spikewatch.detection.Observation;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;

import java.time.Instant;

/** Alert documents as the detector emits them, for the SNS sink's tests. */
final class SnsTestAlerts {
    static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:spikewatch-alerts";
    static final String FIFO_TOPIC = "arn:aws:sns:us-east-1:123456789012:spikewatch-alerts.fifo";

    private SnsTestAlerts() {}

    /** An IP flood on WAF: {@code id} identifies the incident, {@code change} the emission. */
    static AlertDocument ipAlert(String id, String change, String severity, String ip, String country) {
        AlertDocument a = new AlertDocument();
        a.alertId = id;
        a.status = AlertDocument.CHANGE_RESOLVE.equals(change) ? "resolved" : "open";
        a.severity = severity;
        a.change = change;
        a.timestamp = T0;
        a.dataset = "aws.waf";
        a.dimension = "ip";
        a.key = ip;
        a.sourceIp = ip;
        a.country = country;
        a.signal = "requests";
        a.windowStart = T0;
        a.windowEnd = T0 + 60_000;
        a.observed = 4200;
        a.threshold = 300;
        a.baselineMean = 12.5;
        a.baselineStddev = 3.1;
        a.anomalyScore = 41.7;
        a.ratio = 14;
        a.peak = 4200;
        a.firstSeen = T0;
        a.lastSeen = T0 + 59_000;
        a.spikeWindows = 1;
        a.evidence = Evidence.empty();
        AccessEvent e = new AccessEvent();
        e.uri = "/login";
        e.userAgent = "curl/8.0";
        e.terminatingRule = "RateLimit";
        e.requestId = "req-" + id;
        e.clientIp = "203.0.113.9";
        Observation.ofEvent(Dimension.IP, e.clientIp, e).addTo(a.evidence);
        return a;
    }

    /** A scope-level surge (no IP, no country) on ALB 4xx. */
    static AlertDocument scopeAlert(String id, String change, String severity) {
        AlertDocument a = ipAlert(id, change, severity, "foreign", null);
        a.dataset = "aws.elb";
        a.dimension = "scope";
        a.sourceIp = null;
        a.signal = "client_errors";
        return a;
    }
}
