package io.spikewatch.cli;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.loader.LogFiles;
import io.spikewatch.localstack.CountryDatabaseInstaller;
import io.spikewatch.localstack.LocalStack;
import io.spikewatch.parsing.LogLineParser;
import io.spikewatch.records.LogSource;
import io.spikewatch.replay.AlertConsoleSink;
import io.spikewatch.replay.JsonLinesFileSink;
import io.spikewatch.replay.OrderedFileSplitAssigner;
import io.spikewatch.records.DocumentJson;
import io.spikewatch.records.RawRecord;
import io.spikewatch.report.ReplaySummary;
import io.spikewatch.workflows.SpikewatchWorkflow;
import io.spikewatch.enrichment.CountryDatabaseCheck;
import io.spikewatch.functions.ParseRecordsFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Batch replay: runs the live job graph over log files in event time, on a local MiniCluster, and
 * writes the contract documents as JSON Lines ({@code rates.jsonl}, {@code alerts.jsonl},
 * {@code deadletter.jsonl}).
 *
 * <p>It runs in STREAMING mode over a bounded source on purpose: BATCH mode would sort input by key
 * and fire all timers at the end, so early alerts and incident life cycles would not match the
 * live job. Files are read in path order by one reader (see {@link OrderedFileSplitAssigner});
 * parsing and detection run at the configured parallelism.
 */
public final class ReplayJob {
    public static final String RATES = "rates.jsonl";
    public static final String ALERTS = "alerts.jsonl";
    public static final String DEAD_LETTERS = "deadletter.jsonl";

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private ReplayJob() {}

    /** Waits for the job, printing event counts every few seconds when {@code log} is given. */
    private static void waitWithProgress(JobClient job, PrintStream log) throws Exception {
        CompletableFuture<JobExecutionResult> done = job.getJobExecutionResult();
        long started = System.nanoTime();
        while (true) {
            try {
                done.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                if (log == null) continue;
                try {
                    Map<String, Object> acc = job.getAccumulators().get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    long waf = number(acc.get(ParseRecordsFunction.ACC_WAF_EVENTS));
                    long alb = number(acc.get(ParseRecordsFunction.ACC_ALB_EVENTS));
                    long dead = number(acc.get(ParseRecordsFunction.ACC_DEAD_LETTERS));
                    double seconds = (System.nanoTime() - started) / 1e9;
                    log.printf("[replay] %,d events parsed (waf %,d, alb %,d), %,d dead letters, %,.0f events/s%n",
                            waf + alb, waf, alb, dead, (waf + alb) / Math.max(seconds, 1e-3));
                } catch (TimeoutException | ExecutionException ignored) {
                    // Accumulators are best effort while the job starts or finishes.
                }
            } catch (ExecutionException failed) {
                Throwable root = root(failed);
                if (root instanceof IOException) throw new IOException("replay failed: " + root.getMessage(), failed);
                throw new IllegalStateException("replay failed", failed);
            }
        }
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root;
    }

    /** Lines read from the start of each input file to tell whether ALB logs are among the inputs. */
    static final int FORMAT_SAMPLE_LINES = 1000;

    /**
     * {@code config} with a country database for ALB events when the inputs hold ALB lines and none
     * is configured: the DB-IP database, installed on first use. WAF logs carry their own country,
     * so WAF-only input needs none. Whether ALB lines are present is read from the first
     * {@value #FORMAT_SAMPLE_LINES} non-blank lines of each file.
     */
    public static SpikewatchConfig withCountryDatabase(List<Path> inputs, SpikewatchConfig config, PrintStream log)
            throws IOException, InterruptedException {
        SpikewatchConfig.Enrichment geo = config.enrichment();
        if (!geo.albGeoEnabled() || geo.albGeoDatabase() != null || !containsAlbLines(inputs)) return config;
        Path db = CountryDatabaseInstaller.ensureInstalled(LocalStack.projectDirectory(), log);
        return config.withEnrichment(geo.withAlbGeoDatabase(db.toString()));
    }

    /** Whether any input file starts with ALB access-log lines (see {@link #FORMAT_SAMPLE_LINES}). */
    static boolean containsAlbLines(List<Path> inputs) throws IOException {
        for (Path file : LogFiles.list(inputs)) {
            try (BufferedReader in = LogFiles.open(file)) {
                int seen = 0;
                String line;
                while (seen < FORMAT_SAMPLE_LINES && (line = in.readLine()) != null) {
                    LogSource format = LogLineParser.formatOf(line);
                    if (format == LogSource.ALB) return true;
                    if (!line.isBlank()) seen++;
                }
            }
        }
        return false;
    }

