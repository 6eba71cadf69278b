package io.spikewatch.cli;

import io.spikewatch.config.DurationText;
import io.spikewatch.evaluation.EvaluationReport;
import io.spikewatch.evaluation.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code evaluate}: how an alerts file scores against labelled incidents. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Precision, recall, detection delay (event time) and false alerts per day of an alerts file "
                + "against truth.jsonl labels.")
public class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--truth", required = true, paramLabel = "FILE", description = "truth.jsonl from 'generate'.")
    Path truth;

    @Option(names = "--alerts", required = true, paramLabel = "FILE", description = "alerts.jsonl from 'replay'.")
    Path alerts;

    @Option(names = "--duration", paramLabel = "D",
            description = "Simulated duration for false alerts per day; default: generator.json next to the truth file.")
    String duration;

    @Option(names = "--json", description = "Print JSON instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        EvaluationReport report = Evaluator.evaluate(truth, alerts, duration == null ? null : DurationText.parse(duration));
        System.out.println(json ? report.toJson() : report.render());
        return 0;
    }
}
