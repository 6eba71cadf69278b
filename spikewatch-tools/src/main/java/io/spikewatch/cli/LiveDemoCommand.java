package io.spikewatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.config.ConfigLoader;
import io.spikewatch.config.DurationText;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.loader.KinesisLoader;
import io.spikewatch.loader.LogLineCursor;
import io.spikewatch.loader.PacedClock;
import io.spikewatch.loader.PacedLogStreamer;
import io.spikewatch.connectors.opensearch.IndexNames;
import io.spikewatch.connectors.opensearch.OpenSearchHttpClient;
import io.spikewatch.evaluation.AlertSummary;
import io.spikewatch.evaluation.EvaluationReport;
import io.spikewatch.evaluation.Evaluator;
import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.localstack.LiveSession;
import io.spikewatch.localstack.LocalStack;
import io.spikewatch.localstack.ReceivedAlert;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.LogSource;
import io.spikewatch.report.AlertLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code live-demo}: the file-only {@code demo}'s sibling on the real local stack. Starts the
 * servers, generates a short labelled scenario whose event time ends now, streams it into two fresh
 * Kinesis streams at an accelerated clock while the live job runs on a local MiniCluster, prints
 * alerts as a subscriber of the SNS topic receives them (an SQS queue), and ends with the evaluation
 * of those alerts against the labels and ready-to-paste OpenSearch queries. The servers keep running.
 */
@Command(name = "live-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "The demo on the real local stack: start kinesis-local, OpenSearch and fauxqs (deploy/local/stack.sh start; "
                    + "the first run installs them), generate a short labelled scenario, stream it into Kinesis at an "
                    + "accelerated clock while the live job runs, print alerts as the SNS topic's SQS subscriber receives them, "
                    + "evaluate them and print OpenSearch queries. The stack keeps running (deploy/local/stack.sh stop).",
            "",
            "Defaults: 2h of 'mixed' traffic (single-IP flood, country surge, scanner, flash crowd; 400 IPs, 3 req/s of "
                    + "background) at 60x, about 2 minutes of streaming; one PutRecords per stream every 200 ms, WAF lines as "
                    + "CloudWatch Logs envelopes and ALB lines as gzip batches of up to 500 lines: ~2,000 lines/s and ~9 records/s "
                    + "on average, 3,000-4,000 lines/s per log while the incidents run. The local Kinesis engine needs ~2 ms of CPU "
                    + "per record plus more per byte: at those peaks it falls behind by seconds (progress shows the slowest "
                    + "round) and catches up; a much higher --speed or --rate only makes that worse.",
            "",
            "Job profile: --config (default jobs/local) and --set, with this run's streams, endpoints, country database "
                    + "and a watermark idleness divided by --speed on top.",
            ""})
