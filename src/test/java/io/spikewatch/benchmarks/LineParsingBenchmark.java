package io.spikewatch.benchmarks;

import io.spikewatch.parsing.AlbLogParser;
import io.spikewatch.parsing.LogParseException;
import io.spikewatch.parsing.WafLogParser;
import io.spikewatch.records.AccessEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of parsing one log line into an {@link AccessEvent}, the per-request work on the hot path
 * of the parse operator ({@code LogLineParser} calls these parsers once per line after format
 * detection):
 * <ul>
 *   <li>{@link #wafLine}: {@link WafLogParser#parse} on one WAF JSON record (~1 KB: rule lists,
 *       headers, labels), which streams the JSON and skips what it does not map;
 *   <li>{@link #albLine}: {@link AlbLogParser#parse} on one ALB access-log entry (30 fields), a
 *       hand-written tokenizer that materializes only the fields it maps.
 * </ul>
 * Time and allocation ({@code -prof gc}: {@code gc.alloc.rate.norm}) are per line.
 *
 * <p>Input: {@link GeneratedLogs#SAMPLE_LINES} generated lines of each log, rotated per call so
 * that branch prediction and caches see a realistic variety instead of one line, and the result is
 * returned so JMH consumes it (no dead-code elimination). Every sampled line is valid: the
 * dead-letter path is an exception per line and would be a separate question.
 */
@State(Scope.Thread)
public class LineParsingBenchmark extends BenchmarkDefaults {
    private final WafLogParser waf = new WafLogParser();
    private final AlbLogParser alb = new AlbLogParser();
    private String[] wafLines;
    private String[] albLines;
    private int next;

    @Setup
    public void setUp() throws LogParseException {
        GeneratedLogs logs = GeneratedLogs.sample();
        wafLines = logs.waf;
        albLines = logs.alb;
        // Fail at set-up rather than measure the exception path if the generator and parsers disagree.
        for (String line : wafLines) waf.parse(line);
        for (String line : albLines) alb.parse(line);
    }

    @Benchmark
    public AccessEvent wafLine() throws LogParseException {
        return waf.parse(wafLines[next++ & GeneratedLogs.MASK]);
    }

    @Benchmark
    public AccessEvent albLine() throws LogParseException {
        return alb.parse(albLines[next++ & GeneratedLogs.MASK]);
    }
}
