package io.spikewatch.bench;

import io.spikewatch.config.DurationText;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.loader.LogLineCursor;
import io.spikewatch.loader.PacedClock;
import io.spikewatch.loader.PacedLogStreamer;
import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Signal;
import io.spikewatch.detection.SpikeRule;
import io.spikewatch.generator.FloodRequests;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.localstack.LiveSession;
import io.spikewatch.localstack.LocalStack;
import io.spikewatch.localstack.ReceivedAlert;
import io.spikewatch.records.LogSource;
import io.spikewatch.report.AlertLine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How fast an alert reaches a subscriber of the SNS topic, measured on the real local stack
 * (kinesis-local, the live job on a local MiniCluster, OpenSearch, fauxqs SNS→SQS).
 *
 * <p>Set-up: a {@link LiveSession} (fresh streams, a fresh SQS queue subscribed to the topic, the
 * job), and background traffic from {@link TrafficGenerator} (quiet-day: no planted incident) whose
 * event time starts {@link Options#warmUp()} ago. The streamer replays the warm-up at
 * {@link Options#warmUpSpeed()} (so that windows, baselines and watermarks exist), then continues in
 * real time ({@link PacedClock}).
 *
 * <p>Each run injects a single-IP flood from a fresh address ({@link FloodRequests}, WAF lines only)
 * at {@link Options#floodRequestsPerSecond()}, each request stamped with the wall-clock time it is
 * made, until the alert for that IP arrives in the queue (or {@link Options#floodTimeout()}), then
 * pauses. Run 0 is a warm-up and is not counted: it also absorbs any backlog the job still has from
 * the accelerated warm-up. Per run it records:
 * <ul>
 *   <li>(a) <b>first put → subscriber</b>: wall clock from the return of the PutRecords call that
 *       carried the flood's first request to the moment the receive call returned the alert;
 *   <li>(b) <b>onset → detection</b>: event time from the flood's first request to the alert's
 *       {@code @timestamp}, the event at which the running count crossed the threshold; with
 *       early firing this is how long the flood needs to reach the threshold (~min-volume requests);
 *   <li>(c) <b>crossing put → subscriber</b>: wall clock from the return of the PutRecords call that
 *       carried the crossing request to the alert's receipt: the pipeline's own latency
 *       (Kinesis polling, Flink network buffers, SNS sink buffering, SNS→SQS delivery).
 * </ul>
 * Medians and nearest-rank p95s are over the counted runs. Not a pass/fail test: the numbers depend
 * on the machine and its load.
 */
public final class DetectionLatencyBenchmark {
    private DetectionLatencyBenchmark() {}

    /**
     * @param runs                   counted runs (one uncounted warm-up run comes first)
     * @param floodRequestsPerSecond request rate of each flood
     * @param floodTimeout           a flood without alert after this is a miss
     * @param pause                  quiet time after each run
     * @param warmUp                 event time of background traffic replayed before the first run
     * @param warmUpSpeed            replay speed of the warm-up
     * @param tick                   pause between PutRecords rounds
     * @param backgroundIps          distinct background client IPs
     * @param backgroundRate         background requests per second (event time)
     * @param seed                   seed of the background traffic and of the floods
     * @param profile                job profile (null: built-in defaults)
     * @param overrides              settings on top of the profile (e.g. sns.max-time-in-buffer=100ms)
     * @param startStack             run deploy/local/stack.sh start first
     * @param workDir                where the background logs are generated
     */
    public record Options(int runs, double floodRequestsPerSecond, Duration floodTimeout, Duration pause,
                          Duration warmUp, double warmUpSpeed, Duration tick, int backgroundIps, double backgroundRate,
                          long seed, Path profile, Map<String, String> overrides, boolean startStack, Path workDir) {
        public Options {
            if (runs < 1) throw new IllegalArgumentException("runs must be >= 1");
            if (!(floodRequestsPerSecond >= 10 && floodRequestsPerSecond <= 2000)) {
                throw new IllegalArgumentException("flood rate must be between 10 and 2000 requests/s");
            }
            overrides = Map.copyOf(overrides);
        }

        /** 5 runs of a 100 req/s flood, 30 min of warm-up at 60x, profile jobs/local. */
        public static Options defaults() {
            return new Options(5, 100, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(30), 60,
                    Duration.ofMillis(100), 400, 3, 11, LocalStack.projectDirectory().resolve("jobs/local"), Map.of(),
                    true, Path.of(System.getProperty("java.io.tmpdir"), "spikewatch-latency-bench"));
        }

        public Options withRuns(int n) {
            return new Options(n, floodRequestsPerSecond, floodTimeout, pause, warmUp, warmUpSpeed, tick, backgroundIps,
                    backgroundRate, seed, profile, overrides, startStack, workDir);
        }

        public Options withFloodRequestsPerSecond(double r) {
            return new Options(runs, r, floodTimeout, pause, warmUp, warmUpSpeed, tick, backgroundIps,
                    backgroundRate, seed, profile, overrides, startStack, workDir);
        }

        public Options withWarmUp(Duration d, double speed) {
            return new Options(runs, floodRequestsPerSecond, floodTimeout, pause, d, speed, tick, backgroundIps,
                    backgroundRate, seed, profile, overrides, startStack, workDir);
        }

        public Options withPause(Duration d) {
            return new Options(runs, floodRequestsPerSecond, floodTimeout, d, warmUp, warmUpSpeed, tick, backgroundIps,
                    backgroundRate, seed, profile, overrides, startStack, workDir);
        }

        public Options withProfile(Path p, Map<String, String> o) {
            return new Options(runs, floodRequestsPerSecond, floodTimeout, pause, warmUp, warmUpSpeed, tick, backgroundIps,
                    backgroundRate, seed, p, o, startStack, workDir);
        }

        public Options withStartStack(boolean start) {
            return new Options(runs, floodRequestsPerSecond, floodTimeout, pause, warmUp, warmUpSpeed, tick, backgroundIps,
                    backgroundRate, seed, profile, overrides, start, workDir);
        }
    }

    /**
     * One counted run.
     *
     * @param firstPutToReceiveSeconds    (a) wall clock, first flood PutRecords returned → alert received
     * @param onsetToDetectionSeconds     (b) event time, first flood request → alert {@code @timestamp}
     * @param crossingPutToReceiveSeconds (c) wall clock, PutRecords with the crossing request returned → alert received
     * @param requestsAtDetection         flood requests with an event time up to the alert's {@code @timestamp}
     */
    public record Sample(int run, String ip, String country, String dataset, Instant floodOnset, Instant detectedAt,
                         double firstPutToReceiveSeconds, double onsetToDetectionSeconds,
                         double crossingPutToReceiveSeconds, long requestsAtDetection) {}

    /** Median and nearest-rank p95 (with fewer than 20 samples the p95 is the maximum). */
    public record Stats(int count, double median, double p95, double min, double max) {
        public static Stats of(List<Double> values) {
            if (values.isEmpty()) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            List<Double> v = new ArrayList<>(values);
            v.sort(null);
            int n = v.size();
            double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            double p95 = v.get(Math.max(0, (int) Math.ceil(0.95 * n) - 1));
            return new Stats(n, median, p95, v.get(0), v.get(n - 1));
        }

        String render() {
            return String.format(Locale.ROOT, "%6.2f s %6.2f s %6.2f s %6.2f s", median, p95, min, max);
        }
    }

    /**
     * @param samples  the counted runs that got an alert
     * @param missed   counted runs without an alert within the timeout
     * @param settings the job settings that shape latency, as the job ran
     */
    public record Result(List<Sample> samples, int missed, Stats firstPutToReceive, Stats onsetToDetection,
                         Stats crossingPutToReceive, Map<String, String> settings) {
        public String render() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "detection latency on the local stack: %d run(s) with an alert, %d missed%n",
                    samples.size(), missed));
            b.append(String.format(Locale.ROOT, "%-3s  %-40s  %-7s  %12s  %12s  %12s  %8s%n", "run", "flood IP", "dataset",
                    "(a) put→sub", "(b) onset→det", "(c) cross→sub", "requests"));
            for (Sample s : samples) {
                b.append(String.format(Locale.ROOT, "%-3d  %-40s  %-7s  %10.2f s  %10.2f s  %10.2f s  %8d%n", s.run(),
                        AlertLine.safe(s.ip()), s.dataset(), s.firstPutToReceiveSeconds(), s.onsetToDetectionSeconds(),
                        s.crossingPutToReceiveSeconds(), s.requestsAtDetection()));
            }
            b.append(String.format(Locale.ROOT, "%-52s %8s %8s %8s %8s%n", "", "median", "p95", "min", "max"));
            b.append(String.format(Locale.ROOT, "%-52s %s%n", "(a) first flood put → alert at the SQS subscriber", firstPutToReceive.render()));
            b.append(String.format(Locale.ROOT, "%-52s %s%n", "(b) flood onset → threshold crossing (event time)", onsetToDetection.render()));
            b.append(String.format(Locale.ROOT, "%-52s %s%n", "(c) crossing put → alert at the SQS subscriber", crossingPutToReceive.render()));
            b.append("put = the PutRecords call carrying the request returned; p95 = nearest rank (the maximum below 20 runs)\n");
            b.append("settings:");
            settings.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            b.append('\n');
            return b.toString();
        }
    }

    /** Accept times of one flood's requests, reported by the streamer thread. */
    private static final class FloodTrace {
        private final List<long[]> accepted = new ArrayList<>();

        synchronized void accepted(long eventTime, long nanos) {
            accepted.add(new long[] {eventTime, nanos});
        }

        synchronized long firstAcceptNanos() {
            return accepted.isEmpty() ? Long.MIN_VALUE : accepted.get(0)[1];
        }

        /** When the first request at or after {@code eventTime} was accepted. */
        synchronized long acceptNanosAt(long eventTime) {
            for (long[] a : accepted) {
                if (a[0] >= eventTime) return a[1];
            }
            return Long.MIN_VALUE;
        }

        synchronized long countUpTo(long eventTime) {
            return accepted.stream().filter(a -> a[0] <= eventTime).count();
        }
    }

    public static Result run(Options options, PrintStream progress) throws Exception {
        LocalStack stack = LocalStack.fromEnvironment();
        if (options.startStack()) LocalStack.start(LocalStack.projectDirectory(), line -> progress.println("[stack] " + line));

        // Background traffic: the warm-up lies in the past and is replayed quickly; the rest covers the
        // runs in real time, with room to spare.
        Duration perRun = options.floodTimeout().plus(options.pause()).plusSeconds(5);
        Duration realTime = perRun.multipliedBy(options.runs() + 1).plusMinutes(5);
        Duration total = options.warmUp().plus(realTime).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        if (total.compareTo(Duration.ofMinutes(30)) < 0) total = Duration.ofMinutes(30);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(options.warmUp());
        Path logs = Files.createDirectories(options.workDir()).resolve("background");
        GeneratorOptions background = GeneratorOptions.defaults(Scenario.QUIET_DAY, logs).withSeed(options.seed())
                .withStart(start).withDuration(total).withDistinctIps(options.backgroundIps())
                .withMeanRequestsPerSecond(options.backgroundRate());
        progress.printf(Locale.ROOT, "generating %s of background traffic (%d IPs, %.1f req/s) from %s into %s%n",
                DurationText.format(total), options.backgroundIps(), options.backgroundRate(), start, logs);
        Path countryDb = new TrafficGenerator(background).run().countryDatabase();

        Map<String, CompletableFuture<ReceivedAlert>> waiting = new ConcurrentHashMap<>();
        String runId = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        LiveSession.Setup setup = new LiveSession.Setup(options.profile(), options.overrides(), countryDb,
                background.homeCountry(), runId);
        try (LiveSession session = LiveSession.open(stack, setup, alert -> {
            CompletableFuture<ReceivedAlert> f = Dimension.IP.label().equals(alert.dimension()) ? waiting.get(alert.key()) : null;
            if (f != null) f.complete(alert);
        }, line -> progress.println("  " + line))) {
            PacedClock clock = new PacedClock(start.toEpochMilli(), System.currentTimeMillis(), options.warmUpSpeed());
            try (PacedLogStreamer streamer = session.streamer(
                    LogLineCursor.of(List.of(logs.resolve("waf"))), LogLineCursor.of(List.of(logs.resolve("alb"))),
                    clock, options.tick(), Duration.ofSeconds(10), line -> progress.println("[stream] " + line))) {
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<PacedLogStreamer.Summary> streaming = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        streaming.complete(streamer.streamUntil(stop::get));
                    } catch (Throwable e) {
                        streaming.completeExceptionally(e);
                    }
                }, "latency-bench-streamer");
                t.start();
                try {
                    progress.printf(Locale.ROOT, "replaying %s of warm-up at %.0fx...%n", DurationText.format(options.warmUp()),
                            options.warmUpSpeed());
                    while (!clock.caughtUp(System.currentTimeMillis()) || streamer.eventTimeReached() < start.toEpochMilli()) {
                        check(session, streaming);
                        Thread.sleep(200);
                    }
                    return measure(options, session, streamer, streaming, waiting, progress);
                } finally {
                    stop.set(true);
                    t.join(30_000);
                }
            }
        }
    }

    private static Result measure(Options options, LiveSession session, PacedLogStreamer streamer,
                                  CompletableFuture<?> streaming, Map<String, CompletableFuture<ReceivedAlert>> waiting,
                                  PrintStream progress) throws Exception {
        FloodRequests floods = new FloodRequests(options.seed(), "US");
        List<Sample> samples = new ArrayList<>();
        int missed = 0;
        progress.printf(Locale.ROOT, "background in real time; %d run(s) of a %.0f req/s single-IP flood (run 0: warm-up, not counted)%n",
                options.runs(), options.floodRequestsPerSecond());
        for (int run = 0; run <= options.runs(); run++) {
            FloodRequests.Flood flood = floods.next();
            CompletableFuture<ReceivedAlert> alert = new CompletableFuture<>();
            waiting.put(flood.ip(), alert);
            FloodTrace trace = new FloodTrace();
            long onset = System.currentTimeMillis();
            long sent = 0;
            long nextCheck = onset + 250;
            while (!alert.isDone() && System.currentTimeMillis() - onset < options.floodTimeout().toMillis()) {
                long now = System.currentTimeMillis();
                long due = 1 + (long) ((now - onset) * options.floodRequestsPerSecond() / 1000.0);
                for (; sent < due; sent++) {
                    streamer.inject(LiveSession.WAF_LANE, flood.wafLine(now), now, nanos -> trace.accepted(now, nanos));
                }
                if (now >= nextCheck) {
                    check(session, streaming);
                    nextCheck = now + 250;
                }
                Thread.sleep(2);
            }
            waiting.remove(flood.ip());
            ReceivedAlert a = alert.getNow(null);
            if (a == null) {
                progress.printf(Locale.ROOT, "run %d: flood from %s got no alert within %s%n", run, flood.ip(),
                        DurationText.format(options.floodTimeout()));
                if (run > 0) missed++;
            } else {
                long detected = a.detectedAt().toEpochMilli();
                Sample s = new Sample(run, flood.ip(), flood.country(), a.dataset(), Instant.ofEpochMilli(onset), a.detectedAt(),
                        seconds(trace.firstAcceptNanos(), a.receivedNanos()), (detected - onset) / 1000.0,
                        seconds(trace.acceptNanosAt(detected), a.receivedNanos()), trace.countUpTo(detected));
                progress.printf(Locale.ROOT, "run %d%s: %s (%s) (a) first put → subscriber %.2f s, (b) onset → detection %.2f s, "
                                + "(c) crossing put → subscriber %.2f s, %d requests%n", run, run == 0 ? " (warm-up)" : "",
                        AlertLine.safe(flood.ip()), flood.country(), s.firstPutToReceiveSeconds(), s.onsetToDetectionSeconds(),
                        s.crossingPutToReceiveSeconds(), s.requestsAtDetection());
                if (run > 0) samples.add(s);
            }
            Thread.sleep(options.pause().toMillis());
        }
        return new Result(samples, missed,
                Stats.of(samples.stream().map(Sample::firstPutToReceiveSeconds).toList()),
                Stats.of(samples.stream().map(Sample::onsetToDetectionSeconds).toList()),
                Stats.of(samples.stream().map(Sample::crossingPutToReceiveSeconds).toList()),
                latencySettings(session.config()));
    }

    private static void check(LiveSession session, CompletableFuture<?> streaming) throws Exception {
        session.checkJob();
        if (streaming.isCompletedExceptionally()) streaming.join();
    }

    private static double seconds(long fromNanos, long toNanos) {
        return fromNanos == Long.MIN_VALUE ? Double.NaN : (toNanos - fromNanos) / 1e9;
    }

    /** The settings on the alert's path, as the job ran. */
    static Map<String, String> latencySettings(LiveJobConfig live) {
        Map<String, String> s = new LinkedHashMap<>();
        KinesisSettings.StreamInput waf = live.kinesis().waf();
        s.put("kinesis.waf.reader", waf.reader().label());
        if (waf.reader() == KinesisSettings.Reader.LEGACY_POLLING) {
            s.put("kinesis.waf.polling.interval", waf.pollInterval() == null ? "200ms(connector default)"
                    : DurationText.format(waf.pollInterval()));
        }
        if (live.sns() != null) {
            s.put("sns.max-time-in-buffer", DurationText.format(live.sns().maxTimeInBuffer()));
            s.put("sns.batch.max-entries", Integer.toString(live.sns().maxBatchEntries()));
        }
        SpikeRule ip = live.detector().detection().rule(Dimension.IP, Signal.REQUESTS);
        s.put("detect.ip.requests.min-volume", fmt(ip.minVolume()));
        s.put("detect.ip.requests.absolute-rate", fmt(ip.absoluteRate()));
        s.put("detect.ip.requests.min-fraction", fmt(ip.minFraction()));
        s.put("watermark.waf.out-of-orderness", DurationText.format(live.detector().watermarks(LogSource.WAF).outOfOrderness()));
        s.put("job.parallelism", Integer.toString(live.detector().parallelism()));
        return s;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
