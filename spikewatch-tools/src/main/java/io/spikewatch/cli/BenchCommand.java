package io.spikewatch.cli;

import io.spikewatch.bench.BenchReport;
import io.spikewatch.bench.DetectionLatencyBenchmark;
import io.spikewatch.bench.InMemoryRecords;
import io.spikewatch.bench.SqlPeerBenchmark;
import io.spikewatch.bench.StateCostBenchmark;
import io.spikewatch.bench.ThroughputBenchmark;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.loader.LogFiles;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.localstack.LocalStack;
import io.spikewatch.records.LogSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: end-to-end throughput of the pipeline at parallelism 1 for WAF and for ALB, against
 * a Flink SQL peer over the same in-memory records, and the keyed-state cost per tracked IP. Prints
 * the README's Performance table (also written to {@code OUT/bench.md}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure events/s per core (WAF, ALB) against a Flink SQL peer, keyed-state bytes per IP, and "
                + "detection latency on the local stack; print a Markdown table (also OUT/bench.md).")
public class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "600000",
            description = "Log lines per format held in memory and pushed through each job (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--ips", defaultValue = "50000", description = "Distinct client IPs in the traffic (default: ${DEFAULT-VALUE}).")
    int ips;

    @Option(names = "--repeat", defaultValue = "2",
            description = "Measured runs per job; the best is reported, after the warm-up runs (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--max-warmups", defaultValue = "8",
            description = "Warm-up runs per job at most: they repeat until the JIT compiler's share of a run's CPU time is "
                    + "under 5%% (three when per-thread CPU cannot be read) (default: ${DEFAULT-VALUE}).")
    int maxWarmups;

    @Option(names = "--formats", split = ",", defaultValue = "waf,alb",
            description = "Log formats to measure (default: ${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(names = "--no-sql", description = "Skip the Flink SQL peer.")
    boolean noSql;

    @Option(names = "--state-keys", defaultValue = "1000000",
            description = "Tracked IPs for the state-cost measurement, run with N and 2N IPs on each backend; 0 skips it "
                    + "(default: ${DEFAULT-VALUE}).")
    long stateKeys;

    @Option(names = "--out", defaultValue = "bench-output", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--latency-runs", defaultValue = "10",
            description = "Flood runs of the detection-latency measurement on the local stack (Kinesis → job → SNS → SQS; "
                    + "starts deploy/local/stack.sh); 0 skips it (default: ${DEFAULT-VALUE}).")
    int latencyRuns;

    @Option(names = "--in-process",
            description = "Run every job in this JVM, one after the other (for a profile of one process), instead of each "
                    + "job's warm-up and measured runs in a fresh JVM of its own.")
    boolean inProcess;

    /** Set in a job's own process: which job ({@code FORMAT:spikewatch} or {@code FORMAT:sql}). */
    @Option(names = "--job", hidden = true)
    String job;

    /** Set in a job's own process: where it writes its result ({@link ThroughputBenchmark.Result#toText}). */
    @Option(names = "--job-result", hidden = true)
    Path jobResult;

    @Mixin
    ConfigOptions config;

    private boolean warnedAboutRecording;

    static final String SPIKEWATCH = "spikewatch";
    static final String SQL = "sql";

    @Override
    public Integer call() throws Exception {
        if (events < 1000) throw new IllegalArgumentException("--events must be at least 1000");
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1");
        Path logs = out.resolve("logs");
        if (job != null) return runJob(logs);
        System.err.printf("[bench] generating %,d requests per format (not measured) in %s%n", events, logs);
        GenerationSummary generated = generate(logs);
        Map<String, String> defaults = Map.of(
                "geo.alb.database", generated.countryDatabase().toString(),
                "geo.home-countries", "US",
                "job.parallelism", "1");
        SpikewatchConfig cfg = config.load(defaults);

        List<BenchReport.Row> rows = new ArrayList<>();
        for (LogSource source : LogSource.values()) {
            String name = source.label();
            if (!formats.contains(name)) continue;
            ThroughputBenchmark.Result best;
            ThroughputBenchmark.Result peer = null;
            if (inProcess) {
                best = runInThisProcess(logs, source, SPIKEWATCH, cfg);
                if (!noSql) peer = runInThisProcess(logs, source, SQL, cfg);
            } else {
                best = runInOwnProcess(source, SPIKEWATCH, defaults);
                if (!noSql) peer = runInOwnProcess(source, SQL, defaults);
            }
            rows.add(new BenchReport.Row(source, best, peer));
        }

        StateCostBenchmark.Result state = null;
        if (stateKeys > 0) {
            System.err.printf("[bench] state cost: %,d and %,d tracked IPs, RocksDB and heap%n", stateKeys, 2 * stateKeys);
            state = StateCostBenchmark.run(cfg, stateKeys, out.resolve("state"), System.err);
        }

        DetectionLatencyBenchmark.Result latency = null;
        if (latencyRuns > 0) {
            System.err.printf("[bench] detection latency: %d flood runs on the local stack%n", latencyRuns);
            latency = DetectionLatencyBenchmark.run(DetectionLatencyBenchmark.Options.defaults().withRuns(latencyRuns)
                    .withProfile(config.profile() != null ? config.profile() : LocalStack.projectDirectory().resolve("jobs/local"),
                            config.overrides()), System.err);
            System.err.print(latency.render());
        }

        String table = BenchReport.render(rows, events, state, latency);
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench.md"), table, StandardCharsets.UTF_8);
        System.out.println(table);
        return 0;
    }

    /**
     * The warm-up and measured runs of one job ({@link #SPIKEWATCH} or {@link #SQL}) over one
     * format's lines, read into memory first (not measured).
     */
    private ThroughputBenchmark.Result runInThisProcess(Path logs, LogSource source, String kind, SpikewatchConfig cfg)
            throws Exception {
        String name = source.label();
        InMemoryRecords.register(name, readLines(logs.resolve(name), events));
        try {
            System.err.printf("[bench] %s%s: %,d lines in memory; warm-up runs%n", name,
                    kind.equals(SQL) ? " (Flink SQL)" : "", InMemoryRecords.size(name));
            if (kind.equals(SQL)) {
                Duration ooo = cfg.watermarks(source).outOfOrderness();
                return best(() -> SqlPeerBenchmark.run(name, source == LogSource.WAF, ooo));
            }
            return best(() -> ThroughputBenchmark.run(name, cfg));
        } finally {
            InMemoryRecords.release(name);
        }
    }

    /**
     * Runs one job in a fresh JVM of its own (this one's Java, JVM options and classpath) and reads
     * its result back.
     *
     * <p>Why a process per job, as JMH forks one per benchmark: the JIT compiles the code all jobs
     * share (Flink's network stack, serializers, outputs; for the two SQL jobs, the same window
     * operators) for the profile of whatever ran before, so in one JVM a job's figure depends on
     * the jobs before it, and each job is measured after a different set. A deployed job has its
     * TaskManager to itself. This removes that dependency, not the spread between processes,
     * which is as large (see the README's Performance section).
     */
    private ThroughputBenchmark.Result runInOwnProcess(LogSource source, String kind, Map<String, String> defaults)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        Path result = Files.createTempFile(out, "job-", ".result");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
            List<String> jobOptions = jobJvmOptions(jvmOptions);
            if (jobOptions.size() < jvmOptions.size() && !warnedAboutRecording) {
                System.err.println("[bench] the flight recording covers this process only, not the jobs' own JVMs: "
                        + "add --in-process to record the jobs");
                warnedAboutRecording = true;
            }
            command.addAll(jobOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(SpikewatchCli.class.getName());
            command.addAll(List.of("bench", "--job", source.label() + ":" + kind, "--job-result", result.toString(),
                    "--events", Integer.toString(events), "--ips", Integer.toString(ips),
                    "--repeat", Integer.toString(repeat), "--max-warmups", Integer.toString(maxWarmups),
                    "--out", out.toString()));
            if (config.profile() != null) command.addAll(List.of("--config", config.profile().toString()));
            // The defaults first: the user's --set values come after them and win, as in this process.
            for (Map.Entry<String, String> d : defaults.entrySet()) command.addAll(List.of("--set", d.getKey() + "=" + d.getValue()));
            for (String o : config.overrides) command.addAll(List.of("--set", o));
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // Interrupted (Ctrl-C), this process takes the job's down with it rather than leave it running.
            Thread stopJob = new Thread(process::destroyForcibly, "bench-stop-job");
            Runtime.getRuntime().addShutdownHook(stopJob);
            int code;
            try {
                // Its progress lines through this process's System.err, where they would have gone in-process.
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = err.readLine()) != null) System.err.println(line);
                }
                code = process.waitFor();
            } finally {
                process.destroyForcibly();
                Runtime.getRuntime().removeShutdownHook(stopJob);
            }
            if (code != 0) {
                throw new IOException("the " + source.label() + " " + kind + " job's benchmark process exited with code "
                        + code + " (its messages are above)");
            }
            return ThroughputBenchmark.Result.fromText(Files.readString(result, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(result);
        }
    }

    /**
     * This JVM's options as a job's JVM gets them: all but a flight recording, which every job's
     * JVM would start into the same file.
     */
    static List<String> jobJvmOptions(List<String> options) {
        return options.stream().filter(o -> !o.startsWith("-XX:StartFlightRecording")).toList();
    }

    /** In a job's own process ({@link #runInOwnProcess}): runs the job, writes its result. */
    private int runJob(Path logs) throws Exception {
        int colon = job.indexOf(':');
        String format = colon < 0 ? job : job.substring(0, colon);
        String kind = colon < 0 ? "" : job.substring(colon + 1);
        LogSource source = Arrays.stream(LogSource.values()).filter(s -> s.label().equals(format))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("--job: unknown format '" + format + "'"));
        if (!kind.equals(SPIKEWATCH) && !kind.equals(SQL)) {
            throw new IllegalArgumentException("--job: expected FORMAT:" + SPIKEWATCH + " or FORMAT:" + SQL + ", got '" + job + "'");
        }
        if (jobResult == null) throw new IllegalArgumentException("--job needs --job-result");
        ThroughputBenchmark.Result r = runInThisProcess(logs, source, kind, config.load(Map.of()));
        Files.writeString(jobResult, r.toText(), StandardCharsets.UTF_8);
        return 0;
    }

    private interface Run {
        ThroughputBenchmark.Result run() throws Exception;
    }

    /** JIT share of a run's CPU below which the code counts as warmed up. */
    static final double WARM_JIT_SHARE = 0.05;

    /**
     * Warm-up runs, then the best of {@code --repeat} measured runs (by events per CPU-second).
     *
     * <p>Why warm up until the JIT is quiet rather than for a fixed count: a run is a few seconds,
     * and after one warm-up run the C2 compiler still takes a large share of the next run's CPU, so
     * the figure keeps improving over several runs. A job that runs for
     * weeks pays that once, so the steady state is what is worth reporting; the JIT time left in the
     * measured run is still counted, and its share is printed.
     */
    private ThroughputBenchmark.Result best(Run job) throws Exception {
        for (int i = 1; i <= Math.max(1, maxWarmups); i++) {
            ThroughputBenchmark.Result w = job.run();
            System.err.println("[bench] warm-up " + i + ": " + BenchReport.describe(w));
            Double jit = w.usage().share("JIT compiler");
            if (jit == null ? i >= 3 : jit < WARM_JIT_SHARE) break;
        }
        ThroughputBenchmark.Result best = null;
        for (int i = 0; i < repeat; i++) {
            ThroughputBenchmark.Result r = job.run();
            System.err.println("[bench] " + BenchReport.describe(r));
            if (best == null || r.eventsPerCpuSecond() > best.eventsPerCpuSecond()) best = r;
        }
        return best;
    }

    private GenerationSummary generate(Path logs) throws IOException {
        // One hour at about the requested number of requests (lines are capped below).
        GeneratorOptions options = ThroughputBenchmark.trafficOptions(logs, events, ips, Duration.ofHours(1));
        return new TrafficGenerator(options).run(line -> { });
    }

    /** The first {@code limit} lines of the log files under {@code dir} (gzip or plain), in path order. */
    static byte[][] readLines(Path dir, int limit) throws IOException {
        List<byte[]> lines = new ArrayList<>(limit);
        for (Path f : LogFiles.list(List.of(dir))) {
            try (BufferedReader r = LogFiles.open(f)) {
                String line;
                while (lines.size() < limit && (line = r.readLine()) != null) {
                    lines.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (lines.size() >= limit) break;
        }
        if (lines.isEmpty()) throw new IOException("no log lines under " + dir);
        return lines.toArray(new byte[0][]);
    }
}
