package io.spikewatch.cli;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.evaluation.EvaluationReport;
import io.spikewatch.evaluation.Evaluator;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.report.ReplaySummary;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Generate a labelled scenario, replay it, evaluate the alerts: the loop shared by {@code demo} and
 * {@code scorecard}. The job is configured for the generated data (its synthetic country database
 * and home country) on top of the user's profile and overrides.
 *
 * @param generated what the generator wrote
 * @param replay    what the replay wrote
 * @param report    the evaluation of the alerts against the labels
 * @param replaySeconds wall-clock time of the replay
 */
record ScenarioRun(GenerationSummary generated, ReplaySummary replay, EvaluationReport report, double replaySeconds) {

    static ScenarioRun execute(GeneratorOptions options, ConfigOptions config, Path results, boolean printAlerts,
                               Consumer<String> generatorProgress, PrintStream replayProgress,
                               Consumer<GenerationSummary> afterGenerate) throws Exception {
        GenerationSummary generated = new TrafficGenerator(options).run(generatorProgress);
        afterGenerate.accept(generated);
        SpikewatchConfig cfg = config.load(Map.of(
                "geo.alb.database", generated.countryDatabase().toString(),
                "geo.home-countries", options.homeCountry()));
        Path logs = options.outputDir();
        long started = System.nanoTime();
        ReplaySummary replay = ReplayJob.run(List.of(logs.resolve("waf"), logs.resolve("alb")), results, cfg,
                printAlerts, replayProgress);
        double seconds = (System.nanoTime() - started) / 1e9;
        EvaluationReport report = Evaluator.evaluate(generated.truthFile(), results.resolve(ReplayJob.ALERTS),
                options.duration());
        return new ScenarioRun(generated, replay, report, seconds);
    }
}
