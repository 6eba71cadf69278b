package io.spikewatch.workflows;

import io.spikewatch.config.ConfigLoader;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.RateDocument;
import io.spikewatch.records.RawRecord;
import io.spikewatch.testing.CollectingSink;
import io.spikewatch.testing.TestLogLines;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole graph at parallelism 2 on a MiniCluster, with bounded in-memory input and collecting
 * sinks: a single-IP flood in the WAF log among steady background traffic, the same background in
 * the ALB log, and a few malformed records.
 */
class SpikewatchWorkflowTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final String ATTACKER = "203.0.113.9";

    @BeforeEach
    void clear() {
        CollectingSink.clearAll();
    }

    @Test
    void floodIsAlertedOnceAndEveryEventIsCountedOrDeadLettered() throws Exception {
        List<RawRecord> input = new ArrayList<>();
        long wafEvents = 0;
        long albEvents = 0;
        for (int m = 0; m < 15; m++) {
            for (int s = 0; s < 60; s += 2) {
                long ts = T0 + m * MINUTE + s * 1000L;
                StringBuilder wafBatch = new StringBuilder();
                for (int ip = 1; ip <= 20; ip++) {
                    wafBatch.append(TestLogLines.waf(ts + ip, "198.51.100." + ip, ip % 4 == 0 ? "CN" : "US",
                            "ALLOW", "/p" + ip, "r-" + ts + "-" + ip)).append('\n');
                    wafEvents++;
                    input.add(RawRecord.ofText("alb-stream", TestLogLines.alb(ts + ip, "198.51.100." + ip, 200, "/"), ts));
                    albEvents++;
                }
                if (m == 10) {
                    for (int k = 0; k < 40; k++) {
                        wafBatch.append(TestLogLines.waf(ts + 100 + k, ATTACKER, "RU", "BLOCK", "/login",
                                "flood-" + ts + "-" + k)).append('\n');
                        wafEvents++;
                    }
                }
                // Kinesis-style record with many lines, as bytes.
                input.add(new RawRecord("waf-stream", wafBatch.toString().getBytes(StandardCharsets.UTF_8), ts));
            }
        }
        input.add(RawRecord.ofText("waf-stream", "this is not a log line", T0));
        input.add(RawRecord.ofText("waf-stream", "{\"timestamp\": 17", T0));
        input.add(new RawRecord("alb-stream", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, T0));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SpikewatchConfig config = ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false"));
        SpikewatchWorkflow.define(env.fromData(input), config,
                new CollectingSink<RateDocument>("rates"), new CollectingSink<AlertDocument>("alerts"),
                new CollectingSink<DeadLetter>("dead"));
        env.execute("workflow test");

        List<AlertDocument> alerts = CollectingSink.values("alerts");
        List<AlertDocument> opened = alerts.stream().filter(a -> a.change.equals(AlertDocument.CHANGE_OPEN)).toList();
        assertThat(opened).extracting(a -> a.dataset + " " + a.dimension + " " + a.key)
                .contains("aws.waf ip " + ATTACKER)
                .noneMatch(k -> k.contains("198.51.100."));
        AlertDocument flood = opened.stream().filter(a -> a.key.equals(ATTACKER)).findFirst().orElseThrow();
        assertThat(flood.timestamp).isBetween(T0 + 10 * MINUTE, T0 + 10 * MINUTE + 30_000);
        assertThat(flood.evidence.blocked).isPositive();
        assertThat(alerts).filteredOn(a -> a.alertId.equals(flood.alertId))
                .extracting(a -> a.change).endsWith(AlertDocument.CHANGE_RESOLVE);

        List<RateDocument> rates = CollectingSink.values("rates");
        long wafCounted = rates.stream().filter(r -> r.dataset.equals("aws.waf") && r.dimension.equals("scope")
                && r.key.equals("all")).mapToLong(r -> r.total).sum();
        long albCounted = rates.stream().filter(r -> r.dataset.equals("aws.elb") && r.dimension.equals("scope")
                && r.key.equals("all")).mapToLong(r -> r.total).sum();
        assertThat(wafCounted).isEqualTo(wafEvents);
        assertThat(albCounted).isEqualTo(albEvents);
        // ALB ran without geolocation: no country keys, everything foreign.
        assertThat(rates).filteredOn(r -> r.dataset.equals("aws.elb")).noneMatch(r -> r.dimension.equals("country"));

        List<DeadLetter> dead = CollectingSink.values("dead");
        assertThat(dead).extracting(d -> d.reason)
                .containsExactlyInAnyOrder("unknown_format", "waf_invalid_json", "corrupt_gzip");
    }
    @Test
    void oneRecordMonthsAheadIsADeadLetterAndEveryCorrectEventAfterItIsStillCounted() throws Exception {
        // A replay of November's logs a year later (read times far after the events), with one line
        // whose timestamp digits flipped 90 days forward (still before the read time) and one 90 days back.
        long read = T0 + 365L * 24 * 60 * MINUTE;
        List<RawRecord> input = new ArrayList<>();
        long events = 0;
        for (int m = 0; m < 10; m++) {
            for (int s = 0; s < 60; s += 2) {
                long ts = T0 + m * MINUTE + s * 1000L;
                for (int ip = 1; ip <= 10; ip++) {
                    input.add(RawRecord.ofText("replay", TestLogLines.waf(ts + ip, "198.51.100." + ip, "US",
                            "ALLOW", "/", "r-" + ts + "-" + ip), read));
                    events++;
                }
                if (m == 3 && s == 0) {
                    input.add(RawRecord.ofText("replay", TestLogLines.waf(ts + 90L * 24 * 60 * MINUTE, "192.0.2.1",
                            "US", "ALLOW", "/", "ahead"), read));
                    input.add(RawRecord.ofText("replay", TestLogLines.waf(ts - 90L * 24 * 60 * MINUTE, "192.0.2.2",
                            "US", "ALLOW", "/", "behind"), read));
                }
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SpikewatchWorkflow.define(env.fromData(input), ConfigLoader.fromMap(Map.of("geo.alb.enabled", "false")),
                new CollectingSink<RateDocument>("rates"), new CollectingSink<AlertDocument>("alerts"),
                new CollectingSink<DeadLetter>("dead"));
        env.execute("implausible timestamp test");

        long counted = CollectingSink.<RateDocument>values("rates").stream()
                .filter(r -> r.dimension.equals("scope") && r.key.equals("all")).mapToLong(r -> r.total).sum();
        assertThat(counted).isEqualTo(events);
        assertThat(CollectingSink.<RateDocument>values("rates")).allSatisfy(r ->
                assertThat(r.windowStart).isBetween(T0, T0 + 10 * MINUTE));
        assertThat(CollectingSink.<DeadLetter>values("dead")).hasSize(2).allSatisfy(d -> {
            assertThat(d.reason).isEqualTo("implausible_timestamp");
            assertThat(d.source).isEqualTo("waf");
            assertThat(d.rawExcerpt).contains("192.0.2.");
        });
    }
}
