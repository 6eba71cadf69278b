package io.spikewatch.benchmarks;

import io.spikewatch.bench.ThroughputBenchmark;
import io.spikewatch.loader.LogFiles;
import io.spikewatch.detection.DetectionSettings;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Observation;
import io.spikewatch.functions.SpikeDetectionOperator;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.parsing.LogParseException;
import io.spikewatch.parsing.WafLogParser;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cost per request of the ip detector as the job runs it: {@link SpikeDetectionOperator#forIps} on
 * Flink's heap keyed-state backend (the operator test harness), with every request's state lookup,
 * window opening, threshold checks, and its share of the window closes and expiry checks that the
 * watermark drives. What {@link KeyDetectorBenchmark} leaves out (state access and the order of
 * closes over tens of thousands of keys), and what the end-to-end {@code ./spikewatch bench} measures
 * only with the run-to-run spread of a whole MiniCluster. Not included: the shuffle's
 * deserialization and network stack.
 *
 * <p>Input: the bench's traffic shape, a quiet day from the project's generator with
 * {@value #DISTINCT_IPS} distinct clients at the bench's request rate (about 2.4 requests per IP
 * and minute, so most IP windows hold a few requests and every request pays a good part of a window
 * open and close), {@value #MINUTES} minutes of it, parsed into one ip observation per request as
 * the fan-out makes them. The requests are replayed in log order, lap after lap, each lap shifted by
 * whole windows so event time keeps moving; a watermark trails the latest event by the WAF
 * default out-of-orderness (10 s) and advances every {@value #WATERMARK_EVERY} requests. Set-up
 * runs two laps, so the state map holds the steady-state population (IPs with baselines, expiry
 * checks listed) rather than growing from empty, as in a job that has been running for a while.
 */
@State(Scope.Thread)
public class IpDetectorOperatorBenchmark extends BenchmarkDefaults {
    static final int DISTINCT_IPS = 50_000;
    static final int MINUTES = 30;
    static final int WATERMARK_EVERY = 256;
    private static final long OUT_OF_ORDERNESS = 10_000;

    private KeyedOneInputStreamOperatorTestHarness<String, Observation, RateDocument> harness;
    private Observation[] observations;
    private long[] times;
    private long lapMillis;
    private long lapOffset;
    private int next;
    private long maxTime;
    private long watermark;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<AccessEvent> events = generate();
        observations = new Observation[events.size()];
        times = new long[events.size()];
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < observations.length; i++) {
            AccessEvent e = events.get(i);
            Observation o = Observation.ofEvent(Dimension.IP, e.clientIp, e);
            o.resource = null; // as the fan-out ships it (only late events carry it)
            observations[i] = o;
            times[i] = e.timestamp;
            first = Math.min(first, e.timestamp);
            last = Math.max(last, e.timestamp);
        }
        long window = DetectionSettings.defaults().windowMillis();
        lapMillis = ((last - first) / window + 2) * window;

        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                SpikeDetectionOperator.forIps(LogSource.WAF, DetectionSettings.defaults()),
                SpikeDetectionOperator::ipKey, Types.STRING);
        harness.open();
        for (long i = 0; i < 2L * observations.length; i++) nextRequest();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    /** One request into the operator (and, every {@value #WATERMARK_EVERY} requests, a watermark). */
    @Benchmark
    public void request() throws Exception {
        nextRequest();
    }

    private void nextRequest() throws Exception {
        int i = next;
        Observation o = observations[i];
        long ts = times[i] + lapOffset;
        o.firstEventTime = ts;
        o.lastEventTime = ts;
        harness.processElement(new StreamRecord<>(o, ts));
        if (ts > maxTime) maxTime = ts;
        if (++next == observations.length) {
            next = 0;
            lapOffset += lapMillis;
        }
        if ((next & (WATERMARK_EVERY - 1)) == 0) {
            long wm = maxTime - OUT_OF_ORDERNESS - 1;
            if (wm > watermark) {
                watermark = wm;
                harness.processWatermark(wm);
            }
            // Rates and alerts are kept by the harness; drop them so the output does not grow.
            harness.getOutput().clear();
        }
    }

    /** The bench's traffic, {@value #MINUTES} minutes of it, as parsed WAF events in log order. */
    private static List<AccessEvent> generate() throws IOException, LogParseException {
        Path dir = Files.createTempDirectory("spikewatch-jmh-ip-");
        try {
            // The bench's traffic at its default rate (--events 600000 an hour).
            GeneratorOptions options = ThroughputBenchmark.trafficOptions(dir, 600_000, DISTINCT_IPS,
                    Duration.ofMinutes(MINUTES));
            GenerationSummary run = new TrafficGenerator(options).run();
            WafLogParser parser = new WafLogParser();
            List<String> lines = new ArrayList<>();
            for (Path f : run.wafFiles()) LogFiles.forEachLine(f, lines::add);
            List<AccessEvent> events = new ArrayList<>(lines.size());
            for (String line : lines) {
                AccessEvent e = parser.parse(line);
                if (e.clientIp != null) events.add(e);
            }
            return events;
        } finally {
            GeneratedLogs.deleteRecursively(dir);
        }
    }
}
