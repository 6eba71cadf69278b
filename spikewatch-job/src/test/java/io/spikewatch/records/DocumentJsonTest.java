package io.spikewatch.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.detection.Dimension;
import io.spikewatch.records.Evidence;
import io.spikewatch.detection.Observation;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    @Test
    void rateDocumentHasTheContractFields() throws Exception {
        RateDocument r = new RateDocument();
        r.windowStart = T0;
        r.windowEnd = T0 + 60_000;
        r.dataset = "aws.waf";
        r.dimension = "ip";
        r.key = "2001:db8::1";
        r.sourceIp = "2001:db8::1";
        r.country = "DE";
        r.total = 10;
        r.blocked = 2;
        r.status4xx = 3;
        r.status5xx = 1;
        r.uniqueIps = 1;
        r.baselineMean = 1.23456;
        r.baselineStddev = 0.5;
        r.anomalyScore = 4.2;
        JsonNode n = JSON.readTree(DocumentJson.rate(r));
        assertThat(n.path("@timestamp").asText()).isEqualTo("2026-11-02T10:00:00.000Z");
        assertThat(n.path("window").path("end").asText()).isEqualTo("2026-11-02T10:01:00.000Z");
        assertThat(n.path("event").path("dataset").asText()).isEqualTo("aws.waf");
        assertThat(n.path("source").path("ip").asText()).isEqualTo("2001:db8::1");
        assertThat(n.path("source").path("geo").path("country_iso_code").asText()).isEqualTo("DE");
        assertThat(n.path("requests").path("total").asLong()).isEqualTo(10);
        assertThat(n.path("requests").path("blocked").asLong()).isEqualTo(2);
        assertThat(n.path("http").path("status_4xx").asLong()).isEqualTo(3);
        assertThat(n.path("http").path("status_5xx").asLong()).isEqualTo(1);
        assertThat(n.path("unique_ips").asLong()).isEqualTo(1);
        assertThat(n.path("baseline").path("mean").asDouble()).isEqualTo(1.235);
        assertThat(n.path("anomaly").path("is_spike").asBoolean()).isFalse();
        assertThat(DocumentJson.rateId(r)).hasSize(32).isEqualTo(DocumentJson.rateId(r));
    }

    @Test
    void attackerControlledEvidenceIsEscapedIntoValidJson() throws Exception {
        AlertDocument a = new AlertDocument();
        a.alertId = "x";
        a.status = "open";
        a.severity = "high";
        a.change = "open";
        a.dataset = "aws.waf";
        a.dimension = "ip";
        a.key = "203.0.113.9";
        a.signal = "requests";
        a.evidence = Evidence.empty();
        String nasty = "/\"}],\"alert\":{\"severity\":\"low\"}\u0000\n<script>\u202E";
        AccessEvent e = new AccessEvent();
        e.uri = nasty;
        e.userAgent = "ua";
        e.requestId = "r1";
        e.clientIp = "203.0.113.9";
        Observation.ofEvent(Dimension.IP, e.clientIp, e).addTo(a.evidence);
        JsonNode n = JSON.readTree(DocumentJson.alert(a));
        assertThat(n.path("alert").path("severity").asText()).isEqualTo("high");
        assertThat(n.path("evidence").path("top_uris").get(0).path("value").asText()).isEqualTo(nasty);
        assertThat(n.path("evidence").path("sample_request_ids").get(0).asText()).isEqualTo("r1");
    }

    @Test
    void deadLetterExcerptIsCapped() throws Exception {
        DeadLetter d = DeadLetter.of(DeadLetterReason.WAF_INVALID_JSON, "truncated", "waf", "s", "x".repeat(5000), T0);
        JsonNode n = JSON.readTree(DocumentJson.deadLetter(d));
        assertThat(n.path("raw_excerpt").asText()).hasSize(DeadLetter.MAX_EXCERPT_CHARS);
        assertThat(n.path("reason").asText()).isEqualTo("waf_invalid_json");
    }

    @Test
    void deadLetterDetailQuotingInputIsCappedToo() {
        DeadLetter d = DeadLetter.of(DeadLetterReason.WAF_INVALID_FIELD, "timestamp out of range: " + "9".repeat(100_000),
                "waf", "s", "{}", T0);
        assertThat(d.detail).hasSize(DeadLetter.MAX_EXCERPT_CHARS).startsWith("timestamp out of range: 999");
    }
}
