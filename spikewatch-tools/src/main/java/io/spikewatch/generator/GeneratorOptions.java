package io.spikewatch.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Options of one {@link TrafficGenerator} run.
 *
 * @param scenario what incidents to plant
 * @param outputDir where {@code waf/}, {@code alb/}, {@code truth.jsonl}, {@code geoip-country.mmdb}
 *     and {@code generator.json} are written
 * @param seed random seed; same options and seed give byte-identical output
 * @param start first simulated instant; whole minutes (default 2026-11-02T00:00:00Z, a Monday)
 * @param duration simulated time; whole minutes, at least 30 (default 24 h)
 * @param distinctIps number of regular client IPs (bots, background noise and incident IPs come on top)
 * @param meanRequestsPerSecond total request rate averaged over a weekday (default 20)
 * @param homeCountry ISO-2 code of the "domestic" country (default US)
 */
public record GeneratorOptions(
        Scenario scenario,
        Path outputDir,
        long seed,
        Instant start,
        Duration duration,
        int distinctIps,
        double meanRequestsPerSecond,
        String homeCountry) {

    public static final Instant DEFAULT_START = Instant.parse("2026-11-02T00:00:00Z");
    public static final Duration DEFAULT_DURATION = Duration.ofHours(24);

    public GeneratorOptions {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(homeCountry, "homeCountry");
        if (start.toEpochMilli() % 60_000 != 0) throw new IllegalArgumentException("start must be on a whole minute: " + start);
        if (duration.toMillis() % 60_000 != 0 || duration.compareTo(Duration.ofMinutes(30)) < 0) {
            throw new IllegalArgumentException("duration must be whole minutes and at least 30 minutes: " + duration);
        }
        if (distinctIps < 1 || distinctIps > 5_000_000) {
            throw new IllegalArgumentException("distinctIps must be between 1 and 5,000,000: " + distinctIps);
        }
        if (!(meanRequestsPerSecond > 0 && meanRequestsPerSecond <= 100_000)) {
            throw new IllegalArgumentException("meanRequestsPerSecond must be in (0, 100000]: " + meanRequestsPerSecond);
        }
        if (!homeCountry.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("homeCountry must be an upper-case ISO-2 code: " + homeCountry);
        }
    }

    /** The defaults: seed 1, Monday 2026-11-02 00:00 UTC, 24 h, 10,000 IPs, 20 req/s, home US. */
    public static GeneratorOptions defaults(Scenario scenario, Path outputDir) {
        return new GeneratorOptions(scenario, outputDir, 1, DEFAULT_START, DEFAULT_DURATION, 10_000, 20.0, "US");
    }

    public GeneratorOptions withScenario(Scenario s) {
        return new GeneratorOptions(s, outputDir, seed, start, duration, distinctIps, meanRequestsPerSecond, homeCountry);
    }

    public GeneratorOptions withSeed(long s) {
        return new GeneratorOptions(scenario, outputDir, s, start, duration, distinctIps, meanRequestsPerSecond, homeCountry);
    }

    public GeneratorOptions withStart(Instant s) {
        return new GeneratorOptions(scenario, outputDir, seed, s, duration, distinctIps, meanRequestsPerSecond, homeCountry);
    }

    public GeneratorOptions withDuration(Duration d) {
        return new GeneratorOptions(scenario, outputDir, seed, start, d, distinctIps, meanRequestsPerSecond, homeCountry);
    }

    public GeneratorOptions withDistinctIps(int n) {
        return new GeneratorOptions(scenario, outputDir, seed, start, duration, n, meanRequestsPerSecond, homeCountry);
    }

    public GeneratorOptions withMeanRequestsPerSecond(double r) {
        return new GeneratorOptions(scenario, outputDir, seed, start, duration, distinctIps, r, homeCountry);
    }

    public GeneratorOptions withHomeCountry(String c) {
        return new GeneratorOptions(scenario, outputDir, seed, start, duration, distinctIps, meanRequestsPerSecond, c);
    }

    public GeneratorOptions withOutputDir(Path dir) {
        return new GeneratorOptions(scenario, dir, seed, start, duration, distinctIps, meanRequestsPerSecond, homeCountry);
    }

    /**
     * The content of {@code generator.json}. The output directory is left out: it is where the file
     * lies, and leaving it out keeps two runs into different directories byte-identical.
     */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("scenario", scenario.cliName());
        n.put("seed", seed);
        n.put("start", start.toString());
        n.put("duration", duration.toString());
        n.put("distinctIps", distinctIps);
        n.put("meanRequestsPerSecond", meanRequestsPerSecond);
        n.put("homeCountry", homeCountry);
        return n;
    }
}
