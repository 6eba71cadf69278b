package io.spikewatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three commands a user chains, end to end on a short, small scenario: generate a single-IP
 * flood, replay it, evaluate the alerts against the labels.
 */
class GenerateReplayEvaluateTest {
    @TempDir
    Path dir;

    @Test
    void floodScenarioIsDetectedEndToEnd() throws Exception {
        Path logs = dir.resolve("logs");
        ReplayCommandTest.Result gen = ReplayCommandTest.run("generate", "--scenario", "ip-flood", "--out", logs.toString(),
                "--seed", "5", "--duration", "3h", "--ips", "400", "--rate", "3");
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(gen.out()).contains("1 labelled incident");
        assertThat(logs.resolve("truth.jsonl")).exists();
        assertThat(logs.resolve("geoip-country.mmdb")).exists();

        Path out = dir.resolve("out");
        ReplayCommandTest.Result replay = ReplayCommandTest.run("replay", "--input", logs.resolve("waf").toString(),
                logs.resolve("alb").toString(), "--output", out.toString(),
                "--set", "geo.alb.database=" + logs.resolve("geoip-country.mmdb"));
        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("OPEN").contains("aws.waf=").contains("aws.elb=");

        ReplayCommandTest.Result eval = ReplayCommandTest.run("evaluate", "--truth", logs.resolve("truth.jsonl").toString(),
                "--alerts", out.resolve("alerts.jsonl").toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("recall    : 100.0% (1/1)");

        ReplayCommandTest.Result json = ReplayCommandTest.run("evaluate", "--truth", logs.resolve("truth.jsonl").toString(),
                "--alerts", out.resolve("alerts.jsonl").toString(), "--json");
        assertThat(json.out()).contains("\"recall\"");
        assertThat(Files.readAllLines(out.resolve("alerts.jsonl"))).allMatch(l -> l.startsWith("{\"@timestamp\""));
    }

    @Test
    void generatorRejectsUnknownScenarioClearly() {
        ReplayCommandTest.Result r = ReplayCommandTest.run("generate", "--scenario", "ddos", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(SpikewatchCli.USER_ERROR);
        assertThat(r.err()).contains("unknown scenario 'ddos'").contains("ip-flood");
    }
}
