package io.spikewatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scorecard --nab} end to end on a tiny generated NAB directory, and its answers to bad arguments. */
class NabScorecardCommandTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime START = LocalDateTime.of(2014, 4, 1, 0, 0);

    @TempDir
    Path dir;

    /**
     * 200 five-minute rows of about 500 requests (100 a minute on scope all, above its minimum
     * volume) with a tenfold spike in rows 160..162, labelled by a window over rows 155..175.
     */
    private Path tinyNab() throws Exception {
        Path data = Files.createDirectories(dir.resolve("nab").resolve("data").resolve("synthetic"));
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            double v = i >= 160 && i <= 162 ? 5000 : 480 + rnd.nextInt(40);
            csv.append(START.plusMinutes(5L * i).format(TIME)).append(',').append(v).append('\n');
        }
        Files.writeString(data.resolve("spike.csv"), csv.toString());
        Path labels = Files.createDirectories(dir.resolve("nab").resolve("labels"));
        Files.writeString(labels.resolve("combined_windows.json"), "{\"synthetic/spike.csv\": [[\""
                + START.plusMinutes(5L * 155).format(TIME) + ".000000\", \""
                + START.plusMinutes(5L * 175).format(TIME) + ".000000\"]]}");
        return dir.resolve("nab");
    }

    @Test
    void scoresATinySeriesWithOnePlantedSpike() throws Exception {
        Path out = dir.resolve("out");
        ReplayCommandTest.Result r = ReplayCommandTest.run("scorecard", "--nab", tinyNab().toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| synthetic/spike.csv | 200 | 1 |");
        Matcher score = Pattern.compile("NAB score \\(standard profile, normalised\\): (-?[0-9.]+)").matcher(r.out());
        assertThat(score.find()).as(r.out()).isTrue();
        // The spike lies at a quarter of the window: a detection there scores about 0.9.
        assertThat(Double.parseDouble(score.group(1))).isGreaterThan(50);
        assertThat(r.out()).doesNotContain("published").contains("Measured ");
        assertThat(r.err()).contains("[nab] 1/1 synthetic/spike.csv");
        assertThat(Files.readString(out.resolve("nab-scorecard.md"))).contains("synthetic/spike.csv");
        Path results = out.resolve("nab").resolve("synthetic").resolve("spike");
        assertThat(results.resolve("alerts.jsonl")).exists();
        assertThat(results.resolve("rates.jsonl")).doesNotExist();
    }

    @Test
    void aDirectoryWithoutLabelsIsAClearErrorWithExitCode2() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        ReplayCommandTest.Result r = ReplayCommandTest.run("scorecard", "--nab", dir.resolve("empty").toString(),
                "--out", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("spikewatch: --nab: no combined_windows.json in").doesNotContain("\n");
    }

    @Test
    void aBadScaleIsAClearErrorWithExitCode2() throws Exception {
        ReplayCommandTest.Result r = ReplayCommandTest.run("scorecard", "--nab", tinyNab().toString(), "--scale", "-3",
                "--out", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--scale must be 'auto' or a positive number, got '-3'");
    }
}
