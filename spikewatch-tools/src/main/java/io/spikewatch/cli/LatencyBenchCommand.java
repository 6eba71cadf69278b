package io.spikewatch.cli;

import io.spikewatch.bench.DetectionLatencyBenchmark;
import io.spikewatch.config.DurationText;
import io.spikewatch.localstack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code latency-bench} (hidden): runs {@link DetectionLatencyBenchmark} alone, for trying it out;
 * {@code bench} is where benchmarks are listed for users.
 */
@Command(name = "latency-bench", hidden = true, mixinStandardHelpOptions = true,
        description = {"Detection latency on the local stack: single-IP floods injected into live background traffic, "
                + "timed from Kinesis to the SNS topic's SQS subscriber. Starts the stack unless --skip-stack-start."})
public class LatencyBenchCommand implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "5", description = "Counted runs, after one warm-up run (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--flood-rate", defaultValue = "100", description = "Requests per second of each flood (default: ${DEFAULT-VALUE}).")
    double floodRate;

    @Option(names = "--warm-up", defaultValue = "30m", description = "Background event time replayed before the runs (default: ${DEFAULT-VALUE}).")
    String warmUp;

    @Option(names = "--warm-up-speed", defaultValue = "60", description = "Replay speed of the warm-up (default: ${DEFAULT-VALUE}x).")
    double warmUpSpeed;

    @Option(names = "--pause", defaultValue = "10s", description = "Quiet time after each run (default: ${DEFAULT-VALUE}).")
    String pause;

    @Option(names = "--skip-stack-start", description = "Use servers already running on the default ports.")
    boolean skipStackStart;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        DetectionLatencyBenchmark.Options options = DetectionLatencyBenchmark.Options.defaults()
                .withRuns(runs).withFloodRequestsPerSecond(floodRate)
                .withWarmUp(DurationText.parse(warmUp), warmUpSpeed).withPause(DurationText.parse(pause))
                .withProfile(config.profile() != null ? config.profile() : LocalStack.projectDirectory().resolve("jobs/local"),
                        config.overrides())
                .withStartStack(!skipStackStart);
        DetectionLatencyBenchmark.Result result = DetectionLatencyBenchmark.run(options, System.err);
        System.out.println();
        System.out.print(result.render());
        return 0;
    }
}
