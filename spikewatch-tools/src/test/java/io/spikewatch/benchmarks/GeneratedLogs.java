package io.spikewatch.benchmarks;

import io.spikewatch.loader.LogFiles;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.generator.TrafficGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The benchmarks' input: WAF and ALB lines from the project's own generator, so the mix is the one
 * the generator models (browsers and apps, HTTP/1.1 and HTTP/2, ~10% IPv6 clients, crawlers, noise
 * from one-off foreign IPs, ~1% WAF blocks with their rule-group entries, ~2% 4xx) rather than one
 * hand-written line parsed over and over.
 *
 * <p>A quiet-day run (no incidents: the steady-state mix, not a flood of near-identical lines) of 30
 * simulated minutes is written to a temporary directory, read back and deleted; a seeded shuffle then
 * picks {@link #SAMPLE_LINES} lines of each log. Generated once per JVM (a second or so), so the
 * in-process smoke test does not regenerate it for every benchmark.
 */
final class GeneratedLogs {
    /** Lines per log in the sample; a power of two so benchmarks rotate with a mask, not a modulo. */
    static final int SAMPLE_LINES = 1024;
    static final int MASK = SAMPLE_LINES - 1;

    private static final long SEED = 42;

    final String[] waf;
    final String[] alb;

    private GeneratedLogs(String[] waf, String[] alb) {
        this.waf = waf;
        this.alb = alb;
    }

    static GeneratedLogs sample() {
        return Holder.INSTANCE;
    }

    /** Lazy, thread-safe, once per JVM (class initialization). */
    private static final class Holder {
        static final GeneratedLogs INSTANCE = generate();
    }

    private static GeneratedLogs generate() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("spikewatch-jmh-");
            GeneratorOptions options = GeneratorOptions.defaults(Scenario.QUIET_DAY, dir)
                    .withSeed(SEED).withDuration(Duration.ofMinutes(30))
                    .withDistinctIps(2_000).withMeanRequestsPerSecond(10);
            GenerationSummary run = new TrafficGenerator(options).run();
            return new GeneratedLogs(sample(run.wafFiles()), sample(run.albFiles()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteRecursively(dir);
        }
    }

    private static String[] sample(List<Path> files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files) LogFiles.forEachLine(f, lines::add);
        if (lines.size() < SAMPLE_LINES) {
            throw new IllegalStateException("the generator wrote " + lines.size() + " lines, fewer than "
                    + SAMPLE_LINES + " to sample");
        }
        Collections.shuffle(lines, new Random(SEED));
        return lines.subList(0, SAMPLE_LINES).toArray(new String[0]);
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a benchmark for.
        }
    }
}
