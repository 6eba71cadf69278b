package io.spikewatch.cli;

import io.spikewatch.config.DurationText;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.generator.TrafficGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code generate}: synthetic WAF and ALB logs in the real AWS formats, with labelled incidents. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write realistic WAF and ALB logs (DIR/waf, DIR/alb), labelled incidents (DIR/truth.jsonl) "
                + "and a matching country database (DIR/geoip-country.mmdb).")
public class GenerateCommand implements Callable<Integer> {
    @Option(names = "--scenario", required = true, paramLabel = "NAME",
            description = "ip-flood, country-surge, scanner, flash-crowd, quiet-day or mixed.")
    String scenario;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", defaultValue = "24h", description = "Simulated time, e.g. 8h, 2d (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--start", defaultValue = "2026-11-02T00:00:00Z", description = "Simulated start, UTC (default: ${DEFAULT-VALUE}, a Monday).")
    String start;

    @Option(names = "--ips", defaultValue = "10000", description = "Distinct client IPs (default: ${DEFAULT-VALUE}).")
    int ips;

    @Option(names = "--rate", defaultValue = "20", description = "Mean requests per second over a weekday (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--home", defaultValue = "US", description = "Home (domestic) country (default: ${DEFAULT-VALUE}).")
    String home;

    @Override
    public Integer call() throws Exception {
        GeneratorOptions options = options();
        GenerationSummary s = new TrafficGenerator(options).run(line -> System.err.println("[generate] " + line));
        System.out.printf("generated %,d requests (%,d lines per log, %,d blocked) with %d labelled incident(s) in %s%n",
                s.requests(), s.requests(), s.blocked(), s.incidents().size(), out.toAbsolutePath());
        System.out.println("truth: " + s.truthFile());
        System.out.println("country database: " + s.countryDatabase());
        return 0;
    }

    GeneratorOptions options() {
        Scenario sc = Scenario.fromCliName(scenario);
        Instant t0;
        try {
            t0 = Instant.parse(start);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--start: '" + start + "' is not an ISO-8601 instant like 2026-11-02T00:00:00Z");
        }
        return new GeneratorOptions(sc, out, seed, t0, DurationText.parse(duration), ips, rate, home.toUpperCase());
    }
}
