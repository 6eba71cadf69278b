package io.spikewatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.connectors.AwsAuth;
import io.spikewatch.cli.ReplayJob;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.connectors.StartupChecks;
import io.spikewatch.loader.KinesisLoader;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.loader.LogRecordPacker;
import io.spikewatch.connectors.opensearch.OpenSearchHttpClient;
import io.spikewatch.connectors.opensearch.OpenSearchSetup;
import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.generator.GenerationSummary;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.generator.TrafficGenerator;
import io.spikewatch.testing.LocalKinesisServer;
import io.spikewatch.testing.LocalOpenSearch;
import io.spikewatch.testing.LocalSnsServer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live path end to end on the real local servers: a generated single-IP flood is put into two
 * Kinesis streams (WAF as CloudWatch Logs envelopes, ALB as gzip batches) with a few malformed
 * records, the live job runs on a MiniCluster, and the test checks what OpenSearch holds and what an
 * SQS queue subscribed to the SNS topic received — and that a replay of the same files wrote the
 * same rate and alert documents.
 */
@ExtendWith(LocalOpenSearch.class)
class LivePathITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Map<String, String> SAVED = new HashMap<>();

    private static LocalKinesisServer kinesis;
    private static LocalSnsServer snsServer;

    @BeforeAll
    static void servers() throws Exception {
        for (String[] p : new String[][] {{"aws.accessKeyId", "local"}, {"aws.secretAccessKey", "local"},
                {"aws.secretKey", "local"}, {"aws.disableEc2Metadata", "true"}}) {
            SAVED.put(p[0], System.getProperty(p[0]));
            System.setProperty(p[0], p[1]);
        }
        kinesis = LocalKinesisServer.startOrReuse();
        snsServer = LocalSnsServer.ensureRunning();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (kinesis != null) kinesis.close();
        if (snsServer != null) snsServer.close();
        SAVED.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    @Test
    void floodFromKinesisReachesOpenSearchAndOneSnsMessagePerOpening(@TempDir Path dir) throws Exception {
        // 1. Input: a short single-IP flood scenario, in both logs.
        Path logs = dir.resolve("logs");
        GenerationSummary generated = new TrafficGenerator(GeneratorOptions.defaults(Scenario.IP_FLOOD, logs)
                .withSeed(5).withDuration(Duration.ofHours(3)).withDistinctIps(400).withMeanRequestsPerSecond(3)).run();
        TruthIncident flood = generated.incidents().get(0);

        // 2. Kinesis: one stream per log; WAF as CloudWatch Logs envelopes, ALB as gzip batches.
        Region region = Region.US_EAST_1;
        String wafStream = "waf-" + RUN;
        String albStream = "alb-" + RUN;
        String wafArn;
        String albArn;
        try (KinesisClient client = KinesisLoader.client(kinesis.endpoint(), kinesis.region(), AwsAuth.DEFAULT_CHAIN)) {
            wafArn = KinesisLoader.createStream(client, wafStream, 1, Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
            albArn = KinesisLoader.createStream(client, albStream, 1, Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
            put(wafStream, logs.resolve("waf"), LogRecordPacker.Format.CLOUDWATCH);
            put(albStream, logs.resolve("alb"), LogRecordPacker.Format.GZIP);
            // Malformed records: an unknown line and a corrupt gzip.
            client.putRecord(b -> b.streamName(wafStream).partitionKey("x").data(SdkBytes.fromUtf8String("not a log line")));
            client.putRecord(b -> b.streamName(albStream).partitionKey("y")
                    .data(SdkBytes.fromByteArray(new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3})));
        }

        // 3. SNS topic with an SQS subscriber (raw delivery: attributes arrive as message attributes).
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        String topicArn;
        String queueUrl;
        try (SnsClient sns = SnsClient.builder().endpointOverride(snsServer.endpoint).region(region).credentialsProvider(creds).build();
             SqsClient sqs = SqsClient.builder().endpointOverride(snsServer.endpoint).region(region).credentialsProvider(creds).build()) {
            topicArn = sns.createTopic(b -> b.name("alerts-" + RUN)).topicArn();
            queueUrl = sqs.createQueue(b -> b.queueName("subscriber-" + RUN)).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }

        // 4. The live job, configured the way a profile would configure it.
        String prefix = "e2e-" + RUN;
        Map<String, String> settings = new HashMap<>();
        settings.put("geo.alb.database", generated.countryDatabase().toString());
        settings.put("job.checkpoint-interval", "2s");
        settings.put("job.parallelism", "2");
        for (String[] s : new String[][] {{"waf", wafArn}, {"alb", albArn}}) {
            settings.put("kinesis." + s[0] + ".stream", s[1]);
            settings.put("kinesis." + s[0] + ".endpoint", kinesis.endpoint());
            settings.put("kinesis." + s[0] + ".initial-position", "TRIM_HORIZON");
            settings.put("kinesis." + s[0] + ".reader", "legacy-polling");
        }
        settings.put("opensearch.hosts", LocalOpenSearch.url());
        settings.put("opensearch.index-prefix", prefix);
        settings.put("opensearch.bulk.interval", "500ms");
        settings.put("sns.topic-arn", topicArn);
        settings.put("sns.region", "us-east-1");
        settings.put("sns.endpoint", snsServer.endpoint.toString());
        LiveJobConfig live = LiveJobConfig.fromMap(settings);
        new OpenSearchSetup(live.opensearch(), OpenSearchSetup.Retention.defaults()).install();
        StartupChecks.withProcessEnvironment().run(live);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamingJob.define(env, live);
        JobClient job = env.executeAsync("spikewatch-e2e");
        OpenSearchHttpClient os = new OpenSearchHttpClient(live.opensearch());
        try {
            // 5. Rates: every closed window of the scope "all" counts exactly the input's requests.
            Map<String, Map<Long, Long>> expected = expectedCountsPerWindow(logs);
            long wafCutoff = lastWindowClosed(expected.get("aws.waf"), Duration.ofSeconds(10));
            long albCutoff = lastWindowClosed(expected.get("aws.elb"), Duration.ofMinutes(5));
            await("rate documents of every closed window", () -> {
                Map<String, Map<Long, Long>> actual = scopeAllCounts(os, prefix);
                return matches(expected.get("aws.waf"), actual.get("aws.waf"), wafCutoff)
                        && matches(expected.get("aws.elb"), actual.get("aws.elb"), albCutoff);
            });

            // 6. Alerts: the labelled flood is in the alerts index, with evidence.
            await("the flood alert", () -> !search(os, prefix + "-alerts-*",
                    "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"dimension\":\"ip\"}},{\"term\":{\"key\":\""
                            + flood.key() + "\"}}]}}}").isEmpty());

            // 7. Dead letters of the malformed records.
            await("dead letters", () -> {
                Set<String> reasons = new HashSet<>();
                for (JsonNode d : search(os, prefix + "-deadletter-*", "{\"query\":{\"match_all\":{}}}")) {
                    reasons.add(d.path("reason").asText());
                }
                return reasons.containsAll(Set.of("unknown_format", "corrupt_gzip"));
            });

            // 8. SNS: exactly one message per incident opening (plus escalations), with attributes.
            List<JsonNode> alerts = search(os, prefix + "-alerts-*", "{\"query\":{\"match_all\":{}}}");
            Set<String> opened = new HashSet<>();
            for (JsonNode a : alerts) opened.add(a.path("alert").path("id").asText());
            List<Message> messages = new ArrayList<>();
            try (SqsClient sqs = SqsClient.builder().endpointOverride(snsServer.endpoint).region(region).credentialsProvider(creds).build()) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < deadline && openings(messages).size() < opened.size()) {
                    messages.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                            .messageAttributeNames("All")).messages());
                }
                messages.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(2)
                        .messageAttributeNames("All")).messages());
            }
            List<String> openIds = openings(messages);
            assertThat(openIds).doesNotHaveDuplicates();
            assertThat(new HashSet<>(openIds)).isEqualTo(opened);
            Message floodMessage = messages.stream().filter(m -> body(m).path("key").asText().equals(flood.key())
                    && body(m).path("dimension").asText().equals("ip")).findFirst().orElseThrow();
            assertThat(floodMessage.messageAttributes().get("dimension").stringValue()).isEqualTo("ip");
            assertThat(floodMessage.messageAttributes().get("severity").stringValue()).isIn("low", "medium", "high", "critical");
            assertThat(floodMessage.messageAttributes().get("dataset").stringValue()).isIn("aws.waf", "aws.elb");
            assertThat(floodMessage.messageAttributes().get("country").stringValue()).isEqualTo(flood.country());

            // 9. Replay of the same files writes the same rate counts and the same alerts.
            SpikewatchConfig replayConfig = live.detector();
            Path replayOut = dir.resolve("replay");
            ReplayJob.run(List.of(logs.resolve("waf"), logs.resolve("alb")), replayOut, replayConfig, false, null);
            Map<String, JsonNode> replayRates = byId(replayOut.resolve("rates.jsonl"), true);
            Map<String, JsonNode> liveRates = allRates(os, prefix);
            int compared = 0;
            for (Map.Entry<String, JsonNode> e : liveRates.entrySet()) {
                JsonNode l = e.getValue();
                long start = java.time.Instant.parse(l.path("window").path("start").asText()).toEpochMilli();
                long cutoff = l.path("event").path("dataset").asText().equals("aws.waf") ? wafCutoff : albCutoff;
                if (start > cutoff) continue;
                JsonNode r = replayRates.get(e.getKey());
                assertThat(r).as("replay has rate %s: %s", e.getKey(), l).isNotNull();
                assertThat(r.path("requests")).isEqualTo(l.path("requests"));
                assertThat(r.path("http")).isEqualTo(l.path("http"));
                compared++;
            }
            assertThat(compared).isGreaterThan(100);
            Set<String> replayAlertIds = byId(replayOut.resolve("alerts.jsonl"), false).keySet();
            assertThat(replayAlertIds).containsAll(opened);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /** Loads with the project's loader (which owns and closes its client). */
    private static void put(String stream, Path input, LogRecordPacker.Format format) throws Exception {
        KinesisClient client = KinesisLoader.client(kinesis.endpoint(), kinesis.region(), AwsAuth.DEFAULT_CHAIN);
        try (KinesisLoader loader = new KinesisLoader(client, stream, 5, d -> Thread.sleep(d.toMillis()), new Random(1), null)) {
            KinesisLoader.Summary s = loader.load(List.of(input), format, 200, LogRecordPacker.CloudWatchMeta.defaults());
            assertThat(s.skippedLines()).isZero();
        }
    }

    /** Requests per one-minute window per dataset, read from the generated files with the project's parser. */
    private static Map<String, Map<Long, Long>> expectedCountsPerWindow(Path logs) throws Exception {
        Map<String, Map<Long, Long>> out = new HashMap<>();
        io.spikewatch.parsing.LogLineParser parser = new io.spikewatch.parsing.LogLineParser();
        for (String sub : new String[] {"waf", "alb"}) {
            for (Path f : io.spikewatch.loader.LogFiles.list(List.of(logs.resolve(sub)))) {
                io.spikewatch.loader.LogFiles.forEachLine(f, line -> parser.parse(line, "x", 0,
                        new io.spikewatch.parsing.ParseOutput() {
                            @Override
                            public void event(io.spikewatch.records.AccessEvent e) {
                                out.computeIfAbsent(e.source.dataset(), k -> new TreeMap<>())
                                        .merge(Math.floorDiv(e.timestamp, 60_000L) * 60_000L, 1L, Long::sum);
                            }

                            @Override
                            public void deadLetter(io.spikewatch.records.DeadLetter d) {
                                throw new AssertionError("generated line did not parse: " + d);
                            }
                        }));
            }
        }
        return out;
    }

    /** Start of the last window whose end is behind the final watermark (last event − bound). */
    private static long lastWindowClosed(Map<Long, Long> windows, Duration bound) {
        long lastEvent = ((TreeMap<Long, Long>) windows).lastKey() + 59_999;
        return Math.floorDiv(lastEvent - bound.toMillis(), 60_000L) * 60_000L - 60_000L;
    }

    private static boolean matches(Map<Long, Long> expected, Map<Long, Long> actual, long cutoff) {
        if (actual == null) return false;
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            if (e.getKey() > cutoff) break;
            if (!e.getValue().equals(actual.get(e.getKey()))) return false;
        }
        return true;
    }

    private static Map<String, Map<Long, Long>> scopeAllCounts(OpenSearchHttpClient os, String prefix) throws Exception {
        Map<String, Map<Long, Long>> out = new HashMap<>();
        for (JsonNode r : search(os, prefix + "-rates-*", "{\"size\":10000,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"dimension\":\"scope\"}},{\"term\":{\"key\":\"all\"}}]}}}")) {
            out.computeIfAbsent(r.path("event").path("dataset").asText(), k -> new TreeMap<>())
                    .put(java.time.Instant.parse(r.path("window").path("start").asText()).toEpochMilli(),
                            r.path("requests").path("total").asLong());
        }
        return out;
    }

    private static Map<String, JsonNode> allRates(OpenSearchHttpClient os, String prefix) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        OpenSearchHttpClient.Response r = os.post("/" + prefix + "-rates-*/_search",
                "{\"size\":10000,\"query\":{\"match_all\":{}}}");
        for (JsonNode hit : JSON.readTree(r.body()).path("hits").path("hits")) out.put(hit.path("_id").asText(), hit.path("_source"));
        return out;
    }

    private static List<JsonNode> search(OpenSearchHttpClient os, String index, String query) throws Exception {
        os.post("/" + index + "/_refresh", "{}");
        OpenSearchHttpClient.Response r = os.post("/" + index + "/_search", query.contains("\"size\"") ? query
                : query.replaceFirst("\\{", "{\"size\":1000,"));
        List<JsonNode> out = new ArrayList<>();
        if (!r.ok()) return out;
        for (JsonNode hit : JSON.readTree(r.body()).path("hits").path("hits")) out.add(hit.path("_source"));
        return out;
    }

    /** Documents of a JSON Lines file by id (rates: the deterministic rate id; alerts: alert.id). */
    private static Map<String, JsonNode> byId(Path file, boolean rates) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            String id = rates
                    ? io.spikewatch.records.DocumentIds.rateId(n.path("event").path("dataset").asText(),
                    n.path("dimension").asText(), n.path("key").asText(),
                    java.time.Instant.parse(n.path("window").path("start").asText()).toEpochMilli())
                    : n.path("alert").path("id").asText();
            out.put(id, n);
        }
        return out;
    }

    private static List<String> openings(List<Message> messages) {
        List<String> ids = new ArrayList<>();
        for (Message m : messages) {
            JsonNode b = body(m);
            if (b.path("alert").path("change").asText().equals("open")) ids.add(b.path("alert").path("id").asText());
        }
        return ids;
    }

    private static JsonNode body(Message m) {
        try {
            return JSON.readTree(m.body());
        } catch (Exception e) {
            throw new AssertionError("SNS message is not JSON: " + m.body(), e);
        }
    }

    private static void await(String what, BooleanSupplierWithException condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(500); // polling an external server; the assertion itself is not time-based
        }
    }

    private interface BooleanSupplierWithException {
        boolean getAsBoolean() throws Exception;
    }
}