    public static ReplaySummary run(List<Path> inputs, Path outputDir, SpikewatchConfig config,
                                    boolean printAlerts, PrintStream log) throws Exception {
        for (Path p : inputs) {
            if (!Files.exists(p)) throw new IOException("input not found: " + p);
            if (!Files.isReadable(p)) throw new IOException("input not readable: " + p);
        }
        // Fail before starting Flink when a configured country database is missing or unreadable.
        if (config.enrichment().albGeoDatabase() != null) CountryDatabaseCheck.check(config.enrichment(), true);
        Files.createDirectories(outputDir);
        if (!Files.isWritable(outputDir)) throw new IOException("output directory not writable: " + outputDir);

        StreamExecutionEnvironment env = environment(config);
        org.apache.flink.core.fs.Path[] paths = inputs.stream()
                .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        FileSource<String> files = FileSource.forRecordStreamFormat(new TextLineInputFormat(), paths)
                .setSplitAssigner(OrderedFileSplitAssigner.provider(log != null))
                .build();
        DataStream<String> lines = env.fromSource(files, WatermarkStrategy.noWatermarks(), "Log files")
                .setParallelism(1).uid("source-files");
        return execute(env, lines, outputDir, config, printAlerts, true, log);
    }

    /**
     * The replay of lines that a source makes on the fly (e.g. {@link io.spikewatch.replay.SeriesLineSource}),
     * read by one reader in the order the source produces them; outputs and summary as
     * {@link #run(List, Path, SpikewatchConfig, boolean, PrintStream)}, except that rates are
     * discarded unless {@code writeRates} (a long series makes one per key and window, far more
     * than the caller needs when it only scores alerts).
     */
    public static ReplaySummary runGenerated(Source<String, ?, ?> source, String sourceName, Path outputDir,
                                             SpikewatchConfig config, boolean writeRates, PrintStream log)
            throws Exception {
        if (config.enrichment().albGeoDatabase() != null) CountryDatabaseCheck.check(config.enrichment(), true);
        Files.createDirectories(outputDir);
        if (!Files.isWritable(outputDir)) throw new IOException("output directory not writable: " + outputDir);
        StreamExecutionEnvironment env = environment(config);
        DataStream<String> lines = env.fromSource(source, WatermarkStrategy.noWatermarks(), sourceName)
                .setParallelism(1).uid("source-generated");
        return execute(env, lines, outputDir, config, false, writeRates, log);
    }

    private static StreamExecutionEnvironment environment(SpikewatchConfig config) {
        Configuration conf = LocalFlink.configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        int parallelism = config.parallelism() > 0 ? config.parallelism()
                : Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        env.setParallelism(parallelism);
        return env;
    }

    private static ReplaySummary execute(StreamExecutionEnvironment env, DataStream<String> lines, Path outputDir,
                                         SpikewatchConfig config, boolean printAlerts, boolean writeRates,
                                         PrintStream log) throws Exception {
        DataStream<RawRecord> records = lines
                .map(line -> RawRecord.ofText("replay", line, System.currentTimeMillis()))
                .returns(TypeInformation.of(RawRecord.class))
                .setParallelism(1).uid("lines-to-records").name("Lines to records");

        // A replayed line's arrival is when it was read: no bound on its event time (generated
        // traffic may lie after the wall clock). The stream's own recent times still judge it.
        config = config.withEventTimeLimits(new SpikewatchConfig.EventTimeLimits(
                Duration.ZERO, config.eventTimeLimits().maxJump()));
        SpikewatchWorkflow.Outputs out = SpikewatchWorkflow.define(records, config);
        if (writeRates) {
            out.rates().sinkTo(new JsonLinesFileSink<>(outputDir.resolve(RATES), DocumentJson::rate))
                    .setParallelism(1).uid("sink-rates").name("rates.jsonl");
        } else {
            out.rates().sinkTo(new DiscardingSink<>()).uid("discard-rates").name("Discard rates");
        }
        out.alerts().sinkTo(new JsonLinesFileSink<>(outputDir.resolve(ALERTS), DocumentJson::alert))
                .setParallelism(1).uid("sink-alerts").name("alerts.jsonl");
        out.deadLetters().sinkTo(new JsonLinesFileSink<>(outputDir.resolve(DEAD_LETTERS), DocumentJson::deadLetter))
                .setParallelism(1).uid("sink-dead-letters").name("deadletter.jsonl");
        if (printAlerts) {
            out.alerts().sinkTo(new AlertConsoleSink()).setParallelism(1).uid("print-alerts").name("Print alerts");
        }
        JobClient job = env.executeAsync("spikewatch replay");
        waitWithProgress(job, log);

        ReplaySummary.compactAlerts(outputDir.resolve(ALERTS));
        return ReplaySummary.read(outputDir.resolve(RATES), outputDir.resolve(ALERTS), outputDir.resolve(DEAD_LETTERS));
    }
}
