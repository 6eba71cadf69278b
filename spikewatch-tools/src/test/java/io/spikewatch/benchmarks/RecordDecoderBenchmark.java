package io.spikewatch.benchmarks;

import io.spikewatch.loader.LogRecordPacker;
import io.spikewatch.parsing.RecordDecoder;
import io.spikewatch.records.RawRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Cost of {@link RecordDecoder#decode} on a Kinesis record holding a gzip CloudWatch Logs
 * subscription envelope of {@value #EVENTS_PER_RECORD} WAF log events — how WAF logs usually reach
 * the job — up to the lines handed to the parser: gunzip, UTF-8 check, envelope JSON, one string per
 * message. Parsing those lines is {@link LineParsingBenchmark#wafLine}, so the parse operator's cost
 * per record is roughly this plus {@value #EVENTS_PER_RECORD} WAF lines.
 *
 * <p>The same work is reported two ways: {@link #perRecord} per Kinesis record, and
 * {@link #perEvent} with {@code @OperationsPerInvocation(EVENTS_PER_RECORD)}, i.e. per log event
 * (time and {@code gc.alloc.rate.norm} divided by {@value #EVENTS_PER_RECORD}).
 *
 * <p>Input: {@value #RECORDS} envelopes built in set-up by the loader's own {@link LogRecordPacker}
 * (the shape {@code ./spikewatch put --format cloudwatch} sends) from the generated WAF sample,
 * rotated per call; every line goes to a {@link Blackhole}.
 */
@State(Scope.Thread)
public class RecordDecoderBenchmark extends BenchmarkDefaults {
    static final int EVENTS_PER_RECORD = 100;
    /** Envelopes in rotation; a power of two so the index is a mask. */
    static final int RECORDS = 16;

    private final RecordDecoder decoder = new RecordDecoder();
    private final BlackholeSink sink = new BlackholeSink();
    private RawRecord[] records;
    private int next;

    @Setup
    public void setUp() throws IOException {
        String[] waf = GeneratedLogs.sample().waf;
        List<LogRecordPacker.Packed> packed = new ArrayList<>();
        LogRecordPacker packer = new LogRecordPacker(LogRecordPacker.Format.CLOUDWATCH, EVENTS_PER_RECORD,
                null, new Random(1), packed::add);
        for (int i = 0; i < RECORDS * EVENTS_PER_RECORD; i++) packer.add(waf[i & GeneratedLogs.MASK]);
        packer.finish();

        records = new RawRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = new RawRecord("spikewatch-waf", packed.get(i).data(), 0L);
            decoder.decode(records[i], sink);
        }
        // Measure what we claim: every record an envelope of exactly EVENTS_PER_RECORD lines.
        if (packed.size() != RECORDS || sink.lines != RECORDS * EVENTS_PER_RECORD || sink.deadLetters != 0) {
            throw new IllegalStateException("expected " + RECORDS + " envelopes of " + EVENTS_PER_RECORD
                    + " lines, got " + packed.size() + " records, " + sink.lines + " lines, "
                    + sink.deadLetters + " dead letters");
        }
    }

    @Benchmark
    public void perRecord(Blackhole bh) {
        decodeNext(bh);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_RECORD)
    public void perEvent(Blackhole bh) {
        decodeNext(bh);
    }

    private void decodeNext(Blackhole bh) {
        sink.bh = bh;
        decoder.decode(records[next++ & (RECORDS - 1)], sink);
    }
}
