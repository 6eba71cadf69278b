package io.spikewatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./spikewatch bench} on a few thousand records: the pipeline, the Flink SQL peer (its queries
 * must plan and run) and the state-cost jobs complete and the report has every row. Nothing here is
 * timed: the figures of so short a run mean nothing, only that the benchmark still works.
 */
class BenchRunsBrieflyTest {
    @TempDir
    Path dir;

    @Test
    void benchRunsEveryPartOnATinyInputAndWritesTheTable() throws Exception {
        ReplayCommandTest.Result r = ReplayCommandTest.run("bench", "--events", "3000", "--ips", "300", "--repeat", "1", "--max-warmups", "1",
                "--state-keys", "2000", "--latency-runs", "0", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String table = Files.readString(dir.resolve("bench.md"));
        assertThat(table).contains("| WAF JSON |").contains("| ALB text |").contains("bytes with RocksDB")
                .contains("Measured ");
        // The peer ran for both formats: a ratio, not a dash, on each row.
        assertThat(table.lines().filter(l -> l.startsWith("| WAF JSON") || l.startsWith("| ALB text")))
                .allSatisfy(l -> assertThat(l).endsWith("× |"));
        // Each job ran in its own process, whose progress came through this one's stderr.
        assertThat(r.err()).contains("waf: 3,000 events").contains("alb: 3,000 events")
                .contains("waf (Flink SQL): 3,000 events").contains("alb (Flink SQL): 3,000 events");
    }

    @Test
    void aJobsJvmGetsThisOnesOptionsButNotItsFlightRecording() {
        assertThat(BenchCommand.jobJvmOptions(List.of("-Xmx3g", "-XX:StartFlightRecording=filename=waf.jfr,settings=profile",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dspikewatch.home=/x")))
                .containsExactly("-Xmx3g", "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dspikewatch.home=/x");
    }

    @Test
    void aJobProcessNamesAWrongJobInsteadOfMeasuringSomethingElse() throws Exception {
        ReplayCommandTest.Result r = ReplayCommandTest.run("bench", "--job", "cef:spikewatch", "--job-result",
                dir.resolve("r").toString(), "--out", dir.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("unknown format 'cef'");
        r = ReplayCommandTest.run("bench", "--job", "waf:jackson", "--job-result", dir.resolve("r").toString(),
                "--out", dir.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("FORMAT:spikewatch or FORMAT:sql");
    }
}
