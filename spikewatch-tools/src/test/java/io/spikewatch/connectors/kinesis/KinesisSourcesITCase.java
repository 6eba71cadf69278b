package io.spikewatch.connectors.kinesis;

import io.spikewatch.loader.KinesisLoader;
import io.spikewatch.loader.LogFiles;
import io.spikewatch.loader.LogRecordPacker;
import io.spikewatch.loader.LogRecordPacker.Format;
import io.spikewatch.connectors.AwsAuth;
import io.spikewatch.loader.LogRecordPacker.Format;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.parsing.RecordDecoder;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.RawRecord;
import io.spikewatch.testing.CollectingSink;
import io.spikewatch.testing.LocalKinesisServer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.checkpoint.FailedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kinesis input end to end against the real local Kinesis (kinesis-local, started by
 * deploy/local/kinesis.sh or reused when one runs): generated WAF and ALB logs are put with the
 * loader in all three formats (lines, gzip batches, CloudWatch envelopes) into a 2-shard WAF stream
 * and a 1-shard ALB stream; a MiniCluster job reads both with our sources from TRIM_HORIZON,
 * decodes with the job's RecordDecoder and collects the lines. Every line must arrive exactly once
 * per put (three times in all), with the configured stream name and a plausible arrival time, while
 * checkpoints of the Kinesis state complete (the JVM --add-opens flags are in the failsafe argLine;
 * a failing checkpoint fails the job here, it is not tolerated).
 *
 * <p>Both source classes: the FLIP-27 KinesisStreamsSource ({@code polling}) and the legacy
 * FlinkKinesisConsumer in polling mode ({@code legacy-polling}; its EFO mode needs HTTP/2
 * SubscribeToShard, which is not exercised here).
 */
class KinesisSourcesITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path scenarioDir;

    private static LocalKinesisServer server;
    private static KinesisClient client;
    private static List<String> wafLines;
    private static List<String> albLines;

    @BeforeAll
    static void startKinesisAndGenerateLogs() throws Exception {
        server = LocalKinesisServer.startOrReuse();
        client = KinesisLoader.client(server.endpoint(), server.region(), AwsAuth.DEFAULT_CHAIN);
        new TrafficGenerator(new GeneratorOptions(Scenario.QUIET_DAY, scenarioDir, 5, GeneratorOptions.DEFAULT_START,
                Duration.ofMinutes(30), 200, 0.5, "US")).run();
        wafLines = readLines(scenarioDir.resolve("waf"));
        albLines = readLines(scenarioDir.resolve("alb"));
        assertThat(wafLines).hasSizeGreaterThan(100);
        assertThat(albLines).hasSizeGreaterThan(100);
    }

    @AfterAll
    static void stopKinesis() throws Exception {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private static List<String> readLines(Path dir) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        for (Path f : LogFiles.list(List.of(dir))) LogFiles.forEachLine(f, lines::add);
        return lines;
    }

    @ParameterizedTest(name = "reader={0}")
    @EnumSource(value = KinesisSettings.Reader.class, names = {"POLLING", "LEGACY_POLLING"})
    void everyLinePutInEveryFormatArrivesExactlyOnce(KinesisSettings.Reader reader,
                                                     @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        String suffix = Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        String wafStream = "it-waf-" + suffix;
        String albStream = "it-alb-" + suffix;
        long testStart = System.currentTimeMillis();
        String wafArn = KinesisLoader.createStream(client, wafStream, 2, Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
        String albArn = KinesisLoader.createStream(client, albStream, 1, Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
        assertThat(wafArn).isEqualTo(KinesisSettings.localStreamArn(server.region(), wafStream));

        Map<String, Long> expected = new HashMap<>();
        for (Format format : Format.values()) {
            put(wafStream, scenarioDir.resolve("waf"), format);
            put(albStream, scenarioDir.resolve("alb"), format);
            wafLines.forEach(l -> expected.merge(wafStream + "\t" + l, 1L, Long::sum));
            albLines.forEach(l -> expected.merge(albStream + "\t" + l, 1L, Long::sum));
        }
        long expectedCount = 3L * (wafLines.size() + albLines.size());

        Map<String, String> keys = new HashMap<>();
        keys.put("kinesis.waf.stream", reader == KinesisSettings.Reader.POLLING ? wafArn : wafStream);
        keys.put("kinesis.alb.stream", reader == KinesisSettings.Reader.POLLING ? albArn : albStream);
        for (String s : List.of("waf", "alb")) {
            keys.put("kinesis." + s + ".region", server.region());
            keys.put("kinesis." + s + ".endpoint", server.endpoint());
            keys.put("kinesis." + s + ".initial-position", "TRIM_HORIZON");
            keys.put("kinesis." + s + ".reader", reader.label());
            if (reader == KinesisSettings.Reader.LEGACY_POLLING) keys.put("kinesis." + s + ".polling.interval", "100ms");
        }
        KinesisSettings settings = KinesisSettings.fromMap(keys);

        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        env.getCheckpointConfig().setTolerableCheckpointFailureNumber(0);
        String sinkName = "kinesis-it-" + reader.label() + "-" + suffix;
        KinesisInputs.create(env, settings)
                .flatMap(new DecodeLines(testStart)).uid("decode").name("Decode")
                .sinkTo(new CollectingSink<>(sinkName)).uid("collect").name("Collect");
        JobClient job = env.executeAsync("kinesis-it " + reader.label());
        try {
            awaitCount(job, sinkName, expectedCount);
            // Give duplicates (e.g. from a replayed poll) one more checkpoint cycle to show up.
            awaitNextCompletedCheckpoint(miniCluster, job.getJobID());

            Map<String, Long> actual = CollectingSink.<String>values(sinkName).stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(actual.keySet()).noneMatch(k -> k.startsWith("DEAD\t") || k.startsWith("BAD_ARRIVAL\t"));
            assertThat(actual).as("each line once per put format").isEqualTo(expected);
            // Checkpoints that failed once triggered (e.g. state that cannot be serialized). Triggers
            // refused while the tasks were still being deployed are counted by Flink as failed too,
            // but never reach the history, and are not what this guards against.
            assertThat(failedCheckpoints(miniCluster, job.getJobID())).isEmpty();
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void put(String stream, Path input, Format format) throws Exception {
        try (KinesisLoader loader = new KinesisLoader(
                KinesisLoader.client(server.endpoint(), server.region(), AwsAuth.DEFAULT_CHAIN),
                stream, 5, d -> Thread.sleep(d.toMillis()), new Random(), null)) {
            KinesisLoader.Summary s = loader.load(List.of(input), format, 25, null);
            assertThat(s.skippedLines()).isZero();
        }
    }

    /** Polls the collected count until it reaches {@code expected}; fails fast if the job ends. */
    private static void awaitCount(JobClient job, String sinkName, long expected) throws Exception {
        long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
        while (true) {
            int n = CollectingSink.values(sinkName).size();
            if (n >= expected) return;
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status.isGloballyTerminalState()) {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS); // throws the failure cause
                throw new AssertionError("job ended " + status + " after " + n + " of " + expected + " lines");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + n + " of " + expected + " lines arrived within " + ARRIVAL_TIMEOUT);
            }
            Thread.sleep(200);
        }
    }

    private static void awaitNextCompletedCheckpoint(MiniCluster cluster, JobID job) throws Exception {
        long before = checkpoints(cluster, job).getNumberOfCompletedCheckpoints();
        long deadline = System.nanoTime() + CHECKPOINT_TIMEOUT.toNanos();
        while (checkpoints(cluster, job).getNumberOfCompletedCheckpoints() <= before) {
            if (System.nanoTime() > deadline) throw new AssertionError("no checkpoint completed within " + CHECKPOINT_TIMEOUT);
            Thread.sleep(100);
        }
    }

    private static List<String> failedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (AbstractCheckpointStats c : cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS)
                .getCheckpointStatsSnapshot().getHistory().getCheckpoints()) {
            if (c instanceof FailedCheckpointStats f) out.add(f.getCheckpointId() + ": " + f.getFailureMessage());
        }
        return out;
    }

    private static CheckpointStatsCounts checkpoints(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS).getCheckpointStatsSnapshot().getCounts();
    }

    /** The job's own decoder over what the source produced; anything unexpected becomes a marker line. */
    static final class DecodeLines implements FlatMapFunction<RawRecord, String> {
        private final RecordDecoder decoder = new RecordDecoder();
        private final long testStart;

        DecodeLines(long testStart) {
            this.testStart = testStart;
        }

        @Override
        public void flatMap(RawRecord record, Collector<String> out) {
            boolean plausible = record.arrivalTime >= testStart - 60_000
                    && record.arrivalTime <= System.currentTimeMillis() + 60_000;
            String prefix = (plausible ? "" : "BAD_ARRIVAL\t") + record.stream + "\t";
            decoder.decode(record, new RecordDecoder.LineSink() {
                @Override
                public void line(String line) {
                    out.collect(prefix + line);
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    out.collect("DEAD\t" + d.reason + "\t" + d.detail);
                }
            });
        }
    }
}
