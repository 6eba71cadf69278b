package io.spikewatch.generator;

import io.spikewatch.evaluation.TruthIncident;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link TrafficGenerator} run wrote.
 *
 * @param requests requests generated (= lines in the WAF log = lines in the ALB log)
 * @param blocked requests WAF blocked
 * @param incidents the labels written to {@code truth.jsonl}
 * @param elapsed wall-clock time of the run
 */
public record GenerationSummary(
        long requests,
        long blocked,
        List<TruthIncident> incidents,
        List<Path> wafFiles,
        List<Path> albFiles,
        Path truthFile,
        Path countryDatabase,
        Path optionsFile,
        Duration elapsed) {

    public GenerationSummary {
        incidents = List.copyOf(incidents);
        wafFiles = List.copyOf(wafFiles);
        albFiles = List.copyOf(albFiles);
    }

    /** Log lines written per second of wall-clock time, both logs together. */
    public double linesPerSecond() {
        return elapsed.isZero() ? 0 : 2.0 * requests / (elapsed.toNanos() / 1e9);
    }
}
