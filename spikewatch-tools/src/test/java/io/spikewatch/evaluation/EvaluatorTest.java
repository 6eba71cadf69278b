package io.spikewatch.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
    @TempDir Path dir;

    // Named fixture times: a flood from a Brazilian IP and a domestic flash crowd.
    static final String FLOOD_START = "2026-11-02T13:05:00.000Z";
    static final String FLOOD_END = "2026-11-02T13:15:00.000Z";
    static final String CROWD_START = "2026-11-02T18:00:00.000Z";
    static final String CROWD_END = "2026-11-02T18:30:00.000Z";

    static final String TRUTH = String.join("\n",
            "{\"start\":\"" + FLOOD_START + "\",\"end\":\"" + FLOOD_END + "\",\"dimension\":\"ip\","
                    + "\"key\":\"203.0.113.7\",\"kind\":\"ip-flood\",\"country\":\"BR\",\"scope\":\"foreign\"}",
            "{\"start\":\"" + CROWD_START + "\",\"end\":\"" + CROWD_END + "\",\"dimension\":\"scope\","
                    + "\"key\":\"domestic\",\"kind\":\"flash-crowd\",\"country\":null,\"scope\":\"domestic\"}",
            "");

    static String alert(String id, String ts, String dimension, String key, String severity, String dataset) {
        return "{\"@timestamp\":\"" + ts + "\",\"alert\":{\"id\":\"" + id + "\",\"status\":\"open\",\"severity\":\""
                + severity + "\"},\"event\":{\"dataset\":\"" + dataset + "\"},\"dimension\":\"" + dimension
                + "\",\"key\":\"" + key + "\",\"source\":{\"geo\":{\"country_iso_code\":\"BR\"}},"
                + "\"window\":{\"start\":\"" + ts + "\",\"end\":\"" + ts + "\"},\"observed\":123,"
                + "\"baseline\":{\"mean\":1.2,\"stddev\":0.3},\"anomaly\":{\"score\":9.1,\"signal\":\"requests\"},"
                + "\"ratio\":4.2,\"peak\":456,\"first_seen\":\"" + ts + "\",\"last_seen\":\"" + ts + "\",\"evidence\":{}}";
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void matchingRelatedAndFalseAlertsAreScored() throws IOException {
        Path truth = write("truth.jsonl", TRUTH);
        Path alerts = write("alerts.jsonl",
                // Matches the flood, 21 s in, from WAF; ALB finds it later with another id.
                alert("a1", "2026-11-02T13:05:21.000Z", "ip", "203.0.113.7", "high", "aws.waf"),
                alert("a2", "2026-11-02T13:07:00.000Z", "ip", "203.0.113.7", "critical", "aws.elb"),
                // Aggregates containing the flood: related.
                alert("r1", "2026-11-02T13:06:00.000Z", "country", "BR", "medium", "aws.waf"),
                alert("r2", "2026-11-02T13:06:00.000Z", "scope", "foreign", "low", "aws.waf"),
                alert("r3", "2026-11-02T18:10:00.000Z", "scope", "all", "low", "aws.elb"),
                // Same key as the flood but long after it: false.
                alert("f1", "2026-11-02T15:00:00.000Z", "ip", "203.0.113.7", "high", "aws.waf"),
                // Other country during the flood: false.
                alert("f2", "2026-11-02T13:06:00.000Z", "country", "AR", "medium", "aws.waf"),
                // Matches the flash crowd, 90 s in.
                alert("c1", "2026-11-02T18:01:30.000Z", "scope", "domestic", "medium", "aws.elb"));
        EvaluationReport r = Evaluator.evaluate(truth, alerts, Duration.ofHours(24));

        assertThat(r.incidentCount()).isEqualTo(2);
        assertThat(r.detectedIncidents()).isEqualTo(2);
        assertThat(r.alertCount()).isEqualTo(8);
        assertThat(r.matchingAlerts()).isEqualTo(3);
        assertThat(r.relatedAlerts()).isEqualTo(3);
        assertThat(r.falseAlerts()).isEqualTo(2);
        assertThat(r.recall()).isEqualTo(1.0);
        assertThat(r.precision()).isEqualTo(3.0 / 5);
        assertThat(r.medianDelaySeconds()).isEqualTo((21 + 90) / 2.0);
        assertThat(r.maxDelaySeconds()).isEqualTo(90.0);
        assertThat(r.falseAlertsPerDay()).isEqualTo(2.0);
        assertThat(r.durationSource()).isEqualTo("argument");

        EvaluationReport.IncidentResult flood = r.incidents().get(0);
        assertThat(flood.detected()).isTrue();
        assertThat(flood.delaySeconds()).isEqualTo(21.0);
        assertThat(flood.matchingAlerts()).isEqualTo(2);
        assertThat(flood.severities()).containsExactly("high", "critical");
        assertThat(flood.datasets()).containsExactly("aws.elb", "aws.waf");
        assertThat(r.falseAlertList()).extracting(AlertSummary::id).containsExactly("f2", "f1");

        String text = r.render();
        assertThat(text).contains("recall    : 100.0% (2/2)").contains("precision : 60.0% (3/5)")
                .contains("median 56 s, max 90 s").contains("false/day : 2.00");
        assertThat(text).containsPattern("ip-flood +ip +203\\.0\\.113\\.7 +2026-11-02T13:05:00Z +yes +21 s +2  high,critical");

        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.get("recall").asDouble()).isEqualTo(1.0);
        assertThat(json.get("false_alerts").asInt()).isEqualTo(2);
        assertThat(json.get("per_incident").get(0).get("key").asText()).isEqualTo("203.0.113.7");
        assertThat(json.get("per_incident").get(0).get("delay_seconds").asDouble()).isEqualTo(21.0);
        assertThat(json.get("per_incident").get(1).get("country").isNull()).isTrue();
        assertThat(json.get("false_alert_list")).hasSize(2);
    }

    @Test
    void windowBoundariesAreInclusiveWithFiveMinutesGrace() throws IOException {
        Path truth = write("truth.jsonl", TRUTH);
        Path alerts = write("alerts.jsonl",
                alert("early", "2026-11-02T13:04:59.999Z", "ip", "203.0.113.7", "high", "aws.waf"),
                alert("atStart", FLOOD_START, "ip", "203.0.113.7", "high", "aws.waf"),
                alert("atGraceEnd", "2026-11-02T13:20:00.000Z", "ip", "203.0.113.7", "high", "aws.waf"),
                alert("late", "2026-11-02T13:20:00.001Z", "ip", "203.0.113.7", "high", "aws.waf"),
                // Related also needs the time window.
                alert("lateCountry", "2026-11-02T13:20:00.001Z", "country", "BR", "low", "aws.waf"));
        EvaluationReport r = Evaluator.evaluate(truth, alerts, Duration.ofDays(1));
        assertThat(r.matchingAlerts()).isEqualTo(2);
        assertThat(r.relatedAlerts()).isZero();
        assertThat(r.falseAlertList()).extracting(AlertSummary::id).containsExactly("early", "late", "lateCountry");
        assertThat(r.incidents().get(0).delaySeconds()).isZero();
        assertThat(r.incidents().get(1).detected()).isFalse();
        assertThat(r.incidents().get(1).delaySeconds()).isNull();
        assertThat(r.recall()).isEqualTo(0.5);
        assertThat(r.render()).containsPattern("flash-crowd +scope +domestic .* NO +- +0  -");
    }

    @Test
    void lastLineWinsForAnAlertId() throws IOException {
        Path truth = write("truth.jsonl", TRUTH);
        // The same alert first written with a key that would be false, then updated to the flood IP.
        Path alerts = write("alerts.jsonl",
                alert("x", "2026-11-02T13:06:00.000Z", "ip", "198.51.100.1", "low", "aws.waf"),
                alert("y", "2026-11-02T13:06:00.000Z", "ip", "198.51.100.2", "low", "aws.waf"),
                alert("x", "2026-11-02T13:06:00.000Z", "ip", "203.0.113.7", "critical", "aws.waf"));
        List<AlertSummary> read = Evaluator.readAlerts(alerts);
        assertThat(read).hasSize(2);
        assertThat(read).filteredOn(a -> a.id().equals("x")).singleElement()
                .satisfies(a -> {
                    assertThat(a.key()).isEqualTo("203.0.113.7");
                    assertThat(a.severity()).isEqualTo("critical");
                    assertThat(a.line()).isEqualTo(3);
                });
        EvaluationReport r = Evaluator.evaluate(truth, alerts, Duration.ofDays(1));
        assertThat(r.matchingAlerts()).isEqualTo(1);
        assertThat(r.falseAlerts()).isEqualTo(1);
        assertThat(r.incidents().get(0).severities()).containsExactly("critical");
    }

    @Test
    void noIncidentsGiveNotApplicableRecall() throws IOException {
        Path truth = write("truth.jsonl", "");
        Path alerts = write("alerts.jsonl",
                alert("f", "2026-11-02T10:00:00.000Z", "country", "CN", "medium", "aws.waf"));
        EvaluationReport r = Evaluator.evaluate(truth, alerts, Duration.ofHours(12));
        assertThat(r.recall()).isNull();
        assertThat(r.precision()).isEqualTo(0.0);
        assertThat(r.falseAlertsPerDay()).isEqualTo(2.0);
        assertThat(r.medianDelaySeconds()).isNull();
        assertThat(r.render()).contains("recall    : n/a").contains("(no incidents)").contains("median -, max -");
        assertThat(new ObjectMapper().readTree(r.toJson()).get("recall").isNull()).isTrue();

        EvaluationReport empty = Evaluator.evaluate(truth, write("none.jsonl", ""), Duration.ofHours(24));
        assertThat(empty.precision()).isNull();
        assertThat(empty.falseAlertsPerDay()).isEqualTo(0.0);
        assertThat(empty.render()).contains("precision : n/a");
    }

    @Test
    void durationComesFromGeneratorJsonThenFromTheTimeSpan() throws IOException {
        Path truth = write("truth.jsonl", TRUTH);
        Path alerts = write("alerts.jsonl",
                alert("f", "2026-11-02T12:00:00.000Z", "ip", "198.51.100.9", "low", "aws.waf"));
        EvaluationReport spanBased = Evaluator.evaluate(truth, alerts, null);
        // 12:00 (alert) .. 18:30 (crowd end) = 6.5 h
        assertThat(spanBased.simulatedDuration()).isEqualTo(Duration.ofMinutes(390));
        assertThat(spanBased.durationSource()).contains("time span");
        assertThat(spanBased.falseAlertsPerDay()).isEqualTo(24 / 6.5);

        write("generator.json", "{\"scenario\":\"mixed\",\"start\":\"2026-11-02T00:00:00Z\",\"duration\":\"PT48H\"}");
        EvaluationReport fromFile = Evaluator.evaluate(truth, alerts, null);
        assertThat(fromFile.simulatedDuration()).isEqualTo(Duration.ofHours(48));
        assertThat(fromFile.durationSource()).isEqualTo("generator.json");
        assertThat(fromFile.falseAlertsPerDay()).isEqualTo(0.5);

        write("generator.json", "{\"duration\":\"two days\"}");
        assertThatThrownBy(() -> Evaluator.evaluate(truth, alerts, null))
                .isInstanceOf(IOException.class).hasMessageContaining("generator.json").hasMessageContaining("two days");
    }

    @Test
    void malformedLinesAreReportedWithTheirLineNumber() throws IOException {
        String good = alert("a", "2026-11-02T13:06:00.000Z", "ip", "203.0.113.7", "low", "aws.waf");
        Path truth = write("truth.jsonl", TRUTH);
        List<String[]> cases = List.of(
                new String[] {"{\"alert\":{\"id\":", "not valid JSON"},
                new String[] {"[1,2]", "not a JSON object"},
                new String[] {good.replace("\"@timestamp\"", "\"ts\""), "missing field '@timestamp'"},
                new String[] {good.replace("2026-11-02T13:06:00.000Z\",\"alert", "yesterday\",\"alert"), "not an ISO-8601 time"},
                new String[] {good.replace("\"id\":\"a\"", "\"name\":\"a\""), "missing field 'alert.id'"},
                new String[] {good + " " + good, "not valid JSON"},
                new String[] {good.replace("\"key\":\"203.0.113.7\"", "\"key\":{\"ip\":1}"), "field 'key' is not a string"});
        for (String[] c : cases) {
            Path alerts = write("alerts.jsonl", good, "", c[0], good);
            assertThatThrownBy(() -> Evaluator.evaluate(truth, alerts, Duration.ofDays(1)))
                    .as(c[0])
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("alerts.jsonl line 3")
                    .hasMessageContaining(c[1]);
        }
        Path badTruth = write("bad-truth.jsonl", TRUTH.strip(),
                "{\"start\":\"2026-11-02T13:05:00.000Z\",\"end\":\"2026-11-02T13:00:00.000Z\",\"dimension\":\"ip\",\"key\":\"x\"}");
        assertThatThrownBy(() -> Evaluator.readTruth(badTruth))
                .isInstanceOf(IOException.class).hasMessageContaining("line 3").hasMessageContaining("before start");
    }

    @Test
    void keysAreEscapedAndCappedInTheTextTable() {
        String evil = "\u001b[31mred\u0000" + "x".repeat(100);
        TruthIncident inc = new TruthIncident(Instant.parse(FLOOD_START), Instant.parse(FLOOD_END),
                "ip", evil, "scanner", "BR", "foreign");
        List<AlertSummary> alerts = new ArrayList<>();
        alerts.add(new AlertSummary("id\nnewline", Instant.parse("2026-11-02T20:00:00Z"), "ip", "k\u202Eevil\tkey",
                "aws.waf", "high", "open", "requests", 1));
        EvaluationReport r = Evaluator.evaluate(List.of(inc), alerts, Duration.ofDays(1), "argument");
        String text = r.render();
        assertThat(text).doesNotContain("\u001b").doesNotContain("\u0000").doesNotContain("\u202E").doesNotContain("\t");
        assertThat(text).contains("?[31mred?" + "x".repeat(45 - 9 - 3) + "...");
        assertThat(text).contains("k?evil?key").contains("id?newline");
        // Every line of the incident table has the same width up to the SEVERITIES column.
        assertThat(text.lines().filter(l -> l.startsWith("scanner")).findFirst().orElseThrow())
                .startsWith("scanner        ip       ?[31mred?");
        assertThat(EvaluationReport.printable("x".repeat(45), 45)).hasSize(45).doesNotContain("...");
        assertThat(EvaluationReport.printable("\uD83D\uDE00ok", 45)).isEqualTo("\uD83D\uDE00ok");
    }

    @Test
    void anAlertMatchingTwoIncidentsCountsOnce() {
        TruthIncident a = new TruthIncident(Instant.parse("2026-11-02T10:00:00Z"), Instant.parse("2026-11-02T10:10:00Z"),
                "ip", "192.0.2.1", "ip-flood", "US", "domestic");
        TruthIncident b = new TruthIncident(Instant.parse("2026-11-02T10:05:00Z"), Instant.parse("2026-11-02T10:20:00Z"),
                "ip", "192.0.2.1", "scanner", "US", "domestic");
        AlertSummary alert = new AlertSummary("1", Instant.parse("2026-11-02T10:06:00Z"), "ip", "192.0.2.1",
                "aws.waf", "high", "open", "requests", 1);
        EvaluationReport r = Evaluator.evaluate(List.of(a, b), List.of(alert), Duration.ofDays(1), "argument");
        assertThat(r.matchingAlerts()).isEqualTo(1);
        assertThat(r.recall()).isEqualTo(1.0);
        assertThat(r.incidents()).allMatch(EvaluationReport.IncidentResult::detected);
        assertThat(r.incidents().get(1).delaySeconds()).isEqualTo(60.0);
    }

    @Test
    void truthRoundTripsThroughJson() {
        ObjectMapper m = new ObjectMapper();
        TruthIncident inc = new TruthIncident(Instant.parse("2026-11-02T13:05:00Z"), Instant.parse("2026-11-02T13:35:00Z"),
                "country", "VN", "country-surge", "VN", "foreign");
        String line = inc.toJson(m).toString();
        assertThat(line).isEqualTo("{\"start\":\"2026-11-02T13:05:00.000Z\",\"end\":\"2026-11-02T13:35:00.000Z\","
                + "\"dimension\":\"country\",\"key\":\"VN\",\"kind\":\"country-surge\",\"country\":\"VN\",\"scope\":\"foreign\"}");
        assertThat(TruthIncident.fromJson(m.valueToTree(inc.toJson(m)))).isEqualTo(inc);
    }
}
