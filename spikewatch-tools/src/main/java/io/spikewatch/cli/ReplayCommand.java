package io.spikewatch.cli;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.report.ReplaySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code replay}: the same pipeline over log files, in event time, into JSON Lines. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay WAF and ALB log files (plain or .gz, any mix, format detected per line) through the "
                + "detection pipeline and write rates.jsonl, alerts.jsonl and deadletter.jsonl.",
                "Files are read in path order; name them by time (AWS and the generator do)."})
public class ReplayCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Log files or directories (searched recursively; hidden files skipped).")
    List<Path> inputs;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory for the output files.")
    Path output;

    @Option(names = "--print-alerts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print alert openings, escalations and resolutions as they happen (default: ${DEFAULT-VALUE}).")
    boolean printAlerts;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        SpikewatchConfig cfg = ReplayJob.withCountryDatabase(inputs, config.load(Map.of()), System.err);
        ReplaySummary summary = ReplayJob.run(inputs, output, cfg, printAlerts, System.err);
        System.out.println();
        System.out.print(summary.render());
        System.out.println("output: " + output.toAbsolutePath());
        return 0;
    }
}
