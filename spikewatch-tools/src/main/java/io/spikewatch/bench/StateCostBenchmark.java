package io.spikewatch.bench;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.functions.ParseRecordsFunction;
import io.spikewatch.records.DocumentJson;
import io.spikewatch.records.RawRecord;
import io.spikewatch.workflows.SpikewatchWorkflow;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Bytes of keyed state per tracked IP, with the heap and the RocksDB state backends.
 *
 * <p>Runs the whole job on a MiniCluster over {@code n} distinct IPs, one request each inside one
 * minute, then one request three minutes later that moves the watermark past that window: every
 * IP's window closes, and what remains per IP is what a quiet tracked IP costs until its idle
 * expiry (its baselines, country, and its expiry check: a timer with RocksDB, a list entry on the heap). The source then idles, keeping the job and
 * its state alive, while the state is measured:
 * <ul>
 *   <li>RocksDB: the size of a canonical savepoint, which holds every live key and value of the
 *       RocksDB column families (timers included) as RocksDB stores them, serialized, uncompressed,
 *       with a few bytes of framing each. Not the SST files: their size depends on when RocksDB last
 *       compacted away overwritten values and tombstones (every window writes and deletes entries),
 *       so it says more about compaction timing than about the state; compacted, Snappy and
 *       key-prefix compression make the files smaller than this figure;
 *   <li>heap: the JVM heap in use after a full GC (objects, maps, listed checks), since the heap backend
 *       keeps live objects, not bytes.
 * </ul>
 * Each backend runs with {@code n} and {@code 2n} IPs, and the figure is the difference divided by
 * {@code n}, so fixed costs (country and scope keys, Flink itself) cancel out.
 */
public final class StateCostBenchmark {
    private static final long T0 = Instant.parse("2026-11-02T12:00:00Z").toEpochMilli();
    private static final AtomicLong EMITTED = new AtomicLong();

    private StateCostBenchmark() {}

    /** Marginal bytes per tracked IP. */
    public record Result(long keys, double rocksDbBytesPerIp, double heapBytesPerIp) {}

    public static Result run(SpikewatchConfig config, long keys, Path workDir, PrintStream progress) throws Exception {
        double rocks1 = measure(config, keys, true, workDir, progress);
        double rocks2 = measure(config, 2 * keys, true, workDir, progress);
        double heap1 = measure(config, keys, false, workDir, progress);
        double heap2 = measure(config, 2 * keys, false, workDir, progress);
        return new Result(keys, (rocks2 - rocks1) / keys, (heap2 - heap1) / keys);
    }

    /** Savepoint bytes (RocksDB) or heap bytes in use (heap) with {@code keys} tracked IPs. */
    private static double measure(SpikewatchConfig config, long keys, boolean rocksDb, Path workDir,
                                  PrintStream progress) throws Exception {
        Configuration conf = ThroughputBenchmark.localConfiguration();
        conf.set(StateBackendOptions.STATE_BACKEND, rocksDb ? "rocksdb" : "hashmap");
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir.toAbsolutePath()), "state-");
        conf.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
        // As a production job with millions of keys would run: almost every request of a new IP is a
        // lookup miss, which without bloom filters reads every level-0 file (this run slowed to a
        // few thousand requests/s without them), and a block cache of a realistic size.
        conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
        conf.setString("taskmanager.memory.managed.size", "512m");
        // Savepoints of millions of keys do not fit the JobManager's memory-backed storage.
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);

        EMITTED.set(0);
        GeneratorFunction<Long, RawRecord> lines = index -> {
            EMITTED.set(index);
            if (index > keys) Thread.sleep(20); // idle: keep the job, and its state, alive
            return new RawRecord("state-cost", line(index, keys), 0L);
        };
        DataGeneratorSource<RawRecord> source =
                new DataGeneratorSource<>(lines, Long.MAX_VALUE, TypeInformation.of(RawRecord.class));
        SpikewatchWorkflow.define(env.fromSource(source, WatermarkStrategy.noWatermarks(), "IPs").uid("source-ips"),
                config, new RenderingDiscardSink<>("rates", DocumentJson::rate),
                new RenderingDiscardSink<>("alerts", DocumentJson::alert),
                new RenderingDiscardSink<>("dead-letters", DocumentJson::deadLetter));

        JobClient job = env.executeAsync("spikewatch state cost");
        try {
            long lastShown = 0;
            // The source is back-pressured, so once it has idled for 100 more records every IP has
            // been through the detection operator and the closing request has closed their window.
            while (EMITTED.get() < keys + 100) {
                if (job.getJobStatus().get().isTerminalState()) throw new IllegalStateException("state-cost job ended early");
                if (progress != null && EMITTED.get() - lastShown >= 250_000) {
                    lastShown = EMITTED.get();
                    progress.printf("[bench] state cost, %s, %,d IPs: %,d requests in%n",
                            rocksDb ? "RocksDB" : "heap", keys, lastShown);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            // Accumulators reach the client with task heartbeats: wait until they show every request parsed.
            long parsed = 0;
            for (int i = 0; i < 300 && parsed < keys + 1; i++) {
                Map<String, Object> acc = job.getAccumulators().get();
                parsed = acc.get(ParseRecordsFunction.ACC_WAF_EVENTS) instanceof Number n ? n.longValue() : 0;
                if (parsed < keys + 1) TimeUnit.MILLISECONDS.sleep(200);
            }
            if (parsed < keys + 1) throw new IllegalStateException("state-cost input not parsed: " + parsed + " events");
            double bytes;
            if (rocksDb) {
                String savepoint = job.triggerSavepoint(dir.resolve("savepoint").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
                bytes = directorySize(Path.of(java.net.URI.create(savepoint)));
            } else {
                bytes = heapInUse();
            }
            if (progress != null) {
                progress.printf("[bench] state cost, %s, %,d IPs: %,.0f bytes%n", rocksDb ? "RocksDB canonical savepoint" : "heap in use",
                        keys, bytes);
            }
            return bytes;
        } finally {
            job.cancel().get();
            try {
                job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            } catch (Exception cancelled) {
                // Expected: the job ends as cancelled, and its MiniCluster shuts down.
            }
            deleteTree(dir);
        }
    }

    /** A minimal valid WAF line: IP number {@code i} inside the first minute, or the closing request. */
    static byte[] line(long i, long keys) {
        long ts = i < keys ? T0 + i * 59_000L / keys : T0 + 3 * 60_000L;
        long ip = i < keys ? i : 0;
        String address = (1 + (ip >> 24)) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
        String country = COUNTRIES[(int) (ip % COUNTRIES.length)];
        return ("{\"timestamp\":" + ts + ",\"formatVersion\":1,\"webaclId\":\"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/bench/1\","
                + "\"terminatingRuleId\":\"Default_Action\",\"terminatingRuleType\":\"REGULAR\",\"action\":\"ALLOW\","
                + "\"httpRequest\":{\"clientIp\":\"" + address + "\",\"country\":\"" + country + "\","
                + "\"headers\":[{\"name\":\"User-Agent\",\"value\":\"Mozilla/5.0\"}],\"uri\":\"/\",\"httpMethod\":\"GET\","
                + "\"requestId\":\"r-" + i + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static final String[] COUNTRIES = {"US", "DE", "BR", "IN", "JP", "FR", "GB", "CN", "NG", "AU"};

    private static long heapInUse() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Best effort: a cancelled task may still be closing its RocksDB instance. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Left for the next run's working directory clean-up.
                }
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // Same.
        }
    }
}
