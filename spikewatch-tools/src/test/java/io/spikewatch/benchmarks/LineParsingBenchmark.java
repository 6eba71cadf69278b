package io.spikewatch.benchmarks;

import io.spikewatch.parsing.AlbLogParser;
import io.spikewatch.parsing.LogLineParser;
import io.spikewatch.parsing.LogParseException;
import io.spikewatch.parsing.ParseOutput;
import io.spikewatch.parsing.RecordDecoder;
import io.spikewatch.parsing.WafLogParser;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.RawRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;

/**
 * Cost of parsing one log line into an {@link AccessEvent}, the per-request work on the hot path
 * of the parse operator ({@code LogLineParser} calls these parsers once per line after format
 * detection):
 * <ul>
 *   <li>{@link #wafLine}: {@link WafLogParser#parse(String)} on one WAF JSON record (~1 KB: rule
 *       lists, headers, labels), which reads the JSON and skips what it does not map; the path of
 *       CloudWatch messages, which are Strings;
 *   <li>{@link #wafLineFromBytes}: the same from the line's UTF-8 bytes, as plain records reach it;
 *   <li>{@link #albLine}: {@link AlbLogParser#parse} on one ALB access-log entry (30 fields), a
 *       hand-written tokenizer that materializes only the fields it maps;
 *   <li>{@link #wafRecord}: what the parse operator does per plain Kinesis record of one WAF line
 *       (the {@code lines} format of {@code ./spikewatch put} and of replays): {@link RecordDecoder}
 *       (UTF-8 check, line split) hands the line to {@link LogLineParser} (format detection, size
 *       cap, WAF parser), wired the way {@code ParseRecordsFunction} wires them.
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
    private final RecordDecoder decoder = new RecordDecoder();
    private final OperatorSink operator = new OperatorSink();
    private String[] wafLines;
    private byte[][] wafBytes;
    private String[] albLines;
    private RawRecord[] wafRecords;
    private int next;

    /** Decoder lines into the line parser, events and dead letters into the Blackhole. */
    private static final class OperatorSink implements RecordDecoder.LineSink, ParseOutput {
        final LogLineParser parser = new LogLineParser();
        Blackhole bh;
        long events;
        long deadLetters;

        @Override
        public void line(String line) {
            parser.parse(line, "bench", 0L, this);
        }

        @Override
        public void line(byte[] buf, int from, int to) {
            parser.parse(buf, from, to, "bench", 0L, this);
        }

        @Override
        public void event(AccessEvent e) {
            events++;
            if (bh != null) bh.consume(e);
        }

        @Override
        public void deadLetter(DeadLetter d) {
            deadLetters++;
            if (bh != null) bh.consume(d);
        }
    }

    @Setup
    public void setUp() throws LogParseException {
        GeneratedLogs logs = GeneratedLogs.sample();
        wafLines = logs.waf;
        albLines = logs.alb;
        // Fail at set-up rather than measure the exception path if the generator and parsers disagree.
        for (String line : wafLines) waf.parse(line);
        for (String line : albLines) alb.parse(line);
        wafBytes = new byte[wafLines.length][];
        for (int i = 0; i < wafLines.length; i++) wafBytes[i] = wafLines[i].getBytes(StandardCharsets.UTF_8);
        wafRecords = new RawRecord[wafLines.length];
        for (int i = 0; i < wafLines.length; i++) {
            wafRecords[i] = new RawRecord("bench", wafLines[i].getBytes(StandardCharsets.UTF_8), 0L);
            decoder.decode(wafRecords[i], operator);
        }
        if (operator.events != wafLines.length || operator.deadLetters != 0) {
            throw new IllegalStateException("expected " + wafLines.length + " events from as many records, got "
                    + operator.events + " and " + operator.deadLetters + " dead letters");
        }
    }

    @Benchmark
    public AccessEvent wafLine() throws LogParseException {
        return waf.parse(wafLines[next++ & GeneratedLogs.MASK]);
    }

    @Benchmark
    public AccessEvent wafLineFromBytes() throws LogParseException {
        byte[] line = wafBytes[next++ & GeneratedLogs.MASK];
        return waf.parse(line, 0, line.length);
    }

    @Benchmark
    public AccessEvent albLine() throws LogParseException {
        return alb.parse(albLines[next++ & GeneratedLogs.MASK]);
    }

    @Benchmark
    public void wafRecord(Blackhole bh) {
        operator.bh = bh;
        decoder.decode(wafRecords[next++ & GeneratedLogs.MASK], operator);
    }
}
