package io.spikewatch.cli;

import io.spikewatch.config.DurationText;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.evaluation.EvaluationReport;
import io.spikewatch.evaluation.Evaluator;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.report.ReplaySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code demo}: the embedded default — generate a scenario, replay it on a local MiniCluster while
 * printing alerts as they fire, then evaluate against the labels. Needs nothing but Java and Maven.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a labelled scenario, replay it through the pipeline (alerts printed as they fire), "
                + "and evaluate the alerts. Everything local; outputs in --out.")
public class DemoCommand implements Callable<Integer> {
    @Option(names = "--scenario", defaultValue = "mixed", description = "Scenario (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", defaultValue = "8h", description = "Simulated time (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--out", defaultValue = "demo-output", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        Path logs = out.resolve("logs");
        Path results = out.resolve("results");
        GeneratorOptions options = GeneratorOptions.defaults(Scenario.fromCliName(scenario), logs)
                .withSeed(seed).withDuration(DurationText.parse(duration));
        System.out.printf("== 1/3 generating %s of '%s' traffic (seed %d) into %s%n", duration, scenario, seed, logs);
        GenerationSummary generated = new TrafficGenerator(options).run(line -> System.err.println("[generate] " + line));
        System.out.printf("   %,d requests in each log, %d labelled incident(s)%n%n", generated.requests(),
                generated.incidents().size());

        SpikewatchConfig cfg = config.load(Map.of(
                "geo.alb.database", generated.countryDatabase().toString(),
                "geo.home-countries", options.homeCountry()));
        System.out.println("== 2/3 replaying through the pipeline (alerts print as they fire)");
        ReplaySummary summary = ReplayJob.run(List.of(logs.resolve("waf"), logs.resolve("alb")), results, cfg, true, System.err);
        System.out.println();
        System.out.print(summary.render());
        System.out.println();

        System.out.println("== 3/3 evaluation against " + generated.truthFile());
        EvaluationReport report = Evaluator.evaluate(generated.truthFile(), results.resolve(ReplayJob.ALERTS), null);
        System.out.println(report.render());
        System.out.println("outputs: " + results.toAbsolutePath() + " (rates.jsonl, alerts.jsonl, deadletter.jsonl)");
        return 0;
    }
}
