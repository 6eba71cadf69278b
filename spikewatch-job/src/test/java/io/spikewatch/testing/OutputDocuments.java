package io.spikewatch.testing;

import io.spikewatch.records.DocumentIds;
import io.spikewatch.records.Evidence;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.RateDocument;

/** Fully populated output documents for sink and index tests (every field the contract renders). */
public final class OutputDocuments {
    private OutputDocuments() {}

    public static RateDocument ipRate(String ip, String country, long windowStart, long total) {
        RateDocument r = new RateDocument();
        r.windowStart = windowStart;
        r.windowEnd = windowStart + 60_000;
        r.dataset = "aws.waf";
        r.dimension = "ip";
        r.key = ip;
        r.sourceIp = ip;
        r.country = country;
        r.total = total;
        r.blocked = total / 2;
        r.status4xx = total / 3;
        r.status5xx = 1;
        r.uniqueIps = 1;
        r.baselineMean = 12.25;
        r.baselineStddev = 3.5;
        r.anomalyScore = 42.125;
        r.isSpike = total > 100;
        return r;
    }

    public static RateDocument countryRate(String country, long windowStart, long total) {
        RateDocument r = ipRate(null, country, windowStart, total);
        r.dimension = "country";
        r.key = country;
        r.uniqueIps = 377;
        return r;
    }

    public static AlertDocument alert(String ip, String country, long firstDetection) {
        AlertDocument a = new AlertDocument();
        a.timestamp = firstDetection;
        a.dataset = "aws.waf";
        a.dimension = "ip";
        a.key = ip;
        a.sourceIp = ip;
        a.country = country;
        a.signal = "requests";
        a.alertId = DocumentIds.alertId(a.dataset, a.dimension, a.key, a.signal, firstDetection - firstDetection % 60_000);
        a.status = "open";
        a.severity = "high";
        a.change = AlertDocument.CHANGE_OPEN;
        a.windowStart = firstDetection - firstDetection % 60_000;
        a.windowEnd = a.windowStart + 60_000;
        a.observed = 3120;
        a.threshold = 300;
        a.baselineMean = 0;
        a.baselineStddev = 0;
        a.anomalyScore = 0;
        a.ratio = 10.4;
        a.peak = 3310;
        a.firstSeen = firstDetection;
        a.lastSeen = firstDetection + 540_000;
        a.spikeWindows = 9;
        Evidence e = Evidence.empty();
        e.requests = 27801;
        e.blocked = 26650;
        e.clientErrors = 26650;
        for (int i = 0; i < 3; i++) e.uris.add("/login");
        e.uris.add("/wp-admin/ünïcode?q=' OR 1=1 --");
        e.userAgents.add("curl/8.4.0");
        e.rules.add("RateLimitRule");
        e.sampleRequestIds[0] = "req-1";
        e.sampleRequestIds[1] = "req-2";
        e.sampleCount = 2;
        a.evidence = e;
        return a;
    }

    public static DeadLetter deadLetter(String stream, String raw, long timestamp) {
        return DeadLetter.of(DeadLetterReason.WAF_INVALID_JSON, "unexpected end of input at 17", "waf", stream, raw, timestamp);
    }
}
