package io.spikewatch.bench;

import io.spikewatch.records.LogSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** Renders {@code ./spikewatch bench} results as the README's Markdown table, with the machine and date. */
public final class BenchReport {
    private BenchReport() {}

    /** One format's results: spikewatch and (optionally) the Flink SQL peer. */
    public record Row(LogSource source, ThroughputBenchmark.Result spikewatch, ThroughputBenchmark.Result peer) {}

    /** One line for progress output. */
    public static String describe(ThroughputBenchmark.Result r) {
        return String.format(Locale.ROOT,
                "%s: %,d events in %.2f s wall, %.2f s CPU -> %,.0f events/s, %,.0f events per CPU-second; "
                        + "%,.0f bytes allocated per event (%,.0f MB/s), GC %.2f s; %,d rates, %,d alerts, %,d dead letters%s",
                r.name(), r.events(), r.usage().wallSeconds(), r.usage().cpuSeconds(), r.eventsPerSecond(),
                r.eventsPerCpuSecond(), r.bytesAllocatedPerEvent(), r.allocationMbPerSecond(), r.usage().gcSeconds(),
                r.rates(), r.alerts(), r.deadLetters(),
                r.usage().cpuSplit().isEmpty() ? "" : "; CPU by threads: " + r.usage().cpuSplit());
    }

    public static String render(List<Row> rows, int events, StateCostBenchmark.Result state,
                                DetectionLatencyBenchmark.Result latency) {
        StringBuilder b = new StringBuilder();
        b.append("| input | spikewatch events/s per core | events/s (wall) | CPU cores busy | bytes allocated per event "
                + "| Flink SQL peer events/s per core | ratio |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            ThroughputBenchmark.Result s = row.spikewatch();
            ThroughputBenchmark.Result p = row.peer();
            b.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %,.0f | %s | %s |%n",
                    row.source() == LogSource.WAF ? "WAF JSON" : "ALB text",
                    s.eventsPerCpuSecond(), s.eventsPerSecond(), s.usage().cpuSeconds() / s.usage().wallSeconds(),
                    s.bytesAllocatedPerEvent(),
                    p == null ? "—" : String.format(Locale.ROOT, "%,.0f", p.eventsPerCpuSecond()),
                    p == null ? "—" : String.format(Locale.ROOT, "%.2f×", s.eventsPerCpuSecond() / p.eventsPerCpuSecond())));
        }
        b.append(String.format(Locale.ROOT, "%nParallelism 1, %,d in-memory lines per format, one record per line; "
                        + "\"per core\" = events / process CPU seconds (all threads, GC and JIT included, the benchmark's own meter thread not), "
                        + "best of the measured runs after warm-up runs (repeated until the JIT compiler used under 5%% "
                        + "of a run's CPU).%n", events));
        for (Row row : rows) {
            String split = row.spikewatch().usage().cpuSplit();
            if (!split.isEmpty()) {
                b.append(String.format(Locale.ROOT, "%s CPU time by threads (spikewatch run): %s",
                        row.source() == LogSource.WAF ? "WAF" : "ALB", split));
                Double peerJit = row.peer() == null ? null : row.peer().usage().share("JIT compiler");
                if (peerJit != null) b.append(String.format(Locale.ROOT, " (SQL peer run: JIT compiler %d%%)", Math.round(100 * peerJit)));
                b.append(".\n");
            }
        }
        if (state != null) {
            b.append(String.format(Locale.ROOT, "%nKeyed state per tracked IP (measured with %,d and %,d IPs): "
                            + "**%,.0f bytes with RocksDB** (live keys and values, timers included, from a canonical savepoint), "
                            + "%,.0f bytes of JVM heap with the hashmap backend.%n",
                    state.keys(), 2 * state.keys(), state.rocksDbBytesPerIp(), state.heapBytesPerIp()));
        }
        if (latency != null) {
            b.append(String.format(Locale.ROOT, "%nDetection latency on the live local stack (kinesis-local → job → fauxqs SNS → SQS "
                            + "subscriber), %d single-IP floods at 100 req/s into live background traffic (%d missed): "
                            + "**first flood request's PutRecords → alert at the subscriber: median %.2f s, p95 %.2f s**; "
                            + "threshold-crossing request's PutRecords → alert: median %.2f s, p95 %.2f s; "
                            + "flood onset → threshold crossing, event time: median %.2f s, p95 %.2f s "
                            + "(p95 is the nearest rank, so the maximum below 20 runs).%n",
                    latency.samples().size(), latency.missed(),
                    latency.firstPutToReceive().median(), latency.firstPutToReceive().p95(),
                    latency.crossingPutToReceive().median(), latency.crossingPutToReceive().p95(),
                    latency.onsetToDetection().median(), latency.onsetToDetection().p95()));
        }
        b.append(machine());
        return b.toString();
    }

    /** "Measured DATE on N cores (CPU model), OS arch, Java version." */
    public static String machine() {
        return String.format(Locale.ROOT, "Measured %s on %d cores (%s), %s %s, Java %s, heap max %d MB.%n",
                LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException ignored) {
            // Not Linux: the core count is still printed.
        }
        return "unknown CPU";
    }
}
