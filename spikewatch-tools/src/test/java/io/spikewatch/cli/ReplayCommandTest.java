package io.spikewatch.cli;

import io.spikewatch.testing.TestLogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay command end to end on a local MiniCluster, and its answers to bad arguments. */
class ReplayCommandTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void replaysMixedPlainAndGzipFilesIntoTheThreeOutputs() throws Exception {
        Path in = Files.createDirectories(dir.resolve("logs"));
        List<String> waf = new ArrayList<>();
        List<String> alb = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            for (int i = 0; i < 60; i++) {
                long ts = T0 + m * 60_000L + i * 1000L;
                waf.add(TestLogLines.waf(ts, "198.51.100.1", "US", "ALLOW", "/", "r" + ts));
                alb.add(TestLogLines.alb(ts, "198.51.100.1", 200, "/"));
            }
        }
        waf.add("{\"timestamp\":\"yesterday\"}");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(in.resolve("a-waf.log.gz")))) {
            gz.write((String.join("\n", waf) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(in.resolve("b-alb.log"), String.join("\n", alb) + "\n");
        Path out = dir.resolve("out");

        Result r = run("replay", "--input", in.toString(), "--output", out.toString(),
                "--set", "geo.alb.enabled=false", "--no-print-alerts");

        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("aws.waf=300").contains("aws.elb=300").contains("waf_invalid_field=1");
        assertThat(Files.readAllLines(out.resolve("rates.jsonl"))).isNotEmpty();
        assertThat(Files.readAllLines(out.resolve("deadletter.jsonl"))).hasSize(1);
        assertThat(out.resolve("alerts.jsonl")).exists();
        assertThat(r.err).contains("reading file 1/2").contains("reading file 2/2");
        assertThat(Files.readAllLines(out.resolve("deadletter.jsonl")).get(0)).contains("waf_invalid_field");
    }

    @Test
    void missingInputIsAClearErrorWithExitCode2() throws Exception {
        Result r = run("replay", "--input", dir.resolve("nope").toString(), "--output", dir.resolve("o").toString(),
                "--set", "geo.alb.enabled=false");
        assertThat(r.code).isEqualTo(SpikewatchCli.USER_ERROR);
        assertThat(r.err).contains("input not found").contains("nope");
    }

    @Test
    void wafOnlyInputNeedsNoGeoSetting() throws Exception {
        List<String> waf = new ArrayList<>();
        for (int i = 0; i < 120; i++) waf.add(TestLogLines.waf(T0 + i * 1000L, "198.51.100.7", "JP", "ALLOW", "/", "w" + i));
        Files.writeString(dir.resolve("waf.log"), String.join("\n", waf) + "\n");
        Path out = dir.resolve("out");

        Result r = run("replay", "--input", dir.resolve("waf.log").toString(), "--output", out.toString(), "--no-print-alerts");

        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("aws.waf=120");
        assertThat(r.err).doesNotContain("country database");
        assertThat(Files.readString(out.resolve("rates.jsonl"))).contains("\"country_iso_code\":\"JP\"");
    }

    @Test
    void albLinesAreFoundAtTheStartOfAnyInputFile() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("a-waf.log"), TestLogLines.waf(T0, "198.51.100.7", "JP", "ALLOW", "/", "w") + "\n");
        assertThat(ReplayJob.containsAlbLines(List.of(logs))).isFalse();
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(logs.resolve("b-alb.log.gz")))) {
            gz.write(("\n" + TestLogLines.alb(T0, "198.51.100.1", 200, "/") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(ReplayJob.containsAlbLines(List.of(logs))).isTrue();
    }

    @Test
    void unreadableGeoDatabaseIsNamedBeforeTheJobStarts() throws Exception {
        Files.writeString(dir.resolve("x.log"), "");
        Path db = dir.resolve("missing.mmdb");
        Result r = run("replay", "--input", dir.resolve("x.log").toString(), "--output", dir.resolve("o").toString(),
                "--set", "geo.alb.database=" + db);
        assertThat(r.code).isEqualTo(SpikewatchCli.USER_ERROR);
        assertThat(r.err).contains(db.toString());
    }

    @Test
    void unknownSettingAndMissingArgumentsAreRejected() throws Exception {
        Result r = run("replay", "--input", dir.toString(), "--output", dir.resolve("o").toString(),
                "--set", "detect.ip.ratioo=3");
        assertThat(r.code).isEqualTo(SpikewatchCli.USER_ERROR);
        assertThat(r.err).contains("detect.ip.ratioo");
        Result usage = run("replay", "--output", dir.toString());
        assertThat(usage.code).isEqualTo(SpikewatchCli.USER_ERROR);
        assertThat(usage.err).contains("--input");
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = SpikewatchCli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
