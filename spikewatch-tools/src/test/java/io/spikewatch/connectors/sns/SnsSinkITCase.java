package io.spikewatch.connectors.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.records.AlertDocument;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import io.spikewatch.testing.LocalSnsServer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.spikewatch.connectors.sns.SnsTestAlerts.ipAlert;
import static io.spikewatch.connectors.sns.SnsTestAlerts.scopeAlert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SNS sink in a MiniCluster job against a real SNS/SQS server (fauxqs on 127.0.0.1, started by
 * deploy/local/sns.sh unless one already answers): alerts go through the sink to a topic, and SQS
 * queues subscribed to it show what a subscriber receives, with raw message delivery on and off.
 */
class SnsSinkITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, String> SAVED_PROPERTIES = new HashMap<>();

    private static LocalSnsServer server;
    private static SnsAsyncClient sns;
    private static SqsAsyncClient sqs;

    @BeforeAll
    static void startServer() throws Exception {
        server = LocalSnsServer.ensureRunning();
        // The sink's real client uses the SDK default chain; system properties come first in it, so
        // nothing looks further (no profile, no instance metadata). fauxqs accepts any key.
        for (String[] p : new String[][] {{"aws.accessKeyId", "test"}, {"aws.secretAccessKey", "test"}, {"aws.disableEc2Metadata", "true"}}) {
            SAVED_PROPERTIES.put(p[0], System.getProperty(p[0]));
            System.setProperty(p[0], p[1]);
        }
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        sns = SnsAsyncClient.builder().endpointOverride(server.endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build();
        sqs = SqsAsyncClient.builder().endpointOverride(server.endpoint).region(Region.US_EAST_1).credentialsProvider(credentials).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (sns != null) sns.close();
        if (sqs != null) sqs.close();
        SAVED_PROPERTIES.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
        if (server != null) server.close();
    }

    @Test
    void subscribersReceiveOneMessagePerOpeningAndEscalation() throws Exception {
        String topicArn = sns.createTopic(b -> b.name("spikewatch-it-" + RUN)).join().topicArn();
        Queue raw = subscribedQueue(topicArn, "raw-" + RUN, true, false);
        Queue envelope = subscribedQueue(topicArn, "envelope-" + RUN, false, false);

        List<AlertDocument> alerts = List.of(
                ipAlert("ip-a", "open", "high", "203.0.113.9", "CN"),
                scopeAlert("scope-b", "open", "medium"),
                ipAlert("ip-a", "update", "high", "203.0.113.9", "CN"),
                scopeAlert("scope-b", "update", "medium"),
                ipAlert("ip-a", "update", "high", "203.0.113.9", "CN"),
                ipAlert("ip-a", "escalation", "critical", "203.0.113.9", "CN"),
                ipAlert("ip-c", "open", "low", "2001:db8::7", "DE"),
                scopeAlert("scope-b", "resolve", "medium"),
                ipAlert("ip-a", "update", "critical", "203.0.113.9", "CN"),
                ipAlert("ip-a", "resolve", "critical", "203.0.113.9", "CN"));
        runJob(alerts, topicArn, false);

        List<Message> rawMessages = receiveAll(raw, 4);
        assertThat(rawMessages).hasSize(4);
        Map<String, Message> byAlert = new HashMap<>();
        for (Message m : rawMessages) {
            JsonNode body = JSON.readTree(m.body());
            byAlert.put(body.path("alert").path("id").asText() + "/" + body.path("alert").path("change").asText(), m);
            // with raw delivery the SNS message attributes arrive as SQS message attributes
            assertThat(attribute(m, "severity")).isEqualTo(body.path("alert").path("severity").asText());
            assertThat(attribute(m, "dataset")).isEqualTo(body.path("event").path("dataset").asText());
            assertThat(attribute(m, "dimension")).isEqualTo(body.path("dimension").asText());
            assertThat(attribute(m, "change")).isEqualTo(body.path("alert").path("change").asText());
        }
        assertThat(byAlert).containsOnlyKeys("ip-a/open", "ip-a/escalation", "scope-b/open", "ip-c/open");
        assertThat(attribute(byAlert.get("ip-a/open"), "country")).isEqualTo("CN");
        assertThat(attribute(byAlert.get("ip-a/escalation"), "severity")).isEqualTo("critical");
        assertThat(attribute(byAlert.get("ip-c/open"), "country")).isEqualTo("DE");
        assertThat(byAlert.get("scope-b/open").messageAttributes()).doesNotContainKey("country");
        assertThat(JSON.readTree(byAlert.get("ip-c/open").body()).path("source").path("ip").asText()).isEqualTo("2001:db8::7");

        List<Message> envelopes = receiveAll(envelope, 4);
        assertThat(envelopes).hasSize(4);
        Map<String, JsonNode> envelopeByAlert = new HashMap<>();
        for (Message m : envelopes) {
            // without raw delivery a subscriber gets SNS's notification JSON around the alert
            JsonNode n = JSON.readTree(m.body());
            assertThat(n.path("Type").asText()).isEqualTo("Notification");
            assertThat(n.path("TopicArn").asText()).isEqualTo(topicArn);
            JsonNode alert = JSON.readTree(n.path("Message").asText());
            envelopeByAlert.put(alert.path("alert").path("id").asText() + "/" + alert.path("alert").path("change").asText(), n);
            assertThat(n.path("MessageAttributes").path("severity").path("Type").asText()).isEqualTo("String");
            assertThat(n.path("MessageAttributes").path("severity").path("Value").asText())
                    .isEqualTo(alert.path("alert").path("severity").asText());
        }
        assertThat(envelopeByAlert).containsOnlyKeys("ip-a/open", "ip-a/escalation", "scope-b/open", "ip-c/open");
        assertThat(envelopeByAlert.get("ip-a/escalation").path("Subject").asText())
                .isEqualTo("[spikewatch] ESCALATED CRITICAL ip 203.0.113.9 requests spike (aws.waf)");
        assertThat(envelopeByAlert.get("scope-b/open").path("Subject").asText())
                .isEqualTo("[spikewatch] MEDIUM scope foreign 4xx spike (aws.elb)");
        assertThat(envelopeByAlert.get("scope-b/open").path("MessageAttributes").has("country")).isFalse();

        // nothing else arrives later (no update or resolve leaks through)
        assertThat(receive(raw, 2)).isEmpty();
    }

    @Test
    void fifoTopicsGetGroupAndDeduplicationIds() throws Exception {
        String topicArn = sns.createTopic(b -> b.name("spikewatch-it-" + RUN + ".fifo")
                .attributes(Map.of("FifoTopic", "true", "ContentBasedDeduplication", "false"))).join().topicArn();
        Queue queue = subscribedQueue(topicArn, "fifo-" + RUN + ".fifo", true, true);

        String id = "0123456789abcdef0123456789abcdef";
        List<AlertDocument> alerts = List.of(
                ipAlert(id, "open", "high", "203.0.113.9", "CN"),
                ipAlert(id, "update", "high", "203.0.113.9", "CN"),
                // a replay after a restart sends the same opening again: deduplicated by SNS/SQS FIFO
                ipAlert(id, "open", "high", "203.0.113.9", "CN"),
                ipAlert(id, "escalation", "critical", "203.0.113.9", "CN"));
        runJob(alerts, topicArn, true);

        List<Message> messages = receiveAll(queue, 2);
        assertThat(messages).hasSize(2);
        assertThat(messages).allSatisfy(m -> assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo(id));
        assertThat(messages).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                .containsExactly(id + "-open-high", id + "-escalation-critical");
        assertThat(messages).extracting(m -> attribute(m, "change")).containsExactly("open", "escalation");
        assertThat(receive(queue, 2)).isEmpty();
    }

    @Test
    void aMissingTopicFailsTheJobNamingTheTopic() {
        String missing = "arn:aws:sns:us-east-1:000000000000:spikewatch-it-missing-" + RUN;
        assertThatThrownBy(() -> runJob(List.of(ipAlert("x", "open", "high", "203.0.113.9", "CN")), missing, false))
                .satisfies(e -> {
                    Throwable t = e;
                    while (t != null && !(t instanceof SnsPublishException)) t = t.getCause();
                    assertThat(t).as("SnsPublishException in the cause chain of %s", e).isNotNull();
                    assertThat(t.getMessage()).contains(missing, "NotFound", "will not be retried");
                });
    }

    private void runJob(List<AlertDocument> alerts, String topicArn, boolean keyByAlert) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        SnsSettings settings = SnsSettings.forTopic(topicArn).withEndpoint(server.endpoint);
        var stream = env.fromData(alerts).name("alerts");
        // FIFO order holds per sink subtask: route an incident's emissions to one subtask, as the
        // detector's keyed output does in the job
        (keyByAlert ? stream.keyBy(a -> a.alertId) : stream)
                .sinkTo(new SnsAlertSink(settings)).uid("sns-alerts").name("SNS alerts");
        env.execute("sns-sink-it");
    }

    private record Queue(String url, String arn) {}

    private Queue subscribedQueue(String topicArn, String name, boolean raw, boolean fifo) {
        Map<QueueAttributeName, String> attributes = fifo ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of();
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).join().queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).join()
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn)
                .attributes(Map.of("RawMessageDelivery", String.valueOf(raw)))).join();
        return new Queue(url, arn);
    }

    /** Receives (and deletes) until {@code expected} messages arrived or 30 s passed, then waits briefly for extras. */
    private List<Message> receiveAll(Queue queue, int expected) {
        List<Message> all = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (all.size() < expected && System.nanoTime() < deadline) all.addAll(receive(queue, 1));
        all.addAll(receive(queue, 1));
        return all;
    }

    private List<Message> receive(Queue queue, int waitSeconds) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue.url()).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).join().messages();
        for (Message m : messages) sqs.deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(m.receiptHandle())).join();
        return messages;
    }

    private static String attribute(Message m, String name) {
        var value = m.messageAttributes().get(name);
        return value == null ? null : value.stringValue();
    }
}