public class LiveDemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long to keep listening for alerts after the last line was sent, if messages keep coming. */
    private static final Duration DRAIN_MAX = Duration.ofSeconds(30);
    private static final Duration DRAIN_QUIET = Duration.ofSeconds(5);
    private static final Duration MIN_IDLENESS = Duration.ofMillis(200);

    @Option(names = "--scenario", defaultValue = "mixed",
            description = "Scenario: ip-flood, country-surge, scanner, flash-crowd, quiet-day or mixed (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--duration", defaultValue = "2h", description = "Simulated time, at least 30m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--speed", defaultValue = "60", description = "Event time per wall-clock time (default: ${DEFAULT-VALUE}x).")
    double speed;

    @Option(names = "--ips", defaultValue = "400", description = "Distinct background client IPs (default: ${DEFAULT-VALUE}).")
    int ips;

    @Option(names = "--rate", defaultValue = "3", description = "Mean background requests per second, event time (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tick", defaultValue = "200ms", description = "Pause between PutRecords rounds (default: ${DEFAULT-VALUE}).")
    String tick;

    @Option(names = "--out", defaultValue = "demo-output/live",
            description = "Working directory: logs/ (generated), sns-alerts.jsonl (what the subscriber received) (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--skip-stack-start",
            description = "Do not run deploy/local/stack.sh start; use servers already running on the default ports.")
    boolean skipStackStart;

    @Mixin
    ConfigOptions config;

    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    @Override
    public Integer call() throws Exception {
        Duration simulated = DurationText.parse(duration);
        Duration tickDuration = DurationText.parse(tick);
        if (!(speed >= 1 && speed <= 10_000)) throw new IllegalArgumentException("--speed must be between 1 and 10000");
        if (tickDuration.toMillis() < 10 || tickDuration.toMillis() > 10_000) {
            throw new IllegalArgumentException("--tick must be between 10ms and 10s");
        }
        Path project = LocalStack.projectDirectory();
        Path profile = config.profile() != null ? config.profile() : project.resolve("jobs/local");
        LocalStack stack = LocalStack.fromEnvironment();

        stdout.println("== 1/5 local stack: kinesis-local " + stack.kinesisEndpoint() + ", OpenSearch " + stack.openSearchUrl()
                + ", fauxqs (SNS+SQS) " + stack.snsEndpoint());
        if (skipStackStart) {
            stdout.println("   --skip-stack-start: using the servers already running");
        } else {
            LocalStack.start(project, line -> stderr.println("[stack] " + line));
        }

        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(simulated);
        Path logs = out.resolve("logs");
        GeneratorOptions options = GeneratorOptions.defaults(Scenario.fromCliName(scenario), logs).withSeed(seed)
                .withStart(start).withDuration(simulated).withDistinctIps(ips).withMeanRequestsPerSecond(rate);
        stdout.printf(Locale.ROOT, "%n== 2/5 generating %s of '%s' traffic (seed %d, %d IPs, %.1f req/s background), event time %s to %s%n",
                duration, scenario, seed, ips, rate, clock(start), clock(end));
        GenerationSummary generated = new TrafficGenerator(options).run(line -> stderr.println("[generate] " + line));
        stdout.printf(Locale.ROOT, "   %,d requests in each log; labelled incidents:%n", generated.requests());
        for (TruthIncident t : generated.incidents()) {
            stdout.printf(Locale.ROOT, "   %-13s %-7s %-45s %s-%s%n", t.kind(), t.dimension(), AlertLine.safe(t.key()),
                    clock(t.start()), clock(t.end()));
        }

        String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        Files.createDirectories(out);
        Path alertsFile = out.resolve("sns-alerts.jsonl");
        List<ReceivedAlert> received = new ArrayList<>();
        AtomicLong lastReceived = new AtomicLong(System.nanoTime());
        stdout.println();
        stdout.println("== 3/5 streams, SNS subscription and the live job (run " + runId + ")");
        try (BufferedWriter alertsOut = Files.newBufferedWriter(alertsFile, StandardCharsets.UTF_8)) {
            LiveSession.Setup setup = new LiveSession.Setup(profile, acceleratedOverrides(profile),
                    generated.countryDatabase(), options.homeCountry(), runId);
            LiveSession session = LiveSession.open(stack, setup, alert -> {
                synchronized (received) {
                    received.add(alert);
                    lastReceived.set(System.nanoTime());
                    try {
                        alertsOut.write(alert.raw().replace('\n', ' '));
                        alertsOut.newLine();
                        alertsOut.flush();
                    } catch (IOException e) {
                        stderr.println("spikewatch: cannot write " + alertsFile + ": " + e.getMessage());
                    }
                    stdout.println("[sns " + clock(alert.receivedAt()) + "] " + AlertLine.format(alert.document()));
                }
            }, line -> stdout.println("   " + line));
            Thread cleanup = new Thread(() -> closeQuietly(session), "live-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                PacedLogStreamer.Summary sent = stream(session, generated, options, tickDuration);
                drain(session, received, lastReceived);
                summarize(session.config(), generated, options, sent, received, alertsFile);
            } finally {
                stdout.println();
                stdout.println("stopping the live job and deleting this run's streams and queue...");
                session.close();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
        stdout.println("done. The local stack keeps running; stop it with: deploy/local/stack.sh stop");
        return 0;
    }

    /**
     * The user's overrides plus the watermark idleness divided by {@code --speed}. Idleness is
     * wall-clock time: at 60x the default minute would be an hour of event time, during which a
     * source subtask without a shard (one of two, each stream has one shard) holds every window open,
     * so no window closes and no baseline forms during most of the demo.
     */
    private Map<String, String> acceleratedOverrides(Path profile) throws IOException {
        Map<String, String> values = new LinkedHashMap<>(config.overrides());
        SpikewatchConfig cfg = ConfigLoader.load(profile, values);
        for (LogSource source : LogSource.values()) {
            Duration idleness = cfg.watermarks(source).idleness();
            Duration scaled = Duration.ofMillis(Math.max(MIN_IDLENESS.toMillis(), (long) (idleness.toMillis() / speed)));
            values.put("watermark." + source.label() + ".idleness", DurationText.format(scaled));
            stdout.printf(Locale.ROOT, "   watermark.%s.idleness %s (wall clock) scaled to %s for %.0fx%n", source.label(),
                    DurationText.format(idleness), DurationText.format(scaled), speed);
        }
        return values;
    }

    private PacedLogStreamer.Summary stream(LiveSession session, GenerationSummary generated, GeneratorOptions options,
                                            Duration tickDuration) throws Exception {
        Duration wall = Duration.ofMillis((long) (options.duration().toMillis() / speed));
        stdout.printf(Locale.ROOT, "%n== 4/5 streaming at %.0fx (%s of event time in about %s); alerts as the SNS subscriber receives them%n",
                speed, DurationText.format(options.duration()), DurationText.format(wall.truncatedTo(ChronoUnit.SECONDS)));
        PacedClock clock = new PacedClock(options.start().toEpochMilli(), System.currentTimeMillis(), speed);
        try (PacedLogStreamer streamer = session.streamer(
                LogLineCursor.of(List.of(options.outputDir().resolve("waf"))),
                LogLineCursor.of(List.of(options.outputDir().resolve("alb"))),
                clock, tickDuration, Duration.ofSeconds(5), line -> stderr.println("[stream] " + line))) {
            CompletableFuture<PacedLogStreamer.Summary> done = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    done.complete(streamer.streamAll());
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            }, "live-demo-streamer");
            t.start();
            try {
                while (true) {
                    try {
                        return done.get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException stillStreaming) {
                        session.checkJob();
                    }
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : new CompletionException(e.getCause());
            } finally {
                t.interrupt();
                t.join(10_000);
            }
        }
    }

    /** Keeps listening until no alert came for a few seconds (at most {@link #DRAIN_MAX}). */
    private void drain(LiveSession session, List<ReceivedAlert> received, AtomicLong lastReceived) throws Exception {
        stdout.println("   all lines sent; waiting for the last alerts...");
        long deadline = System.nanoTime() + DRAIN_MAX.toNanos();
        lastReceived.set(Math.max(lastReceived.get(), System.nanoTime()));
        while (System.nanoTime() < deadline && System.nanoTime() - lastReceived.get() < DRAIN_QUIET.toNanos()) {
            session.checkJob();
            Thread.sleep(250);
        }
    }

    private void summarize(LiveJobConfig live, GenerationSummary generated, GeneratorOptions options,
                           PacedLogStreamer.Summary sent, List<ReceivedAlert> received, Path alertsFile) throws IOException {
        stdout.println();
        stdout.println("== 5/5 summary");
        KinesisLoader.Summary waf = sent.lanes().get(LiveSession.WAF_LANE);
        KinesisLoader.Summary alb = sent.lanes().get(LiveSession.ALB_LANE);
        double seconds = sent.elapsed().toMillis() / 1000.0;
        stdout.printf(Locale.ROOT, "sent %,d WAF lines in %,d CloudWatch Logs envelopes and %,d ALB lines in %,d gzip records "
                        + "(%,d PutRecords calls) in %.0f s: %,.0f lines/s, %,.1f records/s%n",
                waf.lines(), waf.records(), alb.lines(), alb.records(), waf.requests() + alb.requests(), seconds,
                sent.lines() / seconds, sent.records() / seconds);

        Map<String, AlertSummary> byId = new LinkedHashMap<>();
        int openings = 0;
        synchronized (received) {
            for (ReceivedAlert a : received) {
                if (AlertDocument.CHANGE_OPEN.equals(a.change())) openings++;
                byId.remove(a.alertId());
                byId.put(a.alertId(), a.summary());
            }
            stdout.printf(Locale.ROOT, "the SNS subscriber received %d messages (%d openings, %d escalations): %s%n",
                    received.size(), openings, received.size() - openings, alertsFile);
        }
        EvaluationReport report = Evaluator.evaluate(Evaluator.readTruth(generated.truthFile()), byId.values(),
                options.duration(), "generator options");
        stdout.println();
        stdout.println("evaluation of the received alerts against " + generated.truthFile() + ":");
        stdout.println(report.render());

        String os = live.opensearch().hosts().get(0);
        String prefix = live.opensearch().indexPrefix();
        String range = "{\"range\":{\"@timestamp\":{\"gte\":\"" + options.start() + "\",\"lt\":\""
                + options.start().plus(options.duration()).plus(Evaluator.GRACE) + "\"}}}";
        String alerts = IndexNames.pattern(prefix, IndexNames.ALERTS);
        String rates = IndexNames.pattern(prefix, IndexNames.RATES);
        String deadLetters = IndexNames.pattern(prefix, IndexNames.DEAD_LETTERS);
        OpenSearchHttpClient client = new OpenSearchHttpClient(live.opensearch());
        String ratesQuery = "{\"bool\":{\"filter\":[{\"term\":{\"dimension\":\"scope\"}},{\"term\":{\"key\":\"all\"}}," + range + "]}}";
        stdout.printf(Locale.ROOT, "OpenSearch %s: %s of the %d alerts the subscriber received are in %s.%n", os,
                count(client, alerts, "{\"terms\":{\"alert.id\":" + JSON.valueToTree(byId.keySet()) + "}}"), byId.size(), alerts);
        stdout.println("Queries for this run's event time (runs started less than --duration apart overlap it):");
        stdout.println("  alerts:");
        stdout.println("    " + curl(os, alerts, "{\"query\":" + range + ",\"sort\":[{\"@timestamp\":\"asc\"}],\"size\":50}"));
        stdout.println("  requests per minute, all traffic (scope all):");
        stdout.println("    " + curl(os, rates, "{\"query\":" + ratesQuery
                + ",\"sort\":[{\"@timestamp\":\"asc\"}],\"size\":500,\"_source\":[\"@timestamp\",\"event.dataset\",\"requests\",\"anomaly\"]}"));
        stdout.println("  dead letters (undecodable or unparsable input; the demo sends none):");
        stdout.println("    curl -s '" + os + "/" + deadLetters + "/_search?pretty&size=5&sort=@timestamp:desc'");
    }

    private static String count(OpenSearchHttpClient client, String index, String query) {
        try {
            client.post("/" + index + "/_refresh", "{}");
            OpenSearchHttpClient.Response r = client.post("/" + index + "/_count", "{\"query\":" + query + "}");
            return r.ok() ? String.format(Locale.ROOT, "%,d", JSON.readTree(r.body()).path("count").asLong()) : "?";
        } catch (IOException | RuntimeException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    private static String curl(String host, String index, String body) {
        return "curl -s '" + host + "/" + index + "/_search?pretty' -H 'Content-Type: application/json' -d '" + body + "'";
    }

    private static String clock(Instant t) {
        return LocalTime.ofInstant(t, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + "Z";
    }

    private void closeQuietly(LiveSession session) {
        try {
            session.close();
        } catch (Exception e) {
            stderr.println("spikewatch: cleaning up after interrupt: " + e.getMessage());
        }
    }
}
