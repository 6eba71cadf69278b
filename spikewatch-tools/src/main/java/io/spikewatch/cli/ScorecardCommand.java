package io.spikewatch.cli;

import io.spikewatch.config.DurationText;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.evaluation.EvaluationReport;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.report.NabScorecard;
import io.spikewatch.report.Scorecard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code scorecard}: generate → replay → evaluate for every scenario and seed, and print the
 * detection-quality table the README shows (also written to {@code OUT/scorecard.md}). With
 * {@code --nab DIR}: the NAB score of the detector on the NAB data files under {@code DIR} instead
 * (see {@link NabRun}; written to {@code OUT/nab-scorecard.md}).
 */
@Command(name = "scorecard", mixinStandardHelpOptions = true,
        description = "Run generate, replay and evaluate over scenarios and seeds; print a Markdown table. "
                + "With --nab DIR: score the detector on NAB data files instead.")
public class ScorecardCommand implements Callable<Integer> {
    @Option(names = "--scenarios", split = ",", defaultValue = "ip-flood,country-surge,scanner,flash-crowd,quiet-day",
            description = "Scenarios (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--seeds", split = ",", defaultValue = "11,12,13", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--duration", defaultValue = "24h", description = "Simulated time per run (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--out", defaultValue = "scorecard-output", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--keep-logs", description = "Keep the generated logs (they take ~300 MB per simulated day).")
    boolean keepLogs;

    @Option(names = "--nab", paramLabel = "DIR",
            description = "NAB data: *.csv files (timestamp,value) under DIR (or DIR/data) and DIR/combined_windows.json "
                    + "(or DIR/labels/combined_windows.json). Replaces the scenarios.")
    Path nab;

    @Option(names = "--scale", defaultValue = "auto",
            description = "With --nab: requests per unit of a row's value; 'auto' keeps values as counts when the median "
                    + "row is 1..5,000 and otherwise brings the median to 100 (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--nab-rates", description = "With --nab: also write each file's rate documents (rates.jsonl; "
            + "hundreds of MB for a long series at one-minute windows).")
    boolean nabRates;

    @Option(names = "--nab-seed", defaultValue = "11", description = "With --nab: seed of the request times and clients (default: ${DEFAULT-VALUE}).")
    long nabSeed;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        if (nab != null) return nabScorecard();
        List<Scorecard.Row> rows = new ArrayList<>();
        for (String name : scenarios) {
            Scenario scenario = Scenario.fromCliName(name);
            for (long seed : seeds) {
                Path dir = out.resolve(scenario.cliName() + "-" + seed);
                Path logs = dir.resolve("logs");
                System.err.printf("[scorecard] %s seed %d: generating%n", scenario.cliName(), seed);
                GeneratorOptions options = GeneratorOptions.defaults(scenario, logs).withSeed(seed)
                        .withDuration(DurationText.parse(duration));
                ScenarioRun run = ScenarioRun.execute(options, config, dir.resolve("results"), false, line -> { }, null,
                        generated -> System.err.printf("[scorecard] %s seed %d: replaying %,d requests per log%n",
                                scenario.cliName(), seed, generated.requests()));
                EvaluationReport report = run.report();
                double seconds = run.replaySeconds();
                Files.writeString(dir.resolve("evaluation.txt"), report.render(), StandardCharsets.UTF_8);
                rows.add(new Scorecard.Row(scenario.cliName(), seed, report, 2 * run.generated().requests(), seconds));
                System.err.printf("[scorecard] %s seed %d: recall %s, false alerts %d, %.0f s%n", scenario.cliName(), seed,
                        report.recall() == null ? "n/a" : String.format("%.0f%%", 100 * report.recall()),
                        report.falseAlerts(), seconds);
                if (!keepLogs) deleteTree(logs);
            }
        }
        String table = Scorecard.render(rows, duration) + machineLine();
        Files.createDirectories(out);
        Files.writeString(out.resolve("scorecard.md"), table, StandardCharsets.UTF_8);
        System.out.println(table);
        return 0;
    }

    private Integer nabScorecard() throws Exception {
        NabRun.parseScale(scale);
        SpikewatchConfig cfg = config.load(Map.of(
                "geo.alb.enabled", "false", "geo.home-countries", NabRun.HOME_COUNTRY));
        List<NabScorecard.Row> rows = NabRun.run(nab, scale, cfg, nabSeed, out, nabRates, System.err);
        String settings = (config.profile() == null ? "the default configuration" : "profile " + config.profile())
                + (config.overrides().isEmpty() ? "" : " and " + String.join(", ", config.overrides().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()))
                + ", --scale " + scale;
        String table = NabScorecard.render(rows, settings) + machineLine();
        Files.createDirectories(out);
        Files.writeString(out.resolve("nab-scorecard.md"), table, StandardCharsets.UTF_8);
        System.out.println(table);
        return 0;
    }

    private static String machineLine() {
        return String.format("Measured %s on %d cores, %s %s, Java %s.%n",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
